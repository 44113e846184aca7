import Foundation
import XCTest
@testable import KHSMCore

final class CleanserTests: XCTestCase {
    private typealias F = RuleFixture

    // MARK: Offices

    func testOfficeMatchIgnoresCaseAndSpacing() throws {
        for aor in ["San Diego Field Office", "  SAN   DIEGO\tFIELD OFFICE ", "san diego field office"] {
            let item = try F.cleanse(.cbp, aor: aor)
            XCTAssertEqual(item.outcome, .accepted, "'\(aor)'")
            XCTAssertEqual(item.region, "Southwest", "'\(aor)'")
            XCTAssertEqual(item.aor, "SAN DIEGO FIELD OFFICE", "'\(aor)'")
        }
    }

    func testAliasMapsToItsOffice() throws {
        let cbp = try F.cleanse(.cbp, aor: "san diego  fo")
        XCTAssertEqual(cbp.aor, "SAN DIEGO FIELD OFFICE")
        XCTAssertEqual(cbp.region, "Southwest")
        let ice = try F.cleanse(.ice, aor: "HSI SAN DIEGO")
        XCTAssertEqual(ice.aor, "SAC SAN DIEGO")
    }

    func testAliasOfOtherAgencyIsUnknown() throws {
        let item = try F.cleanse(.cbp, aor: "HSI San Diego")
        XCTAssertEqual(item.reason, .unknownAOR)
    }

    func testOfficeOfOtherAgencyIsUnknown() throws {
        let item = try F.cleanse(.cbp, aor: "SAC SAN DIEGO")
        XCTAssertEqual(item.reason, .unknownAOR)
    }

    func testOfficeAbroadIsOutsideUS() throws {
        let item = try F.cleanse(.cbp, aor: "Preclearance Field Office")
        XCTAssertEqual(item.outcome, .excluded)
        XCTAssertEqual(item.reason, .outsideUS)
    }

    func testUnknownOfficeIsExcluded() throws {
        for aor in ["MIAMI FIELD OFICE", "", "CA"] {
            let item = try F.cleanse(.cbp, aor: aor)
            XCTAssertEqual(item.reason, .unknownAOR, "'\(aor)'")
        }
    }

    func testTerritoryIsOCONUS() throws {
        let item = try F.cleanse(.ice, aor: "SAC HONOLULU")
        XCTAssertEqual(item.region, "OCONUS")
    }

    // MARK: Commodities

    func testCommodityMatchIgnoresCaseAndSpacing() throws {
        let item = try F.cleanse(.cbp, commodity: " pill   PRESS ", quantity: "2", unit: "EA")
        XCTAssertEqual(item.measure, .pillPresses)
        XCTAssertEqual(item.presses, 2)
    }

    func testAgencyEntryWinsOverAnyAgency() throws {
        let ice = try F.cleanse(.ice, commodity: "Tableting Machine", quantity: "1", unit: "EA")
        XCTAssertEqual(ice.outcome, .accepted)
        XCTAssertEqual(ice.measure, .pillPresses)
        let cbp = try F.cleanse(.cbp, commodity: "Tableting Machine", quantity: "1", unit: "EA")
        XCTAssertEqual(cbp.outcome, .outOfScope)
    }

    func testOtherDrugsAreOutOfScope() throws {
        let item = try F.cleanse(.cbp, commodity: "Methamphetamine", quantity: "40", unit: "LBS")
        XCTAssertEqual(item.outcome, .outOfScope)
        XCTAssertNil(item.reason)
    }

    func testOutOfScopeIsNeverExcluded() throws {
        let item = try F.cleanse(.cbp, fpf: "2.02325E+15", date: "02/30/2024", aor: "NOWHERE",
            commodity: "Methamphetamine", quantity: "abc", unit: "")
        XCTAssertEqual(item.outcome, .outOfScope)
        XCTAssertNil(item.reason)
        let missing = try F.cleanse(.ice, fpf: "N/A", commodity: "methamphetamine")
        XCTAssertEqual(missing.outcome, .outOfScope)
    }

