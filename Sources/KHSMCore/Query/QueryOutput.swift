import Foundation

/// The text of a result value, or nil for NULL. A REAL is written in the shortest form that
/// reads back to the same double, such as `4210.0` or `1e-05`.
func resultText(_ value: SQLValue) -> String? {
    switch value {
    case .null: return nil
    case .integer(let number): return String(number)
    case .real(let number): return "\(number)"
    case .text(let text): return text
    }
}

/// Writes result sets as CSV (RFC 4180, LF line ends): a header, then one line per row, with
/// NULL as an empty field. Rows are written as they arrive, so the output has no size limit.
public final class CSVResultWriter: QueryResultWriter {
    private let output: (String) -> Void

    public init(output: @escaping (String) -> Void) {
        self.output = output
    }

    public func beginResult(columns: [String]) {
        output(columns.map(csvField).joined(separator: ",") + "\n")
    }

    public func writeRow(_ values: [SQLValue]) {
        output(values.map { resultText($0).map(csvField) ?? "" }.joined(separator: ",") + "\n")
    }

    public func endResult() {}
}

/// Writes a result set as a JSON array of objects, one per row, keyed by column name: INTEGER
/// and REAL as numbers, TEXT as strings, NULL as null. Infinite REAL values, which JSON has no
/// literal for, become the strings "Infinity" and "-Infinity". Rows are written as they arrive.
public final class JSONResultWriter: QueryResultWriter {
    private let output: (String) -> Void
    private var columns: [String] = []
    private var rowCount = 0

    public init(output: @escaping (String) -> Void) {
        self.output = output
    }

    public func beginResult(columns: [String]) {
        self.columns = columns.map(jsonStringLiteral)
        rowCount = 0
        output("[")
    }

    public func writeRow(_ values: [SQLValue]) {
        let members = zip(columns, values).map { "\($0): \(jsonValue($1))" }
        output((rowCount == 0 ? "\n" : ",\n") + "  {" + members.joined(separator: ", ") + "}")
        rowCount += 1
    }

    public func endResult() {
        output(rowCount == 0 ? "]\n" : "\n]\n")
    }

    private func jsonValue(_ value: SQLValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let number): return String(number)
        case .real(let number):
            if number.isFinite { return "\(number)" }
            return number < 0 ? "\"-Infinity\"" : "\"Infinity\""
        case .text(let text): return jsonStringLiteral(text)
        }
    }
}

/// Encodes `text` as a JSON string literal, escaping quotes, backslashes and control characters.
public func jsonStringLiteral(_ text: String) -> String {
    var literal = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": literal += "\\\""
        case "\\": literal += "\\\\"
        case "\n": literal += "\\n"
        case "\r": literal += "\\r"
        case "\t": literal += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                literal += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                literal.unicodeScalars.append(scalar)
            }
        }
    }
    return literal + "\""
}

/// Writes result sets as aligned columns for reading on a terminal: a header, a rule, the rows
/// and a row count, with NULL shown as `NULL` and numeric columns aligned right. Each result set
/// is held in memory until it ends, to measure the columns. Values longer than `maximumWidth`
/// characters are cut and end in `…`, and line breaks and tabs show as `\n`, `\r` and `\t`; CSV
/// and JSON output keep every value whole.
public final class TableResultWriter: QueryResultWriter {
    private let output: (String) -> Void
    private let maximumWidth: Int
    private var columns: [String] = []
    private var rows: [[String]] = []
    private var isNumeric: [Bool] = []
    private var resultCount = 0

    public init(maximumWidth: Int = 80, output: @escaping (String) -> Void) {
        self.maximumWidth = max(maximumWidth, 2)
        self.output = output
    }

    public func beginResult(columns: [String]) {
        self.columns = columns.map(displayText)
        rows = []
        isNumeric = Array(repeating: true, count: columns.count)
    }

    public func writeRow(_ values: [SQLValue]) {
        for (index, value) in values.enumerated() {
            if case .text = value { isNumeric[index] = false }
        }
        rows.append(values.map { resultText($0).map(displayText) ?? "NULL" })
    }

    public func endResult() {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var text = resultCount > 0 ? "\n" : ""
        text += line(columns, widths: widths, alignRight: Array(repeating: false, count: columns.count))
        text += line(widths.map { String(repeating: "-", count: $0) }, widths: widths,
            alignRight: Array(repeating: false, count: columns.count))
        output(text)
        for row in rows {
            output(line(row, widths: widths, alignRight: isNumeric))
        }
        output("(\(rows.count) \(rows.count == 1 ? "row" : "rows"))\n")
        rows = []
        resultCount += 1
    }

    private func line(_ cells: [String], widths: [Int], alignRight: [Bool]) -> String {
        var parts: [String] = []
        for (index, cell) in cells.enumerated() {
            let padding = String(repeating: " ", count: widths[index] - cell.count)
            parts.append(alignRight[index] ? padding + cell : cell + padding)
        }
        var text = parts.joined(separator: "  ")
        while text.last == " " { text.removeLast() }
        return text + "\n"
    }

    private func displayText(_ value: String) -> String {
        var text = value
        if text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" }) {
            text = text.replacingOccurrences(of: "\r\n", with: "\\r\\n")
                .replacingOccurrences(of: "\n", with: "\\n")
                .replacingOccurrences(of: "\r", with: "\\r")
                .replacingOccurrences(of: "\t", with: "\\t")
        }
        if text.count > maximumWidth {
            text = String(text.prefix(maximumWidth - 1)) + "…"
        }
        return text
    }
}
