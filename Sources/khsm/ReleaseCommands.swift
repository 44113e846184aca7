import Foundation
import KHSMCore

/// Parses `2023-2024` or `2024` into a range of fiscal years.
func parseFiscalYears(_ text: String) throws -> ClosedRange<Int> {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    let years = parts.compactMap { part -> Int? in
        guard part.count == 4, let year = Int(part), year >= 1900 else { return nil }
        return year
    }
    guard years.count == parts.count, (1...2).contains(years.count), years.first! <= years.last! else {
        throw UsageError(message: "invalid --fiscal-years '\(text)'; expected a range like 2023-2024 or a single year like 2024")
    }
    return years.first!...years.last!
}

enum ReleaseCreateCommand: Command {
    static let spec = CommandSpec(
        name: "release create",
        usage: "khsm release create NAME [--db PATH] [--date YYYY-MM-DD] [--fiscal-years 2023-2024] [--allow-late] [--allow-incomplete]",
        summary: "Freeze a release: each agency's current extract, the reference data in force, every published cell.",
        options: [
            databaseOption,
            OptionSpec(name: "date", value: "YYYY-MM-DD", help: "release date; extracts pulled after it are not used (default: today)"),
            OptionSpec(name: "fiscal-years", value: "Y1-Y2", help: "reporting period (default: 2023-2024)"),
            OptionSpec(name: "allow-late", value: nil, help: "publish even when an extract or the release is late"),
            OptionSpec(name: "allow-incomplete", value: nil, help: "publish even when an agency has no extract or no in-scope line"),
        ],
        details: "The current extract of an agency is the one with the latest extraction date on or before\n--date; ties go to the one ingested later. Late means an extract more than 30 days older\nthan the release date, or a release more than 60 days after the last quarter it covers.")

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw UsageError(message: arguments.positionals.isEmpty
                ? "missing the release NAME" : "expected one NAME, got \(arguments.positionals.count) arguments")
        }
        let name = arguments.positionals[0]
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw UsageError(message: "invalid release name '\(name)'; use letters, digits and punctuation without spaces")
        }
        var request = ReleaseRequest(name: name, date: try dateOption(arguments, "date") ?? today(),
            fiscalYears: try parseFiscalYears(arguments.value("fiscal-years") ?? "2023-2024"))
        request.allowLate = arguments.has("allow-late")
        request.allowIncomplete = arguments.has("allow-incomplete")
        let database = try openDatabase(path: databasePath(arguments))
        let created = try createRelease(database: database, request: request)
        for issue in created.lateInputs {
            printError("warning: \(issue.message); published because of --allow-late")
        }
        for agency in created.missingAgencies {
            printError("warning: no \(agency.rawValue) extract extracted on or before \(request.date); the release counts the other agency alone (--allow-incomplete)")
        }
        print("created release \(name) dated \(request.date) for FY\(request.fiscalYears.lowerBound)-FY\(request.fiscalYears.upperBound)")
        for extract in [created.cbp, created.ice].compactMap({ $0 }) {
            print("  \(extract.agency.rawValue) extract \(extract.id): \(extract.fileName), extracted \(extract.extractedOn)")
        }
        print("  reference data version \(created.release.referenceVersion), method version \(created.release.methodVersion)")
        let counted = created.computation.seizures.filter(\.inPeriod)
        print("  seizures counted \(counted.count), of them joint \(created.computation.jointSeizures) and discrepant \(counted.filter(\.isDiscrepancy).count); discrepancies listed \(created.computation.discrepancies.count)")
        print("  table SHA-256 \(created.release.tableSHA256)")
    }
}

enum ReleaseShowCommand: Command {
    static let spec = CommandSpec(
        name: "release show", usage: "khsm release show NAME [--db PATH]",
        summary: "Print a release's inputs and quality figures: undercount, joint share, discrepancy rate, timeliness.",
        options: [databaseOption])

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw UsageError(message: "expected one release NAME")
        }
        let database = try openDatabase(path: databasePath(arguments), readOnly: true)
        print(try releaseDescription(database, name: arguments.positionals[0]), terminator: "")
    }
}

enum ReleaseVerifyCommand: Command {
    static let spec = CommandSpec(
        name: "release verify", usage: "khsm release verify NAME [--db PATH]",
        summary: "Recompute a release from the stored records with its pinned inputs; exit 0 only when identical.",
        options: [databaseOption])

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw UsageError(message: "expected one release NAME")
        }
        let database = try openDatabase(path: databasePath(arguments), readOnly: true)
        let report = try verifyRelease(database, name: arguments.positionals[0])
        if report.isIdentical {
            print("release \(report.release) verified: \(report.cellsChecked) cells and \(report.seizuresChecked) seizures recomputed from the stored records are identical to the frozen ones, and so are the table digest, the records digests, the line items and the quality figures")
            return
        }
        for problem in report.problems {
            printError("verify: \(problem)")
        }
        for difference in report.differences {
            printError("verify: cell \(difference.label): frozen exact \(difference.frozenExact) published \(difference.frozenPublished), recomputed exact \(difference.recomputedExact) published \(difference.recomputedPublished)")
        }
        throw CommandFailure(message: "release \(report.release) does not reproduce: \(report.differences.count) of \(report.cellsChecked) cells differ, \(report.problems.count) other problems. Its frozen outputs or stored inputs were changed outside khsm, or this build computes differently (method version \(methodVersion)); compare the database with a backup before publishing anything from it.")
    }
}

