/// Tiny extracts for the report, comparison and export tests: FY2024 only.
enum ReportFixtures {
    /// CBP, extracted 2024-10-20: fentanyl in three regions' offices, presses, a line without an
    /// FPF and a preclearance line (both excluded).
    static let cbp = """
        FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit
        2024250100000101,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,12.34,LBS
        2024250100000201,01/15/2024,OFO,CHICAGO FIELD OFFICE,Fentanyl,21.73,LBS
        2024250100000301,04/02/2024,OFO,MIAMI FIELD OFFICE,Pill Press,3,EA
        N/A,04/03/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,5,LBS
        2024285100000101,07/03/2024,OFO,PRECLEARANCE FIELD OFFICE,Fentanyl,0.5,LBS

        """

    /// CBP, extracted 2024-11-04: the San Diego seizure revised to 30.5 lbs and a new one in San
    /// Juan.
    static let cbpRevised = """
        FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit
        2024250100000101,11/05/2023,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,30.5,LBS
        2024250100000201,01/15/2024,OFO,CHICAGO FIELD OFFICE,Fentanyl,21.73,LBS
        2024250100000301,04/02/2024,OFO,MIAMI FIELD OFFICE,Pill Press,3,EA
        2024250100000401,08/09/2024,OFO,SAN JUAN FIELD OFFICE,Fentanyl,44,LBS
        N/A,04/03/2024,OFO,SAN DIEGO FIELD OFFICE,Fentanyl,5,LBS
        2024285100000101,07/03/2024,OFO,PRECLEARANCE FIELD OFFICE,Fentanyl,0.5,LBS

        """

    /// ICE, extracted 2024-10-15 (before CBP, so CBP gives joint seizures' pounds): currency on
    /// the San Diego seizure (joint) and a vehicle.
    static let ice = """
        SEACATS FPF #,Seizure Dt,SAC Office,Property Type,Quantity,UOM,Value USD
        2024-2501-000001-01,2023-11-05,SAC SAN DIEGO,U.S. Currency,,,"$12,345.67"
        2024-2501-000009-01,2024-02-01,SAC SAN JUAN,Vehicle,1,EA,"$8,000.00"

        """

    /// CBP's public statistics for the fixture: the figures of `cbp` before exclusions, one
    /// cocaine row and one FY2023 row outside the release's period.
    static let publicStatistics = """
        FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)
        2024,NOV,Office of Field Operations,Southwest,Southwest Border,SAN DIEGO FIELD OFFICE,Fentanyl,1,12.34
        2024,JAN,Office of Field Operations,Coastal/Interior,Northern Border,CHICAGO FIELD OFFICE,Fentanyl,1,21.73
        2024,APR,Office of Field Operations,Southwest,Southwest Border,SAN DIEGO FIELD OFFICE,Fentanyl,1,5
        2024,JUL,Office of Field Operations,Other,Other,PRECLEARANCE FIELD OFFICE,Fentanyl,1,0.5
        2024,APR,Office of Field Operations,Coastal/Interior,Other,MIAMI FIELD OFFICE,Cocaine,2,7
        2023,NOV,Office of Field Operations,Southwest,Southwest Border,SAN DIEGO FIELD OFFICE,Fentanyl,9,99

        """
}

extension KhsmTestCase {
    /// Creates the database and release R1 (FY2024) from `ReportFixtures.cbp` and `.ice`.
    func createFixtureRelease(name: String = "R1") throws {
        try initDatabase()
        try khsmSucceeds(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", "--quiet",
            try write(ReportFixtures.cbp, to: "cbp.csv")])
        try khsmSucceeds(["ingest", "--agency", "ice", "--extracted", "2024-10-15", "--quiet",
            try write(ReportFixtures.ice, to: "ice.csv")])
        try khsmSucceeds(["release", "create", name, "--date", "2024-10-28", "--fiscal-years", "2024"])
    }

    /// Adds release R2 from `ReportFixtures.cbpRevised`, after `createFixtureRelease()`.
    func createRevisedRelease() throws {
        try khsmSucceeds(["ingest", "--agency", "cbp", "--extracted", "2024-11-04", "--quiet",
            try write(ReportFixtures.cbpRevised, to: "cbp-2.csv")])
        try khsmSucceeds(["release", "create", "R2", "--date", "2024-11-06", "--fiscal-years", "2024"])
    }
}
