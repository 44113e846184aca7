import Foundation
import KHSMCore
import XCTest

/// Releases of small inline extracts: R1 from cbp-1.csv and ice.csv, R2 after cbp-2.csv
/// (one seizure removed, one revised, one added, a discrepancy resolved), and R3 after
/// reference data that moves DETROIT FIELD OFFICE from North to Southeast.
final class ReleaseFixtureTests: KhsmTestCase {
    static let cbpHeader = "FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit\n"

    /// FPF ...01: Southwest FY2024 Q1. ...02: North Q2, moved by R3. ...03: presses, joint with
    /// ICE, which reports 4. ...04: Southwest Q2, gone from cbp-2.csv. ...05: Southwest Q3,
    /// revised in cbp-2.csv.
    static let cbp1 = cbpHeader + """
        2024000000000001,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,10.5,LBS
        2024000000000002,01/15/2024,OFO,DETROIT FIELD OFFICE,Fentanyl,20,KG
        2024000000000003,02/10/2024,OFO,SAN DIEGO FIELD OFFICE,Pill Press,3,EA
        2024000000000004,03/01/2024,OFO,TUCSON FIELD OFFICE,Fentanyl,1.25,LBS
        2024000000000005,04/01/2024,OFO,EL PASO FIELD OFFICE,Fentanyl,0.1,LBS

        """

    /// ...03 now agrees with ICE, ...04 is gone, ...05 is revised, ...07 is new (Q3).
    static let cbp2 = cbpHeader + """
        2024000000000001,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,10.5,LBS
        2024000000000002,01/15/2024,OFO,DETROIT FIELD OFFICE,Fentanyl,20,KG
        2024000000000003,02/10/2024,OFO,SAN DIEGO FIELD OFFICE,Pill Press,4,EA
        2024000000000005,04/01/2024,OFO,EL PASO FIELD OFFICE,Fentanyl,0.35,LBS
        2024000000000007,05/05/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,7,LBS

        """

    static let ice = """
        SEACATS FPF #,Seizure Dt,SAC Office,Property Type,Quantity,UOM,Value USD
        2024-0000-000000-03,2024-02-10,SAC SAN DIEGO,Die,4,EA,
        2024-0000-000000-03,2024-02-10,SAC SAN DIEGO,U.S. Currency,,,"$1,234.56"
        2024000000000006,2023-12-01,SAC PHOENIX,Vehicle,1,EA,"$15,000.00"

        """

    var cbp1Path = ""

    /// Builds R1, then R2 and R3 when `through` allows.
    func buildReleases(through last: Int = 3) throws {
        try initDatabase()
        cbp1Path = try write(Self.cbp1, to: "cbp-1.csv")
        let cbp2Path = try write(Self.cbp2, to: "cbp-2.csv")
        let icePath = try write(Self.ice, to: "ice.csv")
        try khsmSucceeds(["ingest", "--quiet", "--agency", "cbp", "--extracted", "2024-10-20", cbp1Path])
        try khsmSucceeds(["ingest", "--quiet", "--agency", "ice", "--extracted", "2024-10-25", icePath])
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        guard last >= 2 else { return }
        try khsmSucceeds(["ingest", "--quiet", "--agency", "cbp", "--extracted", "2024-11-04", cbp2Path])
        try khsmSucceeds(["release", "create", "R2", "--date", "2024-11-06"])
        guard last >= 3 else { return }
        let moved = try referenceDataMoving(office: "DETROIT FIELD OFFICE", agency: "CBP", toState: "KY",
            region: "Southeast")
        try khsmSucceeds(["reference", "load", moved])
        try khsmSucceeds(["release", "create", "R3", "--date", "2024-11-07"])
    }

    func cell(_ diff: ReleaseDiff, _ label: String) -> CellChange? {
        diff.cells.first { $0.label == label }
    }

    // MARK: release diff

    func testDiffListsChangedCells() throws {
        try buildReleases(through: 2)
        let diff = try diffReleases(try openTestDatabase(), old: "R1", new: "R2")
        let expected: Set<String> = [
            "FY2024 Q2 Southwest fentanyl_lbs", "FY2024 Q2 ALL fentanyl_lbs",
            "FY2024 Q3 Southwest fentanyl_lbs", "FY2024 Q3 ALL fentanyl_lbs",
            "FY2024 ALL Southwest fentanyl_lbs", "FY2024 ALL ALL fentanyl_lbs",
        ]
        XCTAssertEqual(Set(diff.cells.map(\.label)), expected)
        XCTAssertEqual(diff.seizures.added, 1)
        XCTAssertEqual(diff.seizures.removed, 1)
        XCTAssertEqual(diff.seizures.revised, 2, "...05 changed its pounds and ...03 its side used")
        assertDiffExplainsEveryCell(diff)
    }

