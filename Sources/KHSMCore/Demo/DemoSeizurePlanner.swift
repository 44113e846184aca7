/// Builds the seizures of one month: CBP fentanyl seizures (random or from
/// published figures), the HSI side of joint seizures, and HSI-only
/// seizures. Exclusion noise is added afterwards by `DemoNoise`.
struct DemoSeizurePlanner {
    /// CBP offices: the reference list, followed by published AORs that the
    /// reference list lacks.
    private(set) var cbpOffices: [DemoCBPOffice]
    private let sacOffices = DemoReferenceData.sacOffices
    private let cbpEventWeights: [Double]
    private let sacOnlyWeights: [Double]
    private var sacIndexByName: [String: Int] = [:]
    private var cbpIndexByAOR: [String: Int] = [:]
    /// Last sequence number handed out per fiscal year and office code.
    private var fpfCounters: [Int: Int] = [:]
    /// Pounds of CBP seizures of 20 pounds or more so far, and the part of
    /// them in joint seizures.
    private var largeSeizurePounds = 0.0
    private var largeSeizureJointPounds = 0.0

    /// Share of HSI-only seizures relative to CBP fentanyl seizures.
    static let iceOnlyShare = 0.22

    init() {
        cbpOffices = DemoReferenceData.cbpOffices
        cbpEventWeights = cbpOffices.map(\.eventWeight)
        sacOnlyWeights = sacOffices.map(\.iceOnlyWeight)
        for (index, office) in sacOffices.enumerated() {
            sacIndexByName[office.name] = index
        }
        for (index, office) in cbpOffices.enumerated() {
            cbpIndexByAOR[office.aor] = index
        }
    }

    // MARK: Offices and FPF numbers

    /// Returns the office index of a published AOR, adding AORs that the
    /// reference list lacks with codes from 3517 upwards (between the CBP
    /// and HSI ranges).
    mutating func cbpOfficeIndex(aor: String, component: String) -> Int {
        let key = aor.uppercased()
        if let index = cbpIndexByAOR[key] {
            return index
        }
        let unknownCount = cbpOffices.count - DemoReferenceData.cbpOffices.count
        precondition(unknownCount < 13, "at most 13 published AORs outside the reference list are supported")
        let office = DemoCBPOffice(
            aor: aor, component: component, officeCode: 3517 + 37 * unknownCount,
            eventWeight: 0, meanPounds: 1, sacOffice: "", aliases: [])
        cbpOffices.append(office)
        cbpIndexByAOR[key] = cbpOffices.count - 1
        return cbpOffices.count - 1
    }

    /// Returns a new 16-digit FPF: fiscal year, office code, a six-digit
    /// sequence number and a two-digit suffix. The suffix is 01 until an
    /// office opens a million cases in one year, then counts up, so numbers
    /// stay unique up to 98,999,999 cases per office and year.
    mutating func allocateFPF(fiscalYear: Int, officeCode: Int) -> String {
        let key = fiscalYear * 10_000 + officeCode
        let counter = (fpfCounters[key] ?? 0) + 1
        precondition(counter < 99_000_000, "FPF sequence exhausted for office \(officeCode) in FY\(fiscalYear)")
        fpfCounters[key] = counter
        let sequence = counter % 1_000_000
        let suffix = 1 + counter / 1_000_000
        return String(fiscalYear) + DemoFormat.padded(officeCode, width: 4)
            + DemoFormat.padded(sequence, width: 6) + DemoFormat.padded(suffix, width: 2)
    }

    // MARK: Random CBP seizures

