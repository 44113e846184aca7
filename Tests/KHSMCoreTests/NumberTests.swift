import XCTest
@testable import KHSMCore

final class NumberTests: XCTestCase {
    private func number(_ text: String, dollar: Bool = false) -> DecimalNumber? {
        DecimalNumber(Substring(text), allowDollar: dollar)
    }

    func testPlainDecimals() {
        XCTAssertEqual(number("12.5")?.doubleValue, 12.5)
        XCTAssertEqual(number("0")?.doubleValue, 0)
        XCTAssertEqual(number(".5")?.doubleValue, 0.5)
        XCTAssertEqual(number("007")?.doubleValue, 7)
    }

    func testThousandsSeparatorsInGroupsOfThree() {
        XCTAssertEqual(number("1,234.5")?.doubleValue, 1234.5)
        XCTAssertEqual(number("12,345,678")?.doubleValue, 12_345_678)
        XCTAssertEqual(number("999,000")?.doubleValue, 999_000)
    }

    func testMisplacedSeparatorsAreRejected() {
        for text in ["1,23", "1,2345", "1234,567", ",123", "123,", "1,,234", "1,234,56", "1.234,5"] {
            XCTAssertNil(number(text), text)
        }
    }

    func testExponents() {
        XCTAssertEqual(number("3.95E-05")?.doubleValue, 3.95e-05)
        XCTAssertEqual(number("3.95e-05")?.doubleValue, 3.95e-05)
        XCTAssertEqual(number("1.2E+03")?.doubleValue, 1200)
        XCTAssertEqual(number("1E3")?.doubleValue, 1000)
    }

    func testIncompleteExponentsAreRejected() {
        for text in ["1E", "1E+", "E5", "1.5E-"] {
            XCTAssertNil(number(text), text)
        }
    }

    func testNonNumbersAreRejected() {
        for text in ["(5)", "(1,234.50)", "1 234", "1 234.5", "12,5", "5-", "5+", "abc", "", "-", ".",
            "5.", "1.2.3", "$5", "5 LBS", "\u{00A0}5"]
        {
            XCTAssertNil(number(text), "'\(text)'")
        }
    }

    func testSignsAreKept() {
        XCTAssertEqual(number("-5")?.isNegative, true)
        XCTAssertEqual(number("+5")?.isNegative, false)
        XCTAssertEqual(number("-0")?.isNegative, false)
    }

    func testDollarsAllowLeadingSign() {
        XCTAssertEqual(number("$12,400.00", dollar: true)?.hundredths, 1_240_000)
        XCTAssertEqual(number("$5", dollar: true)?.hundredths, 500)
        XCTAssertEqual(number("4.99", dollar: true)?.hundredths, 499)
        XCTAssertEqual(number("$0.1", dollar: true)?.hundredths, 10)
    }

    func testDollarsAllowAtMostTwoDecimals() {
        XCTAssertNil(number("$1.005", dollar: true))
        XCTAssertNil(number("1.000", dollar: true))
    }

    func testDollarSignOnlyLeads() {
        for text in ["5$", "$$5", "$ 5", "USD 5", "($5.00)"] {
            XCTAssertNil(number(text, dollar: true), text)
        }
    }

    func testWholeNumbers() {
        XCTAssertEqual(number("3")?.integerValue, 3)
        XCTAssertEqual(number("3.0")?.integerValue, 3)
        XCTAssertEqual(number("1,000")?.integerValue, 1000)
        XCTAssertEqual(number("1E+01")?.integerValue, 10)
        XCTAssertNil(number("2.5")?.integerValue)
    }

    func testHundredthsAreExact() {
        XCTAssertEqual(number("0.1")?.hundredths, 10)
        XCTAssertEqual(number("12345.67")?.hundredths, 1_234_567)
        XCTAssertNil(number("0.001")?.hundredths)
    }

    func testDoubleIsCorrectlyRounded() {
        XCTAssertEqual(number("22.0462262")?.doubleValue, 22.0462262)
        XCTAssertEqual(number("0.1")?.doubleValue, 0.1)
    }
}
