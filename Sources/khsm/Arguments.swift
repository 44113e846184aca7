import Foundation

/// Exit codes: success, failure of the work, and bad usage (as sysexits' EX_USAGE).
enum ExitCode {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 64
}

/// A command line that does not fit the command; printed with the usage line.
struct UsageError: Error {
    let message: String
}

/// A failure that the command already described; carries the exit code.
struct CommandFailure: Error {
    let message: String
    var code: Int32 = ExitCode.failure
}

/// One option of a command.
struct OptionSpec {
    let name: String
    /// Placeholder for the value, or nil for a flag.
    let value: String?
    let help: String
    var repeatable = false
}

/// Options, usage line and help text of one command.
struct CommandSpec {
    let name: String
    let usage: String
    let summary: String
    let options: [OptionSpec]
    var details: String = ""

    var help: String {
        var text = "usage: \(usage)\n\n\(summary)\n"
        if !options.isEmpty {
            text += "\noptions:\n"
            for option in options {
                let label = "--\(option.name)" + (option.value.map { " \($0)" } ?? "")
                text += "  " + label.padding(toLength: max(label.count + 2, 26), withPad: " ", startingAt: 0)
                    + option.help + "\n"
            }
            text += "  " + "--help".padding(toLength: 26, withPad: " ", startingAt: 0) + "show this help\n"
        }
        if !details.isEmpty { text += "\n" + details + "\n" }
        return text
    }
}

/// A parsed command line: option values by name, flags, and positional arguments.
struct ParsedArguments {
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    var wantsHelp = false

    func value(_ name: String) -> String? { values[name]?.last }
    func has(_ name: String) -> Bool { flags.contains(name) }
}

/// Parses `--name value`, `--name=value`, flags, `--` and positionals against `spec`.
func parseArguments(_ arguments: [String], spec: CommandSpec) throws -> ParsedArguments {
    var parsed = ParsedArguments()
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
        let argument = arguments[index]
        index += 1
        if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
            parsed.positionals.append(argument)
            continue
        }
        if argument == "--" {
            optionsEnded = true
            continue
        }
        if argument == "--help" || argument == "-h" {
            parsed.wantsHelp = true
            continue
        }
        guard argument.hasPrefix("--") else {
            throw UsageError(message: "unknown option '\(argument)'")
        }
        var name = String(argument.dropFirst(2))
        var inlineValue: String?
        if let equals = name.firstIndex(of: "=") {
            inlineValue = String(name[name.index(after: equals)...])
            name = String(name[..<equals])
        }
        guard let option = spec.options.first(where: { $0.name == name }) else {
            let known = spec.options.map { "--\($0.name)" }.joined(separator: ", ")
            throw UsageError(message: "unknown option '--\(name)'" + (known.isEmpty ? "" : "; options are \(known)"))
        }
        if option.value == nil {
            guard inlineValue == nil else {
                throw UsageError(message: "option '--\(name)' takes no value")
            }
            parsed.flags.insert(name)
            continue
        }
        let value: String
        if let inlineValue {
            value = inlineValue
        } else {
            guard index < arguments.count else {
                throw UsageError(message: "option '--\(name)' needs a value (\(option.value!))")
            }
            value = arguments[index]
            index += 1
        }
        if parsed.values[name] != nil && !option.repeatable {
            throw UsageError(message: "option '--\(name)' is given twice")
        }
        parsed.values[name, default: []].append(value)
    }
    return parsed
}

/// Resolves the database path: --db, then $KHSM_DB, then ./khsm.sqlite.
func databasePath(_ arguments: ParsedArguments) -> String {
    if let path = arguments.value("db") { return path }
    if let path = ProcessInfo.processInfo.environment["KHSM_DB"], !path.isEmpty { return path }
    return "khsm.sqlite"
}

let databaseOption = OptionSpec(name: "db", value: "PATH",
    help: "database file (default: $KHSM_DB, then ./khsm.sqlite)")

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// True when standard error is a terminal, so progress lines may be drawn there.
var standardErrorIsTerminal: Bool { isatty(2) == 1 }
