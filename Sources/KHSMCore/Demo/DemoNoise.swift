/// Exclusion reasons of the method that the demo plants in the extracts.
enum DemoExclusionReason: Int, CaseIterable, Sendable {
    case missingFPF
    case malformedFPF
    case invalidDate
    case unknownAOR
    case invalidQuantity
    case unknownCommodity
}

/// Spreads events over a stream of candidates at a fixed rate by
/// systematic sampling. Each candidate adds the rate to a running carry,
/// and an event fires whenever the carry reaches 1. Over n candidates an
/// event therefore fires floor(start + n × rate) times, which keeps counts
/// proportional to the scale instead of merely random.
struct DemoRateSampler {
    let rates: [Double]
    private var carries: [Double]
    /// Events fired per kind since the start of the fiscal year.
    private(set) var countsInFiscalYear: [Int]

    init(rates: [Double], generator: inout SeededGenerator) {
        self.rates = rates
        carries = rates.map { _ in generator.uniformDouble() }
        countsInFiscalYear = rates.map { _ in 0 }
    }

    /// Adds one candidate and returns the first kind whose carry reached 1,
    /// or nil. A kind that is due but not returned stays due.
    mutating func offer(allowed: (Int) -> Bool = { _ in true }) -> Int? {
        for kind in rates.indices {
            carries[kind] += rates[kind]
        }
        for kind in rates.indices where carries[kind] >= 1 && allowed(kind) {
            carries[kind] -= 1
            countsInFiscalYear[kind] += 1
            return kind
        }
        return nil
    }

    /// Records an event placed outside the rate, such as a forced one.
    mutating func recordForced(_ kind: Int) {
        countsInFiscalYear[kind] += 1
    }

    mutating func startFiscalYear() {
        countsInFiscalYear = rates.map { _ in 0 }
    }
}

/// Plants exclusion noise and discrepancies in the seizures of each month.
///
/// Noise goes only on in-scope lines that are not reproduced from
/// published figures and, in joint seizures, only on HSI currency and
/// property lines, so that noise never makes the two agencies' pounds or
/// presses differ. Discrepancies are planted separately by changing the HSI
/// side of a few joint seizures. In the last month of each fiscal year,
/// every kind that has not occurred in that year is forced once if the
/// month has a line where it can go.
struct DemoNoise {
    private var cbpSampler: DemoRateSampler
    private var iceSampler: DemoRateSampler
    private var outsideUSSampler: DemoRateSampler
    private var discrepancySampler: DemoRateSampler
    /// Whether CBP fentanyl seizures are random, so that some may be moved
    /// to the preclearance AOR.
    private let plantsOutsideUS: Bool

    /// Rates per eligible CBP line, in `DemoExclusionReason` order. CBP
    /// extracts get no unknown commodities.
    static let cbpRates = [0.016, 0.0045, 0.0008, 0.0008, 0.0013, 0]
    /// Rates per eligible HSI line, in `DemoExclusionReason` order.
    static let iceRates = [0.016, 0.004, 0.0015, 0.0012, 0.0012, 0.0012]
    /// Rate per CBP-only random seizure of a move to the preclearance AOR.
    static let outsideUSRate = 0.002
    /// Rate per joint seizure with at least one pound in its first HSI
    /// fentanyl line, or with presses, of a discrepancy.
    static let discrepancyRate = 0.025

    init(plantsOutsideUS: Bool, generator: inout SeededGenerator) {
        self.plantsOutsideUS = plantsOutsideUS
        cbpSampler = DemoRateSampler(rates: Self.cbpRates, generator: &generator)
        iceSampler = DemoRateSampler(rates: Self.iceRates, generator: &generator)
        outsideUSSampler = DemoRateSampler(rates: [Self.outsideUSRate], generator: &generator)
        discrepancySampler = DemoRateSampler(rates: [Self.discrepancyRate], generator: &generator)
    }

    mutating func startFiscalYear() {
        cbpSampler.startFiscalYear()
        iceSampler.startFiscalYear()
        outsideUSSampler.startFiscalYear()
        discrepancySampler.startFiscalYear()
    }

