import Foundation
import KHSMCore
import XCTest

/// An ingest killed halfway, read while it runs, or run beside another: the database holds
/// either all of an extract or none of it, and stays sound.
final class CrashAndConcurrencyTests: KhsmTestCase {
    func testKilledIngestLeavesDatabaseUnchanged() throws {
        let before = try prepareDatabase()
        let digestBefore = try contentDigest()
        let path = try write(bytes: largeCBPExtract(records: 300_000), to: "large.csv")

        let process = try startKhsm(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", path],
            outputName: "killed")
        let walPath = databasePath + "-wal"
        // Uncommitted pages reach the -wal file once they overflow SQLite's page cache.
        let writing = waitUntil(seconds: 120) { fileSize(walPath) > 4 << 20 || !process.isRunning }
        XCTAssertTrue(writing, "the ingest did not start writing within 120 s")
        XCTAssertTrue(process.isRunning, "the ingest finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(process.terminationStatus, SIGKILL)

        XCTAssertEqual(permissions(walPath), 0o600, "the -wal file left by the killed ingest")
        XCTAssertEqual(permissions(databasePath + "-shm"), 0o600, "the -shm file left by the killed ingest")
        XCTAssertEqual(try integrityCheck(), "ok")
        XCTAssertEqual(try storedCounts(), before)
        XCTAssertEqual(try contentDigest(), digestBefore)

        let next = try write(lines: [cbpHeader, cbpRecord("2023250400012301")], to: "next.csv")
        XCTAssertEqual(try ingestCBP(next).status, 0)
        XCTAssertEqual(try storedCounts().extracts, before.extracts + 1)
    }

    func testFileGrowingDuringIngestRejected() throws {
        let before = try prepareDatabase()
        let path = try write(bytes: largeCBPExtract(records: 60_000), to: "growing.csv")
        let process = try startKhsm(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", path],
            outputName: "growing")
        // The -wal file grows once the records are being stored, after the first SHA-256 pass.
        let writing = waitUntil(seconds: 60) { fileSize(databasePath + "-wal") > 1 << 20 || !process.isRunning }
        let appender = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try appender.seekToEnd()
        try appender.write(contentsOf: Data((cbpRecord("2025250400012301") + "\n").utf8))
        try appender.close()
        process.waitUntilExit()

        let stderr = standardError(ofOutputName: "growing")
        XCTAssertTrue(writing, "the ingest did not start writing within 60 s")
        XCTAssertEqual(process.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.contains("growing.csv: the file changed while it was read"), stderr)
        XCTAssertEqual(try storedCounts(), before)
    }

    func testReaderSeesBeforeOrAfterIngest() throws {
        let before = try prepareDatabase()
        let records = 40_000
        let path = try write(bytes: largeCBPExtract(records: records), to: "large.csv")
        let after = StoredCounts(extracts: before.extracts + 1, sourceRecords: before.sourceRecords + records,
            lineItems: before.lineItems + records)

        let reader = try openTestDatabase(readOnly: true)
        let process = try startKhsm(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", path],
            outputName: "ingest")
        var samples: [StoredCounts] = []
        while process.isRunning {
            samples.append(try storedCounts(reader))
            usleep(20_000)
        }
        process.waitUntilExit()
        samples.append(try storedCounts(reader))

        XCTAssertEqual(process.terminationStatus, 0, standardError(ofOutputName: "ingest"))
        XCTAssertGreaterThan(samples.count, 10, "too few reads during the ingest to show anything")
        XCTAssertEqual(samples.filter { $0 != before && $0 != after }, [], "a read saw part of an ingest")
        XCTAssertEqual(samples.last, after)
    }

    func testConcurrentIngestsBothStored() throws {
        let before = try prepareDatabase()
        let first = try write(bytes: largeCBPExtract(records: 15_000), to: "first.csv")
        let second = try write(bytes: largeCBPExtract(records: 15_000, firstFPF: 2024_2504_0000_0000), to: "second.csv")

        let processes = try [first, second].enumerated().map { index, path in
            try startKhsm(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", path], outputName: "ingest\(index)")
        }
        processes.forEach { $0.waitUntilExit() }

        XCTAssertEqual(processes[0].terminationStatus, 0, standardError(ofOutputName: "ingest0"))
        XCTAssertEqual(processes[1].terminationStatus, 0, standardError(ofOutputName: "ingest1"))
        XCTAssertEqual(try storedCounts(), StoredCounts(extracts: before.extracts + 2,
            sourceRecords: before.sourceRecords + 30_000, lineItems: before.lineItems + 30_000))
        XCTAssertEqual(try query("SELECT file_name, record_count FROM extract WHERE extract_id > 1 ORDER BY file_name"),
            ["first.csv|15000", "second.csv|15000"])
        XCTAssertEqual(try integrityCheck(), "ok")
    }

    func testHeldWriteLockFailsClearly() throws {
        let before = try prepareDatabase()
        let path = try write(lines: [cbpHeader, cbpRecord("2023250400012301")], to: "small.csv")
        let holder = try openTestDatabase()
        try holder.execute("BEGIN IMMEDIATE")

        let result = try ingestCBP(path, ["--wait", "1"])
        try holder.execute("ROLLBACK")

        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("another process is writing to \(databasePath); waiting up to 1 seconds"),
            result.stderr)
        XCTAssertTrue(result.stderr.contains("error: the database \(databasePath) is locked"), result.stderr)
        XCTAssertTrue(result.stderr.contains("did not release it within 1 seconds"), result.stderr)
        XCTAssertTrue(result.stderr.contains("raise --wait"), result.stderr)
        XCTAssertEqual(try storedCounts(), before)
        XCTAssertEqual(try ingestCBP(path).status, 0)
    }

    func testIngestWaitsForReleasedLock() throws {
        let before = try prepareDatabase()
        let path = try write(lines: [cbpHeader, cbpRecord("2023250400012301")], to: "small.csv")
        let holder = try openTestDatabase()
        try holder.execute("BEGIN IMMEDIATE")
        let released = expectation(description: "lock released")
        DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) {
            try? holder.execute("ROLLBACK")
            released.fulfill()
        }

        let result = try ingestCBP(path)
        wait(for: [released], timeout: 10)

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("waiting up to 600 seconds for its write lock"), result.stderr)
        XCTAssertEqual(try storedCounts(), StoredCounts(extracts: before.extracts + 1,
            sourceRecords: before.sourceRecords + 1, lineItems: before.lineItems + 1))
    }

    func testSameFileAtOnceStoredOnce() throws {
        let before = try prepareDatabase()
        let path = try write(lines: [cbpHeader, cbpRecord("2023250400012301")], to: "twice.csv")
        let holder = try openTestDatabase()
        try holder.execute("BEGIN IMMEDIATE")

        let processes = try (0..<2).map { index in
            try startKhsm(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", path], outputName: "run\(index)")
        }
        // Both runs pass the first duplicate check and wait for the lock before it is released.
        let bothWaiting = waitUntil(seconds: 60) {
            (0..<2).allSatisfy { standardError(ofOutputName: "run\($0)").contains("waiting up to") }
        }
        try holder.execute("ROLLBACK")
        processes.forEach { $0.waitUntilExit() }

        XCTAssertTrue(bothWaiting, "the two ingests did not both wait for the lock")
        XCTAssertEqual(processes.map(\.terminationStatus).sorted(), [0, 1])
        let errors = (0..<2).map { standardError(ofOutputName: "run\($0)") }.joined()
        XCTAssertTrue(errors.contains("twice.csv: this file was already ingested as extract 2 ('twice.csv'"), errors)
        XCTAssertEqual(try storedCounts(), StoredCounts(extracts: before.extracts + 1,
            sourceRecords: before.sourceRecords + 1, lineItems: before.lineItems + 1))
    }
}
