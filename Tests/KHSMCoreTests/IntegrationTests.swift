import Foundation
import XCTest
@testable import KHSMCore

final class IntegrationTests: XCTestCase {
    private typealias F = RuleFixture
    private let period = 2023...2024
    private let fpf = "2024250100000101"

    private func integrateOne(cbp: AgencySeizure?, ice: AgencySeizure?, moreRecent: Agency)
        throws -> IntegratedSeizure
    {
        let result = integrate(cbp: cbp.map { [$0.fpf: $0] } ?? [:], ice: ice.map { [$0.fpf: $0] } ?? [:],
            moreRecent: moreRecent, fiscalYears: period)
        XCTAssertEqual(result.count, 1)
        return try XCTUnwrap(result.first)
    }

    // MARK: One agency

    func testCBPOnlySeizureCountsFromCBP() throws {
        let seizure = try integrateOne(cbp: F.seizure(fpf, region: "North", lbs: 3, presses: 1),
            ice: nil, moreRecent: .ice)
        XCTAssertEqual(seizure.sideUsed, .cbp)
        XCTAssertFalse(seizure.isJoint)
        XCTAssertFalse(seizure.isDiscrepancy)
        XCTAssertEqual(seizure.fentanylLbs, 3)
        XCTAssertEqual(seizure.pillPresses, 1)
        XCTAssertEqual(seizure.region, "North")
    }

    func testICEOnlySeizureCountsFromICE() throws {
        let seizure = try integrateOne(cbp: nil,
            ice: F.seizure(fpf, lbs: 2, currencyCents: 499, propertyCents: 500), moreRecent: .cbp)
        XCTAssertEqual(seizure.sideUsed, .ice)
        XCTAssertEqual(seizure.fentanylLbs, 2)
        XCTAssertEqual(seizure.currencyCents, 499)
        XCTAssertEqual(seizure.propertyCents, 500)
    }

    // MARK: Joint seizures

    func testJointSeizureCountedOnce() {
        let result = integrate(cbp: [fpf: F.seizure(fpf, lbs: 5)], ice: [fpf: F.seizure(fpf, lbs: 5)],
            moreRecent: .ice, fiscalYears: period)
        XCTAssertEqual(result.count, 1)
        XCTAssertEqual(result.first?.isJoint, true)
        XCTAssertEqual(result.first?.fentanylLbs, 5)
    }

    func testMoreRecentSideGivesDateRegionAndAmounts() throws {
        let cbp = F.seizure(fpf, date: "2023-11-05", region: "Southwest", lbs: 1204.5, presses: 2)
        let ice = F.seizure(fpf, date: "2024-01-15", region: "North", lbs: 1100, presses: 3)
        let iceUsed = try integrateOne(cbp: cbp, ice: ice, moreRecent: .ice)
        XCTAssertEqual(iceUsed.sideUsed, .ice)
        XCTAssertEqual(iceUsed.date, F.date("2024-01-15"))
        XCTAssertEqual(iceUsed.region, "North")
        XCTAssertEqual(iceUsed.fentanylLbs, 1100)
        XCTAssertEqual(iceUsed.pillPresses, 3)

        let cbpUsed = try integrateOne(cbp: cbp, ice: ice, moreRecent: .cbp)
        XCTAssertEqual(cbpUsed.sideUsed, .cbp)
        XCTAssertEqual(cbpUsed.date, F.date("2023-11-05"))
        XCTAssertEqual(cbpUsed.region, "Southwest")
        XCTAssertEqual(cbpUsed.fentanylLbs, 1204.5)
        XCTAssertEqual(cbpUsed.pillPresses, 2)
    }

    func testDollarsAlwaysComeFromICE() throws {
        let cbp = F.seizure(fpf, lbs: 10)
        let ice = F.seizure(fpf, lbs: 10, currencyCents: 1_234_567, propertyCents: 4_500_000)
        let seizure = try integrateOne(cbp: cbp, ice: ice, moreRecent: .cbp)
        XCTAssertEqual(seizure.sideUsed, .cbp)
        XCTAssertEqual(seizure.currencyCents, 1_234_567)
        XCTAssertEqual(seizure.propertyCents, 4_500_000)
    }

