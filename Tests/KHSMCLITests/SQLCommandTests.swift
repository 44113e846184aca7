import Foundation
import KHSMCore
import XCTest

/// `khsm sql`: output formats, parameters, the time limit, and that it never writes.
final class SQLCommandTests: KhsmTestCase {
    func testCSVIsDefaultWhenPiped() throws {
        try initDatabase()
        let result = try khsmSucceeds(["sql", "SELECT 1 AS one, 'a,b' AS text, NULL AS absent"])
        XCTAssertEqual(result.stdout, "one,text,absent\n1,\"a,b\",\n")
    }

    func testJSONKeepsTypes() throws {
        try initDatabase()
        let result = try khsmSucceeds(["sql", "--format", "json", "SELECT 1 AS n, 2.5 AS x, 'q\"' AS s, NULL AS z"])
        XCTAssertEqual(result.stdout, "[\n  {\"n\": 1, \"x\": 2.5, \"s\": \"q\\\"\", \"z\": null}\n]\n")
    }

    func testJSONEmptyResultIsEmptyArray() throws {
        try initDatabase()
        let result = try khsmSucceeds(["sql", "--format", "json", "SELECT * FROM releases"])
        XCTAssertEqual(result.stdout, "[]\n")
    }

    func testTableAlignsColumns() throws {
        try initDatabase()
        let result = try khsmSucceeds(["sql", "--format", "table", "SELECT 'Southwest' AS region, 12 AS n UNION ALL SELECT 'North', 1234"])
        let expected = """
            region     n
            ---------  ----
            Southwest    12
            North      1234
            (2 rows)

            """
        XCTAssertEqual(result.stdout, expected)
    }

    func testCSVIsUnlimited() throws {
        try initDatabase()
        let query = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i FROM n"
        let lines = try sqlCSV(query).split(separator: "\n")
        XCTAssertEqual(lines.count, 100_001)
        XCTAssertEqual(lines.last, "100000")
    }

