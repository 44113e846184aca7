import Foundation
import XCTest

/// Inputs that once let a release publish incomplete figures, or gave an unclear message.
final class ReviewFindingsTests: KhsmTestCase {
    private let cbpHeader = "FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit"
    private let iceHeader = "SEACATS FPF #,Seizure Dt,SAC Office,Property Type,Quantity,UOM,Value USD"

    private func ingestBoth(cbpBody: String = "2024250100000101,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,10,KG\n") throws {
        let cbp = try write(cbpHeader + "\n" + cbpBody, to: "cbp.csv")
        let ice = try write(iceHeader + "\n2024-2501-000002-01,2024-01-15,SAC PHOENIX,Fentanyl,1100,LB,\n", to: "ice.csv")
        try khsmSucceeds(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", cbp])
        try khsmSucceeds(["ingest", "--agency", "ice", "--extracted", "2024-10-25", ice])
    }

    func testReleaseWithoutIceExtractRefused() throws {
        try initDatabase()
        let cbp = try write(cbpHeader + "\n2024250100000101,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,10,KG\n", to: "cbp.csv")
        try khsmSucceeds(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", cbp])
        let refused = try khsm(["release", "create", "R1", "--date", "2024-10-28"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("no ICE extract was extracted on or before 2024-10-28"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--allow-incomplete"), refused.stderr)
        let allowed = try khsm(["release", "create", "R1", "--date", "2024-10-28", "--allow-incomplete"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertTrue(allowed.stderr.contains("warning: no ICE extract"), allowed.stderr)
    }

    func testHeaderOnlyExtractMakesReleaseIncomplete() throws {
        try initDatabase()
        try ingestBoth()
        let empty = try write(cbpHeader + "\n", to: "cbp-empty.csv")
        let ingested = try khsmSucceeds(["ingest", "--agency", "cbp", "--extracted", "2024-10-27", empty])
        XCTAssertTrue(ingested.stdout.contains("header and no records"), ingested.stdout)
        let refused = try khsm(["release", "create", "R1", "--date", "2024-10-28"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("the CBP extract 'cbp-empty.csv' (extract 3) has no in-scope line"),
            refused.stderr)
    }

    func testExportRejectsAlteredCell() throws {
        try initDatabase()
        try ingestBoth()
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])
        let shell = "/usr/bin/sqlite3"
        guard FileManager.default.isExecutableFile(atPath: shell) else {
            throw XCTSkip("the sqlite3 shell is not installed at \(shell)")
        }
        let altered = try runProcess(shell, [databasePath,
            "DROP TRIGGER release_cell_no_update; UPDATE release_cell SET published = published + 10 WHERE position = 1;"])
        XCTAssertEqual(altered.status, 0, altered.stderr)
        let export = try khsm(["export", "table", "--release", "R1"])
        XCTAssertEqual(export.status, 1)
        XCTAssertEqual(export.stdout, "")
        XCTAssertTrue(export.stderr.contains("do not match the table digest"), export.stderr)
        XCTAssertTrue(export.stderr.contains("khsm release verify R1"), export.stderr)
    }

    /// Copies the project's reference data into the test folder with `rows` added to its aliases.
    private func referenceCopy(addingAliases rows: String) throws -> URL {
        let folder = directory.appendingPathComponent("reference")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("reference-data"), to: folder)
        let aliases = folder.appendingPathComponent("aor_aliases.csv")
        let text = try String(contentsOf: aliases, encoding: .utf8) + rows
        try text.write(to: aliases, atomically: true, encoding: .utf8)
        return folder
    }

    func testDuplicateAliasRejectedByName() throws {
        try initDatabase()
        let folder = try referenceCopy(addingAliases: "CBP,TIJUANA,SAN DIEGO FIELD OFFICE\nCBP,tijuana ,EL PASO FIELD OFFICE\n")
        let result = try khsm(["reference", "load", folder.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("aor_aliases.csv: alias 'tijuana' is listed twice for CBP"), result.stderr)
        XCTAssertFalse(result.stderr.contains("SQLite error"), result.stderr)
    }

    func testAliasShadowingOfficeRejected() throws {
        try initDatabase()
        let folder = try referenceCopy(addingAliases: "CBP,SAN DIEGO SECTOR,SAN DIEGO FIELD OFFICE\n")
        let result = try khsm(["reference", "load", folder.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("is itself an office"), result.stderr)
    }

    func testGroupHelpListsCommands() throws {
        let help = try khsm(["release", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("khsm release create NAME"), help.stdout)
        XCTAssertTrue(help.stdout.contains("khsm release verify NAME"), help.stdout)
        let bare = try khsm(["release"])
        XCTAssertEqual(bare.status, 64)
        XCTAssertTrue(bare.stderr.contains("'release' needs a command"), bare.stderr)
    }

    func testFutureExtractionDateRejected() throws {
        try initDatabase()
        let cbp = try write(cbpHeader + "\n", to: "cbp.csv")
        let result = try khsm(["ingest", "--agency", "cbp", "--extracted", "2999-01-01", cbp])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid --extracted '2999-01-01': the date is in the future"), result.stderr)
    }

    func testFolderGivenAsExtractNamed() throws {
        try initDatabase()
        let result = try khsm(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", directory.path])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("is a folder"), result.stderr)
    }
}
