#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming RFC 4180 reader over a file, one record per `next()` call.
///
/// The reader accepts CRLF, LF and lone CR line ends, mixed in one file, and strips a UTF-8 byte order
/// mark in either encoding. A quote inside an unquoted field is kept literally. The read buffer grows
/// only while a single record fills it, and a record longer than `maxRecordBytes` is rejected, so memory
/// does not grow with the file size. After `next()` throws, later calls return nil.
public struct CSVReader {
    private let parser: CSVParser

    /// Opens `path` for reading. Throws `CSVError` of kind `.unreadable` when the file cannot be opened.
    ///
    /// - Parameters:
    ///   - delimiter: field separator: an ASCII byte other than the quote, CR, LF or NUL.
    ///   - maxFieldBytes: maximum length of one field in bytes, as stored between its quotes.
    ///   - maxRecordBytes: maximum length of one record in bytes. Values below `maxFieldBytes` count as
    ///     `maxFieldBytes`.
    ///   - maxFields: maximum number of fields in one record. It bounds the memory of one record's field
    ///     list, which a line of separators alone would otherwise fill with millions of empty fields.
    public init(
        path: String,
        delimiter: UInt8 = UInt8(ascii: ","),
        encoding: TextEncoding = .utf8,
        maxFieldBytes: Int = 1 << 20,
        maxRecordBytes: Int = 1 << 24,
        maxFields: Int = CSVReader.defaultMaxFields
    ) throws {
        precondition(
            delimiter < 0x80 && delimiter != 0 && delimiter != UInt8(ascii: "\"")
                && delimiter != UInt8(ascii: "\r") && delimiter != UInt8(ascii: "\n"),
            "the delimiter must be an ASCII byte other than the quote, CR, LF or NUL"
        )
        precondition(maxFieldBytes > 0, "maxFieldBytes must be positive")
        precondition(maxFields > 0, "maxFields must be positive")
        parser = try CSVParser(
            path: path,
            delimiter: delimiter,
            encoding: encoding,
            maxFieldBytes: maxFieldBytes,
            maxRecordBytes: max(maxRecordBytes, maxFieldBytes),
            maxFields: maxFields
        )
    }

    /// Default maximum number of fields in one record: far above the 16,384 columns of a sheet in
    /// Excel 2007 and later, and a few megabytes of field list at most.
    public static let defaultMaxFields = 100_000

    /// Reads the next record. Returns nil at the end of the file.
    /// The first call throws `.noHeader` for an empty file and `.utf16` for a UTF-16 file.
    public mutating func next() throws -> CSVRecord? {
        try parser.next()
    }

    /// Parses CSV text held in memory, such as a stored record or a reference data file;
    /// `name` stands for the file in messages.
    public init(text: String, name: String, delimiter: UInt8 = UInt8(ascii: ","), maxFieldBytes: Int = 1 << 20) {
        parser = CSVParser(bytes: Array(text.utf8), path: name, delimiter: delimiter, encoding: .utf8,
            maxFieldBytes: maxFieldBytes, maxRecordBytes: max(1 << 24, maxFieldBytes),
            maxFields: CSVReader.defaultMaxFields)
    }

    /// Parses every record of CSV text held in memory.
    public static func records(text: String, name: String, delimiter: UInt8 = UInt8(ascii: ",")) throws
        -> [CSVRecord]
    {
        var reader = CSVReader(text: text, name: name, delimiter: delimiter)
        var records: [CSVRecord] = []
        while let record = try reader.next() {
            records.append(record)
        }
        return records
    }

    /// Bytes of the file consumed through the last record returned, for progress reports.
    public var bytesRead: Int { parser.bytesRead }

    /// Size of the file in bytes when it was opened (0 for a pipe).
    public var fileSize: Int { parser.fileSize }

    /// SHA-256 of every byte read, as 64 lowercase hex digits, once the reader has reached the
    /// end of the file; nil before. It differs from a digest taken earlier when the file changed.
    public var sha256: String? { parser.contentDigest }

    public var path: String { parser.path }
}

/// Byte classes for the scanning loops. A class of 0 is field content.
private enum ByteClass {
    static let content: UInt8 = 0
    static let delimiter: UInt8 = 1
    static let quote: UInt8 = 2
    static let lineFeed: UInt8 = 3
    static let carriageReturn: UInt8 = 4
    static let nul: UInt8 = 5
}

