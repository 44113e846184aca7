/// An exact amount of one measure: pounds in double precision, a count of presses, or cents.
public enum Amount: Equatable, Sendable, CustomStringConvertible {
    case pounds(Double)
    case count(Int64)
    case cents(Int64)

    /// Returns the zero amount of `measure`.
    public static func zero(_ measure: Measure) -> Amount {
        switch measure {
        case .fentanylLbs: return .pounds(0)
        case .pillPresses: return .count(0)
        case .currencyUSD, .propertyUSD: return .cents(0)
        }
    }

    public var isZero: Bool {
        switch self {
        case .pounds(let value): return value == 0
        case .count(let value), .cents(let value): return value == 0
        }
    }

    /// The value as text: pounds in the shortest form that reads back to the same double,
    /// presses as an integer, dollars with two decimals.
    public var description: String {
        switch self {
        case .pounds(let value): return "\(value)"
        case .count(let value): return "\(value)"
        case .cents(let value): return formatCents(value)
        }
    }

    /// The value as text with a leading `+` when positive, for differences.
    public var signedDescription: String {
        let positive: Bool
        switch self {
        case .pounds(let value): positive = value > 0
        case .count(let value), .cents(let value): positive = value > 0
        }
        return (positive ? "+" : "") + description
    }

    /// `left + right` in the arithmetic of the measure: double precision for pounds, exact for
    /// presses and cents. Amounts of different measures cannot be added.
    public static func + (left: Amount, right: Amount) -> Amount {
        switch (left, right) {
        case (.pounds(let a), .pounds(let b)): return .pounds(a + b)
        case (.count(let a), .count(let b)): return .count(a + b)
        case (.cents(let a), .cents(let b)): return .cents(a + b)
        default: preconditionFailure("adding amounts of different measures: \(left) and \(right)")
        }
    }

    public static func - (left: Amount, right: Amount) -> Amount {
        switch (left, right) {
        case (.pounds(let a), .pounds(let b)): return .pounds(a - b)
        case (.count(let a), .count(let b)): return .count(a - b)
        case (.cents(let a), .cents(let b)): return .cents(a - b)
        default: preconditionFailure("subtracting amounts of different measures: \(left) and \(right)")
        }
    }
}

/// A published cell of a frozen release, as stored in `release_cell`.
public struct FrozenCell: Sendable, Equatable {
    public var fiscalYear: Int
    public var quarter: String
    public var region: String
    public var measure: Measure
    public var exact: Amount
    /// The published value: the exact value rounded to the nearest 10, in pounds, presses or
    /// whole dollars.
    public var published: Int64
    public var seizureCount: Int

    public var key: String {
        FrozenCell.key(fiscalYear: fiscalYear, quarter: quarter, region: region, measure: measure)
    }

    /// The cell as written in messages, like `FY2023 Q2 North fentanyl_lbs`.
    public var label: String { "FY\(fiscalYear) \(quarter) \(region) \(measure.rawValue)" }

    /// Returns the key of a cell, like `2023,Q2,North,fentanyl_lbs`: the first four columns of the
    /// exported table.
    public static func key(fiscalYear: Int, quarter: String, region: String, measure: Measure) -> String {
        "\(fiscalYear),\(quarter),\(region),\(measure.rawValue)"
    }

    static let columns = """
        fiscal_year, quarter, region, measure, exact_lbs, exact_count, exact_cents, published,
        seizure_count
        """

    init(row: Row) throws {
        fiscalYear = row.int(0)!
        quarter = row.string(1)!
        region = row.string(2)!
        guard let measure = Measure(rawValue: row.string(3)!) else {
            throw ReleaseError(message: "release_cell has an unknown measure '\(row.string(3)!)'")
        }
        self.measure = measure
        switch measure {
        case .fentanylLbs: exact = .pounds(row.double(4) ?? 0)
        case .pillPresses: exact = .count(Int64(row.int(5) ?? 0))
        case .currencyUSD, .propertyUSD: exact = .cents(Int64(row.int(6) ?? 0))
        }
        published = Int64(row.int(7)!)
        seizureCount = row.int(8)!
    }

    /// Makes the frozen form of a cell computed now, as `release create` stores it.
    init(_ cell: Cell) {
        fiscalYear = cell.fiscalYear
        quarter = cell.quarter
        region = cell.region
        measure = cell.measure
        switch cell.measure {
        case .fentanylLbs: exact = .pounds(cell.exactPounds ?? 0)
        case .pillPresses: exact = .count(cell.exactInteger ?? 0)
        case .currencyUSD, .propertyUSD: exact = .cents(cell.exactInteger ?? 0)
        }
        published = cell.published
        seizureCount = cell.seizureCount
    }

