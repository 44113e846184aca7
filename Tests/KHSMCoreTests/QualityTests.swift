import XCTest
@testable import KHSMCore

final class QualityTests: XCTestCase {
    private typealias F = RuleFixture
    private let period = 2023...2024

    private func input(_ agency: Agency, _ items: [LineItem]) -> ExtractInput {
        ExtractInput(extractID: agency == .cbp ? 1 : 2, agency: agency, fileName: "\(agency).csv",
            extractedOn: F.date(agency == .cbp ? "2024-10-20" : "2024-10-25"), items: items)
    }

    private func line(_ number: Int, outcome: LineOutcome, reason: ExclusionReason? = nil) -> LineItem {
        var item = F.acceptedLine(number, fpf: F.validFPF, pounds: 1)
        item.outcome = outcome
        item.reason = reason
        return item
    }

    private func figure(_ computation: ReleaseComputation, _ name: String, agency: String = "")
        -> QualityFigure?
    {
        computation.quality.first { $0.figure == name && $0.agency == agency }
    }

    func testUndercountOverInScopeLines() throws {
        let items = [
            F.acceptedLine(2, fpf: "2024250100000101", pounds: 1),
            F.acceptedLine(3, fpf: "2024250100000201", date: "2019-01-01", pounds: 1),
            line(4, outcome: .excluded, reason: .missingFPF),
            line(5, outcome: .excluded, reason: .missingFPF),
            line(6, outcome: .excluded, reason: .invalidDate),
            line(7, outcome: .excluded, reason: .outsideUS),
            line(8, outcome: .excluded, reason: .unknownCommodity),
            line(9, outcome: .outOfScope),
            line(10, outcome: .outOfScope),
            line(11, outcome: .blank),
        ]
        let computation = ReleaseComputation(cbp: input(.cbp, items), ice: nil, moreRecent: .cbp,
            fiscalYears: period)
        let undercount = try XCTUnwrap(figure(computation, "undercount", agency: "CBP"))
        XCTAssertEqual(undercount.numerator, 2)
        XCTAssertEqual(undercount.denominator, 6)
        XCTAssertNil(figure(computation, "undercount", agency: "ICE"))
    }

    func testUndercountPerAgency() throws {
        let cbp = [line(2, outcome: .excluded, reason: .missingFPF), F.acceptedLine(3, fpf: F.validFPF, pounds: 1)]
        let ice = [F.acceptedLine(2, fpf: F.validFPF, pounds: 1)]
        let computation = ReleaseComputation(cbp: input(.cbp, cbp), ice: input(.ice, ice), moreRecent: .ice,
            fiscalYears: period)
        XCTAssertEqual(figure(computation, "undercount", agency: "CBP")?.value, 0.5)
        XCTAssertEqual(figure(computation, "undercount", agency: "ICE")?.value, 0)
    }

    func testJointShareOverCountedSeizures() throws {
        let cbp = [
            F.acceptedLine(2, fpf: "2024250100000101", pounds: 30),
            F.acceptedLine(3, fpf: "2024250100000201", pounds: 50),
            F.acceptedLine(4, fpf: "2024250100000301", date: "2019-01-01", pounds: 1000),
        ]
        let ice = [
            F.acceptedLine(2, fpf: "2024250100000101", pounds: 20),
            F.acceptedLine(3, fpf: "2024250100000301", date: "2019-01-01", pounds: 1000),
            F.acceptedLine(4, fpf: "2024250100000401", pounds: 30),
        ]
        let computation = ReleaseComputation(cbp: input(.cbp, cbp), ice: input(.ice, ice), moreRecent: .ice,
            fiscalYears: period)
        let share = try XCTUnwrap(figure(computation, "joint_share_lbs"))
        XCTAssertEqual(share.numerator, 20)
        XCTAssertEqual(share.denominator, 100)
        XCTAssertEqual(share.value, 0.2)
    }

    func testDiscrepancyRateOverCountedSeizures() throws {
        let cbp = [
            F.acceptedLine(2, fpf: "2024250100000101", pounds: 30),
            F.acceptedLine(3, fpf: "2024250100000201", pounds: 5),
            F.acceptedLine(4, fpf: "2024250100000301", date: "2019-01-01", pounds: 7),
            F.acceptedLine(5, fpf: "2024250100000401", pounds: 1),
        ]
        let ice = [
            F.acceptedLine(2, fpf: "2024250100000101", pounds: 20),
            F.acceptedLine(3, fpf: "2024250100000201", pounds: 5),
            F.acceptedLine(4, fpf: "2024250100000301", date: "2019-01-01", pounds: 8),
        ]
        let computation = ReleaseComputation(cbp: input(.cbp, cbp), ice: input(.ice, ice), moreRecent: .ice,
            fiscalYears: period)
        let rate = try XCTUnwrap(figure(computation, "discrepancy_rate"))
        XCTAssertEqual(rate.numerator, 1)
        XCTAssertEqual(rate.denominator, 3)
        XCTAssertEqual(computation.discrepancies.count, 2)
        XCTAssertEqual(computation.countedSeizures, 3)
    }

    func testNoPoundsGivesNoJointShare() throws {
        let ice = [F.acceptedLine(2, fpf: F.validFPF, measure: .currencyUSD, cents: 100)]
        let computation = ReleaseComputation(cbp: nil, ice: input(.ice, ice), moreRecent: .ice,
            fiscalYears: period)
        XCTAssertNil(try XCTUnwrap(figure(computation, "joint_share_lbs")).value)
    }
}
