import Foundation
import XCTest

/// The analyst views, read through `khsm sql` on databases built by the binary.
final class SQLViewsTests: KhsmTestCase {
    /// Rows of CSV text without the header, each split on commas (the fixtures quote nothing).
    private func rows(_ csv: String) -> [[String]] {
        csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func testCurrentExtractsPickLatest() throws {
        try ingestSQLFixtures()
        let later = try write(SQLFixtures.cbp.replacingOccurrences(of: "9,LBS", with: "8,LBS"), to: "cbp-2.csv")
        try khsmSucceeds(["ingest", "--quiet", "--agency", "cbp", "--extracted", "2024-10-30", later])
        let output = try sqlCSV("SELECT agency, file_name, is_more_recent FROM current_extracts ORDER BY agency")
        XCTAssertEqual(rows(output), [["CBP", "cbp-2.csv", "1"], ["ICE", "ice.csv", "0"]])
    }

    func testCurrentExtractsTieGoesToLaterIngest() throws {
        try ingestSQLFixtures()
        let same = try write(SQLFixtures.ice.replacingOccurrences(of: "5.01,LB", with: "5.02,LB"), to: "ice-b.csv")
        try khsmSucceeds(["ingest", "--quiet", "--agency", "ice", "--extracted", "2024-10-25", same])
        let output = try sqlCSV("SELECT file_name FROM current_extracts WHERE agency = 'ICE'")
        XCTAssertEqual(rows(output), [["ice-b.csv"]])
    }

    func testCurrentSeizuresFollowIntegrationRules() throws {
        try ingestSQLFixtures()
        let output = try sqlCSV("""
            SELECT fpf, side_used, is_joint, is_discrepancy, seizure_date, fiscal_year, quarter, region,
                fentanyl_lbs, pill_presses, currency_cents, property_cents
            FROM current_seizures ORDER BY fpf
            """)
        let table = rows(output)
        XCTAssertEqual(table.count, 6)
        XCTAssertEqual(table[0], ["2024250400000101", "ICE", "1", "0", "2024-01-11", "2024", "Q2", "Southwest", "12.5", "0", "100050", "0"])
        XCTAssertEqual(table[1], ["2024250400000202", "ICE", "1", "0", "2024-02-04", "2024", "Q2", "North", "0.13", "0", "0", "0"])
        XCTAssertEqual(table[2], ["2024250400000303", "CBP", "0", "0", "2023-11-05", "2024", "Q1", "Southeast", "0.0", "2", "0", "0"])
        XCTAssertEqual(table[3], ["2024250400000404", "ICE", "1", "1", "2024-03-01", "2024", "Q2", "Southwest", "5.01", "0", "0", "0"])
        XCTAssertEqual(table[4], ["2024250400000606", "ICE", "0", "0", "2024-05-01", "2024", "Q3", "North", "0.0", "0", "0", "2000000"])
        XCTAssertEqual(table[5], ["2024250400000707", "ICE", "1", "0", "2024-04-02", "2024", "Q3", "Southwest", "1.01", "0", "0", "0"])
    }

    func testMoreRecentCBPGivesPounds() throws {
        try ingestSQLFixtures()
        let later = try write(SQLFixtures.cbp.replacingOccurrences(of: "9,LBS", with: "8,LBS"), to: "cbp-2.csv")
        try khsmSucceeds(["ingest", "--quiet", "--agency", "cbp", "--extracted", "2024-10-30", later])
        let output = try sqlCSV("""
            SELECT side_used, seizure_date, fentanyl_lbs, currency_cents FROM current_seizures
            WHERE fpf = '2024250400000101'
            """)
        XCTAssertEqual(rows(output), [["CBP", "2024-01-10", "12.5", "100050"]])
    }

    func testCurrentDiscrepanciesListDisagreement() throws {
        try ingestSQLFixtures()
        let output = try sqlCSV("SELECT fpf, cbp_fentanyl_lbs, ice_fentanyl_lbs, cbp_file_name, ice_file_name FROM current_discrepancies")
        XCTAssertEqual(rows(output), [["2024250400000404", "5.0", "5.01", "cbp.csv", "ice.csv"]])
    }

    func testCurrentExclusionsListMissingFPF() throws {
        try ingestSQLFixtures()
        let output = try sqlCSV("SELECT agency, line, reason FROM current_exclusions")
        XCTAssertEqual(rows(output), [["CBP", "7", "missing_fpf"]])
    }

    func testCurrentSeizuresMatchRelease() throws {
        try ingestSQLFixtures()
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        let current = try sqlCSV("SELECT \(SQLFixtures.seizureColumns) FROM current_seizures ORDER BY fpf")
        let frozen = try sqlCSV("SELECT \(SQLFixtures.seizureColumns) FROM seizures WHERE release = 'R1' ORDER BY fpf")
        XCTAssertEqual(rows(current).count, 6)
        XCTAssertEqual(current, frozen)
    }

    func testPublishedCellsMatchExportTable() throws {
        try ingestSQLFixtures()
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        let view = try sqlCSV("""
            SELECT fiscal_year, quarter, region, measure, published AS value
            FROM published_cells WHERE release = :release ORDER BY position
            """, ["--param", "release=R1"])
        let export = try khsmSucceeds(["export", "table", "--release", "R1"]).stdout
        XCTAssertEqual(rows(view).count, 200)
        XCTAssertEqual(view, export)
    }

    func testReleaseExclusionsMatchExport() throws {
        try ingestSQLFixtures()
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        let view = try sqlCSV("""
            SELECT x.agency, x.file_name AS extract, x.line, x.reason, x.raw_fpf, x.reason_value AS value
            FROM exclusions x
            JOIN release_extracts r USING (extract_id, reference_version_id)
            WHERE r.release = 'R1'
            ORDER BY x.agency, x.line
            """)
        let export = try khsmSucceeds(["export", "exclusions", "--release", "R1"]).stdout
        XCTAssertEqual(rows(view).count, 1)
        XCTAssertEqual(view, export)
    }

    func testViewsMatchReleaseOnSharedCase() throws {
        guard let folder = sharedFolder("data/cases/fy2023-2024") else {
            throw XCTSkip("the shared case data/cases/fy2023-2024 is not present next to the package")
        }
        try initDatabase()
        try khsmSucceeds(["ingest", "--quiet", "--agency", "cbp", "--extracted", "2024-10-20", folder.appendingPathComponent("cbp.csv").path])
        try khsmSucceeds(["ingest", "--quiet", "--agency", "ice", "--extracted", "2024-10-25", folder.appendingPathComponent("ice.csv").path])
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        try khsmSucceeds(["ingest", "--quiet", "--agency", "cbp", "--extracted", "2024-10-30", folder.appendingPathComponent("cbp-2.csv").path])
        try khsmSucceeds(["release", "create", "R2", "--date", "2024-11-01"])

        let current = try sqlCSV("SELECT \(SQLFixtures.seizureColumns) FROM current_seizures ORDER BY fpf")
        let frozen = try sqlCSV("SELECT \(SQLFixtures.seizureColumns) FROM seizures WHERE release = 'R2' ORDER BY fpf")
        XCTAssertGreaterThan(rows(current).count, 1000)
        XCTAssertEqual(current, frozen)

        let view = try sqlCSV("SELECT fiscal_year, quarter, region, measure, published AS value FROM published_cells WHERE release = 'R2' ORDER BY position")
        let export = try khsmSucceeds(["export", "table", "--release", "R2"]).stdout
        XCTAssertEqual(view, export)

        let exclusions = try sqlCSV("""
            SELECT x.agency, x.file_name AS extract, x.line, x.reason, x.raw_fpf, x.reason_value AS value
            FROM exclusions x JOIN release_extracts r USING (extract_id, reference_version_id)
            WHERE r.release = 'R2' ORDER BY x.agency, x.line
            """)
        let exportedExclusions = try khsmSucceeds(["export", "exclusions", "--release", "R2"]).stdout
        XCTAssertEqual(exclusions, exportedExclusions)
    }
}
