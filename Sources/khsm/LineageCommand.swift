import KHSMCore

enum LineageCommand: Command {
    static let spec = CommandSpec(
        name: "lineage",
        usage: "khsm lineage --release NAME (--fiscal-year Y --quarter Q --region R --measure M | --fpf ID) [--db PATH] [--format text|csv|json] [--output FILE]",
        summary: "Trace a published cell to its seizures and their source lines, or show one seizure's line items.",
        options: [
            databaseOption,
            OptionSpec(name: "release", value: "NAME", help: "frozen release to trace"),
            OptionSpec(name: "fiscal-year", value: "Y", help: "fiscal year of the cell, like 2024"),
            OptionSpec(name: "quarter", value: "Q", help: "Q1, Q2, Q3, Q4 or ALL"),
            OptionSpec(name: "region", value: "R", help: "Southwest, North, Southeast, OCONUS or ALL"),
            OptionSpec(name: "measure", value: "M", help: "fentanyl_lbs, pill_presses, currency_usd or property_usd"),
            OptionSpec(name: "fpf", value: "ID", help: "one seizure's FPF, in any form the FPF rules accept"),
            OptionSpec(name: "format", value: "F", help: "text (default), csv (one row per line item) or json"),
            OptionSpec(name: "output", value: "FILE", help: "write to FILE (atomically) instead of standard output"),
        ],
        details: """
            For a cell: every seizure counted in it with its contribution, each with the line items
            behind it (agency, extract file, SHA-256, line, raw record), and the contributions added
            up as the table adds them next to the frozen exact value. Exits 1 when they differ.
            For an FPF: the integrated seizure, both agencies' line items whatever their outcome,
            and which agency gave which values and why.
            """)

