/// One cell of the published table.
public struct Cell: Sendable, Equatable {
    public var fiscalYear: Int
    public var quarter: String
    public var region: String
    public var measure: Measure
    /// Exact pounds (fentanyl), or nil for other measures.
    public var exactPounds: Double?
    /// Exact count (pill presses) or exact cents (dollar measures).
    public var exactInteger: Int64?
    public var seizureCount: Int

    /// The exact value rounded to the nearest 10, halves away from zero, in pounds, presses or
    /// whole dollars.
    public var published: Int64 {
        if let exactPounds {
            return Int64((exactPounds / 10).rounded(.toNearestOrAwayFromZero)) * 10
        }
        let value = exactInteger ?? 0
        // Ten dollars are 1,000 cents.
        return measure.isMoney ? roundToStep(value, 1000) / 100 : roundToStep(value, 10)
    }

    /// The exact value as text: pounds in full double precision, dollars with two decimals.
    public var exactText: String {
        if let exactPounds { return "\(exactPounds)" }
        let value = exactInteger ?? 0
        return measure.isMoney ? formatCents(value) : "\(value)"
    }

    public var key: String { "\(fiscalYear),\(quarter),\(region),\(measure.rawValue)" }
}

/// Rounds `value` to a multiple of `step`, halves away from zero.
func roundToStep(_ value: Int64, _ step: Int64) -> Int64 {
    let half = step / 2
    if value >= 0 {
        return (value + half) / step * step
    }
    return -((-value + half) / step * step)
}

/// Writes cents as dollars with two decimals, like `12345.67`.
public func formatCents(_ cents: Int64) -> String {
    let sign = cents < 0 ? "-" : ""
    let magnitude = cents.magnitude
    let fraction = magnitude % 100
    return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// Builds every cell of the published table, in export order: fiscal year, quarter (Q1..Q4,
/// ALL), region (Southwest, North, Southeast, OCONUS, ALL), measure.
public func buildTable(seizures: [IntegratedSeizure], fiscalYears: ClosedRange<Int>) -> [Cell] {
    var cells: [Cell] = []
    for year in fiscalYears {
        for quarter in publishedQuarters {
            for region in publishedRegions {
                for measure in Measure.allCases {
                    cells.append(Cell(fiscalYear: year, quarter: quarter, region: region, measure: measure,
                        exactPounds: measure == .fentanylLbs ? 0 : nil,
                        exactInteger: measure == .fentanylLbs ? nil : 0, seizureCount: 0))
                }
            }
        }
    }
    // A cell's position follows from the loops above, so each seizure finds its cells by
    // arithmetic on the indexes of its year, quarter and region.
    let quarterIndexes = Dictionary(uniqueKeysWithValues: publishedQuarters.enumerated().map { ($1, $0) })
    let regionIndexes = Dictionary(uniqueKeysWithValues: publishedRegions.enumerated().map { ($1, $0) })
    let allQuarters = publishedQuarters.count - 1
    let allRegions = publishedRegions.count - 1
    let measures = Measure.allCases.count
    for seizure in seizures where seizure.inPeriod && fiscalYears.contains(seizure.fiscalYear) {
        guard let quarter = quarterIndexes[seizure.quarter] else { continue }
        // A region that the table does not list still counts in the national total.
        let regions = [regionIndexes[seizure.region], allRegions].compactMap { $0 }
        let year = seizure.fiscalYear - fiscalYears.lowerBound
        for quarterIndex in [quarter, allQuarters] {
            for regionIndex in regions {
                let first = ((year * publishedQuarters.count + quarterIndex) * publishedRegions.count
                    + regionIndex) * measures
                for (offset, measure) in Measure.allCases.enumerated() {
                    let position = first + offset
                    cells[position].seizureCount += 1
                    switch measure {
                    case .fentanylLbs: cells[position].exactPounds! += seizure.fentanylLbs
                    case .pillPresses: cells[position].exactInteger! += seizure.pillPresses
                    case .currencyUSD: cells[position].exactInteger! += seizure.currencyCents
                    case .propertyUSD: cells[position].exactInteger! += seizure.propertyCents
                    }
                }
            }
        }
    }
    return cells
}

/// Writes the published table as CSV: a header, then one row per cell in export order.
public func tableCSV(_ cells: [Cell]) -> String {
    var text = "fiscal_year,quarter,region,measure,value\n"
    for cell in cells {
        text += "\(cell.fiscalYear),\(cell.quarter),\(cell.region),\(cell.measure.rawValue),\(cell.published)\n"
    }
    return text
}
