import Foundation
import KHSMCore

/// One subcommand: its spec for parsing and help, and its work.
protocol Command {
    static var spec: CommandSpec { get }
    static func run(_ arguments: ParsedArguments) throws
}

extension Command {
    /// Parses, prints help when asked, runs, and maps errors to messages and exit codes.
    static func main(_ words: [String]) -> Int32 {
        let arguments: ParsedArguments
        do {
            arguments = try parseArguments(words, spec: spec)
        } catch let error as UsageError {
            printUsageError(error.message, spec: spec)
            return ExitCode.usage
        } catch {
            printError("error: \(error)")
            return ExitCode.failure
        }
        if arguments.wantsHelp {
            print(spec.help, terminator: "")
            return ExitCode.success
        }
        do {
            try run(arguments)
            return ExitCode.success
        } catch let error as UsageError {
            printUsageError(error.message, spec: spec)
            return ExitCode.usage
        } catch let failure as CommandFailure {
            if !failure.message.isEmpty { printError("error: \(failure.message)") }
            return failure.code
        } catch {
            printError("error: \(error)")
            return ExitCode.failure
        }
    }
}

func printUsageError(_ message: String, spec: CommandSpec) {
    printError("error: \(message)\nusage: \(spec.usage)\nRun 'khsm \(spec.name) --help' for details.")
}

/// Parses a YYYY-MM-DD option value, or raises a usage error naming the option.
func dateOption(_ arguments: ParsedArguments, _ name: String) throws -> CalendarDate? {
    guard let text = arguments.value(name) else { return nil }
    guard let date = CalendarDate(iso: text) else {
        throw UsageError(message: "invalid --\(name) '\(text)'; expected a real calendar date as YYYY-MM-DD, such as 2024-10-20")
    }
    return date
}

/// Today's date in the local time zone.
func today() -> CalendarDate {
    let components = Calendar.current.dateComponents([.year, .month, .day], from: Date())
    return CalendarDate(year: components.year!, month: components.month!, day: components.day!)!
}

/// Writes `text` to --output (through a temporary file renamed into place, so that a reader
/// never sees half a file) or to standard output.
func writeOutput(_ text: String, to path: String?) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    let directory = (path as NSString).deletingLastPathComponent
    let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
        throw CommandFailure(message: "cannot write \(path); check that its folder exists and is writable.")
    }
    guard rename(temporary, path) == 0 else {
        unlink(temporary)
        throw CommandFailure(message: "cannot write \(path): \(String(cString: strerror(errno))).")
    }
}