    func testDiffNamesRemovedSeizureExtract() throws {
        try buildReleases(through: 2)
        let diff = try diffReleases(try openTestDatabase(), old: "R1", new: "R2")
        let change = try XCTUnwrap(cell(diff, "FY2024 Q2 Southwest fentanyl_lbs"))
        XCTAssertEqual(change.difference, .pounds(-1.25))
        XCTAssertEqual(change.seizures.count, 1)
        let seizure = try XCTUnwrap(change.seizures.first)
        XCTAssertEqual(seizure.fpf, "2024000000000004")
        XCTAssertEqual(seizure.kind, .removed)
        XCTAssertEqual(seizure.oldSource?.fileName, "cbp-1.csv")
        XCTAssertTrue(seizure.cause.contains("last in cbp-1.csv"), seizure.cause)
        XCTAssertTrue(seizure.cause.contains("cbp-2.csv"), seizure.cause)
    }

    func testDiffExplainsRevisedAndAdded() throws {
        try buildReleases(through: 2)
        let diff = try diffReleases(try openTestDatabase(), old: "R1", new: "R2")
        let change = try XCTUnwrap(cell(diff, "FY2024 Q3 Southwest fentanyl_lbs"))
        XCTAssertEqual(change.old?.exact, .pounds(0.1))
        XCTAssertEqual(change.new?.exact, .pounds(0.35 + 7))
        XCTAssertEqual(change.old?.published, 0)
        XCTAssertEqual(change.new?.published, 10)
        XCTAssertEqual(change.publishedDifference, 10)
        XCTAssertEqual(change.seizures.map(\.fpf), ["2024000000000005", "2024000000000007"])

        let revised = change.seizures[0]
        XCTAssertEqual(revised.kind, .revised)
        XCTAssertEqual(revised.changes, [FieldChange(field: "fentanyl_lbs", old: "0.1", new: "0.35")])
        XCTAssertEqual(revised.newSource?.fileName, "cbp-2.csv")
        XCTAssertTrue(revised.cause.contains("revised in cbp-2.csv"), revised.cause)

        let added = change.seizures[1]
        XCTAssertEqual(added.kind, .added)
        XCTAssertNil(added.oldContribution)
        XCTAssertEqual(added.newContribution, .pounds(7))
        XCTAssertTrue(added.cause.contains("first in cbp-2.csv"), added.cause)
    }

    func testDiffMovedOfficeTouchesOnlyItsCells() throws {
        try buildReleases()
        let diff = try diffReleases(try openTestDatabase(), old: "R2", new: "R3")
        let expected: Set<String> = [
            "FY2024 Q2 North fentanyl_lbs", "FY2024 Q2 Southeast fentanyl_lbs",
            "FY2024 ALL North fentanyl_lbs", "FY2024 ALL Southeast fentanyl_lbs",
        ]
        XCTAssertEqual(Set(diff.cells.map(\.label)), expected)
        XCTAssertEqual(diff.seizures.added, 0)
        XCTAssertEqual(diff.seizures.removed, 0)
        XCTAssertEqual(diff.seizures.revised, 1)
        for change in diff.cells {
            XCTAssertEqual(change.seizures.map(\.fpf), ["2024000000000002"], change.label)
            XCTAssertEqual(change.seizures.first?.changes,
                [FieldChange(field: "region", old: "North", new: "Southeast")], change.label)
            let cause = change.seizures.first?.cause ?? ""
            XCTAssertTrue(cause.contains("reference data version 2 in place of version 1"), cause)
        }
        assertDiffExplainsEveryCell(diff)

        let r2 = try khsmSucceeds(["export", "table", "--release", "R2"]).stdout.split(separator: "\n")
        let r3 = try khsmSucceeds(["export", "table", "--release", "R3"]).stdout.split(separator: "\n")
        XCTAssertEqual(r2.count, r3.count)
        let changedRows = zip(r2, r3).filter { $0 != $1 }.map { String($0.1) }
        XCTAssertEqual(changedRows.sorted(), [
            "2024,ALL,North,fentanyl_lbs,0", "2024,ALL,Southeast,fentanyl_lbs,40",
            "2024,Q2,North,fentanyl_lbs,0", "2024,Q2,Southeast,fentanyl_lbs,40",
        ])
    }

