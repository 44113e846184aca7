/// A seizure counted once across both agencies.
public struct IntegratedSeizure: Sendable, Equatable {
    public var fpf: String
    /// The agency whose extract gave the date, region, pounds and presses.
    public var sideUsed: Agency
    public var cbp: AgencySeizure?
    public var ice: AgencySeizure?
    public var date: CalendarDate
    public var region: String
    public var fentanylLbs: Double
    public var pillPresses: Int64
    public var currencyCents: Int64
    public var propertyCents: Int64
    public var isDiscrepancy: Bool
    /// Whether the seizure's date falls in the reporting period, so it is counted in the table.
    public var inPeriod: Bool

    public var isJoint: Bool { cbp != nil && ice != nil }
    public var fiscalYear: Int { date.fiscalYear }
    public var quarter: String { date.fiscalQuarter }

    public func amount(of measure: Measure) -> Double {
        switch measure {
        case .fentanylLbs: return fentanylLbs
        case .pillPresses: return Double(pillPresses)
        case .currencyUSD: return Double(currencyCents) / 100
        case .propertyUSD: return Double(propertyCents) / 100
        }
    }
}

/// Rounds pounds to two decimals, halves away from zero, as an integer count of hundredths.
func hundredthsOfPound(_ pounds: Double) -> Int64 {
    Int64((pounds * 100).rounded(.toNearestOrAwayFromZero))
}

/// Integrates the two agencies' seizures: an FPF in one extract is counted from it; an FPF in
/// both is counted once, with date, region, pounds and presses from `moreRecent` and dollars
/// always from ICE, and is a discrepancy when pounds (to two decimals) or presses differ.
public func integrate(cbp: [String: AgencySeizure], ice: [String: AgencySeizure],
    moreRecent: Agency, fiscalYears: ClosedRange<Int>) -> [IntegratedSeizure]
{
    let allFPFs = Set(cbp.keys).union(ice.keys).sorted()
    var result: [IntegratedSeizure] = []
    result.reserveCapacity(allFPFs.count)
    for fpf in allFPFs {
        let cbpSeizure = cbp[fpf]
        let iceSeizure = ice[fpf]
        let side: Agency
        if cbpSeizure != nil && iceSeizure != nil {
            side = moreRecent
        } else {
            side = cbpSeizure != nil ? .cbp : .ice
        }
        let used = (side == .cbp ? cbpSeizure : iceSeizure)!
        var isDiscrepancy = false
        if let cbpSeizure, let iceSeizure {
            isDiscrepancy = hundredthsOfPound(cbpSeizure.fentanylLbs) != hundredthsOfPound(iceSeizure.fentanylLbs)
                || cbpSeizure.pillPresses != iceSeizure.pillPresses
        }
        result.append(IntegratedSeizure(
            fpf: fpf, sideUsed: side, cbp: cbpSeizure, ice: iceSeizure,
            date: used.date, region: used.region,
            fentanylLbs: used.fentanylLbs, pillPresses: used.pillPresses,
            currencyCents: iceSeizure?.currencyCents ?? 0,
            propertyCents: iceSeizure?.propertyCents ?? 0,
            isDiscrepancy: isDiscrepancy,
            inPeriod: fiscalYears.contains(used.date.fiscalYear)))
    }
    return result
}