    /// Builds `count` random CBP fentanyl seizures in the month whose pounds
    /// add up to `targetPounds`.
    mutating func randomCBPSeizures(
        count: Int, targetPounds: Double, year: Int, month: Int, generator: inout SeededGenerator
    ) -> [DemoSeizure] {
        var offices: [Int] = []
        var weights: [Double] = []
        var total = 0.0
        for _ in 0..<count {
            let office = generator.weightedIndex(cbpEventWeights)
            let weight = cbpOffices[office].meanPounds * Self.heavyTailFactor(&generator)
            offices.append(office)
            weights.append(weight)
            total += weight
        }
        var seizures: [DemoSeizure] = []
        for index in 0..<count {
            let office = offices[index]
            let pounds = total > 0 ? targetPounds * weights[index] / total : 0
            let date = Self.randomDate(year: year, month: month, generator: &generator)
            seizures.append(makeCBPSeizure(
                office: office, component: cbpOffices[office].component, pounds: pounds,
                date: date, isPublished: false, generator: &generator))
        }
        return seizures
    }

    /// Builds `scale` seizures per published event, splitting the published
    /// pounds over them.
    mutating func publishedCBPSeizures(
        _ event: PublicFentanylEvent, scale: Int, generator: inout SeededGenerator
    ) -> [DemoSeizure] {
        // NOTE: a row with pounds but zero events cannot be reproduced and
        // is skipped, so its pounds are missing from the extract.
        let count = event.events * scale
        guard count > 0 else {
            return []
        }
        let office = cbpOfficeIndex(aor: event.aor, component: event.component)
        var weights: [Double] = []
        var total = 0.0
        for _ in 0..<count {
            let weight = Self.heavyTailFactor(&generator)
            weights.append(weight)
            total += weight
        }
        var seizures: [DemoSeizure] = []
        for weight in weights {
            let date = Self.randomDate(year: event.calendarYear, month: event.month, generator: &generator)
            seizures.append(makeCBPSeizure(
                office: office, component: event.component, pounds: event.pounds * weight / total,
                date: date, isPublished: true, generator: &generator))
        }
        return seizures
    }

    /// Builds one CBP seizure with its fentanyl lines, occasional pill press
    /// and out-of-scope lines, and the HSI side when the seizure is joint.
    private mutating func makeCBPSeizure(
        office: Int, component: String, pounds: Double, date: DemoDate, isPublished: Bool,
        generator: inout SeededGenerator
    ) -> DemoSeizure {
        let officeInfo = cbpOffices[office]
        let fpf = allocateFPF(fiscalYear: date.fiscalYear, officeCode: officeInfo.officeCode)
        var seizure = DemoSeizure(fpf: fpf, cbpOffice: office, cbpComponent: component, sacOffice: nil)

        var lines: [DemoLine] = []
        let fentanylLineCount = [1, 2, 3][generator.weightedIndex([0.80, 0.17, 0.03])]
        var shares: [Double] = []
        for _ in 0..<fentanylLineCount {
            shares.append(0.2 + generator.uniformDouble())
        }
        let shareTotal = shares.reduce(0, +)
        for share in shares {
            let linePounds = pounds * share / shareTotal
            let unit = isPublished ? "LBS" : Self.pick(Self.cbpUnits, &generator)
            let quantity = DemoFormat.significant(linePounds / DemoReferenceData.poundsPerUnit(unit)!)
            var line = cbpLine(
                measure: .fentanyl, commodity: Self.pick(DemoReferenceData.cbpFentanylCommodities, &generator),
                quantity: quantity, unit: unit, date: date, office: office, generator: &generator)
            line.isPublished = isPublished
            lines.append(line)
        }
        if generator.chance(0.035) {
            let count = generator.uniformInt(in: 1...6)
            lines.append(cbpLine(
                measure: .pillPresses, commodity: Self.pick(DemoReferenceData.cbpPressCommodities, &generator),
                quantity: String(count), unit: "EA", date: date, office: office, generator: &generator))
        }
        var outOfScopeCount = 0
        if generator.chance(0.17) {
            outOfScopeCount = generator.chance(0.1) ? 2 : 1
        }
        for _ in 0..<outOfScopeCount {
            lines.append(cbpOutOfScopeLine(date: date, office: office, generator: &generator))
        }
        generator.shuffle(&lines)
        // Some multi-line seizures record later lines a day after the first,
        // never past the month, so monthly figures keep their seizures.
        let isLastDayOfMonth = date.day == DemoDate.daysInMonth(year: date.year, month: date.month)
        if lines.count > 1 && generator.chance(0.05) && !isLastDayOfMonth {
            for index in 1..<lines.count {
                lines[index].date = date.nextDay
            }
        }
        assignCBPFPFStyles(&lines, generator: &generator)
        seizure.cbpLines = lines

        if officeInfo.aor != DemoReferenceData.preclearanceAOR && decideJoint(pounds: pounds, generator: &generator) {
            addICESide(to: &seizure, date: date, generator: &generator)
        }
        return seizure
    }

