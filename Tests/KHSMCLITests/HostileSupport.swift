import Foundation
import KHSMCore
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Row counts of the tables that an ingest writes.
struct StoredCounts: Equatable, CustomStringConvertible {
    var extracts: Int
    var sourceRecords: Int
    var lineItems: Int

    var description: String {
        "extract \(extracts), source_record \(sourceRecords), line_item \(lineItems)"
    }
}

let cbpHeader = "FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit"
let iceHeader = "SEACATS FPF #,Seizure Dt,SAC Office,Property Type,Quantity,UOM,Value USD"

/// A CBP record in the default layout.
func cbpRecord(_ fpf: String, date: String = "03/14/2024", aor: String = "SAN DIEGO FIELD OFFICE",
    commodity: String = "Fentanyl", quantity: String = "1.5", unit: String = "LBS") -> String
{
    "\(fpf),\(date),OFO,\(aor),\(commodity),\(quantity),\(unit)"
}

/// CBP extract text with `count` distinct fentanyl records, one per FPF from `firstFPF` on.
func largeCBPExtract(records count: Int, firstFPF: Int = 2023_2504_0000_0000) -> [UInt8] {
    var bytes = Array((cbpHeader + "\n").utf8)
    bytes.reserveCapacity(count * 75 + bytes.count)
    for index in 0..<count {
        let line = "\(firstFPF + index),03/14/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,\(index % 100).5,LBS\n"
        bytes.append(contentsOf: line.utf8)
    }
    return bytes
}

extension KhsmTestCase {
    /// Opens the test database with a new connection.
    func openTestDatabase(readOnly: Bool = false) throws -> Database {
        try Database(path: databasePath, readOnly: readOnly)
    }

    /// Row counts of extract, source_record and line_item, read in one snapshot.
    func storedCounts(_ database: Database? = nil) throws -> StoredCounts {
        let connection = try database ?? openTestDatabase(readOnly: true)
        let row = try connection.row("""
            SELECT (SELECT count(*) FROM extract), (SELECT count(*) FROM source_record),
                (SELECT count(*) FROM line_item)
            """)!
        return StoredCounts(extracts: row.int(0)!, sourceRecords: row.int(1)!, lineItems: row.int(2)!)
    }

    /// Rows of one query, each as its values joined by "|" (NULL as "∅").
    func query(_ sql: String) throws -> [String] {
        try openTestDatabase(readOnly: true).rows(sql).map { row in
            row.values.map { $0.textValue ?? "∅" }.joined(separator: "|")
        }
    }

    /// SHA-256 over the schema and every row of every table, in each table's scan order.
    func contentDigest() throws -> String {
        let database = try openTestDatabase(readOnly: true)
        var hasher = SHA256()
        let tables = try database.rows(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        for table in tables {
            let name = table.string(0)!
            hasher.update(Array("table \(name)\n\(table.string(1) ?? "")\n".utf8))
            let statement = try database.prepare("SELECT * FROM \"\(name)\"")
            while let row = try statement.step() {
                let text = row.values.map { value -> String in
                    switch value {
                    case .null: return "N"
                    case .integer(let number): return "I\(number)"
                    case .real(let number): return "R\(number.bitPattern)"
                    case .text(let text): return "T\(text.utf8.count):\(text)"
                    }
                }.joined(separator: ",")
                hasher.update(Array((text + "\n").utf8))
            }
        }
        return hexString(hasher.finalize())
    }

    /// Result of `PRAGMA integrity_check`: "ok" for a sound database.
    func integrityCheck() throws -> String {
        try openTestDatabase().rows("PRAGMA integrity_check").compactMap { $0.string(0) }
            .joined(separator: "\n")
    }

    /// Writes `lines`, each ended by LF, to a file of the test directory and returns its path.
    @discardableResult
    func write(lines: [String], to name: String) throws -> String {
        try write(lines.joined(separator: "\n") + "\n", to: name)
    }

    /// Runs `khsm ingest` of a CBP extract with the usual extraction date.
    @discardableResult
    func ingestCBP(_ path: String, _ options: [String] = []) throws -> RunResult {
        try khsm(["ingest", "--agency", "cbp", "--extracted", "2024-10-20"] + options + [path])
    }

    /// Creates the test database and ingests a small extract, so that later checks compare
    /// against stored content; returns the counts after it.
    @discardableResult
    func prepareDatabase() throws -> StoredCounts {
        try initDatabase()
        let baseline = try write(
            [cbpHeader, cbpRecord("2023250400099901"), cbpRecord("2023250400099902", quantity: "2")]
                .joined(separator: "\n") + "\n",
            to: "baseline.csv")
        try khsmSucceeds(["ingest", "--agency", "cbp", "--extracted", "2024-10-01", baseline])
        return try storedCounts()
    }

    var khsmBinary: URL { packageRoot.appendingPathComponent(".build/debug/khsm") }

    /// Starts `khsm` without waiting for it; its output goes to `name.out` and `name.err` in the
    /// test directory.
    func startKhsm(_ arguments: [String], outputName name: String) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: khsmBinary.path) else {
            throw XCTSkip("the khsm binary is not built at \(khsmBinary.path); run 'swift build' first")
        }
        let process = Process()
        process.executableURL = khsmBinary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["KHSM_DB"] = databasePath
        process.environment = environment
        let out = directory.appendingPathComponent(name + ".out")
        let err = directory.appendingPathComponent(name + ".err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// What a process started by `startKhsm` wrote to its standard error so far.
    func standardError(ofOutputName name: String) -> String {
        let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name + ".err").path)
        return String(decoding: data ?? Data(), as: UTF8.self)
    }

    /// Polls `condition` every 10 ms until it is true or `seconds` pass; returns whether it became true.
    func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(10_000)
        }
        return try condition()
    }

    /// Size in bytes of a file of the test directory, 0 when it does not exist.
    func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// POSIX permission bits of a file, or nil when it does not exist.
    func permissions(_ path: String) -> Int? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue
    }

    /// Runs `khsm` and returns its exit status, its standard error and its peak resident memory
    /// in KiB (VmHWM in /proc/PID/status, read every 2 ms until the process exits).
    ///
    /// `wait4`'s ru_maxrss does not serve here: Linux carries the peak of the spawning process,
    /// this test runner, into the child at exec.
    func khsmMeasuringMemory(_ arguments: [String]) throws -> (status: Int32, stderr: String, maxResidentKiB: Int) {
        guard FileManager.default.isExecutableFile(atPath: khsmBinary.path) else {
            throw XCTSkip("the khsm binary is not built at \(khsmBinary.path); run 'swift build' first")
        }
        guard FileManager.default.fileExists(atPath: "/proc/self/status") else {
            throw XCTSkip("measuring memory needs /proc/PID/status")
        }
        let errPath = directory.appendingPathComponent("measured.err").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = ([khsmBinary.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment["KHSM_DB"] = databasePath
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, khsmBinary.path, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw NSError(domain: "posix_spawn", code: Int(spawned))
        }
        // The process stays a zombie until it is waited for, so the loop ends before the pid is reused.
        var peak = 0
        while let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) {
            let fields = Dictionary(status.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }, uniquingKeysWith: { first, _ in first })
            if fields["State"]?.hasPrefix("Z") ?? true { break }
            // Before exec, the child still shares the test runner's memory under the runner's name.
            if fields["Name"] == "khsm", let text = fields["VmHWM"]?.split(separator: " ").first, let kib = Int(text) {
                peak = max(peak, kib)
            }
            usleep(2_000)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return (exitStatus, stderr, peak)
    }
}
