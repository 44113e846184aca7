import Foundation

/// A problem in reference data, named by file, line and value.
public struct ReferenceError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int?
    public let message: String

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// One complete set of reference tables: offices to regions, aliases, commodities to measures,
/// states to regions, units, column layouts and date formats.
public struct ReferenceData: Sendable {
    public struct Office: Sendable, Equatable {
        public var agency: String
        public var component: String
        public var aor: String
        public var state: String
        public var region: String
    }

    public struct Alias: Sendable, Equatable {
        public var agency: String
        public var alias: String
        public var aor: String
    }

    public struct Commodity: Sendable, Equatable {
        /// `CBP`, `ICE` or `*` for both.
        public var agency: String
        public var commodity: String
        /// A measure key or `out_of_scope`.
        public var measure: String
    }

    public struct StateRegion: Sendable, Equatable {
        public var state: String
        public var agency: String
        public var region: String
    }

    public struct Unit: Sendable, Equatable {
        public var unit: String
        /// `weight` or `count`.
        public var kind: String
        public var poundsPerUnit: Double?
    }

    public struct LayoutColumn: Sendable, Equatable {
        public var agency: String
        /// One of `LayoutField`'s raw values.
        public var field: String
        public var header: String
        public var required: Bool
    }

    public struct AgencyFormats: Sendable, Equatable {
        public var agency: String
        public var name: String
        /// Date layouts such as `MM/DD/YYYY`, tried in order.
        public var dateFormats: [String]
    }

    public var offices: [Office] = []
    public var aliases: [Alias] = []
    public var commodities: [Commodity] = []
    public var stateRegions: [StateRegion] = []
    public var units: [Unit] = []
    public var layoutColumns: [LayoutColumn] = []
    public var agencies: [AgencyFormats] = []

    public init() {}

    /// Value used for the `*` agency of commodities and state regions.
    public static let anyAgency = "*"
    static let outOfScope = "out_of_scope"
}

/// The fields a column layout can map, by their names in `layouts.csv`.
public enum LayoutField: String, CaseIterable, Sendable {
    case fpf, date, component, aor, commodity, quantity, unit
    case valueUSD = "value_usd"

    /// Fields every agency's layout must name.
    static let mandatory: [LayoutField] = [.fpf, .date, .aor, .commodity, .quantity, .unit]
}