    /// Decides whether HSI records the seizure too. Larger loads are more
    /// often investigated: small seizures are joint at random with a
    /// probability that grows with their size, and large ones (20 pounds and
    /// more) are joint whenever that keeps the joint share of large-seizure
    /// pounds near `largeSeizureJointShare`. Without that balance a few very
    /// large loads would swing the overall joint share between seeds. With
    /// it, about 40 percent of all pounds are in joint seizures.
    private mutating func decideJoint(pounds: Double, generator: inout SeededGenerator) -> Bool {
        if pounds < 1 {
            return generator.chance(0.10)
        }
        if pounds < 20 {
            return generator.chance(0.25)
        }
        let jitteredJoint = largeSeizureJointPounds + pounds * generator.uniformDouble()
        let isJoint = jitteredJoint < Self.largeSeizureJointShare * (largeSeizurePounds + pounds)
        largeSeizurePounds += pounds
        if isJoint {
            largeSeizureJointPounds += pounds
        }
        return isJoint
    }

    static let largeSeizureJointShare = 0.47

    private func cbpLine(
        measure: DemoMeasure, commodity: String, quantity: String, unit: String, date: DemoDate,
        office: Int, generator: inout SeededGenerator
    ) -> DemoLine {
        DemoLine(
            measure: measure, commodity: commodity, quantity: quantity, unit: unit, date: date,
            dateStyle: Self.pick(Self.cbpDateStyles, &generator), fpfStyle: .plain,
            officeText: cbpOfficeText(office: office, generator: &generator))
    }

    private func cbpOutOfScopeLine(date: DemoDate, office: Int, generator: inout SeededGenerator) -> DemoLine {
        let commodity = Self.pick(DemoReferenceData.cbpOutOfScopeCommodities, &generator)
        let quantity: String
        var unit = "LBS"
        switch commodity {
        case "U.S. Currency":
            quantity = String(generator.uniformInt(in: 1_500...60_000))
            unit = "EA"
        case "Vehicle":
            quantity = "1"
            unit = "EA"
        default:
            quantity = DemoFormat.fixed(30 * Self.heavyTailFactor(&generator), decimals: 3)
        }
        return cbpLine(
            measure: .outOfScope, commodity: commodity, quantity: quantity, unit: unit, date: date,
            office: office, generator: &generator)
    }

    /// Writes a single-line seizure mostly as a plain FPF, and the lines of
    /// a multi-line seizure mostly with `-000N-0000` line-item suffixes.
    private func assignCBPFPFStyles(_ lines: inout [DemoLine], generator: inout SeededGenerator) {
        let roll = generator.uniformDouble()
        for index in lines.indices {
            if roll < 0.02 {
                lines[index].fpfStyle = .dashed
            } else if lines.count == 1 {
                lines[index].fpfStyle = roll < 0.85 ? .plain : .lineItem(1)
            } else {
                lines[index].fpfStyle = roll < 0.30 ? .plain : .lineItem(index + 1)
            }
        }
    }

