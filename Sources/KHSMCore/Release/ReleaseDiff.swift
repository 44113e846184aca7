/// The kind of change of a seizure between two releases, within a set of seizures: a release's
/// integrated seizures, or those counted in one cell.
public enum SeizureChangeKind: String, Sendable {
    /// The seizure is in the newer release's set only.
    case added
    /// The seizure is in the older release's set only.
    case removed
    /// The seizure is in both sets and differs. Among a release's seizures, a measure value, date,
    /// region, side used or period membership differs. Among a cell's seizures, the contribution
    /// differs.
    case revised

    /// Classifies a seizure that differs between two releases by the sets it is in. Returns nil
    /// when it is in neither.
    init?(inOlder: Bool, inNewer: Bool) {
        switch (inOlder, inNewer) {
        case (false, true): self = .added
        case (true, false): self = .removed
        case (true, true): self = .revised
        case (false, false): return nil
        }
    }
}

/// One field of a seizure that differs between two releases.
public struct FieldChange: Sendable, Equatable, CustomStringConvertible {
    /// `fentanyl_lbs`, `pill_presses`, `currency_usd`, `property_usd`, `date`, `quarter`,
    /// `region`, `side_used` or `counted`.
    public var field: String
    public var old: String
    public var new: String

    public init(field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }

    public var description: String { "\(field) \(old) -> \(new)" }
}

/// A seizure that explains part of a changed cell.
public struct SeizureChange: Sendable {
    public var fpf: String
    /// The change among the releases' integrated seizures: `revised` whenever both releases have
    /// the FPF, even when it left or joined this cell.
    public var kind: SeizureChangeKind
    /// Contribution to the cell in the older release; nil when the seizure is not counted there.
    public var oldContribution: Amount?
    /// Contribution to the cell in the newer release; nil when the seizure is not counted there.
    public var newContribution: Amount?
    /// New contribution minus old, each taken as zero when absent.
    public var difference: Amount
    /// Every field of the seizure that differs between the releases (revised seizures only).
    public var changes: [FieldChange]
    /// The extract that gave the measure in the older release; nil for added seizures.
    public var oldSource: ExtractRecord?
    /// The extract that gives the measure in the newer release; nil for removed seizures.
    public var newSource: ExtractRecord?
    /// A sentence naming the input that brought the change.
    public var cause: String

    /// The change among the seizures counted in this cell. A seizure whose quarter, region or
    /// period membership changed is removed from its old cells and added to its new ones.
    public var kindInCell: SeizureChangeKind {
        // A cell lists only seizures counted in it in at least one of the releases.
        SeizureChangeKind(inOlder: oldContribution != nil, inNewer: newContribution != nil)!
    }

    /// Whether the seizure stays in the cell with pounds that differ but round to the same
    /// hundredth, halves away from zero, as the discrepancy rule compares pounds. Converting
    /// kilograms to pounds gives such differences, for instance when a joint seizure's side used
    /// changes. Counts of changes meant for readers leave these revisions out.
    public var roundsToSameHundredth: Bool {
        guard case .pounds(let old)? = oldContribution, case .pounds(let new)? = newContribution else {
            return false
        }
        return hundredthsOfPound(old) == hundredthsOfPound(new)
    }
}

/// Numbers of seizures added, removed and revised.
public struct SeizureChangeCounts: Sendable, Equatable {
    public var added = 0
    public var removed = 0
    public var revised = 0

    public init(added: Int = 0, removed: Int = 0, revised: Int = 0) {
        self.added = added
        self.removed = removed
        self.revised = revised
    }

    mutating func count(_ kind: SeizureChangeKind) {
        switch kind {
        case .added: added += 1
        case .removed: removed += 1
        case .revised: revised += 1
        }
    }
}