    /// Plants noise in one month's seizures. With `isLastMonthOfFiscalYear`
    /// set, it also forces each kind still missing in the fiscal year.
    mutating func apply(
        to seizures: inout [DemoSeizure], planner: inout DemoSeizurePlanner, isLastMonthOfFiscalYear: Bool,
        generator: inout SeededGenerator
    ) {
        if plantsOutsideUS {
            for index in seizures.indices where Self.canMoveOutsideUS(seizures[index]) {
                if outsideUSSampler.offer() != nil {
                    moveOutsideUS(&seizures[index], planner: &planner, generator: &generator)
                }
            }
        }
        for index in seizures.indices where Self.canDisagree(seizures[index]) {
            if discrepancySampler.offer() != nil {
                plantDiscrepancy(in: &seizures[index], generator: &generator)
            }
        }
        for index in seizures.indices {
            for lineIndex in seizures[index].cbpLines.indices where Self.isEligible(seizures[index], lineIndex, cbp: true) {
                if let kind = cbpSampler.offer(allowed: { Self.cbpRates[$0] > 0 }) {
                    plant(DemoExclusionReason(rawValue: kind)!, in: &seizures[index], lineIndex: lineIndex, cbp: true,
                          generator: &generator)
                }
            }
            // Lines appended by the unknown-commodity noise are marked noisy
            // and so are skipped by the eligibility check.
            var lineIndex = 0
            while lineIndex < seizures[index].iceLines.count {
                if Self.isEligible(seizures[index], lineIndex, cbp: false), let kind = iceSampler.offer() {
                    plant(DemoExclusionReason(rawValue: kind)!, in: &seizures[index], lineIndex: lineIndex, cbp: false,
                          generator: &generator)
                }
                lineIndex += 1
            }
        }
        if isLastMonthOfFiscalYear {
            forceMissingKinds(in: &seizures, planner: &planner, generator: &generator)
        }
    }

    // MARK: Eligibility

    static func isEligible(_ seizure: DemoSeizure, _ lineIndex: Int, cbp: Bool) -> Bool {
        let line = cbp ? seizure.cbpLines[lineIndex] : seizure.iceLines[lineIndex]
        guard !line.isPublished, !line.isNoisy else {
            return false
        }
        if cbp, let office = seizure.cbpOffice,
           DemoReferenceData.cbpOffices.indices.contains(office),
           DemoReferenceData.cbpOffices[office].aor == DemoReferenceData.preclearanceAOR {
            return false
        }
        switch line.measure {
        case .fentanyl, .pillPresses:
            return !seizure.isJoint
        case .currency, .property:
            return true
        case .outOfScope, .unknownCommodity:
            return false
        }
    }

    static func canMoveOutsideUS(_ seizure: DemoSeizure) -> Bool {
        !seizure.isJoint && !seizure.cbpLines.isEmpty && !seizure.cbpLines.contains { $0.isPublished || $0.isNoisy }
    }

    static func canDisagree(_ seizure: DemoSeizure) -> Bool {
        guard seizure.isJoint, !seizure.iceLines.contains(where: \.isNoisy) else {
            return false
        }
        if seizure.iceLines.contains(where: { $0.measure == .pillPresses }) {
            return true
        }
        let firstFentanyl = seizure.iceLines.first { $0.measure == .fentanyl }
        return (firstFentanyl?.computedPounds ?? 0) >= 1
    }

    // MARK: Planting

    private mutating func forceMissingKinds(
        in seizures: inout [DemoSeizure], planner: inout DemoSeizurePlanner, generator: inout SeededGenerator
    ) {
        if plantsOutsideUS && outsideUSSampler.countsInFiscalYear[0] == 0 {
            let candidates = seizures.indices.filter { Self.canMoveOutsideUS(seizures[$0]) }
            if !candidates.isEmpty {
                moveOutsideUS(&seizures[generator.element(of: candidates)], planner: &planner, generator: &generator)
                outsideUSSampler.recordForced(0)
            }
        }
        if discrepancySampler.countsInFiscalYear[0] == 0 {
            let candidates = seizures.indices.filter { Self.canDisagree(seizures[$0]) }
            if !candidates.isEmpty {
                plantDiscrepancy(in: &seizures[generator.element(of: candidates)], generator: &generator)
                discrepancySampler.recordForced(0)
            }
        }
        for cbp in [true, false] {
            let rates = cbp ? Self.cbpRates : Self.iceRates
            for reason in DemoExclusionReason.allCases where rates[reason.rawValue] > 0 {
                let count = cbp ? cbpSampler.countsInFiscalYear[reason.rawValue] : iceSampler.countsInFiscalYear[reason.rawValue]
                guard count == 0 else {
                    continue
                }
                var candidates: [(Int, Int)] = []
                for index in seizures.indices {
                    let lineCount = cbp ? seizures[index].cbpLines.count : seizures[index].iceLines.count
                    for lineIndex in 0..<lineCount where Self.isEligible(seizures[index], lineIndex, cbp: cbp) {
                        candidates.append((index, lineIndex))
                    }
                }
                // NOTE: a month without an eligible line leaves the kind
                // absent for that fiscal year.
                guard !candidates.isEmpty else {
                    continue
                }
                let (index, lineIndex) = generator.element(of: candidates)
                plant(reason, in: &seizures[index], lineIndex: lineIndex, cbp: cbp, generator: &generator)
                if cbp {
                    cbpSampler.recordForced(reason.rawValue)
                } else {
                    iceSampler.recordForced(reason.rawValue)
                }
            }
        }
    }

