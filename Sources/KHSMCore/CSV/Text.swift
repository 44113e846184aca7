/// Normalizes a header name or reference key for case-insensitive matching: trims leading and trailing
/// whitespace, collapses each run of whitespace to one space and uppercases the result.
/// Whitespace is any scalar with the Unicode White_Space property, so tabs, line ends and U+00A0
/// (no-break space) count.
public func collapsedKey(_ s: String) -> String {
    var collapsed = String.UnicodeScalarView()
    var spacePending = false
    for scalar in s.unicodeScalars {
        if scalar.properties.isWhitespace {
            spacePending = !collapsed.isEmpty
            continue
        }
        if spacePending {
            collapsed.append(" ")
            spacePending = false
        }
        collapsed.append(scalar)
    }
    return String(collapsed).uppercased()
}