/// A published cell whose exact or published value differs between two releases, with the
/// seizures that explain the difference.
public struct CellChange: Sendable {
    public var fiscalYear: Int
    public var quarter: String
    public var region: String
    public var measure: Measure
    /// The cell in the older release; nil when that release does not publish it (another period).
    public var old: FrozenCell?
    public var new: FrozenCell?
    /// The new exact value minus the old one (an absent cell counts as zero).
    public var difference: Amount
    public var publishedDifference: Int64
    /// Seizures whose contribution to the cell changed, in FPF order.
    public var seizures: [SeizureChange]
    /// The seizures' differences added up in FPF order: exactly for presses and cents, in double
    /// precision for pounds.
    public var explained: Amount
    /// Whether the older release's seizures, added up as the table adds them, give its frozen
    /// exact value bit for bit (and the same number of seizures).
    public var oldReproduced: Bool
    public var newReproduced: Bool
    /// For pounds, a bound on the rounding error of the double-precision sums involved (2·n·u·Σ|x|
    /// over both releases' sums and the sum of differences); zero for other measures.
    public var roundingBound: Double

    public var key: String {
        FrozenCell.key(fiscalYear: fiscalYear, quarter: quarter, region: region, measure: measure)
    }

    public var label: String { "FY\(fiscalYear) \(quarter) \(region) \(measure.rawValue)" }

    /// Whether the published value differs, counting a cell that only one release publishes.
    public var publishedValueChanged: Bool { old?.published != new?.published }

    /// The seizures added to, removed from and revised within the cell (`kindInCell`), leaving
    /// out revisions that round to the same hundredth of a pound.
    public var seizureCounts: SeizureChangeCounts {
        var counts = SeizureChangeCounts()
        for seizure in seizures where !seizure.roundsToSameHundredth {
            counts.count(seizure.kindInCell)
        }
        return counts
    }

    /// The cell difference minus the explained difference: zero for presses and cents; for
    /// pounds, the rounding of double-precision sums.
    public var residual: Amount { difference - explained }

    /// Whether the seizure differences account for the cell difference. For presses and cents
    /// they must match exactly. For pounds, both frozen values must reproduce bit for bit from
    /// the contributions, and the residual must be within the rounding bound.
    public var isExplained: Bool {
        guard oldReproduced && newReproduced else { return false }
        switch residual {
        case .pounds(let value): return abs(value) <= roundingBound
        case .count(let value), .cents(let value): return value == 0
        }
    }
}

/// Every changed cell between two frozen releases, each explained seizure by seizure.
public struct ReleaseDiff: Sendable {
    public var old: FrozenRelease
    public var new: FrozenRelease
    public var cellsCompared: Int
    /// Changed cells in the order of the newer release's table (cells it does not publish last).
    public var cells: [CellChange]
    /// Integrated seizures, counted in the table or not: FPFs in the newer release only, in the
    /// older only, and in both with some field changed (`fieldChanges`), however slightly.
    public var seizures: SeizureChangeCounts

    /// Changed cells whose published value differs, in the order of `cells`.
    public var publishedCells: [CellChange] { cells.filter(\.publishedValueChanged) }
    public var publishedChanges: Int { publishedCells.count }
    public var unexplainedCells: [CellChange] { cells.filter { !$0.isExplained } }

    /// The seizures whose contribution to a changed cell changed, each counted once by its
    /// `kind`, leaving out revisions that round to the same hundredth of a pound. Changes that leave every cell as it was (another
    /// side used with the same values, a date within the same quarter, a seizure outside the
    /// reporting period) are not counted.
    public var seizuresBehindCells: SeizureChangeCounts {
        var kinds: [String: SeizureChangeKind] = [:]
        for cell in cells {
            for seizure in cell.seizures where !seizure.roundsToSameHundredth {
                kinds[seizure.fpf] = seizure.kind
            }
        }
        var counts = SeizureChangeCounts()
        for kind in kinds.values { counts.count(kind) }
        return counts
    }
}

/// Compares two frozen releases: lists every cell whose exact or published value changed and
/// the seizures that explain each change (added, removed or revised, with the extract or
/// reference data that brought it). Reads only what the two releases froze.
public func diffReleases(_ database: Database, old oldName: String, new newName: String) throws -> ReleaseDiff {
    diffReleases(old: try FrozenRelease.load(database, name: oldName),
        new: try FrozenRelease.load(database, name: newName))
}