    /// Moves a CBP-only seizure to the preclearance AOR, which lies outside
    /// the United States, under a new FPF of that office.
    private func moveOutsideUS(
        _ seizure: inout DemoSeizure, planner: inout DemoSeizurePlanner, generator: inout SeededGenerator
    ) {
        let office = DemoReferenceData.cbpOffices.firstIndex { $0.aor == DemoReferenceData.preclearanceAOR }!
        let fiscalYear = seizure.cbpLines.map(\.date).min()!.fiscalYear
        seizure.fpf = planner.allocateFPF(fiscalYear: fiscalYear, officeCode: planner.cbpOffices[office].officeCode)
        seizure.cbpOffice = office
        seizure.cbpComponent = "OFO"
        for index in seizure.cbpLines.indices {
            seizure.cbpLines[index].officeText = planner.cbpOfficeText(office: office, generator: &generator)
            seizure.cbpLines[index].isNoisy = true
        }
    }

    /// Makes HSI's figures of a joint seizure differ from CBP's: 3 to 20
    /// percent off the first fentanyl line, or one press more or less.
    private func plantDiscrepancy(in seizure: inout DemoSeizure, generator: inout SeededGenerator) {
        if let pressIndex = seizure.iceLines.firstIndex(where: { $0.measure == .pillPresses }),
           let count = Int(seizure.iceLines[pressIndex].quantity) {
            let changed = count > 1 && generator.chance(0.5) ? count - 1 : count + 1
            seizure.iceLines[pressIndex].quantity = String(changed)
        } else if let index = seizure.iceLines.firstIndex(where: { $0.measure == .fentanyl }),
                  let amount = Double(seizure.iceLines[index].quantity) {
            let deviation = generator.uniformDouble(from: 0.03, to: 0.20)
            let factor = generator.chance(0.5) ? 1 - deviation : 1 + deviation
            seizure.iceLines[index].quantity = DemoFormat.significant(amount * factor)
        }
        for index in seizure.iceLines.indices {
            seizure.iceLines[index].isNoisy = true
        }
    }

    private func plant(
        _ reason: DemoExclusionReason, in seizure: inout DemoSeizure, lineIndex: Int, cbp: Bool,
        generator: inout SeededGenerator
    ) {
        var line = cbp ? seizure.cbpLines[lineIndex] : seizure.iceLines[lineIndex]
        line.isNoisy = true
        switch reason {
        case .missingFPF:
            line.fpfOverride = DemoSeizurePlanner.pick(Self.missingFPFTexts, &generator)
        case .malformedFPF:
            line.fpfOverride = Self.malformedFPF(seizure.fpf, generator: &generator)
        case .invalidDate:
            line.dateOverride = Self.invalidDate(year: line.date.year, cbp: cbp, generator: &generator)
        case .unknownAOR:
            line.officeText = cbp
                ? Self.misspelledAOR(line.officeText.uppercased(), generator: &generator)
                : generator.element(of: Self.unknownSACOffices)
        case .invalidQuantity:
            Self.invalidateQuantity(&line, cbp: cbp, generator: &generator)
        case .unknownCommodity:
            var extra = line
            extra.measure = .unknownCommodity
            extra.commodity = DemoReferenceData.unknownCommodity
            if generator.chance(0.5) {
                extra.quantity = "1"
                extra.unit = "EA"
            } else {
                extra.quantity = ""
                extra.unit = ""
            }
            let cents = generator.uniformInt(in: 50_000...4_000_000)
            extra.value = DemoSeizurePlanner.dollarText(cents: cents, generator: &generator)
            seizure.iceLines.insert(extra, at: lineIndex + 1)
            // The original line stays valid, and only the inserted line is excluded.
            seizure.iceLines[lineIndex].isNoisy = true
            return
        }
        if cbp {
            seizure.cbpLines[lineIndex] = line
        } else {
            seizure.iceLines[lineIndex] = line
        }
    }

