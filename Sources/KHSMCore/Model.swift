/// The two agencies whose extracts are integrated.
public enum Agency: String, CaseIterable, Sendable, Comparable {
    case cbp = "CBP"
    case ice = "ICE"

    /// Parses `cbp` or `ice` in any case.
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }

    public static func < (left: Agency, right: Agency) -> Bool { left.rawValue < right.rawValue }
}

/// The four published measures, in the order of the published table.
public enum Measure: String, CaseIterable, Sendable {
    case fentanylLbs = "fentanyl_lbs"
    case pillPresses = "pill_presses"
    case currencyUSD = "currency_usd"
    case propertyUSD = "property_usd"

    /// Dollar measures come from `Value USD`, exact to the cent, and only from ICE.
    public var isMoney: Bool { self == .currencyUSD || self == .propertyUSD }

    /// Tells whether lines of `agency` can count toward this measure. CBP lines mapped to a
    /// dollar measure are out of scope.
    public func isCounted(for agency: Agency) -> Bool { !isMoney || agency == .ice }
}

/// The published regions, in the order of the published table (without the ALL total).
public enum Region: String, CaseIterable, Sendable {
    case southwest = "Southwest"
    case north = "North"
    case southeast = "Southeast"
    case oconus = "OCONUS"
}

/// Region code in reference data for offices abroad, whose lines are excluded.
public let outsideUSRegion = "outside_us"

/// Reason for excluding a line item, in the order the checks run (the first that applies wins).
public enum ExclusionReason: String, CaseIterable, Sendable {
    case unknownCommodity = "unknown_commodity"
    case missingFPF = "missing_fpf"
    case malformedFPF = "malformed_fpf"
    case invalidDate = "invalid_date"
    case unknownAOR = "unknown_aor"
    case outsideUS = "outside_us"
    case invalidQuantity = "invalid_quantity"
}

/// Quarters of a fiscal year, then the whole year, in the order of the published table.
public let publishedQuarters = ["Q1", "Q2", "Q3", "Q4", "ALL"]

/// Regions in the order of the published table, then the national total.
public let publishedRegions = Region.allCases.map(\.rawValue) + ["ALL"]
