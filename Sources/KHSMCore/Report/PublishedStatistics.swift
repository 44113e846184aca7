import Foundation

/// One fentanyl row of CBP's public drug seizure statistics: the events and pounds one
/// component published for one month and area of responsibility.
public struct PublishedFentanylRow: Sendable, Equatable {
    /// Fiscal year; FY N runs from October N-1 to September N.
    public var fiscalYear: Int
    /// Calendar month, 1 (January) to 12 (December).
    public var month: Int
    /// Area of responsibility as published, whitespace collapsed.
    public var aor: String
    public var events: Int
    public var pounds: Double
    /// Physical line of the file where the row starts (the header is line 1).
    public var line: Int

    public init(fiscalYear: Int, month: Int, aor: String, events: Int, pounds: Double, line: Int) {
        self.fiscalYear = fiscalYear
        self.month = month
        self.aor = aor
        self.events = events
        self.pounds = pounds
        self.line = line
    }
}

/// A public statistics file that cannot be read, with the file and line.
public struct PublishedStatisticsError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(file):\(line): \(message)" }
}

/// Reader for CBP's public drug seizure statistics CSV (columns `FY`, `Month (abbv)`,
/// `Component`, `Region`, `Land Filter`, `Area of Responsibility`, `Drug Type`,
/// `Count of Event`, `Sum Qty (lbs)`).
public enum PublishedStatistics {
    /// The columns the comparison uses; the others may be absent.
    static let usedColumns = ["FY", "Month (abbv)", "Area of Responsibility", "Drug Type", "Count of Event",
        "Sum Qty (lbs)"]
    static let monthAbbreviations = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"]
    static let monthNames = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
        "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"]

    /// Reads the fentanyl rows (`Drug Type` `Fentanyl`, in any case) of the file at `path`.
    /// Headers match case-insensitively after collapsing whitespace. Rows of other drugs are
    /// skipped without checking their numbers, and so are blank rows.
    ///
    /// - Throws: `CSVError` for a file that is not valid CSV, `PublishedStatisticsError` for a
    ///   missing or repeated column, a row with another number of fields than the header, or an
    ///   invalid fiscal year, month, event count or pound figure.
    public static func readFentanylRows(path: String) throws -> [PublishedFentanylRow] {
        var reader = try CSVReader(path: path)
        let name = (path as NSString).lastPathComponent
        guard let header = try reader.next() else { return [] }
        let columns = try columnIndexes(header: header.fields, file: name)
        var rows: [PublishedFentanylRow] = []
        while let record = try reader.next() {
            if record.isBlank { continue }
            if let row = try fentanylRow(record, columns: columns, fieldCount: header.fields.count, file: name) {
                rows.append(row)
            }
        }
        return rows
    }

    /// Parses one data record; nil when it is about another drug.
    static func fentanylRow(_ record: CSVRecord, columns: [String: Int], fieldCount: Int, file: String) throws
        -> PublishedFentanylRow?
    {
        func fail(_ message: String) -> PublishedStatisticsError {
            PublishedStatisticsError(file: file, line: record.line, message: message)
        }
        guard record.fields.count == fieldCount else {
            throw fail("the row has \(record.fields.count) fields, the header \(fieldCount)")
        }
        func field(_ column: String) -> String { record.fields[columns[collapsedKey(column)]!] }
        guard collapsedKey(field("Drug Type")) == "FENTANYL" else { return nil }
        guard let fiscalYear = parseFiscalYear(field("FY")) else {
            throw fail("invalid FY '\(field("FY"))'; expected a fiscal year such as 2024 or 2025 (FYTD)")
        }
        guard let month = parseMonth(field("Month (abbv)")) else {
            throw fail("invalid Month (abbv) '\(field("Month (abbv)"))'; expected a month such as APR")
        }
        let countText = field("Count of Event").trimmingCharacters(in: .whitespaces)
        guard let count = DecimalNumber(Substring(countText))?.integerValue, count >= 0, count <= Int64(Int32.max)
        else {
            throw fail("invalid Count of Event '\(countText)'; expected a whole number of events")
        }
        let poundsText = field("Sum Qty (lbs)").trimmingCharacters(in: .whitespaces)
        guard let pounds = DecimalNumber(Substring(poundsText)), !pounds.isNegative, pounds.doubleValue.isFinite else {
            throw fail("invalid Sum Qty (lbs) '\(poundsText)'; expected a number of pounds")
        }
        let aor = collapsedKey(field("Area of Responsibility"))
        guard !aor.isEmpty else { throw fail("the Area of Responsibility is empty") }
        return PublishedFentanylRow(fiscalYear: fiscalYear, month: month, aor: aor,
            events: Int(count), pounds: pounds.doubleValue, line: record.line)
    }

    /// Maps each used column's key to its index; throws when one is missing or repeated.
    static func columnIndexes(header: [String], file: String) throws -> [String: Int] {
        var indexes: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            let key = collapsedKey(name)
            if usedColumns.contains(where: { collapsedKey($0) == key }) && indexes[key] != nil {
                throw PublishedStatisticsError(file: file, line: 1, message: "the header names the column '\(name)' twice")
            }
            indexes[key] = index
        }
        let missing = usedColumns.filter { indexes[collapsedKey($0)] == nil }
        guard missing.isEmpty else {
            throw PublishedStatisticsError(file: file, line: 1,
                message: "the header lacks the columns \(missing.map { "'\($0)'" }.joined(separator: ", ")); expected CBP's drug seizure statistics with \(usedColumns.joined(separator: ", "))")
        }
        return indexes
    }

    /// Parses `2024`, or a year followed by a note in parentheses, such as `2025 (FYTD)`.
    static func parseFiscalYear(_ text: String) -> Int? {
        let value = collapsedKey(text)
        let digits = value.prefix { $0.isASCII && $0.isNumber }
        let rest = value.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard digits.count == 4, let year = Int(digits), year >= 1900 else { return nil }
        guard rest.isEmpty || (rest.hasPrefix("(") && rest.hasSuffix(")")) else { return nil }
        return year
    }

    /// Parses a month abbreviation (`APR`, `SEPT`) or full name (`April`), in any case.
    static func parseMonth(_ text: String) -> Int? {
        let value = collapsedKey(text)
        if let index = monthAbbreviations.firstIndex(of: value) { return index + 1 }
        if let index = monthNames.firstIndex(of: value) { return index + 1 }
        return value == "SEPT" ? 9 : nil
    }
}
