import Foundation
import XCTest

final class ExportFormatTests: KhsmTestCase {
    func testTableJSONParses() throws {
        try createFixtureRelease()
        let result = try khsmSucceeds(["export", "table", "--release", "R1", "--format", "json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let rows = try XCTUnwrap(parsed as? [[String: String]])
        XCTAssertEqual(rows.count, 100)
        XCTAssertEqual(rows.first, ["fiscal_year": "2024", "quarter": "Q1", "region": "Southwest",
            "measure": "fentanyl_lbs", "value": "10"])
    }

    func testExclusionsJSONKeepsQuotes() throws {
        try initDatabase()
        try khsmSucceeds(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", "--quiet", try write(#"""
            FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit
            "say ""none""",11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,1,LBS
            2024250100000201,01/15/2024,OFO,CHICAGO FIELD OFFICE,Fentanyl,2,LBS

            """#, to: "cbp.csv")])
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28", "--fiscal-years", "2024", "--allow-incomplete"])
        let result = try khsmSucceeds(["export", "exclusions", "--release", "R1", "--format", "json"])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?["raw_fpf"], "say \"none\"")
        XCTAssertEqual(rows.first?["reason"], "malformed_fpf")
    }

    func testDiscrepanciesJSONParses() throws {
        try createFixtureRelease()
        let result = try khsmSucceeds(["export", "discrepancies", "--release", "R1", "--format", "json"])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
        // San Diego: CBP 12.34 lbs, ICE only currency.
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?["cbp_fentanyl_lbs"], "12.34")
        XCTAssertEqual(rows.first?["ice_fentanyl_lbs"], "0.00")
    }

    func testMarkdownHasHeaderRow() throws {
        try createFixtureRelease()
        let result = try khsmSucceeds(["export", "table", "--release", "R1", "--format", "markdown"])
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "| fiscal_year | quarter | region | measure | value |")
        XCTAssertEqual(lines.dropFirst().first, "|---|---|---|---|---|")
        XCTAssertEqual(lines.dropFirst(2).first, "| 2024 | Q1 | Southwest | fentanyl_lbs | 10 |")
        XCTAssertEqual(lines.count, 102)
    }

    func testMarkdownEscapesPipes() throws {
        try initDatabase()
        try khsmSucceeds(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", "--quiet", try write("""
            FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit
            12|34,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,1,LBS

            """, to: "cbp.csv")])
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28", "--fiscal-years", "2024", "--allow-incomplete"])
        let result = try khsmSucceeds(["export", "exclusions", "--release", "R1", "--format", "markdown"])
        XCTAssertTrue(result.stdout.contains("| malformed_fpf | 12\\|34 |"), result.stdout)
    }

    func testOutputWritesFileSilently() throws {
        try createFixtureRelease()
        let path = directory.appendingPathComponent("table.csv").path
        try write("old content\n", to: "table.csv")
        let result = try khsmSucceeds(["export", "table", "--release", "R1", "--output", path])
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "")
        let written = try String(contentsOfFile: path, encoding: .utf8)
        let printed = try khsmSucceeds(["export", "table", "--release", "R1"]).stdout
        XCTAssertEqual(written, printed)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testOutputReplacesFileByRename() throws {
        try createFixtureRelease()
        let path = directory.appendingPathComponent("table.json").path
        try write("[]\n", to: "table.json")
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber
        try khsmSucceeds(["export", "table", "--release", "R1", "--format", "json", "--output", path])
        let after = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber
        // A renamed temporary file is a new inode; writing in place would keep the old one.
        XCTAssertNotNil(before)
        XCTAssertNotEqual(before, after)
    }

    func testOutputIntoMissingFolderFails() throws {
        try createFixtureRelease()
        let path = directory.appendingPathComponent("missing/table.csv").path
        let result = try khsm(["export", "table", "--release", "R1", "--output", path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cannot write \(path)"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testUnknownFormatIsUsageError() throws {
        try createFixtureRelease()
        let result = try khsm(["export", "table", "--release", "R1", "--format", "xml"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("unknown format 'xml'"), result.stderr)
    }
}
