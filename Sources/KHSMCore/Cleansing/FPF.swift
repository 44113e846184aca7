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
    /// Removes leading and trailing spaces, tabs, non-breaking spaces and line ends.
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
        var raw = raw
        guard let fpf = raw.withUTF8(FPF.parseASCII) else { return nil }
        self = fpf
    }

    private static func parseASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> FPF? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        // ASCII White_Space: tab, line feed, vertical tab, form feed, carriage return, space.
        func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        var start = 0
        var end = bytes.count
        while start < end && isWhitespace(bytes[start]) { start += 1 }
        while end > start && isWhitespace(bytes[end - 1]) { end -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if trimmed.count <= 7, placeholders.contains(String(decoding: trimmed, as: UTF8.self).uppercased()) {
            return .missing
        }
        var keptCount = 0
        var onlyZeros = true
        var onlyDigits = true
        var canonicalEnd = start
        for index in start..<end {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") { continue }
            keptCount += 1
            if byte != UInt8(ascii: "0") { onlyZeros = false }
            if byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") { onlyDigits = false }
            if keptCount == 16 { canonicalEnd = index + 1 }
        }
        if keptCount == 0 || onlyZeros { return .missing }
        if !onlyDigits || (keptCount != 16 && keptCount != 24) { return .malformed }
        // The first 16 digits, without the separators between them.
        let canonical = String(unsafeUninitializedCapacity: 16) { output in
            var count = 0
            for index in start..<canonicalEnd where bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9") {
                output[count] = bytes[index]
                count += 1
            }
            return count
        }
        return canonical.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) ? .missing : .valid(canonical)
    }

    /// Extracts the 24 digits of an FPF written with a line-item suffix; nil for any other form.
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
