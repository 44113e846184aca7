import Foundation
import KHSMCore
import XCTest

/// Tiny extracts covering each integration rule, for the tests of the views and `khsm sql`.
///
/// FPF ...0101 is joint, equal on both sides, with ICE currency. FPF ...0202 is joint with
/// 0.125 lb at CBP and 0.13 lb at ICE, equal once rounded to hundredths with halves away from
/// zero. FPF ...0303 is CBP only (2 presses, FY2024 Q1). FPF ...0404 is joint and a discrepancy
/// (5 against 5.01 lb). FPF ...0606 is ICE only (vehicle). FPF ...0707 is joint with 1.005 lb
/// at CBP, which rounds up to 1.01 as written although its binary value is just below, and 1.01
/// lb at ICE. CBP has one missing_fpf line and one out-of-scope line.
enum SQLFixtures {
    static let cbp = """
        FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit
        2024250400000101,01/10/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,10,LBS
        2024250400000101,01/12/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,2.5,LBS
        2024250400000202,02/03/2024,OFO,BOSTON FIELD OFFICE,Fentanyl,0.125,LBS
        2024250400000303,11/05/2023,OFO,ATLANTA FIELD OFFICE,Pill Press,2,EA
        2024250400000404,03/01/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,5,LBS
        ,03/02/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,1,LBS
        2024250400000505,03/03/2024,OFO,SAN DIEGO FIELD OFFICE,Methamphetamine,9,LBS
        2024250400000707,04/02/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,1.005,LBS

        """

    static let ice = """
        SEACATS FPF #,Seizure Dt,SAC Office,Property Type,Quantity,UOM,Value USD
        2024-2504-000001-01,2024-01-11,SAC SAN DIEGO,Fentanyl,12.5,LB,
        2024-2504-000001-01,2024-01-11,SAC SAN DIEGO,U.S. Currency,,,"$1,000.50"
        2024-2504-000002-02,2024-02-04,SAC BOSTON,Fentanyl,0.13,LB,
        2024-2504-000004-04,2024-03-01,SAC SAN DIEGO,Fentanyl,5.01,LB,
        2024-2504-000006-06,2024-05-01,SAC CHICAGO,Vehicle,,,"$20,000"
        2024-2504-000007-07,2024-04-02,SAC SAN DIEGO,Fentanyl,1.01,LB,

        """

    /// Columns that `current_seizures` and `seizures` share, in one order.
    static let seizureColumns = """
        fpf, side_used, is_joint, is_discrepancy, seizure_date, fiscal_year, quarter, region,
        fentanyl_lbs, pill_presses, currency_cents, property_cents, cbp_date, cbp_region,
        cbp_fentanyl_lbs, cbp_pill_presses, ice_date, ice_region, ice_fentanyl_lbs, ice_pill_presses,
        ice_currency_cents, ice_property_cents
        """
}

extension KhsmTestCase {
    /// Creates the test database with the fixture extracts: CBP extracted 2024-10-20, ICE
    /// 2024-10-25, so ICE is the more recent side.
    func ingestSQLFixtures() throws {
        try initDatabase()
        let cbp = try write(SQLFixtures.cbp, to: "cbp.csv")
        let ice = try write(SQLFixtures.ice, to: "ice.csv")
        try khsmSucceeds(["ingest", "--quiet", "--agency", "cbp", "--extracted", "2024-10-20", cbp])
        try khsmSucceeds(["ingest", "--quiet", "--agency", "ice", "--extracted", "2024-10-25", ice])
    }

    /// Runs `khsm sql` with CSV output and returns standard output; fails the test unless it
    /// exits 0.
    @discardableResult
    func sqlCSV(_ query: String, _ extra: [String] = [], file: StaticString = #filePath,
        line: UInt = #line) throws -> String
    {
        try khsmSucceeds(["sql", "--format", "csv"] + extra + [query], file: file, line: line).stdout
    }

    /// SHA-256 of the database file and of its -wal file, an absent -wal file counting as an
    /// empty one, because a read-only connection may create an empty -wal file.
    func databaseDigests() throws -> [String] {
        let wal = databasePath + "-wal"
        let emptyDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let walDigest = FileManager.default.fileExists(atPath: wal) ? try SHA256.hex(ofFileAt: wal) : emptyDigest
        return [try SHA256.hex(ofFileAt: databasePath), walDigest]
    }
}
