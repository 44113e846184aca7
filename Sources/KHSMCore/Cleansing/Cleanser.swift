/// What cleansing made of one record.
public enum LineOutcome: String, Sendable {
    case accepted
    case excluded
    case outOfScope = "out_of_scope"
    case blank
}

/// The values of one record, by layout field; absent fields are empty.
public struct RawLine: Sendable {
    public var fpf = ""
    public var date = ""
    public var component = ""
    public var aor = ""
    public var commodity = ""
    public var quantity = ""
    public var unit = ""
    public var valueUSD = ""

    public init() {}

    public subscript(field: LayoutField) -> String {
        get {
            switch field {
            case .fpf: return fpf
            case .date: return date
            case .component: return component
            case .aor: return aor
            case .commodity: return commodity
            case .quantity: return quantity
            case .unit: return unit
            case .valueUSD: return valueUSD
            }
        }
        set {
            switch field {
            case .fpf: fpf = newValue
            case .date: date = newValue
            case .component: component = newValue
            case .aor: aor = newValue
            case .commodity: commodity = newValue
            case .quantity: quantity = newValue
            case .unit: unit = newValue
            case .valueUSD: valueUSD = newValue
            }
        }
    }
}

/// One cleansed line item. Accepted lines carry exactly one amount: `pounds` for fentanyl,
/// `presses` for pill presses, `cents` for dollar measures.
public struct LineItem: Sendable, Equatable {
    public var line: Int
    public var outcome: LineOutcome
    public var reason: ExclusionReason?
    /// The value that caused the exclusion, as written.
    public var reasonValue: String?
    public var rawFPF: String
    public var fpf: String?
    /// The 8-digit line-item suffix of an FPF written with 24 digits.
    public var fpfSuffix: String?
    public var date: CalendarDate?
    public var aor: String?
    public var region: String?
    public var commodity: String
    public var measure: Measure?
    public var pounds: Double?
    public var presses: Int64?
    public var cents: Int64?

    init(line: Int, outcome: LineOutcome, raw: RawLine) {
        self.line = line
        self.outcome = outcome
        rawFPF = raw.fpf
        commodity = raw.commodity
    }
}

/// Largest amounts one line may carry. They are far beyond any real seizure, and they keep the
/// sums of millions of lines inside 64-bit integers and exact doubles, so a mangled value such as
/// `1e300` is excluded as `invalid_quantity` instead of overflowing a published cell.
public enum AmountLimits {
    /// One billion pounds.
    public static let maximumPounds = 1e9
    /// One billion presses.
    public static let maximumPresses: Int64 = 1_000_000_000
    /// One trillion dollars, in cents.
    public static let maximumCents: Int64 = 100_000_000_000_000
}

/// Cleanses line items of one agency against one version of reference data.
///
/// Look-ups are remembered by the text as written, because an extract repeats a few dozen
/// offices, commodities and units over millions of lines; each memo is bounded.
public final class Cleanser {
    public let agency: Agency
    private let offices: [String: ReferenceData.Office]
    private let aliases: [String: String]
    private let commodities: [String: String]
    private let units: [String: ReferenceData.Unit]
    private let dateFormats: [DateFormat]
    private var measureMemo: [String: String?] = [:]
    private var officeMemo: [String: ReferenceData.Office?] = [:]
    private var unitMemo: [String: ReferenceData.Unit?] = [:]
    private static let memoLimit = 10_000

    public init(reference: ReferenceData, agency: Agency) {
        self.agency = agency
        var offices: [String: ReferenceData.Office] = [:]
        for office in reference.offices where office.agency == agency.rawValue {
            offices[collapsedKey(office.aor)] = office
        }
        var aliases: [String: String] = [:]
        for alias in reference.aliases where alias.agency == agency.rawValue {
            aliases[collapsedKey(alias.alias)] = collapsedKey(alias.aor)
        }
        // An agency's own entry wins over a `*` entry.
        var commodities: [String: String] = [:]
        for commodity in reference.commodities where commodity.agency == ReferenceData.anyAgency {
            commodities[collapsedKey(commodity.commodity)] = commodity.measure
        }
        for commodity in reference.commodities where commodity.agency == agency.rawValue {
            commodities[collapsedKey(commodity.commodity)] = commodity.measure
        }

        // A commodity that only another agency's entry maps to a measure this agency cannot
        // count (a dollar measure, on a CBP line) is out of scope here, not unknown.
        for commodity in reference.commodities {
            let key = collapsedKey(commodity.commodity)
            if commodities[key] == nil, let measure = Measure(rawValue: commodity.measure),
                !measure.isCounted(for: agency)
            {
                commodities[key] = ReferenceData.outOfScope
            }
        }
        var units: [String: ReferenceData.Unit] = [:]
        for unit in reference.units {
            units[collapsedKey(unit.unit)] = unit
        }
        self.offices = offices
        self.aliases = aliases
        self.commodities = commodities
        self.units = units
        dateFormats = (reference.agencies.first { $0.agency == agency.rawValue }?.dateFormats ?? [])
            .compactMap(DateFormat.init)
    }