    /// Returns the AOR as CBP staff type it: mostly the canonical name,
    /// sometimes title case, lower case with blanks around, or an alias.
    func cbpOfficeText(office: Int, generator: inout SeededGenerator) -> String {
        let info = cbpOffices[office]
        let roll = generator.uniformDouble()
        if roll < 0.80 || office >= DemoReferenceData.cbpOffices.count {
            return info.aor
        }
        if roll < 0.89 {
            return DemoFormat.titleCase(info.aor)
        }
        if roll < 0.92 || info.aliases.isEmpty {
            return "  " + info.aor.lowercased() + " "
        }
        return generator.element(of: info.aliases)
    }

    // MARK: HSI lines

    /// Adds HSI's record of a CBP seizure: the same fentanyl pounds and
    /// presses, with currency and property lines that only HSI records.
    private mutating func addICESide(to seizure: inout DemoSeizure, date: DemoDate, generator: inout SeededGenerator) {
        let office = cbpOffices[seizure.cbpOffice!]
        var sac = sacIndexByName[office.sacOffice] ?? generator.weightedIndex(sacOnlyWeights)
        if generator.chance(0.05) {
            sac = generator.weightedIndex(sacOnlyWeights)
        }
        seizure.sacOffice = sac
        let iceDate = generator.chance(0.10) ? date.nextDay : date

        var lines: [DemoLine] = []
        let cbpFentanyl = seizure.cbpLines.filter { $0.measure == .fentanyl }
        lines += iceFentanylLines(mirroring: cbpFentanyl, date: iceDate, sac: sac, generator: &generator)
        for cbpLine in seizure.cbpLines where cbpLine.measure == .pillPresses {
            lines.append(iceLine(
                measure: .pillPresses, commodity: Self.pick(DemoReferenceData.icePressCommodities, &generator),
                quantity: cbpLine.quantity, unit: "EA", date: iceDate, sac: sac, generator: &generator))
        }
        if generator.chance(0.35) {
            lines.append(currencyLine(date: iceDate, sac: sac, generator: &generator))
        }
        var propertyCount = 0
        if generator.chance(0.16) {
            propertyCount = generator.chance(0.15) ? 2 : 1
        }
        for _ in 0..<propertyCount {
            lines.append(propertyLine(date: iceDate, sac: sac, generator: &generator))
        }
        seizure.iceLines = lines
    }

    /// Returns HSI fentanyl lines that the method turns into exactly the
    /// pounds of CBP's lines after rounding to cents of a pound: one line
    /// in HSI's own unit when that is safe, otherwise a copy of each CBP line.
    private func iceFentanylLines(
        mirroring cbpLines: [DemoLine], date: DemoDate, sac: Int, generator: inout SeededGenerator
    ) -> [DemoLine] {
        var cbpPounds = 0.0
        for line in cbpLines {
            cbpPounds += line.computedPounds ?? 0
        }
        let unit = Self.pick(Self.iceUnits, &generator)
        let quantity = DemoFormat.significant(cbpPounds / DemoReferenceData.poundsPerUnit(unit)!)
        let single = iceLine(
            measure: .fentanyl, commodity: Self.pick(DemoReferenceData.iceFentanylCommodities, &generator),
            quantity: quantity, unit: unit, date: date, sac: sac, generator: &generator)
        if Self.agreeInCents(cbpPounds, single.computedPounds ?? -1) {
            return [single]
        }
        return cbpLines.map { cbpLine in
            iceLine(
                measure: .fentanyl, commodity: Self.pick(DemoReferenceData.iceFentanylCommodities, &generator),
                quantity: cbpLine.quantity, unit: cbpLine.unit == "LBS" ? "LB" : cbpLine.unit,
                date: date, sac: sac, generator: &generator)
        }
    }

    /// True when both values round to the same hundredth and neither lies
    /// within 10^-6 of a rounding boundary, so no rounding rule can split them.
    static func agreeInCents(_ a: Double, _ b: Double) -> Bool {
        let scaledA = a * 100
        let scaledB = b * 100
        let nearBoundary = abs(scaledA - scaledA.rounded(.down) - 0.5) < 1e-6
        return !nearBoundary
            && scaledA.rounded(.toNearestOrAwayFromZero) == scaledB.rounded(.toNearestOrAwayFromZero)
    }

