/// The outcome of recomputing a release from its stored records.
public struct VerificationReport: Sendable {
    /// A frozen cell whose recomputed value differs.
    public struct CellDifference: Sendable {
        public var key: String
        public var frozenExact: String
        public var recomputedExact: String
        public var frozenPublished: Int64
        public var recomputedPublished: Int64

        /// The cell as written in messages, like `FY2023 Q2 North fentanyl_lbs`.
        public var label: String { "FY" + key.split(separator: ",").joined(separator: " ") }
    }

    public var release: String
    public var cellsChecked = 0
    public var seizuresChecked = 0
    public var differences: [CellDifference] = []
    /// Other failures: altered records or line items, a changed table digest, frozen seizures or
    /// quality figures that differ, a different method version.
    public var problems: [String] = []
    public var isIdentical: Bool { differences.isEmpty && problems.isEmpty }
}

/// Recomputes a release from the records stored in the database (not the files), with its
/// pinned extracts and reference data. Compares the result with what was frozen: every cell,
/// the table digest, each extract's records digest and line items, the integrated seizures and
/// the quality figures.
public func verifyRelease(_ database: Database, name: String) throws -> VerificationReport {
    let release = try ReleaseRecord.load(database, name: name)
    var report = VerificationReport(release: name)
    if release.methodVersion != methodVersion {
        report.problems.append("the release was computed with method version \(release.methodVersion), this build implements \(methodVersion)")
    }
    let reference = try ReferenceData.load(from: database, version: release.referenceVersion)

    var inputs: [Agency: ExtractTotals] = [:]
    var extracts: [Agency: ExtractRecord] = [:]
    for extractID in [release.cbpExtractID, release.iceExtractID].compactMap({ $0 }) {
        guard let extract = try ExtractRecord.load(database, id: extractID) else {
            report.problems.append("extract \(extractID) pinned by the release is missing")
            continue
        }
        // Each line item goes into the totals as it is cleansed, so that memory does not hold
        // every line item of both extracts.
        var totals = ExtractTotals(agency: extract.agency)
        var comparison = LineItemComparison(
            stored: try loadLineItems(database, extractID: extract.id, referenceVersion: release.referenceVersion),
            extract: extract)
        let recordsSHA256 = try cleanseStoredRecords(database, extract: extract, reference: reference) {
            totals.add($0)
            comparison.check($0)
        }
        if recordsSHA256 != extract.recordsSHA256 {
            report.problems.append("the stored records of extract \(extract.id) ('\(extract.fileName)') were altered after ingest: their digest is \(recordsSHA256), \(extract.recordsSHA256) when ingested")
        }
        report.problems += comparison.messages()
        extracts[extract.agency] = extract
        inputs[extract.agency] = totals
    }
    let computation = ReleaseComputation(cbp: inputs[.cbp], ice: inputs[.ice],
        moreRecent: moreRecentAgency(cbp: extracts[.cbp], ice: extracts[.ice]),
        fiscalYears: release.fiscalYears)

    var recomputed: [String: Cell] = [:]
    for cell in computation.cells { recomputed[cell.key] = cell }
    var frozenKeys = Set<String>()
    for frozen in try FrozenCell.loadAll(database, release: release) {
        frozenKeys.insert(frozen.key)
        report.cellsChecked += 1
        let frozenExact = frozen.exact.description
        guard let cell = recomputed[frozen.key] else {
            report.differences.append(.init(key: frozen.key, frozenExact: frozenExact, recomputedExact: "(no cell)",
                frozenPublished: frozen.published, recomputedPublished: 0))
            continue
        }
        if cell.exactText != frozenExact || cell.published != frozen.published {
            report.differences.append(.init(key: frozen.key, frozenExact: frozenExact, recomputedExact: cell.exactText,
                frozenPublished: frozen.published, recomputedPublished: cell.published))
        }
    }
    for cell in computation.cells where !frozenKeys.contains(cell.key) {
        report.differences.append(.init(key: cell.key, frozenExact: "(no cell)", recomputedExact: cell.exactText,
            frozenPublished: 0, recomputedPublished: cell.published))
    }
    var tableHash = SHA256()
    tableHash.update(Array(computation.tableCSV.utf8))
    let digest = hexString(tableHash.finalize())
    if digest != release.tableSHA256 {
        report.problems.append("the recomputed table has SHA-256 \(digest), the frozen one \(release.tableSHA256)")
    }
    report.seizuresChecked = computation.seizures.count
    report.problems += compareSeizures(frozen: try FrozenSeizure.loadAll(database, release: release),
        recomputed: computation.seizures.map(FrozenSeizure.init))
    report.problems += try compareQuality(database, release: release, recomputed: computation.quality)
    return report
}

/// How many differences of one kind a report lists before it counts the rest.
private let listedDifferencesPerKind = 10

/// Lists at most `listedDifferencesPerKind` messages and counts the others.
private func capped(_ messages: [String], kind: String) -> [String] {
    guard messages.count > listedDifferencesPerKind else { return messages }
    return Array(messages.prefix(listedDifferencesPerKind))
        + ["\(messages.count - listedDifferencesPerKind) more \(kind) differ"]
}

/// Compares the line items stored under the pinned reference version, which lineage and the
/// views read, with those recomputed from the stored records, one recomputed item at a time.
private struct LineItemComparison {
    private var storedByLine: [Int: LineItem] = [:]
    private var differences: [String] = []
    private let extract: ExtractRecord

