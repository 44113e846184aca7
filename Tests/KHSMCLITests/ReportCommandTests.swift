import Foundation
import XCTest

final class ReportCommandTests: KhsmTestCase {
    /// Writes the report of `release` to report.html and returns its text.
    func report(_ release: String) throws -> String {
        let path = directory.appendingPathComponent("report.html").path
        let result = try khsmSucceeds(["report", "--release", release, "--output", path])
        XCTAssertEqual(result.stdout, "")
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func testReportIsSelfContainedHTML() throws {
        try createFixtureRelease()
        let html = try report("R1")
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("src="), "nothing to load")
        XCTAssertFalse(html.contains("url("), "nothing to load")
        let links = html.components(separatedBy: "href=\"").dropFirst()
        XCTAssertFalse(links.isEmpty)
        XCTAssertTrue(links.allSatisfy { $0.hasPrefix("#") }, "links only within the page")
        XCTAssertTrue(html.hasSuffix("</html>\n"))
    }

    func testReportShowsRoundedValuesOnly() throws {
        try createFixtureRelease()
        let html = try report("R1")
        // San Diego 12.34 lbs and Chicago 21.73 lbs: the year publishes 30, the regions 10 and 20.
        XCTAssertTrue(html.contains("<dd class=\"value\">30 lbs</dd>"), "headline fentanyl")
        XCTAssertTrue(html.contains("<dd class=\"value\">$12,350</dd>"), "headline currency")
        for exact in ["12.34", "21.73", "34.07", "12,345.67", "12345.67", "8,000.00"] {
            XCTAssertFalse(html.contains(exact), "exact value \(exact) in the report")
        }
    }

    func testReportTableHasHeaders() throws {
        try createFixtureRelease()
        let html = try report("R1")
        XCTAssertTrue(html.contains("<caption>Fentanyl, in pounds</caption>"))
        XCTAssertTrue(html.contains("<th scope=\"col\">Southwest</th>"))
        XCTAssertTrue(html.contains("<th scope=\"col\">All regions</th>"))
        XCTAssertTrue(html.contains("<th scope=\"rowgroup\" rowspan=\"5\">FY2024</th>"))
        XCTAssertTrue(html.contains("<th scope=\"row\">Year</th>"))
        XCTAssertEqual(html.components(separatedBy: "<table class=\"cells\">").count - 1, 4)
    }

    func testReportHasLabelledCharts() throws {
        try createFixtureRelease()
        let html = try report("R1")
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 5)
        XCTAssertTrue(html.contains("<title id=\"chart-quarterly-fentanyl-title\">Fentanyl seized per quarter and region, in pounds</title>"))
        XCTAssertTrue(html.contains("<title id=\"chart-pill_presses-title\">"))
        XCTAssertTrue(html.contains(">pounds of fentanyl</text>"), "axis title")
        XCTAssertTrue(html.contains(">FY2024</text>"), "fiscal year label")
        XCTAssertTrue(html.contains("<title>Southwest, Q1 FY2024: 10 lbs</title>"), "bar tooltip")
    }

    func testReportShowsQualityAndExclusions() throws {
        try createFixtureRelease()
        let html = try report("R1")
        // 1 of the 5 in-scope CBP lines has no FPF.
        XCTAssertTrue(html.contains("<th scope=\"row\">Undercount, CBP</th><td class=\"number\">20.00%</td>"))
        XCTAssertTrue(html.contains("<th scope=\"row\">Joint share</th>"))
        XCTAssertTrue(html.contains("<th scope=\"row\">Discrepancy rate</th>"))
        XCTAssertTrue(html.contains("<th scope=\"row\">Timeliness, CBP extract</th><td class=\"number\">8 days old</td>"))
        XCTAssertTrue(html.contains("<th scope=\"row\"><code>missing_fpf</code></th>"))
        XCTAssertTrue(html.contains("<th scope=\"row\"><code>outside_us</code></th>"))
        XCTAssertFalse(html.contains("<code>malformed_fpf</code></th>"), "reasons without lines are left out")
    }

    func testFirstReleaseHasNoChanges() throws {
        try createFixtureRelease()
        let html = try report("R1")
        XCTAssertTrue(html.contains("This is the first release"))
    }

    func testReportListsChangedCells() throws {
        try createFixtureRelease()
        try createRevisedRelease()
        let html = try report("R2")
        XCTAssertTrue(html.contains("previous release R1 (2024-10-28)"))
        XCTAssertTrue(html.contains("<li>seizures added (in this release only): 1</li>"))
        XCTAssertTrue(html.contains("<li>seizures removed (in release R1 only): 0</li>"))
        XCTAssertTrue(html.contains("<li>seizures revised (amount, quarter, region or whether counted): 1</li>"))
        // San Diego went from 12.34 to 30.5 lbs: Q1 Southwest from 10 to 30, with one revision.
        XCTAssertTrue(html.contains("<tr><th scope=\"row\">FY2024</th><td>Q1</td><td>Southwest</td><td>Fentanyl</td><td class=\"number\">10 lbs</td><td class=\"number\">30 lbs</td><td class=\"number\">+20 lbs</td><td class=\"number\">0</td><td class=\"number\">0</td><td class=\"number\">1</td></tr>"))
        // San Juan's 44 lbs are new in Q4 OCONUS.
        XCTAssertTrue(html.contains("<td>Q4</td><td>OCONUS</td><td>Fentanyl</td><td class=\"number\">0 lbs</td><td class=\"number\">40 lbs</td><td class=\"number\">+40 lbs</td><td class=\"number\">1</td><td class=\"number\">0</td><td class=\"number\">0</td>"))
        XCTAssertTrue(html.contains("<dd class=\"delta\">+70 lbs since R1</dd>"))
    }

    func testReportEscapesReleaseName() throws {
        try createFixtureRelease(name: "R&<b>")
        let html = try report("R&<b>")
        XCTAssertTrue(html.contains("Release <strong>R&amp;&lt;b&gt;</strong>"))
        XCTAssertFalse(html.contains("R&<b>"))
    }

    func testReportToStandardOutput() throws {
        try createFixtureRelease()
        let result = try khsmSucceeds(["report", "--release", "R1"])
        XCTAssertTrue(result.stdout.hasPrefix("<!DOCTYPE html>"))
    }

    func testUnknownReleaseFails() throws {
        try createFixtureRelease()
        let result = try khsm(["report", "--release", "R9", "--output", "report.html"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("release 'R9' not found"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("report.html").path))
    }

    func testMissingReleaseIsUsageError() throws {
        try initDatabase()
        let result = try khsm(["report", "--output", "report.html"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("missing --release NAME"), result.stderr)
    }
}
