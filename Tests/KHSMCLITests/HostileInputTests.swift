import Foundation
import XCTest

/// Extracts damaged the way spreadsheets and BI exports damage them, fed through the binary.
/// A rejected file leaves the database as it was; an accepted one is stored as the method says.
final class HostileInputTests: KhsmTestCase {
    private func lines(_ records: [String]) -> String {
        records.joined(separator: "\n") + "\n"
    }

    /// Checks that a failed ingest exited 1 and left the counts as `before`.
    private func assertRejected(_ result: RunResult, before: StoredCounts,
        file: StaticString = #filePath, line: UInt = #line) throws
    {
        XCTAssertEqual(result.status, 1, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains("Nothing was stored"), result.stderr, file: file, line: line)
        XCTAssertEqual(try storedCounts(), before, file: file, line: line)
    }

    // MARK: Encoding and line ends

    func testByteOrderMarkStripped() throws {
        let before = try prepareDatabase()
        let path = try write(bytes: [0xEF, 0xBB, 0xBF] + Array(lines([cbpHeader, cbpRecord("2023250400012301")]).utf8),
            to: "bom.csv")
        try ingestCBP(path)
        XCTAssertEqual(try storedCounts().extracts, before.extracts + 1)
        XCTAssertEqual(try query("SELECT outcome FROM line_item WHERE extract_id = 2"), ["accepted"])
        XCTAssertEqual(try query("SELECT header FROM extract WHERE extract_id = 2"), [cbpHeader])
    }

    func testWindows1252RejectedThenRead() throws {
        let before = try prepareDatabase()
        let header = Array((cbpHeader + ",Remarks\n").utf8)
        let record = Array((cbpRecord("2023250400012301") + ",caf").utf8) + [0xE9, 0x0A]
        let path = try write(bytes: header + record, to: "ansi.csv")

        let rejected = try ingestCBP(path)
        try assertRejected(rejected, before: before)
        XCTAssertTrue(rejected.stderr.contains("ansi.csv:2:8: invalid UTF-8: byte 0xE9"), rejected.stderr)
        XCTAssertTrue(rejected.stderr.contains("at byte offset \(header.count + record.count - 2)"), rejected.stderr)
        XCTAssertTrue(rejected.stderr.contains("--encoding windows-1252"), rejected.stderr)

        let accepted = try ingestCBP(path, ["--encoding", "windows-1252"])
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertEqual(try query("SELECT encoding FROM extract WHERE extract_id = 2"), ["windows-1252"])
        XCTAssertEqual(try query("SELECT count(*) FROM source_record WHERE extract_id = 2 AND raw LIKE '%café'"), ["1"])
    }

    func testMixedLineEndsLeaveNoCarriageReturn() throws {
        let before = try prepareDatabase()
        let text = cbpHeader + "\r\n"
            + cbpRecord("2023250400012301") + "\r"
            + cbpRecord("2023250400012302") + "\n"
            + cbpRecord("2023250400012303", aor: "\"SAN DIEGO\r\nFIELD OFFICE\"") + "\r\n"
            + cbpRecord("2023250400012304", aor: "\"SAN DIEGO\rFIELD OFFICE\"") + "\r"
        let path = try write(text, to: "mixed.csv")
        let result = try ingestCBP(path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try storedCounts().sourceRecords, before.sourceRecords + 4)
        XCTAssertEqual(try query("SELECT line FROM line_item WHERE extract_id = 2 AND outcome = 'accepted' ORDER BY line"),
            ["2", "3", "4", "6"])
        XCTAssertEqual(try query("SELECT count(*) FROM source_record WHERE instr(raw, char(13)) > 0"), ["0"])
        XCTAssertEqual(try query("""
            SELECT count(*) FROM line_item WHERE instr(coalesce(raw_fpf, '') || coalesce(commodity, '')
                || coalesce(aor, '') || coalesce(reason_value, ''), char(13)) > 0
            """), ["0"])
        XCTAssertEqual(try query("SELECT instr(header, char(13)) FROM extract WHERE extract_id = 2"), ["0"])
    }

    func testQuotingParsedWithPhysicalLines() throws {
        try prepareDatabase()
        let path = try write(lines([
            cbpHeader,
            cbpRecord("2023250400012301", quantity: "\"1,234.5\""),
            "2023250400012302,03/14/2024,\"O\nF\nO\",SAN DIEGO FIELD OFFICE,\"Fentanyl \"\"pills\"\"\",1,LBS",
            cbpRecord("2023250400012303", date: "45123"),
        ]), to: "quoted.csv")
        let result = try ingestCBP(path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try query("SELECT pounds FROM line_item WHERE extract_id = 2 AND line = 2"), ["1234.5"])
        XCTAssertEqual(try query("SELECT reason, reason_value FROM line_item WHERE extract_id = 2 AND line = 3"),
            ["unknown_commodity|Fentanyl \"pills\""])
        XCTAssertEqual(try query("SELECT reason FROM line_item WHERE extract_id = 2 AND line = 6"), ["invalid_date"])
        XCTAssertTrue(result.stderr.contains("quoted.csv:6: invalid_date: '45123'"), result.stderr)
    }

    func testUTF16FileRejected() throws {
        let before = try prepareDatabase()
        let littleEndian: [UInt8] = [0xFF, 0xFE] + cbpHeader.utf8.flatMap { byte -> [UInt8] in [byte, 0] }
        let path = try write(bytes: littleEndian, to: "utf16.csv")
        let result = try ingestCBP(path)
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("utf16.csv:1: the file is UTF-16 (little-endian)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("at byte offset 0"), result.stderr)
    }

    func testUTF16WithoutMarkRejected() throws {
        let before = try prepareDatabase()
        let bigEndian = (cbpHeader + "\n").utf8.flatMap { byte -> [UInt8] in [0, byte] }
        let result = try ingestCBP(try write(bytes: bigEndian, to: "utf16be.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("UTF-16 (big-endian)"), result.stderr)
    }

    func testNULByteRejected() throws {
        let before = try prepareDatabase()
        let header = Array((cbpHeader + "\n").utf8)
        let record = Array("2023250400012301,03/14/2024,OFO,SAN".utf8) + [0] + Array(" DIEGO,Fentanyl,1,LBS\n".utf8)
        let result = try ingestCBP(try write(bytes: header + record, to: "nul.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("nul.csv:2:4: NUL byte"), result.stderr)
        XCTAssertTrue(result.stderr.contains("at byte offset \(header.count + 35)"), result.stderr)
    }

    // MARK: Quotes and field counts

    func testUnterminatedQuoteStoresNothing() throws {
        let before = try prepareDatabase()
        let path = try write(lines([
            cbpHeader,
            cbpRecord("2023250400012301"),
            cbpRecord("2023250400012302", aor: "\"SAN DIEGO FIELD OFFICE"),
            cbpRecord("2023250400012303"),
        ]), to: "open.csv")
        let result = try ingestCBP(path)
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("open.csv:3:4: unterminated quote"), result.stderr)
        XCTAssertTrue(result.stderr.contains("opened at line 3"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\"SAN DIEGO FIELD OFFICE"), result.stderr)
    }

    func testTruncatedQuotedFieldStoresNothing() throws {
        let before = try prepareDatabase()
        let text = lines([cbpHeader, cbpRecord("2023250400012301")])
            + "2023250400012302,03/14/2024,OFO,\"SAN DIEGO\nFIELD OFF"
        let result = try ingestCBP(try write(text, to: "cut.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("cut.csv:3:4:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("file appears truncated at line 4"), result.stderr)
    }

    func testExtraFieldStoresNothing() throws {
        let before = try prepareDatabase()
        let path = try write(lines([
            cbpHeader,
            cbpRecord("2023250400012301"),
            cbpRecord("2023250400012302", quantity: "1,234.5"),
        ]), to: "extra.csv")
        let result = try ingestCBP(path)
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("extra.csv:3:8: expected 7 fields as in the header, found 8"), result.stderr)
        XCTAssertTrue(result.stderr.contains("field 8 is 'LBS'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("must be quoted"), result.stderr)
    }

    func testMissingFieldStoresNothing() throws {
        let before = try prepareDatabase()
        let path = try write(lines([cbpHeader, "2023250400012301,03/14/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,1"]),
            to: "short.csv")
        let result = try ingestCBP(path)
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("short.csv:2:7: expected 7 fields as in the header, found 6"), result.stderr)
        XCTAssertTrue(result.stderr.contains("'2023250400012301,03/14/2024,OFO"), result.stderr)
    }

    func testRecordWithOnlyFPFStoresNothing() throws {
        let before = try prepareDatabase()
        let result = try ingestCBP(try write(lines([cbpHeader, "2023250400012301"]), to: "lone.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("lone.csv:2:2: expected 7 fields as in the header, found 1"), result.stderr)
    }

    func testTrailingEmptyFieldsNamed() throws {
        let before = try prepareDatabase()
        let path = try write(lines([cbpHeader, cbpRecord("2023250400012301") + ",,"]), to: "trailing.csv")
        let result = try ingestCBP(path)
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("columns 8 to 9 are empty"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Remove the trailing separators"), result.stderr)
    }

    func testTrailingEmptyColumnsEverywhereRead() throws {
        try prepareDatabase()
        let path = try write(lines([cbpHeader + ",,", cbpRecord("2023250400012301") + ",,"]), to: "wide.csv")
        let result = try ingestCBP(path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try query("SELECT outcome FROM line_item WHERE extract_id = 2"), ["accepted"])
    }

    func testTooManyFieldsRejected() throws {
        let before = try prepareDatabase()
        let text = cbpHeader + "\n" + String(repeating: ",", count: 200_000) + "x\n"
        let result = try ingestCBP(try write(text, to: "commas.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("commas.csv:2:100001: the record starting at line 2 has more than the maximum of 100000 fields"),
            result.stderr)
    }

    // MARK: Header

    func testDuplicateHeaderNamesRejected() throws {
        let before = try prepareDatabase()
        let path = try write(lines([cbpHeader + ", fpf  NUMBER", cbpRecord("2023250400012301") + ",x"]), to: "dup.csv")
        let result = try ingestCBP(path)
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("dup.csv:1:8: duplicate column name"), result.stderr)
        XCTAssertTrue(result.stderr.contains("'FPF Number' (column 1) and ' fpf  NUMBER' (column 8)"), result.stderr)
    }

    func testOddHeaderNamesMatched() throws {
        try prepareDatabase()
        let header = "\u{FEFF}\u{FEFF}fpf\u{00A0}number,  SEIZURE   DATE ,component,\"Aor\",\"commodity \",quantity,U\u{200B}nit"
        let result = try ingestCBP(try write(lines([header, cbpRecord("2023250400012301")]), to: "odd.csv"))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try query("SELECT outcome, fpf FROM line_item WHERE extract_id = 2"),
            ["accepted|2023250400012301"])
    }

    func testSpaceBeforeQuotedNameMatched() throws {
        try prepareDatabase()
        let header = "FPF Number, \"Seizure Date\" ,Component,AOR,Commodity,Quantity,Unit"
        let result = try ingestCBP(try write(lines([header, cbpRecord("2023250400012301")]), to: "spaced.csv"))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try query("SELECT seizure_date FROM line_item WHERE extract_id = 2"), ["2024-03-14"])
    }

    func testMissingColumnNamedWithEscapes() throws {
        let before = try prepareDatabase()
        let header = "FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit\u{1B}[2J"
        let result = try ingestCBP(try write(lines([header]), to: "escape.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("missing required columns for the CBP layout: 'Unit'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("'Unit\\u{1B}[2J'"), result.stderr)
        XCTAssertFalse(result.stderr.contains("\u{1B}"))
    }

    func testManyColumnHeaderListShortened() throws {
        let before = try prepareDatabase()
        let header = (1...5_000).map { "c\($0)" }.joined(separator: ",")
        let result = try ingestCBP(try write(lines([header]), to: "columns.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("'c12' and 4988 more columns"), result.stderr)
        XCTAssertLessThan(result.stderr.utf8.count, 2_000)
    }

    func testSepLineNamed() throws {
        let before = try prepareDatabase()
        let result = try ingestCBP(try write(lines(["sep=;", cbpHeader]), to: "sep.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("Line 1 is a spreadsheet's 'sep=;' line"), result.stderr)
        XCTAssertTrue(result.stderr.contains("ingest again with --delimiter ';'"), result.stderr)
    }

    func testOtherAgencyLayoutNamed() throws {
        let before = try prepareDatabase()
        let result = try ingestCBP(try write(lines([iceHeader]), to: "ice.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("matches the ICE layout; ingest it with --agency ice"), result.stderr)
    }

    func testSemicolonFileNamedThenRead() throws {
        let before = try prepareDatabase()
        let text = lines([cbpHeader, cbpRecord("2023250400012301", quantity: "2")])
            .replacingOccurrences(of: ",", with: ";")
        let path = try write(text, to: "semicolon.csv")

        let rejected = try ingestCBP(path)
        try assertRejected(rejected, before: before)
        XCTAssertTrue(rejected.stderr.contains("looks semicolon-separated; ingest it with --delimiter ';'"),
            rejected.stderr)

        let accepted = try ingestCBP(path, ["--delimiter", ";"])
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertEqual(try query("SELECT pounds FROM line_item WHERE extract_id = 2"), ["2.0"])
    }

    func testTabFileNamedThenRead() throws {
        let before = try prepareDatabase()
        let text = lines([cbpHeader, cbpRecord("2023250400012301", quantity: "2")])
            .replacingOccurrences(of: ",", with: "\t")
        let path = try write(text, to: "tab.tsv")

        let rejected = try ingestCBP(path)
        try assertRejected(rejected, before: before)
        XCTAssertTrue(rejected.stderr.contains("looks tab-separated; ingest it with --delimiter 'tab'"), rejected.stderr)

        let accepted = try ingestCBP(path, ["--delimiter", "tab"])
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertEqual(try query("SELECT outcome FROM line_item WHERE extract_id = 2"), ["accepted"])
    }

    func testCommaFileWithSemicolonOptionNamed() throws {
        let before = try prepareDatabase()
        let path = try write(lines([cbpHeader, cbpRecord("2023250400012301")]), to: "comma.csv")
        let result = try ingestCBP(path, ["--delimiter", ";"])
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("looks comma-separated; ingest it with --delimiter ','"), result.stderr)
    }

    // MARK: Empty files and blank lines

    func testEmptyFileHasNoHeader() throws {
        let before = try prepareDatabase()
        let result = try ingestCBP(try write("", to: "empty.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("empty.csv: no header: the file is empty"), result.stderr)
    }

    func testByteOrderMarkOnlyHasNoHeader() throws {
        let before = try prepareDatabase()
        let result = try ingestCBP(try write(bytes: [0xEF, 0xBB, 0xBF], to: "bom-only.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("bom-only.csv: no header"), result.stderr)
    }

    func testBlankHeaderLineNamed() throws {
        let before = try prepareDatabase()
        let result = try ingestCBP(try write("\n" + lines([cbpHeader]), to: "blank-first.csv"))
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("Line 1 is blank"), result.stderr)
    }

    func testHeaderOnlyAcceptedAndReported() throws {
        let before = try prepareDatabase()
        let result = try ingestCBP(try write(lines([cbpHeader]), to: "header.csv"))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("the file has a header and no records"), result.stdout)
        XCTAssertEqual(try storedCounts(),
            StoredCounts(extracts: before.extracts + 1, sourceRecords: before.sourceRecords, lineItems: before.lineItems))
        XCTAssertEqual(try query("SELECT record_count FROM extract WHERE extract_id = 2"), ["0"])
    }

    func testBlankLinesSkippedAndCounted() throws {
        try prepareDatabase()
        let text = cbpHeader + "\n\n   \n,,,,,,\n \t, ,\u{00A0},,,,\n" + cbpRecord("2023250400012301") + "\n\n"
        let result = try ingestCBP(try write(text, to: "blank.csv"))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("blank                 5"), result.stdout)
        XCTAssertEqual(try query("SELECT line FROM line_item WHERE extract_id = 2 AND outcome = 'blank' ORDER BY line"),
            ["2", "3", "4", "5", "7"])
        XCTAssertEqual(try query("SELECT line FROM line_item WHERE extract_id = 2 AND outcome = 'accepted'"), ["6"])
    }

    func testLastLineWithoutNewlineRead() throws {
        try prepareDatabase()
        let text = cbpHeader + "\n" + cbpRecord("2023250400012301") + "\n" + cbpRecord("2023250400012302", quantity: "7")
        let result = try ingestCBP(try write(text, to: "no-eol.csv"))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try query("SELECT pounds FROM line_item WHERE extract_id = 2 AND line = 3"), ["7.0"])
    }

    // MARK: Values

    func testMangledFPFNeverRepaired() throws {
        try prepareDatabase()
        let values = ["2.02325E+15", "202325040001230", "20232504000123011", "2023250400O12301", "2023-2504-0001-23O1",
            "=\"2023250400012301\"", "'2023250400012301"]
        let path = try write(lines([cbpHeader] + values.map { cbpRecord($0) }), to: "fpf.csv")
        let result = try ingestCBP(path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try query("SELECT reason, reason_value, fpf FROM line_item WHERE extract_id = 2 ORDER BY line"),
            values.map { "malformed_fpf|\($0)|∅" })
        XCTAssertTrue(result.stderr.contains("fpf.csv:2: malformed_fpf: '2.02325E+15'"), result.stderr)
    }

    func testRepeatedLineItemKeptSummedWarned() throws {
        try initDatabase()
        let path = try write(lines([
            cbpHeader,
            cbpRecord("2023250400012301-0001-0000", quantity: "1.25"),
            cbpRecord("2023250400012302"),
            cbpRecord("2023250400012301-0001-0000", date: "03/15/2024", quantity: "2"),
        ]), to: "repeat.csv")
        let result = try ingestCBP(path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("repeat.csv:4: warning: FPF line item 202325040001230100010000 on lines 2 and 4"),
            result.stderr)
        XCTAssertTrue(result.stdout.contains("repeated line items   1"), result.stdout)
        XCTAssertEqual(try query("SELECT line, outcome FROM line_item WHERE fpf = '2023250400012301' ORDER BY line"),
            ["2|accepted", "4|accepted"])

        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-25", "--allow-late", "--allow-incomplete"])
        XCTAssertEqual(try query("SELECT fentanyl_lbs, seizure_date FROM release_seizure WHERE fpf = '2023250400012301'"),
            ["3.25|2024-03-14"])
    }

    func testSpreadsheetNumbersClassified() throws {
        try prepareDatabase()
        let records = [
            "2023-2504-000123-01,2024-03-14,SAC SAN DIEGO,U.S. Currency,,,\"$1,234.50\"",
            "2023-2504-000123-02,2024-03-14,SAC SAN DIEGO,U.S. Currency,,,\"1,234.5\"",
            "2023-2504-000123-03,2024-03-14,SAC SAN DIEGO,U.S. Currency,,,(900.23)",
            "2023-2504-000123-04,2024-03-14,SAC SAN DIEGO,U.S. Currency,,,\"1 234,50\"",
            "2023-2504-000123-05,2024-03-14,SAC SAN DIEGO,Fentanyl,\"1,234.5\",LB,",
        ]
        let path = try write(lines([iceHeader] + records), to: "ice.csv")
        let result = try khsm(["ingest", "--agency", "ice", "--extracted", "2024-10-20", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try query("""
            SELECT line, outcome, reason, reason_value, cents, pounds FROM line_item
            WHERE extract_id = 2 ORDER BY line
            """), [
                "2|accepted|∅|∅|123450|∅",
                "3|accepted|∅|∅|123450|∅",
                "4|excluded|invalid_quantity|(900.23)|∅|∅",
                "5|excluded|invalid_quantity|1 234,50|∅|∅",
                "6|accepted|∅|∅|∅|1234.5",
            ])
        XCTAssertTrue(result.stderr.contains("ice.csv:4: invalid_quantity: '(900.23)'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("ice.csv:5: invalid_quantity: '1 234,50'"), result.stderr)
    }

    func testSpreadsheetDatesInvalid() throws {
        try prepareDatabase()
        let dates = ["45123", "03/14/24", "2024/03/14", "14.03.2024", "2024-02-30"]
        let records = dates.enumerated().map { cbpRecord("202325040001230\($0.offset)", date: $0.element) }
        let result = try ingestCBP(try write(lines([cbpHeader] + records), to: "dates.csv"))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try query("SELECT reason, reason_value FROM line_item WHERE extract_id = 2 ORDER BY line"),
            dates.map { "invalid_date|\($0)" })
        XCTAssertTrue(result.stderr.contains("dates.csv:2: invalid_date: '45123'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("dates.csv:3: invalid_date: '03/14/24'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("dates.csv:4: invalid_date: '2024/03/14'"), result.stderr)
    }

    func testControlCharactersShownEscaped() throws {
        try prepareDatabase()
        let path = try write(lines([cbpHeader, cbpRecord("2023250400012301", quantity: "\u{1B}]0;owned\u{07}")]),
            to: "escape.csv")
        let result = try ingestCBP(path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("invalid_quantity: '\\u{1B}]0;owned\\u{7}'"), result.stderr)
        XCTAssertFalse(result.stderr.contains("\u{1B}"))
        XCTAssertEqual(try query("SELECT reason_value FROM line_item WHERE extract_id = 2"), ["\u{1B}]0;owned\u{07}"])
    }

    // MARK: Size limits and duplicates

    func testOversizedFieldRejectedInBoundedMemory() throws {
        let before = try prepareDatabase()
        // Reading the whole field would take the 24 MiB that khsm needs anyway past 32 MiB.
        let size = 16 << 20
        let bytes = Array((cbpHeader + "\n2023250400012301,03/14/2024,OFO,\"").utf8)
            + [UInt8](repeating: UInt8(ascii: "x"), count: size) + Array("\",Fentanyl,1,LBS\n".utf8)
        let path = try write(bytes: bytes, to: "huge.csv")

        let result = try khsmMeasuringMemory(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("huge.csv:2:4: field 4 is longer than the maximum of 1048576 bytes"),
            result.stderr)
        XCTAssertGreaterThan(result.maxResidentKiB, 0, "no memory sample of the running ingest")
        XCTAssertLessThan(result.maxResidentKiB, 32 << 10, "peak memory while reading a \(size >> 20) MiB field")
        XCTAssertEqual(try storedCounts(), before)
    }

    func testResavedCopyWarned() throws {
        let before = try prepareDatabase()
        let text = [cbpHeader, cbpRecord("2023250400099901"), cbpRecord("2023250400099902", quantity: "2")]
            .joined(separator: "\r\n") + "\r\n"
        let path = try write(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8), to: "resaved.csv")
        let result = try ingestCBP(path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("resaved.csv: warning: the records equal those of extract 1 ('baseline.csv', extracted 2024-10-01)"),
            result.stderr)
        XCTAssertEqual(try storedCounts().extracts, before.extracts + 1)
    }

    func testPipeRejectedWithoutBlocking() throws {
        let before = try prepareDatabase()
        let path = directory.appendingPathComponent("pipe.csv").path
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        let result = try ingestCBP(path)
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("pipe.csv: not a regular file"), result.stderr)
    }

    func testNonDatabaseFileRejected() throws {
        let path = try write(lines([cbpHeader, cbpRecord("2023250400012301")]), to: "extract.csv")
        let result = try khsm(["ingest", "--db", path, "--agency", "cbp", "--extracted", "2024-10-20", path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(path) is not an SQLite database; point --db"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), lines([cbpHeader, cbpRecord("2023250400012301")]))
    }

    func testSameFileTwiceRejected() throws {
        let before = try prepareDatabase()
        let duplicate = directory.appendingPathComponent("copy.csv").path
        try FileManager.default.copyItem(atPath: directory.appendingPathComponent("baseline.csv").path, toPath: duplicate)
        let result = try ingestCBP(duplicate)
        try assertRejected(result, before: before)
        XCTAssertTrue(result.stderr.contains("already ingested as extract 1 ('baseline.csv'"), result.stderr)
    }
}
