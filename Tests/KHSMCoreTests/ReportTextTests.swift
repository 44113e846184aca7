import XCTest
@testable import KHSMCore

final class ReportTextTests: XCTestCase {
    func testHTMLEscapedEscapesMarkup() {
        XCTAssertEqual(htmlEscaped("<a href='x'>\"Q&A\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&quot;Q&amp;A&quot;&lt;/a&gt;")
    }

    func testHTMLEscapedKeepsPlainText() {
        XCTAssertEqual(htmlEscaped("SAN DIEGO FIELD OFFICE, Año"), "SAN DIEGO FIELD OFFICE, Año")
    }

    func testGroupedDigitsSeparatesThousands() {
        XCTAssertEqual(groupedDigits(0), "0")
        XCTAssertEqual(groupedDigits(999), "999")
        XCTAssertEqual(groupedDigits(1000), "1,000")
        XCTAssertEqual(groupedDigits(-1_234_567), "-1,234,567")
        XCTAssertEqual(groupedDigits(Int64.min), "-9,223,372,036,854,775,808")
    }

    func testFixedDecimalsRoundsHalvesAway() {
        XCTAssertEqual(fixedDecimals(1.005, 1), "1.0")
        XCTAssertEqual(fixedDecimals(0.125, 2), "0.13")
        XCTAssertEqual(fixedDecimals(-0.125, 2), "-0.13")
        XCTAssertEqual(fixedDecimals(1234.5, 0), "1,235")
        XCTAssertEqual(fixedDecimals(0.07, 2), "0.07")
    }

    func testCompactNumberShortensLargeValues() {
        XCTAssertEqual(compactNumber(0), "0")
        XCTAssertEqual(compactNumber(950), "950")
        XCTAssertEqual(compactNumber(1000), "1k")
        XCTAssertEqual(compactNumber(12_500), "12.5k")
        XCTAssertEqual(compactNumber(26_870), "26.9k")
        XCTAssertEqual(compactNumber(3_430_570), "3.43M")
        XCTAssertEqual(compactNumber(2.5), "2.5")
    }

    func testPercentTextHandlesMissingShare() {
        XCTAssertEqual(percentText(0.010891), "1.09%")
        XCTAssertEqual(percentText(0.4086, decimals: 1), "40.9%")
        XCTAssertEqual(percentText(nil), "n/a")
    }

    func testMeasureFormatsUnits() {
        XCTAssertEqual(Measure.fentanylLbs.formatted(12_340), "12,340 lbs")
        XCTAssertEqual(Measure.pillPresses.formatted(40), "40 presses")
        XCTAssertEqual(Measure.currencyUSD.formatted(1_230), "$1,230")
        XCTAssertEqual(Measure.propertyUSD.formatted(-20), "-$20")
    }

    func testDeltaTextSignsChanges() {
        XCTAssertEqual(deltaText(10, measure: .fentanylLbs), "+10 lbs")
        XCTAssertEqual(deltaText(-130, measure: .fentanylLbs), "-130 lbs")
        XCTAssertEqual(deltaText(0, measure: .currencyUSD), "no change")
    }
}

final class BarChartTests: XCTestCase {
    /// Heights of the bars (rects with a tooltip), in drawing order.
    func barHeights(_ svg: String) -> [Double] {
        let pattern = try! NSRegularExpression(pattern: "<rect [^>]*height=\"([0-9.]+)\"[^>]*><title>")
        let range = NSRange(svg.startIndex..., in: svg)
        return pattern.matches(in: svg, range: range).map { match in
            Double(svg[Range(match.range(at: 1), in: svg)!])!
        }
    }

    func smallChart() -> BarChart {
        var chart = BarChart(id: "c", title: "Fentanyl per year", summary: "Two years, two regions.",
            axisTitle: "pounds", categories: ["FY2023", "FY2024"],
            series: [
                .init(name: "Southwest", color: "#D55E00", values: [30, 10]),
                .init(name: "North", color: "#0072B2", values: [10, 40]),
            ])
        chart.valueSuffix = " lbs"
        return chart
    }

