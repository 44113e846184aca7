/// Character encoding of an input file.
public enum TextEncoding: String, Sendable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
}

/// Returns true when no byte has its high bit set, checking eight bytes at a time.
@inline(__always)
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    let count = bytes.count
    var i = 0
    while i + 8 <= count {
        if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
            return false
        }
        i += 8
    }
    while i < count {
        if base[i] >= 0x80 { return false }
        i += 1
    }
    return true
}

/// Returns the index of the first byte of the first invalid UTF-8 sequence, or nil when all bytes are valid.
/// Overlong forms, UTF-16 surrogates (U+D800...U+DFFF) and values above U+10FFFF are invalid (RFC 3629).
func firstInvalidUTF8Index(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    let count = bytes.count
    var i = 0
    while i < count {
        while i + 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        guard i < count else { break }
        let lead = base[i]
        if lead < 0x80 {
            i += 1
            continue
        }

        // Continuation bytes are 0x80...0xBF, and some lead bytes narrow the range of the first one.
        var continuationCount = 0
        var secondMin: UInt8 = 0x80
        var secondMax: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF:
            continuationCount = 1
        case 0xE0:
            continuationCount = 2
            secondMin = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF:
            continuationCount = 2
        case 0xED:
            continuationCount = 2
            secondMax = 0x9F
        case 0xF0:
            continuationCount = 3
            secondMin = 0x90
        case 0xF1...0xF3:
            continuationCount = 3
        case 0xF4:
            continuationCount = 3
            secondMax = 0x8F
        default:
            return i
        }
        guard i + continuationCount < count else { return i }
        let second = base[i + 1]
        guard second >= secondMin, second <= secondMax else { return i }
        var k = 2
        while k <= continuationCount {
            guard base[i + k] & 0xC0 == 0x80 else { return i }
            k += 1
        }
        i += continuationCount + 1
    }
    return nil
}

/// Decodes Windows-1252 bytes. Every byte maps to one Unicode scalar, so decoding cannot fail.
func decodeWindows1252(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    if isASCII(bytes) {
        return String(decoding: bytes, as: UTF8.self)
    }
    // A Windows-1252 byte becomes at most three UTF-8 bytes (U+20AC and the other 0x80...0x9F scalars).
    return String(unsafeUninitializedCapacity: bytes.count * 3) { output in
        var n = 0
        for byte in bytes {
            let scalar: UInt32
            if byte < 0x80 {
                output[n] = byte
                n += 1
                continue
            } else if byte < 0xA0 {
                scalar = UInt32(windows1252C1Scalars[Int(byte - 0x80)])
            } else {
                scalar = UInt32(byte)
            }
            if scalar < 0x800 {
                output[n] = UInt8(0xC0 | (scalar >> 6))
                output[n + 1] = UInt8(0x80 | (scalar & 0x3F))
                n += 2
            } else {
                output[n] = UInt8(0xE0 | (scalar >> 12))
                output[n + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                output[n + 2] = UInt8(0x80 | (scalar & 0x3F))
                n += 3
            }
        }
        return n
    }
}

/// Unicode scalars of Windows-1252 bytes 0x80...0x9F (Microsoft code page 1252). The five bytes that the
/// code page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the same number.
/// Bytes 0xA0...0xFF equal their Latin-1 code points.
private let windows1252C1Scalars: [UInt16] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 0x80...0x87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, // 0x88...0x8F
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 0x90...0x97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, // 0x98...0x9F
]
