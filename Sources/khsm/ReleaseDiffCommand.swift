import KHSMCore

enum ReleaseDiffCommand: Command {
    static let spec = CommandSpec(
        name: "release diff",
        usage: "khsm release diff OLD NEW [--db PATH] [--format text|csv|json] [--output FILE]",
        summary: "List every cell that changed between two releases and the seizures that explain each change.",
        options: [
            databaseOption,
            OptionSpec(name: "format", value: "F", help: "text (default), csv (one row per seizure of a changed cell) or json"),
            OptionSpec(name: "output", value: "FILE", help: "write to FILE (atomically) instead of standard output"),
        ],
        details: """
            A cell changed when its exact or published value differs. Each seizure whose contribution to
            it differs is listed as added (only in NEW), removed (only in OLD, naming the last extract
            that had it) or revised (which measure, date, quarter, region or side changed, and the
            extract or reference data that brought the change). The seizures' differences add up to
            the cell's exact difference: exactly for presses and dollars (integer cents), and for
            pounds up to the rounding of double-precision sums, which is printed with its bound.
            A revision of pounds whose old and new values round to the same hundredth is marked as such.
            The 'behind cells' counts, which 'khsm report' shows, leave it out.
            Exits 1 when a cell is not explained, which means the frozen releases were altered.
            """)

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 2 else {
            throw UsageError(message: "expected two release names, OLD and NEW, got \(arguments.positionals.count) arguments")
        }
        let format = arguments.value("format") ?? "text"
        guard ["text", "csv", "json"].contains(format) else {
            throw UsageError(message: "unknown format '\(format)'; expected text, csv or json")
        }
        let database = try openDatabase(path: databasePath(arguments), readOnly: true)
        let diff = try diffReleases(database, old: arguments.positionals[0], new: arguments.positionals[1])
        let text: String
        switch format {
        case "csv": text = diffTable(diff).csv
        case "json": text = diffJSON(diff)
        default: text = diffText(diff)
        }
        try writeOutput(text, to: arguments.value("output"))
        let unexplained = diff.unexplainedCells
        if !unexplained.isEmpty {
            throw CommandFailure(message: "\(unexplained.count) changed cells are not explained by their seizures: \(unexplained.prefix(5).map(\.label).joined(separator: ", ")); run 'khsm release verify' on \(diff.old.release.name) and \(diff.new.release.name) to find what was altered.")
        }
    }
}

/// Writes an amount with its unit, for text meant for people.
func amountWithUnit(_ amount: Amount, signed: Bool = false) -> String {
    let number = signed ? amount.signedDescription : amount.description
    switch amount {
    case .pounds: return number + " lbs"
    case .count: return number + " presses"
    case .cents: return number + " USD"
    }
}

private func describeChange<T: Equatable>(_ old: T, _ new: T, _ text: (T) -> String) -> String {
    old == new ? "\(text(new)), unchanged" : "\(text(old)) -> \(text(new))"
}

func diffText(_ diff: ReleaseDiff) -> String {
    let old = diff.old.release
    let new = diff.new.release
    var text = "release diff \(old.name) -> \(new.name)\n"
    for agency in Agency.allCases {
        let label = "  \(agency.rawValue) extract".padding(toLength: 18, withPad: " ", startingAt: 0)
        let oldExtract = diff.old.extracts[agency]
        let newExtract = diff.new.extracts[agency]
        if oldExtract?.id == newExtract?.id {
            text += label + "\(newExtract?.label ?? "none"), unchanged\n"
        } else {
            text += label + "\(oldExtract?.label ?? "none") -> \(newExtract?.label ?? "none")\n"
        }
    }
    text += "  reference data  " + describeChange(old.referenceVersion, new.referenceVersion) { "version \($0)" } + "\n"
    text += "  method          " + describeChange(old.methodVersion, new.methodVersion) { "version \($0)" } + "\n"
    text += "  period          " + describeChange(old.fiscalYears, new.fiscalYears) {
        "FY\($0.lowerBound)-FY\($0.upperBound)"
    } + "\n"
    text += "  seizures        \(diff.seizures.added) added, \(diff.seizures.removed) removed, \(diff.seizures.revised) revised\n"
    let behind = diff.seizuresBehindCells
    text += "  behind cells    \(behind.added) added, \(behind.removed) removed, \(behind.revised) revised (pounds compared to the hundredth)\n"
    text += "\(diff.cellsCompared) cells compared: \(diff.cells.count) changed, \(diff.publishedChanges) of them in their published value.\n"

    for cell in diff.cells {
        text += "\n\(cell.label)\n"
        let oldExact = cell.old.map { amountWithUnit($0.exact) } ?? "not published"
        let newExact = cell.new.map { amountWithUnit($0.exact) } ?? "not published"
        text += "  exact      \(oldExact) -> \(newExact) (\(amountWithUnit(cell.difference, signed: true)))\n"
        let oldPublished = cell.old.map { "\($0.published)" } ?? "not published"
        let newPublished = cell.new.map { "\($0.published)" } ?? "not published"
        let sign = cell.publishedDifference > 0 ? "+" : ""
        text += "  published  \(oldPublished) -> \(newPublished) (\(sign)\(cell.publishedDifference))\n"
        for seizure in cell.seizures {
            text += "  " + seizure.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            text += " \(seizure.fpf)  \(amountWithUnit(seizure.difference, signed: true))"
            let oldValue = seizure.oldContribution.map(\.description) ?? "not in cell"
            let newValue = seizure.newContribution.map(\.description) ?? "not in cell"
            text += " (\(oldValue) -> \(newValue))"
            if !seizure.changes.isEmpty {
                text += ": " + seizure.changes.map(\.description).joined(separator: ", ")
            }
            text += "; \(seizure.cause)"
            if seizure.roundsToSameHundredth { text += "; the same to the hundredth of a pound" }
            text += "\n"
        }
        text += "  " + explanationLine(cell) + "\n"
    }
    return text
}

