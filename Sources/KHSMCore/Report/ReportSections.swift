// Sections of the HTML report: charts, changes, data quality, and the method with its
// limitations.

func chartsSection(_ report: ReleaseReport) -> String {
    let regions = Region.allCases.map(\.rawValue)
    var text = "<section id=\"charts\" aria-labelledby=\"charts-title\">\n<h2 id=\"charts-title\">Charts</h2>\n"

    var quarterly = BarChart(
        id: "chart-quarterly-fentanyl",
        title: "Fentanyl seized per quarter and region, in pounds",
        summary: quarterlySummary(report),
        axisTitle: "pounds of fentanyl",
        categories: report.fiscalYears.flatMap { _ in ["Q1", "Q2", "Q3", "Q4"] },
        series: regions.map { region in
            BarChart.Series(name: region, color: regionColors[region] ?? "#777",
                values: report.fiscalYears.flatMap { year in
                    ["Q1", "Q2", "Q3", "Q4"].map { report.published(year, $0, region, .fentanylLbs) ?? 0 }
                })
        })
    quarterly.groups = report.fiscalYears.flatMap { year in Array(repeating: "FY\(year)", count: 4) }
    quarterly.isStacked = true
    quarterly.valueSuffix = " lbs"
    quarterly.stackLabels = report.fiscalYears.flatMap { year in
        ["Q1", "Q2", "Q3", "Q4"].map { quarter -> String in
            let total = report.published(year, quarter, "ALL", .fentanylLbs) ?? 0
            return quarterly.categories.count > 12 ? compactNumber(Double(total)) : groupedDigits(total)
        }
    }
    text += """
        <figure>
        <figcaption>\(htmlEscaped(quarterly.title))<span class="note">Bars stack the published regional \
        cells. The number above each bar is the published national total of the quarter, rounded on \
        its own, so it can differ from the sum of the regions by a few pounds.</span></figcaption>
        \(quarterly.svg)</figure>

        """

    text += "<div class=\"chart-grid\">\n"
    for measure in Measure.allCases {
        var chart = BarChart(
            id: "chart-\(measure.rawValue)",
            title: "\(measure.title) per fiscal year and region, in \(measure.unitName)",
            summary: yearlySummary(report, measure: measure),
            axisTitle: measure.unitName,
            categories: report.fiscalYears.map { "FY\($0)" },
            series: regions.map { region in
                BarChart.Series(name: region, color: regionColors[region] ?? "#777",
                    values: report.fiscalYears.map { report.published($0, "ALL", region, measure) ?? 0 })
            })
        chart.width = 560
        chart.height = 330
        chart.valuePrefix = measure.isMoney ? "$" : ""
        chart.valueSuffix = measure.isMoney ? "" : (measure == .fentanylLbs ? " lbs" : " presses")
        text += """
            <figure>
            <figcaption>\(htmlEscaped(chart.title))</figcaption>
            \(chart.svg)</figure>

            """
    }
    return text + "</div>\n</section>\n\n"
}

/// Writes the text alternative of the quarterly chart: the national total of each quarter.
private func quarterlySummary(_ report: ReleaseReport) -> String {
    var parts: [String] = []
    for year in report.fiscalYears {
        for quarter in ["Q1", "Q2", "Q3", "Q4"] {
            let total = report.published(year, quarter, "ALL", .fentanylLbs) ?? 0
            parts.append("FY\(year) \(quarter) \(Measure.fentanylLbs.formatted(total))")
        }
    }
    return "Stacked bars of published fentanyl pounds by region for each quarter. National totals: "
        + parts.joined(separator: ", ") + "."
}

private func yearlySummary(_ report: ReleaseReport, measure: Measure) -> String {
    var parts: [String] = []
    for year in report.fiscalYears {
        let regions = Region.allCases.map { region in
            "\(region.rawValue) \(measure.formatted(report.published(year, "ALL", region.rawValue, measure) ?? 0))"
        }
        parts.append("FY\(year): " + regions.joined(separator: ", "))
    }
    return "Bars of published \(measure.title.lowercased()) by region for each fiscal year. "
        + parts.joined(separator: "; ") + "."
}

