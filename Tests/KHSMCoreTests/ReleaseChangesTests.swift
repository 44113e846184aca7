import XCTest
@testable import KHSMCore

final class ReleaseChangesTests: XCTestCase {
    func cell(_ quarter: String, _ region: String, _ value: Int64, measure: Measure = .fentanylLbs) -> PublishedCell {
        PublishedCell(fiscalYear: 2024, quarter: quarter, region: region, measure: measure, published: value)
    }

    func seizure(_ fpf: String, _ quarter: String = "Q1", _ region: String = "Southwest", lbs: Double = 0,
        cents: Int64 = 0) -> CountedSeizure
    {
        CountedSeizure(fpf: fpf, fiscalYear: 2024, quarter: quarter, region: region, fentanylLbs: lbs,
            currencyCents: cents)
    }

    func testUnchangedCellsAreNotListed() {
        let changes = cellChanges(previousCells: [cell("Q1", "Southwest", 10)],
            currentCells: [cell("Q1", "Southwest", 10)],
            previousSeizures: [seizure("1", lbs: 8)], currentSeizures: [seizure("1", lbs: 12)])
        XCTAssertEqual(changes, [])
    }

    func testMovedCellCountsSeizuresBehindIt() throws {
        let previous = [seizure("1", lbs: 5), seizure("2", lbs: 3), seizure("4", lbs: 2)]
        // 1 changes by less than a hundredth, 2 is revised, 3 is new and 4 is gone.
        let current = [seizure("1", lbs: 5.001), seizure("2", lbs: 10), seizure("3", lbs: 5)]
        let changes = cellChanges(previousCells: [cell("Q1", "Southwest", 10)],
            currentCells: [cell("Q1", "Southwest", 20)], previousSeizures: previous, currentSeizures: current)
        let change = try XCTUnwrap(changes.first)
        XCTAssertEqual(changes.count, 1)
        XCTAssertEqual(change.previous, 10)
        XCTAssertEqual(change.current, 20)
        XCTAssertEqual(change.added, 1)
        XCTAssertEqual(change.removed, 1)
        XCTAssertEqual(change.revised, 1)
    }

    func testSeizureMovingQuarterLeavesOldCell() throws {
        let changes = cellChanges(
            previousCells: [cell("Q1", "Southwest", 10), cell("Q2", "Southwest", 0), cell("ALL", "Southwest", 10)],
            currentCells: [cell("Q1", "Southwest", 0), cell("Q2", "Southwest", 10), cell("ALL", "Southwest", 10)],
            previousSeizures: [seizure("1", "Q1", lbs: 9)], currentSeizures: [seizure("1", "Q2", lbs: 9)])
        XCTAssertEqual(changes.count, 2)
        let first = try XCTUnwrap(changes.first { $0.key.quarter == "Q1" })
        let second = try XCTUnwrap(changes.first { $0.key.quarter == "Q2" })
        XCTAssertEqual(first.removed, 1)
        XCTAssertEqual(first.added, 0)
        XCTAssertEqual(second.added, 1)
        XCTAssertEqual(second.removed, 0)
    }

    func testOtherMeasureIsNotBehindChange() throws {
        // Seizure 2 only has currency, so it is not behind the fentanyl cell.
        let changes = cellChanges(previousCells: [cell("Q1", "Southwest", 0)],
            currentCells: [cell("Q1", "Southwest", 10)],
            previousSeizures: [], currentSeizures: [seizure("1", lbs: 9), seizure("2", cents: 500)])
        let change = try XCTUnwrap(changes.first)
        XCTAssertEqual(change.added, 1)
    }

    func testCellOnlyInPreviousRelease() throws {
        let dropped = PublishedCell(fiscalYear: 2023, quarter: "Q1", region: "North", measure: .pillPresses, published: 20)
        let changes = cellChanges(previousCells: [dropped], currentCells: [], previousSeizures: [], currentSeizures: [])
        let change = try XCTUnwrap(changes.first)
        XCTAssertEqual(change.previous, 20)
        XCTAssertNil(change.current)
    }

    func testSeizureChangeCounts() {
        let previous = [seizure("1", lbs: 5), seizure("2", lbs: 3), seizure("4", lbs: 2), seizure("5", "Q1", lbs: 1)]
        let current = [seizure("1", lbs: 5.001), seizure("2", lbs: 10), seizure("3", lbs: 5),
            seizure("5", "Q1", "North", lbs: 1)]
        let counts = seizureChangeCounts(previous: previous, current: current)
        XCTAssertEqual(counts.added, 1)
        XCTAssertEqual(counts.removed, 1)
        XCTAssertEqual(counts.revised, 2)
    }
}
