// libFuzzer entry for the CSV reader and the cleansing of one record. scripts/fuzz compiles it
// together with the sources of KHSMCore into one module, so internal types are in reach.
//
// The first input byte selects the delimiter, the encoding and small reader limits; the rest is
// the file. Each input is read twice, from a file (with a 7-byte read size, so that records
// cross buffer refills) and from memory, and both readings must agree. Every record must keep
// the reader's promises, and every record cleansed by both agencies' rules must give an outcome
// that keeps the line item's promises. A broken promise stops the fuzzer like a crash.

#if canImport(Glibc)
import Glibc
#endif

private let reference: ReferenceData = {
    do {
        return try ReferenceData.load(texts: builtInReferenceTexts)
    } catch {
        fatalError("the built-in reference data does not load: \(error)")
    }
}()

private let cleansers = [Cleanser(reference: reference, agency: .cbp), Cleanser(reference: reference, agency: .ice)]

/// The file that each input is written to, in KHSM_FUZZ_DIR (set by scripts/fuzz) or /tmp.
private let inputPath: String = {
    let directory = getenv("KHSM_FUZZ_DIR").map { String(cString: $0) } ?? "/tmp"
    atexit { unlink(inputPath) }
    return "\(directory)/input-\(getpid()).csv"
}()

/// Reader settings taken from the first input byte.
private struct Settings {
    var delimiter: UInt8
    var encoding: TextEncoding
    var maxFieldBytes: Int
    var maxRecordBytes: Int
    var maxFields: Int

    init(_ byte: UInt8) {
        let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
        delimiter = delimiters[Int(byte & 3)]
        encoding = byte & 4 == 0 ? .utf8 : .windows1252
        maxFieldBytes = byte & 8 == 0 ? 1 << 20 : 40
        maxRecordBytes = byte & 16 == 0 ? 1 << 24 : 100
        maxFields = byte & 32 == 0 ? CSVReader.defaultMaxFields : 9
    }
}

/// The outcome of one reading: the records before the end or the error, and the error's kind and line.
private struct Reading: Equatable {
    var records: [[String]] = []
    var lines: [Int] = []
    var errorKind: CSVError.Kind?
    var errorLine: Int?
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fatalError(message())
    }
}

private func read(_ reader: inout CSVReader, settings: Settings) -> Reading {
    var reading = Reading()
    var previousEndLine = 0
    do {
        while let record = try reader.next() {
            check(!record.raw.unicodeScalars.contains("\r"), "a raw record contains CR: \(record.raw.debugDescription)")
            check(record.fields.allSatisfy { !$0.unicodeScalars.contains("\r") }, "a field contains CR")
            check(record.line > previousEndLine, "record line \(record.line) after end line \(previousEndLine)")
            check(record.endLine >= record.line, "end line \(record.endLine) before line \(record.line)")
            check(record.fields.count >= 1, "a record without fields")
            check(record.fields.count <= settings.maxFields, "\(record.fields.count) fields above the maximum")
            previousEndLine = record.endLine
            reading.records.append(record.fields)
            reading.lines.append(record.line)
            cleanse(record)
        }
        check((try? reader.next()) == nil, "the reader returned a record after the end")
    } catch let error as CSVError {
        reading.errorKind = error.kind
        reading.errorLine = error.line
        check(!error.message.isEmpty, "an error without a message")
        check((try? reader.next()) == nil, "the reader returned a record after an error")
    } catch {
        fatalError("the reader threw a non-CSV error: \(error)")
    }
    return reading
}

/// Cleanses the record as a line of each agency, fields in layout order, and checks the outcome.
private func cleanse(_ record: CSVRecord) {
    var raw = RawLine()
    for (field, value) in zip(LayoutField.allCases, record.fields) {
        raw[field] = value
    }
    for cleanser in cleansers {
        let item = cleanser.cleanse(line: record.line, raw)
        switch item.outcome {
        case .accepted:
            check(item.reason == nil, "an accepted line with a reason")
            check(item.fpf?.utf8.count == 16 && item.fpf!.utf8.allSatisfy { $0 >= 48 && $0 <= 57 },
                "an accepted line with FPF \(String(describing: item.fpf))")
            check(item.date != nil && item.region != nil, "an accepted line without date or region")
            let amounts = [item.pounds != nil, item.presses != nil, item.cents != nil].filter { $0 }.count
            check(amounts == 1, "an accepted line with \(amounts) amounts")
            if let pounds = item.pounds { check(pounds.isFinite && pounds >= 0, "pounds \(pounds)") }
            if let presses = item.presses { check(presses >= 0, "presses \(presses)") }
            if let cents = item.cents { check(cents >= 0, "cents \(cents)") }
        case .excluded:
            check(item.reason != nil && item.reasonValue != nil, "an excluded line without reason or value")
        case .outOfScope, .blank:
            check(item.reason == nil, "a line outside the count with a reason")
        }
    }
    _ = FPF(raw.fpf)
    _ = DecimalNumber(Substring(raw.quantity), allowDollar: true).map { ($0.doubleValue, $0.hundredths, $0.integerValue) }
}

private func writeInput(_ bytes: UnsafeBufferPointer<UInt8>) {
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    check(fd >= 0, "cannot create \(inputPath)")
    var written = 0
    while written < bytes.count {
        let count = write(fd, bytes.baseAddress! + written, bytes.count - written)
        check(count > 0, "cannot write \(inputPath)")
        written += count
    }
    close(fd)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let settings = Settings(data[0])
    let file = UnsafeBufferPointer(start: data + 1, count: size - 1)
    writeInput(file)

    let fromFile: Reading
    do {
        var reader = try CSVReader(path: inputPath, delimiter: settings.delimiter, encoding: settings.encoding,
            maxFieldBytes: settings.maxFieldBytes, maxRecordBytes: settings.maxRecordBytes,
            maxFields: settings.maxFields)
        fromFile = read(&reader, settings: settings)
    } catch {
        fatalError("cannot open \(inputPath): \(error)")
    }

    // The in-memory reader takes a String, so it parses the same bytes only when they are valid UTF-8.
    if settings.encoding == .utf8, firstInvalidUTF8Index(file) == nil {
        let text = String(decoding: file, as: UTF8.self)
        var reader = CSVReader(text: text, name: inputPath, delimiter: settings.delimiter,
            maxFieldBytes: settings.maxFieldBytes)
        var memorySettings = settings
        memorySettings.maxFields = CSVReader.defaultMaxFields
        let fromMemory = read(&reader, settings: memorySettings)
        if settings.maxRecordBytes == 1 << 24 && settings.maxFields == CSVReader.defaultMaxFields {
            check(fromMemory == fromFile, "the file and memory readings differ:\n\(fromFile)\n\(fromMemory)")
        }
    }
    return 0
}