    func testCurrencyOnlyRecentSideCountsZeroPounds() throws {
        let cbp = F.seizure(fpf, date: "2024-03-01", region: "Southwest", lbs: 12)
        let ice = F.seizure(fpf, date: "2024-03-02", region: "North", currencyCents: 100_000)
        let seizure = try integrateOne(cbp: cbp, ice: ice, moreRecent: .ice)
        XCTAssertEqual(seizure.fentanylLbs, 0)
        XCTAssertEqual(seizure.currencyCents, 100_000)
        XCTAssertEqual(seizure.region, "North")
        XCTAssertTrue(seizure.isDiscrepancy)
    }

    func testCurrencyOnlyOlderSideIsDiscrepancy() throws {
        let cbp = F.seizure(fpf, lbs: 12)
        let ice = F.seizure(fpf, currencyCents: 100_000)
        let seizure = try integrateOne(cbp: cbp, ice: ice, moreRecent: .cbp)
        XCTAssertEqual(seizure.fentanylLbs, 12)
        XCTAssertEqual(seizure.currencyCents, 100_000)
        XCTAssertTrue(seizure.isDiscrepancy)
    }

    // MARK: Discrepancies

    func testEqualAmountsAreNoDiscrepancy() throws {
        let seizure = try integrateOne(cbp: F.seizure(fpf, lbs: 22.0462262, presses: 2),
            ice: F.seizure(fpf, lbs: 22.0462262, presses: 2), moreRecent: .ice)
        XCTAssertFalse(seizure.isDiscrepancy)
    }

    func testPoundsEqualToTwoDecimalsAgree() throws {
        let seizure = try integrateOne(cbp: F.seizure(fpf, lbs: 10 * 2.20462262),
            ice: F.seizure(fpf, lbs: 22.049), moreRecent: .ice)
        XCTAssertFalse(seizure.isDiscrepancy)
    }

    func testPoundsDifferingAtTwoDecimalsDisagree() throws {
        let seizure = try integrateOne(cbp: F.seizure(fpf, lbs: 22.04), ice: F.seizure(fpf, lbs: 22.05),
            moreRecent: .ice)
        XCTAssertTrue(seizure.isDiscrepancy)
    }

    func testPressesDifferenceIsDiscrepancy() throws {
        let seizure = try integrateOne(cbp: F.seizure(fpf, lbs: 1, presses: 2),
            ice: F.seizure(fpf, lbs: 1, presses: 3), moreRecent: .ice)
        XCTAssertTrue(seizure.isDiscrepancy)
    }

    func testDatesAndRegionsDoNotMakeDiscrepancy() throws {
        let seizure = try integrateOne(cbp: F.seizure(fpf, date: "2023-01-01", region: "North", lbs: 1),
            ice: F.seizure(fpf, date: "2024-06-01", region: "Southwest", lbs: 1), moreRecent: .ice)
        XCTAssertFalse(seizure.isDiscrepancy)
    }

    func testDollarsDoNotMakeDiscrepancy() throws {
        let seizure = try integrateOne(cbp: F.seizure(fpf, lbs: 1),
            ice: F.seizure(fpf, lbs: 1, currencyCents: 500), moreRecent: .cbp)
        XCTAssertFalse(seizure.isDiscrepancy)
    }

    func testDiscrepancyOutsidePeriodIsListed() {
        let cbp = [fpf: F.seizure(fpf, date: "2021-05-01", lbs: 1)]
        let ice = [fpf: F.seizure(fpf, date: "2021-05-01", lbs: 2)]
        let result = integrate(cbp: cbp, ice: ice, moreRecent: .ice, fiscalYears: period)
        XCTAssertEqual(result.first?.inPeriod, false)
        XCTAssertEqual(result.first?.isDiscrepancy, true)
        let computation = ReleaseComputation(
            cbp: ExtractInput(extractID: 1, agency: .cbp, fileName: "cbp.csv",
                extractedOn: F.date("2024-10-20"), items: [F.acceptedLine(2, fpf: fpf, date: "2021-05-01", pounds: 1)]),
            ice: ExtractInput(extractID: 2, agency: .ice, fileName: "ice.csv",
                extractedOn: F.date("2024-10-25"), items: [F.acceptedLine(2, fpf: fpf, date: "2021-05-01", pounds: 2)]),
            moreRecent: .ice, fiscalYears: period)
        XCTAssertEqual(computation.discrepancies.map(\.fpf), [fpf])
        XCTAssertEqual(computation.countedSeizures, 0)
    }

    // MARK: Rounding to hundredths

