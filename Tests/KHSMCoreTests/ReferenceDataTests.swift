import XCTest
@testable import KHSMCore

final class ReferenceDataTests: XCTestCase {
    private typealias F = RuleFixture

    private func builtIn() throws -> ReferenceData {
        try ReferenceData.load(texts: builtInReferenceTexts)
    }

    private func loadError(_ texts: [String: String]) -> String? {
        do {
            _ = try ReferenceData.load(texts: texts)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testFixtureIsValid() {
        XCTAssertNil(loadError(F.referenceTexts))
    }

    func testBuiltInDataIsValid() {
        XCTAssertNil(loadError(builtInReferenceTexts))
    }

    func testBuiltInPoundsPerUnit() throws {
        let units = Dictionary(uniqueKeysWithValues: try builtIn().units.map { ($0.unit, $0) })
        let expected: [(String, Double)] = [
            ("LB", 1), ("LBS", 1), ("KG", 2.20462262), ("G", 0.00220462262), ("OZ", 0.0625),
        ]
        for (unit, factor) in expected {
            XCTAssertEqual(units[unit]?.kind, "weight", unit)
            XCTAssertEqual(units[unit]?.poundsPerUnit, factor, unit)
        }
        XCTAssertEqual(units["EA"]?.kind, "count")
    }

    func testBuiltInDateFormats() throws {
        let agencies = try builtIn().agencies
        for agency in ["CBP", "ICE"] {
            let formats = Set(agencies.first { $0.agency == agency }?.dateFormats ?? [])
            XCTAssertEqual(formats, ["MM/DD/YYYY", "M/D/YYYY", "YYYY-MM-DD"], agency)
        }
    }

    func testBuiltInPreclearanceIsAbroad() throws {
        let cleanser = Cleanser(reference: try builtIn(), agency: .cbp)
        var raw = RawLine()
        raw.fpf = F.validFPF
        raw.date = "03/14/2024"
        raw.aor = "PRECLEARANCE FIELD OFFICE"
        raw.commodity = "Fentanyl"
        raw.quantity = "1"
        raw.unit = "LBS"
        XCTAssertEqual(cleanser.cleanse(line: 2, raw).reason, .outsideUS)
    }

    func testBuiltInAliasesReachTheirOffices() throws {
        let cleanser = Cleanser(reference: try builtIn(), agency: .cbp)
        var raw = RawLine()
        raw.fpf = F.validFPF
        raw.date = "03/14/2024"
        raw.aor = "San Diego FO"
        raw.commodity = "Fentanyl"
        raw.quantity = "1"
        raw.unit = "LBS"
        let item = cleanser.cleanse(line: 2, raw)
        XCTAssertEqual(item.aor, "SAN DIEGO FIELD OFFICE")
        XCTAssertEqual(item.region, "Southwest")
    }

    func testBuiltInCBPCurrencyIsOutOfScope() throws {
        let cleanser = Cleanser(reference: try builtIn(), agency: .cbp)
        var raw = RawLine()
        raw.fpf = F.validFPF
        raw.date = "03/14/2024"
        raw.aor = "SAN DIEGO FIELD OFFICE"
        raw.quantity = "5000"
        raw.unit = "EA"
        for commodity in ["U.S. Currency", "US Currency", "Vehicle", "Jewelry", "Firearm"] {
            raw.commodity = commodity
            XCTAssertEqual(cleanser.cleanse(line: 2, raw).outcome, .outOfScope, commodity)
        }
    }

    func testStateTableIsNoFallback() throws {
        for aor in ["CA", "SAN DIEGO", "California"] {
            let item = try F.cleanse(.cbp, aor: aor)
            XCTAssertEqual(item.reason, .unknownAOR, aor)
        }
    }

    func testOfficeMustAgreeWithItsState() {
        let texts = F.texts(replacing: "aor_regions.csv", with: """
            agency,component,aor,state,region
            CBP,OFO,SAN DIEGO FIELD OFFICE,CA,North
            ICE,HSI,SAC SAN DIEGO,CA,Southwest

            """)
        let message = loadError(texts)
        XCTAssertNotNil(message)
        XCTAssertTrue(message?.contains("SAN DIEGO FIELD OFFICE") ?? false, message ?? "")
    }

    func testOfficeStateMustBeListed() {
        let texts = F.texts(replacing: "aor_regions.csv", with: """
            agency,component,aor,state,region
            CBP,OFO,EL PASO FIELD OFFICE,TX,Southwest

            """)
        XCTAssertNotNil(loadError(texts))
    }

    func testAgencyStateRowWinsOverAnyAgency() throws {
        var texts = F.texts(replacing: "state_regions.csv", with: """
            state,agency,region
            CA,*,Southwest
            MI,*,North
            HI,*,OCONUS
            MD,*,North
            MD,ICE,Southeast

            """)
        texts["aor_regions.csv"] = """
            agency,component,aor,state,region
            CBP,OFO,BALTIMORE FIELD OFFICE,MD,North
            ICE,HSI,SAC BALTIMORE,MD,Southeast

            """
        texts["aor_aliases.csv"] = "agency,alias,aor\n"
        XCTAssertNil(loadError(texts))
    }

    func testAliasMustPointToKnownOffice() {
        let texts = F.texts(replacing: "aor_aliases.csv", with: """
            agency,alias,aor
            CBP,MIAMI FO,MIAMI FIELD OFFICE

            """)
        XCTAssertNotNil(loadError(texts))
    }

    func testUnknownMeasureIsRejected() {
        let texts = F.texts(replacing: "commodities.csv", with: """
            agency,commodity,measure
            *,Fentanyl,fentanyl_kg

            """)
        XCTAssertNotNil(loadError(texts))
    }

    func testDuplicateCommodityIsRejected() {
        let texts = F.texts(replacing: "commodities.csv", with: """
            agency,commodity,measure
            *,Fentanyl,fentanyl_lbs
            *,FENTANYL,out_of_scope

            """)
        XCTAssertNotNil(loadError(texts))
    }

    func testWeightUnitNeedsPositiveFactor() {
        let texts = F.texts(replacing: "units.csv", with: """
            unit,kind,pounds_per_unit
            LB,weight,0
            EA,count,

            """)
        XCTAssertNotNil(loadError(texts))
    }

    func testLayoutNeedsMandatoryFields() {
        let texts = F.texts(replacing: "layouts.csv", with: """
            agency,field,header,required
            CBP,fpf,FPF Number,yes
            ICE,fpf,SEACATS FPF #,yes

            """)
        XCTAssertNotNil(loadError(texts))
    }

    func testLayoutHeadersComeFromReferenceData() throws {
        let texts = F.texts(replacing: "layouts.csv", with: """
            agency,field,header,required
            CBP,fpf,Case,yes
            CBP,date,Day,yes
            CBP,aor,Office,yes
            CBP,commodity,Item,yes
            CBP,quantity,Amount,yes
            CBP,unit,Measure,yes
            ICE,fpf,SEACATS FPF #,yes
            ICE,date,Seizure Dt,yes
            ICE,aor,SAC Office,yes
            ICE,commodity,Property Type,yes
            ICE,quantity,Quantity,yes
            ICE,unit,UOM,yes
            ICE,value_usd,Value USD,yes

            """)
        let reference = try ReferenceData.load(texts: texts)
        let headers = reference.layoutColumns.filter { $0.agency == "CBP" }.map(\.header)
        XCTAssertEqual(headers, ["Case", "Day", "Office", "Item", "Amount", "Measure"])
    }

    func testDigestIgnoresRowOrder() throws {
        let reordered = F.texts(replacing: "units.csv", with: """
            unit,kind,pounds_per_unit
            EA,count,
            OZ,weight,0.0625
            G,weight,0.00220462262
            KG,weight,2.20462262
            LB,weight,1
            LBS,weight,1

            """)
        XCTAssertEqual(try ReferenceData.load(texts: reordered).digest, try F.reference().digest)
    }
}