    func iceLine(
        measure: DemoMeasure, commodity: String, quantity: String, unit: String, value: String = "",
        date: DemoDate, sac: Int, generator: inout SeededGenerator
    ) -> DemoLine {
        DemoLine(
            measure: measure, commodity: commodity, quantity: quantity, unit: unit, value: value, date: date,
            dateStyle: Self.pick(Self.iceDateStyles, &generator),
            fpfStyle: Self.pick(Self.iceFPFStyles, &generator),
            officeText: iceOfficeText(sac: sac, generator: &generator))
    }

    /// Returns the SAC office as HSI staff type it: mostly the canonical
    /// name, sometimes title case or an alias.
    func iceOfficeText(sac: Int, generator: inout SeededGenerator) -> String {
        let info = sacOffices[sac]
        let roll = generator.uniformDouble()
        if roll < 0.85 {
            return info.name
        }
        if roll < 0.97 || info.aliases.isEmpty {
            return DemoFormat.titleCase(info.name)
        }
        return generator.element(of: info.aliases)
    }

    private func currencyLine(date: DemoDate, sac: Int, generator: inout SeededGenerator) -> DemoLine {
        let bucket = generator.weightedIndex([0.25, 0.45, 0.25, 0.05])
        let low = [100.0, 1_000, 10_000, 100_000][bucket]
        let u = generator.uniformDouble()
        let cents = Int((low * (1 + 9 * u * u) * 100).rounded(.down))
        return iceLine(
            measure: .currency, commodity: Self.pick(DemoReferenceData.iceCurrencyCommodities, &generator),
            quantity: "", unit: "", value: Self.dollarText(cents: cents, generator: &generator),
            date: date, sac: sac, generator: &generator)
    }

    private func propertyLine(date: DemoDate, sac: Int, generator: inout SeededGenerator) -> DemoLine {
        let kinds = DemoReferenceData.icePropertyCommodities
        let kind = kinds[generator.weightedIndex(kinds.map(\.weight))]
        let u = generator.uniformDouble()
        let dollars = kind.minimum + (kind.maximum - kind.minimum) * u * u
        let cents = Int((dollars * 100).rounded(.down))
        return iceLine(
            measure: .property, commodity: kind.name, quantity: "1", unit: "EA",
            value: Self.dollarText(cents: cents, generator: &generator), date: date, sac: sac, generator: &generator)
    }

    /// Writes dollars as HSI exports them: `$9,372.56`, `9,372.56` or `9372.56`.
    static func dollarText(cents: Int, generator: inout SeededGenerator) -> String {
        switch generator.weightedIndex([0.6, 0.3, 0.1]) {
        case 0: return DemoFormat.dollars(cents: cents, thousandsSeparators: true, dollarSign: true)
        case 1: return DemoFormat.dollars(cents: cents, thousandsSeparators: true, dollarSign: false)
        default: return DemoFormat.dollars(cents: cents, thousandsSeparators: false, dollarSign: false)
        }
    }

    // MARK: HSI-only seizures

