import Foundation

/// One reference CSV file read into rows keyed by lower-case column name.
struct ReferenceTable {
    let file: String
    let rows: [(line: Int, values: [String: String])]

    /// Reads `records` (header first) and checks that `columns` are present.
    init(file: String, records: [CSVRecord], columns: [String]) throws {
        self.file = file
        guard let header = records.first else {
            throw ReferenceError(file: file, line: nil, message: "the file is empty; it needs the header \(columns.joined(separator: ","))")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = columns.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw ReferenceError(file: file, line: header.line, message: "missing columns \(missing.joined(separator: ", ")); the header must name \(columns.joined(separator: ","))")
        }
        var rows: [(Int, [String: String])] = []
        for record in records.dropFirst() where !record.isBlank {
            guard record.fields.count == names.count else {
                throw ReferenceError(file: file, line: record.line, message: "expected \(names.count) fields, found \(record.fields.count)")
            }
            var values: [String: String] = [:]
            for (name, value) in zip(names, record.fields) {
                values[name] = value.trimmingCharacters(in: .whitespaces)
            }
            rows.append((record.line, values))
        }
        self.rows = rows
    }
}

extension ReferenceData {
    /// File names of a reference data folder, with the columns each must have.
    public static let files: [(name: String, columns: [String])] = [
        ("aor_regions.csv", ["agency", "component", "aor", "state", "region"]),
        ("aor_aliases.csv", ["agency", "alias", "aor"]),
        ("commodities.csv", ["agency", "commodity", "measure"]),
        ("state_regions.csv", ["state", "agency", "region"]),
        ("units.csv", ["unit", "kind", "pounds_per_unit"]),
        ("layouts.csv", ["agency", "field", "header", "required"]),
        ("agencies.csv", ["agency", "name", "date_formats"]),
    ]

    /// Reads and validates the reference data folder at `directory`.
    public static func load(directory: String) throws -> ReferenceData {
        var texts: [String: String] = [:]
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file.name)
            guard FileManager.default.fileExists(atPath: path) else {
                throw ReferenceError(file: path, line: nil, message: "file not found; a reference data folder needs \(files.map(\.name).joined(separator: ", "))")
            }
            guard let data = FileManager.default.contents(atPath: path),
                let text = String(data: data, encoding: .utf8)
            else {
                throw ReferenceError(file: path, line: nil, message: "cannot read the file as UTF-8 text")
            }
            texts[file.name] = text
        }
        return try load(texts: texts)
    }

    /// Reads and validates reference data from the texts of its files, keyed by file name.
    public static func load(texts: [String: String]) throws -> ReferenceData {
        var tables: [String: ReferenceTable] = [:]
        for file in files {
            guard let text = texts[file.name] else {
                throw ReferenceError(file: file.name, line: nil, message: "file not found")
            }
            let records: [CSVRecord]
            do {
                records = try CSVReader.records(text: text, name: file.name)
            } catch let error as CSVError {
                throw ReferenceError(file: file.name, line: error.line, message: error.message)
            }
            tables[file.name] = try ReferenceTable(file: file.name, records: records, columns: file.columns)
        }

        var data = ReferenceData()
        for (_, row) in tables["aor_regions.csv"]!.rows {
            data.offices.append(Office(agency: row["agency"]!.uppercased(), component: row["component"]!,
                aor: row["aor"]!, state: row["state"]!.uppercased(), region: row["region"]!))
        }
        for (_, row) in tables["aor_aliases.csv"]!.rows {
            data.aliases.append(Alias(agency: row["agency"]!.uppercased(), alias: row["alias"]!, aor: row["aor"]!))
        }
        for (_, row) in tables["commodities.csv"]!.rows {
            data.commodities.append(Commodity(agency: row["agency"]!.uppercased(),
                commodity: row["commodity"]!, measure: row["measure"]!))
        }
        for (_, row) in tables["state_regions.csv"]!.rows {
            data.stateRegions.append(StateRegion(state: row["state"]!.uppercased(),
                agency: row["agency"]!.uppercased(), region: row["region"]!))
        }
        for (line, row) in tables["units.csv"]!.rows {
            let factorText = row["pounds_per_unit"]!
            var factor: Double?
            if !factorText.isEmpty {
                guard let value = Double(factorText) else {
                    throw ReferenceError(file: "units.csv", line: line, message: "invalid pounds_per_unit '\(factorText)'; expected a number")
                }
                factor = value
            }
            data.units.append(Unit(unit: row["unit"]!.uppercased(), kind: row["kind"]!.lowercased(),
                poundsPerUnit: factor))
        }
        for (line, row) in tables["layouts.csv"]!.rows {
            let requiredText = row["required"]!.lowercased()
            guard ["yes", "no"].contains(requiredText) else {
                throw ReferenceError(file: "layouts.csv", line: line, message: "invalid required value '\(row["required"]!)'; expected yes or no")
            }
            data.layoutColumns.append(LayoutColumn(agency: row["agency"]!.uppercased(),
                field: row["field"]!.lowercased(), header: row["header"]!, required: requiredText == "yes"))
        }
        for (_, row) in tables["agencies.csv"]!.rows {
            data.agencies.append(AgencyFormats(agency: row["agency"]!.uppercased(), name: row["name"]!,
                dateFormats: row["date_formats"]!.split(separator: "|").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }))
        }
        try data.validate()
        return data
    }
}
