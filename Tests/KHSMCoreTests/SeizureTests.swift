import XCTest
@testable import KHSMCore

final class SeizureTests: XCTestCase {
    private typealias F = RuleFixture
    private let fpf = "2024250100000101"

    func testMeasuresAreSummedPerFPF() throws {
        let items = [
            F.acceptedLine(2, fpf: fpf, pounds: 22.0462262),
            F.acceptedLine(3, fpf: fpf, pounds: 1.5),
            F.acceptedLine(4, fpf: fpf, measure: .pillPresses, presses: 2),
            F.acceptedLine(5, fpf: fpf, measure: .pillPresses, presses: 3),
            F.acceptedLine(6, fpf: fpf, measure: .currencyUSD, cents: 1_234_567),
            F.acceptedLine(7, fpf: fpf, measure: .propertyUSD, cents: 500),
            F.acceptedLine(8, fpf: fpf, measure: .propertyUSD, cents: 4_500_000),
        ]
        let seizure = try XCTUnwrap(AgencySeizure.build(from: items)[fpf])
        XCTAssertEqual(seizure.fentanylLbs, 22.0462262 + 1.5)
        XCTAssertEqual(seizure.pillPresses, 5)
        XCTAssertEqual(seizure.currencyCents, 1_234_567)
        XCTAssertEqual(seizure.propertyCents, 4_500_500)
        XCTAssertEqual(seizure.lines, [2, 3, 4, 5, 6, 7, 8])
    }

    func testEachFPFIsOneSeizure() {
        let items = [
            F.acceptedLine(2, fpf: fpf, pounds: 1),
            F.acceptedLine(3, fpf: "2024250100000201", pounds: 2),
            F.acceptedLine(4, fpf: fpf, pounds: 4),
        ]
        let seizures = AgencySeizure.build(from: items)
        XCTAssertEqual(seizures.count, 2)
        XCTAssertEqual(seizures[fpf]?.fentanylLbs, 5)
        XCTAssertEqual(seizures["2024250100000201"]?.fentanylLbs, 2)
    }

    func testEarliestDateAndItsRegion() {
        let items = [
            F.acceptedLine(2, fpf: fpf, date: "2024-03-14", region: "Southwest", pounds: 1),
            F.acceptedLine(3, fpf: fpf, date: "2024-03-01", region: "North", pounds: 1),
            F.acceptedLine(4, fpf: fpf, date: "2024-03-20", region: "Southeast", pounds: 1),
        ]
        let seizure = AgencySeizure.build(from: items)[fpf]
        XCTAssertEqual(seizure?.date, F.date("2024-03-01"))
        XCTAssertEqual(seizure?.region, "North")
    }

    func testFileOrderBreaksDateTies() {
        let items = [
            F.acceptedLine(2, fpf: fpf, date: "2024-03-14", region: "Southeast", pounds: 1),
            F.acceptedLine(3, fpf: fpf, date: "2024-03-01", region: "North", pounds: 1),
            F.acceptedLine(4, fpf: fpf, date: "2024-03-01", region: "Southwest", pounds: 1),
        ]
        XCTAssertEqual(AgencySeizure.build(from: items)[fpf]?.region, "North")
    }

    func testNonAcceptedLinesAreIgnored() throws {
        var excluded = F.acceptedLine(2, fpf: fpf, date: "2023-01-01", region: "North", pounds: 100)
        excluded.outcome = .excluded
        excluded.reason = .invalidQuantity
        var outOfScope = F.acceptedLine(3, fpf: fpf, date: "2023-01-01", region: "North", pounds: 40)
        outOfScope.outcome = .outOfScope
        let items = [excluded, outOfScope, F.acceptedLine(4, fpf: fpf, pounds: 1)]
        let seizure = try XCTUnwrap(AgencySeizure.build(from: items)[fpf])
        XCTAssertEqual(seizure.fentanylLbs, 1)
        XCTAssertEqual(seizure.date, F.date("2024-03-14"))
        XCTAssertEqual(seizure.lines, [4])
    }

    func testOnlyExcludedLinesMakeNoSeizure() {
        var excluded = F.acceptedLine(2, fpf: fpf, pounds: 1)
        excluded.outcome = .excluded
        XCTAssertTrue(AgencySeizure.build(from: [excluded]).isEmpty)
    }

    func testManyDimesSumExactly() {
        let items = (0..<1000).map { F.acceptedLine($0 + 2, fpf: fpf, measure: .currencyUSD, cents: 10) }
        XCTAssertEqual(AgencySeizure.build(from: items)[fpf]?.currencyCents, 10_000)
    }

    func testSuffixedLinesJoinOneSeizure() throws {
        let first = try F.cleanse(.cbp, fpf: "2024250100000101-0001-0000", quantity: "10", unit: "KG")
        let second = try F.cleanse(.cbp, fpf: "2024250100000101-0002-0000", commodity: "Pill Press",
            quantity: "2", unit: "EA", line: 3)
        let seizure = AgencySeizure.build(from: [first, second])[fpf]
        XCTAssertEqual(seizure?.pillPresses, 2)
        XCTAssertEqual(seizure?.fentanylLbs ?? 0, 22.0462262, accuracy: 1e-12)
    }
}
