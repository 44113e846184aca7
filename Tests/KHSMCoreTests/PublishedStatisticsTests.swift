import XCTest
@testable import KHSMCore

final class PublishedStatisticsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("khsm-published-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func write(_ text: String) throws -> String {
        let path = directory.appendingPathComponent("public.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    let header = "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)\n"

    func testReadsFentanylRowsOnly() throws {
        let path = try write(header + """
            2024,APR,Office of Field Operations,Southwest,Southwest Border,SAN DIEGO FIELD OFFICE,Fentanyl,12,105.5
            2024,APR,Office of Field Operations,Southwest,Southwest Border,SAN DIEGO FIELD OFFICE,Cocaine,3,x
            2025 (FYTD),OCT,U.S. Border Patrol,Southwest,Southwest Border,Tucson  Sector,fentanyl,"1,204",3.95E-05

            """)
        let rows = try PublishedStatistics.readFentanylRows(path: path)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0], PublishedFentanylRow(fiscalYear: 2024, month: 4, aor: "SAN DIEGO FIELD OFFICE",
            events: 12, pounds: 105.5, line: 2))
        XCTAssertEqual(rows[1].fiscalYear, 2025)
        XCTAssertEqual(rows[1].month, 10)
        XCTAssertEqual(rows[1].aor, "TUCSON SECTOR")
        XCTAssertEqual(rows[1].events, 1204)
        XCTAssertEqual(rows[1].pounds, 3.95e-5)
    }

    func testMissingColumnIsRejected() throws {
        let path = try write("FY,Month (abbv),Drug Type,Sum Qty (lbs)\n2024,APR,Fentanyl,1\n")
        XCTAssertThrowsError(try PublishedStatistics.readFentanylRows(path: path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("'Area of Responsibility'"), message)
            XCTAssertTrue(message.contains("'Count of Event'"), message)
        }
    }

    func testInvalidMonthNamesLine() throws {
        let path = try write(header + "2024,APRIL,OFO,Southwest,Other,SAN DIEGO FIELD OFFICE,Fentanyl,1,2\n"
            + "2024,Q3,OFO,Southwest,Other,SAN DIEGO FIELD OFFICE,Fentanyl,1,2\n")
        XCTAssertThrowsError(try PublishedStatistics.readFentanylRows(path: path)) { error in
            XCTAssertEqual("\(error)", "public.csv:3: invalid Month (abbv) 'Q3'; expected a month such as APR")
        }
    }

    func testInvalidNumbersAreRejected() throws {
        for (count, pounds) in [("1.5", "2"), ("-1", "2"), ("1", "-2"), ("1", "(2)"), ("", "2")] {
            let path = try write(header + "2024,APR,OFO,Southwest,Other,SAN DIEGO FIELD OFFICE,Fentanyl,\(count),\(pounds)\n")
            XCTAssertThrowsError(try PublishedStatistics.readFentanylRows(path: path), "\(count) events, \(pounds) lbs")
        }
    }

    func testParseFiscalYearAcceptsNote() {
        XCTAssertEqual(PublishedStatistics.parseFiscalYear("2024"), 2024)
        XCTAssertEqual(PublishedStatistics.parseFiscalYear("2025 (FYTD)"), 2025)
        XCTAssertNil(PublishedStatistics.parseFiscalYear("FY2024"))
        XCTAssertNil(PublishedStatistics.parseFiscalYear("2025 FYTD"))
        XCTAssertNil(PublishedStatistics.parseFiscalYear("24"))
    }
}

final class PublishedComparisonTests: XCTestCase {
    func row(_ month: Int, _ aor: String, _ events: Int, _ pounds: Double, year: Int = 2024) -> PublishedFentanylRow {
        PublishedFentanylRow(fiscalYear: year, month: month, aor: aor, events: events, pounds: pounds, line: 2)
    }

    func key(_ month: Int, _ aor: String, year: Int = 2024) -> MonthAOR {
        MonthAOR(fiscalYear: year, month: month, aor: aor)
    }

    func testEqualFiguresHaveNoDifference() {
        let comparison = comparePublished(published: [row(4, "SAN DIEGO FIELD OFFICE", 2, 10.004)],
            extract: [key(4, "SAN DIEGO FIELD OFFICE"): FentanylTally(events: 2, pounds: 10)],
            fiscalYears: 2024...2024)
        XCTAssertEqual(comparison.differences, [])
        XCTAssertEqual(comparison.keysCompared, 1)
    }

