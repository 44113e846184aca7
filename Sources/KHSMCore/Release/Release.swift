import Foundation

/// Name, date and period of a release to create.
public struct ReleaseRequest: Sendable {
    public var name: String
    /// Extracts dated after this day are not used.
    public var date: CalendarDate
    public var fiscalYears: ClosedRange<Int>
    /// Create the release even when its inputs are late.
    public var allowLate = false
    /// Create the release even when an agency has no extract, or its extract no in-scope line.
    public var allowIncomplete = false

    public init(name: String, date: CalendarDate, fiscalYears: ClosedRange<Int>) {
        self.name = name
        self.date = date
        self.fiscalYears = fiscalYears
    }
}

/// A release request that cannot be carried out.
public struct ReleaseError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// A frozen release with the inputs it pinned.
public struct ReleaseRecord: Sendable {
    public var id: Int
    public var name: String
    public var date: CalendarDate
    public var createdAt: String
    public var fiscalYears: ClosedRange<Int>
    public var cbpExtractID: Int?
    public var iceExtractID: Int?
    public var referenceVersion: Int
    public var methodVersion: String
    public var tableSHA256: String
    public var previousReleaseID: Int?

    static let columns = """
        release_id, name, release_date, created_at, first_fiscal_year, last_fiscal_year,
        cbp_extract_id, ice_extract_id, reference_version_id, method_version, table_sha256,
        previous_release_id
        """

    init(row: Row) {
        id = row.int(0)!
        name = row.string(1)!
        date = CalendarDate(iso: row.string(2)!)!
        createdAt = row.string(3)!
        fiscalYears = row.int(4)!...row.int(5)!
        cbpExtractID = row.int(6)
        iceExtractID = row.int(7)
        referenceVersion = row.int(8)!
        methodVersion = row.string(9)!
        tableSHA256 = row.string(10)!
        previousReleaseID = row.int(11)
    }

    public static func load(_ database: Database, name: String) throws -> ReleaseRecord {
        guard let row = try database.row("SELECT \(columns) FROM release WHERE name = ?", [.text(name)]) else {
            let names = try database.rows("SELECT name FROM release ORDER BY release_id").compactMap { $0.string(0) }
            let known = names.isEmpty ? "there are no releases yet; create one with 'khsm release create NAME'"
                : "known releases: \(names.joined(separator: ", "))"
            throw ReleaseError(message: "release '\(name)' not found; \(known).")
        }
        return ReleaseRecord(row: row)
    }

    public static func load(_ database: Database, id: Int) throws -> ReleaseRecord? {
        try database.row("SELECT \(columns) FROM release WHERE release_id = ?", [.integer(Int64(id))])
            .map(ReleaseRecord.init)
    }
}

/// A late input, which a statistician must accept explicitly.
public struct TimelinessIssue: Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Maximum age of an extract on the release date, in days.
public let maximumExtractAgeDays = 30
/// Maximum delay from the end of the last quarter covered to the release date, in days.
public let maximumReleaseDelayDays = 60

/// The last day of the last quarter that a release dated `date` covers: the end of its
/// period, or the end of the last quarter finished by `date` if that is earlier.
public func lastQuarterCovered(releaseDate date: CalendarDate, fiscalYears: ClosedRange<Int>) -> CalendarDate {
    let periodEnd = CalendarDate(year: fiscalYears.upperBound, month: 9, day: 30)!
    var quarterEnd = date.endOfFiscalQuarter
    if quarterEnd > date { quarterEnd = date.endOfPreviousFiscalQuarter }
    return min(periodEnd, quarterEnd)
}

/// Checks the timeliness rules: each extract at most 30 days older than the release date, and
/// the release at most 60 days after the end of the last quarter it covers.
public func timelinessIssues(releaseDate: CalendarDate, fiscalYears: ClosedRange<Int>,
    extracts: [ExtractRecord]) -> [TimelinessIssue]
{
    var issues: [TimelinessIssue] = []
    for extract in extracts {
        let age = releaseDate.dayNumber - extract.extractedOn.dayNumber
        if age > maximumExtractAgeDays {
            issues.append(TimelinessIssue(message: "the \(extract.agency.rawValue) extract '\(extract.fileName)' was extracted on \(extract.extractedOn), \(age) days before the release date \(releaseDate) (at most \(maximumExtractAgeDays) allowed)"))
        }
    }
    let quarterEnd = lastQuarterCovered(releaseDate: releaseDate, fiscalYears: fiscalYears)
    let delay = releaseDate.dayNumber - quarterEnd.dayNumber
    if delay > maximumReleaseDelayDays {
        issues.append(TimelinessIssue(message: "the release date \(releaseDate) is \(delay) days after \(quarterEnd), the end of the last quarter it covers (at most \(maximumReleaseDelayDays) allowed)"))
    }
    return issues
}

