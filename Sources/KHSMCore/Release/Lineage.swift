/// A line item of an extract with its source record, as lineage shows it.
public struct LineTrace: Sendable {
    public var agency: Agency
    public var extractID: Int
    public var fileName: String
    public var sha256: String
    public var extractedOn: CalendarDate
    /// Physical line of the file where the record starts; the header is line 1.
    public var line: Int
    /// `accepted`, `excluded`, `out_of_scope` or `blank`.
    public var outcome: String
    public var reason: String?
    public var commodity: String?
    public var measure: Measure?
    /// The line's amount (accepted lines only).
    public var amount: Amount?
    /// The record's text as read from the file.
    public var raw: String
}

/// A seizure counted in a cell, with its contribution and the line items behind it.
public struct SeizureLineage: Sendable {
    public var seizure: FrozenSeizure
    public var contribution: Amount
    /// The agency whose extract gives the contribution.
    public var source: Agency
    /// Accepted lines of the cell's measure in that extract, in file order.
    public var lines: [LineTrace]
    /// The lines' amounts added up in file order, as the seizure was built.
    public var linesTotal: Amount

    public var linesReproduceContribution: Bool { linesTotal == contribution }
}

/// A published cell traced to its seizures and their line items.
public struct CellLineage: Sendable {
    public var release: ReleaseRecord
    public var extracts: [Agency: ExtractRecord]
    public var cell: FrozenCell
    /// Seizures of the cell with lines of its measure, or a nonzero contribution, in FPF order.
    public var seizures: [SeizureLineage]
    /// Seizures counted in the cell with no line of its measure on the side that gives it; each
    /// contributes zero.
    public var seizuresWithoutLines: Int
    /// The contributions of every seizure of the cell, added up in FPF order as the table adds
    /// them: exactly for presses and cents, in double precision for pounds.
    public var total: Amount

    /// Whether the contributions give the frozen exact value bit for bit, the seizures number
    /// the frozen count, and each seizure's lines give its contribution.
    public var isExact: Bool {
        total == cell.exact && seizures.count + seizuresWithoutLines == cell.seizureCount
            && seizures.allSatisfy(\.linesReproduceContribution)
    }
}

/// Traces a frozen cell to the seizures counted in it and to their line items in the pinned
/// extracts, under the pinned reference data.
public func cellLineage(_ database: Database, release name: String, fiscalYear: Int, quarter: String,
    region: String, measure: Measure) throws -> CellLineage
{
    let release = try ReleaseRecord.load(database, name: name)
    guard let cell = try FrozenCell.load(database, release: release, fiscalYear: fiscalYear, quarter: quarter,
        region: region, measure: measure)
    else {
        let years = release.fiscalYears
        throw ReleaseError(message: "release '\(name)' has no cell FY\(fiscalYear) \(quarter) \(region) \(measure.rawValue); it covers FY\(years.lowerBound)-FY\(years.upperBound), quarters \(publishedQuarters.joined(separator: ", ")) and regions \(publishedRegions.joined(separator: ", ")).")
    }
    let extracts = try release.extracts(database)
    let counted = FrozenSeizure.cellCondition(release: release, fiscalYear: fiscalYear, quarter: quarter,
        region: region)
    var linesByAgency: [Agency: [String: [LineTrace]]] = [:]
    for (agency, extract) in extracts {
        let condition = """
            li.outcome = 'accepted' AND li.measure = ?
                AND li.fpf IN (SELECT fpf FROM release_seizure WHERE \(counted.sql))
            """
        let lines = try lineTraces(database, extract: extract, referenceVersion: release.referenceVersion,
            condition: condition, [.text(measure.rawValue)] + counted.parameters)
        linesByAgency[agency] = Dictionary(grouping: lines) { $0.fpfKey }.mapValues { $0.map(\.trace) }
    }

    var seizures: [SeizureLineage] = []
    var withoutLines = 0
    var total = Amount.zero(measure)
    let countedSeizures = try FrozenSeizure.loadCounted(database, release: release, fiscalYear: fiscalYear,
        quarter: quarter, region: region)
    for seizure in countedSeizures {
        let contribution = seizure.amount(of: measure)
        total = total + contribution
        let source = seizure.source(of: measure)
        let lines = linesByAgency[source]?[seizure.fpf] ?? []
        if lines.isEmpty && contribution.isZero {
            withoutLines += 1
            continue
        }
        let linesTotal = lines.compactMap(\.amount).reduce(Amount.zero(measure), +)
        seizures.append(SeizureLineage(seizure: seizure, contribution: contribution, source: source,
            lines: lines, linesTotal: linesTotal))
    }
    return CellLineage(release: release, extracts: extracts, cell: cell, seizures: seizures,
        seizuresWithoutLines: withoutLines, total: total)
}

