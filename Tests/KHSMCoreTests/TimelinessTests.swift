import XCTest
@testable import KHSMCore

final class TimelinessTests: XCTestCase {
    private typealias F = RuleFixture
    private let period = 2023...2024

    private func issues(release: String, cbp: String = "2024-10-20", ice: String = "2024-10-25",
        fiscalYears: ClosedRange<Int> = 2023...2024) -> [TimelinessIssue]
    {
        timelinessIssues(releaseDate: F.date(release), fiscalYears: fiscalYears, extracts: [
            F.extract(id: 1, agency: .cbp, extractedOn: cbp),
            F.extract(id: 2, agency: .ice, extractedOn: ice),
        ])
    }

    func testOnTimeRelease() {
        XCTAssertTrue(issues(release: "2024-10-28").isEmpty)
    }

    func testExtractThirtyDaysOldIsOnTime() {
        XCTAssertTrue(issues(release: "2024-10-28", cbp: "2024-09-28").isEmpty)
    }

    func testExtractThirtyOneDaysOldIsLate() {
        let late = issues(release: "2024-10-28", cbp: "2024-09-27")
        XCTAssertEqual(late.count, 1)
        XCTAssertTrue(late.first?.message.contains("CBP") ?? false, late.first?.message ?? "")
        XCTAssertTrue(late.first?.message.contains("31 days") ?? false, late.first?.message ?? "")
    }

    func testEachLateExtractIsReported() {
        XCTAssertEqual(issues(release: "2024-10-28", cbp: "2024-08-01", ice: "2024-08-01").count, 2)
    }

    func testReleaseSixtyDaysAfterQuarterIsOnTime() {
        // 2024-09-30 plus 60 days is 2024-11-29.
        XCTAssertTrue(issues(release: "2024-11-29", cbp: "2024-11-20", ice: "2024-11-20").isEmpty)
    }

    func testReleaseSixtyOneDaysAfterQuarterIsLate() {
        let late = issues(release: "2024-11-30", cbp: "2024-11-20", ice: "2024-11-20")
        XCTAssertEqual(late.count, 1)
        XCTAssertTrue(late.first?.message.contains("61 days") ?? false, late.first?.message ?? "")
    }

    func testLastQuarterCoveredEndsAtPeriod() {
        XCTAssertEqual(lastQuarterCovered(releaseDate: F.date("2024-10-28"), fiscalYears: period),
            F.date("2024-09-30"))
        XCTAssertEqual(lastQuarterCovered(releaseDate: F.date("2025-03-01"), fiscalYears: period),
            F.date("2024-09-30"))
    }

    func testLastQuarterCoveredIsLastFinished() {
        XCTAssertEqual(lastQuarterCovered(releaseDate: F.date("2024-02-15"), fiscalYears: period),
            F.date("2023-12-31"))
        XCTAssertEqual(lastQuarterCovered(releaseDate: F.date("2024-01-01"), fiscalYears: period),
            F.date("2023-12-31"))
        XCTAssertEqual(lastQuarterCovered(releaseDate: F.date("2024-07-01"), fiscalYears: period),
            F.date("2024-06-30"))
    }

    func testMidPeriodReleaseMeasuredFromLastQuarter() {
        let onTime = issues(release: "2024-02-29", cbp: "2024-02-20", ice: "2024-02-20")
        XCTAssertTrue(onTime.isEmpty)
        let late = issues(release: "2024-03-01", cbp: "2024-02-20", ice: "2024-02-20")
        XCTAssertEqual(late.count, 1)
    }
}
