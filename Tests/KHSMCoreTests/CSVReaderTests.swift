import Foundation
import XCTest
@testable import KHSMCore

final class CSVReaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("khsm-csv-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    // MARK: Helpers

    private func write(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func write(_ text: String, name: String = "input.csv") throws -> String {
        try write(Array(text.utf8), name: name)
    }

    private func readAll(_ path: String, delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding = .utf8,
                         maxFieldBytes: Int = 1 << 20, maxRecordBytes: Int = 1 << 24) throws -> [CSVRecord] {
        var reader = try CSVReader(
            path: path, delimiter: delimiter, encoding: encoding,
            maxFieldBytes: maxFieldBytes, maxRecordBytes: maxRecordBytes
        )
        var records: [CSVRecord] = []
        while let record = try reader.next() {
            records.append(record)
        }
        return records
    }

    /// Reads until the reader throws, and returns the error with the records read before it.
    private func readUntilError(_ path: String, encoding: TextEncoding = .utf8, maxFieldBytes: Int = 1 << 20,
                                maxRecordBytes: Int = 1 << 24) throws -> (CSVError?, [CSVRecord]) {
        var reader = try CSVReader(
            path: path, encoding: encoding, maxFieldBytes: maxFieldBytes, maxRecordBytes: maxRecordBytes
        )
        var records: [CSVRecord] = []
        do {
            while let record = try reader.next() {
                records.append(record)
            }
        } catch let error as CSVError {
            XCTAssertNil(try reader.next(), "a reader returns nothing after an error")
            return (error, records)
        }
        return (nil, records)
    }

    // MARK: Byte order mark and line ends

    func testByteOrderMarkStripped() throws {
        let path = try write([0xEF, 0xBB, 0xBF] + Array("id,name\n1,x\n".utf8))
        let records = try readAll(path)
        XCTAssertEqual(records.first?.fields, ["id", "name"])
        XCTAssertEqual(records.first?.raw, "id,name")
        XCTAssertEqual(records.first?.line, 1)
        XCTAssertEqual(records.count, 2)
    }

    func testLineEndsCRLF() throws {
        let records = try readAll(try write("a,b\r\n1,2\r\n3,4\r\n"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1", "2"], ["3", "4"]])
        XCTAssertEqual(records.map(\.raw), ["a,b", "1,2", "3,4"])
        XCTAssertEqual(records.map(\.line), [1, 2, 3])
    }

    func testLineEndsLF() throws {
        let records = try readAll(try write("a,b\n1,2\n"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1", "2"]])
        XCTAssertEqual(records.map(\.line), [1, 2])
    }

    func testLineEndsCROnly() throws {
        let records = try readAll(try write("a,b\r1,2\r3,4\r"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1", "2"], ["3", "4"]])
        XCTAssertEqual(records.map(\.raw), ["a,b", "1,2", "3,4"])
        XCTAssertEqual(records.map(\.line), [1, 2, 3])
    }

    func testLineEndsMixed() throws {
        let records = try readAll(try write("a,b\r\n1,2\n3,4\r5,6\r\n\r7,8"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"], [""], ["7", "8"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4, 5, 6])
        for record in records {
            XCTAssertFalse(record.raw.contains("\r"), "raw of line \(record.line)")
            XCTAssertFalse(record.fields.contains { $0.contains("\r") }, "fields of line \(record.line)")
        }
    }

    // MARK: Quoting

    func testQuotedDelimiter() throws {
        let records = try readAll(try write("a,b\n\"x, y\",2\n"))
        XCTAssertEqual(records.last?.fields, ["x, y", "2"])
        XCTAssertEqual(records.last?.raw, "\"x, y\",2")
    }

    func testQuotedNewlineLineNumbers() throws {
        let records = try readAll(try write("a,b\n\"first\nsecond\nthird\",2\nz,3\n"))
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[1].fields, ["first\nsecond\nthird", "2"])
        XCTAssertEqual(records[1].line, 2)
        XCTAssertEqual(records[1].endLine, 4)
        XCTAssertEqual(records[1].raw, "\"first\nsecond\nthird\",2")
        XCTAssertEqual(records[2].line, 5)
        XCTAssertEqual(records[2].endLine, 5)
    }

    func testQuotedCRLFBecomesLineFeed() throws {
        let records = try readAll(try write("a\r\n\"x\r\ny\rz\"\r\nnext\r\n"))
        XCTAssertEqual(records[1].fields, ["x\ny\nz"])
        XCTAssertEqual(records[1].raw, "\"x\ny\nz\"")
        XCTAssertEqual(records[1].endLine, 4)
        XCTAssertEqual(records[2].line, 5)
    }

    func testDoubledQuote() throws {
        let records = try readAll(try write("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n"))
        XCTAssertEqual(records.last?.fields, ["say \"hi\"", "\""])
    }

    func testEmptyQuotedField() throws {
        let records = try readAll(try write("a,b,c\n\"\",x,\"\"\n"))
        XCTAssertEqual(records.last?.fields, ["", "x", ""])
    }

    func testQuoteInsideUnquotedFieldKept() throws {
        let records = try readAll(try write("a,b\nab\"c,d\"\n"))
        XCTAssertEqual(records.last?.fields, ["ab\"c", "d\""])
    }

    func testTextAfterClosingQuoteIsBadQuote() throws {
        let (error, records) = try readUntilError(try write("a,b,c\n1,\"abc\"x,3\n"))
        XCTAssertEqual(error?.kind, .badQuote)
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.column, 2)
        XCTAssertEqual(error?.byteOffset, 13)
        XCTAssertEqual(records.count, 1)
        XCTAssertTrue(error?.message.contains("\"x\"") ?? false, error?.message ?? "")
    }

    func testUnterminatedQuote() throws {
        let text = "a,b\n1,2\n3,\"open\nmore\nstill open\n"
        let (error, records) = try readUntilError(try write(text, name: "cbp.csv"))
        XCTAssertEqual(error?.kind, .unterminatedQuote)
        XCTAssertEqual(error?.line, 3)
        XCTAssertEqual(error?.column, 2)
        XCTAssertEqual(error?.byteOffset, 10)
        XCTAssertEqual(records.count, 2)
        let message = error?.message ?? ""
        XCTAssertTrue(message.contains("opened at line 3"), message)
        XCTAssertTrue(message.contains("file appears truncated at line 5"), message)
        XCTAssertTrue(error?.description.hasSuffix("cbp.csv:3:2: " + message) ?? false, error?.description ?? "")
    }

    func testUnterminatedQuoteWithoutFinalLineEnd() throws {
        let (error, _) = try readUntilError(try write("a\n\"x\ny"))
        XCTAssertEqual(error?.kind, .unterminatedQuote)
        XCTAssertEqual(error?.line, 2)
        XCTAssertTrue(error?.message.contains("truncated at line 3") ?? false, error?.message ?? "")
    }

    // MARK: Records and file ends

    func testLastLineWithoutLineEnd() throws {
        let records = try readAll(try write("a,b\n1,2"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1", "2"]])
    }

    func testFinalLineEndAddsNoRecord() throws {
        XCTAssertEqual(try readAll(try write("a,b\n1,2\n")).count, 2)
        XCTAssertEqual(try readAll(try write("a,b\r\n1,2\r\n")).count, 2)
        XCTAssertEqual(try readAll(try write("a,b\r1,2\r")).count, 2)
    }

    func testTrailingDelimiterAddsEmptyField() throws {
        let records = try readAll(try write("a,b,\n1,2,"))
        XCTAssertEqual(records.map(\.fields), [["a", "b", ""], ["1", "2", ""]])
    }

    func testEmptyLinesInMiddleAreBlankRecords() throws {
        let records = try readAll(try write("a,b\n\n1,2\n\n\n3,4\n"))
        XCTAssertEqual(records.count, 6)
        XCTAssertEqual(records.map(\.isBlank), [false, true, false, true, true, false])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(records[1].fields, [""])
    }

    func testIsBlankCases() {
        let blank: [[String]] = [[""], ["   "], ["", "", "", ""], [" ", " ", ""], ["\t", "\u{00A0}"]]
        for fields in blank {
            XCTAssertTrue(CSVRecord(line: 1, endLine: 1, fields: fields, raw: "").isBlank, "\(fields)")
        }
        let notBlank: [[String]] = [["x"], ["", " y"], ["", "", "0"]]
        for fields in notBlank {
            XCTAssertFalse(CSVRecord(line: 1, endLine: 1, fields: fields, raw: "").isBlank, "\(fields)")
        }
    }

    func testBlankRecordsFromFile() throws {
        let records = try readAll(try write("a,b\n   \n,,,\n , ,\n"))
        XCTAssertEqual(records.map(\.isBlank), [false, true, true, true])
    }

    func testRecordByteOffsets() throws {
        let records = try readAll(try write([0xEF, 0xBB, 0xBF] + Array("a\r\nbc\nd".utf8)))
        XCTAssertEqual(records.map(\.byteOffset), [3, 6, 9])
    }

    // MARK: Encodings

    func testMultibyteUTF8Decoded() throws {
        let records = try readAll(try write("name\nCafé\n€ 5\n😀\n"))
        XCTAssertEqual(records.map { $0.fields[0] }, ["name", "Café", "€ 5", "😀"])
    }

    func testWindows1252ByteRejectedAsUTF8() throws {
        let bytes = Array("id,name\n1,ok\n2,Caf".utf8) + [0xE9] + Array(" noir\n".utf8)
        let (error, records) = try readUntilError(try write(bytes))
        XCTAssertEqual(error?.kind, .notUTF8)
        XCTAssertEqual(error?.line, 3)
        XCTAssertEqual(error?.column, 2)
        XCTAssertEqual(error?.byteOffset, 18)
        XCTAssertEqual(records.count, 2)
        let message = error?.message ?? ""
        XCTAssertTrue(message.contains("0xE9"), message)
        XCTAssertTrue(message.contains("--encoding windows-1252"), message)
    }

    func testStrayContinuationByteRejected() throws {
        let bytes = Array("a,b\n\"x\",\"1 ".utf8) + [0x96] + Array(" 2\"\n".utf8)
        let (error, _) = try readUntilError(try write(bytes))
        XCTAssertEqual(error?.kind, .notUTF8)
        XCTAssertEqual(error?.column, 2)
        XCTAssertEqual(error?.byteOffset, 11)
        XCTAssertTrue(error?.message.contains("0x96") ?? false, error?.message ?? "")
    }

    func testInvalidUTF8LineInsideQuotedNewline() throws {
        let bytes = Array("a\n\"x\r\ny\nz".utf8) + [0xFF] + Array("\"\n".utf8)
        let (error, _) = try readUntilError(try write(bytes))
        XCTAssertEqual(error?.kind, .notUTF8)
        XCTAssertEqual(error?.line, 4)
    }

    func testUTF8ValidatorRejectsMalformedSequences() {
        let invalid: [[UInt8]] = [
            [0xC0, 0xAF],             // overlong "/"
            [0xE0, 0x80, 0xAF],       // overlong
            [0xED, 0xA0, 0x80],       // surrogate U+D800
            [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80], // invalid lead byte
            [0xE2, 0x82],             // truncated
            [0x80],                   // lone continuation byte
        ]
        for bytes in invalid {
            let index = bytes.withUnsafeBufferPointer { firstInvalidUTF8Index($0) }
            XCTAssertEqual(index, 0, "\(bytes)")
        }
        let valid = Array("plain ASCII text, é, €, 😀, \u{10FFFF}".utf8)
        XCTAssertNil(valid.withUnsafeBufferPointer { firstInvalidUTF8Index($0) })
    }

    func testWindows1252Transcoded() throws {
        let bytes: [UInt8] = Array("name\n".utf8) + [0x43, 0x61, 0x66, 0xE9, 0x2C, 0x80, 0x96, 0x81, 0x9F, 0xFF, 0x0A]
        let records = try readAll(try write(bytes), encoding: .windows1252)
        XCTAssertEqual(records.last?.fields, ["Café", "\u{20AC}\u{2013}\u{0081}\u{0178}\u{00FF}"])
        XCTAssertEqual(records.last?.raw, "Café,\u{20AC}\u{2013}\u{0081}\u{0178}\u{00FF}")
    }

    func testWindows1252FullTable() {
        let bytes = (0...255).map { UInt8($0) }
        let decoded = bytes.withUnsafeBufferPointer { decodeWindows1252($0) }
        let scalars = decoded.unicodeScalars.map(\.value)
        XCTAssertEqual(scalars.count, 256)
        XCTAssertEqual(Array(scalars[0..<0x80]), (0..<0x80).map { UInt32($0) })
        XCTAssertEqual(Array(scalars[0xA0...]), (0xA0...0xFF).map { UInt32($0) })
        let expectedC1: [UInt32] = [
            0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
            0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
            0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
            0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
        ]
        XCTAssertEqual(Array(scalars[0x80..<0xA0]), expectedC1)
    }

    func testNulByte() throws {
        let bytes = Array("a,b\n1,x".utf8) + [0x00] + Array("y\n".utf8)
        let (error, records) = try readUntilError(try write(bytes))
        XCTAssertEqual(error?.kind, .nulByte)
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.column, 2)
        XCTAssertEqual(error?.byteOffset, 7)
        XCTAssertEqual(records.count, 1)
    }

    func testNulByteInsideQuotes() throws {
        let bytes = Array("a\n\"x\ny".utf8) + [0x00] + Array("\"\n".utf8)
        let (error, _) = try readUntilError(try write(bytes))
        XCTAssertEqual(error?.kind, .nulByte)
        XCTAssertEqual(error?.line, 3)
    }

    func testUTF16LittleEndianByteOrderMark() throws {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("a,b\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let (error, _) = try readUntilError(try write(bytes))
        XCTAssertEqual(error?.kind, .utf16)
        XCTAssertTrue(error?.message.contains("UTF-16 (little-endian)") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("UTF-8") ?? false, error?.message ?? "")
    }

    func testUTF16BigEndianByteOrderMark() throws {
        let bytes: [UInt8] = [0xFE, 0xFF] + Array("a,b\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let (error, _) = try readUntilError(try write(bytes))
        XCTAssertEqual(error?.kind, .utf16)
        XCTAssertTrue(error?.message.contains("UTF-16 (big-endian)") ?? false, error?.message ?? "")
    }

    func testUTF16WithoutByteOrderMark() throws {
        let text = "id,name\n1,x\n"
        let little = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big = Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let (littleError, _) = try readUntilError(try write(little, name: "little.csv"))
        let (bigError, _) = try readUntilError(try write(big, name: "big.csv"))
        XCTAssertEqual(littleError?.kind, .utf16)
        XCTAssertTrue(littleError?.message.contains("little-endian") ?? false, littleError?.message ?? "")
        XCTAssertEqual(bigError?.kind, .utf16)
        XCTAssertTrue(bigError?.message.contains("big-endian") ?? false, bigError?.message ?? "")
    }

    // MARK: Limits

    func testFieldTooLong() throws {
        let text = "a,b,c\n1,2,3\n4,5,\(String(repeating: "x", count: 11))\n"
        let (error, records) = try readUntilError(try write(text), maxFieldBytes: 10)
        XCTAssertEqual(error?.kind, .fieldTooLong)
        XCTAssertEqual(error?.line, 3)
        XCTAssertEqual(error?.column, 3)
        XCTAssertEqual(records.count, 2)
    }

    func testFieldAtLimitAccepted() throws {
        let text = "a\n\(String(repeating: "x", count: 10))\n\"\(String(repeating: "y", count: 10))\"\n"
        let records = try readAll(try write(text), maxFieldBytes: 10)
        XCTAssertEqual(records.count, 3)
    }

    func testUnclosedQuoteStopsAtFieldLimit() throws {
        // 3 MiB after an opening quote: the reader must stop at the 1 MiB field limit, not at the end.
        let bytes = Array("a,b\n1,\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 3 << 20)
        let (error, _) = try readUntilError(try write(bytes))
        XCTAssertEqual(error?.kind, .fieldTooLong)
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.column, 2)
        XCTAssertEqual(error?.byteOffset, 6)
        XCTAssertTrue(error?.message.contains("closing quote") ?? false, error?.message ?? "")
    }

    func testRecordTooLong() throws {
        let field = String(repeating: "x", count: 100)
        let text = "a\n" + Array(repeating: field, count: 50).joined(separator: ",") + "\n"
        let (error, _) = try readUntilError(try write(text), maxFieldBytes: 200, maxRecordBytes: 1000)
        XCTAssertEqual(error?.kind, .recordTooLong)
        XCTAssertEqual(error?.line, 2)
    }

    // MARK: Empty files

    func testEmptyFileHasNoHeader() throws {
        let (error, _) = try readUntilError(try write([UInt8]()))
        XCTAssertEqual(error?.kind, .noHeader)
        XCTAssertTrue(error?.message.contains("no header: the file is empty") ?? false, error?.message ?? "")
    }

    func testByteOrderMarkOnlyHasNoHeader() throws {
        let (error, _) = try readUntilError(try write([0xEF, 0xBB, 0xBF]))
        XCTAssertEqual(error?.kind, .noHeader)
        XCTAssertTrue(error?.message.hasPrefix("no header") ?? false, error?.message ?? "")
    }

    func testMissingFileUnreadable() throws {
        let path = directory.appendingPathComponent("missing.csv").path
        XCTAssertThrowsError(try CSVReader(path: path)) { error in
            XCTAssertEqual((error as? CSVError)?.kind, .unreadable)
            XCTAssertEqual((error as? CSVError)?.description.hasPrefix(path + ": cannot open"), true)
        }
    }

    func testDirectoryUnreadable() throws {
        XCTAssertThrowsError(try CSVReader(path: directory.path)) { error in
            XCTAssertEqual((error as? CSVError)?.kind, .unreadable)
        }
    }

    // MARK: Delimiters

    func testSemicolonDelimiter() throws {
        let records = try readAll(try write("a;b\n1,5;\"x;y\"\n"), delimiter: UInt8(ascii: ";"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1,5", "x;y"]])
    }

    func testTabDelimiter() throws {
        let records = try readAll(try write("a\tb\n1 2\t\"x\ty\"\n"), delimiter: UInt8(ascii: "\t"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1 2", "x\ty"]])
    }

    // MARK: Buffer boundaries

    func testRecordsAcrossReadBoundaries() throws {
        // About 3 MiB of records of varying length, so that line ends, quotes and doubled quotes fall
        // at varied offsets relative to the 1 MiB reads.
        var text = "id,value,note\r\n"
        var expected: [[String]] = [["id", "value", "note"]]
        var index = 0
        while text.utf8.count < 3 << 20 {
            let note = "n\(index) \"q\"\r\nline"
            let lineEnd = ["\r\n", "\n", "\r"][index % 3]
            text += "\(index),v\(String(repeating: "é", count: index % 17)),\"\(note.replacingOccurrences(of: "\"", with: "\"\""))\"\(lineEnd)"
            expected.append(["\(index)", "v\(String(repeating: "é", count: index % 17))", note.replacingOccurrences(of: "\r\n", with: "\n")])
            index += 1
        }
        let records = try readAll(try write(text))
        XCTAssertEqual(records.count, expected.count)
        XCTAssertEqual(records.map(\.fields), expected)
        XCTAssertEqual(records.last?.line, 2 * (expected.count - 1))
        XCTAssertEqual(records.last?.endLine, 2 * expected.count - 1)
    }

    // The first read fills 1 MiB, so byte 1_048_575 is its last byte and the LF after it comes in the
    // second read.
    func testCRLFSplitAcrossReads() throws {
        let filler = String(repeating: "x", count: 1_048_575 - 3)
        let records = try readAll(try write("a\r\n\(filler)\r\nb\r\n"))
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records.map(\.line), [1, 2, 3])
        XCTAssertEqual(records.last?.fields, ["b"])
        XCTAssertEqual(records[1].fields.first?.utf8.count, filler.utf8.count)
    }

    func testQuotedCRLFSplitAcrossReads() throws {
        let filler = String(repeating: "x", count: 1_048_575 - 4)
        let records = try readAll(try write("a\r\n\"\(filler)\r\ny\"\r\nb\r\n"))
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[1].fields.first, filler + "\ny")
        XCTAssertEqual(records[1].endLine, 3)
        XCTAssertEqual(records.last?.line, 4)
    }

    func testRecordLargerThanReadBuffer() throws {
        let big = String(repeating: "z", count: 3 << 20)
        let records = try readAll(try write("a,b\n1,\(big)\n\"\(big)\",2\n"), maxFieldBytes: 4 << 20)
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[1].fields[1].utf8.count, 3 << 20)
        XCTAssertEqual(records[2].fields[0].utf8.count, 3 << 20)
        XCTAssertEqual(records[2].fields[1], "2")
    }

    func testBytesReadAndFileSize() throws {
        let text = "a,b\n1,2\n"
        var reader = try CSVReader(path: try write(text))
        XCTAssertEqual(reader.fileSize, 8)
        XCTAssertEqual(reader.bytesRead, 0)
        _ = try reader.next()
        XCTAssertEqual(reader.bytesRead, 4)
        _ = try reader.next()
        XCTAssertEqual(reader.bytesRead, 8)
        XCTAssertNil(try reader.next())
    }

    // The in-memory reader sees the NUL at once, while the file reader checks the field length
    // at each buffer refill before it reaches the NUL; both report the length.
    func testLongFieldBeforeNULIsTooLong() throws {
        let text = String(repeating: "\u{8}", count: 88) + "\u{0}"
        var reader = CSVReader(text: text, name: "x.csv", maxFieldBytes: 40)
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? CSVError)?.kind, .fieldTooLong)
        }
    }

    func testLongQuotedFieldBeforeNULIsTooLong() throws {
        let text = "\"" + String(repeating: "x", count: 50) + "\u{0}\""
        var reader = CSVReader(text: text, name: "x.csv", maxFieldBytes: 40)
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? CSVError)?.kind, .fieldTooLong)
        }
    }

    func testLongQuotedFieldThenNULIsTooLong() throws {
        let text = "\"" + String(repeating: "x", count: 50) + "\"\u{0}"
        var reader = CSVReader(text: text, name: "x.csv", maxFieldBytes: 40)
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? CSVError)?.kind, .fieldTooLong)
        }
    }

    func testLongQuotedFieldThenStrayByteIsTooLong() throws {
        let text = "a,\"" + String(repeating: "!", count: 50) + "\"x"
        var reader = CSVReader(text: text, name: "x.csv", maxFieldBytes: 40)
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? CSVError)?.kind, .fieldTooLong)
        }
    }

    // MARK: Error text

    func testErrorDescriptionFormat() {
        let withLine = CSVError(kind: .badQuote, file: "x.csv", line: 4, column: 2, byteOffset: 9, message: "m.")
        let withoutLine = CSVError(kind: .noHeader, file: "x.csv", line: nil, column: nil, byteOffset: nil, message: "m.")
        XCTAssertEqual(withLine.description, "x.csv:4:2: m.")
        XCTAssertEqual(withoutLine.description, "x.csv: m.")
    }
}

final class CollapsedKeyTests: XCTestCase {
    func testTrimsAndUppercases() {
        XCTAssertEqual(collapsedKey("  naics code "), "NAICS CODE")
    }

    func testCollapsesWhitespaceRuns() {
        XCTAssertEqual(collapsedKey("a \t\u{00A0} b\n\nc"), "A B C")
    }

    func testNoBreakSpaceTrimmed() {
        XCTAssertEqual(collapsedKey("\u{00A0}Emp\u{00A0}"), "EMP")
    }

    func testEmptyAndWhitespaceOnly() {
        XCTAssertEqual(collapsedKey(""), "")
        XCTAssertEqual(collapsedKey(" \t\u{00A0}"), "")
    }

    func testNonASCIIUppercased() {
        XCTAssertEqual(collapsedKey("café"), "CAFÉ")
    }
}
