import Foundation
import KHSMCore
import XCTest

/// The fy2023-2024 case: R1 from cbp.csv (extracted 2024-10-20) and ice.csv (2024-10-25) dated
/// 2024-10-28; R2 after cbp-2.csv (2024-11-04) dated 2024-11-06; R3 dated 2024-11-07 after
/// reference data that moves CHICAGO FIELD OFFICE from North (IL) to Southeast (KY).
///
/// The releases are built once into a template database; each test works on its own copy.
final class ReleaseScenarioTests: KhsmTestCase {
    nonisolated(unsafe) static var template: URL?
    nonisolated(unsafe) static var templateFolder: URL?

    static let movedOffice = "CHICAGO FIELD OFFICE"

    override class func tearDown() {
        if let templateFolder { try? FileManager.default.removeItem(at: templateFolder) }
        templateFolder = nil
        template = nil
        super.tearDown()
    }

    var caseFolder: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard let folder = sharedFolder("data/cases/fy2023-2024") else {
            throw XCTSkip("the shared case folder data/cases/fy2023-2024 is absent; these tests need its extracts and expected tables")
        }
        caseFolder = folder
        try FileManager.default.copyItem(at: try templateDatabase(), to: URL(fileURLWithPath: databasePath))
    }

    /// Builds the three releases once, into a folder that outlives single tests.
    func templateDatabase() throws -> URL {
        if let template = Self.template { return template }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("khsm-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        Self.templateFolder = folder
        let path = folder.appendingPathComponent("scenario.sqlite").path
        let cases = caseFolder!
        func run(_ arguments: [String]) throws {
            try khsmSucceeds(arguments + ["--db", path])
        }
        try run(["init"])
        try run(["ingest", "--quiet", "--agency", "cbp", "--extracted", "2024-10-20",
            cases.appendingPathComponent("cbp.csv").path])
        try run(["ingest", "--quiet", "--agency", "ice", "--extracted", "2024-10-25",
            cases.appendingPathComponent("ice.csv").path])
        try run(["release", "create", "R1", "--date", "2024-10-28"])
        try run(["ingest", "--quiet", "--agency", "cbp", "--extracted", "2024-11-04",
            cases.appendingPathComponent("cbp-2.csv").path])
        try run(["release", "create", "R2", "--date", "2024-11-06"])
        let moved = try referenceDataMoving(office: Self.movedOffice, agency: "CBP", toState: "KY",
            region: "Southeast")
        try run(["reference", "load", moved])
        try run(["release", "create", "R3", "--date", "2024-11-07"])

        // Fold the write-ahead log into the file so that a plain copy holds every release.
        let database = try Database(path: path)
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let url = URL(fileURLWithPath: path)
        Self.template = url
        return url
    }

    func table(_ release: String) throws -> String {
        try khsmSucceeds(["export", "table", "--release", release]).stdout
    }

    func expectedTable(_ folder: String) throws -> String {
        try String(contentsOf: caseFolder.appendingPathComponent(folder).appendingPathComponent("table.csv"),
            encoding: .utf8)
    }

    // MARK: tables

    func testR1TableMatchesExpected() throws {
        XCTAssertEqual(try table("R1"), try expectedTable("expected"))
    }

    func testR2TableMatchesExpected() throws {
        XCTAssertEqual(try table("R2"), try expectedTable("expected-with-cbp-2"))
    }

    // MARK: reference data move

    func testR3DiffersOnlyInMovedCells() throws {
        let r2 = try table("R2").split(separator: "\n")
        let r3 = try table("R3").split(separator: "\n")
        XCTAssertEqual(r2.count, r3.count)
        let changed = zip(r2, r3).filter { $0 != $1 }.map { $0.1.split(separator: ",") }
        XCTAssertFalse(changed.isEmpty, "moving \(Self.movedOffice) should change a published value")
        for row in changed {
            XCTAssertTrue(["North", "Southeast"].contains(row[2]), row.joined(separator: ","))
        }
    }

    func testDiffR2R3NamesMovedSeizures() throws {
        let database = try openTestDatabase()
        let diff = try diffReleases(database, old: "R2", new: "R3")
        XCTAssertFalse(diff.cells.isEmpty)
        XCTAssertEqual(diff.seizures.added, 0)
        XCTAssertEqual(diff.seizures.removed, 0)
        assertDiffExplainsEveryCell(diff)

        // The seizures whose region changed, found independently of the diff.
        let moved = Set(try database.rows(
            """
            SELECT o.fpf FROM seizures o JOIN seizures n ON n.fpf = o.fpf
            WHERE o.release = 'R2' AND n.release = 'R3' AND o.region <> n.region
            """).compactMap { $0.string(0) })
        XCTAssertFalse(moved.isEmpty)
        var explained = Set<String>()
        for cell in diff.cells {
            XCTAssertTrue(["North", "Southeast"].contains(cell.region), cell.label)
            for seizure in cell.seizures {
                explained.insert(seizure.fpf)
                XCTAssertEqual(seizure.kind, .revised, seizure.fpf)
                XCTAssertEqual(seizure.changes, [FieldChange(field: "region", old: "North", new: "Southeast")],
                    seizure.fpf)
                XCTAssertTrue(seizure.cause.contains("reference data version 2 in place of version 1"), seizure.cause)
            }
        }
        XCTAssertTrue(explained.isSubset(of: moved))

        // Every moved seizure takes its region from a line of the moved office.
        for fpf in moved {
            let offices = try database.rows(
                """
                SELECT DISTINCT l.aor FROM line_item l
                JOIN release r ON r.name = 'R2'
                JOIN release_seizure s ON s.release_id = r.release_id AND s.fpf = l.fpf
                WHERE l.fpf = ? AND l.reference_version_id = r.reference_version_id AND l.outcome = 'accepted'
                    AND l.extract_id = CASE s.side_used WHEN 'CBP' THEN r.cbp_extract_id ELSE r.ice_extract_id END
                """, [.text(fpf)]).compactMap { $0.string(0) }
            XCTAssertTrue(offices.contains(Self.movedOffice), "\(fpf): \(offices)")
        }

        let text = try khsmSucceeds(["release", "diff", "R2", "R3"]).stdout
        XCTAssertTrue(text.contains("reference data  version 1 -> version 2"), text)
        XCTAssertTrue(text.contains("0 added, 0 removed"), text)
    }

    // MARK: verify

    func testVerifyPassesForEveryRelease() throws {
        for release in ["R1", "R2", "R3"] {
            let result = try khsm(["release", "verify", release])
            XCTAssertEqual(result.status, 0, "\(release): \(result.stderr)")
        }
    }

    func testVerifyFailsOnAlteredCell() throws {
        let tamper = try sqlite3("""
            DROP TRIGGER release_cell_no_update;
            UPDATE release_cell SET published = published + 10
            WHERE fiscal_year = 2023 AND quarter = 'Q2' AND region = 'North' AND measure = 'fentanyl_lbs'
                AND release_id = (SELECT release_id FROM release WHERE name = 'R2');
            """)
        XCTAssertEqual(tamper.status, 0, tamper.stderr)
        let result = try khsm(["release", "verify", "R2"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cell FY2023 Q2 North fentanyl_lbs"), result.stderr)
        XCTAssertEqual(try khsm(["release", "verify", "R1"]).status, 0)
    }

    func testVerifyFailsOnAlteredRecord() throws {
        // A CBP-only fentanyl line of cbp.csv counted in R1, unquoted so its fields split on commas.
        let database = try openTestDatabase()
        let target = try XCTUnwrap(try database.row(
            """
            SELECT l.line, s.fiscal_year, s.quarter, s.region, sr.raw
            FROM line_item l
            JOIN extract e ON e.extract_id = l.extract_id AND e.file_name = 'cbp.csv'
            JOIN source_record sr ON sr.extract_id = l.extract_id AND sr.line = l.line
            JOIN seizures s ON s.release = 'R1' AND s.fpf = l.fpf
            WHERE l.reference_version_id = 1 AND l.outcome = 'accepted' AND l.measure = 'fentanyl_lbs'
                AND s.is_joint = 0 AND s.in_period = 1 AND l.pounds > 1 AND sr.raw NOT LIKE '%"%' AND sr.raw NOT LIKE '%''%'
            ORDER BY l.line LIMIT 1
            """))
        var fields = target.string(4)!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[5] = "9999"
        let tamper = try sqlite3("""
            DROP TRIGGER source_record_no_update;
            UPDATE source_record SET raw = '\(fields.joined(separator: ","))'
            WHERE line = \(target.int(0)!) AND extract_id = (SELECT extract_id FROM extract WHERE file_name = 'cbp.csv');
            """)
        XCTAssertEqual(tamper.status, 0, tamper.stderr)

        let result = try khsm(["release", "verify", "R1"])
        XCTAssertEqual(result.status, 1)
        let cell = "cell FY\(target.int(1)!) \(target.string(2)!) \(target.string(3)!) fentanyl_lbs"
        XCTAssertTrue(result.stderr.contains(cell), "expected \(cell) in: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("stored records of extract"), result.stderr)
        XCTAssertEqual(try khsm(["release", "verify", "R2"]).status, 0, "R2 does not use cbp.csv")
    }

    // MARK: diff and lineage

    func testDiffR1R2ExplainsEveryCell() throws {
        let database = try openTestDatabase()
        let diff = try diffReleases(database, old: "R1", new: "R2")
        assertDiffExplainsEveryCell(diff)

        // Cells whose frozen values differ, found independently of the diff.
        let changed = try database.row(
            """
            SELECT count(*) FROM published_cells o JOIN published_cells n
                USING (fiscal_year, quarter, region, measure)
            WHERE o.release = 'R1' AND n.release = 'R2'
                AND (o.exact_lbs IS NOT n.exact_lbs OR o.exact_count IS NOT n.exact_count
                    OR o.exact_cents IS NOT n.exact_cents OR o.published <> n.published)
            """)?.int(0)
        XCTAssertEqual(diff.cells.count, changed)

        // The published differences are those between the two expected tables.
        let before = try expectedTable("expected").split(separator: "\n")
        let after = try expectedTable("expected-with-cbp-2").split(separator: "\n")
        var published: [String: Int64] = [:]
        for (old, new) in zip(before, after).dropFirst() where old != new {
            let oldFields = old.split(separator: ",")
            let newFields = new.split(separator: ",")
            published[oldFields[0...3].joined(separator: ",")] = Int64(newFields[4])! - Int64(oldFields[4])!
        }
        var reported: [String: Int64] = [:]
        for cell in diff.cells where cell.publishedDifference != 0 {
            reported[cell.key] = cell.publishedDifference
        }
        XCTAssertEqual(reported, published)

        let result = try khsm(["release", "diff", "R1", "R2", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testReportChangesAgreeWithDiff() throws {
        let json = try khsmJSON(["release", "diff", "R1", "R2", "--format", "json"])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        let published = cells.filter { $0["published_value_changed"] as? Bool == true }

        // Cells whose published value differs, found independently of the diff.
        let changed = try openTestDatabase().row(
            """
            SELECT count(*) FROM published_cells o JOIN published_cells n
                USING (fiscal_year, quarter, region, measure)
            WHERE o.release = 'R1' AND n.release = 'R2' AND o.published <> n.published
            """)?.int(0)
        XCTAssertEqual(published.count, changed)
        XCTAssertEqual(published.count, 49)

        let path = directory.appendingPathComponent("report.html").path
        try khsmSucceeds(["report", "--release", "R2", "--output", path])
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let behind = try XCTUnwrap(json["seizures_behind_cells"] as? [String: Int])
        XCTAssertEqual(behind, ["added": 0, "removed": 3, "revised": 61])
        XCTAssertTrue(html.contains("<li>seizures added (in this release only): \(behind["added"]!)</li>"))
        XCTAssertTrue(html.contains("<li>seizures removed (in release R1 only): \(behind["removed"]!)</li>"))
        XCTAssertTrue(html.contains("<li>seizures revised (amount, quarter, region or whether counted): \(behind["revised"]!)</li>"))
        XCTAssertTrue(html.contains("<li>published cells changed: \(published.count) of 200</li>"))

        // The report's rows of changed cells, each ending with seizures added, removed and revised.
        let table = try XCTUnwrap(html.components(separatedBy: "<caption>Published cells that changed").last?
            .components(separatedBy: "</tbody>").first)
        let rows = table.components(separatedBy: "<tr><th scope=\"row\">").dropFirst()
        XCTAssertEqual(rows.count, published.count)
        var reportTotals = [0, 0, 0]
        for row in rows {
            let numbers = row.components(separatedBy: "<td class=\"number\">").suffix(3)
                .compactMap { Int($0.prefix { $0.isNumber }) }
            XCTAssertEqual(numbers.count, 3, row)
            for (index, number) in numbers.enumerated() { reportTotals[index] += number }
        }
        var diffTotals = [0, 0, 0]
        for cell in published {
            for seizure in try XCTUnwrap(cell["seizures"] as? [[String: Any]])
            where seizure["same_to_hundredth"] as? Bool == false {
                let index = ["added", "removed", "revised"].firstIndex(of: seizure["change_in_cell"] as? String ?? "")
                diffTotals[try XCTUnwrap(index)] += 1
            }
        }
        XCTAssertEqual(reportTotals, diffTotals)
    }

    func testLineageSumsEveryCellOfR1() throws {
        let database = try openTestDatabase()
        let release = try ReleaseRecord.load(database, name: "R1")
        let cells = try FrozenCell.loadAll(database, release: release)
        XCTAssertEqual(cells.count, 200)
        for cell in cells {
            let lineage = try cellLineage(database, release: "R1", fiscalYear: cell.fiscalYear,
                quarter: cell.quarter, region: cell.region, measure: cell.measure)
            XCTAssertEqual(lineage.total, cell.exact, cell.label)
            XCTAssertEqual(lineage.seizures.count + lineage.seizuresWithoutLines, cell.seizureCount, cell.label)
            XCTAssertTrue(lineage.seizures.allSatisfy(\.linesReproduceContribution), cell.label)
        }

        let text = try khsmSucceeds(["lineage", "--release", "R1", "--fiscal-year", "2023", "--quarter", "ALL",
            "--region", "ALL", "--measure", "fentanyl_lbs"]).stdout
        XCTAssertTrue(text.hasSuffix(": identical\n"), String(text.suffix(200)))
        let cbpSHA = try SHA256.hex(ofFileAt: caseFolder.appendingPathComponent("cbp.csv").path)
        XCTAssertTrue(text.contains("cbp.csv SHA-256 \(cbpSHA) line "), "the lines should name cbp.csv and its SHA-256")
    }
}