/// Builds the text of `khsm release show`.
func releaseDescription(_ database: Database, name: String) throws -> String {
    let release = try ReleaseRecord.load(database, name: name)
    var text = "release \(release.name)\n"
    text += "  date                 \(release.date)\n"
    text += "  created at           \(release.createdAt)\n"
    text += "  fiscal years         \(release.fiscalYears.lowerBound)-\(release.fiscalYears.upperBound)\n"
    text += "  reference data       version \(release.referenceVersion)\n"
    text += "  method               version \(release.methodVersion)\n"
    text += "  table SHA-256        \(release.tableSHA256)\n"
    var extracts: [ExtractRecord] = []
    for id in [release.cbpExtractID, release.iceExtractID].compactMap({ $0 }) {
        if let extract = try ExtractRecord.load(database, id: id) {
            extracts.append(extract)
            text += "  \(extract.agency.rawValue) extract          \(extract.id): \(extract.fileName), extracted \(extract.extractedOn), SHA-256 \(extract.sha256)\n"
        }
    }
    let counts = try database.row(
        """
        SELECT count(*), coalesce(sum(is_joint), 0), coalesce(sum(is_discrepancy), 0)
        FROM release_seizure WHERE release_id = ? AND in_period = 1
        """, [.integer(Int64(release.id))])!
    let all = try database.row(
        "SELECT count(*), coalesce(sum(is_joint), 0), coalesce(sum(is_discrepancy), 0) FROM release_seizure WHERE release_id = ?",
        [.integer(Int64(release.id))])!
    let allDiscrepancies = all.int(2)!
    text += "\nseizures\n"
    text += "  counted              \(counts.int(0)!) (of \(all.int(0)!) in the current extracts)\n"
    text += "  joint, counted       \(counts.int(1)!)\n"
    text += "  joint, all           \(all.int(1)!)\n"
    text += "  discrepant, counted  \(counts.int(2)!)\n"
    text += "  discrepant, all      \(allDiscrepancies) (listed by 'khsm export discrepancies')\n"
    let resolved = try resolvedDiscrepancies(database, release: release)
    if release.previousReleaseID != nil {
        text += "  resolved since the previous release  \(resolved.count)\n"
    }

    text += "\nquality\n"
    for row in try database.rows(
        "SELECT figure, agency, numerator, denominator, value FROM release_quality WHERE release_id = ? ORDER BY figure, agency",
        [.integer(Int64(release.id))])
    {
        let figure = row.string(0)!
        let agency = row.string(1)!
        let share = row.double(4).map { String(format: "%.2f%%", $0 * 100) } ?? "n/a"
        let label: String
        let detail: String
        switch figure {
        case "undercount":
            label = "undercount \(agency)"
            detail = "\(Int(row.double(2)!)) missing_fpf of \(Int(row.double(3)!)) in-scope lines; expected below 2%"
        case "joint_share_lbs":
            label = "joint share"
            detail = String(format: "%.1f of %.1f lbs in joint seizures", row.double(2)!, row.double(3)!)
        case "discrepancy_rate":
            label = "discrepancy rate"
            detail = "\(Int(row.double(2)!)) of \(Int(row.double(3)!)) counted seizures; expected below 1%"
        default:
            label = figure
            detail = ""
        }
        text += "  " + label.padding(toLength: 21, withPad: " ", startingAt: 0) + share + "  (\(detail))\n"
    }
    let late = timelinessIssues(releaseDate: release.date, fiscalYears: release.fiscalYears, extracts: extracts)
    let quarterEnd = lastQuarterCovered(releaseDate: release.date, fiscalYears: release.fiscalYears)
    text += "  timeliness           " + (late.isEmpty ? "on time" : "LATE") + "\n"
    for extract in extracts {
        text += "    \(extract.agency.rawValue) extract age \(release.date.dayNumber - extract.extractedOn.dayNumber) days (at most \(maximumExtractAgeDays))\n"
    }
    text += "    release \(release.date.dayNumber - quarterEnd.dayNumber) days after the end of the last quarter covered, \(quarterEnd) (at most \(maximumReleaseDelayDays))\n"
    return text
}
