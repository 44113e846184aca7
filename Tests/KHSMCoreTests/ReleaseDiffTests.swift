import XCTest
@testable import KHSMCore

/// The comparison of two frozen releases built in memory, as the report's changes section reads
/// it: cells whose published value moved and the seizures behind them.
final class ReleaseDiffTests: XCTestCase {
    /// Makes a seizure from CBP dated `date`, ISO 8601 (FY2024 Q1 is October to December 2023).
    func seizure(_ fpf: String, _ date: String = "2023-11-01", _ region: String = "Southwest", lbs: Double = 0,
        presses: Int64 = 0, cents: Int64 = 0, inPeriod: Bool = true) -> IntegratedSeizure
    {
        let day = CalendarDate(iso: date)!
        return IntegratedSeizure(fpf: fpf, sideUsed: .cbp, cbp: nil, ice: nil, date: day, region: region,
            fentanylLbs: lbs, pillPresses: presses, currencyCents: cents, propertyCents: 0,
            isDiscrepancy: false, inPeriod: inPeriod)
    }

    /// Freezes `seizures` as `release create` would, with the table computed from them.
    func release(_ name: String, id: Int, _ seizures: [IntegratedSeizure],
        fiscalYears: ClosedRange<Int> = 2024...2024) -> FrozenRelease
    {
        let row = Row(values: [
            .integer(Int64(id)), .text(name), .text("2024-10-28"), .text("2024-10-28T00:00:00Z"),
            .integer(Int64(fiscalYears.lowerBound)), .integer(Int64(fiscalYears.upperBound)), .null, .null,
            .integer(1), .text("1"), .text(""), .null,
        ], columns: [])
        return FrozenRelease(release: ReleaseRecord(row: row), extracts: [:],
            cells: buildTable(seizures: seizures, fiscalYears: fiscalYears).map(FrozenCell.init),
            seizures: seizures.map(FrozenSeizure.init).sorted { $0.fpf < $1.fpf })
    }

    func diff(_ old: [IntegratedSeizure], _ new: [IntegratedSeizure]) -> ReleaseDiff {
        diffReleases(old: release("R1", id: 1, old), new: release("R2", id: 2, new))
    }

    func publishedCell(_ diff: ReleaseDiff, _ label: String) -> CellChange? {
        diff.publishedCells.first { $0.label == label }
    }

    func testExactChangeOnlyIsNotPublished() {
        // 8 and 12 lbs both publish 10.
        let diff = diff([seizure("1", lbs: 8)], [seizure("1", lbs: 12)])
        XCTAssertEqual(diff.cells.count, 4, "the exact value of Q1 and the year, Southwest and ALL, changed")
        XCTAssertEqual(diff.publishedCells.count, 0)
        XCTAssertEqual(diff.publishedChanges, 0)
    }

    func testMovedCellCountsSeizuresBehindIt() throws {
        let old = [seizure("1", lbs: 5), seizure("2", lbs: 3), seizure("4", lbs: 2)]
        // 1 changes by less than a hundredth, 2 is revised, 3 is new and 4 is gone.
        let new = [seizure("1", lbs: 5.001), seizure("2", lbs: 10), seizure("3", lbs: 5)]
        let change = try XCTUnwrap(publishedCell(diff(old, new), "FY2024 Q1 Southwest fentanyl_lbs"))
        XCTAssertEqual(change.old?.published, 10)
        XCTAssertEqual(change.new?.published, 20)
        XCTAssertEqual(change.seizureCounts, SeizureChangeCounts(added: 1, removed: 1, revised: 1))
        XCTAssertEqual(change.seizures.map(\.fpf), ["1", "2", "3", "4"], "the diff keeps every change")
        XCTAssertTrue(change.seizures[0].roundsToSameHundredth)
        XCTAssertFalse(change.seizures[1].roundsToSameHundredth)
    }

    func testRevisionAcrossHundredthCounts() throws {
        // 1.004 and 1.006 lbs are 0.002 apart but round to 1.00 and 1.01.
        let change = try XCTUnwrap(diff([seizure("1", lbs: 1.004), seizure("2", lbs: 4)],
            [seizure("1", lbs: 1.006), seizure("2", lbs: 14)]).cells.first)
        XCTAssertEqual(change.seizures.map(\.roundsToSameHundredth), [false, false])
        XCTAssertEqual(change.seizureCounts.revised, 2)
    }

