/// A calendar date in the proleptic Gregorian calendar.
struct DemoDate: Equatable, Comparable, Sendable {
    var year: Int
    var month: Int
    var day: Int

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Fiscal year of the date, in which October to December count towards
    /// the next year.
    var fiscalYear: Int {
        month >= 10 ? year + 1 : year
    }

    /// The following calendar day.
    var nextDay: DemoDate {
        if day < DemoDate.daysInMonth(year: year, month: month) {
            return DemoDate(year: year, month: month, day: day + 1)
        }
        if month < 12 {
            return DemoDate(year: year, month: month + 1, day: 1)
        }
        return DemoDate(year: year + 1, month: 1, day: 1)
    }

    static func < (lhs: DemoDate, rhs: DemoDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// Date layouts that the two extracts use.
enum DemoDateStyle: Sendable {
    /// `03/04/2024`
    case monthDayYear
    /// `3/4/2024`
    case shortMonthDayYear
    /// `2024-03-04`
    case iso

    func format(_ date: DemoDate) -> String {
        switch self {
        case .monthDayYear:
            return "\(DemoFormat.padded(date.month, width: 2))/\(DemoFormat.padded(date.day, width: 2))/\(date.year)"
        case .shortMonthDayYear:
            return "\(date.month)/\(date.day)/\(date.year)"
        case .iso:
            return "\(date.year)-\(DemoFormat.padded(date.month, width: 2))-\(DemoFormat.padded(date.day, width: 2))"
        }
    }
}

/// Ways an agency writes a 16-digit FPF number.
enum DemoFPFStyle: Sendable {
    /// `2023250400012301`
    case plain
    /// `2023250400012301-0002-0000`, a CBP line item.
    case lineItem(Int)
    /// `2023-2504-000123-01`
    case dashed
    /// ` 2023 2504 000123 01 `
    case spaced

    func format(_ fpf: String) -> String {
        switch self {
        case .plain:
            return fpf
        case .lineItem(let item):
            return "\(fpf)-\(DemoFormat.padded(item, width: 4))-0000"
        case .dashed:
            return DemoFormat.groupFPF(fpf, separator: "-")
        case .spaced:
            return " " + DemoFormat.groupFPF(fpf, separator: " ") + " "
        }
    }
}

/// Text formatting that does not depend on the C library or on the
/// standard library's floating-point printing, so output bytes are the same
/// everywhere.
enum DemoFormat {
    /// Exact powers of ten from 10^0 to 10^22. Every one is representable
    /// in a Double, so each product of the repeated multiplication is exact.
    static let powersOfTen: [Double] = {
        var powers: [Double] = [1]
        for _ in 1...22 {
            powers.append(powers[powers.count - 1] * 10)
        }
        return powers
    }()

    static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        if digits.count >= width {
            return digits
        }
        return String(repeating: "0", count: width - digits.count) + digits
    }

    /// Groups 16 FPF digits as fiscal year, office, sequence and suffix.
    static func groupFPF(_ fpf: String, separator: String) -> String {
        let characters = Array(fpf)
        guard characters.count == 16 else {
            return fpf
        }
        return [String(characters[0..<4]), String(characters[4..<8]),
                String(characters[8..<14]), String(characters[14..<16])].joined(separator: separator)
    }

    /// Formats a non-negative value with `digits` significant digits in
    /// plain decimal notation, trailing zeros removed (`0.003893018957`).
    ///
    /// Values below 10^-12 lose significant digits because the scaling
    /// power stops at 10^22.
    static func significant(_ value: Double, digits: Int = 10) -> String {
        precondition(value.isFinite && value >= 0, "significant(_:) needs a finite non-negative value, got \(value)")
        if value == 0 {
            return "0"
        }
        // exponent is the e with 10^e <= value < 10^(e+1), found by
        // comparison with exact powers so no logarithm is involved. The
        // rounded product can misplace e by one at an exact power of ten,
        // which only changes the digit count by one.
        var exponent = 0
        if value >= 1 {
            while exponent < 22 && value >= powersOfTen[exponent + 1] {
                exponent += 1
            }
        } else {
            while exponent > -22 && value * powersOfTen[-exponent] < 1 {
                exponent -= 1
            }
        }
        let decimals = min(22, max(0, digits - 1 - exponent))
        return fixed(value, decimals: decimals, trimZeros: true)
    }

    /// Formats a non-negative value below 9 × 10^18 / 10^decimals with
    /// exactly `decimals` decimals, or fewer when `trimZeros` is set.
    static func fixed(_ value: Double, decimals: Int, trimZeros: Bool = false) -> String {
        let scaled = (value * powersOfTen[decimals]).rounded(.toNearestOrAwayFromZero)
        precondition(scaled < 9e18, "fixed(_:decimals:) value \(value) is too large to format")
        var digits = String(Int64(scaled))
        if decimals == 0 {
            return digits
        }
        if digits.count <= decimals {
            digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits
        }
        var integerPart = String(digits.prefix(digits.count - decimals))
        var fraction = String(digits.suffix(decimals))
        if trimZeros {
            while fraction.hasSuffix("0") {
                fraction.removeLast()
            }
        }
        if integerPart.isEmpty {
            integerPart = "0"
        }
        return fraction.isEmpty ? integerPart : integerPart + "." + fraction
    }

    /// Formats whole cents as dollars, such as `$9,372.56`.
    static func dollars(cents: Int, thousandsSeparators: Bool, dollarSign: Bool) -> String {
        let whole = cents / 100
        let fraction = padded(cents % 100, width: 2)
        var wholeText = String(whole)
        if thousandsSeparators {
            wholeText = groupThousands(wholeText)
        }
        return (dollarSign ? "$" : "") + wholeText + "." + fraction
    }

    static func groupThousands(_ digits: String) -> String {
        var groups: [String] = []
        var remaining = Substring(digits)
        while remaining.count > 3 {
            groups.insert(String(remaining.suffix(3)), at: 0)
            remaining = remaining.dropLast(3)
        }
        groups.insert(String(remaining), at: 0)
        return groups.joined(separator: ",")
    }

    /// Writes one RFC 4180 record, quoting fields that contain a comma, a
    /// quote or a line break. Surrounding blanks stay unquoted, as in the
    /// agencies' own exports.
    static func csvRecord(_ fields: [String]) -> String {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 {
                line += ","
            }
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                line += "\"" + escapeQuotes(field) + "\""
            } else {
                line += field
            }
        }
        return line
    }

    /// Doubles each quote, as RFC 4180 requires inside a quoted field.
    private static func escapeQuotes(_ field: String) -> String {
        var escaped = ""
        for character in field {
            escaped.append(character)
            if character == "\"" {
                escaped.append("\"")
            }
        }
        return escaped
    }

    /// Upper-cases the first letter of each word and lower-cases the rest,
    /// as in `Sac St. Paul`.
    static func titleCase(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard let first = word.first else {
                return ""
            }
            return first.uppercased() + word.dropFirst().lowercased()
        }.joined(separator: " ")
    }
}