    private func lookUpMeasure(of commodity: String) -> String? {
        if let known = measureMemo[commodity] { return known }
        let measure = commodities[collapsedKey(commodity)]
        if measureMemo.count >= Cleanser.memoLimit { measureMemo.removeAll() }
        measureMemo[commodity] = measure
        return measure
    }

    private func lookUpOffice(named name: String) -> ReferenceData.Office? {
        if let known = officeMemo[name] { return known }
        let key = collapsedKey(name)
        let office = offices[key] ?? aliases[key].flatMap { offices[$0] }
        if officeMemo.count >= Cleanser.memoLimit { officeMemo.removeAll() }
        officeMemo[name] = office
        return office
    }

    private func lookUpUnit(named name: String) -> ReferenceData.Unit? {
        if let known = unitMemo[name] { return known }
        let unit = units[collapsedKey(name)]
        if unitMemo.count >= Cleanser.memoLimit { unitMemo.removeAll() }
        unitMemo[name] = unit
        return unit
    }

    /// Cleanses one record. The checks run in a fixed order and the first failure is the
    /// reason: commodity (out-of-scope lines stop here and are never excluded), FPF, date,
    /// office, then quantity.
    public func cleanse(line: Int, _ raw: RawLine) -> LineItem {
        var item = LineItem(line: line, outcome: .accepted, raw: raw)
        func exclude(_ reason: ExclusionReason, _ value: String) -> LineItem {
            item.outcome = .excluded
            item.reason = reason
            item.reasonValue = value
            return item
        }

        guard let measureName = lookUpMeasure(of: raw.commodity) else {
            return exclude(.unknownCommodity, raw.commodity)
        }
        guard let measure = Measure(rawValue: measureName), measure.isCounted(for: agency) else {
            item.outcome = .outOfScope
            return item
        }
        item.measure = measure

        switch FPF(raw.fpf) {
        case .missing:
            return exclude(.missingFPF, raw.fpf)
        case .malformed:
            return exclude(.malformedFPF, raw.fpf)
        case .valid(let fpf):
            item.fpf = fpf
            item.fpfSuffix = FPF.suffixedDigits(raw.fpf).map { String($0.suffix(8)) }
        }

        let dateText = Substring(raw.date.trimmingWhitespace())
        guard let date = dateFormats.lazy.compactMap({ $0.parse(dateText) }).first else {
            return exclude(.invalidDate, raw.date)
        }
        item.date = date

        guard let office = lookUpOffice(named: raw.aor) else {
            return exclude(.unknownAOR, raw.aor)
        }
        if office.region == outsideUSRegion {
            return exclude(.outsideUS, raw.aor)
        }
        item.aor = office.aor
        item.region = office.region

        switch measure {
        case .fentanylLbs:
            guard let unit = lookUpUnit(named: raw.unit), unit.kind == "weight",
                let factor = unit.poundsPerUnit
            else { return exclude(.invalidQuantity, "\(raw.quantity) \(raw.unit)") }
            guard let quantity = DecimalNumber(Substring(raw.quantity.trimmingWhitespace())),
                !quantity.isNegative
            else { return exclude(.invalidQuantity, raw.quantity) }
            let pounds = quantity.doubleValue * factor
            guard pounds.isFinite, pounds <= AmountLimits.maximumPounds else {
                return exclude(.invalidQuantity, raw.quantity)
            }
            item.pounds = pounds
        case .pillPresses:
            guard let unit = lookUpUnit(named: raw.unit), unit.kind == "count" else {
                return exclude(.invalidQuantity, "\(raw.quantity) \(raw.unit)")
            }
            guard let quantity = DecimalNumber(Substring(raw.quantity.trimmingWhitespace())),
                !quantity.isNegative, let count = quantity.integerValue,
                count <= AmountLimits.maximumPresses
            else { return exclude(.invalidQuantity, raw.quantity) }
            item.presses = count
        case .currencyUSD, .propertyUSD:
            guard
                let value = DecimalNumber(Substring(raw.valueUSD.trimmingWhitespace()), allowDollar: true),
                !value.isNegative, let cents = value.hundredths, cents <= AmountLimits.maximumCents
            else { return exclude(.invalidQuantity, raw.valueUSD) }
            item.cents = cents
        }
        return item
    }
}
