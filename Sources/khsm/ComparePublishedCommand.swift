import Foundation
import KHSMCore

enum ComparePublishedCommand: Command {
    static let spec = CommandSpec(
        name: "compare-published",
        usage: "khsm compare-published --release NAME [--db PATH] [--format text|csv] [--output FILE] FILE",
        summary: "Compare CBP's published fentanyl statistics (CSV) with the CBP extract a release used, by month and AOR.",
        options: [
            databaseOption,
            OptionSpec(name: "release", value: "NAME", help: "release whose CBP extract to compare"),
            OptionSpec(name: "format", value: "F", help: "text (default) or csv"),
            OptionSpec(name: "output", value: "FILE", help: "write to FILE (atomically) instead of standard output"),
        ],
        details: """
            FILE is CBP's drug seizure statistics CSV (FY, Month (abbv), Component, Region, Land Filter,
            Area of Responsibility, Drug Type, Count of Event, Sum Qty (lbs)); only its Fentanyl rows of
            the release's fiscal years are compared. The extract side is CBP's own seizures before
            integration with ICE, after exclusions: accepted fentanyl lines under the release's
            reference data, one event per FPF, in the month and AOR of its earliest fentanyl line.
            Every month and AOR that differs is listed (published minus extract), then the totals per
            fiscal year. Pound differences below 0.01 lb count as equal. Differences are the result,
            not a failure: the exit status is 0 whenever the comparison ran.
            """)

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw UsageError(message: arguments.positionals.isEmpty
                ? "missing the published statistics FILE" : "expected one FILE, got \(arguments.positionals.count) arguments")
        }
        guard let releaseName = arguments.value("release") else {
            throw UsageError(message: "missing --release NAME")
        }
        let format = arguments.value("format") ?? "text"
        guard ["text", "csv"].contains(format) else {
            throw UsageError(message: "unknown format '\(format)'; expected text or csv")
        }
        let path = arguments.positionals[0]
        let database = try openDatabase(path: databasePath(arguments), readOnly: true)
        let release = try ReleaseRecord.load(database, name: releaseName)
        let rows = try DemoCommand.readPublicEvents(path: path)
        let extractTallies = try extractFentanylTallies(database, release: release)
        let comparison = comparePublished(published: rows, extract: extractTallies,
            fiscalYears: release.fiscalYears,
            canonicalAOR: try canonicalCBPOffices(database, referenceVersion: release.referenceVersion))
        let extractName = try release.cbpExtractID.flatMap { try ExtractRecord.load(database, id: $0) }?.fileName ?? "?"
        let summary = "\(comparison.differences.count) \(comparison.differences.count == 1 ? "difference" : "differences") in \(comparison.keysCompared) months and AORs compared; pound differences below 0.01 lb count as equal."
        if format == "csv" {
            try writeOutput(csvText(comparison), to: arguments.value("output"))
            printError(summary)
        } else {
            let title = "CBP's published fentanyl statistics in \((path as NSString).lastPathComponent) against the CBP extract \(extractName) of release \(release.name), FY\(release.fiscalYears.lowerBound)-FY\(release.fiscalYears.upperBound)"
            try writeOutput(plainText(comparison, title: title, summary: summary), to: arguments.value("output"))
        }
    }

    static func pounds(_ value: Double) -> String { String(format: "%.2f", value) }

    static func csvText(_ comparison: PublishedComparison) -> String {
        var table = ExportTable(columns: ["row", "fiscal_year", "month", "aor", "published_lbs", "published_events",
            "extract_lbs", "extract_events", "difference_lbs", "difference_events"])
        func cells(_ published: FentanylTally, _ extract: FentanylTally) -> [String] {
            [pounds(published.pounds), "\(published.events)", pounds(extract.pounds), "\(extract.events)",
             pounds(published.pounds - extract.pounds), "\(published.events - extract.events)"]
        }
        for difference in comparison.differences {
            table.rows.append(["difference", "\(difference.key.fiscalYear)", difference.key.monthAbbreviation,
                difference.key.aor] + cells(difference.published, difference.extract))
        }
        for total in comparison.totals {
            table.rows.append(["total", "\(total.fiscalYear)", "ALL", "ALL"] + cells(total.published, total.extract))
        }
        return table.csv
    }

    static func plainText(_ comparison: PublishedComparison, title: String, summary: String) -> String {
        var text = title + "\n"
        text += "Extract side: CBP's own seizures before integration with ICE, after exclusions (one event per FPF,\nin the month and AOR of its earliest fentanyl line). Differences are published minus extract.\n\n"
        let header = ["published lbs", "events", "extract lbs", "events", "difference lbs", "events"]
        func numbers(_ published: FentanylTally, _ extract: FentanylTally) -> String {
            let values = [pounds(published.pounds), "\(published.events)", pounds(extract.pounds), "\(extract.events)",
                pounds(published.pounds - extract.pounds), "\(published.events - extract.events)"]
            return zip(values, header).map { leftPad($0, max($1.count, 10)) }.joined(separator: "  ")
        }
        let columnTitles = zip(header, header).map { leftPad($0, max($1.count, 10)) }.joined(separator: "  ")
        if comparison.differences.isEmpty {
            text += "No month and AOR differs.\n"
        } else {
            let aorWidth = max(comparison.differences.map(\.key.aor.count).max() ?? 0, 3)
            text += "FY    month  " + "AOR".padding(toLength: aorWidth, withPad: " ", startingAt: 0) + "  " + columnTitles + "\n"
            for difference in comparison.differences {
                text += "\(difference.key.fiscalYear)  \(difference.key.monthAbbreviation)    "
                text += difference.key.aor.padding(toLength: aorWidth, withPad: " ", startingAt: 0) + "  "
                text += numbers(difference.published, difference.extract) + "\n"
            }
        }
        text += "\nTotals per fiscal year\nFY    " + columnTitles + "\n"
        for total in comparison.totals {
            text += "\(total.fiscalYear)  " + numbers(total.published, total.extract) + "\n"
        }
        return text + "\n" + summary + "\n"
    }
}