    func testDiffFormatsAgree() throws {
        try buildReleases(through: 2)
        let text = try khsmSucceeds(["release", "diff", "R1", "R2"]).stdout
        XCTAssertTrue(text.contains("6 changed"), text)
        XCTAssertTrue(text.contains("removed  2024000000000004  -1.25 lbs"), text)
        XCTAssertTrue(text.contains("(identical)") || text.contains("double-precision rounding"), text)

        let csv = try khsmSucceeds(["release", "diff", "R1", "R2", "--format", "csv"]).stdout
        let rows = csv.split(separator: "\n")
        XCTAssertTrue(rows.first?.hasPrefix("fiscal_year,quarter,region,measure,old_exact,new_exact") ?? false)
        XCTAssertEqual(rows.dropFirst().filter { $0.contains(",2024000000000004,removed,") }.count, 4)

        let json = try khsmJSON(["release", "diff", "R1", "R2", "--format", "json"])
        XCTAssertEqual(json["cells_changed"] as? Int, 6)
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.count, 6)
        for cell in cells {
            XCTAssertEqual(cell["explained"] as? Bool, true)
        }
    }

    func testDiffUnknownReleaseFails() throws {
        try buildReleases(through: 1)
        let result = try khsm(["release", "diff", "R1", "R9"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("release 'R9' not found"), result.stderr)
    }

    func testDiffAlteredSeizureUnexplained() throws {
        try buildReleases(through: 2)
        let tamper = try sqlite3("""
            DROP TRIGGER release_seizure_no_update;
            UPDATE release_seizure SET fentanyl_lbs = 0.2
            WHERE fpf = '2024000000000005' AND release_id = (SELECT release_id FROM release WHERE name = 'R1');
            """)
        XCTAssertEqual(tamper.status, 0, tamper.stderr)
        let result = try khsm(["release", "diff", "R1", "R2"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("FY2024 Q3 Southwest fentanyl_lbs"), result.stderr)
    }

    // MARK: release verify

    func testVerifyPassesAfterNewerInputs() throws {
        try buildReleases()
        for release in ["R1", "R2", "R3"] {
            let result = try khsm(["release", "verify", release])
            XCTAssertEqual(result.status, 0, "\(release): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("release \(release) verified"), result.stdout)
        }
    }

    func testVerifyFailsOnAlteredCell() throws {
        try buildReleases(through: 2)
        let tamper = try sqlite3("""
            DROP TRIGGER release_cell_no_update;
            UPDATE release_cell SET exact_lbs = 11.5
            WHERE fiscal_year = 2024 AND quarter = 'Q1' AND region = 'Southwest' AND measure = 'fentanyl_lbs'
                AND release_id = (SELECT release_id FROM release WHERE name = 'R1');
            """)
        XCTAssertEqual(tamper.status, 0, tamper.stderr)
        let result = try khsm(["release", "verify", "R1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cell FY2024 Q1 Southwest fentanyl_lbs"), result.stderr)
        XCTAssertTrue(result.stderr.contains("does not reproduce"), result.stderr)
        XCTAssertEqual(try khsm(["release", "verify", "R2"]).status, 0)
    }

    func testVerifyFailsOnAlteredRecord() throws {
        try buildReleases(through: 2)
        let tamper = try sqlite3("""
            DROP TRIGGER source_record_no_update;
            UPDATE source_record SET raw = replace(raw, ',10.5,', ',12.5,')
            WHERE line = 2 AND extract_id = (SELECT extract_id FROM extract WHERE file_name = 'cbp-1.csv');
            """)
        XCTAssertEqual(tamper.status, 0, tamper.stderr)
        let result = try khsm(["release", "verify", "R1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cell FY2024 Q1 Southwest fentanyl_lbs"), result.stderr)
        XCTAssertTrue(result.stderr.contains("stored records of extract"), result.stderr)
        XCTAssertTrue(result.stderr.contains("cbp-1.csv:2"), result.stderr)
        XCTAssertEqual(try khsm(["release", "verify", "R2"]).status, 0, "R2 does not use cbp-1.csv")
    }

    // MARK: lineage

    func testLineageSumsEveryCell() throws {
        try buildReleases()
        let database = try openTestDatabase()
        for release in ["R1", "R2", "R3"] {
            let record = try ReleaseRecord.load(database, name: release)
            for cell in try FrozenCell.loadAll(database, release: record) {
                let lineage = try cellLineage(database, release: release, fiscalYear: cell.fiscalYear,
                    quarter: cell.quarter, region: cell.region, measure: cell.measure)
                XCTAssertEqual(lineage.total, cell.exact, "\(release) \(cell.label)")
                XCTAssertTrue(lineage.isExact, "\(release) \(cell.label)")
            }
        }
    }

    func testLineageCellShowsSourceLines() throws {
        try buildReleases(through: 1)
        let json = try khsmJSON(["lineage", "--release", "R1", "--fiscal-year", "2024", "--quarter", "ALL",
            "--region", "Southwest", "--measure", "fentanyl_lbs", "--format", "json"])
        XCTAssertEqual(json["total"] as? String, json["frozen_exact"] as? String)
        XCTAssertEqual(json["total"] as? String, "\(10.5 + 1.25 + 0.1)")
        XCTAssertEqual(json["identical"] as? Bool, true)
        let seizures = try XCTUnwrap(json["seizures"] as? [[String: Any]])
        XCTAssertEqual(seizures.compactMap { $0["fpf"] as? String },
            ["2024000000000001", "2024000000000004", "2024000000000005"])
        let lines = try XCTUnwrap(seizures.first?["lines"] as? [[String: Any]])
        XCTAssertEqual(lines.count, 1)
        let line = try XCTUnwrap(lines.first)
        XCTAssertEqual(line["extract"] as? String, "cbp-1.csv")
        XCTAssertEqual(line["sha256"] as? String, try SHA256.hex(ofFileAt: cbp1Path))
        XCTAssertEqual(line["line"] as? Int, 2)
        XCTAssertEqual(line["raw"] as? String, "2024000000000001,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,10.5,LBS")
    }

    func testLineageDollarsComeFromICE() throws {
        try buildReleases(through: 2)
        let text = try khsmSucceeds(["lineage", "--release", "R2", "--fiscal-year", "2024", "--quarter", "Q2",
            "--region", "Southwest", "--measure", "currency_usd"]).stdout
        XCTAssertTrue(text.contains("2024000000000003  1234.56 USD from ICE (joint, side used CBP"), text)
        XCTAssertTrue(text.contains("ice.csv SHA-256"), text)
        XCTAssertTrue(text.contains("add up to 1234.56 USD; frozen exact value 1234.56 USD: identical"), text)
    }

    func testLineageFPFExplainsSideUsed() throws {
        try buildReleases(through: 2)
        let r1 = try khsmSucceeds(["lineage", "--release", "R1", "--fpf", "2024-0000-000000-03"]).stdout
        XCTAssertTrue(r1.contains("Joint seizure"), r1)
        XCTAssertTrue(r1.contains("ICE gives its date, region, fentanyl_lbs and pill_presses"), r1)
        XCTAssertTrue(r1.contains("listed as a discrepancy"), r1)

        let r2 = try khsmSucceeds(["lineage", "--release", "R2", "--fpf", "2024000000000003", "--format", "csv"])
        let rows = r2.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        // fpf,agency,extract,sha256,extracted_on,line,outcome,reason,measure,amount,used,raw...
        let used = rows.dropFirst().map { "\($0[1]) \($0[8]) \($0[10])" }
        XCTAssertEqual(used, ["CBP pill_presses yes", "ICE pill_presses no", "ICE currency_usd yes"])
    }

    func testLineageFailsOnAlteredSeizure() throws {
        try buildReleases(through: 1)
        let tamper = try sqlite3("""
            DROP TRIGGER release_seizure_no_update;
            UPDATE release_seizure SET fentanyl_lbs = 11 WHERE fpf = '2024000000000001';
            """)
        XCTAssertEqual(tamper.status, 0, tamper.stderr)
        let result = try khsm(["lineage", "--release", "R1", "--fiscal-year", "2024", "--quarter", "Q1",
            "--region", "Southwest", "--measure", "fentanyl_lbs"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("do not add up to its frozen exact value 10.5"), result.stderr)
        XCTAssertTrue(result.stdout.contains("NOT REPRODUCED"), result.stdout)
    }

    func testLineageRejectsCellWithFPF() throws {
        try buildReleases(through: 1)
        let result = try khsm(["lineage", "--release", "R1", "--fpf", "2024000000000001", "--quarter", "Q1"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("cannot be combined with --quarter"), result.stderr)
    }

    func testLineageUnknownCellFails() throws {
        try buildReleases(through: 1)
        let result = try khsm(["lineage", "--release", "R1", "--fiscal-year", "2021", "--quarter", "Q1",
            "--region", "North", "--measure", "fentanyl_lbs"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("covers FY2023-FY2024"), result.stderr)
    }

    // MARK: discrepancies

    func testResolvedDiscrepancyListed() throws {
        try buildReleases(through: 2)
        let r1 = try khsmSucceeds(["export", "discrepancies", "--release", "R1"]).stdout
        XCTAssertTrue(r1.contains("2024000000000003,"), r1)
        XCTAssertTrue(r1.contains(",new,R1"), r1)

        let r2 = try khsmSucceeds(["export", "discrepancies", "--release", "R2"]).stdout
        XCTAssertFalse(r2.contains("2024000000000003"), r2)

        let resolved = try khsmSucceeds(["export", "discrepancies", "--release", "R2", "--include-resolved"]).stdout
        let row = resolved.split(separator: "\n").first { $0.hasPrefix("2024000000000003,") }
        XCTAssertNotNil(row, resolved)
        XCTAssertTrue(row?.hasSuffix(",resolved,R1") ?? false, String(row ?? ""))
    }
}