/// Compares two frozen releases as `diffReleases(_:old:new:)` does, from what they froze.
public func diffReleases(old: FrozenRelease, new: FrozenRelease) -> ReleaseDiff {
    let oldByFPF = Dictionary(old.seizures.map { ($0.fpf, $0) }, uniquingKeysWith: { first, _ in first })
    let newByFPF = Dictionary(new.seizures.map { ($0.fpf, $0) }, uniquingKeysWith: { first, _ in first })

    var oldCellByKey: [String: FrozenCell] = [:]
    for cell in old.cells { oldCellByKey[cell.key] = cell }
    let newKeys = Set(new.cells.map(\.key))
    var pairs: [(old: FrozenCell?, new: FrozenCell?)] = new.cells.map { (oldCellByKey[$0.key], $0) }
    pairs += old.cells.filter { !newKeys.contains($0.key) }.map { ($0, nil) }

    let context = DiffContext(old: old, new: new, oldByFPF: oldByFPF, newByFPF: newByFPF)
    let oldByCell = seizuresByCell(old.seizures)
    let newByCell = seizuresByCell(new.seizures)
    var changes: [CellChange] = []
    for (oldCell, newCell) in pairs {
        let anyCell = (newCell ?? oldCell)!
        let measure = anyCell.measure
        let oldExact = oldCell?.exact ?? .zero(measure)
        let newExact = newCell?.exact ?? .zero(measure)
        let oldPublished = oldCell?.published ?? 0
        let newPublished = newCell?.published ?? 0
        guard oldExact != newExact || oldPublished != newPublished || oldCell == nil || newCell == nil
        else { continue }
        changes.append(explainCell(oldCell: oldCell, newCell: newCell, template: anyCell,
            oldSeizures: oldByCell, newSeizures: newByCell, context: context))
    }

    var seizures = SeizureChangeCounts()
    for fpf in Set(oldByFPF.keys).union(newByFPF.keys) {
        let oldSeizure = oldByFPF[fpf]
        let newSeizure = newByFPF[fpf]
        if let oldSeizure, let newSeizure, fieldChanges(old: oldSeizure, new: newSeizure).isEmpty { continue }
        if let kind = SeizureChangeKind(inOlder: oldSeizure != nil, inNewer: newSeizure != nil) {
            seizures.count(kind)
        }
    }
    return ReleaseDiff(old: old, new: new, cellsCompared: pairs.count, cells: changes, seizures: seizures)
}

/// The two releases and their seizures by FPF, shared by the explanation of every cell.
private struct DiffContext {
    var old: FrozenRelease
    var new: FrozenRelease
    var oldByFPF: [String: FrozenSeizure]
    var newByFPF: [String: FrozenSeizure]
}

/// Groups counted seizures by the cells they fall in, keyed `fiscal year,quarter,region` with
/// `ALL` for the totals. `seizures` must be in FPF order, and each group keeps that order.
private func seizuresByCell(_ seizures: [FrozenSeizure]) -> [String: [FrozenSeizure]] {
    var groups: [String: [FrozenSeizure]] = [:]
    for seizure in seizures where seizure.inPeriod {
        for quarter in [seizure.quarter, "ALL"] {
            for region in [seizure.region, "ALL"] {
                groups["\(seizure.fiscalYear),\(quarter),\(region)", default: []].append(seizure)
            }
        }
    }
    return groups
}

/// Returns the contributions of the seizures counted in one cell, in FPF order.
private func contributions(_ groups: [String: [FrozenSeizure]], to cell: FrozenCell)
    -> [(fpf: String, amount: Amount)]
{
    let seizures = groups["\(cell.fiscalYear),\(cell.quarter),\(cell.region)"] ?? []
    return seizures.map { ($0.fpf, $0.amount(of: cell.measure)) }
}

/// Adds up contributions in order, starting from zero, as the published table does.
private func total(_ amounts: [Amount], measure: Measure) -> Amount {
    amounts.reduce(Amount.zero(measure), +)
}

private func magnitude(_ amount: Amount) -> Double {
    switch amount {
    case .pounds(let value): return abs(value)
    case .count(let value), .cents(let value): return Double(value.magnitude)
    }
}

