import Foundation
import KHSMCore

enum IngestCommand: Command {
    static let spec = CommandSpec(
        name: "ingest",
        usage: "khsm ingest [--db PATH] --agency cbp|ice --extracted YYYY-MM-DD [--delimiter C] [--encoding E] [--wait S] [--quiet] FILE",
        summary: "Store one agency extract (CSV) and cleanse each of its lines, in one transaction.",
        options: [
            databaseOption,
            OptionSpec(name: "agency", value: "cbp|ice", help: "agency that sent the extract"),
            OptionSpec(name: "extracted", value: "YYYY-MM-DD", help: "day the data was pulled from SEACATS"),
            OptionSpec(name: "delimiter", value: "C", help: "field separator: ',' (default), ';', 'tab' or '|'"),
            OptionSpec(name: "encoding", value: "E", help: "utf-8 (default) or windows-1252"),
            OptionSpec(name: "wait", value: "S", help: "seconds to wait while another process writes to the database (default 600)"),
            OptionSpec(name: "quiet", value: nil, help: "no progress and no per-line examples on stderr"),
        ],
        details: "Ends with a summary: records read, in scope, accepted, excluded by reason, out of scope,\nblank. The first lines of each exclusion reason go to stderr as file:line: reason: value.\nA file already ingested (same SHA-256) is refused. Ingests into one database run one at a\ntime: while another process writes, the ingest waits up to --wait seconds, then fails.\nA failed ingest stores nothing.")

    static func run(_ arguments: ParsedArguments) throws {
        guard let agencyText = arguments.value("agency") else {
            throw UsageError(message: "missing --agency; expected cbp or ice")
        }
        guard let agency = Agency(argument: agencyText) else {
            throw UsageError(message: "unknown agency '\(agencyText)'; expected cbp or ice")
        }
        guard let extracted = try dateOption(arguments, "extracted") else {
            throw UsageError(message: "missing --extracted; expected the extraction date as YYYY-MM-DD")
        }
        guard extracted <= today() else {
            throw UsageError(message: "invalid --extracted '\(extracted)': the date is in the future (today is \(today())); give the day the data was pulled from SEACATS")
        }
        guard arguments.positionals.count == 1 else {
            throw UsageError(message: arguments.positionals.isEmpty
                ? "missing the extract FILE" : "expected one FILE, got \(arguments.positionals.count): \(arguments.positionals.joined(separator: " "))")
        }
        let path = arguments.positionals[0]
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UsageError(message: "file '\(path)' not found; expected the path of a CSV extract")
        }
        guard !isDirectory.boolValue else {
            throw UsageError(message: "'\(path)' is a folder; expected the path of a CSV extract")
        }
        var options = IngestOptions(agency: agency, extractedOn: extracted)
        if let delimiter = arguments.value("delimiter") {
            options.delimiter = try parseDelimiter(delimiter)
        }
        if let encoding = arguments.value("encoding") {
            guard let value = TextEncoding(rawValue: encoding.lowercased()) else {
                throw UsageError(message: "unknown encoding '\(encoding)'; expected utf-8 or windows-1252")
            }
            options.encoding = value
        }
        if let wait = arguments.value("wait") {
            guard let seconds = Double(wait), seconds >= 0, seconds <= 86_400 else {
                throw UsageError(message: "invalid --wait '\(wait)'; expected a number of seconds from 0 to 86400")
            }
            options.lockTimeout = seconds
        } else {
            options.lockTimeout = defaultLockTimeout
        }
        let quiet = arguments.has("quiet")
        let database = try openDatabase(path: databasePath(arguments))

