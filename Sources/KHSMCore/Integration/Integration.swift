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
///
/// The rounding applies to the shortest decimal that reads back as the same double, so 1.005
/// gives 1.01 as written, although its binary value is 1.00499999999999989…. Multiplying by
/// 100 in binary would round 1.005 down but 2.675 up. Values of 1e16 pounds or more, and
/// values that are not finite, give `Int64.max` (or `Int64.min` when negative).
func hundredthsOfPound(_ pounds: Double) -> Int64 {
    // Below 1e16 pounds the hundredths fit in 18 digits, so Int64 cannot overflow.
    guard pounds.isFinite, pounds.magnitude < 1e16,
        let decimal = DecimalNumber(Substring("\(pounds)"))
    else { return pounds < 0 ? .min : .max }
    let digits = Array(decimal.digits.utf8).map { Int64($0 - 48) }
    // The value in hundredths is `digits × 10^shift`.
    let shift = decimal.exponent + 2
    var hundredths: Int64 = 0
    if shift >= 0 {
        for digit in digits { hundredths = hundredths * 10 + digit }
        for _ in 0..<shift { hundredths *= 10 }
    } else {
        let keptCount = digits.count + shift
        for digit in digits.prefix(max(keptCount, 0)) { hundredths = hundredths * 10 + digit }
        // The first dropped digit decides: 5 or more is at least half a hundredth.
        if keptCount >= 0 && digits[keptCount] >= 5 { hundredths += 1 }
    }
    return decimal.isNegative ? -hundredths : hundredths
}

/// Integrates the two agencies' seizures. An FPF in one extract is counted from it. An FPF in
/// both is counted once, with date, region, pounds and presses from `moreRecent` and dollars
/// always from ICE; it is a discrepancy when pounds (to two decimals) or presses differ.
public func integrate(cbp: [String: AgencySeizure], ice: [String: AgencySeizure],
    moreRecent: Agency, fiscalYears: ClosedRange<Int>) -> [IntegratedSeizure]
{
    let pairs = pairsInFPFOrder(cbp, ice)
    var result: [IntegratedSeizure] = []
    result.reserveCapacity(pairs.count)
    for (cbpIndex, iceIndex) in pairs {
        let fpf = cbpIndex.map { cbp[$0].key } ?? ice[iceIndex!].key
        let cbpSeizure = cbpIndex.map { cbp[$0].value }
        let iceSeizure = iceIndex.map { ice[$0].value }
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

typealias SeizureIndex = Dictionary<String, AgencySeizure>.Index

/// The positions of each FPF of either agency in the two dictionaries, in ascending FPF order.
///
/// Both sides are sorted and merged, which spares two hashed look-ups per FPF. Canonical FPFs
/// are 16 ASCII digits, whose numeric order is their text order, so they sort as numbers.
private func pairsInFPFOrder(_ cbp: [String: AgencySeizure], _ ice: [String: AgencySeizure])
    -> [(SeizureIndex?, SeizureIndex?)]
{
    let cbpNumbers = cbp.keys.map(sixteenDigitValue)
    let iceNumbers = ice.keys.map(sixteenDigitValue)
    if !cbpNumbers.contains(nil) && !iceNumbers.contains(nil) {
        return mergeSorted(zip(cbpNumbers.map { $0! }, cbp.indices), zip(iceNumbers.map { $0! }, ice.indices))
    }
    return mergeSorted(zip(cbp.keys, cbp.indices), zip(ice.keys, ice.indices))
}

/// Merges two sequences of (sort key, position) in ascending key order, pairing equal keys.
private func mergeSorted<Key: Comparable, Entries: Sequence>(_ cbp: Entries, _ ice: Entries)
    -> [(SeizureIndex?, SeizureIndex?)] where Entries.Element == (Key, SeizureIndex)
{
    let cbp = cbp.sorted { $0.0 < $1.0 }
    let ice = ice.sorted { $0.0 < $1.0 }
    var pairs: [(SeizureIndex?, SeizureIndex?)] = []
    pairs.reserveCapacity(max(cbp.count, ice.count))
    var i = 0
    var j = 0
    while i < cbp.count || j < ice.count {
        if j == ice.count || (i < cbp.count && cbp[i].0 < ice[j].0) {
            pairs.append((cbp[i].1, nil))
            i += 1
        } else if i == cbp.count || ice[j].0 < cbp[i].0 {
            pairs.append((nil, ice[j].1))
            j += 1
        } else {
            pairs.append((cbp[i].1, ice[j].1))
            i += 1
            j += 1
        }
    }
    return pairs
}

/// The value of 16 ASCII digits, or nil for any other text.
private func sixteenDigitValue(_ text: String) -> UInt64? {
    guard text.utf8.count == 16 else { return nil }
    var value: UInt64 = 0
    for byte in text.utf8 {
        guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
    }
    return value
}
