import Foundation

/// A bar chart of published values, drawn as inline SVG by `svg`: per category, one bar per
/// series side by side, or one stacked bar.
public struct BarChart: Sendable {
    /// One series of bars: a legend entry with a value per category.
    public struct Series: Sendable {
        public var name: String
        /// A CSS color, such as `#0072B2`.
        public var color: String
        /// One value per category. Negative values are drawn as 0.
        public var values: [Int64]

        public init(name: String, color: String, values: [Int64]) {
            self.name = name
            self.color = color
            self.values = values
        }
    }

    /// Prefix of the SVG element ids, unique within the page.
    public var id: String
    public var title: String
    /// Text alternative for the whole chart, read by screen readers.
    public var summary: String
    /// Title of the value axis, with its unit, such as `pounds`.
    public var axisTitle: String
    /// Written before values in labels and tooltips, such as `$`.
    public var valuePrefix = ""
    /// Written after values in tooltips, such as ` lbs`.
    public var valueSuffix = ""
    /// Label under each bar or group of bars.
    public var categories: [String]
    /// Optional second row of labels, one per category: consecutive equal entries share one
    /// label, centered under them.
    public var groups: [String] = []
    public var series: [Series]
    public var isStacked = false
    /// Stacked charts: text above each stack, one per category (empty for none). Side-by-side
    /// bars are each labelled with their own value.
    public var stackLabels: [String] = []
    public var width = 960.0
    public var height = 380.0

    public init(id: String, title: String, summary: String, axisTitle: String, categories: [String],
        series: [Series])
    {
        self.id = id
        self.title = title
        self.summary = summary
        self.axisTitle = axisTitle
        self.categories = categories
        self.series = series
    }
}

/// Tick values for a value axis from 0 to at least `maximum`: about `targetCount` steps of 1,
/// 2, 2.5 or 5 times a power of ten. Returns `[0, 1]` when `maximum` is not positive.
public func axisTicks(maximum: Double, targetCount: Int = 5) -> [Double] {
    guard maximum > 0, maximum.isFinite, targetCount > 0 else { return [0, 1] }
    let rough = maximum / Double(targetCount)
    let magnitude = pow(10, floor(log10(rough)))
    let residual = rough / magnitude
    let factor: Double
    switch residual {
    case ...1: factor = 1
    case ...2: factor = 2
    case ...2.5: factor = 2.5
    case ...5: factor = 5
    default: factor = 10
    }
    let step = factor * magnitude
    let count = Int((maximum / step).rounded(.up))
    return (0...count).map { Double($0) * step }
}

extension BarChart {
    private var plotLeft: Double { 76 }
    private var plotRight: Double { width - 16 }
    private var plotTop: Double { 44 }
    private var plotBottom: Double { height - (groups.isEmpty ? 34 : 56) }

    /// The largest bar: the highest stack, or the highest single value.
    var maximumValue: Int64 {
        var maximum: Int64 = 0
        for index in categories.indices {
            let values = series.map { index < $0.values.count ? max($0.values[index], 0) : 0 }
            maximum = max(maximum, isStacked ? values.reduce(0, +) : (values.max() ?? 0))
        }
        return maximum
    }

