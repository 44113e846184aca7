import Foundation
import KHSMCore
import XCTest

/// Append-only triggers, and the refusal of late inputs by `release create`.
final class ReleaseGuardTests: KhsmTestCase {
    static let cbp = """
        FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit
        2024000000000001,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,10.5,LBS
        2024000000000003,02/10/2024,OFO,SAN DIEGO FIELD OFFICE,Pill Press,3,EA

        """

    static let ice = """
        SEACATS FPF #,Seizure Dt,SAC Office,Property Type,Quantity,UOM,Value USD
        2024-0000-000000-03,2024-02-10,SAC SAN DIEGO,Die,4,EA,
        2024000000000006,2023-12-01,SAC PHOENIX,Vehicle,1,EA,"$15,000.00"

        """

    /// Ingests both extracts with these extraction dates.
    func ingest(cbpExtracted: String, iceExtracted: String) throws {
        try initDatabase()
        try khsmSucceeds(["ingest", "--quiet", "--agency", "cbp", "--extracted", cbpExtracted,
            try write(Self.cbp, to: "cbp.csv")])
        try khsmSucceeds(["ingest", "--quiet", "--agency", "ice", "--extracted", iceExtracted,
            try write(Self.ice, to: "ice.csv")])
    }

    // MARK: append-only triggers

    /// Tables that must never change once written, with a column to set in an UPDATE.
    static let appendOnlyTables = [
        ("extract", "file_name"), ("source_record", "raw"), ("line_item", "outcome"),
        ("release", "name"), ("release_cell", "published"), ("release_seizure", "fentanyl_lbs"),
        ("release_quality", "value"), ("reference_version", "digest"), ("reference_aor", "region"),
        ("reference_aor_alias", "aor"), ("reference_commodity", "measure"),
        ("reference_state_region", "region"), ("reference_unit", "pounds_per_unit"),
        ("reference_layout", "header"), ("reference_agency", "date_formats"),
    ]

    func testTriggersRejectUpdate() throws {
        try ingest(cbpExtracted: "2024-10-20", iceExtracted: "2024-10-25")
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        let database = try Database(path: databasePath)
        for (table, column) in Self.appendOnlyTables {
            XCTAssertThrowsError(try database.execute("UPDATE \(table) SET \(column) = \(column)"), table) { error in
                XCTAssertTrue("\(error)".contains("\(table) is append-only: rows cannot be updated"), "\(error)")
            }
        }
    }

    func testTriggersRejectDelete() throws {
        try ingest(cbpExtracted: "2024-10-20", iceExtracted: "2024-10-25")
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        let database = try Database(path: databasePath)
        for (table, _) in Self.appendOnlyTables {
            XCTAssertThrowsError(try database.execute("DELETE FROM \(table)"), table) { error in
                XCTAssertTrue("\(error)".contains("\(table) is append-only: rows cannot be deleted"), "\(error)")
            }
            let count = try database.row("SELECT count(*) FROM \(table)")?.int(0) ?? 0
            XCTAssertGreaterThan(count, 0, "\(table) lost its rows")
        }
    }

    func testReleaseNameIsUnique() throws {
        try ingest(cbpExtracted: "2024-10-20", iceExtracted: "2024-10-25")
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        let result = try khsm(["release", "create", "R1", "--date", "2024-10-29"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("release 'R1' already exists"), result.stderr)
    }

    // MARK: timeliness

    func testExtract31DaysOldRejected() throws {
        try ingest(cbpExtracted: "2024-10-01", iceExtracted: "2024-10-20")
        let result = try khsm(["release", "create", "R1", "--date", "2024-11-01"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("'cbp.csv' was extracted on 2024-10-01, 31 days before"), result.stderr)
        XCTAssertTrue(result.stderr.contains("--allow-late"), result.stderr)
        let show = try khsm(["release", "show", "R1"])
        XCTAssertEqual(show.status, 1, "a rejected release must not be stored")
    }

    func testExtract31DaysOldAllowedLate() throws {
        try ingest(cbpExtracted: "2024-10-01", iceExtracted: "2024-10-20")
        let result = try khsm(["release", "create", "R1", "--date", "2024-11-01", "--allow-late"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("31 days before"), result.stderr)
    }

    func testExtract30DaysOldAccepted() throws {
        try ingest(cbpExtracted: "2024-10-02", iceExtracted: "2024-10-20")
        let result = try khsm(["release", "create", "R1", "--date", "2024-11-01"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("warning:"), result.stderr)
    }

    func testRelease61DaysAfterQuarterRejected() throws {
        try ingest(cbpExtracted: "2024-11-25", iceExtracted: "2024-11-25")
        let result = try khsm(["release", "create", "R1", "--date", "2024-11-30"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("2024-11-30 is 61 days after 2024-09-30"), result.stderr)
        XCTAssertTrue(result.stderr.contains("--allow-late"), result.stderr)
    }

    func testRelease60DaysAfterQuarterAccepted() throws {
        try ingest(cbpExtracted: "2024-11-25", iceExtracted: "2024-11-25")
        let result = try khsm(["release", "create", "R1", "--date", "2024-11-29"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }
}