    func testCBPDollarCommoditiesAreOutOfScope() throws {
        let cash = try F.cleanse(.cbp, fpf: "", commodity: "Cash", quantity: "5000", unit: "EA")
        XCTAssertEqual(cash.outcome, .outOfScope)
        XCTAssertNil(cash.reason)
        let currency = try F.cleanse(.cbp, commodity: "U.S. Currency", value: "$100.00")
        XCTAssertEqual(currency.outcome, .outOfScope)
        XCTAssertNil(currency.reason)
        let vehicle = try F.cleanse(.cbp, fpf: "N/A", commodity: "vehicle", value: "$5")
        XCTAssertEqual(vehicle.outcome, .outOfScope)
    }

    func testICEDollarCommoditiesAreCounted() throws {
        let cash = try F.cleanse(.ice, commodity: "Cash", quantity: "", unit: "", value: "$1,000.50")
        XCTAssertEqual(cash.measure, .currencyUSD)
        XCTAssertEqual(cash.cents, 100_050)
        let vehicle = try F.cleanse(.ice, commodity: "Vehicle", quantity: "1", unit: "EA", value: "45000")
        XCTAssertEqual(vehicle.measure, .propertyUSD)
        XCTAssertEqual(vehicle.cents, 4_500_000)
    }

    func testUnknownCommodityIsExcluded() throws {
        let item = try F.cleanse(.ice, commodity: "Precursor Chemicals")
        XCTAssertEqual(item.outcome, .excluded)
        XCTAssertEqual(item.reason, .unknownCommodity)
    }

    // MARK: Quantities

    func testUnitConversionToPounds() throws {
        let cases: [(String, String, Double)] = [
            ("3", "LB", 3), ("3", "LBS", 3), ("3", "lbs", 3), ("10", "KG", 22.0462262),
            ("500", "G", 1.10231131), ("3.2", "OZ", 0.2),
        ]
        for (quantity, unit, pounds) in cases {
            let item = try F.cleanse(.cbp, quantity: quantity, unit: unit)
            let actual = try XCTUnwrap(item.pounds, "\(quantity) \(unit)")
            XCTAssertEqual(actual, pounds, accuracy: 1e-12, "\(quantity) \(unit)")
        }
    }

    func testQuantityGrammarForPounds() throws {
        let accepted: [(String, Double)] = [("1,204.5", 1204.5), ("3.95E-05", 3.95e-05), ("0", 0),
            (" 12 ", 12)]
        for (quantity, pounds) in accepted {
            XCTAssertEqual(try F.cleanse(.cbp, quantity: quantity).pounds, pounds, quantity)
        }
        for quantity in ["(5)", "1 204", "12,5", "5-", "-5", "abc", "", "$5"] {
            let item = try F.cleanse(.cbp, quantity: quantity)
            XCTAssertEqual(item.reason, .invalidQuantity, "'\(quantity)'")
        }
    }

    func testFentanylNeedsWeightUnit() throws {
        for unit in ["EA", "", "GAL", "units"] {
            let item = try F.cleanse(.ice, quantity: "4", unit: unit)
            XCTAssertEqual(item.reason, .invalidQuantity, "'\(unit)'")
        }
    }

    func testPressesNeedWholeCountInEA() throws {
        let accepted = try F.cleanse(.cbp, commodity: "Pill Press", quantity: "3", unit: "ea")
        XCTAssertEqual(accepted.presses, 3)
        let cases = [("2.5", "EA"), ("2", "LBS"), ("2", "KG"), ("2", ""), ("-1", "EA"), ("", "EA")]
        for (quantity, unit) in cases {
            let item = try F.cleanse(.cbp, commodity: "Pill Press", quantity: quantity, unit: unit)
            XCTAssertEqual(item.reason, .invalidQuantity, "'\(quantity)' '\(unit)'")
        }
    }

    func testZeroAmountsAreValid() throws {
        XCTAssertEqual(try F.cleanse(.cbp, quantity: "0").pounds, 0)
        XCTAssertEqual(try F.cleanse(.cbp, commodity: "Pill Press", quantity: "0", unit: "EA").presses, 0)
        XCTAssertEqual(try F.cleanse(.ice, commodity: "Vehicle", value: "$0.00").cents, 0)
    }

    func testDollarValueGrammar() throws {
        let accepted: [(String, Int64)] = [("$12,400.00", 1_240_000), ("4.99", 499), ("$5", 500),
            ("1,234.5", 123_450)]
        for (value, cents) in accepted {
            XCTAssertEqual(try F.cleanse(.ice, commodity: "U.S. Currency", value: value).cents, cents, value)
        }
        for value in ["", "$1.005", "-$5", "($5.00)", "5$", "12,40", "$ 5", "1 000"] {
            let item = try F.cleanse(.ice, commodity: "U.S. Currency", value: value)
            XCTAssertEqual(item.reason, .invalidQuantity, "'\(value)'")
        }
    }