func changesSection(_ report: ReleaseReport) -> String {
    var text = "<section id=\"changes\" aria-labelledby=\"changes-title\">\n<h2 id=\"changes-title\">Changes from the previous release</h2>\n"
    guard let changes = report.changes else {
        return text + "<p>This is the first release; there is no previous release to compare with.</p>\n</section>\n\n"
    }
    let previous = htmlEscaped(changes.previousName)
    let current = htmlEscaped(report.release.name)
    let seizures = changes.seizures
    let integrated = changes.diff.seizures
    text += """
        <p>Compared with release \(previous), dated \(changes.previousDate), the seizures whose \
        contribution to a cell changed:</p>
        <ul>
        <li>seizures added (in this release only): \(groupedDigits(Int64(seizures.added)))</li>
        <li>seizures removed (in release \(previous) only): \(groupedDigits(Int64(seizures.removed)))</li>
        <li>seizures revised (amount, quarter, region or whether counted): \(groupedDigits(Int64(seizures.revised)))</li>
        <li>published cells changed: \(changes.cells.count) of \(report.cells.count)</li>
        </ul>
        <p>A revision of pounds counts only when the old and new pounds round to different \
        hundredths, so that converting kilograms to pounds is no revision. Changes that leave every \
        cell as it was are not counted either, such as another side used with the same values or a \
        seizure outside the reporting period. Among all integrated seizures, \
        \(groupedDigits(Int64(integrated.added))) were added, \(groupedDigits(Int64(integrated.removed))) \
        removed and \(groupedDigits(Int64(integrated.revised))) revised in some field. \
        <code>khsm release diff \(previous) \(current)</code> lists the changes behind each cell with \
        their causes.</p>

        """
    guard !changes.cells.isEmpty else {
        return text + "<p>No published cell changed.</p>\n</section>\n\n"
    }
    text += """
        <p>Behind each changed cell, a seizure is added when it is counted in the cell now and was \
        not before, removed in the reverse case, and revised when it is counted in both with another \
        amount (pounds compared to the hundredth). A seizure whose quarter or region changed leaves \
        its old cells and joins new ones.</p>
        <table class="list">
        <caption>Published cells that changed since release \(previous)</caption>
        <thead><tr><th scope="col">Fiscal year</th><th scope="col">Quarter</th><th scope="col">Region</th>\
        <th scope="col">Measure</th><th scope="col">\(previous)</th><th scope="col">\(htmlEscaped(report.release.name))</th>\
        <th scope="col">Change</th><th scope="col">Seizures added</th><th scope="col">Removed</th>\
        <th scope="col">Revised</th></tr></thead>
        <tbody>

        """
    for change in changes.cells {
        let measure = change.measure
        let counts = change.seizureCounts
        text += "<tr><th scope=\"row\">FY\(change.fiscalYear)</th>"
        text += "<td>\(quarterTitle(change.quarter))</td><td>\(htmlEscaped(regionTitle(change.region)))</td>"
        text += "<td>\(htmlEscaped(measure.title))</td>"
        text += "<td class=\"number\">\(change.old.map { htmlEscaped(measure.formatted($0.published)) } ?? "&ndash;")</td>"
        text += "<td class=\"number\">\(change.new.map { htmlEscaped(measure.formatted($0.published)) } ?? "&ndash;")</td>"
        text += "<td class=\"number\">\(htmlEscaped(deltaText(change.publishedDifference, measure: measure)))</td>"
        text += "<td class=\"number\">\(counts.added)</td><td class=\"number\">\(counts.removed)</td>"
        text += "<td class=\"number\">\(counts.revised)</td></tr>\n"
    }
    return text + "</tbody>\n</table>\n</section>\n\n"
}

/// Describes an exclusion reason for readers.
func reasonDescription(_ reason: ExclusionReason) -> String {
    switch reason {
    case .unknownCommodity: return "commodity not in the reference data"
    case .missingFPF: return "no case number (FPF): empty, N/A, NONE, UNKNOWN or zeros"
    case .malformedFPF: return "case number not 16 or 24 digits, such as one a spreadsheet turned into 2.02E+15"
    case .invalidDate: return "seizure date missing, in another format, or not a real day"
    case .unknownAOR: return "office not in the reference data"
    case .outsideUS: return "office outside the United States (CBP preclearance)"
    case .invalidQuantity: return "quantity or value missing, not a number, negative, or in the wrong unit"
    }
}