/// The outcome of creating a release.
public struct CreatedRelease: Sendable {
    public var release: ReleaseRecord
    public var computation: ReleaseComputation
    public var cbp: ExtractRecord?
    public var ice: ExtractRecord?
    public var lateInputs: [TimelinessIssue]
    public var missingAgencies: [Agency]
}

/// Freezes a release: picks each agency's current extract, applies the reference data in
/// force, computes the table and stores inputs and outputs in one transaction. Refuses late
/// inputs unless `allowLate` is set, and incomplete ones unless `allowIncomplete` is set.
public func createRelease(database: Database, request: ReleaseRequest) throws -> CreatedRelease {
    try database.transaction {
        if try database.row("SELECT 1 FROM release WHERE name = ?", [.text(request.name)]) != nil {
            throw ReleaseError(message: "release '\(request.name)' already exists; releases are immutable, so choose another name.")
        }
        guard let referenceVersion = try ReferenceData.currentVersion(in: database) else {
            throw ReleaseError(message: "the database has no reference data; run 'khsm init' first.")
        }
        let cbp = try ExtractRecord.current(database, agency: .cbp, onOrBefore: request.date)
        let ice = try ExtractRecord.current(database, agency: .ice, onOrBefore: request.date)
        guard cbp != nil || ice != nil else {
            throw ReleaseError(message: "no extract was extracted on or before \(request.date); ingest the CBP and ICE extracts first, or give a later --date.")
        }
        let extracts = [cbp, ice].compactMap { $0 }
        let late = timelinessIssues(releaseDate: request.date, fiscalYears: request.fiscalYears,
            extracts: extracts)
        if !late.isEmpty && !request.allowLate {
            throw ReleaseError(message: "the release inputs are late: \(late.map(\.message).joined(separator: "; ")). Ingest newer extracts, or pass --allow-late to publish anyway.")
        }

        let computation = try compute(database, cbp: cbp, ice: ice, referenceVersion: referenceVersion,
            fiscalYears: request.fiscalYears)
        let gaps = incompleteInputs(cbp: cbp, ice: ice, computation: computation, date: request.date)
        if !gaps.isEmpty && !request.allowIncomplete {
            throw ReleaseError(message: "the release inputs are incomplete: \(gaps.joined(separator: "; ")). Ingest the missing extract, or pass --allow-incomplete to publish without it.")
        }
        let previous = try database.row("SELECT max(release_id) FROM release")?.int(0)
        var tableHash = SHA256()
        tableHash.update(Array(computation.tableCSV.utf8))
        try database.run(
            """
            INSERT INTO release (name, release_date, created_at, first_fiscal_year, last_fiscal_year,
                cbp_extract_id, ice_extract_id, reference_version_id, method_version, table_sha256,
                previous_release_id, late_allowed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(request.name), .text(request.date.description), .text(utcTimestamp()),
             .integer(Int64(request.fiscalYears.lowerBound)), .integer(Int64(request.fiscalYears.upperBound)),
             cbp.map { .integer(Int64($0.id)) } ?? .null, ice.map { .integer(Int64($0.id)) } ?? .null,
             .integer(Int64(referenceVersion)), .text(methodVersion), .text(hexString(tableHash.finalize())),
             previous.map { .integer(Int64($0)) } ?? .null, .integer(late.isEmpty ? 0 : 1)])
        let releaseID = Int(database.lastInsertedRowID)
        try storeOutputs(database, releaseID: releaseID, computation: computation)
        try refreshPlannerStatistics(database)
        let release = try ReleaseRecord.load(database, id: releaseID)!
        return CreatedRelease(release: release, computation: computation, cbp: cbp, ice: ice,
            lateInputs: late, missingAgencies: Agency.allCases.filter { agency in
                !extracts.contains { $0.agency == agency }
            })
    }
}

/// Describes each agency whose figures would be missing from a release: no extract on or before
/// the release date, or an extract without a single in-scope line (a file cut after its header).
func incompleteInputs(cbp: ExtractRecord?, ice: ExtractRecord?, computation: ReleaseComputation,
    date: CalendarDate) -> [String]
{
    var gaps: [String] = []
    for (agency, extract) in [(Agency.cbp, cbp), (.ice, ice)] {
        guard let extract else {
            gaps.append("no \(agency.rawValue) extract was extracted on or before \(date)")
            continue
        }
        let inScope = computation.quality.first { $0.figure == "undercount" && $0.agency == agency.rawValue }?
            .denominator ?? 0
        if inScope == 0 {
            gaps.append("the \(agency.rawValue) extract '\(extract.fileName)' (extract \(extract.id)) has no in-scope line")
        }
    }
    return gaps
}

/// Runs the method on two stored extracts under one reference version.
func compute(_ database: Database, cbp: ExtractRecord?, ice: ExtractRecord?, referenceVersion: Int,
    fiscalYears: ClosedRange<Int>) throws -> ReleaseComputation
{
    func input(_ extract: ExtractRecord?) throws -> ExtractTotals? {
        guard let extract else { return nil }
        return try extractTotals(database, extract: extract, referenceVersion: referenceVersion)
    }
    return ReleaseComputation(cbp: try input(cbp), ice: try input(ice),
        moreRecent: moreRecentAgency(cbp: cbp, ice: ice), fiscalYears: fiscalYears)
}

/// Picks the agency whose extract is more recent; CBP when only CBP has one.
func moreRecentAgency(cbp: ExtractRecord?, ice: ExtractRecord?) -> Agency {
    guard let cbp else { return .ice }
    guard let ice else { return .cbp }
    return cbp.isMoreRecent(than: ice) ? .cbp : .ice
}

private func storeOutputs(_ database: Database, releaseID: Int, computation: ReleaseComputation) throws {
    let release = Int64(releaseID)
    // Bound by position in the order of the columns below, in batches of rows, because a large
    // release stores a row per seizure.
    let seizureInsert = try BatchInsert(database: database, table: "release_seizure", columns: [
        "release_id", "fpf", "side_used", "is_joint", "is_discrepancy", "in_period", "seizure_date",
        "fiscal_year", "quarter", "region", "fentanyl_lbs", "pill_presses", "currency_cents",
        "property_cents", "cbp_date", "cbp_region", "cbp_fentanyl_lbs", "cbp_pill_presses", "ice_date",
        "ice_region", "ice_fentanyl_lbs", "ice_pill_presses", "ice_currency_cents", "ice_property_cents",
    ])
    for seizure in computation.seizures {
        try seizureInsert.add { row in
            try row.bind(release, 1)
            try row.bind(seizure.fpf, 2)
            try row.bind(seizure.sideUsed.rawValue, 3)
            try row.bind(Int64(seizure.isJoint ? 1 : 0), 4)
            try row.bind(Int64(seizure.isDiscrepancy ? 1 : 0), 5)
            try row.bind(Int64(seizure.inPeriod ? 1 : 0), 6)
            try row.bind(seizure.date.description, 7)
            try row.bind(Int64(seizure.fiscalYear), 8)
            try row.bind(seizure.quarter, 9)
            try row.bind(seizure.region, 10)
            try row.bind(seizure.fentanylLbs, 11)
            try row.bind(seizure.pillPresses, 12)
            try row.bind(seizure.currencyCents, 13)
            try row.bind(seizure.propertyCents, 14)
            try row.bind(seizure.cbp?.date.description, 15)
            try row.bind(seizure.cbp?.region, 16)
            try row.bind(seizure.cbp?.fentanylLbs, 17)
            try row.bind(seizure.cbp?.pillPresses, 18)
            try row.bind(seizure.ice?.date.description, 19)
            try row.bind(seizure.ice?.region, 20)
            try row.bind(seizure.ice?.fentanylLbs, 21)
            try row.bind(seizure.ice?.pillPresses, 22)
            try row.bind(seizure.ice?.currencyCents, 23)
            try row.bind(seizure.ice?.propertyCents, 24)
        }
    }
    try seizureInsert.finish()
    func real(_ value: Double?) -> SQLValue { value.map { .real($0) } ?? .null }
    func integer(_ value: Int64?) -> SQLValue { value.map { .integer($0) } ?? .null }
    let cellInsert = try database.prepare(
        "INSERT INTO release_cell VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    for (position, cell) in computation.cells.enumerated() {
        let isCount = cell.measure == .pillPresses
        try cellInsert.execute([
            .integer(release), .integer(Int64(position + 1)), .integer(Int64(cell.fiscalYear)), .text(cell.quarter),
            .text(cell.region), .text(cell.measure.rawValue), real(cell.exactPounds),
            isCount ? integer(cell.exactInteger) : .null, cell.measure.isMoney ? integer(cell.exactInteger) : .null,
            .integer(cell.published), .integer(Int64(cell.seizureCount)),
        ])
    }
    let qualityInsert = try database.prepare("INSERT INTO release_quality VALUES (?, ?, ?, ?, ?, ?)")
    for figure in computation.quality {
        try qualityInsert.execute([.integer(release), .text(figure.figure), .text(figure.agency),
            .real(figure.numerator), .real(figure.denominator), real(figure.value)])
    }
}

/// Refreshes the statistics that SQLite's query planner reads (sqlite_stat1). Without them it
/// looks line items up by extract alone rather than by the FPF index, and a full read of the
/// `lineage` view takes minutes instead of a fraction of a second. The analysis samples about
/// a thousand rows per index, so its cost does not grow with the database.
func refreshPlannerStatistics(_ database: Database) throws {
    try database.execute("PRAGMA analysis_limit = 1000; ANALYZE")
}
