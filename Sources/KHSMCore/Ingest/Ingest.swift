import Foundation

/// How to read one extract.
public struct IngestOptions: Sendable {
    public var agency: Agency
    /// The day the agency pulled the data from SEACATS.
    public var extractedOn: CalendarDate
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var encoding: TextEncoding = .utf8
    /// Seconds to wait for the database's write lock while another process holds it.
    public var lockTimeout: Double = 10

    public init(agency: Agency, extractedOn: CalendarDate) {
        self.agency = agency
        self.extractedOn = extractedOn
    }
}

/// Progress of a running ingest, reported every few thousand records.
public struct IngestProgress: Sendable {
    public var records: Int
    public var bytesRead: Int
    public var totalBytes: Int
}

/// Counts of an ingest: records stored and the outcome of cleansing them.
public struct IngestSummary: Sendable {
    public struct Example: Sendable {
        public var line: Int
        public var value: String
    }

    /// Two records of one file with the same 24-digit FPF (same line-item suffix).
    public struct RepeatedLineItem: Sendable {
        public var fpf: String
        public var firstLine: Int
        public var line: Int
    }

    public var extractID = 0
    public var fileName = ""
    public var sha256 = ""
    public var agency = Agency.cbp
    public var recordsRead = 0
    public var inScope = 0
    public var accepted = 0
    public var excluded: [ExclusionReason: Int] = [:]
    public var outOfScope = 0
    public var blank = 0
    /// The first few excluded lines of each reason, for the operator to look at.
    public var examples: [ExclusionReason: [Example]] = [:]
    /// The first few repeated line items; `repeatedLineItemCount` counts them all.
    public var repeatedLineItems: [RepeatedLineItem] = []
    public var repeatedLineItemCount = 0
    /// Earlier extracts of the agency with the same records, line by line, such as the same file
    /// saved again with a byte order mark or CRLF line ends. Empty for a file without records.
    public var sameRecordsAs: [(extractID: Int, fileName: String, extractedOn: String)] = []
    public var excludedTotal: Int { excluded.values.reduce(0, +) }

    static let examplesPerReason = 5
}

/// An extract identical to one already stored.
public struct DuplicateExtractError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let sha256: String
    public let earlierExtractID: Int
    public let earlierFileName: String
    public let earlierIngestedAt: String

    public var description: String {
        "\(file): this file was already ingested as extract \(earlierExtractID) ('\(displayText(earlierFileName))', ingested \(earlierIngestedAt), SHA-256 \(sha256)); an extract is stored once. Nothing was stored."
    }
}

/// Reads one agency extract into the database in one transaction: the extract, every record as
/// read, and what cleansing made of each under the reference data in force. When anything
/// fails, nothing is stored.
///
/// The transaction holds the database's write lock from the header to the commit, so ingests
/// into one database run one after the other. `waiting` is called once when another process
/// holds the lock; the ingest then waits up to `options.lockTimeout` seconds for it.
public func ingest(database: Database, path: String, options: IngestOptions,
    progress: ((IngestProgress) -> Void)? = nil, waiting: (() -> Void)? = nil) throws -> IngestSummary
{
    try requireRegularFile(path)
    // The file is hashed on another thread while its records are read and stored. An error of
    // the hash, or a file ingested before, still wins over any other error, as if the hash had
    // come first. A file ingested before is thus reported only once its records were read.
    let fileHash = BackgroundTask(name: "khsm-file-hash") { try SHA256.hex(ofFileAt: path) }
    do {
        return try ingest(database: database, path: path, options: options, fileHash: fileHash,
            progress: progress, waiting: waiting)
    } catch {
        try checkNotIngested(database: database, path: path, sha256: try fileHash.value())
        throw error
    }
}

/// Throws `DuplicateExtractError` when a file with this digest was ingested before.
private func checkNotIngested(database: Database, path: String, sha256: String) throws {
    if let earlier = try database.row(
        "SELECT extract_id, file_name, ingested_at FROM extract WHERE sha256 = ?", [.text(sha256)])
    {
        throw DuplicateExtractError(file: path, sha256: sha256, earlierExtractID: earlier.int(0)!,
            earlierFileName: earlier.string(1)!, earlierIngestedAt: earlier.string(2)!)
    }
}