private func explainCell(oldCell: FrozenCell?, newCell: FrozenCell?, template: FrozenCell,
    oldSeizures: [String: [FrozenSeizure]], newSeizures: [String: [FrozenSeizure]], context: DiffContext)
    -> CellChange
{
    let measure = template.measure
    let oldItems = oldCell.map { contributions(oldSeizures, to: $0) } ?? []
    let newItems = newCell.map { contributions(newSeizures, to: $0) } ?? []
    let oldTotal = total(oldItems.map(\.amount), measure: measure)
    let newTotal = total(newItems.map(\.amount), measure: measure)
    let oldReproduced = oldCell.map { $0.exact == oldTotal && $0.seizureCount == oldItems.count } ?? true
    let newReproduced = newCell.map { $0.exact == newTotal && $0.seizureCount == newItems.count } ?? true

    var oldByFPF: [String: Amount] = [:]
    for item in oldItems { oldByFPF[item.fpf] = item.amount }
    var newByFPF: [String: Amount] = [:]
    for item in newItems { newByFPF[item.fpf] = item.amount }
    let fpfs = Set(oldByFPF.keys).union(newByFPF.keys).sorted()

    var seizures: [SeizureChange] = []
    for fpf in fpfs {
        let oldAmount = oldByFPF[fpf]
        let newAmount = newByFPF[fpf]
        let difference = (newAmount ?? .zero(measure)) - (oldAmount ?? .zero(measure))
        if difference.isZero { continue }
        seizures.append(explainSeizure(fpf: fpf, measure: measure, oldContribution: oldAmount,
            newContribution: newAmount, difference: difference, context: context))
    }
    let explained = total(seizures.map(\.difference), measure: measure)
    let oldExact = oldCell?.exact ?? .zero(measure)
    let newExact = newCell?.exact ?? .zero(measure)

    var roundingBound = 0.0
    if measure == .fentanylLbs {
        // Recursive summation of n terms errs by at most (n-1)·u·Σ|x|, with u = 2^-53. Three
        // sums and the subtractions are involved, so the bound counts every term of all of
        // them and doubles the result (ulpOfOne is 2u) to cover second-order terms.
        let terms = oldItems.count + newItems.count + 2 * seizures.count + 3
        let absoluteSum = (oldItems + newItems).reduce(0) { $0 + magnitude($1.amount) }
            + seizures.reduce(0) { $0 + magnitude($1.difference) }
        roundingBound = Double(terms) * Double.ulpOfOne * absoluteSum
    }
    return CellChange(fiscalYear: template.fiscalYear, quarter: template.quarter, region: template.region,
        measure: measure, old: oldCell, new: newCell, difference: newExact - oldExact,
        publishedDifference: (newCell?.published ?? 0) - (oldCell?.published ?? 0),
        seizures: seizures, explained: explained, oldReproduced: oldReproduced,
        newReproduced: newReproduced, roundingBound: roundingBound)
}

private func explainSeizure(fpf: String, measure: Measure, oldContribution: Amount?,
    newContribution: Amount?, difference: Amount, context: DiffContext) -> SeizureChange
{
    let oldSeizure = context.oldByFPF[fpf]
    let newSeizure = context.newByFPF[fpf]
    let oldSource = oldSeizure.flatMap { context.old.extracts[$0.source(of: measure)] }
    let newSource = newSeizure.flatMap { context.new.extracts[$0.source(of: measure)] }
    let kind: SeizureChangeKind
    var changes: [FieldChange] = []
    let cause: String
    if let oldSeizure, let newSeizure {
        kind = .revised
        changes = fieldChanges(old: oldSeizure, new: newSeizure)
        cause = revisionCause(old: oldSeizure, new: newSeizure, measure: measure,
            oldSource: oldSource, newSource: newSource, context: context)
    } else if let newSeizure {
        kind = .added
        cause = additionCause(newSource: newSource, agency: newSeizure.source(of: measure), context: context)
    } else {
        kind = .removed
        let agency = oldSeizure?.source(of: measure) ?? (measure.isMoney ? .ice : .cbp)
        cause = removalCause(oldSource: oldSource, agency: agency, context: context)
    }
    return SeizureChange(fpf: fpf, kind: kind, oldContribution: oldContribution,
        newContribution: newContribution, difference: difference, changes: changes,
        oldSource: oldSource, newSource: newSource, cause: cause)
}

