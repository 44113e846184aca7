import Foundation
import XCTest
@testable import KHSMCore

final class BatchInsertTests: XCTestCase {
    private var path: String!

    override func setUpWithError() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("khsm-batch-\(UUID().uuidString).sqlite").path
    }

    override func tearDownWithError() throws {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    func testRowsStoredAcrossBatches() throws {
        let database = try Database(path: path, create: true)
        try database.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT, amount REAL)")
        let long = String(repeating: "x", count: 20_000)
        var expected: [(Int, String?, Double?)] = []
        // A NULL, an empty text, a text longer than the statement's copy buffer, and a NULL amount.
        let specialTexts: [Int: String?] = [5: nil, 6: "", 40: long]
        for id in 1...70 {
            let text = specialTexts[id] ?? "row \(id)"
            let amount: Double? = id == 7 ? nil : Double(id) / 4
            expected.append((id, text, amount))
        }

        try database.transaction {
            let insert = try BatchInsert(database: database, table: "t", columns: ["id", "text", "amount"],
                rowsPerStatement: 32)
            for (id, text, amount) in expected {
                try insert.add { row in
                    try row.bind(Int64(id), 1)
                    try row.bind(text, 2)
                    try row.bind(amount, 3)
                }
            }
            try insert.finish()
        }

        let rows = try database.rows("SELECT id, text, amount FROM t ORDER BY id")
        XCTAssertEqual(rows.count, expected.count)
        for (row, (id, text, amount)) in zip(rows, expected) {
            XCTAssertEqual(row.int(0), id)
            XCTAssertEqual(row[1], text.map { .text($0) } ?? .null, "text of row \(id)")
            XCTAssertEqual(row.double(2), amount, "amount of row \(id)")
        }
    }
}
