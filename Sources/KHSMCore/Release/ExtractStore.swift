/// An ingested extract, as stored.
public struct ExtractRecord: Sendable {
    public var id: Int
    public var agency: Agency
    public var fileName: String
    public var sha256: String
    public var extractedOn: CalendarDate
    public var ingestedAt: String
    public var delimiter: UInt8
    public var header: String
    public var recordsSHA256: String
    public var referenceVersion: Int

    static let columns = """
        extract_id, agency, file_name, sha256, extracted_on, ingested_at, delimiter, header,
        records_sha256, reference_version_id
        """

    init(row: Row) {
        id = row.int(0)!
        agency = Agency(rawValue: row.string(1)!)!
        fileName = row.string(2)!
        sha256 = row.string(3)!
        extractedOn = CalendarDate(iso: row.string(4)!)!
        ingestedAt = row.string(5)!
        delimiter = row.string(6)!.utf8.first ?? UInt8(ascii: ",")
        header = row.string(7)!
        recordsSHA256 = row.string(8)!
        referenceVersion = row.int(9)!
    }

    public static func load(_ database: Database, id: Int) throws -> ExtractRecord? {
        try database.row("SELECT \(columns) FROM extract WHERE extract_id = ?", [.integer(Int64(id))])
            .map(ExtractRecord.init)
    }

    /// Finds the agency's extract with the latest extraction date on or before `date`; ties go to
    /// the one ingested later.
    public static func current(_ database: Database, agency: Agency, onOrBefore date: CalendarDate) throws
        -> ExtractRecord?
    {
        try database.row(
            """
            SELECT \(columns) FROM extract
            WHERE agency = ? AND extracted_on <= ?
            ORDER BY extracted_on DESC, extract_id DESC LIMIT 1
            """, [.text(agency.rawValue), .text(date.description)]
        ).map(ExtractRecord.init)
    }

    /// True when this extract is more recent than `other`: a later extraction date, or the same
    /// date and ingested later.
    public func isMoreRecent(than other: ExtractRecord) -> Bool {
        if extractedOn != other.extractedOn { return extractedOn > other.extractedOn }
        return id > other.id
    }
}

/// The stored line items of an extract under one reference version, in file order.
func loadLineItems(_ database: Database, extractID: Int, referenceVersion: Int) throws -> [LineItem] {
    let statement = try database.prepare(
        """
        SELECT line, outcome, reason, reason_value, raw_fpf, fpf, seizure_date, aor, region,
            commodity, measure, pounds, presses, cents, fpf_suffix
        FROM line_item WHERE extract_id = ? AND reference_version_id = ? ORDER BY line
        """)
    try statement.bind([.integer(Int64(extractID)), .integer(Int64(referenceVersion))])
    // Read column by column without a `Row` per line item, because a release loads every
    // line item of two extracts. An extract has one line item per record.
    var items: [LineItem] = []
    let recordCount = try database.row("SELECT record_count FROM extract WHERE extract_id = ?",
        [.integer(Int64(extractID))])?.int(0)
    items.reserveCapacity(recordCount ?? 0)
    while try statement.advance() {
        var raw = RawLine()
        raw.fpf = statement.text(at: 4) ?? ""
        raw.commodity = statement.text(at: 9) ?? ""
        var item = LineItem(line: Int(statement.int64(at: 0)!),
            outcome: LineOutcome(rawValue: statement.text(at: 1)!)!, raw: raw)
        item.reason = statement.text(at: 2).flatMap(ExclusionReason.init(rawValue:))
        item.reasonValue = statement.text(at: 3)
        item.fpf = statement.text(at: 5)
        item.date = statement.text(at: 6).flatMap(CalendarDate.init(iso:))
        item.aor = statement.text(at: 7)
        item.region = statement.text(at: 8)
        item.measure = statement.text(at: 10).flatMap(Measure.init(rawValue:))
        item.pounds = statement.double(at: 11)
        item.presses = statement.int64(at: 12)
        item.cents = statement.int64(at: 13)
        item.fpfSuffix = statement.text(at: 14)
        items.append(item)
    }
    return items
}

/// Cleanses the stored records of an extract again, from their raw text, under `reference`.
/// Returns the line items and the digest of the records as stored now.
func cleanseStoredRecords(_ database: Database, extract: ExtractRecord, reference: ReferenceData) throws
    -> (items: [LineItem], recordsSHA256: String)
{
    var items: [LineItem] = []
    let digest = try cleanseStoredRecords(database, extract: extract, reference: reference) { items.append($0) }
    return (items, digest)
}

