/// A published cell with its rounded value only.
public struct PublishedCell: Sendable, Equatable {
    public var fiscalYear: Int
    public var quarter: String
    public var region: String
    public var measure: Measure
    /// Value rounded to the nearest 10: pounds, presses or whole dollars.
    public var published: Int64

    public init(fiscalYear: Int, quarter: String, region: String, measure: Measure, published: Int64) {
        self.fiscalYear = fiscalYear
        self.quarter = quarter
        self.region = region
        self.measure = measure
        self.published = published
    }

    public var key: CellKey { CellKey(fiscalYear: fiscalYear, quarter: quarter, region: region, measure: measure) }
}

/// The coordinates of a published cell.
public struct CellKey: Hashable, Sendable {
    public var fiscalYear: Int
    public var quarter: String
    public var region: String
    public var measure: Measure

    public init(fiscalYear: Int, quarter: String, region: String, measure: Measure) {
        self.fiscalYear = fiscalYear
        self.quarter = quarter
        self.region = region
        self.measure = measure
    }
}

/// A seizure counted in a release's table, with what it adds to each measure.
public struct CountedSeizure: Sendable, Equatable {
    public var fpf: String
    public var fiscalYear: Int
    public var quarter: String
    public var region: String
    public var fentanylLbs: Double
    public var pillPresses: Int64
    public var currencyCents: Int64
    public var propertyCents: Int64

    public init(fpf: String, fiscalYear: Int, quarter: String, region: String, fentanylLbs: Double = 0,
        pillPresses: Int64 = 0, currencyCents: Int64 = 0, propertyCents: Int64 = 0)
    {
        self.fpf = fpf
        self.fiscalYear = fiscalYear
        self.quarter = quarter
        self.region = region
        self.fentanylLbs = fentanylLbs
        self.pillPresses = pillPresses
        self.currencyCents = currencyCents
        self.propertyCents = propertyCents
    }

    /// Returns what the seizure adds to `measure`, as compared between releases: pounds in hundredths
    /// (rounded as the discrepancy rule does, so that a unit conversion's last bits are no
    /// revision), presses, dollars in cents.
    func comparableAmount(of measure: Measure) -> Int64 {
        switch measure {
        case .fentanylLbs: return hundredthsOfPound(fentanylLbs)
        case .pillPresses: return pillPresses
        case .currencyUSD: return currencyCents
        case .propertyUSD: return propertyCents
        }
    }

    /// True when a seizure would appear in other cells or with other amounts, pounds compared
    /// to two decimals.
    func differs(from other: CountedSeizure) -> Bool {
        fiscalYear != other.fiscalYear || quarter != other.quarter || region != other.region
            || Measure.allCases.contains { comparableAmount(of: $0) != other.comparableAmount(of: $0) }
    }

    /// Lists the cells the seizure counts in for `measure`: its quarter and the year, its region
    /// and ALL.
    func cellKeys(for measure: Measure) -> [CellKey] {
        var keys: [CellKey] = []
        for quarter in [quarter, "ALL"] {
            for region in [region, "ALL"] {
                keys.append(CellKey(fiscalYear: fiscalYear, quarter: quarter, region: region, measure: measure))
            }
        }
        return keys
    }
}

/// A published cell whose value differs from the previous release, with the seizures behind
/// the change.
public struct PublishedCellChange: Sendable, Equatable {
    public var key: CellKey
    /// Published value in the previous release; nil when it did not publish the cell.
    public var previous: Int64?
    /// Published value in this release; nil when it does not publish the cell.
    public var current: Int64?
    /// Seizures that add to the cell now but did not before.
    public var added: Int
    /// Seizures that added to the cell before but do not now.
    public var removed: Int
    /// Seizures in the cell in both releases whose amount changed (pounds compared to two
    /// decimals).
    public var revised: Int
}

