/// Colors of the regions in every chart (Okabe and Ito's palette, distinguishable with the
/// common forms of color blindness).
let regionColors: [String: String] = [
    "Southwest": "#D55E00", "North": "#0072B2", "Southeast": "#009E73", "OCONUS": "#CC79A7",
]

/// Names a published quarter or region for readers.
func quarterTitle(_ quarter: String) -> String { quarter == "ALL" ? "Year" : quarter }
func regionTitle(_ region: String) -> String { region == "ALL" ? "All regions" : region }

/// Renders the release as one self-contained HTML page: inline CSS and SVG, no scripts, and a
/// Content-Security-Policy that blocks every network request. Only published (rounded) values
/// of the table appear; every text from the database is escaped.
public func renderReportHTML(_ report: ReleaseReport) -> String {
    let name = htmlEscaped(report.release.name)
    var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Fentanyl Disruption Seizures KHSM, release \(name)</title>
        <style>
        \(reportCSS)
        </style>
        </head>
        <body>

        """
    page += headerSection(report)
    page += "<main>\n"
    page += headlineSection(report)
    page += chartsSection(report)
    page += tableSection(report)
    page += changesSection(report)
    page += qualitySection(report)
    page += methodSection(report)
    page += "</main>\n"
    page += footerSection(report)
    page += "</body>\n</html>\n"
    return page
}

private func headerSection(_ report: ReleaseReport) -> String {
    let years = report.release.fiscalYears
    let period = years.lowerBound == years.upperBound ? "FY\(years.lowerBound)" : "FY\(years.lowerBound) to FY\(years.upperBound)"
    var text = """
        <header>
        <p class="kicker">Key Homeland Security Metric</p>
        <h1>Fentanyl Disruption Seizures</h1>
        <p class="release-line">Release <strong>\(htmlEscaped(report.release.name))</strong>, dated \(report.release.date), covering \(period)
        """
    if let changes = report.changes {
        text += " &middot; previous release \(htmlEscaped(changes.previousName)) (\(changes.previousDate))"
    }
    text += """
        </p>
        <p>Seizures of fentanyl, pill presses, U.S. currency and personal property by CBP and ICE HSI, \
        each seizure counted once across the two agencies. Every figure is rounded to the nearest 10.</p>
        <nav aria-label="Sections"><ul>
        <li><a href="#headline">Headline figures</a></li>
        <li><a href="#charts">Charts</a></li>
        <li><a href="#table">Published table</a></li>
        <li><a href="#changes">Changes</a></li>
        <li><a href="#quality">Data quality</a></li>
        <li><a href="#method">Method and limitations</a></li>
        </ul></nav>
        </header>

        """
    return text
}

/// Writes the months of fiscal year `year` for readers: `October 2022 to September 2023`.
func fiscalYearSpan(_ year: Int) -> String {
    "October \(year - 1) to September \(year)"
}

private func headlineSection(_ report: ReleaseReport) -> String {
    var text = "<section id=\"headline\" aria-labelledby=\"headline-title\">\n<h2 id=\"headline-title\">Headline figures</h2>\n"
    for year in report.fiscalYears {
        let partial = CalendarDate(year: year, month: 9, day: 30)! > report.lastQuarterEnd
        text += "<h3>FY\(year) <span class=\"span\">\(fiscalYearSpan(year))\(partial ? ", year to date" : "")</span></h3>\n"
        text += "<dl class=\"figures\">\n"
        for measure in Measure.allCases {
            let value = report.published(year, "ALL", "ALL", measure)
            text += "<div class=\"figure\"><dt>\(htmlEscaped(measure.title))</dt>"
            text += "<dd class=\"value\">\(value.map { htmlEscaped(measure.formatted($0)) } ?? "not published")</dd>"
            if let changes = report.changes, let value {
                let key = FrozenCell.key(fiscalYear: year, quarter: "ALL", region: "ALL", measure: measure)
                let since = "since " + htmlEscaped(changes.previousName)
                let moved = changes.cells.first { $0.key == key }
                if let moved, moved.old == nil {
                    text += "<dd class=\"delta\">not published in \(htmlEscaped(changes.previousName))</dd>"
                } else {
                    let previous = moved?.old?.published ?? value
                    text += "<dd class=\"delta\">\(deltaText(value - previous, measure: measure)) \(since)</dd>"
                }
            }
            text += "</div>\n"
        }
        text += "</dl>\n"
    }
    return text + "</section>\n\n"
}

/// Writes a change of a published value with its sign: `+10 lbs`, `-$20`, `no change`.
func deltaText(_ difference: Int64, measure: Measure) -> String {
    if difference == 0 { return "no change" }
    return (difference > 0 ? "+" : "") + measure.formatted(difference)
}

private func tableSection(_ report: ReleaseReport) -> String {
    var text = """
        <section id="table" aria-labelledby="table-title">
        <h2 id="table-title">Published table</h2>
        <p>Each cell is the sum over the seizures in it, rounded on its own to the nearest 10 \
        (halves away from zero). A total is therefore not always the sum of the rounded cells \
        above it. The same table is available as CSV with <code>khsm export table --release \
        \(htmlEscaped(report.release.name))</code>.</p>

        """
    for measure in Measure.allCases {
        text += "<table class=\"cells\">\n<caption>\(htmlEscaped(measure.title)), in \(htmlEscaped(measure.unitName))</caption>\n"
        text += "<thead><tr><th scope=\"col\">Fiscal year</th><th scope=\"col\">Quarter</th>"
        for region in publishedRegions {
            text += "<th scope=\"col\">\(htmlEscaped(regionTitle(region)))</th>"
        }
        text += "</tr></thead>\n"
        for year in report.fiscalYears {
            text += "<tbody>\n"
            for (index, quarter) in publishedQuarters.enumerated() {
                text += quarter == "ALL" ? "<tr class=\"total\">" : "<tr>"
                if index == 0 {
                    text += "<th scope=\"rowgroup\" rowspan=\"\(publishedQuarters.count)\">FY\(year)</th>"
                }
                text += "<th scope=\"row\">\(quarterTitle(quarter))</th>"
                for region in publishedRegions {
                    let value = report.published(year, quarter, region, measure)
                    text += "<td>\(value.map { htmlEscaped(measure.tableText($0)) } ?? "&ndash;")</td>"
                }
                text += "</tr>\n"
            }
            text += "</tbody>\n"
        }
        text += "</table>\n"
    }
    return text + "</section>\n\n"
}

private func footerSection(_ report: ReleaseReport) -> String {
    var text = """
        <footer>
        <h2>Inputs of this release</h2>
        <table class="inputs">
        <thead><tr><th scope="col">Input</th><th scope="col">File</th><th scope="col">Extracted on</th><th scope="col">SHA-256</th></tr></thead>
        <tbody>

        """
    for extract in report.extracts {
        text += "<tr><th scope=\"row\">\(extract.agency.rawValue) extract</th><td>\(htmlEscaped(extract.fileName))</td><td>\(extract.extractedOn)</td><td><code>\(htmlEscaped(extract.sha256))</code></td></tr>\n"
    }
    text += """
        </tbody>
        </table>
        <p>Reference data version \(report.release.referenceVersion), method version \
        \(htmlEscaped(report.release.methodVersion)). Release frozen at \(htmlEscaped(report.release.createdAt)); \
        SHA-256 of its table CSV <code>\(htmlEscaped(report.release.tableSHA256))</code>. \
        <code>khsm release verify \(htmlEscaped(report.release.name))</code> recomputes it from the stored records.</p>
        </footer>

        """
    return text
}

let reportCSS = """
    :root { color-scheme: light; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
      margin: 0 auto; max-width: 1180px; padding: 24px 32px 48px; color: #1b1b1b; background: #fff;
      line-height: 1.45; }
    header { border-bottom: 3px solid #1b1b1b; padding-bottom: 12px; margin-bottom: 8px; }
    .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; color: #555; margin: 0; }
    h1 { font-size: 2rem; margin: .1em 0 .2em; }
    h2 { font-size: 1.4rem; margin: 1.6em 0 .5em; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
    h3 { font-size: 1.1rem; margin: 1.1em 0 .4em; }
    .span { font-weight: normal; color: #555; font-size: .95rem; }
    .release-line { font-size: 1.05rem; margin: .2em 0; }
    nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
    a { color: #0b5394; }
    .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 0; }
    .figure { border: 1px solid #d0d0d0; border-left: 5px solid #0072B2; border-radius: 4px; padding: 10px 14px; }
    .figure dt { font-size: .9rem; color: #444; }
    .figure dd { margin: 0; }
    .figure .value { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
    .figure .delta { font-size: .85rem; color: #555; }
    figure { margin: 16px 0 24px; }
    figcaption { font-weight: 600; margin-bottom: 4px; }
    figcaption .note { display: block; font-weight: normal; color: #555; font-size: .9rem; }
    .chart { width: 100%; height: auto; display: block; }
    .chart-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 28px; }
    table { border-collapse: collapse; margin: 12px 0 20px; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
    th, td { border-bottom: 1px solid #e2e2e2; padding: 4px 10px; }
    thead th { border-bottom: 2px solid #888; text-align: left; }
    td { text-align: right; }
    table.cells { min-width: 70%; }
    table.cells tbody { border-top: 2px solid #bbb; }
    tr.total th, tr.total td { font-weight: 700; background: #f4f4f4; }
    th[scope="rowgroup"] { vertical-align: top; text-align: left; }
    th[scope="row"] { text-align: left; font-weight: normal; }
    tr.total th[scope="row"] { font-weight: 700; }
    table.list td, table.inputs td { text-align: left; }
    table.list td.number { text-align: right; }
    .status-ok { color: #1a7f37; font-weight: 600; }
    .status-warn { color: #b42318; font-weight: 600; }
    footer { margin-top: 32px; border-top: 1px solid #ccc; font-size: .9rem; color: #333; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88em; word-break: break-all; }
    @media (max-width: 760px) { .figures, .chart-grid { grid-template-columns: 1fr 1fr; } }
    @media print { nav { display: none; } }
    """
