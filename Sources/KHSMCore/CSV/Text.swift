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