/// Cleanses the stored records of an extract again, from their raw text, under `reference`,
/// and hands each line item to `body` in file order without keeping them. Returns the digest
/// of the records as stored now.
func cleanseStoredRecords(_ database: Database, extract: ExtractRecord, reference: ReferenceData,
    _ body: (LineItem) throws -> Void) throws -> String
{
    let headerRecords = try CSVReader.records(text: extract.header, name: extract.fileName,
        delimiter: extract.delimiter)
    guard let header = headerRecords.first else {
        throw IngestError(file: extract.fileName, line: 1, column: nil, message: "the stored header is empty")
    }
    let mapping = try ColumnMapping(header: header, agency: extract.agency, reference: reference,
        file: extract.fileName, delimiter: extract.delimiter)
    let cleanser = Cleanser(reference: reference, agency: extract.agency)
    let statement = try database.prepare(
        "SELECT line, raw FROM source_record WHERE extract_id = ? ORDER BY line")
    try statement.bind([.integer(Int64(extract.id))])
    var hash = SHA256()
    while try statement.advance() {
        let line = Int(statement.int64(at: 0)!)
        let raw = statement.text(at: 1)!
        updateRecordsHash(&hash, line: line, raw: raw)
        let isBlankText = raw.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
        let parsed = isBlankText ? [] : try CSVReader.records(text: raw, name: extract.fileName,
            delimiter: extract.delimiter)
        guard let record = parsed.first, !record.isBlank else {
            var item = LineItem(line: line, outcome: .blank, raw: RawLine())
            item.rawFPF = ""
            try body(item)
            continue
        }
        guard record.fields.count == header.fields.count else {
            throw IngestError(file: extract.fileName, line: line, column: nil,
                message: "the stored record has \(record.fields.count) fields, the header \(header.fields.count)")
        }
        try body(cleanser.cleanse(line: line, mapping.rawLine(record)))
    }
    return hexString(hash.finalize())
}

/// What the method needs of `extract` under `referenceVersion`, cleansing its stored records
/// first when that version has not been applied to it yet. Call inside a transaction.
func extractTotals(_ database: Database, extract: ExtractRecord, referenceVersion: Int) throws
    -> ExtractTotals
{
    let cleansed = try database.row(
        "SELECT 1 FROM line_item WHERE extract_id = ? AND reference_version_id = ? LIMIT 1",
        [.integer(Int64(extract.id)), .integer(Int64(referenceVersion))]) != nil
    guard cleansed else {
        let reference = try ReferenceData.load(from: database, version: referenceVersion)
        let store = try LineItemStore(database: database, extractID: extract.id,
            referenceVersion: referenceVersion)
        var totals = ExtractTotals(agency: extract.agency)
        _ = try cleanseStoredRecords(database, extract: extract, reference: reference) { item in
            if item.outcome == .blank {
                try store.insertBlank(line: item.line)
            } else {
                try store.insert(item)
            }
            totals.add(item)
        }
        try store.finish()
        return totals
    }
    // Streams the stored line items into seizures and counts, reading only the columns the
    // method uses, because building every line item of a large extract first took most of the
    // time and memory of a release.
    let statement = try database.prepare(
        """
        SELECT line, outcome, reason, fpf, seizure_date, aor, region, measure, pounds, presses, cents
        FROM line_item WHERE extract_id = ? AND reference_version_id = ? ORDER BY line
        """)
    try statement.bind([.integer(Int64(extract.id)), .integer(Int64(referenceVersion))])
    var totals = ExtractTotals(agency: extract.agency)
    while try statement.advance() {
        let outcome = LineOutcome(rawValue: statement.text(at: 1)!)!
        totals.count(outcome: outcome, reason: statement.text(at: 2).flatMap(ExclusionReason.init(rawValue:)))
        guard outcome == .accepted,
            let fpf = statement.text(at: 3),
            let date = statement.text(at: 4).flatMap(CalendarDate.init(iso:)),
            let aor = statement.text(at: 5),
            let region = statement.text(at: 6),
            let measure = statement.text(at: 7).flatMap(Measure.init(rawValue:))
        else { continue }
        AgencySeizure.add(line: Int(statement.int64(at: 0)!), fpf: fpf, date: date, region: region, aor: aor,
            measure: measure, pounds: statement.double(at: 8), presses: statement.int64(at: 9),
            cents: statement.int64(at: 10), to: &totals.seizures)
    }
    return totals
}
