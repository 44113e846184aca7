import XCTest
@testable import KHSMCore

final class FPFTests: XCTestCase {
    func testSixteenDigitsAreCanonical() {
        XCTAssertEqual(FPF("2023250400012301"), .valid("2023250400012301"))
    }

    func testSeparatorsAreRemoved() {
        let cases = [
            "2023-2504-000123-01",
            "2023 2504 0001 2301",
            "2023.2504.0001.2301",
            " 2023-2504 0001.2301 ",
        ]
        for raw in cases {
            XCTAssertEqual(FPF(raw), .valid("2023250400012301"), raw)
        }
    }

    func testTwentyFourDigitsDropSuffix() {
        XCTAssertEqual(FPF("2023250400012301-0001-0000"), .valid("2023250400012301"))
        XCTAssertEqual(FPF("202325040001230100020000"), .valid("2023250400012301"))
    }

    func testSuffixedFPFsOfOneCaseMatch() {
        XCTAssertEqual(FPF("2023250400012301-0001-0000"), FPF("2023250400012301-0002-0000"))
    }

    func testPlaceholdersAreMissing() {
        let cases = ["", "   ", "\t", "N/A", "n/a", "NA", "NONE", "None", "UNKNOWN", "unknown", " N/A "]
        for raw in cases {
            XCTAssertEqual(FPF(raw), .missing, "'\(raw)'")
        }
    }

    func testAllZerosAreMissing() {
        let cases = ["0000000000000000", "0000-0000-000000-00", "0", "000000000000000000000000"]
        for raw in cases {
            XCTAssertEqual(FPF(raw), .missing, raw)
        }
    }

    func testLettersAreMalformed() {
        XCTAssertEqual(FPF("2023250400O12301"), .malformed)
        XCTAssertEqual(FPF("FPF2023250400012301"), .malformed)
    }

    func testScientificNotationIsMalformed() {
        XCTAssertEqual(FPF("2.02325E+15"), .malformed)
        XCTAssertEqual(FPF("2.02325e+15"), .malformed)
    }

    func testWrongDigitCountsAreMalformed() {
        let cases = [
            "202325040001230",  // 15
            "20232504000123011",  // 17
            "20232504000123010001000",  // 23
            "2023250400012301000100001",  // 25
        ]
        for raw in cases {
            XCTAssertEqual(FPF(raw), .malformed, raw)
        }
    }

    func testOtherSeparatorsAreMalformed() {
        XCTAssertEqual(FPF("2023/2504/000123/01"), .malformed)
        XCTAssertEqual(FPF("2023_2504_000123_01"), .malformed)
    }
}
