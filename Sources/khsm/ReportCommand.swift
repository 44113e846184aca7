import KHSMCore

enum ReportCommand: Command {
    static let spec = CommandSpec(
        name: "report",
        usage: "khsm report --release NAME [--db PATH] [--output FILE.html]",
        summary: "Write a release as one self-contained HTML page: headline figures, charts, the published table, changes, data quality and method.",
        options: [
            databaseOption,
            OptionSpec(name: "release", value: "NAME", help: "release to report"),
            OptionSpec(name: "output", value: "FILE", help: "write to FILE (atomically) instead of standard output"),
        ],
        details: "The page holds only published (rounded) values. It has inline CSS and SVG charts, no\nscripts, and loads nothing from the network, so it can be opened offline or archived.")

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw UsageError(message: "unexpected argument '\(arguments.positionals[0])'")
        }
        guard let releaseName = arguments.value("release") else {
            throw UsageError(message: "missing --release NAME")
        }
        let database = try openDatabase(path: databasePath(arguments), readOnly: true)
        let report = try ReleaseReport.load(database, name: releaseName)
        try writeOutput(renderReportHTML(report), to: arguments.value("output"))
    }
}
