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
