import XCTest
@testable import KHSMCore

final class TableTests: XCTestCase {
    private typealias F = RuleFixture
    private let period = 2023...2024

    /// Integrates one-agency ICE seizures, numbered in order, and builds the table.
    private func table(_ seizures: [AgencySeizure], fiscalYears: ClosedRange<Int> = 2023...2024) -> [Cell] {
        var ice: [String: AgencySeizure] = [:]
        for (index, seizure) in seizures.enumerated() {
            var numbered = seizure
            numbered.fpf = String(2_024_250_100_000_000 + index)
            ice[numbered.fpf] = numbered
        }
        let integrated = integrate(cbp: [:], ice: ice, moreRecent: .ice, fiscalYears: fiscalYears)
        return buildTable(seizures: integrated, fiscalYears: fiscalYears)
    }

    private func cell(_ cells: [Cell], _ year: Int, _ quarter: String, _ region: String, _ measure: Measure)
        -> Cell?
    {
        cells.first {
            $0.fiscalYear == year && $0.quarter == quarter && $0.region == region && $0.measure == measure
        }
    }

    private func poundsCell(_ pounds: Double) -> Cell {
        Cell(fiscalYear: 2024, quarter: "Q1", region: "ALL", measure: .fentanylLbs, exactPounds: pounds,
            exactInteger: nil, seizureCount: 1)
    }

    private func integerCell(_ value: Int64, _ measure: Measure) -> Cell {
        Cell(fiscalYear: 2024, quarter: "Q1", region: "ALL", measure: measure, exactPounds: nil,
            exactInteger: value, seizureCount: 1)
    }

    // MARK: Rounding

    func testPoundsRoundToNearestTenHalvesAway() {
        let cases: [(Double, Int64)] = [
            (0, 0), (4.99, 0), (4.999999999, 0), (5, 10), (14.99, 10), (15, 20), (25, 30), (1175.3385, 1180),
            (1123.14853751, 1120), (44.9999, 40), (45, 50),
        ]
        for (pounds, published) in cases {
            XCTAssertEqual(poundsCell(pounds).published, published, "\(pounds)")
        }
    }

    func testPressesRoundToNearestTenHalvesAway() {
        let cases: [(Int64, Int64)] = [(0, 0), (2, 0), (4, 0), (5, 10), (14, 10), (15, 20), (25, 30)]
        for (presses, published) in cases {
            XCTAssertEqual(integerCell(presses, .pillPresses).published, published, "\(presses)")
        }
    }

    func testDollarsRoundToNearestTenHalvesAway() {
        let cases: [(Int64, Int64)] = [
            (0, 0), (499, 0), (500, 10), (1499, 10), (1500, 20), (1_234_567, 12_350),
            (4_500_500, 45_010), (2500, 30),
        ]
        for (cents, published) in cases {
            XCTAssertEqual(integerCell(cents, .currencyUSD).published, published, "\(cents) cents")
            XCTAssertEqual(integerCell(cents, .propertyUSD).published, published, "\(cents) cents")
        }
    }

    func testTotalsRoundFromExactTotals() {
        let cells = table([
            F.seizure("", date: "2023-11-01", region: "Southwest", lbs: 4),
            F.seizure("", date: "2024-02-01", region: "Southwest", lbs: 4),
            F.seizure("", date: "2024-02-01", region: "North", lbs: 3, presses: 3),
            F.seizure("", date: "2024-02-01", region: "Southeast", presses: 3),
        ])
        XCTAssertEqual(cell(cells, 2024, "Q1", "Southwest", .fentanylLbs)?.published, 0)
        XCTAssertEqual(cell(cells, 2024, "Q2", "Southwest", .fentanylLbs)?.published, 0)
        XCTAssertEqual(cell(cells, 2024, "ALL", "Southwest", .fentanylLbs)?.published, 10)
        XCTAssertEqual(cell(cells, 2024, "Q2", "ALL", .fentanylLbs)?.published, 10)
        XCTAssertEqual(cell(cells, 2024, "ALL", "ALL", .fentanylLbs)?.published, 10)
        XCTAssertEqual(cell(cells, 2024, "Q2", "North", .pillPresses)?.published, 0)
        XCTAssertEqual(cell(cells, 2024, "Q2", "ALL", .pillPresses)?.published, 10)
    }

    func testTotalBelowSumOfRoundedCells() {
        let cells = table([
            F.seizure("", date: "2024-02-01", region: "Southwest", lbs: 5),
            F.seizure("", date: "2024-02-01", region: "North", lbs: 5),
            F.seizure("", date: "2024-02-01", region: "Southeast", lbs: 5),
            F.seizure("", date: "2024-02-01", region: "OCONUS", lbs: 5),
            F.seizure("", date: "2024-02-01", region: "North", currencyCents: 250),
            F.seizure("", date: "2024-02-01", region: "Southwest", currencyCents: 250),
        ])
        XCTAssertEqual(cell(cells, 2024, "Q2", "North", .fentanylLbs)?.published, 10)
        XCTAssertEqual(cell(cells, 2024, "Q2", "ALL", .fentanylLbs)?.published, 20)
        XCTAssertEqual(cell(cells, 2024, "Q2", "North", .currencyUSD)?.published, 0)
        XCTAssertEqual(cell(cells, 2024, "Q2", "ALL", .currencyUSD)?.published, 10)
    }

