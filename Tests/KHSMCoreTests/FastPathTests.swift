import XCTest
@testable import KHSMCore

/// The byte-level code that ingest and release run per line must give the results of the
/// general code it replaces.
final class FastPathTests: XCTestCase {
    func testFPFASCIIPathMatchesUnicodePath() {
        let inputs = [
            "", " ", "\t", "N/A", "n/a", " na ", "None", "UNKNOWN", "unknown ", "NAN",
            "2023250400012301", " 2023250400012301\t", "2023-2504-000123-01", "2023.2504.0001.2301",
            "2023250400012301-0001-0000", "202325040001230100010000", "000000000000000000010000",
            "0000000000000000", "0-0-0", "---", "...", "2.02325E+15", "202325040001230",
            "20232504000123011", "2023 2504 0001 2301", "2023\t2504000123 01", "A023250400012301",
            "00000000000000000000000a", "0000000000000000000000000", "2023250400012301\r",
            "\u{0B}2023250400012301\u{0C}", "\u{1C}2023250400012301",
        ]
        for input in inputs {
            XCTAssertEqual(FPF(ascii: input), FPF(unicode: input), "input \(input.debugDescription)")
        }
    }

    func testFPFASCIIPathDeclinesNonASCII() {
        XCTAssertNil(FPF(ascii: "\u{00A0}2023250400012301"))
        XCTAssertEqual(FPF("\u{00A0}2023250400012301\u{00A0}"), .valid("2023250400012301"))
    }

    func testDateDescriptionPadsFields() {
        XCTAssertEqual(CalendarDate(year: 2024, month: 3, day: 9)!.description, "2024-03-09")
        XCTAssertEqual(CalendarDate(year: 1999, month: 12, day: 31)!.description, "1999-12-31")
        XCTAssertEqual(CalendarDate(year: 999, month: 1, day: 2)!.description, "999-01-02")
    }

    func testDateISOParsing() {
        XCTAssertEqual(CalendarDate(iso: "2024-02-29"), CalendarDate(year: 2024, month: 2, day: 29))
        for invalid in ["2023-02-29", "2024-2-29", "2024-02-290", "2024/02/29", "24-02-29", "", "2024-0a-01",
            "2024-13-01", "+024-01-01", "2024-01-01 "]
        {
            XCTAssertNil(CalendarDate(iso: invalid), invalid)
        }
    }

    func testDecimalFastPathMatchesParser() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...15, using: &generator)
            var text = String(Int64.random(in: 1...Int64(9), using: &generator))
            for _ in 1..<digits { text.append(String(Int.random(in: 0...9, using: &generator))) }
            let exponent = Int.random(in: -22...22, using: &generator)
            guard let number = DecimalNumber(Substring("\(text)e\(exponent)")) else {
                return XCTFail("not parsed: \(text)e\(exponent)")
            }
            XCTAssertEqual(number.doubleValue, Double("\(number.digits)e\(number.exponent)"), "\(text)e\(exponent)")
        }
    }

    func testDecimalParsing() {
        let cases: [(String, Bool, String?, Int)] = [
            ("1,234.50", false, "12345", -1), ("-0.00", false, "0", 0), ("$12,400.00", true, "124", 2),
            ("3.95E-05", false, "395", -7), ("007", false, "7", 0), (".5", false, "5", -1),
            ("1,23", false, nil, 0), ("12.", false, nil, 0), ("$1.234", true, nil, 0), ("1e1234567", false, nil, 0),
            ("(5)", false, nil, 0), ("1 000", false, nil, 0), ("", false, nil, 0), ("+", false, nil, 0),
        ]
        for (text, allowDollar, digits, exponent) in cases {
            let number = DecimalNumber(Substring(text), allowDollar: allowDollar)
            XCTAssertEqual(number?.digits, digits, text)
            if digits != nil { XCTAssertEqual(number?.exponent, exponent, text) }
        }
        XCTAssertEqual(DecimalNumber(Substring("-0.5"))?.isNegative, true)
        XCTAssertEqual(DecimalNumber(Substring("-0.0"))?.isNegative, false)
    }
}
