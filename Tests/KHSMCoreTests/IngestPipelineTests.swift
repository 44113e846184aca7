import Foundation
import XCTest
@testable import KHSMCore

/// Ingest reads and cleanses on one thread and stores on another. These tests check that the
/// outcome is what a single pass would give, for files of many batches.
final class IngestPipelineTests: XCTestCase {
    private var directory: URL!
    private let header = "FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit"

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("khsm-ingest-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, records: [String]) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try ([header] + records).joined(separator: "\n").appending("\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func record(_ index: Int) -> String {
        let fpf = String(format: "2023250400%06d", index)
        return "\(fpf),03/14/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,1.5,KG"
    }

    private func options() -> IngestOptions {
        IngestOptions(agency: .cbp, extractedOn: CalendarDate(year: 2024, month: 10, day: 20)!)
    }

    func testManyBatchesStoredInOrder() throws {
        let count = CleansingPipeline.batchSize * 3 + 17
        var records = (1...count).map(record)
        records[100] = ""
        let path = try write("cbp.csv", records: records)
        let database = try initializeDatabase(path: directory.appendingPathComponent("db.sqlite").path)

        let summary = try ingest(database: database, path: path, options: options())

        XCTAssertEqual(summary.recordsRead, count)
        XCTAssertEqual(summary.blank, 1)
        XCTAssertEqual(summary.accepted, count - 1)
        let lines = try database.rows("SELECT line FROM line_item ORDER BY line").map { $0.int(0)! }
        XCTAssertEqual(lines, Array(2...(count + 1)))
        let stored = try database.rows("SELECT raw FROM source_record ORDER BY line").map { $0.string(0)! }
        XCTAssertEqual(stored, records)
        var digest = SHA256()
        for (offset, raw) in records.enumerated() {
            updateRecordsHash(&digest, line: offset + 2, raw: raw)
        }
        let recordsSHA256 = try database.row("SELECT records_sha256 FROM extract")?.string(0)
        XCTAssertEqual(recordsSHA256, hexString(digest.finalize()))
    }

    func testBadRecordInLaterBatchStoresNothing() throws {
        var records = (1...(CleansingPipeline.batchSize * 2 + 5)).map(record)
        records[CleansingPipeline.batchSize + 3] = "2023250400999999,03/14/2024,OFO"
        let path = try write("cbp.csv", records: records)
        let database = try initializeDatabase(path: directory.appendingPathComponent("db.sqlite").path)

        XCTAssertThrowsError(try ingest(database: database, path: path, options: options())) { error in
            let ingestError = error as? IngestError
            XCTAssertEqual(ingestError?.line, CleansingPipeline.batchSize + 5)
        }
        XCTAssertEqual(try database.row("SELECT count(*) FROM source_record")?.int(0), 0)
        XCTAssertEqual(try database.row("SELECT count(*) FROM line_item")?.int(0), 0)
        XCTAssertEqual(try database.row("SELECT count(*) FROM extract")?.int(0), 0)
    }

    func testSameFileTwiceRejected() throws {
        let path = try write("cbp.csv", records: (1...50).map(record))
        let database = try initializeDatabase(path: directory.appendingPathComponent("db.sqlite").path)
        _ = try ingest(database: database, path: path, options: options())

        XCTAssertThrowsError(try ingest(database: database, path: path, options: options())) { error in
            XCTAssertEqual((error as? DuplicateExtractError)?.earlierExtractID, 1)
        }
        XCTAssertEqual(try database.row("SELECT count(*) FROM extract")?.int(0), 1)
        XCTAssertEqual(try database.row("SELECT count(*) FROM source_record")?.int(0), 50)
    }

    func testDuplicateWinsOverLaterError() throws {
        // The same bytes under a layout that no longer matches: the duplicate is reported, as
        // it was when the file was hashed before anything else.
        let path = try write("cbp.csv", records: (1...10).map(record))
        let database = try initializeDatabase(path: directory.appendingPathComponent("db.sqlite").path)
        _ = try ingest(database: database, path: path, options: options())
        var iceOptions = options()
        iceOptions.agency = .ice

        XCTAssertThrowsError(try ingest(database: database, path: path, options: iceOptions)) { error in
            XCTAssertTrue(error is DuplicateExtractError, "\(error)")
        }
    }

    func testChannelKeepsOrderAndStopsOnCancel() {
        let channel = BoundedChannel<Int>(capacity: 2)
        let sent = DispatchSemaphore(value: 0)
        let thread = Thread {
            for value in 0..<100 {
                guard channel.send(value) else { break }
            }
            channel.close()
            sent.signal()
        }
        thread.start()
        var received: [Int] = []
        for _ in 0..<10 {
            received.append(channel.receive()!)
        }
        channel.cancel()
        sent.wait()
        XCTAssertEqual(received, Array(0..<10))
    }
}