    // MARK: Noise texts

    static let missingFPFTexts: [(String, Double)] = [
        ("", 0.20), ("   ", 0.25), ("N/A", 0.25), ("NA", 0.05), ("NONE", 0.10),
        ("UNKNOWN", 0.10), ("0000000000000000", 0.05),
    ]

    static let unknownSACOffices = ["SAC ALBUQUERQUE", "SAC LAS VEGAS", "HSI EL PASO", "SAC SAN DEIGO"]

    /// Returns the FPF as a spreadsheet mangles it: scientific notation, a
    /// dropped or doubled digit, or the letter O for a zero.
    static func malformedFPF(_ fpf: String, generator: inout SeededGenerator) -> String {
        let digits = Array(fpf)
        switch generator.weightedIndex([0.45, 0.2, 0.15, 0.2]) {
        case 0:
            return scientificNotation(fpf)
        case 1:
            return String(digits.dropLast())
        case 2:
            return fpf + String(digits[digits.count - 1])
        default:
            if let zero = digits[8...].firstIndex(of: "0") {
                var changed = digits
                changed[zero] = "O"
                return String(changed)
            }
            return String(digits.dropLast())
        }
    }

    /// Writes a 16-digit number as a spreadsheet's General format shows it,
    /// with six significant digits: `2.02325E+15`.
    static func scientificNotation(_ fpf: String) -> String {
        let digits = Array(fpf).compactMap { $0.wholeNumberValue }
        var mantissa = 0
        for digit in digits.prefix(6) {
            mantissa = mantissa * 10 + digit
        }
        var exponent = digits.count - 1
        if digits.count > 6 && digits[6] >= 5 {
            mantissa += 1
            if mantissa == 1_000_000 {
                mantissa = 100_000
                exponent += 1
            }
        }
        var fraction = DemoFormat.padded(mantissa % 100_000, width: 5)
        while fraction.hasSuffix("0") {
            fraction.removeLast()
        }
        let lead = String(mantissa / 100_000)
        return (fraction.isEmpty ? lead : lead + "." + fraction) + "E+" + String(exponent)
    }

    static func invalidDate(year: Int, cbp: Bool, generator: inout SeededGenerator) -> String {
        let choices = cbp
            ? ["02/30/\(year)", "\(year)-13-01", "06/31/\(year)", "13/05/\(year)"]
            : ["\(year)-13-01", "\(year)-02-30", "02/30/\(year)", "\(year)-04-31"]
        return generator.element(of: choices)
    }

    /// Misspells `OFFICE` or `SECTOR` in an AOR name, as in
    /// `SAN DIEGO FIELD OFICE`.
    static func misspelledAOR(_ aor: String, generator: inout SeededGenerator) -> String {
        let name = PublicStatistics.collapseWhitespace(aor)
        if name.hasSuffix("FIELD OFFICE") {
            let stem = name.dropLast("FIELD OFFICE".count)
            return stem + generator.element(of: ["FIELD OFICE", "FEILD OFFICE", "FIELD OFFCE"])
        }
        if name.hasSuffix("SECTOR") {
            return name.dropLast("SECTOR".count) + generator.element(of: ["SECTR", "SETCOR"])
        }
        return name + " OFC"
    }

    /// Breaks the amount of a line: an empty or non-numeric quantity, a
    /// weight in `EA`, a fractional or weighed press, or a missing value.
    static func invalidateQuantity(_ line: inout DemoLine, cbp: Bool, generator: inout SeededGenerator) {
        switch line.measure {
        case .fentanyl:
            switch generator.uniformInt(below: 3) {
            case 0: line.quantity = ""
            case 1: line.quantity = "abc"
            default: line.unit = "EA"
            }
        case .pillPresses:
            if generator.chance(0.5) {
                line.quantity = line.quantity + ".5"
            } else {
                line.unit = cbp ? "LBS" : "LB"
            }
        case .currency, .property:
            line.value = generator.chance(0.5) ? "" : "N/A"
        case .outOfScope, .unknownCommodity:
            break
        }
    }
}