    func testSeizureMovingQuarterLeavesOldCell() throws {
        let diff = diff([seizure("1", "2023-11-01", lbs: 9)], [seizure("1", "2024-02-01", lbs: 9)])
        XCTAssertEqual(Set(diff.publishedCells.map(\.label)), [
            "FY2024 Q1 Southwest fentanyl_lbs", "FY2024 Q1 ALL fentanyl_lbs",
            "FY2024 Q2 Southwest fentanyl_lbs", "FY2024 Q2 ALL fentanyl_lbs",
        ], "the year's cells keep their value")
        let first = try XCTUnwrap(publishedCell(diff, "FY2024 Q1 Southwest fentanyl_lbs"))
        let second = try XCTUnwrap(publishedCell(diff, "FY2024 Q2 Southwest fentanyl_lbs"))
        XCTAssertEqual(first.seizureCounts, SeizureChangeCounts(removed: 1))
        XCTAssertEqual(second.seizureCounts, SeizureChangeCounts(added: 1))
        XCTAssertEqual(first.seizures.first?.kind, .revised, "the FPF is in both releases")
        XCTAssertEqual(diff.seizuresBehindCells, SeizureChangeCounts(revised: 1))
    }

    func testOtherMeasureIsNotBehindChange() throws {
        // Seizure 2 only has currency, so it is not behind the fentanyl cell.
        let diff = diff([], [seizure("1", lbs: 9), seizure("2", cents: 500)])
        let change = try XCTUnwrap(publishedCell(diff, "FY2024 Q1 Southwest fentanyl_lbs"))
        XCTAssertEqual(change.seizureCounts, SeizureChangeCounts(added: 1))
    }

    func testSeizureGainingPoundsIsRevisedInCell() throws {
        // Counted in the cell before with no pounds, so the cell revises it rather than adds it.
        let diff = diff([seizure("1", cents: 500)], [seizure("1", lbs: 9, cents: 500)])
        let change = try XCTUnwrap(publishedCell(diff, "FY2024 Q1 Southwest fentanyl_lbs"))
        XCTAssertEqual(change.seizureCounts, SeizureChangeCounts(revised: 1))
    }

    func testCellOnlyInPreviousRelease() throws {
        let old = release("R1", id: 1, [seizure("1", "2022-11-01", "North", presses: 20)], fiscalYears: 2023...2024)
        let diff = diffReleases(old: old, new: release("R2", id: 2, []))
        let change = try XCTUnwrap(publishedCell(diff, "FY2023 Q1 North pill_presses"))
        XCTAssertEqual(change.old?.published, 20)
        XCTAssertNil(change.new)
        XCTAssertEqual(change.seizureCounts, SeizureChangeCounts(removed: 1))
        XCTAssertEqual(diff.publishedChanges, 100, "every FY2023 cell, the newer release publishing none")
    }

    func testSeizureChangeCounts() {
        let old = [seizure("1", lbs: 5), seizure("2", lbs: 3), seizure("4", lbs: 2), seizure("5", lbs: 1),
            seizure("6", "2019-11-01", lbs: 1, inPeriod: false), seizure("7", "2023-11-01", lbs: 1)]
        // 5 moves region and 7 changes its date within the quarter. 6 is outside the period.
        let new = [seizure("1", lbs: 5.001), seizure("2", lbs: 10), seizure("3", lbs: 5),
            seizure("5", "2023-11-01", "North", lbs: 1), seizure("6", "2019-11-01", lbs: 2, inPeriod: false),
            seizure("7", "2023-11-02", lbs: 1)]
        let diff = diff(old, new)
        XCTAssertEqual(diff.seizuresBehindCells, SeizureChangeCounts(added: 1, removed: 1, revised: 2))
        XCTAssertEqual(diff.seizures, SeizureChangeCounts(added: 1, removed: 1, revised: 5),
            "every field change counts among the integrated seizures")
    }
}