    /// Builds `count` seizures that only HSI records: fentanyl, currency,
    /// property, presses or other drugs, often with seized currency.
    mutating func iceOnlySeizures(
        count: Int, year: Int, month: Int, generator: inout SeededGenerator
    ) -> [DemoSeizure] {
        var seizures: [DemoSeizure] = []
        for _ in 0..<count {
            let sac = generator.weightedIndex(sacOnlyWeights)
            let date = Self.randomDate(year: year, month: month, generator: &generator)
            let fpf = allocateFPF(fiscalYear: date.fiscalYear, officeCode: sacOffices[sac].officeCode)
            var seizure = DemoSeizure(fpf: fpf, cbpOffice: nil, cbpComponent: "", sacOffice: sac)
            var lines: [DemoLine] = []
            var currencyChance = 0.0
            switch generator.weightedIndex([0.30, 0.25, 0.20, 0.07, 0.18]) {
            case 0:
                let lineCount = generator.chance(0.1) ? 2 : 1
                for _ in 0..<lineCount {
                    let unit = Self.pick(Self.iceUnits, &generator)
                    let pounds = 15 * Self.heavyTailFactor(&generator)
                    lines.append(iceLine(
                        measure: .fentanyl, commodity: Self.pick(DemoReferenceData.iceFentanylCommodities, &generator),
                        quantity: DemoFormat.significant(pounds / DemoReferenceData.poundsPerUnit(unit)!),
                        unit: unit, date: date, sac: sac, generator: &generator))
                }
                currencyChance = 0.30
            case 1:
                lines.append(currencyLine(date: date, sac: sac, generator: &generator))
                if generator.chance(0.15) {
                    lines.append(propertyLine(date: date, sac: sac, generator: &generator))
                }
            case 2:
                let lineCount = generator.chance(0.2) ? 2 : 1
                for _ in 0..<lineCount {
                    lines.append(propertyLine(date: date, sac: sac, generator: &generator))
                }
            case 3:
                lines.append(iceLine(
                    measure: .pillPresses, commodity: Self.pick(DemoReferenceData.icePressCommodities, &generator),
                    quantity: String(generator.uniformInt(in: 1...4)), unit: "EA", date: date, sac: sac,
                    generator: &generator))
                currencyChance = 0.30
            default:
                let quantity = DemoFormat.fixed(15 * Self.heavyTailFactor(&generator), decimals: 2)
                lines.append(iceLine(
                    measure: .outOfScope, commodity: Self.pick(DemoReferenceData.iceOutOfScopeCommodities, &generator),
                    quantity: quantity, unit: "KG", date: date, sac: sac, generator: &generator))
                currencyChance = 0.25
            }
            if generator.chance(currencyChance) {
                lines.append(currencyLine(date: date, sac: sac, generator: &generator))
            }
            seizure.iceLines = lines
            seizures.append(seizure)
        }
        return seizures
    }

    // MARK: Shared helpers

    static let cbpUnits: [(String, Double)] = [("LBS", 0.60), ("KG", 0.27), ("G", 0.08), ("OZ", 0.05)]
    static let iceUnits: [(String, Double)] = [("LB", 0.36), ("KG", 0.30), ("G", 0.28), ("OZ", 0.06)]
    static let cbpDateStyles: [(DemoDateStyle, Double)] = [
        (.monthDayYear, 0.80), (.shortMonthDayYear, 0.14), (.iso, 0.06),
    ]
    static let iceDateStyles: [(DemoDateStyle, Double)] = [(.iso, 0.90), (.monthDayYear, 0.10)]
    static let iceFPFStyles: [(DemoFPFStyle, Double)] = [(.dashed, 0.75), (.plain, 0.20), (.spaced, 0.05)]

    static func pick<T>(_ choices: [(T, Double)], _ generator: inout SeededGenerator) -> T {
        choices[generator.weightedIndex(choices.map(\.1))].0
    }

    static func randomDate(year: Int, month: Int, generator: inout SeededGenerator) -> DemoDate {
        let day = generator.uniformInt(in: 1...DemoDate.daysInMonth(year: year, month: month))
        return DemoDate(year: year, month: month, day: day)
    }

    /// Returns a log-normal factor with mean close to 1 and log standard deviation
    /// `heavyTailSigma`. The normal deviate is the sum of twelve uniforms
    /// minus six (Irwin-Hall), so it is bounded by ±6.
    static func heavyTailFactor(_ generator: inout SeededGenerator) -> Double {
        var normal = -6.0
        for _ in 0..<12 {
            normal += generator.uniformDouble()
        }
        return DemoMath.exp(heavyTailSigma * normal - heavyTailSigma * heavyTailSigma / 2)
    }

    /// Spread of seizure sizes: the 99th percentile is about 30 times the
    /// median, as in CBP's fentanyl lines.
    static let heavyTailSigma = 1.5
}
