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
            var seizure = seizures[fpf]
                ?? AgencySeizure(fpf: fpf, date: date, region: region, aor: aor)
            if date < seizure.date {
                seizure.date = date
                seizure.region = region
                seizure.aor = aor
            }
            switch measure {
            case .fentanylLbs: seizure.fentanylLbs += item.pounds ?? 0
            case .pillPresses: seizure.pillPresses += item.presses ?? 0
            case .currencyUSD: seizure.currencyCents += item.cents ?? 0
            case .propertyUSD: seizure.propertyCents += item.cents ?? 0
            }
            seizure.lines.append(item.line)
            seizures[fpf] = seizure
        }
        return seizures
    }
}