/// Returns the fields of a seizure that differ between two releases.
func fieldChanges(old: FrozenSeizure, new: FrozenSeizure) -> [FieldChange] {
    var changes: [FieldChange] = []
    func compare(_ field: String, _ oldValue: String, _ newValue: String) {
        if oldValue != newValue { changes.append(FieldChange(field: field, old: oldValue, new: newValue)) }
    }
    for measure in Measure.allCases {
        compare(measure.rawValue, old.amount(of: measure).description, new.amount(of: measure).description)
    }
    compare("date", old.date, new.date)
    compare("quarter", "FY\(old.fiscalYear) \(old.quarter)", "FY\(new.fiscalYear) \(new.quarter)")
    compare("region", old.region, new.region)
    compare("side_used", old.sideUsed.rawValue, new.sideUsed.rawValue)
    compare("counted", old.inPeriod ? "yes" : "no", new.inPeriod ? "yes" : "no")
    return changes
}

private func additionCause(newSource: ExtractRecord?, agency: Agency, context: DiffContext) -> String {
    guard let newSource else { return "added" }
    let oldExtract = context.old.extracts[agency]
    if let oldExtract, oldExtract.id == newSource.id {
        return "in \(newSource.label), whose lines of this FPF were not accepted under reference data version \(context.old.release.referenceVersion) but are under version \(context.new.release.referenceVersion)"
    }
    let before = oldExtract.map { "; \($0.label) has no accepted line of this FPF" } ?? ""
    return "first in \(newSource.label)\(before)"
}

private func removalCause(oldSource: ExtractRecord?, agency: Agency, context: DiffContext) -> String {
    guard let oldSource else { return "removed" }
    let newExtract = context.new.extracts[agency]
    if let newExtract, newExtract.id == oldSource.id {
        return "last in \(oldSource.label), whose lines of this FPF are no longer accepted under reference data version \(context.new.release.referenceVersion) (accepted under version \(context.old.release.referenceVersion))"
    }
    let after = newExtract.map { "; \($0.label) has no accepted line of this FPF" }
        ?? "; the newer release has no \(agency.rawValue) extract"
    return "last in \(oldSource.label)\(after)"
}

private func revisionCause(old: FrozenSeizure, new: FrozenSeizure, measure: Measure,
    oldSource: ExtractRecord?, newSource: ExtractRecord?, context: DiffContext) -> String
{
    guard let oldSource, let newSource else { return "revised" }
    if oldSource.agency != newSource.agency {
        let why: String
        if old.isJoint && !new.isJoint {
            why = "\(newSource.agency.rawValue) alone has it now"
        } else if !old.isJoint && new.isJoint {
            why = "it became a joint seizure and \(newSource.fileName) is the more recent extract"
        } else {
            why = "\(newSource.fileName) is now the more recent extract"
        }
        return "side used changed from \(oldSource.agency.rawValue) (\(oldSource.label)) to \(newSource.agency.rawValue) (\(newSource.label)) because \(why)"
    }
    if oldSource.id != newSource.id {
        return "revised in \(newSource.label), previously \(oldSource.label)"
    }
    var reasons: [String] = []
    if context.old.release.referenceVersion != context.new.release.referenceVersion {
        reasons.append("reference data version \(context.new.release.referenceVersion) in place of version \(context.old.release.referenceVersion)")
    }
    if context.old.release.fiscalYears != context.new.release.fiscalYears {
        let oldYears = context.old.release.fiscalYears
        let newYears = context.new.release.fiscalYears
        reasons.append("reporting period FY\(newYears.lowerBound)-FY\(newYears.upperBound) in place of FY\(oldYears.lowerBound)-FY\(oldYears.upperBound)")
    }
    let otherAgency: Agency = newSource.agency == .cbp ? .ice : .cbp
    if context.old.extracts[otherAgency]?.id != context.new.extracts[otherAgency]?.id {
        reasons.append("the \(otherAgency.rawValue) extract changed")
    }
    let inputs = reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")
    return "same extract \(newSource.label)\(inputs)"
}