private enum ParseState {
    case fieldStart
    case unquoted
    case quoted
    /// Inside a quoted field, just after a CR, so that a following LF belongs to the same line end.
    case quotedAfterCarriageReturn
    /// Inside a quoted field, just after a quote: either a doubled quote or the closing quote.
    case afterQuote
}

/// Location of one field's bytes: in the read buffer relative to the record start, or in `unescaped`.
private struct FieldSpan {
    var start: Int
    var end: Int
    var isUnescaped: Bool
}

private let quoteByte = UInt8(ascii: "\"")
private let lineFeedByte = UInt8(ascii: "\n")
private let carriageReturnByte = UInt8(ascii: "\r")

/// The reader's state. A class, so that the file descriptor and buffers are released in `deinit`.
///
/// The current record's bytes stay contiguous in `buffer`: a refill moves the unfinished record to the
/// front and reads after it, and grows the buffer when the record fills it. Unquoted fields, and quoted
/// fields without doubled quotes or CR, are then decoded straight from the buffer.
final class CSVParser {
    let path: String
    let delimiter: UInt8
    let encoding: TextEncoding
    let maxFieldBytes: Int
    let maxRecordBytes: Int
    let maxFields: Int
    let fileSize: Int

    #if KHSM_FUZZING
    /// A few bytes per read, so that the fuzzer's short inputs cross buffer refills and growth.
    private static let readSize = 7
    #else
    private static let readSize = 1 << 20
    #endif

    private var fileDescriptor: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Number of valid bytes in `buffer`.
    private var end = 0
    /// Index in `buffer` of the next byte to parse.
    private var position = 0
    /// File offset of `buffer[0]`.
    private var bufferOffset = 0
    private var reachedEndOfFile = false
    private var started = false
    private var finished = false
    /// The previous record ended with CR, so an LF right after it completes that line end.
    private var skipLineFeed = false
    /// Physical line of the next byte to parse.
    private var line = 1
    /// SHA-256 of the bytes read so far, and its hex digest once the end of the file is reached.
    private var contentHasher = SHA256()
    private(set) var contentDigest: String?

    /// Byte classes outside quotes, where a quote is content.
    private let unquotedClasses: UnsafeMutablePointer<UInt8>
    /// Byte classes inside quotes, where the delimiter is content.
    private let quotedClasses: UnsafeMutablePointer<UInt8>

    // Arrays reused from record to record, so that they keep their capacity.
    private var spanStorage: [FieldSpan] = []
    /// Field bytes that differ from the file: doubled quotes undone, CR and CRLF turned into LF.
    private var unescapedStorage: [UInt8] = []

    init(
        path: String, delimiter: UInt8, encoding: TextEncoding, maxFieldBytes: Int, maxRecordBytes: Int,
        maxFields: Int
    ) throws {
        self.path = path
        self.delimiter = delimiter
        self.encoding = encoding
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields

        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVError.unreadable(path: path, action: "open", errno: errno)
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let code = errno
            close(fd)
            throw CSVError.unreadable(path: path, action: "read the size of", errno: code)
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            throw CSVError.unreadable(path: path, action: "read", errno: EISDIR)
        }
        fileDescriptor = fd
        fileSize = Int(status.st_size)

