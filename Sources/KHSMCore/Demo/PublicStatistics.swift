/// One row of CBP's public drug seizure statistics for fentanyl: the events
/// and pounds that one component published for one month and AOR.
public struct PublicFentanylEvent: Equatable, Sendable {
    /// Fiscal year. FY N runs from October N-1 to September N.
    public var fiscalYear: Int
    /// Calendar month, 1 (January) through 12 (December).
    public var month: Int
    /// `OFO` or `USBP`.
    public var component: String
    /// Area of responsibility as published, whitespace collapsed.
    public var aor: String
    /// Number of seizure events.
    public var events: Int
    /// Fentanyl seized, in pounds.
    public var pounds: Double

    public init(fiscalYear: Int, month: Int, component: String, aor: String, events: Int, pounds: Double) {
        self.fiscalYear = fiscalYear
        self.month = month
        self.component = component
        self.aor = aor
        self.events = events
        self.pounds = pounds
    }

    /// Calendar year of the month, in which October to December of FY N
    /// fall in N-1.
    public var calendarYear: Int {
        month >= 10 ? fiscalYear - 1 : fiscalYear
    }
}

/// An invalid header or value in a public statistics file.
public enum PublicStatisticsError: Error, Equatable, CustomStringConvertible {
    case missingColumn(String)
    case duplicateColumn(String)
    case wrongFieldCount(row: Int, expected: Int, found: Int)
    case invalidValue(row: Int, column: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .missingColumn(let name):
            return "public statistics header is missing the column '\(name)'"
        case .duplicateColumn(let name):
            return "public statistics header names the column '\(name)' twice"
        case .wrongFieldCount(let row, let expected, let found):
            return "public statistics data row \(row) has \(found) fields, expected \(expected) as in the header"
        case .invalidValue(let row, let column, let value, let expected):
            return "public statistics data row \(row): invalid \(column) '\(value)', expected \(expected)"
        }
    }
}

/// Reader for CBP's public drug seizure statistics (columns `FY`,
/// `Month (abbv)`, `Component`, `Region`, `Land Filter`,
/// `Area of Responsibility`, `Drug Type`, `Count of Event`, `Sum Qty (lbs)`).
public enum PublicStatistics {
    static let fiscalYearColumn = "FY"
    static let monthColumn = "Month (abbv)"
    static let componentColumn = "Component"
    static let aorColumn = "Area of Responsibility"
    static let drugTypeColumn = "Drug Type"
    static let eventsColumn = "Count of Event"
    static let poundsColumn = "Sum Qty (lbs)"

    static let monthAbbreviations = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    /// Extracts the fentanyl rows from already parsed CSV records.
    ///
    /// Header names match case-insensitively after trimming and collapsing
    /// whitespace, and a leading byte order mark is ignored. Rows whose
    /// `Drug Type` is not `Fentanyl` are skipped without checking their
    /// numbers, and so are rows whose fields are all empty. Data rows are
    /// numbered from 1, the header not counted.
    ///
    /// - Throws: `PublicStatisticsError` for a missing or repeated column, a
    ///   row with a different number of fields than the header, or an
    ///   invalid fiscal year, month, component, event count or pound figure.
    public static func fentanylEvents(header: [String], rows: [[String]]) throws -> [PublicFentanylEvent] {
        let columns = try columnIndexes(header: header)
        var events: [PublicFentanylEvent] = []
        for (offset, row) in rows.enumerated() {
            let rowNumber = offset + 1
            if row.allSatisfy({ collapseWhitespace($0).isEmpty }) {
                continue
            }
            guard row.count == header.count else {
                throw PublicStatisticsError.wrongFieldCount(row: rowNumber, expected: header.count, found: row.count)
            }
            let drugType = collapseWhitespace(row[columns.drugType])
            guard drugType.lowercased() == "fentanyl" else {
                continue
            }
            let event = PublicFentanylEvent(
                fiscalYear: try parseFiscalYear(row[columns.fiscalYear], row: rowNumber),
                month: try parseMonth(row[columns.month], row: rowNumber),
                component: try parseComponent(row[columns.component], row: rowNumber),
                aor: collapseWhitespace(row[columns.aor]),
                events: try parseEventCount(row[columns.events], row: rowNumber),
                pounds: try parsePounds(row[columns.pounds], row: rowNumber)
            )
            events.append(event)
        }
        return events
    }

    private struct ColumnIndexes {
        var fiscalYear: Int
        var month: Int
        var component: Int
        var aor: Int
        var drugType: Int
        var events: Int
        var pounds: Int
    }