    /// Pounds are rounded to two decimals as their shortest decimal text reads, halves away from
    /// zero, whatever binary value the double has (1.005 is stored as 1.00499999999999989…).
    func testHundredthsRoundHalvesAwayFromZero() {
        let cases: [(Double, Int64)] = [
            (1.005, 101), (1.015, 102), (0.145, 15), (0.285, 29), (2.675, 268), (8.345, 835),
            (10.005, 1001), (0.005, 1), (1.125, 113), (1.0049999, 100), (1.00, 100), (0, 0),
            (0.004999999999999999, 0), (22.0462262, 2205), (1204.5, 120_450),
        ]
        for (pounds, hundredths) in cases {
            XCTAssertEqual(hundredthsOfPound(pounds), hundredths, "\(pounds)")
        }
    }

    func testHalfAtThirdDecimalIsDiscrepancy() throws {
        let seizure = try integrateOne(cbp: F.seizure(fpf, lbs: 1.005), ice: F.seizure(fpf, lbs: 1.00),
            moreRecent: .ice)
        XCTAssertTrue(seizure.isDiscrepancy)
    }

    func testBelowHalfAtThirdDecimalAgrees() throws {
        let seizure = try integrateOne(cbp: F.seizure(fpf, lbs: 1.0049), ice: F.seizure(fpf, lbs: 1.00),
            moreRecent: .ice)
        XCTAssertFalse(seizure.isDiscrepancy)
    }

    func testSumsRoundLikeTheirDecimalValue() throws {
        // 0.1 + 0.2 is 0.30000000000000004 in binary and rounds to 0.30.
        let seizure = try integrateOne(cbp: F.seizure(fpf, lbs: 0.1 + 0.2), ice: F.seizure(fpf, lbs: 0.3),
            moreRecent: .ice)
        XCTAssertFalse(seizure.isDiscrepancy)
    }

    // MARK: More recent extract

    func testLaterExtractionDateIsMoreRecent() {
        let cbp = F.extract(id: 2, agency: .cbp, extractedOn: "2024-10-20")
        let ice = F.extract(id: 1, agency: .ice, extractedOn: "2024-10-25")
        XCTAssertEqual(moreRecentAgency(cbp: cbp, ice: ice), .ice)
        XCTAssertTrue(ice.isMoreRecent(than: cbp))
        XCTAssertFalse(cbp.isMoreRecent(than: ice))
    }

    func testSameDateLaterIngestIsMoreRecent() {
        let cbp = F.extract(id: 3, agency: .cbp, extractedOn: "2024-10-25")
        let ice = F.extract(id: 2, agency: .ice, extractedOn: "2024-10-25")
        XCTAssertEqual(moreRecentAgency(cbp: cbp, ice: ice), .cbp)
        XCTAssertEqual(moreRecentAgency(cbp: F.extract(id: 1, agency: .cbp, extractedOn: "2024-10-25"),
            ice: ice), .ice)
    }

    func testCurrentExtractIsLatestThenLastIngested() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("khsm-integration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try initializeDatabase(path: directory.appendingPathComponent("db.sqlite").path)
        func ingestCBP(_ name: String, extractedOn: String, pounds: Int) throws {
            let path = directory.appendingPathComponent(name).path
            let text = "FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit\n"
                + "2024250100000101,03/14/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,\(pounds),LBS\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            _ = try ingest(database: database, path: path,
                options: IngestOptions(agency: .cbp, extractedOn: F.date(extractedOn)))
        }
        try ingestCBP("late.csv", extractedOn: "2024-10-20", pounds: 1)
        try ingestCBP("early.csv", extractedOn: "2024-10-01", pounds: 2)
        try ingestCBP("late-again.csv", extractedOn: "2024-10-20", pounds: 3)
        try ingestCBP("future.csv", extractedOn: "2024-11-20", pounds: 4)

        let current = try ExtractRecord.current(database, agency: .cbp, onOrBefore: F.date("2024-10-28"))
        XCTAssertEqual(current?.fileName, "late-again.csv")
        let earlier = try ExtractRecord.current(database, agency: .cbp, onOrBefore: F.date("2024-10-19"))
        XCTAssertEqual(earlier?.fileName, "early.csv")
        XCTAssertNil(try ExtractRecord.current(database, agency: .ice, onOrBefore: F.date("2024-10-28")))
    }
}