func qualitySection(_ report: ReleaseReport) -> String {
    var text = """
        <section id="quality" aria-labelledby="quality-title">
        <h2 id="quality-title">Data quality</h2>
        <table class="list">
        <caption>Quality figures</caption>
        <thead><tr><th scope="col">Figure</th><th scope="col">Value</th><th scope="col">Expected</th>\
        <th scope="col">Status</th><th scope="col">Basis</th></tr></thead>
        <tbody>

        """
    func row(_ label: String, _ value: String, _ expected: String, ok: Bool?, _ basis: String) {
        let status: String
        switch ok {
        case true?: status = "<span class=\"status-ok\">within</span>"
        case false?: status = "<span class=\"status-warn\">outside</span>"
        case nil: status = "&ndash;"
        }
        text += "<tr><th scope=\"row\">\(htmlEscaped(label))</th><td class=\"number\">\(htmlEscaped(value))</td>"
        text += "<td>\(htmlEscaped(expected))</td><td>\(status)</td><td>\(htmlEscaped(basis))</td></tr>\n"
    }
    for figure in report.quality where figure.figure == "undercount" {
        row("Undercount, \(figure.agency)", percentText(figure.value), "below 2%",
            ok: figure.value.map { $0 < 0.02 },
            "\(groupedDigits(Int64(figure.numerator))) of \(groupedDigits(Int64(figure.denominator))) in-scope lines have no FPF and are not counted")
    }
    if let joint = report.quality.first(where: { $0.figure == "joint_share_lbs" }) {
        row("Joint share", percentText(joint.value, decimals: 1), "about 40%", ok: nil,
            "share of the fentanyl pounds in the table from seizures both agencies reported (\(groupedDigits(Int64(report.jointSeizures))) of \(groupedDigits(Int64(report.countedSeizures))) seizures)")
    }
    if let rate = report.quality.first(where: { $0.figure == "discrepancy_rate" }) {
        row("Discrepancy rate", percentText(rate.value), "below 1%", ok: rate.value.map { $0 < 0.01 },
            "\(groupedDigits(Int64(rate.numerator))) of \(groupedDigits(Int64(rate.denominator))) counted seizures are joint seizures whose agencies disagree on pounds or presses")
    }
    for extract in report.extracts {
        let age = report.release.date.dayNumber - extract.extractedOn.dayNumber
        row("Timeliness, \(extract.agency.rawValue) extract", "\(age) days old", "at most \(maximumExtractAgeDays) days",
            ok: age <= maximumExtractAgeDays,
            "\(extract.fileName) extracted on \(extract.extractedOn), release dated \(report.release.date)")
    }
    let delay = report.release.date.dayNumber - report.lastQuarterEnd.dayNumber
    row("Timeliness, release", "\(delay) days after the quarter", "at most \(maximumReleaseDelayDays) days",
        ok: delay <= maximumReleaseDelayDays,
        "the last quarter covered ended on \(report.lastQuarterEnd)")
    text += "</tbody>\n</table>\n"
    if !report.lateInputs.isEmpty {
        text += "<p class=\"status-warn\">This release was published with late inputs.</p>\n"
    }

    text += """
        <table class="list">
        <caption>Excluded lines by reason (not counted; listed by <code>khsm export exclusions</code> for follow-up with the agency)</caption>
        <thead><tr><th scope="col">Reason</th><th scope="col">Meaning</th>
        """
    let agencies = report.extracts.map(\.agency)
    for agency in agencies { text += "<th scope=\"col\">\(agency.rawValue) lines</th>" }
    text += "</tr></thead>\n<tbody>\n"
    let reasons = ExclusionReason.allCases.filter { reason in report.exclusions.contains { $0.reason == reason } }
    for reason in reasons {
        text += "<tr><th scope=\"row\"><code>\(reason.rawValue)</code></th><td>\(htmlEscaped(reasonDescription(reason)))</td>"
        for agency in agencies {
            let lines = report.exclusions.first { $0.agency == agency && $0.reason == reason }?.lines ?? 0
            text += "<td class=\"number\">\(groupedDigits(Int64(lines)))</td>"
        }
        text += "</tr>\n"
    }
    if reasons.isEmpty {
        text += "<tr><td colspan=\"\(2 + agencies.count)\">No line was excluded.</td></tr>\n"
    }
    text += "<tr class=\"total\"><th scope=\"row\">Total</th><td></td>"
    for agency in agencies {
        let lines = report.exclusions.filter { $0.agency == agency }.reduce(0) { $0 + $1.lines }
        text += "<td class=\"number\">\(groupedDigits(Int64(lines)))</td>"
    }
    return text + "</tr>\n</tbody>\n</table>\n</section>\n\n"
}