    static let cellOptions = ["fiscal-year", "quarter", "region", "measure"]

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw UsageError(message: "unexpected argument '\(arguments.positionals[0])'")
        }
        guard let releaseName = arguments.value("release") else {
            throw UsageError(message: "missing --release NAME")
        }
        let format = arguments.value("format") ?? "text"
        guard ["text", "csv", "json"].contains(format) else {
            throw UsageError(message: "unknown format '\(format)'; expected text, csv or json")
        }

        if let fpf = arguments.value("fpf") {
            let givenCellOptions = cellOptions.filter { arguments.value($0) != nil }
            guard givenCellOptions.isEmpty else {
                throw UsageError(message: "--fpf traces one seizure; it cannot be combined with \(givenCellOptions.map { "--\($0)" }.joined(separator: ", "))")
            }
            try traceFPF(fpf, release: releaseName, format: format, arguments)
        } else {
            try traceCell(release: releaseName, format: format, arguments)
        }
    }

    static func traceFPF(_ fpf: String, release: String, format: String, _ arguments: ParsedArguments) throws {
        let database = try openDatabase(path: databasePath(arguments), readOnly: true)
        let lineage = try fpfLineage(database, release: release, fpf: fpf)
        let text: String
        switch format {
        case "csv": text = fpfTable(lineage).csv
        case "json": text = fpfJSON(lineage)
        default: text = fpfText(lineage)
        }
        try writeOutput(text, to: arguments.value("output"))
    }

    static func traceCell(release: String, format: String, _ arguments: ParsedArguments) throws {
        let missing = cellOptions.filter { arguments.value($0) == nil }
        guard missing.isEmpty else {
            throw UsageError(message: "missing \(missing.map { "--\($0)" }.joined(separator: ", ")); name a cell with --fiscal-year, --quarter, --region and --measure, or a seizure with --fpf")
        }
        let cell = try parseCell(arguments)
        let database = try openDatabase(path: databasePath(arguments), readOnly: true)
        let lineage = try cellLineage(database, release: release, fiscalYear: cell.fiscalYear,
            quarter: cell.quarter, region: cell.region, measure: cell.measure)
        let text: String
        switch format {
        case "csv": text = cellTable(lineage).csv
        case "json": text = cellJSON(lineage)
        default: text = cellText(lineage)
        }
        try writeOutput(text, to: arguments.value("output"))

        guard lineage.isExact else {
            throw CommandFailure(message: "the seizures of \(lineage.cell.label) in release \(lineage.release.name) do not add up to its frozen exact value \(lineage.cell.exact) (they give \(lineage.total)); run 'khsm release verify \(lineage.release.name)' to find what was altered.")
        }
    }

    /// Reads the cell options, accepting any letter case.
    static func parseCell(_ arguments: ParsedArguments) throws
        -> (fiscalYear: Int, quarter: String, region: String, measure: Measure)
    {
        let yearText = arguments.value("fiscal-year")!
        guard yearText.count == 4, let year = Int(yearText) else {
            throw UsageError(message: "invalid --fiscal-year '\(yearText)'; expected a year like 2024")
        }
        let quarterText = arguments.value("quarter")!
        guard let quarter = publishedQuarters.first(where: { $0.caseInsensitiveCompare(quarterText) == .orderedSame })
        else {
            throw UsageError(message: "invalid --quarter '\(quarterText)'; expected one of \(publishedQuarters.joined(separator: ", "))")
        }
        let regionText = arguments.value("region")!
        guard let region = publishedRegions.first(where: { $0.caseInsensitiveCompare(regionText) == .orderedSame })
        else {
            throw UsageError(message: "invalid --region '\(regionText)'; expected one of \(publishedRegions.joined(separator: ", "))")
        }
        let measureText = arguments.value("measure")!
        guard let measure = Measure(rawValue: measureText.lowercased()) else {
            throw UsageError(message: "invalid --measure '\(measureText)'; expected one of \(Measure.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return (year, quarter, region, measure)
    }
}

private func extractLine(_ extract: ExtractRecord) -> String {
    "  \(extract.agency.rawValue) extract \(extract.id): \(extract.fileName), extracted \(extract.extractedOn), SHA-256 \(extract.sha256)\n"
}

/// Writes a line item as two text lines: where it is and what cleansing made of it, then the
/// raw record. `used` marks a line whose amount is part of the integrated seizure.
private func lineText(_ line: LineTrace, used: Bool = false) -> String {
    var outcome = line.outcome
    if let reason = line.reason { outcome += " \(reason)" }
    if let amount = line.amount, let measure = line.measure {
        outcome += " \(measure.rawValue) \(amount)"
    }
    if used { outcome += ", used" }
    return "    \(line.agency.rawValue) \(line.fileName) SHA-256 \(line.sha256) line \(line.line): \(outcome)\n      \(line.raw)\n"
}

func cellText(_ lineage: CellLineage) -> String {
    let cell = lineage.cell
    var text = "lineage of \(cell.label) in release \(lineage.release.name)\n"
    text += "  frozen exact value \(amountWithUnit(cell.exact)), published \(cell.published), \(cell.seizureCount) seizures\n"
    text += "  reference data version \(lineage.release.referenceVersion)\n"
    for agency in Agency.allCases {
        if let extract = lineage.extracts[agency] { text += extractLine(extract) }
    }
    for seizure in lineage.seizures {
        let frozen = seizure.seizure
        let joint = frozen.isJoint ? "joint, side used \(frozen.sideUsed.rawValue)" : "\(frozen.sideUsed.rawValue) only"
        text += "\n  \(frozen.fpf)  \(amountWithUnit(seizure.contribution)) from \(seizure.source.rawValue) (\(joint); dated \(frozen.date), \(frozen.region))\n"
        for line in seizure.lines { text += lineText(line) }
        if !seizure.linesReproduceContribution {
            text += "    NOT REPRODUCED: the lines add up to \(seizure.linesTotal), the frozen contribution is \(seizure.contribution)\n"
        }
    }
    if lineage.seizuresWithoutLines > 0 {
        text += "\n  \(lineage.seizuresWithoutLines) more seizures of this cell have no \(cell.measure.rawValue) line on the side that gives it and contribute 0.\n"
    }
    let verdict = lineage.isExact ? "identical" : "DIFFERENT"
    text += "\ncontributions of \(lineage.seizures.count + lineage.seizuresWithoutLines) seizures add up to \(amountWithUnit(lineage.total)); frozen exact value \(amountWithUnit(cell.exact)): \(verdict)\n"
    return text
}

func cellTable(_ lineage: CellLineage) -> ExportTable {
    var table = ExportTable(columns: [
        "fpf", "contribution", "source_agency", "side_used", "is_joint", "agency", "extract", "sha256",
        "extracted_on", "line", "line_amount", "raw",
    ])
    for seizure in lineage.seizures {
        let seizureColumns = [
            seizure.seizure.fpf, seizure.contribution.description, seizure.source.rawValue,
            seizure.seizure.sideUsed.rawValue, seizure.seizure.isJoint ? "yes" : "no",
        ]
        if seizure.lines.isEmpty {
            table.rows.append(seizureColumns + Array(repeating: "", count: 7))
        }
        for line in seizure.lines {
            table.rows.append(seizureColumns + [
                line.agency.rawValue, line.fileName, line.sha256, line.extractedOn.description, "\(line.line)",
                line.amount?.description ?? "", line.raw,
            ])
        }
    }
    return table
}

private func lineJSON(_ line: LineTrace, extra: [(String, String)] = []) -> String {
    var members: [(String, String)] = [
        ("agency", jsonStringLiteral(line.agency.rawValue)),
        ("extract", jsonStringLiteral(line.fileName)),
        ("sha256", jsonStringLiteral(line.sha256)),
        ("extracted_on", jsonStringLiteral(line.extractedOn.description)),
        ("line", "\(line.line)"),
        ("outcome", jsonStringLiteral(line.outcome)),
        ("reason", jsonOptional(line.reason)),
        ("measure", jsonOptional(line.measure?.rawValue)),
        ("amount", jsonOptional(line.amount?.description)),
    ]
    members += extra
    members.append(("raw", jsonStringLiteral(line.raw)))
    return "{" + members.map { "\(jsonStringLiteral($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
}

func cellJSON(_ lineage: CellLineage) -> String {
    let cell = lineage.cell
    let seizures = lineage.seizures.map { seizure in
        jsonObject([
            ("fpf", jsonStringLiteral(seizure.seizure.fpf)),
            ("contribution", jsonStringLiteral(seizure.contribution.description)),
            ("source_agency", jsonStringLiteral(seizure.source.rawValue)),
            ("side_used", jsonStringLiteral(seizure.seizure.sideUsed.rawValue)),
            ("is_joint", seizure.seizure.isJoint ? "true" : "false"),
            ("lines", jsonArray(seizure.lines.map { lineJSON($0) }, indent: "      ")),
        ], indent: "    ")
    }
    return jsonObject([
        ("release", jsonStringLiteral(lineage.release.name)),
        ("fiscal_year", "\(cell.fiscalYear)"),
        ("quarter", jsonStringLiteral(cell.quarter)),
        ("region", jsonStringLiteral(cell.region)),
        ("measure", jsonStringLiteral(cell.measure.rawValue)),
        ("frozen_exact", jsonStringLiteral(cell.exact.description)),
        ("published", "\(cell.published)"),
        ("seizure_count", "\(cell.seizureCount)"),
        ("total", jsonStringLiteral(lineage.total.description)),
        ("identical", lineage.isExact ? "true" : "false"),
        ("seizures_without_lines", "\(lineage.seizuresWithoutLines)"),
        ("seizures", jsonArray(seizures, indent: "  ")),
    ]) + "\n"
}

private func seizureValues(_ seizure: FrozenSeizure) -> String {
    "date \(seizure.date) (FY\(seizure.fiscalYear) \(seizure.quarter)), region \(seizure.region), fentanyl_lbs \(seizure.fentanylLbs), pill_presses \(seizure.pillPresses), currency_usd \(formatCents(seizure.currencyCents)), property_usd \(formatCents(seizure.propertyCents))"
}

private func sideValues(_ side: FrozenSide) -> String {
    var text = "date \(side.date), region \(side.region), fentanyl_lbs \(side.fentanylLbs), pill_presses \(side.pillPresses)"
    if let currency = side.currencyCents, let property = side.propertyCents {
        text += ", currency_usd \(formatCents(currency)), property_usd \(formatCents(property))"
    }
    return text
}

/// Returns whether a line's amount is part of the integrated seizure, which holds when it is
/// accepted and comes from the agency that gives its measure.
private func givesValue(_ line: LineTrace, seizure: FrozenSeizure?) -> Bool {
    guard let seizure, line.outcome == "accepted", let measure = line.measure else { return false }
    return seizure.source(of: measure) == line.agency
}

func fpfText(_ lineage: FPFLineage) -> String {
    var text = "lineage of FPF \(lineage.fpf) in release \(lineage.release.name)\n"
    text += "  " + lineage.sideUsedReason + "\n"
    if let seizure = lineage.seizure {
        text += "  integrated: \(seizureValues(seizure)); " + (seizure.inPeriod ? "counted" : "not counted") + "\n"
        if let cbp = seizure.cbp { text += "  CBP's own:  \(sideValues(cbp))\n" }
        if let ice = seizure.ice { text += "  ICE's own:  \(sideValues(ice))\n" }
        if !lineage.cells.isEmpty {
            text += "  counted in: \(lineage.cells.joined(separator: ", "))\n"
        }
    }
    for agency in Agency.allCases {
        guard let extract = lineage.extracts[agency] else {
            text += "\n\(agency.rawValue): the release has no \(agency.rawValue) extract\n"
            continue
        }
        let lines = lineage.lines[agency] ?? []
        text += "\n\(agency.rawValue) line items: \(lines.count) in \(extract.fileName) (extract \(extract.id), extracted \(extract.extractedOn), SHA-256 \(extract.sha256))\n"
        for line in lines {
            text += lineText(line, used: givesValue(line, seizure: lineage.seizure))
        }
    }
    return text
}

func fpfTable(_ lineage: FPFLineage) -> ExportTable {
    var table = ExportTable(columns: [
        "fpf", "agency", "extract", "sha256", "extracted_on", "line", "outcome", "reason", "measure",
        "amount", "used", "raw",
    ])
    for agency in Agency.allCases {
        for line in lineage.lines[agency] ?? [] {
            table.rows.append([
                lineage.fpf, line.agency.rawValue, line.fileName, line.sha256, line.extractedOn.description,
                "\(line.line)", line.outcome, line.reason ?? "", line.measure?.rawValue ?? "",
                line.amount?.description ?? "", givesValue(line, seizure: lineage.seizure) ? "yes" : "no",
                line.raw,
            ])
        }
    }
    return table
}

func fpfJSON(_ lineage: FPFLineage) -> String {
    var members: [(String, String)] = [
        ("release", jsonStringLiteral(lineage.release.name)),
        ("fpf", jsonStringLiteral(lineage.fpf)),
        ("explanation", jsonStringLiteral(lineage.sideUsedReason)),
    ]
    if let seizure = lineage.seizure {
        members += [
            ("side_used", jsonStringLiteral(seizure.sideUsed.rawValue)),
            ("is_joint", seizure.isJoint ? "true" : "false"),
            ("is_discrepancy", seizure.isDiscrepancy ? "true" : "false"),
            ("counted", seizure.inPeriod ? "true" : "false"),
            ("date", jsonStringLiteral(seizure.date)),
            ("region", jsonStringLiteral(seizure.region)),
            ("fentanyl_lbs", jsonStringLiteral("\(seizure.fentanylLbs)")),
            ("pill_presses", "\(seizure.pillPresses)"),
            ("currency_usd", jsonStringLiteral(formatCents(seizure.currencyCents))),
            ("property_usd", jsonStringLiteral(formatCents(seizure.propertyCents))),
            ("cells", jsonArray(lineage.cells.map(jsonStringLiteral), indent: "  ")),
        ]
    } else {
        members.append(("side_used", "null"))
    }
    let lines = Agency.allCases.flatMap { lineage.lines[$0] ?? [] }.map { line in
        lineJSON(line, extra: [("used", givesValue(line, seizure: lineage.seizure) ? "true" : "false")])
    }
    members.append(("lines", jsonArray(lines, indent: "  ")))
    return jsonObject(members) + "\n"
}