/// One FPF of a release: the integrated seizure, both agencies' line items, and which side
/// was used and why.
public struct FPFLineage: Sendable {
    public var release: ReleaseRecord
    public var extracts: [Agency: ExtractRecord]
    /// The canonical 16-digit FPF.
    public var fpf: String
    /// The integrated seizure; nil when no line of this FPF was accepted in the pinned extracts.
    public var seizure: FrozenSeizure?
    /// Every line item of the FPF in each pinned extract, in file order, whatever its outcome.
    public var lines: [Agency: [LineTrace]]
    /// Sentences naming the agency that gives each value, and the reason.
    public var sideUsedReason: String
    /// Labels of the cells the seizure is counted in with a nonzero amount.
    public var cells: [String]
}

/// Traces one FPF of a frozen release to both agencies' line items. `fpf` may be written in
/// any form the FPF rules accept (dashes, spaces, a 24-digit line-item number).
public func fpfLineage(_ database: Database, release name: String, fpf text: String) throws -> FPFLineage {
    guard case .valid(let fpf) = FPF(text) else {
        throw ReleaseError(message: "invalid FPF '\(text)'; expected 16 digits (or 24 with a line-item suffix), with or without spaces, '-' or '.'.")
    }
    let release = try ReleaseRecord.load(database, name: name)
    let extracts = try release.extracts(database)
    var lines: [Agency: [LineTrace]] = [:]
    for (agency, extract) in extracts {
        // Lines excluded before the FPF check (unknown commodity) and out-of-scope lines keep
        // no canonical FPF, so they are found by the digits of the raw FPF.
        let candidates = try lineTraces(database, extract: extract, referenceVersion: release.referenceVersion,
            condition: """
                (li.fpf = ? OR (li.fpf IS NULL AND
                    replace(replace(replace(li.raw_fpf, '-', ''), ' ', ''), '.', '') LIKE ?))
                """, [.text(fpf), .text(fpf + "%")])
        lines[agency] = candidates.filter { candidate in
            if candidate.fpfKey == fpf { return true }
            guard case .valid(let parsed) = FPF(candidate.rawFPF) else { return false }
            return parsed == fpf
        }.map(\.trace)
    }
    let seizure = try FrozenSeizure.load(database, release: release, fpf: fpf)

    var cells: [String] = []
    if let seizure, seizure.inPeriod {
        for measure in Measure.allCases where !seizure.amount(of: measure).isZero {
            for quarter in [seizure.quarter, "ALL"] {
                for region in [seizure.region, "ALL"] {
                    cells.append("FY\(seizure.fiscalYear) \(quarter) \(region) \(measure.rawValue)")
                }
            }
        }
    }
    return FPFLineage(release: release, extracts: extracts, fpf: fpf, seizure: seizure, lines: lines,
        sideUsedReason: sideUsedReason(seizure: seizure, extracts: extracts, release: release),
        cells: cells)
}