/// Writes how the seizure differences of a cell add up to its exact difference.
func explanationLine(_ cell: CellChange) -> String {
    var line: String
    if case .pounds(let residual) = cell.residual {
        line = "seizure differences add up to \(amountWithUnit(cell.explained, signed: true)); the exact difference is \(amountWithUnit(cell.difference, signed: true))"
        line += residual == 0 ? " (identical)" : " (double-precision rounding \(residual), bound \(cell.roundingBound))"
    } else {
        line = "seizure differences add up to \(amountWithUnit(cell.explained, signed: true)), "
        line += cell.residual.isZero ? "exactly the exact difference" : "NOT the exact difference \(amountWithUnit(cell.difference, signed: true))"
    }
    if !cell.oldReproduced || !cell.newReproduced {
        let which = [cell.oldReproduced ? nil : "older", cell.newReproduced ? nil : "newer"].compactMap { $0 }
        line += "; NOT EXPLAINED: the \(which.joined(separator: " and ")) release's frozen seizures do not add up to its frozen cell"
    } else if !cell.isExplained {
        line += "; NOT EXPLAINED"
    }
    return line
}

/// Builds one row per seizure of a changed cell, with the cell's values repeated. A changed
/// cell without seizures gets one row with empty seizure columns.
func diffTable(_ diff: ReleaseDiff) -> ExportTable {
    var table = ExportTable(columns: [
        "fiscal_year", "quarter", "region", "measure", "old_exact", "new_exact", "exact_difference",
        "old_published", "new_published", "published_difference", "explained_difference", "explained",
        "fpf", "change", "old_contribution", "new_contribution", "contribution_difference",
        "changed_fields", "old_extract", "new_extract", "cause", "change_in_cell", "same_to_hundredth",
    ])
    for cell in diff.cells {
        let oldExact: String = cell.old?.exact.description ?? ""
        let newExact: String = cell.new?.exact.description ?? ""
        let oldPublished: String = cell.old.map { String($0.published) } ?? ""
        let newPublished: String = cell.new.map { String($0.published) } ?? ""
        let cellColumns: [String] = [
            String(cell.fiscalYear), cell.quarter, cell.region, cell.measure.rawValue, oldExact, newExact,
            cell.difference.description, oldPublished, newPublished, String(cell.publishedDifference),
            cell.explained.description, cell.isExplained ? "yes" : "no",
        ]
        if cell.seizures.isEmpty {
            table.rows.append(cellColumns + Array(repeating: "", count: 11))
        }
        for seizure in cell.seizures {
            table.rows.append(cellColumns + [
                seizure.fpf, seizure.kind.rawValue, seizure.oldContribution?.description ?? "",
                seizure.newContribution?.description ?? "", seizure.difference.description,
                seizure.changes.map(\.description).joined(separator: "; "),
                seizure.oldSource?.fileName ?? "", seizure.newSource?.fileName ?? "", seizure.cause,
                seizure.kindInCell.rawValue, seizure.roundsToSameHundredth ? "yes" : "no",
            ])
        }
    }
    return table
}

