/// One record of a CSV file, with its position in the file.
public struct CSVRecord: Sendable {
    /// Physical line (1-based) where the record starts. The header is line 1.
    public let line: Int
    /// Physical line where the record ends. It differs from `line` when a quoted field contains line ends.
    public let endLine: Int
    /// Decoded field values, with enclosing quotes removed and doubled quotes undone.
    /// A line end inside a quoted field becomes "\n", whether the file has CRLF, LF or CR there.
    public let fields: [String]
    /// The record's decoded text without its final line end. Line ends inside quoted fields
    /// become "\n", so `raw` contains no "\r". All other bytes are as in the file.
    public let raw: String
    /// Offset in the file (0-based) of the record's first byte.
    public let byteOffset: Int

    public init(line: Int, endLine: Int, fields: [String], raw: String, byteOffset: Int = 0) {
        self.line = line
        self.endLine = endLine
        self.fields = fields
        self.raw = raw
        self.byteOffset = byteOffset
    }

    /// True when every field is empty or only whitespace (Unicode White_Space, so U+00A0 counts).
    /// An empty line is one empty field, so it is blank too.
    public var isBlank: Bool {
        fields.allSatisfy { field in
            field.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
        }
    }
}
