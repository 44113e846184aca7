/// Fiscal year, calendar month and area of responsibility: the grain of CBP's public statistics.
/// Sorted by fiscal year, then month in fiscal order (October first), then AOR.
public struct MonthAOR: Hashable, Sendable, Comparable {
    public var fiscalYear: Int
    /// Calendar month, 1 (January) to 12 (December).
    public var month: Int
    /// Canonical office name, uppercased.
    public var aor: String

    public init(fiscalYear: Int, month: Int, aor: String) {
        self.fiscalYear = fiscalYear
        self.month = month
        self.aor = aor
    }

    /// Position of the month in the fiscal year: October 0 to September 11.
    var fiscalMonthIndex: Int { (month + 2) % 12 }

    /// Month abbreviation as CBP publishes it, such as `OCT`.
    public var monthAbbreviation: String { PublicStatistics.monthAbbreviations[month - 1] }

    public static func < (left: MonthAOR, right: MonthAOR) -> Bool {
        (left.fiscalYear, left.fiscalMonthIndex, left.aor) < (right.fiscalYear, right.fiscalMonthIndex, right.aor)
    }
}

/// Fentanyl events and pounds of one month and AOR, or of a year.
public struct FentanylTally: Sendable, Equatable {
    public var events = 0
    public var pounds = 0.0

    public init(events: Int = 0, pounds: Double = 0) {
        self.events = events
        self.pounds = pounds
    }

    /// Equal events, and pounds less than `PublishedComparison.poundTolerance` apart. The
    /// 1e-9 lb allows for binary rounding, so that 10.01 against 10 counts as a difference.
    func matches(_ other: FentanylTally) -> Bool {
        events == other.events && abs(pounds - other.pounds) < PublishedComparison.poundTolerance - 1e-9
    }
}

/// A month and AOR where the published figures and the extract differ.
public struct PublishedDifference: Sendable, Equatable {
    public var key: MonthAOR
    public var published: FentanylTally
    public var extract: FentanylTally
}

/// Per fiscal year, the published and extract totals.
public struct PublishedYearTotal: Sendable, Equatable {
    public var fiscalYear: Int
    public var published: FentanylTally
    public var extract: FentanylTally
}

/// CBP's published fentanyl statistics compared with a CBP extract, by month and AOR.
public struct PublishedComparison: Sendable {
    /// Pound differences smaller than this count as equal: the published figures carry many
    /// decimals of converted units, and the comparison writes pounds to two decimals.
    public static let poundTolerance = 0.01

    public var fiscalYears: ClosedRange<Int>
    /// Every month and AOR that differs, sorted.
    public var differences: [PublishedDifference]
    public var totals: [PublishedYearTotal]
    /// Months and AORs with figures on either side.
    public var keysCompared: Int
}

/// Compares published rows with extract tallies, over `fiscalYears` only. Published rows of one
/// month and AOR are added up first (the file has one row per component). `canonicalAOR` maps a
/// published AOR, uppercased and whitespace-collapsed, to the name the extract uses; names it
/// does not know are compared uppercased.
public func comparePublished(published rows: [PublicFentanylEvent], extract: [MonthAOR: FentanylTally],
    fiscalYears: ClosedRange<Int>, canonicalAOR: [String: String] = [:]) -> PublishedComparison
{
    var published: [MonthAOR: FentanylTally] = [:]
    for row in rows where fiscalYears.contains(row.fiscalYear) {
        let aor = collapsedKey(row.aor)
        let key = MonthAOR(fiscalYear: row.fiscalYear, month: row.month, aor: canonicalAOR[aor] ?? aor)
        published[key, default: FentanylTally()].events += row.events
        published[key, default: FentanylTally()].pounds += row.pounds
    }
    let extractInPeriod = extract.filter { fiscalYears.contains($0.key.fiscalYear) }
    let keys = Set(published.keys).union(extractInPeriod.keys).sorted()
    var differences: [PublishedDifference] = []
    var totals: [Int: PublishedYearTotal] = [:]
    for year in fiscalYears {
        totals[year] = PublishedYearTotal(fiscalYear: year, published: FentanylTally(), extract: FentanylTally())
    }
    for key in keys {
        let publishedTally = published[key] ?? FentanylTally()
        let extractTally = extractInPeriod[key] ?? FentanylTally()
        totals[key.fiscalYear]!.published.events += publishedTally.events
        totals[key.fiscalYear]!.published.pounds += publishedTally.pounds
        totals[key.fiscalYear]!.extract.events += extractTally.events
        totals[key.fiscalYear]!.extract.pounds += extractTally.pounds
        if !publishedTally.matches(extractTally) {
            differences.append(PublishedDifference(key: key, published: publishedTally, extract: extractTally))
        }
    }
    return PublishedComparison(fiscalYears: fiscalYears, differences: differences,
        totals: fiscalYears.map { totals[$0]! }, keysCompared: keys.count)
}

/// Tallies a release's CBP extract as CBP publishes it, before integration with ICE: CBP's
/// own seizures from accepted fentanyl lines under the release's reference data. A seizure
/// (one FPF) counts as one event, with all its fentanyl pounds, in the month and AOR of its
/// earliest fentanyl line (file order breaking ties).
public func extractFentanylTallies(_ database: Database, release: ReleaseRecord) throws -> [MonthAOR: FentanylTally] {
    guard let extractID = release.cbpExtractID else {
        throw ReleaseError(message: "release '\(release.name)' has no CBP extract to compare with CBP's published statistics.")
    }
    let statement = try database.prepare(
        """
        SELECT fpf, seizure_date, aor, pounds FROM line_item
        WHERE extract_id = ? AND reference_version_id = ? AND outcome = 'accepted'
            AND measure = 'fentanyl_lbs'
        ORDER BY fpf, seizure_date, line
        """)
    try statement.bind([.integer(Int64(extractID)), .integer(Int64(release.referenceVersion))])
    var tallies: [MonthAOR: FentanylTally] = [:]
    var currentFPF: String?
    var currentKey: MonthAOR?
    while let row = try statement.step() {
        let fpf = row.string(0)!
        if fpf != currentFPF {
            currentFPF = fpf
            let date = CalendarDate(iso: row.string(1)!)!
            currentKey = MonthAOR(fiscalYear: date.fiscalYear, month: date.month, aor: collapsedKey(row.string(2)!))
            tallies[currentKey!, default: FentanylTally()].events += 1
        }
        tallies[currentKey!, default: FentanylTally()].pounds += row.double(3) ?? 0
    }
    return tallies
}

/// Maps published AOR names (uppercased, whitespace collapsed) to the CBP office names of a
/// reference data version, through its offices and aliases.
public func canonicalCBPOffices(_ database: Database, referenceVersion: Int) throws -> [String: String] {
    var names: [String: String] = [:]
    let version = SQLValue.integer(Int64(referenceVersion))
    for row in try database.rows(
        "SELECT alias, aor FROM reference_aor_alias WHERE reference_version_id = ? AND agency = 'CBP'", [version])
    {
        names[collapsedKey(row.string(0)!)] = collapsedKey(row.string(1)!)
    }
    for row in try database.rows(
        "SELECT aor FROM reference_aor WHERE reference_version_id = ? AND agency = 'CBP'", [version])
    {
        names[collapsedKey(row.string(0)!)] = collapsedKey(row.string(0)!)
    }
    return names
}
