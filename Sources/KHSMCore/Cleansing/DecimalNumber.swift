/// A decimal number as spreadsheets and BI tools write it, kept exactly: `digits × 10^exponent`.
///
/// Accepted: an optional sign, digits with optional thousands separators in groups of three
/// (`1,234.5`), an optional fraction, and an optional exponent (`3.95E-05`). With `allowDollar`,
/// an optional `$` after the sign, and at most two written decimals when there is no exponent.
/// Rejected: parentheses, spaces inside the number, decimal commas, trailing signs.
public struct DecimalNumber: Equatable, Sendable {
    public let isNegative: Bool
    /// Significant digits without leading zeros ("0" for zero).
    public let digits: String
    public let exponent: Int

    public init?(_ text: Substring, allowDollar: Bool = false) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        if allowDollar, bytes.first == UInt8(ascii: "$") {
            bytes = bytes.dropFirst()
        }

        var integerDigits: [UInt8] = []
        var groupLength = 0
        var sawSeparator = false
        while let byte = bytes.first, DecimalNumber.isDigit(byte) || byte == UInt8(ascii: ",") {
            if byte == UInt8(ascii: ",") {
                // A separator must follow one to three digits, then groups of exactly three.
                if sawSeparator {
                    guard groupLength == 3 else { return nil }
                } else {
                    guard (1...3).contains(groupLength) else { return nil }
                }
                sawSeparator = true
                groupLength = 0
            } else {
                integerDigits.append(byte)
                groupLength += 1
            }
            bytes = bytes.dropFirst()
        }
        if sawSeparator && groupLength != 3 { return nil }

        var fractionDigits: [UInt8] = []
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            while let byte = bytes.first, DecimalNumber.isDigit(byte) {
                fractionDigits.append(byte)
                bytes = bytes.dropFirst()
            }
            if fractionDigits.isEmpty { return nil }
        }
        if integerDigits.isEmpty && fractionDigits.isEmpty { return nil }

        var writtenExponent = 0
        var hasExponent = false
        if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            hasExponent = true
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentNegative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            var exponentDigits = 0
            while let byte = bytes.first, DecimalNumber.isDigit(byte) {
                guard exponentDigits < 6 else { return nil }
                writtenExponent = writtenExponent * 10 + Int(byte - 48)
                exponentDigits += 1
                bytes = bytes.dropFirst()
            }
            if exponentDigits == 0 { return nil }
            if exponentNegative { writtenExponent = -writtenExponent }
        }
        guard bytes.isEmpty else { return nil }
        if allowDollar && !hasExponent && fractionDigits.count > 2 { return nil }

        var all = integerDigits + fractionDigits
        var exponent = writtenExponent - fractionDigits.count
        while all.count > 1, all.first == UInt8(ascii: "0") { all.removeFirst() }
        while all.count > 1, all.last == UInt8(ascii: "0") {
            all.removeLast()
            exponent += 1
        }
        if all == [UInt8(ascii: "0")] {
            exponent = 0
            negative = false
        }
        isNegative = negative
        digits = String(decoding: all, as: UTF8.self)
        self.exponent = exponent
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    public var isZero: Bool { digits == "0" }

    /// The nearest double (correctly rounded by the standard library's parser).
    public var doubleValue: Double {
        let magnitude = Double("\(digits)e\(exponent)") ?? .infinity
        return isNegative ? -magnitude : magnitude
    }

    /// The value as a whole number, or nil when it has a fraction or does not fit in 64 bits.
    public var integerValue: Int64? {
        guard exponent >= 0 else { return nil }
        guard digits.count + exponent <= 18 else { return nil }
        guard var value = Int64(digits) else { return nil }
        for _ in 0..<exponent { value *= 10 }
        return isNegative ? -value : value
    }

    /// The value in hundredths (cents), or nil when it is not a whole number of hundredths or
    /// does not fit in 64 bits.
    public var hundredths: Int64? {
        let shifted = exponent + 2
        guard shifted >= 0, digits.count + shifted <= 18, var value = Int64(digits) else {
            return nil
        }
        for _ in 0..<shifted { value *= 10 }
        return isNegative ? -value : value
    }
}
