/// Normalizes a header name or reference key for case-insensitive matching: trims leading and trailing
/// whitespace, collapses each run of whitespace to one space and uppercases the result.
/// Whitespace is any scalar with the Unicode White_Space property, so tabs, line ends and U+00A0
/// (no-break space) count.
public func collapsedKey(_ s: String) -> String {
    if let key = asciiCollapsedKey(s) { return key }
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

/// Computes the same key for pure-ASCII text on bytes; returns nil when `s` has a non-ASCII
/// byte.
private func asciiCollapsedKey(_ s: String) -> String? {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(s.utf8.count)
    var spacePending = false
    for byte in s.utf8 {
        guard byte < 0x80 else { return nil }
        // ASCII White_Space: tab, line feed, vertical tab, form feed, carriage return, space.
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
            spacePending = !bytes.isEmpty
            continue
        }
        if spacePending {
            bytes.append(0x20)
            spacePending = false
        }
        bytes.append(byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte)
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Returns `value` in a form safe to show in a message on a terminal: control characters,
/// invisible format characters (such as U+FEFF and U+200B), line and paragraph separators and
/// spaces other than U+0020 are written as `\t`, `\n`, `\r` or `\u{XXXX}`. A value longer than
/// `maxCharacters` is cut there and ends with "..." and its full length.
public func displayText(_ value: String, maxCharacters: Int = 200) -> String {
    var shown = ""
    var count = 0
    for scalar in value.unicodeScalars {
        if count == maxCharacters {
            return shown + "... (\(value.unicodeScalars.count) characters)"
        }
        count += 1
        switch scalar {
        case "\t": shown += "\\t"
        case "\n": shown += "\\n"
        case "\r": shown += "\\r"
        case " ": shown.unicodeScalars.append(scalar)
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator,
                .privateUse, .surrogate, .unassigned:
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                shown.unicodeScalars.append(scalar)
            }
        }
    }
    return shown
}