        capacity = CSVParser.readSize
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        (unquotedClasses, quotedClasses) = CSVParser.byteClasses(delimiter: delimiter)
    }

    /// Parses `bytes` held in memory; `path` only names them in messages.
    init(bytes: [UInt8], path: String, delimiter: UInt8, encoding: TextEncoding, maxFieldBytes: Int,
        maxRecordBytes: Int, maxFields: Int)
    {
        self.path = path
        self.delimiter = delimiter
        self.encoding = encoding
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
        fileDescriptor = -1
        fileSize = bytes.count
        capacity = max(bytes.count, 64)
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        buffer.initialize(from: bytes, count: bytes.count)
        end = bytes.count
        reachedEndOfFile = true
        contentHasher.update(bytes)
        contentDigest = hexString(contentHasher.finalize())
        (unquotedClasses, quotedClasses) = CSVParser.byteClasses(delimiter: delimiter)
    }

    private static func byteClasses(delimiter: UInt8)
        -> (unquoted: UnsafeMutablePointer<UInt8>, quoted: UnsafeMutablePointer<UInt8>)
    {
        let unquotedClasses = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        let quotedClasses = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        unquotedClasses.initialize(repeating: ByteClass.content, count: 256)
        quotedClasses.initialize(repeating: ByteClass.content, count: 256)
        for table in [unquotedClasses, quotedClasses] {
            table[Int(lineFeedByte)] = ByteClass.lineFeed
            table[Int(carriageReturnByte)] = ByteClass.carriageReturn
            table[0] = ByteClass.nul
        }
        unquotedClasses[Int(delimiter)] = ByteClass.delimiter
        quotedClasses[Int(quoteByte)] = ByteClass.quote
        return (unquotedClasses, quotedClasses)
    }

    deinit {
        closeFile()
        buffer.deallocate()
        unquotedClasses.deallocate()
        quotedClasses.deallocate()
    }

    var bytesRead: Int { bufferOffset + position }

    func next() throws -> CSVRecord? {
        if finished { return nil }
        do {
            if !started {
                try start()
            }
            guard let record = try parseRecord() else {
                finish()
                return nil
            }
            return record
        } catch {
            finish()
            throw error
        }
    }

    private func finish() {
        finished = true
        closeFile()
    }

    private func closeFile() {
        if fileDescriptor >= 0 {
            close(fileDescriptor)
            fileDescriptor = -1
        }
    }

    /// Reads the first bytes, rejects empty and UTF-16 files, and skips a UTF-8 byte order mark.
    private func start() throws {
        started = true
        while end < 64 && !reachedEndOfFile {
            _ = try refill(keepingFrom: 0)
        }
        if end == 0 {
            throw CSVError.emptyFile(path: path)
        }
        if let bigEndian = detectUTF16() {
            let byteOrderMark = end >= 2 && (buffer[0] == 0xFF || buffer[0] == 0xFE)
            throw CSVError.utf16(path: path, bigEndian: bigEndian, byteOrderMark: byteOrderMark)
        }
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            position = 3
            if end == 3 {
                throw CSVError.byteOrderMarkOnly(path: path)
            }
        }
    }

    /// Returns whether the first bytes look like UTF-16 (true for big-endian), or nil when they do not.
    /// UTF-16 shows as a byte order mark (FF FE or FE FF), or as ASCII text with a NUL byte in every
    /// other position. The check takes at least 3 of 4 byte pairs in the first 64 bytes with that pattern.
    private func detectUTF16() -> Bool? {
        if end >= 2 {
            if buffer[0] == 0xFF && buffer[1] == 0xFE { return false }
            if buffer[0] == 0xFE && buffer[1] == 0xFF { return true }
        }
        let pairs = min(end, 64) / 2
        guard pairs >= 2 else { return nil }
        var littleEndianPairs = 0
        var bigEndianPairs = 0
        for i in 0..<pairs {
            let first = buffer[2 * i]
            let second = buffer[2 * i + 1]
            if first != 0 && second == 0 {
                littleEndianPairs += 1
            } else if first == 0 && second != 0 {
                bigEndianPairs += 1
            }
        }
        if littleEndianPairs * 4 >= pairs * 3 { return false }
        if bigEndianPairs * 4 >= pairs * 3 { return true }
        return nil
    }

    /// Moves `buffer[keep..<end]` to the front, grows the buffer if it is still full, and reads more of
    /// the file after the kept bytes. Returns the number of bytes read, 0 at the end of the file.
    /// Indices into the buffer shift down by `keep`.
    private func refill(keepingFrom keep: Int) throws -> Int {
        if keep > 0 {
            let kept = end - keep
            if kept > 0 {
                memmove(buffer, buffer + keep, kept)
            }
            bufferOffset += keep
            end = kept
        }
        if end == capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        if reachedEndOfFile {
            return 0
        }
        while true {
            let count = read(fileDescriptor, buffer + end, min(capacity - end, CSVParser.readSize))
            if count < 0 {
                if errno == EINTR { continue }
                throw CSVError.unreadable(path: path, action: "read", errno: errno)
            }
            if count == 0 {
                reachedEndOfFile = true
                contentDigest = hexString(contentHasher.finalize())
            } else {
                contentHasher.update(UnsafeRawBufferPointer(start: buffer + end, count: count))
            }
            end += count
            return count
        }
    }

    // The scanning loop keeps positions in locals, because they change on every byte. Positions named
    // `...Start` and `...End` inside a record are relative to `recordStart`, so they survive a refill.
    private func parseRecord() throws -> CSVRecord? {
        if skipLineFeed {
            skipLineFeed = false
            if position == end {
                _ = try refill(keepingFrom: position)
                position = 0
            }
            if position < end && buffer[position] == lineFeedByte {
                position += 1
            }
        }
        if position == end {
            _ = try refill(keepingFrom: position)
            position = 0
        }
        if position == end {
            return nil
        }

        var spans = spanStorage
        spanStorage = []
        spans.removeAll(keepingCapacity: true)
        var unescaped = unescapedStorage
        unescapedStorage = []
        unescaped.removeAll(keepingCapacity: true)
        defer {
            spanStorage = spans
            unescapedStorage = unescaped
        }

        let startLine = line
        let recordOffset = bufferOffset + position
        var recordStart = position
        var p = position
        var base = buffer
        var limit = end
        let unquotedClasses = self.unquotedClasses
        let quotedClasses = self.quotedClasses

        var state = ParseState.fieldStart
        var fieldStart = 0
        var fieldLine = line
        var segmentStart = 0
        var fieldIsUnescaped = false
        var unescapedStart = 0
        var containsCarriageReturn = false

        /// Copies the quoted content from `segmentStart` to `segmentEnd` into `unescaped`.
        func copySegment(to segmentEnd: Int) {
            if !fieldIsUnescaped {
                fieldIsUnescaped = true
                unescapedStart = unescaped.count
            }
            let count = segmentEnd - segmentStart
            if count > 0 {
                unescaped.append(contentsOf: UnsafeBufferPointer(start: base + recordStart + segmentStart, count: count))
            }
        }

        /// Ends the quoted field whose closing quote is at `p - 1`.
        func closeQuotedField() throws {
            let contentEnd = p - 1 - recordStart
            try checkFieldLength(contentEnd - fieldStart - 1, quoted: true)
            if fieldIsUnescaped {
                copySegment(to: contentEnd)
                spans.append(FieldSpan(start: unescapedStart, end: unescaped.count, isUnescaped: true))
            } else {
                spans.append(FieldSpan(start: fieldStart + 1, end: contentEnd, isUnescaped: false))
            }
        }

        func checkFieldLength(_ length: Int, quoted: Bool) throws {
            if length > maxFieldBytes {
                throw CSVError.fieldTooLong(
                    path: path, line: fieldLine, column: spans.count + 1,
                    byteOffset: bufferOffset + recordStart + fieldStart, limit: maxFieldBytes, quoted: quoted
                )
            }
        }

        /// Throws when the field after the delimiter at `p` would exceed `maxFields`.
        func checkFieldCount() throws {
            if spans.count >= maxFields {
                throw CSVError.tooManyFields(path: path, line: startLine, byteOffset: recordOffset, limit: maxFields)
            }
        }

        func nulError() -> CSVError {
            CSVError.nulByte(path: path, line: line, column: spans.count + 1, byteOffset: bufferOffset + p)
        }

        func makeRecord(contentEnd: Int) throws -> CSVRecord {
            try buildRecord(
                recordStart: recordStart, contentEnd: contentEnd, startLine: startLine, recordOffset: recordOffset,
                spans: spans, unescaped: unescaped, containsCarriageReturn: containsCarriageReturn
            )
        }

        while true {
            if p == limit {
                // Check the limits before the buffer can grow, so that memory stays bounded.
                switch state {
                case .fieldStart:
                    break
                case .unquoted:
                    try checkFieldLength(p - recordStart - fieldStart, quoted: false)
                case .quoted, .quotedAfterCarriageReturn, .afterQuote:
                    try checkFieldLength(p - recordStart - fieldStart - 1, quoted: true)
                }
                if p - recordStart >= maxRecordBytes {
                    throw CSVError.recordTooLong(
                        path: path, line: startLine, byteOffset: recordOffset, limit: maxRecordBytes
                    )
                }

                let shift = recordStart
                let count = try refill(keepingFrom: recordStart)
                p -= shift
                recordStart = 0
                base = buffer
                limit = end
                if count > 0 {
                    continue
                }

                // End of file: the last record has no line end.
                switch state {
                case .fieldStart:
                    spans.append(FieldSpan(start: p - recordStart, end: p - recordStart, isUnescaped: false))
                case .unquoted:
                    spans.append(FieldSpan(start: fieldStart, end: p - recordStart, isUnescaped: false))
                case .afterQuote:
                    try closeQuotedField()
                case .quoted, .quotedAfterCarriageReturn:
                    let lastByte = base[p - 1]
                    let endsWithLineEnd = lastByte == lineFeedByte || lastByte == carriageReturnByte
                    let openField = UnsafeBufferPointer(
                        start: base + recordStart + fieldStart, count: min(p - recordStart - fieldStart, 160))
                    throw CSVError.unterminatedQuote(
                        path: path, openLine: fieldLine, lastLine: endsWithLineEnd ? line - 1 : line,
                        column: spans.count + 1, byteOffset: bufferOffset + recordStart + fieldStart,
                        fieldStart: String(decoding: openField, as: UTF8.self)
                    )
                }
                position = p
                return try makeRecord(contentEnd: p)
            }

            switch state {
            case .fieldStart:
                fieldStart = p - recordStart
                fieldLine = line
                if base[p] == quoteByte {
                    p += 1
                    segmentStart = p - recordStart
                    fieldIsUnescaped = false
                    state = .quoted
                } else {
                    state = .unquoted
                }

            case .unquoted:
                var byteClass = ByteClass.content
                while p < limit {
                    byteClass = unquotedClasses[Int(base[p])]
                    if byteClass != ByteClass.content { break }
                    p += 1
                }
                if p == limit { continue }
                if byteClass == ByteClass.nul {
                    // A field already over the limit is reported as such, as the file reader
                    // does when a buffer refill comes before the NUL.
                    try checkFieldLength(p - recordStart - fieldStart, quoted: false)
                    throw nulError()
                }
                try checkFieldLength(p - recordStart - fieldStart, quoted: false)
                spans.append(FieldSpan(start: fieldStart, end: p - recordStart, isUnescaped: false))
                if byteClass == ByteClass.delimiter {
                    try checkFieldCount()
                    p += 1
                    state = .fieldStart
                } else {
                    position = p + 1
                    skipLineFeed = byteClass == ByteClass.carriageReturn
                    return try makeRecord(contentEnd: p)
                }

            case .quoted:
                var byteClass = ByteClass.content
                while p < limit {
                    byteClass = quotedClasses[Int(base[p])]
                    if byteClass != ByteClass.content { break }
                    p += 1
                }
                if p == limit { continue }
                switch byteClass {
                case ByteClass.quote:
                    p += 1
                    state = .afterQuote
                case ByteClass.lineFeed:
                    line += 1
                    p += 1
                case ByteClass.carriageReturn:
                    line += 1
                    containsCarriageReturn = true
                    copySegment(to: p - recordStart)
                    unescaped.append(lineFeedByte)
                    p += 1
                    state = .quotedAfterCarriageReturn
                default:
                    try checkFieldLength(p - recordStart - fieldStart - 1, quoted: true)
                    throw nulError()
                }

            case .quotedAfterCarriageReturn:
                if base[p] == lineFeedByte {
                    p += 1
                }
                segmentStart = p - recordStart
                state = .quoted

            case .afterQuote:
                let byte = base[p]
                if byte == quoteByte {
                    // A doubled quote: keep the first one, at p - 1, and drop this one.
                    copySegment(to: p - recordStart)
                    p += 1
                    segmentStart = p - recordStart
                    state = .quoted
                    continue
                }
                // A field already over the limit is reported as such before a NUL or a stray byte
                // after its closing quote, as the file reader does when a refill comes first.
                try checkFieldLength(p - 1 - recordStart - fieldStart - 1, quoted: true)
                let byteClass = unquotedClasses[Int(byte)]
                if byteClass == ByteClass.nul {
                    throw nulError()
                }
                if byteClass == ByteClass.content {
                    throw CSVError.badQuote(
                        path: path, line: line, column: spans.count + 1, byteOffset: bufferOffset + p, byte: byte
                    )
                }
                try closeQuotedField()
                if byteClass == ByteClass.delimiter {
                    try checkFieldCount()
                    p += 1
                    state = .fieldStart
                } else {
                    position = p + 1
                    skipLineFeed = byteClass == ByteClass.carriageReturn
                    return try makeRecord(contentEnd: p)
                }
            }
        }
    }

    /// Validates and decodes the record in `buffer[recordStart..<contentEnd]`, and advances the line count
    /// past its line end.
    private func buildRecord(
        recordStart: Int,
        contentEnd: Int,
        startLine: Int,
        recordOffset: Int,
        spans: [FieldSpan],
        unescaped: [UInt8],
        containsCarriageReturn: Bool
    ) throws -> CSVRecord {
        let recordBytes = UnsafeBufferPointer(start: buffer + recordStart, count: contentEnd - recordStart)
        if recordBytes.count > maxRecordBytes {
            throw CSVError.recordTooLong(path: path, line: startLine, byteOffset: recordOffset, limit: maxRecordBytes)
        }
        let ascii = isASCII(recordBytes)
        if !ascii && encoding == .utf8, let index = firstInvalidUTF8Index(recordBytes) {
            throw invalidUTF8Error(recordBytes: recordBytes, index: index, startLine: startLine, recordOffset: recordOffset)
        }
        let decodesAsUTF8 = ascii || encoding == .utf8

        var fields: [String] = []
        fields.reserveCapacity(spans.count)
        unescaped.withUnsafeBufferPointer { unescapedBytes in
            for span in spans {
                let bytes: UnsafeBufferPointer<UInt8>
                if span.isUnescaped {
                    bytes = UnsafeBufferPointer(rebasing: unescapedBytes[span.start..<span.end])
                } else {
                    bytes = UnsafeBufferPointer(start: recordBytes.baseAddress! + span.start, count: span.end - span.start)
                }
                fields.append(decodesAsUTF8 ? String(decoding: bytes, as: UTF8.self) : decodeWindows1252(bytes))
            }
        }

        let raw: String
        if containsCarriageReturn {
            let normalized = normalizeLineEnds(recordBytes)
            raw = normalized.withUnsafeBufferPointer { bytes in
                decodesAsUTF8 ? String(decoding: bytes, as: UTF8.self) : decodeWindows1252(bytes)
            }
        } else {
            raw = decodesAsUTF8 ? String(decoding: recordBytes, as: UTF8.self) : decodeWindows1252(recordBytes)
        }

        let endLine = line
        line += 1
        return CSVRecord(line: startLine, endLine: endLine, fields: fields, raw: raw, byteOffset: recordOffset)
    }

    private func invalidUTF8Error(
        recordBytes: UnsafeBufferPointer<UInt8>, index: Int, startLine: Int, recordOffset: Int
    ) -> CSVError {
        let before = UnsafeBufferPointer(rebasing: recordBytes[..<index])
        let contextStart = max(0, index - 20)
        let contextEnd = min(recordBytes.count, index + 20)
        var context = String(decoding: recordBytes[contextStart..<contextEnd], as: UTF8.self)
        context = String(context.map { $0.isNewline ? " " : $0 })
        return CSVError.invalidUTF8(
            path: path,
            line: startLine + countLineEnds(before),
            column: fieldIndex(before),
            byteOffset: recordOffset + index,
            byte: recordBytes[index],
            context: context
        )
    }

    /// Returns the 1-based index of the field that the byte after `bytes` belongs to, where `bytes`
    /// is the start of a record that parsed without quote errors.
    private func fieldIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var column = 1
        var inQuotes = false
        var atFieldStart = true
        var justClosedQuote = false
        for byte in bytes {
            if inQuotes {
                if byte == quoteByte {
                    inQuotes = false
                    justClosedQuote = true
                }
                continue
            }
            if byte == quoteByte && (atFieldStart || justClosedQuote) {
                inQuotes = true
                atFieldStart = false
                justClosedQuote = false
                continue
            }
            justClosedQuote = false
            if byte == delimiter {
                column += 1
                atFieldStart = true
            } else {
                atFieldStart = false
            }
        }
        return column
    }
}

/// Counts line ends, taking CRLF as one.
private func countLineEnds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    var previous: UInt8 = 0
    for byte in bytes {
        if byte == carriageReturnByte || (byte == lineFeedByte && previous != carriageReturnByte) {
            count += 1
        }
        previous = byte
    }
    return count
}

/// Copies the bytes with each CRLF and lone CR replaced by LF.
private func normalizeLineEnds(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var normalized: [UInt8] = []
    normalized.reserveCapacity(bytes.count)
    var previous: UInt8 = 0
    for byte in bytes {
        if byte == carriageReturnByte {
            normalized.append(lineFeedByte)
        } else if !(byte == lineFeedByte && previous == carriageReturnByte) {
            normalized.append(byte)
        }
        previous = byte
    }
    return normalized
}