extension ReferenceData {
    /// Checks that the tables are complete and agree with each other: known regions, measures
    /// and fields; aliases pointing to known offices; each office's region equal to its
    /// state's region for that agency.
    public func validate() throws {
        let regions = Set(Region.allCases.map(\.rawValue))
        let agencyNames = Set(Agency.allCases.map(\.rawValue))
        func fail(_ file: String, _ message: String) -> ReferenceError {
            ReferenceError(file: file, line: nil, message: message)
        }

        var officeKeys = Set<String>()
        for office in offices {
            guard agencyNames.contains(office.agency) else {
                throw fail("aor_regions.csv", "unknown agency '\(office.agency)' for office '\(office.aor)'; use CBP or ICE")
            }
            guard regions.contains(office.region) || office.region == outsideUSRegion else {
                throw fail("aor_regions.csv", "unknown region '\(office.region)' for office '\(office.aor)'; use one of \(Region.allCases.map(\.rawValue).joined(separator: ", ")) or \(outsideUSRegion)")
            }
            let key = office.agency + "|" + collapsedKey(office.aor)
            guard officeKeys.insert(key).inserted else {
                throw fail("aor_regions.csv", "office '\(office.aor)' is listed twice for \(office.agency)")
            }
            if office.region != outsideUSRegion {
                guard let stateRegion = stateRegion(state: office.state, agency: office.agency) else {
                    throw fail("aor_regions.csv", "office '\(office.aor)' is in state '\(office.state)', which state_regions.csv does not list for \(office.agency)")
                }
                guard stateRegion == office.region else {
                    throw fail("aor_regions.csv", "office '\(office.aor)' is mapped to \(office.region), but its state \(office.state) is in \(stateRegion) for \(office.agency) according to state_regions.csv; make the two agree")
                }
            }
        }
        var aliasKeys = Set<String>()
        for alias in aliases {
            let key = alias.agency + "|" + collapsedKey(alias.alias)
            guard aliasKeys.insert(key).inserted else {
                throw fail("aor_aliases.csv", "alias '\(alias.alias)' is listed twice for \(alias.agency); keep one row per alias")
            }
            guard !officeKeys.contains(key) else {
                throw fail("aor_aliases.csv", "alias '\(alias.alias)' of \(alias.agency) is itself an office in aor_regions.csv, so it would never be used; remove the alias or rename the office")
            }
            guard officeKeys.contains(alias.agency + "|" + collapsedKey(alias.aor)) else {
                throw fail("aor_aliases.csv", "alias '\(alias.alias)' points to '\(alias.aor)', which aor_regions.csv does not list for \(alias.agency)")
            }
        }
        var commodityKeys = Set<String>()
        let measures = Set(Measure.allCases.map(\.rawValue) + [ReferenceData.outOfScope])
        for commodity in commodities {
            guard commodity.agency == ReferenceData.anyAgency || agencyNames.contains(commodity.agency) else {
                throw fail("commodities.csv", "unknown agency '\(commodity.agency)' for commodity '\(commodity.commodity)'; use CBP, ICE or *")
            }
            guard measures.contains(commodity.measure) else {
                throw fail("commodities.csv", "unknown measure '\(commodity.measure)' for commodity '\(commodity.commodity)'; use one of \(measures.sorted().joined(separator: ", "))")
            }
            guard commodityKeys.insert(commodity.agency + "|" + collapsedKey(commodity.commodity)).inserted else {
                throw fail("commodities.csv", "commodity '\(commodity.commodity)' is listed twice for \(commodity.agency)")
            }
        }
        for stateRegion in stateRegions where !regions.contains(stateRegion.region) {
            throw fail("state_regions.csv", "unknown region '\(stateRegion.region)' for state '\(stateRegion.state)'")
        }
        for unit in units {
            switch unit.kind {
            case "weight":
                guard let factor = unit.poundsPerUnit, factor > 0 else {
                    throw fail("units.csv", "weight unit '\(unit.unit)' needs a positive pounds_per_unit")
                }
            case "count":
                break
            default:
                throw fail("units.csv", "unknown kind '\(unit.kind)' for unit '\(unit.unit)'; use weight or count")
            }
        }
        try requireUnique(units.map { collapsedKey($0.unit) }, file: "units.csv", what: "unit")
        try requireUnique(stateRegions.map { "\($0.state) for \($0.agency)" }, file: "state_regions.csv", what: "state")
        try requireUnique(layoutColumns.map { "\($0.field) of \($0.agency)" }, file: "layouts.csv", what: "field")
        try requireUnique(agencies.map(\.agency), file: "agencies.csv", what: "agency")
        for column in layoutColumns where !agencyNames.contains(column.agency) {
            throw fail("layouts.csv", "layout of unknown agency '\(column.agency)'; khsm integrates CBP and ICE only, so a layout must belong to one of them")
        }
        for formats in agencies where !agencyNames.contains(formats.agency) {
            throw fail("agencies.csv", "unknown agency '\(formats.agency)'; khsm integrates CBP and ICE only")
        }
        for column in layoutColumns where LayoutField(rawValue: column.field) == nil {
            throw fail("layouts.csv", "unknown field '\(column.field)'; use one of \(LayoutField.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for agency in Agency.allCases {
            let fields = Set(layoutColumns.filter { $0.agency == agency.rawValue }.map(\.field))
            let missing = LayoutField.mandatory.filter { !fields.contains($0.rawValue) }
            guard missing.isEmpty else {
                throw fail("layouts.csv", "the \(agency.rawValue) layout does not name the fields \(missing.map(\.rawValue).joined(separator: ", "))")
            }
            guard let formats = agencies.first(where: { $0.agency == agency.rawValue }) else {
                throw fail("agencies.csv", "no row for \(agency.rawValue)")
            }
            for format in formats.dateFormats where DateFormat(format) == nil {
                throw fail("agencies.csv", "invalid date format '\(format)' for \(agency.rawValue); use tokens YYYY, MM, M, DD, D and separators")
            }
        }
    }

    /// Throws when a key appears twice, naming it.
    private func requireUnique(_ keys: [String], file: String, what: String) throws {
        var seen = Set<String>()
        for key in keys where !seen.insert(key).inserted {
            throw ReferenceError(file: file, line: nil, message: "\(what) '\(key)' is listed twice; keep one row for it")
        }
    }

    /// Looks up the region of `state` for `agency`: the agency's own row, or else the `*` row.
    func stateRegion(state: String, agency: String) -> String? {
        let key = collapsedKey(state)
        let own = stateRegions.first { collapsedKey($0.state) == key && $0.agency == agency }
        let shared = stateRegions.first {
            collapsedKey($0.state) == key && $0.agency == ReferenceData.anyAgency
        }
        return (own ?? shared)?.region
    }

    /// SHA-256 over a canonical text of every table, so that identical data has one digest.
    public var digest: String {
        var lines: [String] = []
        lines += offices.map { "aor|\($0.agency)|\($0.component)|\($0.aor)|\($0.state)|\($0.region)" }.sorted()
        lines += aliases.map { "alias|\($0.agency)|\($0.alias)|\($0.aor)" }.sorted()
        lines += commodities.map { "commodity|\($0.agency)|\($0.commodity)|\($0.measure)" }.sorted()
        lines += stateRegions.map { "state|\($0.state)|\($0.agency)|\($0.region)" }.sorted()
        lines += units.map { "unit|\($0.unit)|\($0.kind)|\($0.poundsPerUnit.map { "\($0)" } ?? "")" }.sorted()
        lines += layoutColumns.map { "layout|\($0.agency)|\($0.field)|\($0.header)|\($0.required)" }.sorted()
        lines += agencies.map { "agency|\($0.agency)|\($0.name)|\($0.dateFormats.joined(separator: "|"))" }.sorted()
        var hash = SHA256()
        hash.update(Array(lines.joined(separator: "\n").utf8))
        return hexString(hash.finalize())
    }
}