private func sideUsedReason(seizure: FrozenSeizure?, extracts: [Agency: ExtractRecord],
    release: ReleaseRecord) -> String
{
    guard let seizure else {
        return "No line of this FPF was accepted in the extracts of release \(release.name), so it is not a seizure of the release."
    }
    let dollars = "currency_usd and property_usd always come from ICE"
    var text: String
    if !seizure.isJoint {
        let agency = seizure.sideUsed
        let file = extracts[agency]?.fileName ?? "?"
        text = "Only \(agency.rawValue)'s extract \(file) has accepted lines of this FPF, so \(agency.rawValue) gives its date, region, fentanyl_lbs and pill_presses"
        text += agency == .ice ? ", and ICE gives the dollars too." : "; \(dollars), so they are 0."
    } else {
        let used = seizure.sideUsed
        let other: Agency = used == .cbp ? .ice : .cbp
        let usedExtract = extracts[used]
        let otherExtract = extracts[other]
        let why: String
        if let usedExtract, let otherExtract, usedExtract.extractedOn == otherExtract.extractedOn {
            why = "both were extracted on \(usedExtract.extractedOn) and \(usedExtract.fileName) was ingested later (extract \(usedExtract.id) after \(otherExtract.id))"
        } else {
            why = "\(usedExtract?.fileName ?? "?") (extracted \(usedExtract.map { "\($0.extractedOn)" } ?? "?")) is more recent than \(otherExtract?.fileName ?? "?") (extracted \(otherExtract.map { "\($0.extractedOn)" } ?? "?"))"
        }
        text = "Joint seizure: both agencies' extracts have it. \(used.rawValue) gives its date, region, fentanyl_lbs and pill_presses because \(why); \(dollars)."
    }
    if seizure.isDiscrepancy {
        text += " The agencies disagree on fentanyl_lbs (to two decimals) or pill_presses, so it is listed as a discrepancy."
    }
    if !seizure.inPeriod {
        text += " Its date \(seizure.date) (FY\(seizure.fiscalYear)) is outside the reporting period FY\(release.fiscalYears.lowerBound)-FY\(release.fiscalYears.upperBound), so it is not counted in the table."
    }
    return text
}

/// A line item read for lineage, with the FPF fields it is grouped and matched by.
private struct CandidateLine {
    var trace: LineTrace
    var fpfKey: String
    var rawFPF: String
}

private func lineTraces(_ database: Database, extract: ExtractRecord, referenceVersion: Int,
    condition: String, _ parameters: [SQLValue]) throws -> [CandidateLine]
{
    let rows = try database.rows(
        """
        SELECT li.line, li.outcome, li.reason, li.commodity, li.measure, li.pounds, li.presses, li.cents,
            li.fpf, li.raw_fpf, sr.raw
        FROM line_item li
        JOIN source_record sr ON sr.extract_id = li.extract_id AND sr.line = li.line
        WHERE li.extract_id = ? AND li.reference_version_id = ? AND \(condition)
        ORDER BY li.line
        """, [.integer(Int64(extract.id)), .integer(Int64(referenceVersion))] + parameters)
    return rows.map { row in
        let measure = row.string(4).flatMap(Measure.init(rawValue:))
        var amount: Amount?
        if row.string(1) == LineOutcome.accepted.rawValue, let measure {
            switch measure {
            case .fentanylLbs: amount = .pounds(row.double(5) ?? 0)
            case .pillPresses: amount = .count(Int64(row.int(6) ?? 0))
            case .currencyUSD, .propertyUSD: amount = .cents(Int64(row.int(7) ?? 0))
            }
        }
        let trace = LineTrace(agency: extract.agency, extractID: extract.id, fileName: extract.fileName,
            sha256: extract.sha256, extractedOn: extract.extractedOn, line: row.int(0)!,
            outcome: row.string(1)!, reason: row.string(2), commodity: row.string(3), measure: measure,
            amount: amount, raw: row.string(10) ?? "")
        return CandidateLine(trace: trace, fpfKey: row.string(8) ?? "", rawFPF: row.string(9) ?? "")
    }
}