    /// Loads every frozen cell of a release, in the order of the exported table.
    public static func loadAll(_ database: Database, release: ReleaseRecord) throws -> [FrozenCell] {
        try database.rows(
            "SELECT \(columns) FROM release_cell WHERE release_id = ? ORDER BY position",
            [.integer(Int64(release.id))]
        ).map(FrozenCell.init)
    }

    /// Loads one frozen cell of a release; returns nil when the release has no such cell.
    public static func load(_ database: Database, release: ReleaseRecord, fiscalYear: Int,
        quarter: String, region: String, measure: Measure) throws -> FrozenCell?
    {
        try database.row(
            """
            SELECT \(columns) FROM release_cell
            WHERE release_id = ? AND fiscal_year = ? AND quarter = ? AND region = ? AND measure = ?
            """,
            [.integer(Int64(release.id)), .integer(Int64(fiscalYear)), .text(quarter), .text(region),
             .text(measure.rawValue)]
        ).map(FrozenCell.init)
    }
}

/// One agency's own values for a frozen seizure.
public struct FrozenSide: Sendable, Equatable {
    public var date: String
    public var region: String
    public var fentanylLbs: Double
    public var pillPresses: Int64
    /// Dollars, for ICE only; nil for CBP.
    public var currencyCents: Int64?
    public var propertyCents: Int64?
}

/// An integrated seizure of a frozen release, as stored in `release_seizure`.
public struct FrozenSeizure: Sendable, Equatable {
    public var fpf: String
    public var sideUsed: Agency
    public var isJoint: Bool
    public var isDiscrepancy: Bool
    public var inPeriod: Bool
    public var date: String
    public var fiscalYear: Int
    public var quarter: String
    public var region: String
    public var fentanylLbs: Double
    public var pillPresses: Int64
    public var currencyCents: Int64
    public var propertyCents: Int64
    public var cbp: FrozenSide?
    public var ice: FrozenSide?

    static let columns = """
        fpf, side_used, is_joint, is_discrepancy, in_period, seizure_date, fiscal_year, quarter,
        region, fentanyl_lbs, pill_presses, currency_cents, property_cents, cbp_date, cbp_region,
        cbp_fentanyl_lbs, cbp_pill_presses, ice_date, ice_region, ice_fentanyl_lbs, ice_pill_presses,
        ice_currency_cents, ice_property_cents
        """

    init(row: Row) {
        fpf = row.string(0)!
        sideUsed = Agency(rawValue: row.string(1)!) ?? .cbp
        isJoint = row.int(2) == 1
        isDiscrepancy = row.int(3) == 1
        inPeriod = row.int(4) == 1
        date = row.string(5)!
        fiscalYear = row.int(6)!
        quarter = row.string(7)!
        region = row.string(8)!
        fentanylLbs = row.double(9)!
        pillPresses = Int64(row.int(10)!)
        currencyCents = Int64(row.int(11)!)
        propertyCents = Int64(row.int(12)!)
        if let date = row.string(13) {
            cbp = FrozenSide(date: date, region: row.string(14) ?? "", fentanylLbs: row.double(15) ?? 0,
                pillPresses: Int64(row.int(16) ?? 0), currencyCents: nil, propertyCents: nil)
        }
        if let date = row.string(17) {
            ice = FrozenSide(date: date, region: row.string(18) ?? "", fentanylLbs: row.double(19) ?? 0,
                pillPresses: Int64(row.int(20) ?? 0), currencyCents: Int64(row.int(21) ?? 0),
                propertyCents: Int64(row.int(22) ?? 0))
        }
    }

    /// Makes the frozen form of a seizure integrated now, to compare with the stored rows.
    init(_ seizure: IntegratedSeizure) {
        fpf = seizure.fpf
        sideUsed = seizure.sideUsed
        isJoint = seizure.isJoint
        isDiscrepancy = seizure.isDiscrepancy
        inPeriod = seizure.inPeriod
        date = seizure.date.description
        fiscalYear = seizure.fiscalYear
        quarter = seizure.quarter
        region = seizure.region
        fentanylLbs = seizure.fentanylLbs
        pillPresses = seizure.pillPresses
        currencyCents = seizure.currencyCents
        propertyCents = seizure.propertyCents
        cbp = seizure.cbp.map {
            FrozenSide(date: $0.date.description, region: $0.region, fentanylLbs: $0.fentanylLbs,
                pillPresses: $0.pillPresses, currencyCents: nil, propertyCents: nil)
        }
        ice = seizure.ice.map {
            FrozenSide(date: $0.date.description, region: $0.region, fentanylLbs: $0.fentanylLbs,
                pillPresses: $0.pillPresses, currencyCents: $0.currencyCents, propertyCents: $0.propertyCents)
        }
    }

    /// Returns the seizure's contribution to a cell of `measure`.
    public func amount(of measure: Measure) -> Amount {
        switch measure {
        case .fentanylLbs: return .pounds(fentanylLbs)
        case .pillPresses: return .count(pillPresses)
        case .currencyUSD: return .cents(currencyCents)
        case .propertyUSD: return .cents(propertyCents)
        }
    }

