import Foundation
import XCTest

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The folder of shared example cases next to the package, or nil when it is absent.
func sharedFolder(_ relativePath: String) -> URL? {
    let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        .appendingPathComponent(relativePath)
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
}

/// What one run of the binary wrote and returned.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Standard output read on another thread; the dispatch group orders the write before the read.
private final class OutputBox: @unchecked Sendable {
    var data = Data()
}

/// Runs `executable` to completion, feeding `input` on standard input, and returns what it wrote.
func runProcess(_ executable: String, _ arguments: [String], input: String? = nil,
    environment: [String: String]? = nil, directory: URL? = nil) throws -> RunResult
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let stdout = Pipe()
    let stderr = Pipe()
    let stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    // Read both pipes before waiting, so that a full pipe cannot block the child.
    let output = OutputBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        output.data = stdout.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let errData = stderr.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus,
        stdout: String(decoding: output.data, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary directory per test, with helpers to write fixtures and run `khsm` in it.
class KhsmTestCase: XCTestCase {
    var directory: URL!

    /// The database of this test, passed to every run as --db unless the arguments name one.
    var databasePath: String { directory.appendingPathComponent("test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("khsm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Writes `text` to a file of the test directory and returns its path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Writes raw bytes to a file of the test directory and returns its path.
    @discardableResult
    func write(bytes: [UInt8], to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Runs the built `khsm` binary with `arguments` in the test directory.
    @discardableResult
    func khsm(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> RunResult {
        let binary = packageRoot.appendingPathComponent(".build/debug/khsm")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("the khsm binary is not built at \(binary.path); run 'swift build' first")
        }
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment["KHSM_DB"] = databasePath
        for (key, value) in environment { processEnvironment[key] = value }
        return try runProcess(binary.path, arguments, input: input, environment: processEnvironment,
            directory: directory)
    }

    /// Runs `khsm` and fails the test unless it exits 0.
    @discardableResult
    func khsmSucceeds(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let result = try khsm(arguments)
        XCTAssertEqual(result.status, 0, "khsm \(arguments.joined(separator: " ")) failed: \(result.stderr)",
            file: file, line: line)
        return result
    }

    /// Creates the test database.
    func initDatabase() throws {
        try khsmSucceeds(["init"])
    }
}
