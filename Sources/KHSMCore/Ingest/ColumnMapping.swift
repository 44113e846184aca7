/// Positions of the layout fields in an extract's header.
struct ColumnMapping {
    let positions: [(field: LayoutField, index: Int)]

    /// Matches `header` against the agency's layout: names compare case-insensitively after
    /// trimming and collapsing whitespace; columns the layout does not name are ignored.
    init(header: CSVRecord, agency: Agency, reference: ReferenceData, file: String, delimiter: UInt8) throws {
        let keys = header.fields.map(collapsedKey)

        var seen: [String: Int] = [:]
        for (index, key) in keys.enumerated() where !key.isEmpty {
            if let first = seen[key] {
                throw IngestError(file: file, line: header.line, column: index + 1,
                    message: "duplicate column name: '\(header.fields[first])' (column \(first + 1)) and '\(header.fields[index])' (column \(index + 1)) are the same name after case and space folding. Rename or remove one of them and ingest again.")
            }
            seen[key] = index
        }

        let columns = reference.layoutColumns.filter { $0.agency == agency.rawValue }
        var positions: [(LayoutField, Int)] = []
        var missing: [String] = []
        for column in columns {
            guard let field = LayoutField(rawValue: column.field) else { continue }
            if let index = seen[collapsedKey(column.header)] {
                positions.append((field, index))
            } else if column.required {
                missing.append(column.header)
            }
        }
        if !missing.isEmpty {
            var message = "missing required columns for the \(agency.rawValue) layout: \(missing.map { "'\($0)'" }.joined(separator: ", ")). The header has \(header.fields.map { "'\($0)'" }.joined(separator: ", "))."
            if let hint = ColumnMapping.delimiterHint(header: header, expected: delimiter) {
                message += " " + hint
            } else {
                message += " Check that the file is a \(agency.rawValue) extract (--agency) or add its layout to the reference data."
            }
            throw IngestError(file: file, line: header.line, column: nil, message: message)
        }
        self.positions = positions
    }

    /// Suggests --delimiter when the header looks separated by another character.
    static func delimiterHint(header: CSVRecord, expected: UInt8) -> String? {
        guard header.fields.count == 1 else { return nil }
        let text = header.fields[0]
        let candidates: [(Character, String, String)] = [
            (";", "semicolon", ";"), ("\t", "tab", "tab"), ("|", "pipe", "|"),
        ]
        for (character, name, argument) in candidates
        where Character(UnicodeScalar(expected)) != character && text.contains(character) {
            return "The file looks \(name)-separated; ingest it with --delimiter '\(argument)'."
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