/// Writes a JSON object from members whose values are already JSON text.
func jsonObject(_ members: [(String, String)], indent: String = "") -> String {
    guard !members.isEmpty else { return "{}" }
    let inner = indent + "  "
    return "{\n" + members.map { "\(inner)\(jsonStringLiteral($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n\(indent)}"
}

/// Writes a JSON array from elements that are already JSON text.
func jsonArray(_ elements: [String], indent: String = "") -> String {
    guard !elements.isEmpty else { return "[]" }
    let inner = indent + "  "
    return "[\n" + elements.map { inner + $0 }.joined(separator: ",\n") + "\n\(indent)]"
}

func jsonOptional(_ value: String?) -> String { value.map(jsonStringLiteral) ?? "null" }

func diffJSON(_ diff: ReleaseDiff) -> String {
    func release(_ inputs: FrozenRelease) -> String {
        let record = inputs.release
        return jsonObject([
            ("name", jsonStringLiteral(record.name)),
            ("date", jsonStringLiteral(record.date.description)),
            ("cbp_extract", jsonOptional(inputs.extracts[.cbp]?.fileName)),
            ("ice_extract", jsonOptional(inputs.extracts[.ice]?.fileName)),
            ("reference_version", "\(record.referenceVersion)"),
            ("method_version", jsonStringLiteral(record.methodVersion)),
            ("fiscal_years", jsonStringLiteral("\(record.fiscalYears.lowerBound)-\(record.fiscalYears.upperBound)")),
        ], indent: "  ")
    }
    let behind = diff.seizuresBehindCells
    let cells = diff.cells.map { cell -> String in
        let seizures = cell.seizures.map { seizure -> String in
            jsonObject([
                ("fpf", jsonStringLiteral(seizure.fpf)),
                ("change", jsonStringLiteral(seizure.kind.rawValue)),
                ("change_in_cell", jsonStringLiteral(seizure.kindInCell.rawValue)),
                ("same_to_hundredth", seizure.roundsToSameHundredth ? "true" : "false"),
                ("old_contribution", jsonOptional(seizure.oldContribution?.description)),
                ("new_contribution", jsonOptional(seizure.newContribution?.description)),
                ("difference", jsonStringLiteral(seizure.difference.description)),
                ("changed_fields", jsonArray(seizure.changes.map { change in
                    "{\"field\": \(jsonStringLiteral(change.field)), \"old\": \(jsonStringLiteral(change.old)), \"new\": \(jsonStringLiteral(change.new))}"
                }, indent: "          ")),
                ("old_extract", jsonOptional(seizure.oldSource?.fileName)),
                ("new_extract", jsonOptional(seizure.newSource?.fileName)),
                ("cause", jsonStringLiteral(seizure.cause)),
            ], indent: "        ")
        }
        return jsonObject([
            ("fiscal_year", "\(cell.fiscalYear)"),
            ("quarter", jsonStringLiteral(cell.quarter)),
            ("region", jsonStringLiteral(cell.region)),
            ("measure", jsonStringLiteral(cell.measure.rawValue)),
            ("old_exact", jsonOptional(cell.old?.exact.description)),
            ("new_exact", jsonOptional(cell.new?.exact.description)),
            ("exact_difference", jsonStringLiteral(cell.difference.description)),
            ("old_published", cell.old.map { "\($0.published)" } ?? "null"),
            ("new_published", cell.new.map { "\($0.published)" } ?? "null"),
            ("published_difference", "\(cell.publishedDifference)"),
            ("published_value_changed", cell.publishedValueChanged ? "true" : "false"),
            ("explained_difference", jsonStringLiteral(cell.explained.description)),
            ("residual", jsonStringLiteral(cell.residual.description)),
            ("rounding_bound", "\(cell.roundingBound)"),
            ("explained", cell.isExplained ? "true" : "false"),
            ("seizures", jsonArray(seizures, indent: "      ")),
        ], indent: "    ")
    }
    return jsonObject([
        ("old", release(diff.old)),
        ("new", release(diff.new)),
        ("cells_compared", "\(diff.cellsCompared)"),
        ("cells_changed", "\(diff.cells.count)"),
        ("published_changed", "\(diff.publishedChanges)"),
        ("seizures_added", "\(diff.seizures.added)"),
        ("seizures_removed", "\(diff.seizures.removed)"),
        ("seizures_revised", "\(diff.seizures.revised)"),
        ("seizures_behind_cells", jsonObject([
            ("added", "\(behind.added)"),
            ("removed", "\(behind.removed)"),
            ("revised", "\(behind.revised)"),
        ], indent: "  ")),
        ("cells", jsonArray(cells, indent: "  ")),
    ]) + "\n"
}
