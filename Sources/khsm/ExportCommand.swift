import Foundation
import KHSMCore

enum ExportCommand: Command {
    static let spec = CommandSpec(
        name: "export",
        usage: "khsm export table|discrepancies|exclusions --release NAME [--db PATH] [--agency cbp|ice] [--include-resolved] [--format csv|json|markdown] [--output FILE]",
        summary: "Write a frozen release's published table, discrepancies or excluded lines.",
        options: [
            databaseOption,
            OptionSpec(name: "release", value: "NAME", help: "release to export"),
            OptionSpec(name: "agency", value: "cbp|ice", help: "discrepancies and exclusions: only the list for this agency"),
            OptionSpec(name: "include-resolved", value: nil, help: "discrepancies: add the previous release's discrepancies resolved since, with status resolved"),
            OptionSpec(name: "format", value: "F", help: "csv (default), json or markdown"),
            OptionSpec(name: "output", value: "FILE", help: "write to FILE (atomically) instead of standard output"),
        ],
        details: "table: fiscal_year,quarter,region,measure,value with rounded values only.\ndiscrepancies: one row per joint seizure whose agencies disagree, with both sides.\nexclusions: agency,extract,line,reason,raw_fpf,value for every excluded line.")

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw UsageError(message: "expected what to export: table, discrepancies or exclusions")
        }
        let what = arguments.positionals[0]
        guard ["table", "discrepancies", "exclusions"].contains(what) else {
            throw UsageError(message: "unknown export '\(what)'; expected table, discrepancies or exclusions")
        }
        guard let releaseName = arguments.value("release") else {
            throw UsageError(message: "missing --release NAME")
        }
        let format = arguments.value("format") ?? "csv"
        guard ["csv", "json", "markdown"].contains(format) else {
            throw UsageError(message: "unknown format '\(format)'; expected csv, json or markdown")
        }
        if arguments.has("include-resolved") && what != "discrepancies" {
            throw UsageError(message: "--include-resolved applies to discrepancies only")
        }
        var agency: Agency?
        if let text = arguments.value("agency") {
            guard let value = Agency(argument: text) else {
                throw UsageError(message: "unknown agency '\(text)'; expected cbp or ice")
            }
            guard what != "table" else {
                throw UsageError(message: "--agency applies to discrepancies and exclusions, not to the table")
            }
            agency = value
        }
        let database = try openDatabase(path: databasePath(arguments), readOnly: true)
        let release = try ReleaseRecord.load(database, name: releaseName)
        var table: ExportTable
        switch what {
        case "table":
            table = try exportTable(database, release: release)
        case "discrepancies":
            table = try exportDiscrepancies(database, release: release)
            if arguments.has("include-resolved") {
                table.rows += try exportResolvedDiscrepancies(database, release: release)
                table.rows.sort { $0[0] < $1[0] }
            }
            if let agency { table = discrepanciesForAgency(table, agency: agency) }
        default:
            table = try exportExclusions(database, release: release)
            if let agency { table.rows = table.rows.filter { $0[0] == agency.rawValue } }
        }
        try writeOutput(render(table, format: format), to: arguments.value("output"))
    }

    /// Reorders the discrepancy list for one agency: its own values first, then the other's.
    static func discrepanciesForAgency(_ table: ExportTable, agency: Agency) -> ExportTable {
        let own = agency.rawValue.lowercased()
        let other = agency == .cbp ? "ice" : "cbp"
        let order = ["fpf", "\(own)_fentanyl_lbs", "\(other)_fentanyl_lbs", "\(own)_pill_presses",
            "\(other)_pill_presses", "\(own)_date", "\(other)_date", "\(own)_region", "\(other)_region",
            "\(own)_extract", "\(other)_extract", "side_used", "in_period", "status", "first_seen_release"]
        let indexes = order.compactMap { table.columns.firstIndex(of: $0) }
        return ExportTable(columns: indexes.map { table.columns[$0] },
            rows: table.rows.map { row in indexes.map { row[$0] } })
    }
}

/// Renders an export as CSV, JSON (an array of objects, values as text) or a Markdown table.
func render(_ table: ExportTable, format: String) -> String {
    switch format {
    case "json":
        return jsonText(table)
    case "markdown":
        var text = "| " + table.columns.joined(separator: " | ") + " |\n"
        text += "|" + table.columns.map { _ in "---|" }.joined() + "\n"
        for row in table.rows {
            let cells = row.map {
                $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r\n", with: "<br>")
                    .replacingOccurrences(of: "\n", with: "<br>").replacingOccurrences(of: "\r", with: "<br>")
            }
            text += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return text
    default:
        return table.csv
    }
}

func jsonText(_ table: ExportTable) -> String {
    var text = "[\n"
    for (index, row) in table.rows.enumerated() {
        let members = zip(table.columns, row).map { "\(jsonStringLiteral($0)): \(jsonStringLiteral($1))" }
        text += "  {" + members.joined(separator: ", ") + "}" + (index + 1 < table.rows.count ? ",\n" : "\n")
    }
    return text + "]\n"
}