        let progress = ProgressLine(enabled: !quiet && standardErrorIsTerminal)
        let summary: IngestSummary
        do {
            summary = try ingest(database: database, path: path, options: options, progress: { update in
                progress.show(update)
            }, waiting: {
                printError("khsm: another process is writing to \(database.path); waiting up to \(formatSeconds(options.lockTimeout)) seconds for its write lock (--wait sets the limit)")
            })
        } catch let error as DatabaseLockedError {
            progress.finish()
            throw CommandFailure(message: "\(error) To wait longer, raise --wait.")
        } catch {
            progress.finish()
            let description = "\(error)"
            let note = description.localizedCaseInsensitiveContains("nothing was stored") ? "" : " Nothing was stored."
            throw CommandFailure(message: description + note)
        }
        progress.finish()
        report(summary, path: path, quiet: quiet)
    }

    /// Seconds an ingest waits for another process's write lock unless --wait is given: an
    /// ingest of a large extract holds the lock for its whole run, so a second ingest queues
    /// behind it instead of failing at once.
    static let defaultLockTimeout: Double = 600

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    static func parseDelimiter(_ text: String) throws -> UInt8 {
        switch text {
        case ",", "comma": return UInt8(ascii: ",")
        case ";", "semicolon": return UInt8(ascii: ";")
        case "\t", "tab", "\\t": return UInt8(ascii: "\t")
        case "|", "pipe": return UInt8(ascii: "|")
        default:
            throw UsageError(message: "unknown delimiter '\(text)'; expected ',', ';', 'tab' or '|'")
        }
    }

    static func report(_ summary: IngestSummary, path: String, quiet: Bool) {
        if !quiet {
            for reason in ExclusionReason.allCases {
                for example in summary.examples[reason] ?? [] {
                    printError("\(path):\(example.line): \(reason.rawValue): '\(displayText(example.value))'")
                }
                let count = summary.excluded[reason] ?? 0
                let shown = summary.examples[reason]?.count ?? 0
                if count > shown {
                    printError("\(path): ... and \(count - shown) more \(reason.rawValue) lines; list them all with 'khsm export exclusions'")
                }
            }
        }
        reportWarnings(summary, path: path)

        print("ingested \(summary.fileName) as extract \(summary.extractID) (\(summary.agency.rawValue), SHA-256 \(summary.sha256))")
        let rows: [(String, Int)] = [
            ("records read", summary.recordsRead),
            ("in scope", summary.inScope),
            ("accepted", summary.accepted),
            ("excluded", summary.excludedTotal),
        ]
        for (label, value) in rows { print(summaryLine(label, value)) }
        for reason in ExclusionReason.allCases {
            if let count = summary.excluded[reason] { print(summaryLine("  " + reason.rawValue, count)) }
        }
        print(summaryLine("out of scope", summary.outOfScope))
        print(summaryLine("blank", summary.blank))
        if summary.repeatedLineItemCount > 0 {
            print(summaryLine("repeated line items", summary.repeatedLineItemCount))
        }
        if summary.recordsRead == 0 {
            print("the file has a header and no records")
        }
    }

    /// Writes the warnings about repeated FPF line items and about an earlier extract with the
    /// same records to stderr.
    static func reportWarnings(_ summary: IngestSummary, path: String) {
        for repeated in summary.repeatedLineItems {
            printError("\(path):\(repeated.line): warning: FPF line item \(repeated.fpf) on lines \(repeated.firstLine) and \(repeated.line): both lines are kept and summed into one seizure. Ask the agency whether one of them is a copy, such as a spreadsheet leaves when it rounds the last digits of a long number.")
        }
        if summary.repeatedLineItemCount > summary.repeatedLineItems.count {
            printError("\(path): warning: ... and \(summary.repeatedLineItemCount - summary.repeatedLineItems.count) more repeated FPF line items; list them with: khsm sql \"SELECT fpf, fpf_suffix, line FROM line_items WHERE fpf_suffix IS NOT NULL\"")
        }

        for earlier in summary.sameRecordsAs {
            printError("\(path): warning: the records equal those of extract \(earlier.extractID) ('\(displayText(earlier.fileName))', extracted \(earlier.extractedOn)), line by line, though the files differ, as when a file is saved again with other line ends. Both extracts are kept; check that this file is a new extraction and that --extracted is its date.")
        }
    }

    static func summaryLine(_ label: String, _ value: Int) -> String {
        "  " + label.padding(toLength: 22, withPad: " ", startingAt: 0) + String(value)
    }
}

/// A self-rewriting progress line on a terminal: records, megabytes and rate.
final class ProgressLine {
    let enabled: Bool
    let start = Date()
    var lastDrawn = Date.distantPast
    var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ update: IngestProgress) {
        guard enabled, Date().timeIntervalSince(lastDrawn) > 0.25 else { return }
        lastDrawn = Date()
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let megabytes = Double(update.bytesRead) / 1_048_576
        let total = Double(update.totalBytes) / 1_048_576
        let rate = Double(update.records) / seconds
        let line = String(format: "\r%d records, %.1f of %.1f MB, %.0f records/s", update.records, megabytes, total, rate)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