func methodSection(_ report: ReleaseReport) -> String {
    var text = """
        <section id="method" aria-labelledby="method-title">
        <h2 id="method-title">Method in short</h2>
        <ol>
        <li>CBP and ICE HSI each send a full snapshot of their seizure records as CSV. The release \
        uses the latest extract of each agency pulled on or before its date.</li>
        <li>Each line is checked: case number (FPF), date, office and region, commodity, quantity and \
        unit. Lines that fail are excluded with a reason and sent back to the agency; nothing is \
        imputed. Other drugs are out of scope.</li>
        <li>The lines of one FPF form one seizure per agency: amounts are summed, the date is the \
        earliest line's, and the region is that of the earliest line.</li>
        <li>A seizure both agencies report is counted once. The more recent extract gives its date, \
        region, fentanyl pounds and pill presses; currency and property always come from ICE. When the \
        agencies disagree on pounds (to two decimals) or presses, the seizure is listed for reconciliation.</li>
        <li>Fiscal year N runs from 1 October N-1 to 30 September N; Q1 is October to December. \
        Regions: Southwest, North, Southeast and OCONUS.</li>
        <li>Each published cell is its exact sum rounded on its own to the nearest 10, halves away \
        from zero. Exact values stay in the system for audit.</li>
        </ol>
        <h2>Limitations</h2>
        <ul>

        """
    text += "<li><strong>Rounding.</strong> Totals are rounded on their own, so they can differ from the sum of the rounded cells they total."
    if let example = roundingExample(report) {
        text += " " + example
    }
    text += "</li>\n"
    let undercounts = report.quality.filter { $0.figure == "undercount" }
        .map { "\($0.agency) \(percentText($0.value))" }
    text += "<li><strong>Undercount.</strong> Lines without a case number cannot be joined to a seizure and are not counted, so the figures are lower than the true totals"
    text += undercounts.isEmpty ? "." : " (lines without an FPF: \(htmlEscaped(undercounts.joined(separator: ", "))) of in-scope lines)."
    text += " Lines excluded for other reasons are not counted either.</li>\n"
    text += """
        <li><strong>Subject to revision.</strong> Agencies correct and complete their records after \
        the fact, and each release uses their latest extracts, so figures for past quarters change \
        from release to release. The changes section lists what moved since the previous release.</li>
        <li><strong>Discrepancies.</strong> Where the agencies disagree on a joint seizure, the more \
        recent extract is used until the agencies reconcile it.</li>
        </ul>
        </section>

        """
    return text
}

/// Writes a sentence showing, from this release's published values, one total that differs
/// from the sum of its rounded regional cells. Returns nil when there is none.
func roundingExample(_ report: ReleaseReport) -> String? {
    for year in report.fiscalYears {
        for quarter in publishedQuarters {
            for measure in Measure.allCases {
                guard let total = report.published(year, quarter, "ALL", measure) else { continue }
                let parts = Region.allCases.compactMap { report.published(year, quarter, $0.rawValue, measure) }
                let sum = parts.reduce(0, +)
                if parts.count == Region.allCases.count && sum != total {
                    let period = quarter == "ALL" ? "FY\(year)" : "FY\(year) \(quarter)"
                    return "In this release, the regions' \(measure.title.lowercased()) cells for \(period) add up to "
                        + "\(htmlEscaped(measure.formatted(sum))), while the published national total is "
                        + "\(htmlEscaped(measure.formatted(total)))."
                }
            }
        }
    }
    return nil
}
