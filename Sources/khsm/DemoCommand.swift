import Foundation
import KHSMCore

enum DemoCommand: Command {
    static let spec = CommandSpec(
        name: "demo",
        usage: "khsm demo [--db PATH] [--from-public FILE] [--seed N] [--scale N] [--extracts-dir DIR] [--generate-only] [--quiet]",
        summary: "Generate a CBP and an ICE extract, ingest them into a new database, release them as 'demo' and print the table.",
        options: [
            databaseOption,
            OptionSpec(name: "from-public", value: "FILE", help: "build the CBP fentanyl seizures from CBP's public drug seizure statistics CSV"),
            OptionSpec(name: "seed", value: "N", help: "seed of the generator (default: 20241028)"),
            OptionSpec(name: "scale", value: "N", help: "multiply the number of seizures by N (default: 1)"),
            OptionSpec(name: "extracts-dir", value: "DIR", help: "folder for the generated CSV files (default: next to the database)"),
            OptionSpec(name: "generate-only", value: nil, help: "only write the two CSV files (named after the --db file), without building a database or a release"),
            OptionSpec(name: "quiet", value: nil, help: "no progress on stderr"),
        ],
        details: "The CBP extract is dated 2024-10-20, the ICE extract 2024-10-25, and the release 'demo'\n2024-10-28 for FY2023-FY2024. The same seed always gives the same files and table.")

    static let cbpExtracted = CalendarDate(year: 2024, month: 10, day: 20)!
    static let iceExtracted = CalendarDate(year: 2024, month: 10, day: 25)!
    static let releaseDate = CalendarDate(year: 2024, month: 10, day: 28)!
    static let fiscalYears = 2023...2024

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw UsageError(message: "unexpected argument '\(arguments.positionals[0])'")
        }
        let seed = try wholeNumber(arguments, "seed", default: 20_241_028)
        let scale = try wholeNumber(arguments, "scale", default: 1)
        guard scale >= 1 else { throw UsageError(message: "invalid --scale '\(scale)'; expected 1 or more") }
        let databasePath = databasePath(arguments)
        let generateOnly = arguments.has("generate-only")
        if !generateOnly && FileManager.default.fileExists(atPath: databasePath) {
            throw CommandFailure(message: "\(databasePath) already exists; the demo builds a new database. Remove it or pass another --db path.")
        }
        var publicEvents: [PublicFentanylEvent]?
        if let publicPath = arguments.value("from-public") {
            publicEvents = try readPublicEvents(path: publicPath)
        }

        let folder = arguments.value("extracts-dir")
            ?? ((databasePath as NSString).deletingLastPathComponent.isEmpty ? "." : (databasePath as NSString).deletingLastPathComponent)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stem = ((databasePath as NSString).lastPathComponent as NSString).deletingPathExtension
        let cbpPath = (folder as NSString).appendingPathComponent("\(stem)-cbp.csv")
        let icePath = (folder as NSString).appendingPathComponent("\(stem)-ice.csv")
        try DemoExtracts.write(cbpPath: cbpPath, icePath: icePath, seed: UInt64(seed),
            fiscalYears: fiscalYears, scale: scale, publicEvents: publicEvents)
        printError("generated \(cbpPath) and \(icePath)" + (publicEvents == nil ? "" : " (CBP fentanyl from \(arguments.value("from-public")!))"))
        if generateOnly { return }

        let database = try initializeDatabase(path: databasePath)
        let quiet = arguments.has("quiet")
        for (agency, path, extracted) in [(Agency.cbp, cbpPath, cbpExtracted), (.ice, icePath, iceExtracted)] {
            let progress = ProgressLine(enabled: !quiet && standardErrorIsTerminal)
            let summary = try ingest(database: database, path: path,
                options: IngestOptions(agency: agency, extractedOn: extracted)) { progress.show($0) }
            progress.finish()
            printError("ingested \(summary.fileName): \(summary.recordsRead) records, \(summary.accepted) accepted, \(summary.excludedTotal) excluded, \(summary.outOfScope) out of scope")
        }
        let created = try createRelease(database: database,
            request: ReleaseRequest(name: "demo", date: releaseDate, fiscalYears: fiscalYears))
        print("Fentanyl Disruption Seizures KHSM, release 'demo' (\(databasePath)), values rounded to the nearest 10\n")
        print(pivotTable(created.computation.cells), terminator: "")
        print("")
        print(try releaseDescription(database, name: "demo"), terminator: "")
        print("\nNext: khsm export table --release demo --db \(databasePath)")
    }

    static func wholeNumber(_ arguments: ParsedArguments, _ name: String, default value: Int) throws -> Int {
        guard let text = arguments.value(name) else { return value }
        guard let number = Int(text), number >= 0 else {
            throw UsageError(message: "invalid --\(name) '\(text)'; expected a whole number")
        }
        return number
    }

    /// Reads the fentanyl rows of CBP's public drug seizure statistics.
    static func readPublicEvents(path: String) throws -> [PublicFentanylEvent] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageError(message: "file '\(path)' not found; expected CBP's public drug seizure statistics CSV")
        }
        var reader = try CSVReader(path: path)
        guard let header = try reader.next() else {
            throw CommandFailure(message: "\(path): no header: the file is empty.")
        }
        var rows: [[String]] = []
        while let record = try reader.next() {
            if !record.isBlank { rows.append(record.fields) }
        }
        do {
            return try PublicStatistics.fentanylEvents(header: header.fields, rows: rows)
        } catch let error as PublicStatisticsError {
            throw CommandFailure(message: "\(path): \(error)")
        }
    }
}

/// The published table as one block per measure: fiscal year and quarter down, regions across.
func pivotTable(_ cells: [Cell]) -> String {
    var text = ""
    for measure in Measure.allCases {
        text += measure.rawValue + "\n"
        text += "  " + "FY/quarter".padding(toLength: 12, withPad: " ", startingAt: 0)
            + publishedRegions.map { leftPad($0, 12) }.joined() + "\n"
        let years = Array(Set(cells.map(\.fiscalYear))).sorted()
        for year in years {
            for quarter in publishedQuarters {
                let row = cells.filter { $0.fiscalYear == year && $0.quarter == quarter && $0.measure == measure }
                let values = publishedRegions.map { region in
                    leftPad(String(row.first { $0.region == region }?.published ?? 0), 12)
                }
                text += "  " + "\(year) \(quarter)".padding(toLength: 12, withPad: " ", startingAt: 0)
                    + values.joined() + "\n"
            }
        }
        text += "\n"
    }
    return text
}

func leftPad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