    func testDollarLinesIgnoreQuantity() throws {
        let item = try F.cleanse(.ice, commodity: "U.S. Currency", quantity: "abc", unit: "", value: "10")
        XCTAssertEqual(item.outcome, .accepted)
        XCTAssertEqual(item.cents, 1000)
    }

    // MARK: Order of reasons

    func testFirstApplicableReasonWins() throws {
        let cases: [(ExclusionReason, LineItem)] = [
            (.unknownCommodity, try F.cleanse(.cbp, fpf: "", date: "x", aor: "x", commodity: "Rocks",
                quantity: "x")),
            (.missingFPF, try F.cleanse(.cbp, fpf: "N/A", date: "x", aor: "x", quantity: "x")),
            (.malformedFPF, try F.cleanse(.cbp, fpf: "123", date: "x", aor: "x", quantity: "x")),
            (.invalidDate, try F.cleanse(.cbp, date: "02/30/2024", aor: "x", quantity: "x")),
            (.unknownAOR, try F.cleanse(.cbp, aor: "x", quantity: "x")),
            (.outsideUS, try F.cleanse(.cbp, aor: "PRECLEARANCE FIELD OFFICE", quantity: "x")),
            (.invalidQuantity, try F.cleanse(.cbp, quantity: "x")),
        ]
        for (reason, item) in cases {
            XCTAssertEqual(item.reason, reason)
            XCTAssertEqual(item.outcome, .excluded, reason.rawValue)
        }
    }

    func testExcludedLineKeepsRawFPFAndLine() throws {
        let item = try F.cleanse(.ice, fpf: "2.02425E+15", line: 10)
        XCTAssertEqual(item.rawFPF, "2.02425E+15")
        XCTAssertEqual(item.line, 10)
    }

    // MARK: Blank records

    func testBlankRecordsAreSkipped() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("khsm-cleanser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try initializeDatabase(path: directory.appendingPathComponent("db.sqlite").path)
        let path = directory.appendingPathComponent("cbp.csv").path
        let text = """
            FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit
            2024250100000101,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,10,KG
            ,,,,,,
             , ,\t,,, ,

            2024250100000201,11/06/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,1,LB

            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))

        let summary = try ingest(database: database, path: path,
            options: IngestOptions(agency: .cbp, extractedOn: F.date("2024-10-20")))

        XCTAssertEqual(summary.blank, 3)
        XCTAssertEqual(summary.accepted, 2)
        XCTAssertEqual(summary.excludedTotal, 0)
        XCTAssertEqual(summary.inScope, 2)
    }
}

final class AmountLimitTests: XCTestCase {
    private func cleanse(commodity: String, quantity: String, unit: String, value: String = "") throws -> LineItem {
        let reference = try ReferenceData.load(texts: builtInReferenceTexts)
        var raw = RawLine()
        raw.fpf = "2024250100000101"
        raw.date = "2024-01-15"
        raw.aor = "SAC SAN DIEGO"
        raw.commodity = commodity
        raw.quantity = quantity
        raw.unit = unit
        raw.valueUSD = value
        return Cleanser(reference: reference, agency: .ice).cleanse(line: 2, raw)
    }

    func testHugePoundsAreInvalidQuantity() throws {
        let item = try cleanse(commodity: "Fentanyl", quantity: "1e300", unit: "LB")
        XCTAssertEqual(item.reason, .invalidQuantity)
        XCTAssertNil(item.pounds)
    }

    func testBillionPoundsAreAccepted() throws {
        let item = try cleanse(commodity: "Fentanyl", quantity: "1000000000", unit: "LB")
        XCTAssertEqual(item.outcome, .accepted)
    }

    func testHugePressCountIsInvalidQuantity() throws {
        let item = try cleanse(commodity: "Pill Press", quantity: "1e12", unit: "EA")
        XCTAssertEqual(item.reason, .invalidQuantity)
    }

    func testHugeDollarValueIsInvalidQuantity() throws {
        let item = try cleanse(commodity: "Vehicle", quantity: "1", unit: "EA", value: "$1e15")
        XCTAssertEqual(item.reason, .invalidQuantity)
    }
}
