import XCTest
@testable import KHSMCore

final class PublishedComparisonTests: XCTestCase {
    func row(_ month: Int, _ aor: String, _ events: Int, _ pounds: Double, year: Int = 2024) -> PublicFentanylEvent {
        PublicFentanylEvent(fiscalYear: year, month: month, component: "OFO", aor: aor, events: events, pounds: pounds)
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

    func testOfficeMatchesInAnyCase() {
        let comparison = comparePublished(published: [row(4, "San Diego Field Office", 2, 10)],
            extract: [key(4, "SAN DIEGO FIELD OFFICE"): FentanylTally(events: 2, pounds: 10)],
            fiscalYears: 2024...2024)
        XCTAssertEqual(comparison.differences, [])
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
