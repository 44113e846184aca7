/// The line items of one agency's extract that a release uses.
public struct ExtractInput: Sendable {
    public var extractID: Int
    public var agency: Agency
    public var fileName: String
    public var extractedOn: CalendarDate
    /// Every line item of the extract, in file order.
    public var items: [LineItem]
}

/// What the method needs of one agency's extract: its seizures and the line counts of the
/// undercount figure.
struct ExtractTotals {
    var agency: Agency
    var seizures: [String: AgencySeizure] = [:]
    /// Lines whose commodity maps to a measure counted for the agency: accepted, or excluded
    /// for another reason than an unknown commodity.
    var inScopeLines = 0
    var missingFPFLines = 0

    init(agency: Agency) {
        self.agency = agency
    }

    init(_ input: ExtractInput) {
        agency = input.agency
        for item in input.items {
            add(item)
        }
    }

    /// Adds the next line item in file order.
    mutating func add(_ item: LineItem) {
        count(outcome: item.outcome, reason: item.reason)
        guard item.outcome == .accepted, let fpf = item.fpf, let date = item.date, let region = item.region,
            let aor = item.aor, let measure = item.measure
        else { return }
        AgencySeizure.add(line: item.line, fpf: fpf, date: date, region: region, aor: aor, measure: measure,
            pounds: item.pounds, presses: item.presses, cents: item.cents, to: &seizures)
    }

    mutating func count(outcome: LineOutcome, reason: ExclusionReason?) {
        if outcome == .accepted || (outcome == .excluded && reason != .unknownCommodity) {
            inScopeLines += 1
        }
        if reason == .missingFPF { missingFPFLines += 1 }
    }
}

/// A quality figure of a release: a share with its numerator and denominator.
public struct QualityFigure: Sendable, Equatable {
    public var figure: String
    /// `CBP`, `ICE`, or empty for figures over both agencies.
    public var agency: String
    public var numerator: Double
    public var denominator: Double
    public var value: Double? { denominator == 0 ? nil : numerator / denominator }
}

/// Everything a release publishes, computed from its inputs alone.
public struct ReleaseComputation: Sendable {
    public var seizures: [IntegratedSeizure]
    public var cells: [Cell]
    public var quality: [QualityFigure]
    public var tableCSV: String

    /// Runs the method: seizures per agency, integration, the table and quality figures.
    /// `moreRecent` is the agency whose extract is more recent (later extraction date; ties go to
    /// the one ingested later).
    public init(cbp: ExtractInput?, ice: ExtractInput?, moreRecent: Agency, fiscalYears: ClosedRange<Int>) {
        self.init(cbp: cbp.map(ExtractTotals.init), ice: ice.map(ExtractTotals.init), moreRecent: moreRecent,
            fiscalYears: fiscalYears)
    }

    init(cbp: ExtractTotals?, ice: ExtractTotals?, moreRecent: Agency, fiscalYears: ClosedRange<Int>) {
        seizures = integrate(cbp: cbp?.seizures ?? [:], ice: ice?.seizures ?? [:], moreRecent: moreRecent,
            fiscalYears: fiscalYears)
        cells = buildTable(seizures: seizures, fiscalYears: fiscalYears)
        tableCSV = KHSMCore.tableCSV(cells)

        var quality: [QualityFigure] = []
        for totals in [cbp, ice].compactMap({ $0 }) {
            quality.append(QualityFigure(figure: "undercount", agency: totals.agency.rawValue,
                numerator: Double(totals.missingFPFLines), denominator: Double(totals.inScopeLines)))
        }
        // Counted in place: copying a million seizures into filtered arrays costs more than the
        // rest of the figures.
        var counted = 0
        var discrepant = 0
        var jointPounds = 0.0
        var allPounds = 0.0
        for seizure in seizures where seizure.inPeriod {
            counted += 1
            if seizure.isDiscrepancy { discrepant += 1 }
            if seizure.isJoint { jointPounds += seizure.fentanylLbs }
            allPounds += seizure.fentanylLbs
        }
        quality.append(QualityFigure(figure: "joint_share_lbs", agency: "", numerator: jointPounds,
            denominator: allPounds))
        quality.append(QualityFigure(figure: "discrepancy_rate", agency: "",
            numerator: Double(discrepant), denominator: Double(counted)))
        self.quality = quality
    }

    public var countedSeizures: Int { seizures.lazy.filter(\.inPeriod).count }
    public var jointSeizures: Int { seizures.lazy.filter { $0.inPeriod && $0.isJoint }.count }
    public var discrepancies: [IntegratedSeizure] { seizures.filter(\.isDiscrepancy) }
}
