/// Escapes text for HTML element content and quoted attribute values (`&`, `<`, `>`, `"`, `'`).
public func htmlEscaped(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.append(character)
        }
    }
    return escaped
}

/// Writes an integer with thousands separators, like `-12,340`.
public func groupedDigits(_ value: Int64) -> String {
    (value < 0 ? "-" : "") + groupedDigits(magnitude: value.magnitude)
}

private func groupedDigits(magnitude: UInt64) -> String {
    let digits = String(magnitude)
    var grouped = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
        grouped.append(digit)
    }
    return grouped
}

/// Writes a share as a percentage with `decimals` decimals, like `1.09%`; nil reads `n/a`.
func percentText(_ share: Double?, decimals: Int = 2) -> String {
    guard let share else { return "n/a" }
    return fixedDecimals(share * 100, decimals) + "%"
}

/// Writes `value` with exactly `decimals` decimals and thousands separators, halves away
/// from zero.
func fixedDecimals(_ value: Double, _ decimals: Int) -> String {
    var scale: UInt64 = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((value * Double(scale)).rounded(.toNearestOrAwayFromZero))
    let sign = scaled < 0 ? "-" : ""
    let whole = groupedDigits(magnitude: scaled.magnitude / scale)
    guard decimals > 0 else { return sign + whole }
    var fraction = String(scaled.magnitude % scale)
    while fraction.count < decimals { fraction = "0" + fraction }
    return sign + whole + "." + fraction
}

/// Writes a number in a short form for chart labels: `950`, `12.5k`, `3.2M`, with at most
/// three significant digits above a thousand.
func compactNumber(_ value: Double) -> String {
    let magnitude = abs(value)
    let sign = value < 0 ? "-" : ""
    func trimmed(_ number: Double, _ suffix: String) -> String {
        let decimals = number >= 100 ? 0 : (number >= 10 ? 1 : 2)
        var text = fixedDecimals(number, decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return sign + text + suffix
    }
    if magnitude >= 999_500 { return trimmed(magnitude / 1_000_000, "M") }
    if magnitude >= 1_000 { return trimmed(magnitude / 1_000, "k") }
    if magnitude == magnitude.rounded() { return sign + groupedDigits(Int64(magnitude)) }
    return trimmed(magnitude, "")
}

extension Measure {
    /// Name of the measure for readers.
    public var title: String {
        switch self {
        case .fentanylLbs: return "Fentanyl"
        case .pillPresses: return "Pill presses"
        case .currencyUSD: return "U.S. currency"
        case .propertyUSD: return "Personal property"
        }
    }

    /// Unit of the published value, as written after a number or on an axis.
    public var unitName: String {
        switch self {
        case .fentanylLbs: return "pounds"
        case .pillPresses: return "presses"
        case .currencyUSD, .propertyUSD: return "U.S. dollars"
        }
    }

    /// Writes a published value with its unit, like `12,340 lbs`, `40 presses` or `$1,230`.
    public func formatted(_ published: Int64) -> String {
        switch self {
        case .fentanylLbs: return groupedDigits(published) + " lbs"
        case .pillPresses: return groupedDigits(published) + " presses"
        case .currencyUSD, .propertyUSD:
            return (published < 0 ? "-$" : "$") + groupedDigits(magnitude: published.magnitude)
        }
    }

    /// Writes a published value for table cells, without its unit unless dollars: `12,340` or
    /// `$1,230`.
    func tableText(_ published: Int64) -> String {
        isMoney ? formatted(published) : groupedDigits(published)
    }
}
