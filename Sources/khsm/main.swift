import Foundation
import KHSMCore

/// Subcommands by their words on the command line.
let commands: [(words: [String], type: any Command.Type)] = [
    (["init"], InitCommand.self),
    (["ingest"], IngestCommand.self),
    (["reference", "load"], ReferenceLoadCommand.self),
    (["release", "create"], ReleaseCreateCommand.self),
    (["release", "show"], ReleaseShowCommand.self),
    (["release", "verify"], ReleaseVerifyCommand.self),
    (["release", "diff"], ReleaseDiffCommand.self),
    (["lineage"], LineageCommand.self),
    (["export"], ExportCommand.self),
    (["report"], ReportCommand.self),
    (["compare-published"], ComparePublishedCommand.self),
    (["demo"], DemoCommand.self),
    (["sql"], SQLCommand.self),
]

let overview = """
    khsm: the Fentanyl Disruption Seizures Key Homeland Security Metric, from CBP and ICE
    seizure extracts, on SQLite.

    usage: khsm COMMAND [OPTIONS]

    commands:
    \(commands.map { "  " + $0.type.spec.usage }.joined(separator: "\n"))

    Run 'khsm COMMAND --help' for the options of one command.
    """

func runMain() -> Int32 {
    let words = Array(CommandLine.arguments.dropFirst())
    if words.isEmpty || words == ["--help"] || words == ["-h"] || words == ["help"] {
        print(overview)
        return words.isEmpty ? ExitCode.usage : ExitCode.success
    }
    if words == ["--version"] {
        print("khsm method version \(methodVersion), schema version \(schemaVersion)")
        return ExitCode.success
    }
    let match = commands
        .filter { Array(words.prefix($0.words.count)) == $0.words }
        .max { $0.words.count < $1.words.count }
    guard let match else {
        let groups = commands.filter { $0.words.count > 1 && $0.words[0] == words[0] }
        let next = words.dropFirst().first
        if !groups.isEmpty && (next == nil || next == "--help" || next == "-h") {
            let text = "usage:\n" + groups.map { "  " + $0.type.spec.usage + "\n      " + $0.type.spec.summary }
                .joined(separator: "\n") + "\n\nRun 'khsm \(words[0]) COMMAND --help' for the options of one command."
            if next == nil {
                printError("error: '\(words[0])' needs a command: \(groups.map { $0.words[1] }.joined(separator: ", "))\n" + text)
                return ExitCode.usage
            }
            print(text)
            return ExitCode.success
        }
        if !groups.isEmpty {
            printError("error: '\(words.dropFirst().first ?? "")' is not a '\(words[0])' command; expected one of \(groups.map { $0.words[1] }.joined(separator: ", "))\nRun 'khsm --help' for the list of commands.")
        } else {
            printError("error: unknown command '\(words[0])'\nRun 'khsm --help' for the list of commands.")
        }
        return ExitCode.usage
    }
    return match.type.main(Array(words.dropFirst(match.words.count)))
}

exit(runMain())
