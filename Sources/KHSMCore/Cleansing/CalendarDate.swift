/// A calendar day, without time zone; ordered, and written as YYYY-MM-DD.
public struct CalendarDate: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates the date when it exists in the Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= CalendarDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, the form used on the command line and in the database.
    public init?(iso text: String) {
        // Read on bytes, because stored line items are loaded by the million.
        var fields = (year: 0, month: 0, day: 0)
        var count = 0
        for byte in text.utf8 {
            switch count {
            case 4, 7:
                guard byte == UInt8(ascii: "-") else { return nil }
            case 0..<10:
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                let digit = Int(byte - UInt8(ascii: "0"))
                if count < 4 {
                    fields.year = fields.year * 10 + digit
                } else if count < 7 {
                    fields.month = fields.month * 10 + digit
                } else {
                    fields.day = fields.day * 10 + digit
                }
            default:
                return nil
            }
            count += 1
        }
        guard count == 10 else { return nil }
        self.init(year: fields.year, month: fields.month, day: fields.day)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    public var description: String {
        guard year >= 1000 else {
            let monthText = month < 10 ? "0\(month)" : "\(month)"
            let dayText = day < 10 ? "0\(day)" : "\(day)"
            return "\(year)-\(monthText)-\(dayText)"
        }
        // Written as bytes, because every stored line item and seizure formats its date.
        return String(unsafeUninitializedCapacity: 10) { bytes in
            func write(_ value: Int, digits: Int, at offset: Int) {
                var rest = value
                for position in stride(from: offset + digits - 1, through: offset, by: -1) {
                    bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            write(year, digits: 4, at: 0)
            bytes[4] = UInt8(ascii: "-")
            write(month, digits: 2, at: 5)
            bytes[7] = UInt8(ascii: "-")
            write(day, digits: 2, at: 8)
            return 10
        }
    }

    /// Fiscal year N runs from 1 October of N-1 to 30 September of N.
    public var fiscalYear: Int { month >= 10 ? year + 1 : year }

    /// Q1 is October to December.
    public var fiscalQuarter: String {
        switch month {
        case 10...12: return "Q1"
        case 1...3: return "Q2"
        case 4...6: return "Q3"
        default: return "Q4"
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for date differences.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil algorithm.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func < (left: CalendarDate, right: CalendarDate) -> Bool {
        (left.year, left.month, left.day) < (right.year, right.month, right.day)
    }

    /// The last day of the fiscal quarter that contains this date.
    public var endOfFiscalQuarter: CalendarDate {
        let endMonth = ((month - 1) / 3) * 3 + 3
        return CalendarDate(year: year, month: endMonth,
            day: CalendarDate.daysInMonth(year: year, month: endMonth))!
    }

    /// The last day of the previous fiscal quarter.
    public var endOfPreviousFiscalQuarter: CalendarDate {
        let startMonth = ((month - 1) / 3) * 3 + 1
        if startMonth == 1 { return CalendarDate(year: year - 1, month: 12, day: 31)! }
        let endMonth = startMonth - 1
        return CalendarDate(year: year, month: endMonth,
            day: CalendarDate.daysInMonth(year: year, month: endMonth))!
    }
}

/// A date layout of an agency, such as `MM/DD/YYYY`: tokens YYYY (four digits), MM and DD (two
/// digits), M and D (one or two digits), separated by literal characters.
public struct DateFormat: Sendable, CustomStringConvertible {
    enum Token: Equatable {
        case year, month(flexible: Bool), day(flexible: Bool)
        /// A literal character as its ASCII byte, or nil for a non-ASCII character, which matches
        /// nothing.
        case literal(UInt8?)
    }

    let tokens: [Token]
    public let description: String

    public init?(_ pattern: String) {
        var tokens: [Token] = []
        var rest = Substring(pattern)
        while let first = rest.first {
            if rest.hasPrefix("YYYY") {
                tokens.append(.year)
                rest = rest.dropFirst(4)
            } else if rest.hasPrefix("MM") {
                tokens.append(.month(flexible: false))
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("DD") {
                tokens.append(.day(flexible: false))
                rest = rest.dropFirst(2)
            } else if first == "M" {
                tokens.append(.month(flexible: true))
                rest = rest.dropFirst()
            } else if first == "D" {
                tokens.append(.day(flexible: true))
                rest = rest.dropFirst()
            } else if first.isLetter || first.isNumber {
                return nil
            } else {
                tokens.append(.literal(first.asciiValue))
                rest = rest.dropFirst()
            }
        }
        guard tokens.contains(.year) else { return nil }
        self.tokens = tokens
        description = pattern
    }

    /// Parses `text` exactly (no extra characters); nil when it does not fit or is no real date.
    public func parse(_ text: Substring) -> CalendarDate? {
        var text = text
        return text.withUTF8(parse(bytes:))
    }

    // Reads the bytes through a pointer, because this runs for every line of an extract.
    private func parse(bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        var year: Int?
        var month: Int?
        var day: Int?
        var position = 0
        for token in tokens {
            switch token {
            case .literal(let expected):
                guard let expected, position < bytes.count, bytes[position] == expected else { return nil }
                position += 1
            case .year:
                guard let value = DateFormat.digits(bytes, &position, minimum: 4, maximum: 4) else { return nil }
                year = value
            case .month(let flexible):
                guard let value = DateFormat.digits(bytes, &position, minimum: flexible ? 1 : 2, maximum: 2)
                else { return nil }
                month = value
            case .day(let flexible):
                guard let value = DateFormat.digits(bytes, &position, minimum: flexible ? 1 : 2, maximum: 2)
                else { return nil }
                day = value
            }
        }
        guard position == bytes.count, let year, let month, let day else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int, minimum: Int,
        maximum: Int) -> Int?
    {
        var value = 0
        var count = 0
        while count < maximum, position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
            value = value * 10 + Int(bytes[position] - 48)
            count += 1
            position += 1
        }
        return count >= minimum ? value : nil
    }
}