    func testAxisTicksUseRoundSteps() {
        XCTAssertEqual(axisTicks(maximum: 27_980), [0, 10_000, 20_000, 30_000])
        XCTAssertEqual(axisTicks(maximum: 125), [0, 25, 50, 75, 100, 125])
        XCTAssertEqual(axisTicks(maximum: 8_230), [0, 2_000, 4_000, 6_000, 8_000, 10_000])
        XCTAssertEqual(axisTicks(maximum: 40), [0, 10, 20, 30, 40])
    }

    func testAxisTicksForZeroMaximum() {
        XCTAssertEqual(axisTicks(maximum: 0), [0, 1])
        XCTAssertEqual(axisTicks(maximum: -5), [0, 1])
    }

    func testSVGHasAccessibleTitle() {
        let svg = smallChart().svg
        XCTAssertTrue(svg.contains("role=\"img\""))
        XCTAssertTrue(svg.contains("aria-labelledby=\"c-title c-desc\""))
        XCTAssertTrue(svg.contains("<title id=\"c-title\">Fentanyl per year</title>"))
        XCTAssertTrue(svg.contains("<desc id=\"c-desc\">Two years, two regions.</desc>"))
    }

    func testSVGHasAxesLabelsAndLegend() {
        let svg = smallChart().svg
        XCTAssertTrue(svg.contains(">pounds</text>"), "axis title")
        XCTAssertTrue(svg.contains(">40</text>"), "top tick label")
        XCTAssertTrue(svg.contains(">FY2023</text>"), "category label")
        XCTAssertTrue(svg.contains(">Southwest</text>"), "legend entry")
        XCTAssertTrue(svg.contains("<title>North, FY2024: 40 lbs</title>"), "bar tooltip")
    }

    func testGroupedBarHeightsAreProportional() {
        let heights = barHeights(smallChart().svg)
        XCTAssertEqual(heights.count, 4)
        // Ticks run 0 to 40, so 40 fills the plot and 10 a quarter of it.
        XCTAssertEqual(heights[3], heights[1] * 4, accuracy: 0.2)
        XCTAssertEqual(heights[0], heights[1] * 3, accuracy: 0.2)
    }

    func testStackedBarsAddUp() {
        var chart = smallChart()
        chart.isStacked = true
        chart.stackLabels = ["40", "50"]
        let svg = chart.svg
        let heights = barHeights(svg)
        XCTAssertEqual(heights.count, 4)
        // The first stack is 30 + 10 and the second 10 + 40.
        XCTAssertEqual((heights[2] + heights[3]) / (heights[0] + heights[1]), 50.0 / 40.0, accuracy: 0.01)
        XCTAssertTrue(svg.contains(">50</text>"), "stack label")
    }

    func testNegativeValuesDrawnAsZero() {
        var chart = smallChart()
        chart.series[0].values = [-30, 10]
        let heights = barHeights(chart.svg)
        XCTAssertEqual(heights[0], 0)
    }

    func testGroupLabelsSpanCategories() {
        var chart = smallChart()
        chart.categories = ["Q1", "Q2", "Q1", "Q2"]
        chart.groups = ["FY2023", "FY2023", "FY2024", "FY2024"]
        chart.series = [.init(name: "Southwest", color: "#D55E00", values: [1, 2, 3, 4])]
        let svg = chart.svg
        XCTAssertEqual(svg.components(separatedBy: ">FY2023</text>").count - 1, 1)
        XCTAssertEqual(svg.components(separatedBy: ">FY2024</text>").count - 1, 1)
        XCTAssertTrue(svg.contains("<title>Southwest, Q2 FY2024: 4 lbs</title>"))
    }

    func testSVGEscapesNames() {
        var chart = smallChart()
        chart.title = "A <b> & C"
        chart.series[0].name = "<script>"
        let svg = chart.svg
        XCTAssertFalse(svg.contains("<script>"))
        XCTAssertFalse(svg.contains("<b>"))
        XCTAssertTrue(svg.contains("A &lt;b&gt; &amp; C"))
    }
}
