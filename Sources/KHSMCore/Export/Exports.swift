/// Quotes a CSV field that contains a comma, quote or line end (RFC 4180).
public func csvField(_ value: String) -> String {
    if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return value
}

/// A table of text values with named columns, as every export produces.
public struct ExportTable: Sendable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    public var csv: String {
        var text = columns.map(csvField).joined(separator: ",") + "\n"
        for row in rows {
            text += row.map(csvField).joined(separator: ",") + "\n"
        }
        return text
    }
}

/// Reads the published table of a release as frozen (rounded values only), after checking it
/// against the digest frozen with the release.
public func exportTable(_ database: Database, release: ReleaseRecord) throws -> ExportTable {
    var table = ExportTable(columns: ["fiscal_year", "quarter", "region", "measure", "value"])
    for row in try database.rows(
        """
        SELECT fiscal_year, quarter, region, measure, published FROM release_cell
        WHERE release_id = ? ORDER BY position
        """, [.integer(Int64(release.id))])
    {
        table.rows.append((0..<5).map { row.string($0) ?? "" })
    }
    // The digest frozen with the release guards the export against cells altered since.
    var hash = SHA256()
    hash.update(Array(table.csv.utf8))
    let digest = hexString(hash.finalize())
    guard digest == release.tableSHA256 else {
        throw ReleaseError(message: "the stored cells of release '\(release.name)' do not match the table digest frozen with it (\(release.tableSHA256), now \(digest)): the database was altered outside khsm. Nothing was exported; run 'khsm release verify \(release.name)' to see which cells differ.")
    }
    return table
}

/// Discrepancies of a release: both agencies' values, dates, regions and extracts, the side
/// used, and the status against the previous release (new or persisting, with the release
/// where the FPF was first listed). With `agency`, only what that agency must reconcile,
/// which is every discrepancy, labelled for that agency.
public func exportDiscrepancies(_ database: Database, release: ReleaseRecord) throws -> ExportTable {
    var table = ExportTable(columns: [
        "fpf", "cbp_fentanyl_lbs", "ice_fentanyl_lbs", "cbp_pill_presses", "ice_pill_presses",
        "cbp_date", "ice_date", "cbp_region", "ice_region", "cbp_extract", "ice_extract", "side_used",
        "in_period", "status", "first_seen_release",
    ])
    let rows = try database.rows(
        """
        SELECT d.fpf, d.cbp_fentanyl_lbs, d.ice_fentanyl_lbs, d.cbp_pill_presses, d.ice_pill_presses,
            d.cbp_date, d.ice_date, d.cbp_region, d.ice_region, d.cbp_file_name, d.ice_file_name,
            d.side_used, d.in_period,
            EXISTS (
                SELECT 1 FROM release_seizure p
                WHERE p.release_id = r.previous_release_id AND p.fpf = d.fpf AND p.is_discrepancy = 1
            ) AS persisting,
            (
                SELECT f.name FROM release_seizure p JOIN release f ON f.release_id = p.release_id
                WHERE p.fpf = d.fpf AND p.is_discrepancy = 1 AND p.release_id <= r.release_id
                ORDER BY p.release_id LIMIT 1
            ) AS first_seen
        FROM discrepancies d JOIN release r ON r.name = d.release
        WHERE r.release_id = ?
        ORDER BY d.fpf
        """, [.integer(Int64(release.id))])
    for row in rows {
        table.rows.append([
            row.string(0)!, poundsText(row.double(1)), poundsText(row.double(2)),
            row.string(3) ?? "", row.string(4) ?? "", row.string(5) ?? "", row.string(6) ?? "",
            row.string(7) ?? "", row.string(8) ?? "", row.string(9) ?? "", row.string(10) ?? "",
            row.string(11)!, row.int(12) == 1 ? "yes" : "no",
            row.int(13) == 1 ? "persisting" : "new", row.string(14) ?? release.name,
        ])
    }
    return table
}

/// Discrepancies of the previous release that this one no longer has.
public func resolvedDiscrepancies(_ database: Database, release: ReleaseRecord) throws -> [String] {
    guard let previous = release.previousReleaseID else { return [] }
    return try database.rows(
        """
        SELECT p.fpf FROM release_seizure p
        WHERE p.release_id = ? AND p.is_discrepancy = 1
            AND NOT EXISTS (SELECT 1 FROM release_seizure c
                WHERE c.release_id = ? AND c.fpf = p.fpf AND c.is_discrepancy = 1)
        ORDER BY p.fpf
        """, [.integer(Int64(previous)), .integer(Int64(release.id))]
    ).compactMap { $0.string(0) }
}

/// Rows for the discrepancies of the previous release that this one no longer has, with status
/// `resolved`, in the columns of `exportDiscrepancies`. Values and extracts are this release's
/// when it still has the FPF (so both sides now agree), else the previous release's.
public func exportResolvedDiscrepancies(_ database: Database, release: ReleaseRecord) throws -> [[String]] {
    guard let previousID = release.previousReleaseID,
        let previous = try ReleaseRecord.load(database, id: previousID)
    else { return [] }
    let currentExtracts = try release.extracts(database)
    let previousExtracts = try previous.extracts(database)
    var rows: [[String]] = []
    for fpf in try resolvedDiscrepancies(database, release: release) {
        let current = try FrozenSeizure.load(database, release: release, fpf: fpf)
        guard let seizure = try current ?? FrozenSeizure.load(database, release: previous, fpf: fpf) else {
            continue
        }
        let extracts = current != nil ? currentExtracts : previousExtracts
        let firstSeen = try database.row(
            """
            SELECT f.name FROM release_seizure p JOIN release f ON f.release_id = p.release_id
            WHERE p.fpf = ? AND p.is_discrepancy = 1 ORDER BY p.release_id LIMIT 1
            """, [.text(fpf)])?.string(0) ?? previous.name
        rows.append([
            fpf, poundsText(seizure.cbp?.fentanylLbs), poundsText(seizure.ice?.fentanylLbs),
            seizure.cbp.map { "\($0.pillPresses)" } ?? "", seizure.ice.map { "\($0.pillPresses)" } ?? "",
            seizure.cbp?.date ?? "", seizure.ice?.date ?? "", seizure.cbp?.region ?? "",
            seizure.ice?.region ?? "", extracts[.cbp]?.fileName ?? "", extracts[.ice]?.fileName ?? "",
            seizure.sideUsed.rawValue, seizure.inPeriod ? "yes" : "no", "resolved", firstSeen,
        ])
    }
    return rows
}

/// Pounds to two decimals for lists meant for people (the database keeps full precision).
func poundsText(_ pounds: Double?) -> String {
    guard let pounds else { return "" }
    let hundredths = hundredthsOfPound(pounds)
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// Excluded lines of the extracts a release used, under its reference data, for follow-up.
public func exportExclusions(_ database: Database, release: ReleaseRecord) throws -> ExportTable {
    var table = ExportTable(columns: ["agency", "extract", "line", "reason", "raw_fpf", "value"])
    let extracts = [release.cbpExtractID, release.iceExtractID].compactMap { $0 }
    for extractID in extracts {
        for row in try database.rows(
            """
            SELECT agency, file_name, line, reason, raw_fpf, reason_value FROM exclusions
            WHERE extract_id = ? AND reference_version_id = ? ORDER BY line
            """, [.integer(Int64(extractID)), .integer(Int64(release.referenceVersion))])
        {
            table.rows.append((0..<6).map { row.string($0) ?? "" })
        }
    }
    return table
}