    /// The chart as an `<svg>` element with a `<title>` and `<desc>`, axes, tick labels, a
    /// legend and one `<rect>` per bar, each with a tooltip naming its series, category and
    /// value.
    public var svg: String {
        let ticks = axisTicks(maximum: Double(maximumValue))
        let top = ticks.last!
        func y(_ value: Double) -> Double { plotBottom - value / top * (plotBottom - plotTop) }

        let titleID = htmlEscaped(id + "-title")
        let descriptionID = htmlEscaped(id + "-desc")
        var parts: [String] = []
        parts.append("""
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" \
            aria-labelledby="\(titleID) \(descriptionID)" viewBox="0 0 \(number(width)) \(number(height))" \
            font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif" font-size="13">
            <title id="\(titleID)">\(htmlEscaped(title))</title>
            <desc id="\(descriptionID)">\(htmlEscaped(summary))</desc>
            """)
        parts.append(legend())
        parts.append(valueAxis(ticks: ticks, y: y))
        parts.append(bars(y: y))
        parts.append(categoryAxis())
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    private func legend() -> String {
        var text = "<g class=\"legend\">"
        var x = plotLeft
        for entry in series {
            text += "<rect x=\"\(number(x))\" y=\"12\" width=\"14\" height=\"14\" fill=\"\(htmlEscaped(entry.color))\"/>"
            text += "<text x=\"\(number(x + 20))\" y=\"24\">\(htmlEscaped(entry.name))</text>"
            x += 36 + Double(entry.name.count) * 7.5
        }
        return text + "</g>"
    }

    private func valueAxis(ticks: [Double], y: (Double) -> Double) -> String {
        var text = "<g class=\"value-axis\">"
        for tick in ticks {
            let position = number(y(tick))
            text += "<line x1=\"\(number(plotLeft))\" x2=\"\(number(plotRight))\" y1=\"\(position)\" y2=\"\(position)\" stroke=\"\(tick == 0 ? "#444" : "#ddd")\" stroke-width=\"1\"/>"
            text += "<text x=\"\(number(plotLeft - 8))\" y=\"\(number(y(tick) + 4))\" text-anchor=\"end\" fill=\"#333\">\(htmlEscaped(valuePrefix + compactNumber(tick)))</text>"
        }
        let middle = number((plotTop + plotBottom) / 2)
        text += "<text x=\"16\" y=\"\(middle)\" transform=\"rotate(-90 16 \(middle))\" text-anchor=\"middle\" fill=\"#333\">\(htmlEscaped(axisTitle))</text>"
        return text + "</g>"
    }

    private var bandWidth: Double { (plotRight - plotLeft) / Double(max(categories.count, 1)) }

    private func bars(y: (Double) -> Double) -> String {
        var text = "<g class=\"bars\">"
        let barArea = bandWidth * 0.72
        for (index, category) in categories.enumerated() {
            let bandLeft = plotLeft + Double(index) * bandWidth
            let categoryName = groups.indices.contains(index) ? "\(category) \(groups[index])" : category
            if isStacked {
                let barWidth = min(barArea, 90)
                let x = bandLeft + (bandWidth - barWidth) / 2
                var base: Int64 = 0
                for entry in series {
                    let value = max(entry.values.indices.contains(index) ? entry.values[index] : 0, 0)
                    text += bar(x: x, width: barWidth, from: y(Double(base)), to: y(Double(base + value)),
                        color: entry.color, tooltip: "\(entry.name), \(categoryName): \(valueText(value))")
                    base += value
                }
                if stackLabels.indices.contains(index) {
                    text += "<text class=\"bar-label\" x=\"\(number(x + barWidth / 2))\" y=\"\(number(y(Double(base)) - 6))\" text-anchor=\"middle\" fill=\"#222\">\(htmlEscaped(stackLabels[index]))</text>"
                }
            } else {
                let barWidth = barArea / Double(max(series.count, 1))
                var x = bandLeft + (bandWidth - barArea) / 2
                for entry in series {
                    let value = max(entry.values.indices.contains(index) ? entry.values[index] : 0, 0)
                    text += bar(x: x, width: barWidth, from: y(0), to: y(Double(value)), color: entry.color,
                        tooltip: "\(entry.name), \(categoryName): \(valueText(value))")
                    if barWidth >= 22 {
                        text += "<text class=\"bar-label\" x=\"\(number(x + barWidth / 2))\" y=\"\(number(y(Double(value)) - 5))\" text-anchor=\"middle\" font-size=\"12\" fill=\"#222\">\(htmlEscaped(valuePrefix + compactNumber(Double(value))))</text>"
                    }
                    x += barWidth
                }
            }
        }
        return text + "</g>"
    }

    private func bar(x: Double, width: Double, from bottom: Double, to top: Double, color: String,
        tooltip: String) -> String
    {
        "<rect x=\"\(number(x))\" y=\"\(number(top))\" width=\"\(number(width))\" height=\"\(number(bottom - top))\" fill=\"\(htmlEscaped(color))\"><title>\(htmlEscaped(tooltip))</title></rect>"
    }

    private func categoryAxis() -> String {
        var text = "<g class=\"category-axis\">"
        for (index, category) in categories.enumerated() {
            let center = plotLeft + (Double(index) + 0.5) * bandWidth
            text += "<text x=\"\(number(center))\" y=\"\(number(plotBottom + 20))\" text-anchor=\"middle\" fill=\"#222\">\(htmlEscaped(category))</text>"
        }
        var start = 0
        while start < groups.count {
            var end = start
            while end + 1 < groups.count && groups[end + 1] == groups[start] { end += 1 }
            let left = plotLeft + Double(start) * bandWidth
            let right = plotLeft + Double(end + 1) * bandWidth
            text += "<text x=\"\(number((left + right) / 2))\" y=\"\(number(plotBottom + 44))\" text-anchor=\"middle\" font-weight=\"600\" fill=\"#222\">\(htmlEscaped(groups[start]))</text>"
            if end + 1 < groups.count {
                text += "<line x1=\"\(number(right))\" x2=\"\(number(right))\" y1=\"\(number(plotTop))\" y2=\"\(number(plotBottom + 48))\" stroke=\"#999\" stroke-dasharray=\"3 3\"/>"
            }
            start = end + 1
        }
        return text + "</g>"
    }

    private func valueText(_ value: Int64) -> String {
        valuePrefix + groupedDigits(value) + valueSuffix
    }
}

/// Writes a coordinate with at most one decimal, without a trailing `.0`.
private func number(_ value: Double) -> String {
    let tenths = Int64((value * 10).rounded())
    if tenths % 10 == 0 { return String(tenths / 10) }
    return String(Double(tenths) / 10)
}
