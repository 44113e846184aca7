import Foundation
import XCTest
@testable import KHSMCore

/// Tiny reference data and builders shared by the tests of the method's rules.
enum RuleFixture {
    /// A reference data set small enough to read at a glance. It keeps the project's units,
    /// layouts and date formats. It has one entry per case the rules distinguish: an alias, an
    /// office abroad, an agency's own commodity entry beside a `*` entry, and a `*` commodity
    /// mapped to a dollar measure.
    static let referenceTexts: [String: String] = [
        "aor_regions.csv": """
            agency,component,aor,state,region
            CBP,OFO,SAN DIEGO FIELD OFFICE,CA,Southwest
            CBP,OFO,DETROIT FIELD OFFICE,MI,North
            CBP,OFO,PRECLEARANCE FIELD OFFICE,,outside_us
            ICE,HSI,SAC SAN DIEGO,CA,Southwest
            ICE,HSI,SAC HONOLULU,HI,OCONUS

            """,
        "aor_aliases.csv": """
            agency,alias,aor
            CBP,SAN DIEGO FO,SAN DIEGO FIELD OFFICE
            ICE,HSI San Diego,SAC SAN DIEGO

            """,
        "commodities.csv": """
            agency,commodity,measure
            *,Fentanyl,fentanyl_lbs
            *,Pill Press,pill_presses
            *,Methamphetamine,out_of_scope
            *,Tableting Machine,out_of_scope
            ICE,Tableting Machine,pill_presses
            *,Cash,currency_usd
            ICE,U.S. Currency,currency_usd
            ICE,Vehicle,property_usd

            """,
        "state_regions.csv": """
            state,agency,region
            CA,*,Southwest
            MI,*,North
            HI,*,OCONUS

            """,
        "units.csv": """
            unit,kind,pounds_per_unit
            LBS,weight,1
            LB,weight,1
            KG,weight,2.20462262
            G,weight,0.00220462262
            OZ,weight,0.0625
            EA,count,

            """,
        "layouts.csv": """
            agency,field,header,required
            CBP,fpf,FPF Number,yes
            CBP,date,Seizure Date,yes
            CBP,aor,AOR,yes
            CBP,commodity,Commodity,yes
            CBP,quantity,Quantity,yes
            CBP,unit,Unit,yes
            ICE,fpf,SEACATS FPF #,yes
            ICE,date,Seizure Dt,yes
            ICE,aor,SAC Office,yes
            ICE,commodity,Property Type,yes
            ICE,quantity,Quantity,yes
            ICE,unit,UOM,yes
            ICE,value_usd,Value USD,yes

            """,
        "agencies.csv": """
            agency,name,date_formats
            CBP,U.S. Customs and Border Protection,MM/DD/YYYY|M/D/YYYY|YYYY-MM-DD
            ICE,ICE Homeland Security Investigations,YYYY-MM-DD|MM/DD/YYYY|M/D/YYYY

            """,
    ]

    static func reference() throws -> ReferenceData {
        try ReferenceData.load(texts: referenceTexts)
    }

    /// Returns the fixture's texts with one file replaced.
    static func texts(replacing file: String, with text: String) -> [String: String] {
        var texts = referenceTexts
        texts[file] = text
        return texts
    }

    static let validFPF = "2024250100000101"

    /// Cleanses one line of `agency` under the fixture's reference data. Fields left out get
    /// valid values for a fentanyl line in San Diego.
    static func cleanse(_ agency: Agency, fpf: String = validFPF, date: String = "03/14/2024",
        aor: String? = nil, commodity: String = "Fentanyl", quantity: String = "1",
        unit: String = "LB", value: String = "", line: Int = 2) throws -> LineItem
    {
        var raw = RawLine()
        raw.fpf = fpf
        raw.date = date
        raw.aor = aor ?? (agency == .cbp ? "SAN DIEGO FIELD OFFICE" : "SAC SAN DIEGO")
        raw.commodity = commodity
        raw.quantity = quantity
        raw.unit = unit
        raw.valueUSD = value
        return Cleanser(reference: try reference(), agency: agency).cleanse(line: line, raw)
    }

    static func date(_ iso: String) -> CalendarDate {
        CalendarDate(iso: iso)!
    }

    /// Makes one agency's seizure with the given totals.
    static func seizure(_ fpf: String, date: String = "2024-03-14", region: String = "Southwest",
        lbs: Double = 0, presses: Int64 = 0, currencyCents: Int64 = 0, propertyCents: Int64 = 0)
        -> AgencySeizure
    {
        var seizure = AgencySeizure(fpf: fpf, date: CalendarDate(iso: date)!, region: region, aor: "AOR")
        seizure.fentanylLbs = lbs
        seizure.pillPresses = presses
        seizure.currencyCents = currencyCents
        seizure.propertyCents = propertyCents
        return seizure
    }

    /// Makes an accepted line item with one amount, as the cleanser does.
    static func acceptedLine(_ line: Int, fpf: String, date: String = "2024-03-14",
        region: String = "Southwest", measure: Measure = .fentanylLbs, pounds: Double? = nil,
        presses: Int64? = nil, cents: Int64? = nil) -> LineItem
    {
        var item = LineItem(line: line, outcome: .accepted, raw: RawLine())
        item.fpf = fpf
        item.rawFPF = fpf
        item.date = CalendarDate(iso: date)!
        item.region = region
        item.aor = "AOR of \(region)"
        item.measure = measure
        item.pounds = pounds
        item.presses = presses
        item.cents = cents
        return item
    }

    /// Makes a stored extract record, as a release reads it from the database.
    static func extract(id: Int, agency: Agency, extractedOn: String) -> ExtractRecord {
        ExtractRecord(row: Row(values: [
            .integer(Int64(id)), .text(agency.rawValue), .text("\(agency.rawValue.lowercased()).csv"),
            .text("sha"), .text(extractedOn), .text("2024-11-01T00:00:00Z"), .text(","),
            .text("header"), .text("records"), .integer(1),
        ], columns: []))
    }
}