    func testManyDimesPublishExactly() {
        // Fifty $0.10 seizures are exactly $5.00, which rounds to $10; a double sum gives
        // 4.999999999999998 and would publish $0.
        let cells = table((0..<50).map { _ in F.seizure("", currencyCents: 10) })
        let total = cell(cells, 2024, "ALL", "ALL", .currencyUSD)
        XCTAssertEqual(total?.exactInteger, 500)
        XCTAssertEqual(total?.published, 10)
        XCTAssertEqual(total?.exactText, "5.00")
    }

    // MARK: Cells

    func testEmptyCellsArePublishedAsZero() {
        let cells = table([])
        XCTAssertEqual(cells.count, 2 * 5 * 5 * 4)
        XCTAssertTrue(cells.allSatisfy { $0.published == 0 })
        XCTAssertTrue(cells.allSatisfy { $0.seizureCount == 0 })
    }

    func testSeizureFillsItsCellsAndTotals() {
        let cells = table([F.seizure("", date: "2024-05-01", region: "OCONUS", lbs: 25)])
        for (quarter, region) in [("Q3", "OCONUS"), ("Q3", "ALL"), ("ALL", "OCONUS"), ("ALL", "ALL")] {
            XCTAssertEqual(cell(cells, 2024, quarter, region, .fentanylLbs)?.published, 30, "\(quarter) \(region)")
        }
        XCTAssertEqual(cell(cells, 2024, "Q2", "OCONUS", .fentanylLbs)?.published, 0)
        XCTAssertEqual(cell(cells, 2024, "Q3", "North", .fentanylLbs)?.published, 0)
        XCTAssertEqual(cell(cells, 2023, "ALL", "ALL", .fentanylLbs)?.published, 0)
    }

    // MARK: Period

    func testFiscalYearBoundariesPickTheCell() {
        let cells = table([
            F.seizure("", date: "2023-09-30", lbs: 100),
            F.seizure("", date: "2023-10-01", lbs: 200),
            F.seizure("", date: "2023-12-31", lbs: 300),
            F.seizure("", date: "2024-01-01", lbs: 400),
        ])
        XCTAssertEqual(cell(cells, 2023, "Q4", "Southwest", .fentanylLbs)?.published, 100)
        XCTAssertEqual(cell(cells, 2024, "Q1", "Southwest", .fentanylLbs)?.published, 500)
        XCTAssertEqual(cell(cells, 2024, "Q2", "Southwest", .fentanylLbs)?.published, 400)
    }

    func testSeizuresOutsidePeriodAreNotCounted() {
        let cells = table([
            F.seizure("", date: "2022-09-30", lbs: 1000),
            F.seizure("", date: "2022-10-01", lbs: 10),
            F.seizure("", date: "2024-09-30", lbs: 20),
            F.seizure("", date: "2024-10-01", lbs: 2000),
        ])
        let total = cells.filter { $0.quarter == "ALL" && $0.region == "ALL" && $0.measure == .fentanylLbs }
            .map(\.published)
        XCTAssertEqual(total, [10, 20])
    }

    func testPeriodIsConfigurable() {
        let cells = table([F.seizure("", date: "2022-09-30", lbs: 1000)], fiscalYears: 2022...2022)
        XCTAssertEqual(cells.count, 100)
        XCTAssertEqual(cell(cells, 2022, "Q4", "Southwest", .fentanylLbs)?.published, 1000)
    }

    // MARK: Export

    func testExportOrder() {
        let lines = tableCSV(table([])).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 201)
        XCTAssertEqual(lines[0], "fiscal_year,quarter,region,measure,value")
        XCTAssertEqual(Array(lines[1...5]), [
            "2023,Q1,Southwest,fentanyl_lbs,0", "2023,Q1,Southwest,pill_presses,0",
            "2023,Q1,Southwest,currency_usd,0", "2023,Q1,Southwest,property_usd,0",
            "2023,Q1,North,fentanyl_lbs,0",
        ])
        let keys = lines.dropFirst().map { $0.split(separator: ",").prefix(4).joined(separator: ",") }
        var expected: [String] = []
        for year in [2023, 2024] {
            for quarter in ["Q1", "Q2", "Q3", "Q4", "ALL"] {
                for region in ["Southwest", "North", "Southeast", "OCONUS", "ALL"] {
                    for measure in ["fentanyl_lbs", "pill_presses", "currency_usd", "property_usd"] {
                        expected.append("\(year),\(quarter),\(region),\(measure)")
                    }
                }
            }
        }
        XCTAssertEqual(keys, expected)
    }

    func testExportHoldsRoundedValues() {
        let text = tableCSV(table([F.seizure("", date: "2024-02-01", lbs: 1123.14853751,
            currencyCents: 1_234_567)]))
        XCTAssertTrue(text.contains("2024,Q2,Southwest,fentanyl_lbs,1120\n"))
        XCTAssertTrue(text.contains("2024,Q2,Southwest,currency_usd,12350\n"))
        XCTAssertFalse(text.contains("."))
    }
}
