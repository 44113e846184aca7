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
    let fileName = (path as NSString).lastPathComponent
    try requireRegularFile(path)
    let sha256 = try SHA256.hex(ofFileAt: path)
    try rejectDuplicate(database: database, path: path, sha256: sha256)
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
    summary.sha256 = sha256
    summary.agency = options.agency

    // A larger page cache keeps the B-tree pages of a large extract in memory (8 MiB, within
    // the memory budget of an ingest); NORMAL sync is safe in WAL mode and only gives up
    // durability of the last transaction on power loss, never consistency.
    try database.execute("PRAGMA cache_size = -8192; PRAGMA synchronous = NORMAL")
    database.busyTimeout = options.lockTimeout
    try database.transaction(waiting: waiting) {
        // Another ingest of the same file may have committed while this one waited for the lock.
        try rejectDuplicate(database: database, path: path, sha256: sha256)
        try database.execute("PRAGMA defer_foreign_keys = ON")
        let extractID = (try database.row("SELECT coalesce(max(extract_id), 0) + 1 FROM extract")?.int(0))!
        summary.extractID = extractID
        let store = try LineItemStore(database: database, extractID: extractID,
            referenceVersion: referenceVersion)
        let recordInsert = try database.prepare(
            "INSERT INTO source_record (extract_id, line, raw) VALUES (?, ?, ?)")
        var recordsHash = SHA256()

        while let record = try reader.next() {
            summary.recordsRead += 1
            try recordInsert.execute([.integer(Int64(extractID)), .integer(Int64(record.line)),
                .text(record.raw)])
            updateRecordsHash(&recordsHash, line: record.line, raw: record.raw)

            if record.isBlank {
                summary.blank += 1
                try store.insertBlank(line: record.line)
                continue
            }
            guard record.fields.count == header.fields.count else {
                throw fieldCountError(record: record, expected: header.fields.count, path: path)
            }
            let item = cleanser.cleanse(line: record.line, mapping.rawLine(record))
            try store.insert(item)
            tally(item, into: &summary)

            if summary.recordsRead % 20_000 == 0 {
                progress?(IngestProgress(records: summary.recordsRead, bytesRead: reader.bytesRead,
                    totalBytes: reader.fileSize))
            }
        }

        summary.repeatedLineItemCount = try findRepeatedLineItems(database, extractID: extractID,
            referenceVersion: referenceVersion, examples: &summary.repeatedLineItems)
        // The digest taken before reading names the extract, so the records must be of that file.
        guard reader.sha256 == sha256 else {
            throw IngestError(file: path, line: nil, column: nil,
                message: "the file changed while it was read: its SHA-256 was \(sha256) before reading and \(reader.sha256 ?? "unknown") after. A program may still be writing it; wait until the file is complete and ingest it again.")
        }
        let recordsSHA256 = hexString(recordsHash.finalize())
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
    hash.update(Array(String(line).utf8))
    hash.update([UInt8(ascii: "\t")])
    hash.update(Array(raw.utf8))
    hash.update([UInt8(ascii: "\n")])
}

/// Finds records of one extract that repeat a 24-digit FPF (same FPF, same line-item suffix),
/// which a spreadsheet that zeroed a digit can leave behind; returns how many repeat an earlier
/// line and keeps the first few as examples.
private func findRepeatedLineItems(_ database: Database, extractID: Int, referenceVersion: Int,
    examples: inout [IngestSummary.RepeatedLineItem]) throws -> Int
{
    let statement = try database.prepare(
        """
        SELECT fpf || fpf_suffix, min(line) OVER (PARTITION BY fpf, fpf_suffix) AS first_line, line
        FROM line_item
        WHERE extract_id = ? AND reference_version_id = ? AND fpf_suffix IS NOT NULL
        ORDER BY line
        """)
    try statement.bind([.integer(Int64(extractID)), .integer(Int64(referenceVersion))])
    var count = 0
    while let row = try statement.step() {
        let firstLine = row.int(1)!
        let line = row.int(2)!
        guard line != firstLine else { continue }
        count += 1
        if examples.count < IngestSummary.examplesPerReason * 2 {
            examples.append(.init(fpf: row.string(0)!, firstLine: firstLine, line: line))
        }
    }
    return count
}

/// Throws unless `path` is a regular file. Ingest reads the file twice (for its SHA-256, then for
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

/// Throws `DuplicateExtractError` when an extract with this SHA-256 is stored.
private func rejectDuplicate(database: Database, path: String, sha256: String) throws {
    if let earlier = try database.row(
        "SELECT extract_id, file_name, ingested_at FROM extract WHERE sha256 = ?", [.text(sha256)])
    {
        throw DuplicateExtractError(file: path, sha256: sha256, earlierExtractID: earlier.int(0)!,
            earlierFileName: earlier.string(1)!, earlierIngestedAt: earlier.string(2)!)
    }
}

/// The error for a record whose field count differs from the header's, with the likely cause.
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

/// Inserts cleansed line items of one extract under one reference version.
final class LineItemStore {
    private let statement: Statement
    private let extractID: SQLValue
    private let referenceVersion: SQLValue

    init(database: Database, extractID: Int, referenceVersion: Int) throws {
        statement = try database.prepare(
            """
            INSERT INTO line_item (extract_id, reference_version_id, line, outcome, reason,
                reason_value, raw_fpf, fpf, fpf_suffix, seizure_date, aor, region, commodity, measure,
                pounds, presses, cents)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        self.extractID = .integer(Int64(extractID))
        self.referenceVersion = .integer(Int64(referenceVersion))
    }

    func insertBlank(line: Int) throws {
        try statement.execute([extractID, referenceVersion, .integer(Int64(line)), .text("blank"),
            .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null])
    }

    func insert(_ item: LineItem) throws {
        func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
        try statement.execute([
            extractID, referenceVersion, .integer(Int64(item.line)), .text(item.outcome.rawValue),
            text(item.reason?.rawValue), text(item.reasonValue), .text(item.rawFPF), text(item.fpf),
            text(item.fpfSuffix), text(item.date?.description), text(item.aor), text(item.region), .text(item.commodity),
            text(item.measure?.rawValue), item.pounds.map { .real($0) } ?? .null,
            item.presses.map { .integer($0) } ?? .null, item.cents.map { .integer($0) } ?? .null,
        ])
    }
}
