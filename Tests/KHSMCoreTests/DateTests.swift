import XCTest
@testable import KHSMCore

final class DateTests: XCTestCase {
    private func parse(_ text: String, formats: [String] = ["MM/DD/YYYY", "M/D/YYYY", "YYYY-MM-DD"])
        -> CalendarDate?
    {
        formats.lazy.compactMap { DateFormat($0)!.parse(Substring(text)) }.first
    }

    func testPaddedUSDate() {
        XCTAssertEqual(parse("03/14/2024"), CalendarDate(year: 2024, month: 3, day: 14))
    }

    func testUnpaddedUSDate() {
        XCTAssertEqual(parse("3/4/2024"), CalendarDate(year: 2024, month: 3, day: 4))
        XCTAssertEqual(parse("12/1/2023"), CalendarDate(year: 2023, month: 12, day: 1))
    }

    func testISODate() {
        XCTAssertEqual(parse("2024-03-14"), CalendarDate(year: 2024, month: 3, day: 14))
    }

    func testImpossibleDatesAreInvalid() {
        for text in ["02/30/2024", "04/31/2024", "13/01/2024", "00/10/2024", "01/00/2024",
            "2024-13-01", "2024-00-10", "2024-02-30"]
        {
            XCTAssertNil(parse(text), text)
        }
    }

    func testOtherLayoutsAreInvalid() {
        for text in ["45123", "03/14/24", "2024/03/14", "14.03.2024", "2024-3-14", "March 14, 2024",
            "2024-03-14T00:00:00", "03/14/2024 10:00", "", "03-14-2024", "+3/14/2024"]
        {
            XCTAssertNil(parse(text), text)
        }
    }

    func testLeapDays() {
        XCTAssertNotNil(parse("02/29/2024"))
        XCTAssertNotNil(parse("2000-02-29"))
        XCTAssertNil(parse("02/29/2023"))
        XCTAssertNil(parse("1900-02-29"))
        XCTAssertNil(parse("2100-02-29"))
    }

    func testFiscalYearBoundaries() {
        XCTAssertEqual(CalendarDate(iso: "2023-09-30")!.fiscalYear, 2023)
        XCTAssertEqual(CalendarDate(iso: "2023-10-01")!.fiscalYear, 2024)
        XCTAssertEqual(CalendarDate(iso: "2024-09-30")!.fiscalYear, 2024)
    }

    func testFiscalQuarterBoundaries() {
        let cases = [
            ("2023-09-30", "Q4"), ("2023-10-01", "Q1"), ("2023-12-31", "Q1"),
            ("2024-01-01", "Q2"), ("2024-03-31", "Q2"), ("2024-04-01", "Q3"),
            ("2024-06-30", "Q3"), ("2024-07-01", "Q4"),
        ]
        for (iso, quarter) in cases {
            XCTAssertEqual(CalendarDate(iso: iso)!.fiscalQuarter, quarter, iso)
        }
    }

    func testDayNumbersAcrossLeapDay() {
        let before = CalendarDate(iso: "2024-02-28")!
        let after = CalendarDate(iso: "2024-03-01")!
        XCTAssertEqual(after.dayNumber - before.dayNumber, 2)
        XCTAssertEqual(CalendarDate(iso: "1970-01-01")!.dayNumber, 0)
    }

    func testCleanserAcceptsEachFormatForBothAgencies() throws {
        for agency in Agency.allCases {
            for text in ["03/14/2024", "3/14/2024", "2024-03-14", " 2024-03-14 "] {
                let item = try RuleFixture.cleanse(agency, date: text)
                XCTAssertEqual(item.outcome, .accepted, "\(agency) '\(text)'")
                XCTAssertEqual(item.date, CalendarDate(year: 2024, month: 3, day: 14), "\(agency) '\(text)'")
            }
        }
    }

    func testCleanserRejectsInvalidDates() throws {
        for text in ["02/30/2024", "2024-13-01", "45123", "03/14/24", "2024/03/14", ""] {
            let item = try RuleFixture.cleanse(.ice, date: text)
            XCTAssertEqual(item.reason, .invalidDate, "'\(text)'")
        }
    }
}