    func testQueryFromStandardInput() throws {
        try initDatabase()
        let result = try khsm(["sql", "--format", "csv", "-"], input: "SELECT count(*) AS n FROM extracts;\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "n\n0\n")
    }

    func testParameterBindsByName() throws {
        try ingestSQLFixtures()
        let output = try sqlCSV("SELECT count(*) AS n FROM current_seizures WHERE fiscal_year = :fy AND quarter = :q",
            ["--param", "fy=2024", "--param", "q=Q2"])
        XCTAssertEqual(output, "n\n3\n")
    }

    func testParameterKeepsTextWithLeadingZeros() throws {
        try initDatabase()
        let output = try sqlCSV("SELECT typeof(:a) AS a, typeof(:b) AS b, typeof(:c) AS c, typeof(:d) AS d",
            ["--param", "a=0123", "--param", "b=12", "--param", "c=1.5", "--param", "d=2024-01-01"])
        XCTAssertEqual(output, "a,b,c,d\ntext,integer,real,text\n")
    }

    func testMissingParameterIsUsageError() throws {
        try initDatabase()
        let result = try khsm(["sql", "SELECT :fiscal_year"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains(":fiscal_year"), result.stderr)
        XCTAssertTrue(result.stderr.contains("--param fiscal_year=VALUE"), result.stderr)
    }

    func testUnusedParameterIsUsageError() throws {
        try initDatabase()
        let result = try khsm(["sql", "--param", "yaer=2024", "SELECT :year", "--param", "year=2024"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--param yaer is not used"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testPositionalParameterIsRejected() throws {
        try initDatabase()
        let result = try khsm(["sql", "SELECT ?"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("positional parameter"), result.stderr)
    }

    func testInvalidSQLNamesStatement() throws {
        try initDatabase()
        let result = try khsm(["sql", "SELECT 1; SELECT * FROM no_such_view"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("statement 2 is invalid: no such table: no_such_view"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testTimeoutStopsLongQuery() throws {
        try initDatabase()
        let started = Date()
        let result = try khsm(["sql", "--timeout", "0.5",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("stopped after 0.5 seconds"), result.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }

    func testSecondResultSetNeedsTable() throws {
        try initDatabase()
        let csv = try khsm(["sql", "--format", "csv", "SELECT 1 AS a; SELECT 2 AS b"])
        XCTAssertEqual(csv.status, 1)
        XCTAssertTrue(csv.stderr.contains("second result set"), csv.stderr)
        XCTAssertEqual(csv.stdout, "")
        let table = try khsmSucceeds(["sql", "--format", "table", "SELECT 1 AS a; SELECT 2 AS b"])
        XCTAssertEqual(table.stdout, "a\n-\n1\n(1 row)\n\nb\n-\n2\n(1 row)\n")
    }

    func testTemporaryTableIsAccepted() throws {
        try ingestSQLFixtures()
        let before = try databaseDigests()
        let output = try sqlCSV("""
            CREATE TEMP TABLE joint AS SELECT fpf FROM current_seizures WHERE is_joint = 1;
            INSERT INTO joint VALUES ('x');
            SELECT count(*) AS n FROM joint
            """)
        XCTAssertEqual(output, "n\n5\n")
        XCTAssertEqual(try databaseDigests(), before)
    }

    /// Each statement must be rejected before anything runs, and leave the files unchanged.
    func testWritesAreRejectedUnchanged() throws {
        try ingestSQLFixtures()
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        let copy = directory.appendingPathComponent("copy.sqlite").path
        let attempts = [
            "SELECT 1; DELETE FROM extract",
            "SELECT 1 AS a; UPDATE release SET name = 'x'",
            "INSERT INTO reference_version (digest, source, loaded_at) VALUES ('d', 's', 't')",
            "WITH x AS (SELECT 1) DELETE FROM line_item",
            "DROP VIEW extracts",
            "CREATE TABLE notes (text TEXT)",
            "CREATE INDEX ix ON extract (file_name)",
            "ALTER TABLE extract ADD COLUMN note TEXT",
            "ATTACH '\(copy)' AS copy",
            "ATTACH ':memory:' AS scratch",
            "DETACH temp",
            "PRAGMA journal_mode=DELETE",
            "PRAGMA user_version = 7",
            "PRAGMA wal_checkpoint(TRUNCATE)",
            "PRAGMA writable_schema = ON",
            "PRAGMA optimize",
            "VACUUM",
            "VACUUM INTO '\(copy)'",
            "REINDEX",
            "ANALYZE",
            "BEGIN IMMEDIATE",
            "CREATE TEMP TRIGGER t AFTER INSERT ON extract BEGIN SELECT 1; END",
            "CREATE TEMP TABLE t (x); SELECT 1 AS a; DELETE FROM extract",
            "SELECT load_extension('libm')",
        ]
        for attempt in attempts {
            let before = try databaseDigests()
            let result = try khsm(["sql", "--format", "csv", attempt])
            XCTAssertEqual(result.status, 1, "\(attempt): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("was rejected"), "\(attempt): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(attempt) ran before it was rejected")
            XCTAssertEqual(try databaseDigests(), before, "\(attempt) changed the database")
            XCTAssertFalse(FileManager.default.fileExists(atPath: copy), "\(attempt) wrote \(copy)")
        }
    }

    func testWriteRejectionNamesTable() throws {
        try initDatabase()
        let result = try khsm(["sql", "SELECT 1; DELETE FROM extract"])
        XCTAssertTrue(result.stderr.contains("statement 2 was rejected: it writes to the table 'extract'"), result.stderr)
    }

    func testReadingPragmaIsAccepted() throws {
        try initDatabase()
        let output = try sqlCSV("PRAGMA table_info(current_extracts)")
        XCTAssertTrue(output.contains(",is_more_recent,"), output)
        let function = try sqlCSV("SELECT count(*) AS n FROM pragma_table_info('extract')")
        XCTAssertEqual(function, "n\n14\n")
    }

    func testOpensWithoutWalFiles() throws {
        try ingestSQLFixtures()
        // Closing the only connection checkpoints the WAL and removes the -wal and -shm files.
        do {
            let database = try Database(path: databasePath)
            try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath + "-wal"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath + "-shm"))
        let before = try SHA256.hex(ofFileAt: databasePath)
        let output = try sqlCSV("SELECT count(*) AS n FROM current_seizures")
        XCTAssertEqual(output, "n\n6\n")
        XCTAssertEqual(try SHA256.hex(ofFileAt: databasePath), before)
    }

    func testOpensReadOnlyFile() throws {
        try ingestSQLFixtures()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: databasePath)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: databasePath) }
        let before = try SHA256.hex(ofFileAt: databasePath)
        let output = try sqlCSV("SELECT count(*) AS n FROM current_extracts")
        XCTAssertEqual(output, "n\n2\n")
        XCTAssertEqual(try SHA256.hex(ofFileAt: databasePath), before)
    }

    func testMissingDatabaseIsReported() throws {
        let result = try khsm(["sql", "--db", directory.appendingPathComponent("none.sqlite").path, "SELECT 1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("not found"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("none.sqlite").path))
    }

    func testInvalidTimeoutIsUsageError() throws {
        try initDatabase()
        let result = try khsm(["sql", "--timeout", "soon", "SELECT 1"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid --timeout 'soon'"), result.stderr)
    }
}
