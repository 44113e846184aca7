import Foundation
import KHSMCore

enum SQLCommand: Command {
    static let spec = CommandSpec(
        name: "sql",
        usage: "khsm sql [--db PATH] [--format table|csv|json] [--param NAME=VALUE]... [--timeout SECONDS] QUERY|-",
        summary: "Run read-only SQL on the database and print the result; '-' reads the query from standard input.",
        options: [
            databaseOption,
            OptionSpec(name: "format", value: "F",
                help: "table (default on a terminal), csv (default otherwise) or json"),
            OptionSpec(name: "param", value: "NAME=VALUE",
                help: "value of the parameter :NAME; repeat for each parameter", repeatable: true),
            OptionSpec(name: "timeout", value: "SECONDS",
                help: "stop the query after this many seconds in SQLite (default 30; 0 for no limit)"),
        ],
        details: """
            The database is opened read-only and every statement is checked before it runs:
            writes, schema changes, ATTACH, DETACH, VACUUM, BEGIN/COMMIT and pragmas that set
            values are rejected, and the database file stays byte-identical. SQLite may create
            empty -wal and -shm files next to it. All statements are checked before the first
            runs, unless one uses a temporary table that an earlier one creates. Temporary
            tables and views (CREATE TEMP TABLE ...) are accepted: they live in memory or a
            temporary file and vanish when the command ends. Several statements, separated by
            ';', run in one read transaction, so they read the same data.
            A parameter value that is an integer binds as INTEGER, a decimal number as REAL,
            anything else as TEXT. A parameter used but not given, or given but not used, is an
            error.
            table: aligned columns, NULL as NULL, values cut at 80 characters; it holds each
            result set in memory. csv and json: every row and every value, written as read;
            they hold one result set. NULL is an empty CSV field and a JSON null.
            docs/data-dictionary.md lists the views and their columns; docs/queries.md has
            examples. Exit status: 0 done, 1 rejected, failed or timed out, 64 usage error.
            """)

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw UsageError(message: arguments.positionals.isEmpty
                ? "missing the QUERY; give SQL in one argument, or '-' to read it from standard input"
                : "expected one QUERY argument, got \(arguments.positionals.count); quote the SQL as one argument")
        }
        let query = try queryText(arguments.positionals[0])
        var options = QueryOptions()
        options.parameters = try parameters(arguments.values["param"] ?? [])
        options.timeoutSeconds = try timeout(arguments.value("timeout"))
        let format = arguments.value("format") ?? (isatty(1) == 1 ? "table" : "csv")
        guard ["table", "csv", "json"].contains(format) else {
            throw UsageError(message: "unknown format '\(format)'; expected table, csv or json")
        }
        options.allowsSeveralResultSets = format == "table"

        let path = databasePath(arguments)
        let opened = try openDatabaseForQuery(path: path)
        if opened.isImmutable {
            printError("warning: \(path) is read as immutable, because SQLite cannot create its -shm file in that folder; results are inconsistent if another process writes to it meanwhile")
        }
        let output = BufferedStandardOutput()
        let writer: QueryResultWriter
        switch format {
        case "csv": writer = CSVResultWriter(output: output.write)
        case "json": writer = JSONResultWriter(output: output.write)
        default: writer = TableResultWriter(output: output.write)
        }
        defer { output.flush() }
        do {
            try runReadOnlyQuery(query, on: opened.database, options: options, writer: writer)
        } catch let error as QueryError where error.isUsageError {
            throw UsageError(message: error.description)
        }
    }

    /// Returns the query given as the argument, or read from standard input for '-'.
    static func queryText(_ argument: String) throws -> String {
        guard argument == "-" else { return argument }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw UsageError(message: "the query read from standard input is not valid UTF-8")
        }
        return text
    }

    /// Parses NAME=VALUE options into values by bare name, dropping a leading ':', '@' or '$'.
    static func parameters(_ assignments: [String]) throws -> [String: String] {
        var values: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw UsageError(message: "invalid --param '\(assignment)'; expected NAME=VALUE, such as fiscal_year=2024")
            }
            var name = String(assignment[..<equals])
            if let first = name.first, ":@$".contains(first) { name.removeFirst() }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw UsageError(message: "invalid --param '\(assignment)'; NAME must be letters, digits and '_', such as fiscal_year=2024")
            }
            guard values[name] == nil else {
                throw UsageError(message: "--param \(name) is given twice")
            }
            values[name] = String(assignment[assignment.index(after: equals)...])
        }
        return values
    }

    /// Parses --timeout into seconds: nil for no limit, and 30 when the option is absent.
    static func timeout(_ text: String?) throws -> Double? {
        guard let text else { return 30 }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else {
            throw UsageError(message: "invalid --timeout '\(text)'; expected a number of seconds, such as 30, or 0 for no limit")
        }
        return seconds == 0 ? nil : seconds
    }
}

/// Collects output and writes it to standard output in blocks of 64 KiB.
final class BufferedStandardOutput {
    private var buffer = Data()

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 65_536 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
