#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Failure to read a CSV file, with the position in the file and a message that states what to do next.
public struct CSVError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case unreadable, notUTF8, nulByte, utf16, unterminatedQuote, fieldTooLong, badQuote, noHeader
        /// A record longer than the reader's `maxRecordBytes`.
        case recordTooLong
        /// A record with more fields than the reader's `maxFields`.
        case tooManyFields
    }

    public let kind: Kind
    /// The path as given to the reader.
    public let file: String
    /// Physical line (1-based), when the failure belongs to one line.
    public let line: Int?
    /// Field index (1-based), when known.
    public let column: Int?
    /// Offset in the file (0-based), when known.
    public let byteOffset: Int?
    /// Full sentences: what failed, on which value, and what to do next.
    public let message: String

    public init(kind: Kind, file: String, line: Int?, column: Int?, byteOffset: Int?, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.message = message
    }

    /// `file:line:column: message`, without the column or the line when they are unknown.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }

    static func unreadable(path: String, action: String, errno code: Int32) -> CSVError {
        let reason = String(cString: strerror(code))
        return CSVError(
            kind: .unreadable, file: path, line: nil, column: nil, byteOffset: nil,
            message: "cannot \(action) the file: \(reason). Check the path and its permissions."
        )
    }
}

// Messages for each kind of failure, kept together so that they read alike.
extension CSVError {
    static func emptyFile(path: String) -> CSVError {
        CSVError(
            kind: .noHeader, file: path, line: nil, column: nil, byteOffset: nil,
            message: "no header: the file is empty. Export the file again with its header line."
        )
    }

    static func byteOrderMarkOnly(path: String) -> CSVError {
        CSVError(
            kind: .noHeader, file: path, line: nil, column: nil, byteOffset: nil,
            message: "no header: the file contains only a UTF-8 byte order mark and no text. "
                + "Export the file again with its header line."
        )
    }

    /// - Parameter byteOrderMark: the file starts with a UTF-16 byte order mark, rather than showing
    ///   NUL bytes between ASCII characters.
    static func utf16(path: String, bigEndian: Bool, byteOrderMark: Bool) -> CSVError {
        let order = bigEndian ? "big-endian" : "little-endian"
        let evidence = byteOrderMark
            ? "it starts with the UTF-16 byte order mark \(bigEndian ? "FE FF" : "FF FE") at byte offset 0"
            : "line 1 has a NUL byte next to each character from byte offset 0"
        return CSVError(
            kind: .utf16, file: path, line: 1, column: nil, byteOffset: 0,
            message: "the file is UTF-16 (\(order)) text, not UTF-8: \(evidence). "
                + "Re-save it as UTF-8 (in Excel, save as \"CSV UTF-8 (Comma delimited)\") and run again."
        )
    }

    static func nulByte(path: String, line: Int, column: Int, byteOffset: Int) -> CSVError {
        CSVError(
            kind: .nulByte, file: path, line: line, column: column, byteOffset: byteOffset,
            message: "NUL byte (0x00) in field \(column) at byte offset \(byteOffset). "
                + "CSV text contains no NUL bytes, so the file is probably binary, damaged, or in an encoding "
                + "such as UTF-32. Check that this is the right file, or export it again as CSV."
        )
    }

    static func invalidUTF8(
        path: String, line: Int, column: Int, byteOffset: Int, byte: UInt8, context: String
    ) -> CSVError {
        CSVError(
            kind: .notUTF8, file: path, line: line, column: column, byteOffset: byteOffset,
            message: "invalid UTF-8: byte \(hexByte(byte)) at byte offset \(byteOffset) in field \(column) "
                + "(near \"\(displayText(context))\") is not part of a valid UTF-8 character. If the file was saved as "
                + "Windows-1252 (Excel's \"ANSI\"), run again with --encoding windows-1252, "
                + "or re-save the file as UTF-8."
        )
    }

    static func badQuote(path: String, line: Int, column: Int, byteOffset: Int, byte: UInt8) -> CSVError {
        let byteText = byte >= 0x20 && byte < 0x7F ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte \(hexByte(byte))"
        return CSVError(
            kind: .badQuote, file: path, line: line, column: column, byteOffset: byteOffset,
            message: "invalid quote in field \(column): the closing quote is followed by \(byteText) instead of "
                + "the delimiter or a line end. Inside a quoted field, write each quote twice (\"\"), "
                + "or remove the characters after the closing quote."
        )
    }

    /// - Parameter fieldStart: the first characters of the open field, from its quote.
    static func unterminatedQuote(
        path: String, openLine: Int, lastLine: Int, column: Int, byteOffset: Int, fieldStart: String
    ) -> CSVError {
        CSVError(
            kind: .unterminatedQuote, file: path, line: openLine, column: column, byteOffset: byteOffset,
            message: "unterminated quote: the quoted field \(displayText(fieldStart, maxCharacters: 40)) "
                + "opened at line \(openLine) never closes; "
                + "the file appears truncated at line \(lastLine), or a closing quote is missing. "
                + "Fix the quote or export the file again."
        )
    }

    static func fieldTooLong(
        path: String, line: Int, column: Int, byteOffset: Int, limit: Int, quoted: Bool
    ) -> CSVError {
        let cause = quoted
            ? "The field opens with a quote at line \(line), so a closing quote is probably missing there."
            : "Check that the file is CSV text and that the delimiter is right."
        return CSVError(
            kind: .fieldTooLong, file: path, line: line, column: column, byteOffset: byteOffset,
            message: "field \(column) is longer than the maximum of \(limit) bytes. \(cause)"
        )
    }

    static func recordTooLong(path: String, line: Int, byteOffset: Int, limit: Int) -> CSVError {
        CSVError(
            kind: .recordTooLong, file: path, line: line, column: nil, byteOffset: byteOffset,
            message: "the record starting at line \(line) is longer than the maximum of \(limit) bytes. "
                + "Check that the file is CSV text with one record per line."
        )
    }

    static func tooManyFields(path: String, line: Int, byteOffset: Int, limit: Int) -> CSVError {
        CSVError(
            kind: .tooManyFields, file: path, line: line, column: limit + 1, byteOffset: byteOffset,
            message: "the record starting at line \(line) has more than the maximum of \(limit) fields. "
                + "Check that the file is CSV text and that the delimiter is right."
        )
    }

    private static func hexByte(_ byte: UInt8) -> String {
        "0x" + hexString([byte]).uppercased()
    }
}