    /// Returns the agency whose extract gives the seizure's amount of `measure`: ICE for
    /// dollars, the side used for pounds and presses.
    public func source(of measure: Measure) -> Agency {
        measure.isMoney ? .ice : sideUsed
    }

    /// Loads every integrated seizure of a release, in FPF order (the order the table sums them in).
    public static func loadAll(_ database: Database, release: ReleaseRecord) throws -> [FrozenSeizure] {
        try database.rows(
            "SELECT \(columns) FROM release_seizure WHERE release_id = ? ORDER BY fpf",
            [.integer(Int64(release.id))]
        ).map(FrozenSeizure.init)
    }

    /// Returns the SQL condition on `release_seizure` for the seizures counted in one cell, with
    /// its parameters; `ALL` matches every quarter or region.
    static func cellCondition(release: ReleaseRecord, fiscalYear: Int, quarter: String, region: String)
        -> (sql: String, parameters: [SQLValue])
    {
        let sql = """
            release_id = ? AND in_period = 1 AND fiscal_year = ?
                AND (? = 'ALL' OR quarter = ?) AND (? = 'ALL' OR region = ?)
            """
        return (sql, [.integer(Int64(release.id)), .integer(Int64(fiscalYear)), .text(quarter), .text(quarter),
            .text(region), .text(region)])
    }

    /// Loads the seizures counted in one cell of a release, in FPF order.
    public static func loadCounted(_ database: Database, release: ReleaseRecord, fiscalYear: Int,
        quarter: String, region: String) throws -> [FrozenSeizure]
    {
        let condition = cellCondition(release: release, fiscalYear: fiscalYear, quarter: quarter, region: region)
        return try database.rows(
            "SELECT \(columns) FROM release_seizure WHERE \(condition.sql) ORDER BY fpf", condition.parameters
        ).map(FrozenSeizure.init)
    }

    /// Loads one seizure of a release; returns nil when the release has no seizure with this FPF.
    public static func load(_ database: Database, release: ReleaseRecord, fpf: String) throws -> FrozenSeizure? {
        try database.row(
            "SELECT \(columns) FROM release_seizure WHERE release_id = ? AND fpf = ?",
            [.integer(Int64(release.id)), .text(fpf)]
        ).map(FrozenSeizure.init)
    }
}

extension ReleaseRecord {
    /// Returns the id of the pinned extract of `agency`, or nil when the release has none.
    public func extractID(of agency: Agency) -> Int? {
        agency == .cbp ? cbpExtractID : iceExtractID
    }

    /// Loads the pinned extracts by agency; throws when one is missing from the database.
    public func extracts(_ database: Database) throws -> [Agency: ExtractRecord] {
        var extracts: [Agency: ExtractRecord] = [:]
        for agency in Agency.allCases {
            guard let id = extractID(of: agency) else { continue }
            guard let extract = try ExtractRecord.load(database, id: id) else {
                throw ReleaseError(message: "extract \(id), pinned by release '\(name)' for \(agency.rawValue), is missing from the database; the database was altered outside khsm.")
            }
            extracts[agency] = extract
        }
        return extracts
    }
}

extension ExtractRecord {
    /// The extract as named in lists, like `cbp-2.csv (CBP extract 3, extracted 2024-11-04)`.
    public var label: String {
        "\(fileName) (\(agency.rawValue) extract \(id), extracted \(extractedOn))"
    }
}

/// What a release froze and a comparison between releases reads: its record, pinned extracts,
/// published cells and integrated seizures.
public struct FrozenRelease: Sendable {
    public var release: ReleaseRecord
    public var extracts: [Agency: ExtractRecord]
    /// Published cells, in the order of the exported table.
    public var cells: [FrozenCell]
    /// Integrated seizures, counted in the table or not, in FPF order.
    public var seizures: [FrozenSeizure]

    public init(release: ReleaseRecord, extracts: [Agency: ExtractRecord], cells: [FrozenCell],
        seizures: [FrozenSeizure])
    {
        self.release = release
        self.extracts = extracts
        self.cells = cells
        self.seizures = seizures
    }

    /// Loads release `name`. Throws `ReleaseError` when there is no such release or a pinned
    /// extract is missing.
    public static func load(_ database: Database, name: String) throws -> FrozenRelease {
        try load(database, release: try ReleaseRecord.load(database, name: name))
    }

    /// Loads what `release` froze. Throws `ReleaseError` when a pinned extract is missing.
    public static func load(_ database: Database, release: ReleaseRecord) throws -> FrozenRelease {
        FrozenRelease(release: release, extracts: try release.extracts(database),
            cells: try FrozenCell.loadAll(database, release: release),
            seizures: try FrozenSeizure.loadAll(database, release: release))
    }
}
