import Foundation

/// Reading and writing versions of reference data in the database.
extension ReferenceData {
    /// Stores this data as a new version unless the version in force is identical; returns the
    /// version id and whether it was new. Loading data identical to an older version makes a new
    /// version, so that it comes into force again. Call inside a transaction.
    public func store(in database: Database, source: String, at time: String) throws -> (id: Int, isNew: Bool) {
        let digest = self.digest
        if let current = try database.row(
            "SELECT reference_version_id, digest FROM reference_version ORDER BY reference_version_id DESC LIMIT 1"),
            current.string(1) == digest
        {
            return (current.int(0)!, false)
        }
        try database.run(
            "INSERT INTO reference_version (digest, source, loaded_at) VALUES (?, ?, ?)",
            [.text(digest), .text(source), .text(time)])
        let id = Int(database.lastInsertedRowID)
        let version = SQLValue.integer(Int64(id))

        let officeInsert = try database.prepare(
            "INSERT INTO reference_aor VALUES (?, ?, ?, ?, ?, ?)")
        for office in offices {
            try officeInsert.execute([version, .text(office.agency), .text(office.component),
                .text(office.aor), .text(office.state), .text(office.region)])
        }
        let aliasInsert = try database.prepare("INSERT INTO reference_aor_alias VALUES (?, ?, ?, ?)")
        for alias in aliases {
            try aliasInsert.execute([version, .text(alias.agency), .text(alias.alias), .text(alias.aor)])
        }
        let commodityInsert = try database.prepare(
            "INSERT INTO reference_commodity VALUES (?, ?, ?, ?)")
        for commodity in commodities {
            try commodityInsert.execute([version, .text(commodity.agency), .text(commodity.commodity),
                .text(commodity.measure)])
        }
        let stateInsert = try database.prepare("INSERT INTO reference_state_region VALUES (?, ?, ?, ?)")
        for stateRegion in stateRegions {
            try stateInsert.execute([version, .text(stateRegion.state), .text(stateRegion.agency),
                .text(stateRegion.region)])
        }
        let unitInsert = try database.prepare("INSERT INTO reference_unit VALUES (?, ?, ?, ?)")
        for unit in units {
            try unitInsert.execute([version, .text(unit.unit), .text(unit.kind),
                unit.poundsPerUnit.map { .real($0) } ?? .null])
        }
        let layoutInsert = try database.prepare("INSERT INTO reference_layout VALUES (?, ?, ?, ?, ?)")
        for column in layoutColumns {
            try layoutInsert.execute([version, .text(column.agency), .text(column.field),
                .text(column.header), .integer(column.required ? 1 : 0)])
        }
        let agencyInsert = try database.prepare("INSERT INTO reference_agency VALUES (?, ?, ?, ?)")
        for agency in agencies {
            try agencyInsert.execute([version, .text(agency.agency), .text(agency.name),
                .text(agency.dateFormats.joined(separator: "|"))])
        }
        return (id, true)
    }

    /// Reads version `id` back from the database.
    public static func load(from database: Database, version id: Int) throws -> ReferenceData {
        let version = [SQLValue.integer(Int64(id))]
        var data = ReferenceData()
        for row in try database.rows(
            "SELECT agency, component, aor, state, region FROM reference_aor WHERE reference_version_id = ? ORDER BY rowid", version)
        {
            data.offices.append(Office(agency: row.string(0)!, component: row.string(1)!,
                aor: row.string(2)!, state: row.string(3)!, region: row.string(4)!))
        }
        for row in try database.rows(
            "SELECT agency, alias, aor FROM reference_aor_alias WHERE reference_version_id = ?", version)
        {
            data.aliases.append(Alias(agency: row.string(0)!, alias: row.string(1)!, aor: row.string(2)!))
        }
        for row in try database.rows(
            "SELECT agency, commodity, measure FROM reference_commodity WHERE reference_version_id = ?", version)
        {
            data.commodities.append(Commodity(agency: row.string(0)!, commodity: row.string(1)!,
                measure: row.string(2)!))
        }
        for row in try database.rows(
            "SELECT state, agency, region FROM reference_state_region WHERE reference_version_id = ?", version)
        {
            data.stateRegions.append(StateRegion(state: row.string(0)!, agency: row.string(1)!,
                region: row.string(2)!))
        }
        for row in try database.rows(
            "SELECT unit, kind, pounds_per_unit FROM reference_unit WHERE reference_version_id = ?", version)
        {
            data.units.append(Unit(unit: row.string(0)!, kind: row.string(1)!, poundsPerUnit: row.double(2)))
        }
        for row in try database.rows(
            "SELECT agency, field, header, required FROM reference_layout WHERE reference_version_id = ?", version)
        {
            data.layoutColumns.append(LayoutColumn(agency: row.string(0)!, field: row.string(1)!,
                header: row.string(2)!, required: row.int(3) == 1))
        }
        for row in try database.rows(
            "SELECT agency, name, date_formats FROM reference_agency WHERE reference_version_id = ?", version)
        {
            data.agencies.append(AgencyFormats(agency: row.string(0)!, name: row.string(1)!,
                dateFormats: row.string(2)!.split(separator: "|").map(String.init)))
        }
        guard !data.offices.isEmpty else {
            throw ReferenceError(file: "reference version \(id)", line: nil, message: "not found in the database")
        }
        return data
    }

    /// The version in force: the one loaded last.
    public static func currentVersion(in database: Database) throws -> Int? {
        try database.row("SELECT max(reference_version_id) FROM reference_version")?.int(0)
    }
}