    init(stored: [LineItem], extract: ExtractRecord) {
        self.extract = extract
        for item in stored { storedByLine[item.line] = item }
    }

    mutating func check(_ item: LineItem) {
        let stored = storedByLine.removeValue(forKey: item.line)
        guard stored != item else { return }
        let found = stored.map { "\($0.outcome.rawValue) \(lineAmountText($0))" } ?? "nothing"
        differences.append("line item \(extract.fileName):\(item.line) does not match its stored record: stored \(found), recomputed from the record \(item.outcome.rawValue) \(lineAmountText(item))")
    }

    /// The differences found, then the stored line items that no record recomputed.
    func messages() -> [String] {
        let orphans = storedByLine.keys.sorted().map {
            "line item \(extract.fileName):\($0) is stored but has no source record"
        }
        return capped(differences + orphans, kind: "line items of \(extract.fileName)")
    }
}

private func lineAmountText(_ item: LineItem) -> String {
    let parts = [item.fpf, item.date?.description, item.region, item.measure?.rawValue,
        item.pounds.map { "\($0)" }, item.presses.map { "\($0)" }, item.cents.map(formatCents),
        item.reason?.rawValue].compactMap { $0 }
    return parts.isEmpty ? "" : "(" + parts.joined(separator: ", ") + ")"
}

/// Compares the frozen integrated seizures, which lineage and diffs read, with those recomputed.
private func compareSeizures(frozen: [FrozenSeizure], recomputed: [FrozenSeizure]) -> [String] {
    var messages: [String] = []
    var frozenByFPF: [String: FrozenSeizure] = [:]
    for seizure in frozen { frozenByFPF[seizure.fpf] = seizure }
    let recomputedFPFs = Set(recomputed.map(\.fpf))
    for seizure in recomputed {
        guard let stored = frozenByFPF[seizure.fpf] else {
            messages.append("seizure \(seizure.fpf) is missing from the frozen seizures")
            continue
        }
        let changes = fieldChanges(old: stored, new: seizure) + sideChanges(old: stored, new: seizure)
        if !changes.isEmpty {
            messages.append("seizure \(seizure.fpf) differs from its frozen values (frozen -> recomputed): \(changes.map(\.description).joined(separator: "; "))")
        }
    }
    for seizure in frozen where !recomputedFPFs.contains(seizure.fpf) {
        messages.append("frozen seizure \(seizure.fpf) is not among the recomputed seizures")
    }
    return capped(messages, kind: "seizures")
}

/// Returns the joint and discrepancy flags and each agency's own values that differ between
/// two versions of a seizure.
private func sideChanges(old: FrozenSeizure, new: FrozenSeizure) -> [FieldChange] {
    var changes: [FieldChange] = []
    func compare(_ field: String, _ oldValue: String, _ newValue: String) {
        if oldValue != newValue { changes.append(FieldChange(field: field, old: oldValue, new: newValue)) }
    }
    compare("is_joint", "\(old.isJoint)", "\(new.isJoint)")
    compare("is_discrepancy", "\(old.isDiscrepancy)", "\(new.isDiscrepancy)")
    for (prefix, oldSide, newSide) in [("cbp", old.cbp, new.cbp), ("ice", old.ice, new.ice)] {
        compare("\(prefix)_date", oldSide?.date ?? "none", newSide?.date ?? "none")
        compare("\(prefix)_region", oldSide?.region ?? "none", newSide?.region ?? "none")
        compare("\(prefix)_fentanyl_lbs", oldSide.map { "\($0.fentanylLbs)" } ?? "none",
            newSide.map { "\($0.fentanylLbs)" } ?? "none")
        compare("\(prefix)_pill_presses", oldSide.map { "\($0.pillPresses)" } ?? "none",
            newSide.map { "\($0.pillPresses)" } ?? "none")
        compare("\(prefix)_currency_usd", oldSide?.currencyCents.map(formatCents) ?? "none",
            newSide?.currencyCents.map(formatCents) ?? "none")
        compare("\(prefix)_property_usd", oldSide?.propertyCents.map(formatCents) ?? "none",
            newSide?.propertyCents.map(formatCents) ?? "none")
    }
    return changes
}

/// Compares the frozen quality figures with those recomputed.
private func compareQuality(_ database: Database, release: ReleaseRecord, recomputed: [QualityFigure]) throws
    -> [String]
{
    var messages: [String] = []
    var frozen: [String: (numerator: Double, denominator: Double)] = [:]
    for row in try database.rows(
        "SELECT figure, agency, numerator, denominator FROM release_quality WHERE release_id = ?",
        [.integer(Int64(release.id))])
    {
        frozen[qualityKey(row.string(0)!, row.string(1)!)] = (row.double(2)!, row.double(3)!)
    }
    for figure in recomputed {
        let key = qualityKey(figure.figure, figure.agency)
        guard let stored = frozen.removeValue(forKey: key) else {
            messages.append("quality figure \(key) is missing from the frozen figures")
            continue
        }
        if stored.numerator != figure.numerator || stored.denominator != figure.denominator {
            messages.append("quality figure \(key) is frozen as \(stored.numerator)/\(stored.denominator), recomputed as \(figure.numerator)/\(figure.denominator)")
        }
    }
    for key in frozen.keys.sorted() {
        messages.append("frozen quality figure \(key) is not among the recomputed figures")
    }
    return messages
}

private func qualityKey(_ figure: String, _ agency: String) -> String {
    agency.isEmpty ? figure : "\(figure) \(agency)"
}
