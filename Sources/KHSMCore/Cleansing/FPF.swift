/// The SEACATS case identifier (FPF) of a line item, made canonical.
public enum FPF: Equatable, Sendable {
    /// The canonical 16-digit identifier.
    case valid(String)
    case missing
    case malformed

    /// Words that agencies write in place of an FPF they do not have.
    static let placeholders: Set<String> = ["", "N/A", "NA", "NONE", "UNKNOWN"]

    /// Removes spaces, `-` and `.`; 16 digits are the FPF, 24 digits are the FPF followed by an
    /// 8-digit line-item suffix, which is dropped. Blank, placeholder and all-zero values are
    /// missing; anything else is malformed and never repaired (a spreadsheet's `2.02325E+15`
    /// would otherwise join the wrong seizures).
    public init(_ raw: String) {
        self = FPF(ascii: raw) ?? FPF(unicode: raw)
    }

    /// The rules of `init(_:)` on Unicode scalars, for any text.
    init(unicode raw: String) {
        let trimmed = raw.trimmingWhitespace()
        if FPF.placeholders.contains(trimmed.uppercased()) {
            self = .missing
            return
        }
        let compact = trimmed.unicodeScalars.filter { $0 != " " && $0 != "-" && $0 != "." }
        let digits = String(String.UnicodeScalarView(compact))
        if digits.isEmpty || (digits.utf8.allSatisfy { $0 == UInt8(ascii: "0") }) {
            self = .missing
            return
        }
        guard digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            self = .malformed
            return
        }
        switch digits.utf8.count {
        case 16:
            self = .valid(digits)
        case 24:
            let canonical = String(digits.prefix(16))
            self = canonical.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) ? .missing : .valid(canonical)
        default:
            self = .malformed
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, non-breaking spaces and line ends.
    func trimmingWhitespace() -> String {
        let bytes = utf8
        if let first = bytes.first, let last = bytes.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}

extension FPF {
    /// The rules of `init(_:)` on bytes, for text that is all ASCII (nil otherwise), because this
    /// runs on every line of an extract.
    init?(ascii raw: String) {
        var bytes = Substring(raw).utf8[...]
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        // ASCII White_Space: tab, line feed, vertical tab, form feed, carriage return, space.
        func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        while let first = bytes.first, isWhitespace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isWhitespace(last) { bytes = bytes.dropLast() }
        if bytes.count <= 7,
            FPF.placeholders.contains(String(decoding: bytes, as: UTF8.self).uppercased())
        {
            self = .missing
            return
        }
        var keptCount = 0
        var onlyZeros = true
        var onlyDigits = true
        var canonical: [UInt8] = []
        canonical.reserveCapacity(16)
        for byte in bytes where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") && byte != UInt8(ascii: ".") {
            keptCount += 1
            if byte != UInt8(ascii: "0") { onlyZeros = false }
            if byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") { onlyDigits = false }
            if canonical.count < 16 { canonical.append(byte) }
        }
        if keptCount == 0 || onlyZeros {
            self = .missing
        } else if !onlyDigits || (keptCount != 16 && keptCount != 24) {
            self = .malformed
        } else if canonical.allSatisfy({ $0 == UInt8(ascii: "0") }) {
            self = .missing
        } else {
            self = .valid(String(decoding: canonical, as: UTF8.self))
        }
    }

    /// The 24 digits of an FPF written with a line-item suffix, or nil for any other form.
    static func suffixedDigits(_ raw: String) -> String? {
        var digits: [UInt8] = []
        for byte in raw.utf8 {
            if byte >= 48 && byte <= 57 {
                digits.append(byte)
            } else if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") && byte != UInt8(ascii: ".") {
                return nil
            }
        }
        return digits.count == 24 ? String(decoding: digits, as: UTF8.self) : nil
    }
}