/// Counts of counted seizures that differ between two releases.
public struct SeizureChangeCounts: Sendable, Equatable {
    /// FPFs counted now and not in the previous release.
    public var added = 0
    /// FPFs counted in the previous release and not now.
    public var removed = 0
    /// FPFs counted in both whose fiscal year, quarter, region or any amount changed (pounds
    /// compared to two decimals).
    public var revised = 0
}

/// Compares two releases' published cells and lists the cells whose value moved, in the order
/// of `current` (then cells only the previous release had, in its order). Behind each moved cell,
/// a seizure counts only when what it adds to that cell changed: added (nothing before, now a
/// non-zero amount), removed (the reverse) or revised (non-zero in both and different, pounds
/// compared to two decimals). A seizure whose date or region moved is removed from its old cells
/// and added to its new ones.
public func cellChanges(previousCells: [PublishedCell], currentCells: [PublishedCell],
    previousSeizures: [CountedSeizure], currentSeizures: [CountedSeizure]) -> [PublishedCellChange]
{
    var previousValues: [CellKey: Int64] = [:]
    for cell in previousCells { previousValues[cell.key] = cell.published }
    let currentKeys = Set(currentCells.map(\.key))
    var changes: [PublishedCellChange] = []
    for cell in currentCells where previousValues[cell.key] != cell.published {
        changes.append(PublishedCellChange(key: cell.key, previous: previousValues[cell.key], current: cell.published,
            added: 0, removed: 0, revised: 0))
    }
    for cell in previousCells where !currentKeys.contains(cell.key) {
        changes.append(PublishedCellChange(key: cell.key, previous: cell.published, current: nil,
            added: 0, removed: 0, revised: 0))
    }
    guard !changes.isEmpty else { return [] }

    var position: [CellKey: Int] = [:]
    for (index, change) in changes.enumerated() { position[change.key] = index }
    // What each FPF adds to each moved cell, before and now; nil when it adds nothing.
    var amounts: [CellKey: [String: (before: Int64?, now: Int64?)]] = [:]
    func collect(_ seizures: [CountedSeizure], isCurrent: Bool) {
        for seizure in seizures {
            for measure in Measure.allCases {
                let isZero = measure == .fentanylLbs ? seizure.fentanylLbs == 0 : seizure.comparableAmount(of: measure) == 0
                guard !isZero else { continue }
                let amount = seizure.comparableAmount(of: measure)
                for key in seizure.cellKeys(for: measure) where position[key] != nil {
                    var pair = amounts[key, default: [:]][seizure.fpf] ?? (nil, nil)
                    if isCurrent { pair.now = amount } else { pair.before = amount }
                    amounts[key, default: [:]][seizure.fpf] = pair
                }
            }
        }
    }
    collect(previousSeizures, isCurrent: false)
    collect(currentSeizures, isCurrent: true)
    for (key, byFPF) in amounts {
        let index = position[key]!
        for pair in byFPF.values {
            switch (pair.before, pair.now) {
            case (nil, _?): changes[index].added += 1
            case (_?, nil): changes[index].removed += 1
            case let (before?, now?) where before != now: changes[index].revised += 1
            default: break
            }
        }
    }
    return changes
}

/// Counts the FPFs counted in only one of two releases, and those counted in both whose cell
/// coordinates or amounts differ (pounds compared to two decimals).
public func seizureChangeCounts(previous: [CountedSeizure], current: [CountedSeizure]) -> SeizureChangeCounts {
    var before: [String: CountedSeizure] = [:]
    for seizure in previous { before[seizure.fpf] = seizure }
    var counts = SeizureChangeCounts()
    var seen = Set<String>()
    for seizure in current {
        seen.insert(seizure.fpf)
        guard let old = before[seizure.fpf] else {
            counts.added += 1
            continue
        }
        if seizure.differs(from: old) { counts.revised += 1 }
    }
    counts.removed = before.keys.filter { !seen.contains($0) }.count
    return counts
}