    func testHundredthOfPoundIsDifference() {
        let comparison = comparePublished(published: [row(4, "SAN DIEGO FIELD OFFICE", 2, 10.01)],
            extract: [key(4, "SAN DIEGO FIELD OFFICE"): FentanylTally(events: 2, pounds: 10)],
            fiscalYears: 2024...2024)
        XCTAssertEqual(comparison.differences.count, 1)
    }

    func testEventDifferenceIsListed() {
        let comparison = comparePublished(published: [row(4, "SAN DIEGO FIELD OFFICE", 3, 10)],
            extract: [key(4, "SAN DIEGO FIELD OFFICE"): FentanylTally(events: 2, pounds: 10)],
            fiscalYears: 2024...2024)
        XCTAssertEqual(comparison.differences.first?.published.events, 3)
        XCTAssertEqual(comparison.differences.first?.extract.events, 2)
    }

    func testComponentRowsAreAddedUp() {
        let comparison = comparePublished(
            published: [row(4, "SAN DIEGO FIELD OFFICE", 1, 4), row(4, "SAN DIEGO FIELD OFFICE", 1, 6)],
            extract: [key(4, "SAN DIEGO FIELD OFFICE"): FentanylTally(events: 2, pounds: 10)],
            fiscalYears: 2024...2024)
        XCTAssertEqual(comparison.differences, [])
    }

    func testExtractOnlyMonthIsListed() {
        let comparison = comparePublished(published: [],
            extract: [key(11, "CHICAGO FIELD OFFICE"): FentanylTally(events: 1, pounds: 0.5)],
            fiscalYears: 2024...2024)
        XCTAssertEqual(comparison.differences.first?.published, FentanylTally())
        XCTAssertEqual(comparison.differences.first?.extract.events, 1)
    }

    func testOtherFiscalYearsAreIgnored() {
        let comparison = comparePublished(published: [row(4, "SAN DIEGO FIELD OFFICE", 3, 10, year: 2022)],
            extract: [key(4, "CHICAGO FIELD OFFICE", year: 2025): FentanylTally(events: 1, pounds: 1)],
            fiscalYears: 2023...2024)
        XCTAssertEqual(comparison.differences, [])
        XCTAssertEqual(comparison.keysCompared, 0)
        XCTAssertEqual(comparison.totals.map(\.fiscalYear), [2023, 2024])
    }

    func testAliasMatchesCanonicalOffice() {
        let comparison = comparePublished(published: [row(4, "SAN DIEGO FO", 2, 10)],
            extract: [key(4, "SAN DIEGO FIELD OFFICE"): FentanylTally(events: 2, pounds: 10)],
            fiscalYears: 2024...2024, canonicalAOR: ["SAN DIEGO FO": "SAN DIEGO FIELD OFFICE"])
        XCTAssertEqual(comparison.differences, [])
    }

    func testDifferencesSortInFiscalOrder() {
        let comparison = comparePublished(
            published: [row(1, "B", 1, 1), row(10, "B", 1, 1), row(10, "A", 1, 1), row(9, "A", 1, 1)],
            extract: [:], fiscalYears: 2024...2024)
        XCTAssertEqual(comparison.differences.map(\.key), [key(10, "A"), key(10, "B"), key(1, "B"), key(9, "A")])
    }

    func testTotalsPerFiscalYear() throws {
        let comparison = comparePublished(
            published: [row(4, "A", 2, 10), row(5, "B", 1, 1.5), row(4, "A", 7, 70, year: 2023)],
            extract: [key(4, "A"): FentanylTally(events: 1, pounds: 4)], fiscalYears: 2023...2024)
        let total = try XCTUnwrap(comparison.totals.last)
        XCTAssertEqual(total.fiscalYear, 2024)
        XCTAssertEqual(total.published, FentanylTally(events: 3, pounds: 11.5))
        XCTAssertEqual(total.extract, FentanylTally(events: 1, pounds: 4))
        XCTAssertEqual(comparison.totals.first?.published.events, 7)
    }
}
