/// Positions of the layout fields in an extract's header.
struct ColumnMapping {
    let positions: [(field: LayoutField, index: Int)]

    /// Matches `header` against the agency's layout: names compare case-insensitively after
    /// trimming and collapsing whitespace and dropping invisible format characters; columns the
    /// layout does not name are ignored.
    init(header: CSVRecord, agency: Agency, reference: ReferenceData, file: String, delimiter: UInt8) throws {
        let keys = header.fields.map(ColumnMapping.headerKey)

        var seen: [String: Int] = [:]
        for (index, key) in keys.enumerated() where !key.isEmpty {
            if let first = seen[key] {
                throw IngestError(file: file, line: header.line, column: index + 1,
                    message: "duplicate column name: '\(displayText(header.fields[first]))' (column \(first + 1)) and '\(displayText(header.fields[index]))' (column \(index + 1)) are the same name after case and space folding. Rename or remove one of them and ingest again.")
            }
            seen[key] = index
        }

        let columns = ColumnMapping.layout(of: agency, in: reference)
        var positions: [(LayoutField, Int)] = []
        var missing: [String] = []
        for column in columns {
            guard let field = LayoutField(rawValue: column.field) else { continue }
            if let index = seen[ColumnMapping.headerKey(column.header)] {
                positions.append((field, index))
            } else if column.required {
                missing.append(column.header)
            }
        }
        if !missing.isEmpty {
            var message = "missing required columns for the \(agency.rawValue) layout: \(missing.map { "'\($0)'" }.joined(separator: ", ")). "
            message += "The header has \(ColumnMapping.listing(header.fields))."
            message += " " + ColumnMapping.hint(header: header, missing: missing, agency: agency,
                reference: reference, delimiter: delimiter)
            throw IngestError(file: file, line: header.line, column: nil, message: message)
        }
        self.positions = positions
    }

    /// Lists the agency's layout columns in the order of the layout's fields.
    static func layout(of agency: Agency, in reference: ReferenceData) -> [ReferenceData.LayoutColumn] {
        let order = Dictionary(uniqueKeysWithValues: LayoutField.allCases.enumerated().map { ($1.rawValue, $0) })
        return reference.layoutColumns
            .filter { $0.agency == agency.rawValue }
            .sorted { (order[$0.field] ?? Int.max) < (order[$1.field] ?? Int.max) }
    }

    /// The matching key of a header name: `collapsedKey` after dropping format characters such as
    /// U+FEFF (a second byte order mark) and U+200B (zero-width space), which spreadsheets leave
    /// invisibly in names, and one pair of quotes around the name. A space before the opening
    /// quote makes RFC 4180 keep the quotes as text, as in ` "AOR"`.
    static func headerKey(_ name: String) -> String {
        var visible = String.UnicodeScalarView()
        for scalar in name.unicodeScalars where scalar.properties.generalCategory != .format {
            visible.append(scalar)
        }
        var key = collapsedKey(String(visible))
        if key.count >= 2 && key.hasPrefix("\"") && key.hasSuffix("\"") {
            key = collapsedKey(String(key.dropFirst().dropLast()))
        }
        return key
    }

    /// Quotes the first names of a header for a message.
    static func listing(_ names: [String], limit: Int = 12) -> String {
        var shown = names.prefix(limit).map { "'\(displayText($0, maxCharacters: 80))'" }.joined(separator: ", ")
        if names.count > limit {
            shown += " and \(names.count - limit) more columns"
        }
        return shown
    }

    /// Suggests what to do about a header that lacks required columns, from what it looks like.
    static func hint(header: CSVRecord, missing: [String], agency: Agency, reference: ReferenceData,
        delimiter: UInt8) -> String
    {
        let raw = header.raw
        if header.isBlank {
            return "Line 1 is blank; the header must be the first line of the file."
        }
        let compact = raw.lowercased().filter { !$0.isWhitespace }
        if compact.hasPrefix("sep=") {
            let separator = compact.dropFirst(4).first.map(String.init) ?? ","
            var hint = "Line 1 is a spreadsheet's 'sep=\(separator)' line, not the header. Delete that line, so that the header is line 1, and ingest again"
            if let named = delimiters.first(where: { String(Unicode.Scalar($0.byte)) == separator }), named.byte != delimiter {
                hint += " with --delimiter '\(named.argument)'"
            }
            return hint + "."
        }
        if let other = delimiterHint(header: header, missing: missing, expected: delimiter) {
            return other
        }
        for otherAgency in Agency.allCases where otherAgency != agency {
            let keys = Set(header.fields.map(headerKey))
            let required = layout(of: otherAgency, in: reference).filter(\.required)
            if !required.isEmpty && required.allSatisfy({ keys.contains(headerKey($0.header)) }) {
                return "The header matches the \(otherAgency.rawValue) layout; ingest it with --agency \(otherAgency.rawValue.lowercased())."
            }
        }
        if header.fields.count == 1 {
            return "Line 1 must be the header; remove any title lines above it, and check the delimiter."
        }
        return "Check that the file is a \(agency.rawValue) extract (--agency) or add its layout to the reference data."
    }

    /// Separators that extracts use, with their names and their `--delimiter` arguments.
    static let delimiters: [(byte: UInt8, name: String, argument: String)] = [
        (UInt8(ascii: ","), "comma", ","),
        (UInt8(ascii: ";"), "semicolon", ";"),
        (UInt8(ascii: "\t"), "tab", "tab"),
        (UInt8(ascii: "|"), "pipe", "|"),
    ]

    /// A suggestion when the header, split at another separator, contains every missing column.
    static func delimiterHint(header: CSVRecord, missing: [String], expected: UInt8) -> String? {
        let missingKeys = missing.map(headerKey)
        for candidate in delimiters where candidate.byte != expected {
            let separator = Character(Unicode.Scalar(candidate.byte))
            guard header.raw.contains(separator) else { continue }
            let keys = Set(header.raw.split(separator: separator, omittingEmptySubsequences: false).map {
                headerKey(String($0.filter { $0 != "\"" }))
            })
            if missingKeys.allSatisfy(keys.contains) {
                return "The file looks \(candidate.name)-separated; ingest it with --delimiter '\(candidate.argument)'."
            }
        }
        return nil
    }

    func rawLine(_ record: CSVRecord) -> RawLine {
        var line = RawLine()
        for (field, index) in positions {
            line[field] = record.fields[index]
        }
        return line
    }
}
