/// The outcome of recomputing a release from its stored records.
public struct VerificationReport: Sendable {
    /// A frozen cell whose recomputed value differs.
    public struct CellDifference: Sendable {
        public var key: String
        public var frozenExact: String
        public var recomputedExact: String
        public var frozenPublished: Int64
        public var recomputedPublished: Int64
    }

    public var release: String
    public var cellsChecked = 0
    public var differences: [CellDifference] = []
    /// Other failures: altered records, a changed table digest, a different method version.
    public var problems: [String] = []
    public var isIdentical: Bool { differences.isEmpty && problems.isEmpty }
}

/// Recomputes a release from the records stored in the database (not the files), with its
/// pinned extracts and reference data, and compares every cell and the table digest with what
/// was frozen.
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
        let recordsSHA256 = try cleanseStoredRecords(database, extract: extract, reference: reference) {
            totals.add($0)
        }
        if recordsSHA256 != extract.recordsSHA256 {
            report.problems.append("the stored records of extract \(extract.id) ('\(extract.fileName)') were altered after ingest: their digest is \(recordsSHA256), \(extract.recordsSHA256) when ingested")
        }
        extracts[extract.agency] = extract
        inputs[extract.agency] = totals
    }
    let computation = ReleaseComputation(cbp: inputs[.cbp], ice: inputs[.ice],
        moreRecent: moreRecentAgency(cbp: extracts[.cbp], ice: extracts[.ice]),
        fiscalYears: release.fiscalYears)

    var recomputed: [String: Cell] = [:]
    for cell in computation.cells { recomputed[cell.key] = cell }
    let frozenRows = try database.rows(
        """
        SELECT fiscal_year, quarter, region, measure, exact_lbs, exact_count, exact_cents, published
        FROM release_cell WHERE release_id = ? ORDER BY position
        """, [.integer(Int64(release.id))])
    var frozenKeys = Set<String>()
    for row in frozenRows {
        let key = "\(row.string(0)!),\(row.string(1)!),\(row.string(2)!),\(row.string(3)!)"
        frozenKeys.insert(key)
        report.cellsChecked += 1
        let frozenExact: String
        if let pounds = row.double(4) {
            frozenExact = "\(pounds)"
        } else if let count = row.int(5) {
            frozenExact = "\(count)"
        } else {
            frozenExact = formatCents(Int64(row.int(6) ?? 0))
        }
        let frozenPublished = Int64(row.int(7)!)
        guard let cell = recomputed[key] else {
            report.differences.append(.init(key: key, frozenExact: frozenExact, recomputedExact: "(no cell)",
                frozenPublished: frozenPublished, recomputedPublished: 0))
            continue
        }
        if cell.exactText != frozenExact || cell.published != frozenPublished {
            report.differences.append(.init(key: key, frozenExact: frozenExact, recomputedExact: cell.exactText,
                frozenPublished: frozenPublished, recomputedPublished: cell.published))
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
    return report
}
