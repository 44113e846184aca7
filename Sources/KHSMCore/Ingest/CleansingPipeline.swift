import Foundation

/// A record of an extract and what cleansing made of it.
struct CleansedRecord {
    var line: Int
    /// The record's text as read, stored in `source_record`.
    var raw: String
    /// The line item, or nil for a blank record.
    var item: LineItem?
    /// Bytes of the file consumed through this record, for progress reports.
    var bytesRead: Int
}

/// Reads, checks and cleanses the records of an extract on a thread of its own, so that this
/// work overlaps with the SQLite inserts on the calling thread.
///
/// The records travel in batches through a channel of a few batches, so memory stays bounded
/// whatever the file size. The thread also computes the digest of the records as stored, which
/// `release verify` recomputes.
final class CleansingPipeline: @unchecked Sendable {
    static let batchSize = 1024
    static let batchesInFlight = 4

    private let channel = BoundedChannel<Result<[CleansedRecord], Error>>(capacity: batchesInFlight)
    private let finished = DispatchSemaphore(value: 0)
    /// Set by the reading thread before it closes the channel, read after the channel ends.
    private var recordsDigest = ""
    /// The reader's digest of the bytes it parsed, set like `recordsDigest`.
    private var contentDigest: String?

    /// Starts reading the records after `header` from `reader`.
    init(reader: CSVReader, header: CSVRecord, mapping: ColumnMapping, cleanser: Cleanser, path: String) {
        let thread = Thread { [self] in
            var reader = reader
            defer { finished.signal() }
            do {
                try read(&reader, header: header, mapping: mapping, cleanser: cleanser, path: path)
            } catch {
                _ = channel.send(.failure(error))
            }
            channel.close()
        }
        thread.name = "khsm-cleansing"
        thread.start()
    }

    /// Stops the reading thread if it is still running and waits for it to end. Call it once,
    /// after the last `next()`, whether the ingest succeeded or not.
    func stop() {
        channel.cancel()
        finished.wait()
    }

    /// Returns the next batch in file order, or nil after the last one. Rethrows the error that
    /// ended the reading, such as a malformed record.
    func next() throws -> [CleansedRecord]? {
        try channel.receive()?.get()
    }

    /// The digest of the stored records (line, tab, text, line feed for each), valid after
    /// `next()` returned nil.
    var recordsSHA256: String { recordsDigest }

    /// The SHA-256 of the file's bytes as parsed, valid after `next()` returned nil; it differs
    /// from the digest taken apart when the file changed during the ingest.
    var contentSHA256: String? { contentDigest }

    private func read(_ reader: inout CSVReader, header: CSVRecord, mapping: ColumnMapping,
        cleanser: Cleanser, path: String) throws
    {
        var recordsHash = SHA256()
        var batch: [CleansedRecord] = []
        batch.reserveCapacity(CleansingPipeline.batchSize)
        while let record = try reader.next() {
            updateRecordsHash(&recordsHash, line: record.line, raw: record.raw)
            var item: LineItem?
            if !record.isBlank {
                guard record.fields.count == header.fields.count else {
                    throw fieldCountError(record: record, expected: header.fields.count, path: path)
                }
                item = cleanser.cleanse(line: record.line, mapping.rawLine(record))
            }
            batch.append(CleansedRecord(line: record.line, raw: record.raw, item: item,
                bytesRead: reader.bytesRead))
            if batch.count == CleansingPipeline.batchSize {
                guard channel.send(.success(batch)) else { return }
                batch.removeAll(keepingCapacity: true)
            }
        }
        recordsDigest = hexString(recordsHash.finalize())
        contentDigest = reader.sha256
        if !batch.isEmpty {
            _ = channel.send(.success(batch))
        }
    }
}