    private static func columnIndexes(header: [String]) throws -> ColumnIndexes {
        var indexByName: [String: Int] = [:]
        var duplicates: Set<String> = []
        for (index, name) in header.enumerated() {
            let key = headerKey(name)
            if indexByName[key] != nil {
                duplicates.insert(key)
            } else {
                indexByName[key] = index
            }
        }
        func index(of column: String) throws -> Int {
            let key = headerKey(column)
            if duplicates.contains(key) {
                throw PublicStatisticsError.duplicateColumn(column)
            }
            guard let index = indexByName[key] else {
                throw PublicStatisticsError.missingColumn(column)
            }
            return index
        }
        return ColumnIndexes(
            fiscalYear: try index(of: fiscalYearColumn),
            month: try index(of: monthColumn),
            component: try index(of: componentColumn),
            aor: try index(of: aorColumn),
            drugType: try index(of: drugTypeColumn),
            events: try index(of: eventsColumn),
            pounds: try index(of: poundsColumn)
        )
    }

    private static func headerKey(_ name: String) -> String {
        var text = name
        if text.hasPrefix("\u{FEFF}") {
            text.removeFirst()
        }
        return collapseWhitespace(text).lowercased()
    }

    /// Trims the text and replaces each run of inner whitespace by one space.
    static func collapseWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Parses `2024` or a year followed by a note in parentheses, as in
    /// `2025 (FYTD)`.
    private static func parseFiscalYear(_ text: String, row: Int) throws -> Int {
        let value = collapseWhitespace(text)
        let digits = value.prefix(while: { $0.isASCII && $0.isNumber })
        let note = value.dropFirst(digits.count).drop(while: { $0 == " " })
        let noteIsValid = note.isEmpty || (note.hasPrefix("(") && note.hasSuffix(")"))
        guard digits.count == 4, noteIsValid,
              let year = Int(digits) else {
            throw PublicStatisticsError.invalidValue(
                row: row, column: fiscalYearColumn, value: text,
                expected: "a four-digit fiscal year such as 2024 or 2025 (FYTD)")
        }
        return year
    }

    /// Parses a month abbreviation (`APR`), full name (`April`) or number
    /// (`4`), case-insensitively.
    private static func parseMonth(_ text: String, row: Int) throws -> Int {
        let value = collapseWhitespace(text).uppercased()
        if let number = Int(value), (1...12).contains(number) {
            return number
        }
        let fullNames = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY",
                         "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"]
        if let index = monthAbbreviations.firstIndex(of: value) {
            return index + 1
        }
        if let index = fullNames.firstIndex(of: value) {
            return index + 1
        }
        if value == "SEPT" {
            return 9
        }
        throw PublicStatisticsError.invalidValue(
            row: row, column: monthColumn, value: text,
            expected: "a month such as APR, April or 4")
    }

    private static func parseComponent(_ text: String, row: Int) throws -> String {
        switch collapseWhitespace(text).lowercased() {
        case "office of field operations", "ofo":
            return "OFO"
        case "u.s. border patrol", "us border patrol", "border patrol", "usbp":
            return "USBP"
        default:
            throw PublicStatisticsError.invalidValue(
                row: row, column: componentColumn, value: text,
                expected: "Office of Field Operations or U.S. Border Patrol")
        }
    }

    /// Parses a non-negative whole number, with or without thousands
    /// separators in groups of three.
    private static func parseEventCount(_ text: String, row: Int) throws -> Int {
        let value = collapseWhitespace(text)
        guard let plain = removeThousandsSeparators(value),
              !plain.isEmpty, plain.allSatisfy({ $0.isASCII && $0.isNumber }),
              let count = Int(plain) else {
            throw PublicStatisticsError.invalidValue(
                row: row, column: eventsColumn, value: text,
                expected: "a whole number of events")
        }
        return count
    }

    /// Parses a non-negative decimal number of pounds, with optional
    /// thousands separators and an optional exponent (`3.95E-05`).
    private static func parsePounds(_ text: String, row: Int) throws -> Double {
        let value = collapseWhitespace(text)
        let allowed = Set("0123456789.eE+-")
        guard let plain = removeThousandsSeparators(value),
              !plain.isEmpty, plain.allSatisfy({ allowed.contains($0) }),
              let pounds = Double(plain), pounds.isFinite, pounds >= 0 else {
            throw PublicStatisticsError.invalidValue(
                row: row, column: poundsColumn, value: text,
                expected: "a non-negative number of pounds")
        }
        return pounds
    }

    /// Returns the number without its thousands separators, or nil when the
    /// commas are not in groups of three before the decimal point.
    private static func removeThousandsSeparators(_ value: String) -> String? {
        guard value.contains(",") else {
            return value
        }
        let decimalStart = value.firstIndex(where: { $0 == "." || $0 == "e" || $0 == "E" }) ?? value.endIndex
        let integerPart = value[..<decimalStart]
        let groups = integerPart.split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count),
              groups.dropFirst().allSatisfy({ $0.count == 3 }),
              !value[decimalStart...].contains(",") else {
            return nil
        }
        return groups.joined() + value[decimalStart...]
    }
}
