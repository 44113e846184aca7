import Foundation
import XCTest
@testable import KHSMCore

/// The library side of `khsm sql`: parameter values, the statement policy and the writers.
final class ReadOnlyQueryTests: XCTestCase {
    /// Collects everything a writer outputs.
    private final class Collector {
        var text = ""
        func append(_ part: String) { text += part }
    }

    /// An in-memory database with one table, opened read-write so that only the policy stops
    /// writes.
    private func writableDatabase() throws -> Database {
        let database = try Database(path: ":memory:", create: true)
        try database.execute("CREATE TABLE item (name TEXT); INSERT INTO item VALUES ('a'), ('b');")
        return database
    }

    private func run(_ sql: String, on database: Database) throws -> String {
        let collector = Collector()
        try runReadOnlyQuery(sql, on: database, options: QueryOptions(),
            writer: CSVResultWriter(output: collector.append))
        return collector.text
    }

    func testParameterValueTypes() {
        let cases: [(String, SQLValue)] = [
            ("2024", .integer(2024)),
            ("-7", .integer(-7)),
            ("0", .integer(0)),
            ("1.5", .real(1.5)),
            ("-0.25", .real(-0.25)),
            ("2e3", .real(2000)),
            ("0123", .text("0123")),
            ("+5", .text("+5")),
            ("1.", .text("1.")),
            ("2024-01-01", .text("2024-01-01")),
            ("inf", .text("inf")),
            ("99999999999999999999", .text("99999999999999999999")),
            ("", .text("")),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(parameterValue(text), expected, "--param value '\(text)'")
        }
    }

    func testImmutableURIEscapesPath() {
        XCTAssertEqual(immutableURI("/tmp/a b?#%.db"), "file:/tmp/a%20b%3F%23%25.db?mode=ro&immutable=1")
    }

    func testPolicyRejectsWriteOnWritableConnection() throws {
        let database = try writableDatabase()
        XCTAssertThrowsError(try run("DELETE FROM item", on: database)) { error in
            XCTAssertTrue("\(error)".contains("writes to the table 'item'"), "\(error)")
        }
        XCTAssertEqual(try database.row("SELECT count(*) FROM item")?.int(0), 2)
    }

    func testPolicyRejectsHiddenSecondWrite() throws {
        let database = try writableDatabase()
        let collector = Collector()
        XCTAssertThrowsError(try runReadOnlyQuery("SELECT name FROM item; DELETE FROM item", on: database,
            options: QueryOptions(), writer: CSVResultWriter(output: collector.append)))
        XCTAssertEqual(collector.text, "")
        XCTAssertEqual(try database.row("SELECT count(*) FROM item")?.int(0), 2)
    }

    func testNulCharacterIsRejected() throws {
        let database = try writableDatabase()
        XCTAssertThrowsError(try run("SELECT 1;\u{0}DELETE FROM item", on: database)) { error in
            XCTAssertTrue("\(error)".contains("NUL character"), "\(error)")
        }
        XCTAssertEqual(try database.row("SELECT count(*) FROM item")?.int(0), 2)
    }

    func testPolicyAcceptsTemporaryTable() throws {
        let database = try writableDatabase()
        let output = try run("CREATE TEMP TABLE copy AS SELECT name FROM item; SELECT count(*) AS n FROM copy",
            on: database)
        XCTAssertEqual(output, "n\n2\n")
    }

    func testPolicyRejectsSettingPragma() throws {
        let database = try writableDatabase()
        XCTAssertThrowsError(try run("PRAGMA foreign_keys = OFF", on: database)) { error in
            XCTAssertTrue("\(error)".contains("PRAGMA foreign_keys = OFF is not accepted"), "\(error)")
        }
        XCTAssertEqual(try database.row("PRAGMA foreign_keys")?.int(0), 1)
    }

    func testRunEndsItsTransaction() throws {
        let database = try writableDatabase()
        XCTAssertThrowsError(try run("SELECT 1; DELETE FROM item", on: database))
        XCTAssertNoThrow(try database.execute("BEGIN; ROLLBACK"))
        XCTAssertEqual(try run("SELECT count(*) AS n FROM item", on: database), "n\n2\n")
        XCTAssertNoThrow(try database.execute("BEGIN; ROLLBACK"))
    }

    func testCSVWriterQuotesFields() {
        let collector = Collector()
        let writer = CSVResultWriter(output: collector.append)
        writer.beginResult(columns: ["a", "b,c"])
        writer.writeRow([.text("x\"y"), .null])
        writer.writeRow([.real(0.5), .integer(3)])
        writer.endResult()
        XCTAssertEqual(collector.text, "a,\"b,c\"\n\"x\"\"y\",\n0.5,3\n")
    }

    func testJSONWriterEscapesAndInfinity() {
        let collector = Collector()
        let writer = JSONResultWriter(output: collector.append)
        writer.beginResult(columns: ["t", "x"])
        writer.writeRow([.text("a\nb\u{1}"), .real(-.infinity)])
        writer.endResult()
        XCTAssertEqual(collector.text, "[\n  {\"t\": \"a\\nb\\u0001\", \"x\": \"-Infinity\"}\n]\n")
    }

    func testTableWriterCutsLongValues() {
        let collector = Collector()
        let writer = TableResultWriter(maximumWidth: 10, output: collector.append)
        writer.beginResult(columns: ["text"])
        writer.writeRow([.text("abcdefghijklmnop")])
        writer.endResult()
        XCTAssertEqual(collector.text, "text\n----------\nabcdefghi…\n(1 row)\n")
    }

    func testTableWriterShowsLineBreaks() {
        let collector = Collector()
        let writer = TableResultWriter(output: collector.append)
        writer.beginResult(columns: ["raw"])
        writer.writeRow([.text("a\tb\nc")])
        writer.writeRow([.null])
        writer.endResult()
        XCTAssertEqual(collector.text, "raw\n-------\na\\tb\\nc\nNULL\n(2 rows)\n")
    }
}