/// Throws unless `path` is a regular file. Ingest reads the file twice (for its SHA-256 and for
/// its records), which a pipe or a device cannot serve.
private func requireRegularFile(_ path: String) throws {
    var status = stat()
    guard stat(path, &status) == 0 else {
        throw CSVError.unreadable(path: path, action: "open", errno: errno)
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
        throw IngestError(file: path, line: nil, column: nil,
            message: "not a regular file (a pipe, device or socket): ingest reads the extract twice, once for its SHA-256 and once for its records. Save the extract to a file and ingest that file.")
    }
}

private func ingest(database: Database, path: String, options: IngestOptions,
    fileHash: BackgroundTask<String>, progress: ((IngestProgress) -> Void)?,
    waiting: (() -> Void)?) throws -> IngestSummary
{
    let fileName = (path as NSString).lastPathComponent
    guard let referenceVersion = try ReferenceData.currentVersion(in: database) else {
        throw IngestError(file: path, line: nil, column: nil,
            message: "the database has no reference data; run 'khsm init' first.")
    }
    let reference = try ReferenceData.load(from: database, version: referenceVersion)
    let cleanser = Cleanser(reference: reference, agency: options.agency)

    var reader = try CSVReader(path: path, delimiter: options.delimiter, encoding: options.encoding)
    guard let header = try reader.next() else {
        throw IngestError(file: path, line: nil, column: nil, message: "no header: the file is empty.")
    }
    let mapping = try ColumnMapping(header: header, agency: options.agency, reference: reference,
        file: path, delimiter: options.delimiter)

    var summary = IngestSummary()
    summary.fileName = fileName
    summary.agency = options.agency

    // A larger page cache keeps the B-tree pages of a large extract in memory (8 MiB, within
    // the memory budget of an ingest); NORMAL sync is safe in WAL mode and only gives up
    // durability of the last transaction on power loss, never consistency.
    try database.execute("PRAGMA cache_size = -8192; PRAGMA synchronous = NORMAL")
    database.busyTimeout = options.lockTimeout
    try database.transaction(waiting: waiting) {
        try database.execute("PRAGMA defer_foreign_keys = ON")
        let extractID = (try database.row("SELECT coalesce(max(extract_id), 0) + 1 FROM extract")?.int(0))!
        summary.extractID = extractID
        let store = try LineItemStore(database: database, extractID: extractID,
            referenceVersion: referenceVersion)
        let recordInsert = try BatchInsert(database: database, table: "source_record",
            columns: ["extract_id", "line", "raw"])

        // Another thread reads and cleanses the records while this one stores them.
        let pipeline = CleansingPipeline(reader: reader, header: header, mapping: mapping, cleanser: cleanser,
            path: path)
        defer { pipeline.stop() }
        while let batch = try pipeline.next() {
            for record in batch {
                summary.recordsRead += 1
                try recordInsert.add { row in
                    try row.bind(Int64(extractID), 1)
                    try row.bind(Int64(record.line), 2)
                    try row.bind(record.raw, 3)
                }
                if let item = record.item {
                    try store.insert(item)
                    tally(item, into: &summary)
                } else {
                    summary.blank += 1
                    try store.insertBlank(line: record.line)
                }
                if summary.recordsRead % 20_000 == 0 {
                    progress?(IngestProgress(records: summary.recordsRead, bytesRead: record.bytesRead,
                        totalBytes: reader.fileSize))
                }
            }
        }
        try recordInsert.finish()
        try store.finish()

        try refreshPlannerStatistics(database)
        summary.repeatedLineItemCount = try findRepeatedLineItems(database, extractID: extractID,
            referenceVersion: referenceVersion, examples: &summary.repeatedLineItems)
        let sha256 = try fileHash.value()
        // The digest names the extract, so the records stored must be the bytes it covers.
        guard pipeline.contentSHA256 == sha256 else {
            throw IngestError(file: path, line: nil, column: nil,
                message: "the file changed while it was read: its SHA-256 was \(sha256) when hashed and \(pipeline.contentSHA256 ?? "unknown") as parsed. A program may still be writing it; wait until the file is complete and ingest it again.")
        }
        // Checked inside the transaction: another ingest of the same file may have committed
        // while this one waited for the lock.
        try checkNotIngested(database: database, path: path, sha256: sha256)
        summary.sha256 = sha256
        let recordsSHA256 = pipeline.recordsSHA256
        summary.sameRecordsAs = summary.recordsRead == 0 ? [] : try database.rows(
            "SELECT extract_id, file_name, extracted_on FROM extract WHERE records_sha256 = ? AND agency = ? ORDER BY extract_id",
            [.text(recordsSHA256), .text(options.agency.rawValue)]
        ).map { ($0.int(0)!, $0.string(1)!, $0.string(2)!) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? reader.fileSize
        try database.run(
            """
            INSERT INTO extract (extract_id, agency, file_name, source_path, sha256, size_bytes,
                extracted_on, ingested_at, encoding, delimiter, header, record_count, records_sha256,
                reference_version_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.integer(Int64(extractID)), .text(options.agency.rawValue), .text(fileName), .text(path),
             .text(sha256), .integer(Int64(size)), .text(options.extractedOn.description),
             .text(utcTimestamp()), .text(options.encoding.rawValue),
             .text(String(UnicodeScalar(options.delimiter))), .text(header.raw),
             .integer(Int64(summary.recordsRead)), .text(recordsSHA256),
             .integer(Int64(referenceVersion))])
    }
    progress?(IngestProgress(records: summary.recordsRead, bytesRead: reader.fileSize,
        totalBytes: reader.fileSize))
    return summary
}

/// Adds one stored record to the digest that `release verify` recomputes.
func updateRecordsHash(_ hash: inout SHA256, line: Int, raw: String) {
    var prefix = String(line)
    prefix.append("\t")
    var text = raw
    let lineFeed = UInt8(ascii: "\n")
    prefix.withUTF8 { hash.update(UnsafeRawBufferPointer($0)) }
    text.withUTF8 { hash.update(UnsafeRawBufferPointer($0)) }
    withUnsafeBytes(of: lineFeed) { hash.update($0) }
}

/// Finds records of one extract that repeat a 24-digit FPF (same FPF, same line-item suffix),
/// which a spreadsheet that zeroed a digit can leave behind; returns how many repeat an earlier
/// line and keeps the first few as examples.
private func findRepeatedLineItems(_ database: Database, extractID: Int, referenceVersion: Int,
    examples: inout [IngestSummary.RepeatedLineItem]) throws -> Int
{
    // Most extracts repeat none, and counting the groups costs less than listing every line.
    let repeatedGroups = try database.row(
        """
        SELECT count(*) FROM (
            SELECT 1 FROM line_item
            WHERE extract_id = ? AND reference_version_id = ? AND fpf_suffix IS NOT NULL
            GROUP BY fpf, fpf_suffix HAVING count(*) > 1
        )
        """, [.integer(Int64(extractID)), .integer(Int64(referenceVersion))])?.int(0) ?? 0
    guard repeatedGroups > 0 else { return 0 }
    let statement = try database.prepare(
        """
        SELECT fpf || fpf_suffix, first_line, line
        FROM (
            SELECT fpf, fpf_suffix, line, min(line) OVER (PARTITION BY fpf, fpf_suffix) AS first_line
            FROM line_item
            WHERE extract_id = ? AND reference_version_id = ? AND fpf_suffix IS NOT NULL
        )
        WHERE line <> first_line
        ORDER BY line
        """)
    try statement.bind([.integer(Int64(extractID)), .integer(Int64(referenceVersion))])
    var count = 0
    while let row = try statement.step() {
        let firstLine = row.int(1)!
        let line = row.int(2)!
        count += 1
        if examples.count < IngestSummary.examplesPerReason * 2 {
            examples.append(.init(fpf: row.string(0)!, firstLine: firstLine, line: line))
        }
    }
    return count
}

/// Builds the error for a record whose field count differs from the header's, with the likely
/// cause.
func fieldCountError(record: CSVRecord, expected: Int, path: String) -> IngestError {
    let found = record.fields.count
    var message = "expected \(expected) fields as in the header, found \(found)"
    let column: Int
    if found > expected {
        column = expected + 1
        let extra = record.fields[expected...]
        if extra.allSatisfy({ $0.isEmpty }) {
            let columns = found - expected == 1 ? "column \(column) is" : "columns \(column) to \(found) are"
            message += ": \(columns) empty and have no name in the header, as a spreadsheet writes after cleared cells. Remove the trailing separators from the file."
        } else {
            message += ": field \(column) is '\(displayText(record.fields[column - 1], maxCharacters: 60))'. A value that contains the delimiter, such as 1,234.5, must be quoted (\"1,234.5\"). Check the quoting of this record."
        }
    } else {
        column = found + 1
        message += ": the record ends after field \(found). Check that no value is missing and that no line break splits the record."
    }
    message += " The record reads '\(displayText(record.raw, maxCharacters: 120))'."
    return IngestError(file: path, line: record.line, column: column, message: message)
}

private func tally(_ item: LineItem, into summary: inout IngestSummary) {
    switch item.outcome {
    case .accepted:
        summary.accepted += 1
        summary.inScope += 1
    case .excluded:
        let reason = item.reason!
        summary.excluded[reason, default: 0] += 1
        if reason != .unknownCommodity { summary.inScope += 1 }
        if summary.examples[reason, default: []].count < IngestSummary.examplesPerReason {
            summary.examples[reason, default: []].append(.init(line: item.line, value: item.reasonValue ?? ""))
        }
    case .outOfScope:
        summary.outOfScope += 1
    case .blank:
        summary.blank += 1
    }
}

/// Formats the current time in UTC, as stored in the database.
func utcTimestamp(_ date: Date = Date()) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}

/// Inserts cleansed line items of one extract under one reference version. Call `finish()`
/// after the last one.
final class LineItemStore {
    private let rows: BatchInsert
    private let extractID: Int64
    private let referenceVersion: Int64

    init(database: Database, extractID: Int, referenceVersion: Int) throws {
        rows = try BatchInsert(database: database, table: "line_item", columns: [
            "extract_id", "reference_version_id", "line", "outcome", "reason", "reason_value", "raw_fpf",
            "fpf", "fpf_suffix", "seizure_date", "aor", "region", "commodity", "measure", "pounds",
            "presses", "cents",
        ])
        self.extractID = Int64(extractID)
        self.referenceVersion = Int64(referenceVersion)
    }

    func insertBlank(line: Int) throws {
        try rows.add { [extractID, referenceVersion] row in
            try row.bind(extractID, 1)
            try row.bind(referenceVersion, 2)
            try row.bind(Int64(line), 3)
            try row.bind(LineOutcome.blank.rawValue, 4)
            for column in Int32(5)...17 {
                try row.bind(nil as Int64?, column)
            }
        }
    }

    // Binds by position, in the order of the columns above, because this runs once per record
    // and an array of values per row costs more than the insert's own bookkeeping.
    func insert(_ item: LineItem) throws {
        try rows.add { [extractID, referenceVersion] row in
            try row.bind(extractID, 1)
            try row.bind(referenceVersion, 2)
            try row.bind(Int64(item.line), 3)
            try row.bind(item.outcome.rawValue, 4)
            try row.bind(item.reason?.rawValue, 5)
            try row.bind(item.reasonValue, 6)
            try row.bind(item.rawFPF, 7)
            try row.bind(item.fpf, 8)
            try row.bind(item.fpfSuffix, 9)
            try row.bind(item.date?.description, 10)
            try row.bind(item.aor, 11)
            try row.bind(item.region, 12)
            try row.bind(item.commodity, 13)
            try row.bind(item.measure?.rawValue, 14)
            try row.bind(item.pounds, 15)
            try row.bind(item.presses, 16)
            try row.bind(item.cents, 17)
        }
    }

    /// Inserts the line items still waiting in a partial batch.
    func finish() throws {
        try rows.finish()
    }
}
