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
        var text = text
        guard let number = text.withUTF8({ DecimalNumber.parse($0, allowDollar: allowDollar) }) else {
            return nil
        }
        self = number
    }

    private init(isNegative: Bool, digits: String, exponent: Int) {
        self.isNegative = isNegative
        self.digits = digits
        self.exponent = exponent
    }

    // Reads the bytes through a pointer and collects the digits in one array, because this runs
    // for every quantity and value of an extract.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, allowDollar: Bool) -> DecimalNumber? {
        var position = 0
        func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        var negative = false
        if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            position += 1
        }
        if allowDollar, peek() == UInt8(ascii: "$") {
            position += 1
        }

        // Integer digits, then fraction digits, without separators.
        var all: [UInt8] = []
        all.reserveCapacity(bytes.count)
        var groupLength = 0
        var sawSeparator = false
        while let byte = peek(), DecimalNumber.isDigit(byte) || byte == UInt8(ascii: ",") {
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
                all.append(byte)
                groupLength += 1
            }
            position += 1
        }
        if sawSeparator && groupLength != 3 { return nil }
        let integerCount = all.count

        if peek() == UInt8(ascii: ".") {
            position += 1
            while let byte = peek(), DecimalNumber.isDigit(byte) {
                all.append(byte)
                position += 1
            }
            if all.count == integerCount { return nil }
        }
        let fractionCount = all.count - integerCount
        if all.isEmpty { return nil }

        var writtenExponent = 0
        var hasExponent = false
        if let marker = peek(), marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            hasExponent = true
            position += 1
            var exponentNegative = false
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentNegative = sign == UInt8(ascii: "-")
                position += 1
            }
            var exponentDigits = 0
            while let byte = peek(), DecimalNumber.isDigit(byte) {
                guard exponentDigits < 6 else { return nil }
                writtenExponent = writtenExponent * 10 + Int(byte - 48)
                exponentDigits += 1
                position += 1
            }
            if exponentDigits == 0 { return nil }
            if exponentNegative { writtenExponent = -writtenExponent }
        }
        guard position == bytes.count else { return nil }
        if allowDollar && !hasExponent && fractionCount > 2 { return nil }

        var exponent = writtenExponent - fractionCount
        var first = 0
        var end = all.count
        while end - first > 1, all[first] == UInt8(ascii: "0") { first += 1 }
        while end - first > 1, all[end - 1] == UInt8(ascii: "0") {
            end -= 1
            exponent += 1
        }
        if end - first == 1 && all[first] == UInt8(ascii: "0") {
            exponent = 0
            negative = false
        }
        return DecimalNumber(isNegative: negative, digits: String(decoding: all[first..<end], as: UTF8.self),
            exponent: exponent)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    public var isZero: Bool { digits == "0" }

    /// The nearest double (correctly rounded by the standard library's parser).
    public var doubleValue: Double {
        // Fast path (Clinger 1990): a mantissa of at most 15 digits and a power of ten up to
        // 10^22 are both exact doubles, so one multiplication or division is correctly rounded.
        if digits.utf8.count <= 15 && exponent >= -22 && exponent <= 22 {
            var mantissa: Int64 = 0
            for byte in digits.utf8 {
                mantissa = mantissa * 10 + Int64(byte - 48)
            }
            let power = DecimalNumber.exactPowersOfTen[abs(exponent)]
            let magnitude = exponent >= 0 ? Double(mantissa) * power : Double(mantissa) / power
            return isNegative ? -magnitude : magnitude
        }
        let magnitude = Double("\(digits)e\(exponent)") ?? .infinity
        return isNegative ? -magnitude : magnitude
    }

    /// 10^0 through 10^22, the powers of ten that a double holds exactly.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

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
