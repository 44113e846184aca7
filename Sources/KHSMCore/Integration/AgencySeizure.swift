/// One agency's seizure in one extract: its accepted in-scope line items of one FPF.
public struct AgencySeizure: Sendable, Equatable {
    public var fpf: String
    /// The earliest line date.
    public var date: CalendarDate
    /// The region and office of the earliest-dated line; file order breaks ties.
    public var region: String
    public var aor: String
    public var fentanylLbs: Double = 0
    public var pillPresses: Int64 = 0
    public var currencyCents: Int64 = 0
    public var propertyCents: Int64 = 0
    /// File lines of the line items, in file order.
    public var lines: [Int] = []

    /// Groups accepted line items by FPF. `items` must be in file order, so that sums in double
    /// precision are taken in that order.
    public static func build(from items: [LineItem]) -> [String: AgencySeizure] {
        var seizures: [String: AgencySeizure] = [:]
        for item in items where item.outcome == .accepted {
            guard let fpf = item.fpf, let date = item.date, let region = item.region,
                let aor = item.aor, let measure = item.measure
            else { continue }
            add(line: item.line, fpf: fpf, date: date, region: region, aor: aor, measure: measure,
                pounds: item.pounds, presses: item.presses, cents: item.cents, to: &seizures)
        }
        return seizures
    }

    /// Adds one accepted line item to the seizure of its FPF in `seizures`. Lines must come in
    /// file order.
    static func add(line: Int, fpf: String, date: CalendarDate, region: String, aor: String,
        measure: Measure, pounds: Double?, presses: Int64?, cents: Int64?,
        to seizures: inout [String: AgencySeizure])
    {
        // Changed in place in the dictionary: a copy out and back would copy `lines` each time.
        seizures[fpf, default: AgencySeizure(fpf: fpf, date: date, region: region, aor: aor)]
            .add(line: line, date: date, region: region, aor: aor, measure: measure, pounds: pounds,
                presses: presses, cents: cents)
    }

    private mutating func add(line: Int, date: CalendarDate, region: String, aor: String,
        measure: Measure, pounds: Double?, presses: Int64?, cents: Int64?)
    {
        if date < self.date {
            self.date = date
            self.region = region
            self.aor = aor
        }
        switch measure {
        case .fentanylLbs: fentanylLbs += pounds ?? 0
        case .pillPresses: pillPresses += presses ?? 0
        case .currencyUSD: currencyCents += cents ?? 0
        case .propertyUSD: propertyCents += cents ?? 0
        }
        lines.append(line)
    }
}
