// Reference lists behind the demo extracts. The AOR, office, alias and
// commodity names are the project's default reference data (AOR regions,
// AOR aliases, commodities). The volumes come from CBP's public drug
// seizure statistics for fentanyl, FY2019 to FY2025.

/// A CBP area of responsibility as the demo generator uses it.
struct DemoCBPOffice: Sendable {
    /// Canonical AOR name.
    var aor: String
    /// `OFO` or `USBP`.
    var component: String
    /// Four digits that the office puts in its FPF numbers.
    var officeCode: Int
    /// Relative number of fentanyl seizures: published events in FY2023-FY2024.
    var eventWeight: Double
    /// Mean pounds of fentanyl per published event in FY2023-FY2024.
    var meanPounds: Double
    /// HSI office that usually takes the office's joint cases.
    var sacOffice: String
    /// Aliases from the reference alias table.
    var aliases: [String]
}

/// An HSI Special Agent in Charge office as the demo generator uses it.
struct DemoSACOffice: Sendable {
    /// Canonical office name.
    var name: String
    /// Four digits that the office puts in the FPF numbers it opens.
    var officeCode: Int
    /// Relative number of seizures that HSI makes without CBP.
    var iceOnlyWeight: Double
    /// Aliases from the reference alias table.
    var aliases: [String]
}

enum DemoReferenceData {
    /// The CBP AOR that lies outside the United States.
    static let preclearanceAOR = "PRECLEARANCE FIELD OFFICE"

    /// CBP AORs in reference order. CBP office codes are 2000 + 37 × index
    /// (2000 to 3480). HSI office codes start at 4000, so the FPF numbers of
    /// the two agencies never collide. AORs without published events in
    /// FY2023-FY2024 get a weight of 1 so that they still occur.
    static let cbpOffices: [DemoCBPOffice] = {
        let rows: [(String, String, Double, Double, String, [String])] = [
            ("ATLANTA FIELD OFFICE", "OFO", 8, 2.83, "SAC ATLANTA", []),
            ("BALTIMORE FIELD OFFICE", "OFO", 26, 1.08, "SAC BALTIMORE", []),
            ("BOSTON FIELD OFFICE", "OFO", 8, 0.27, "SAC BOSTON", []),
            ("BUFFALO FIELD OFFICE", "OFO", 3, 0.14, "SAC BUFFALO", []),
            ("CHICAGO FIELD OFFICE", "OFO", 95, 3.70, "SAC CHICAGO", ["CHICAGO FO"]),
            ("DETROIT FIELD OFFICE", "OFO", 8, 0.78, "SAC DETROIT", []),
            ("EL PASO FIELD OFFICE", "OFO", 181, 4.08, "SAC EL PASO", ["EL PASO FO"]),
            ("HOUSTON FIELD OFFICE", "OFO", 3, 106.21, "SAC HOUSTON", []),
            ("LAREDO FIELD OFFICE", "OFO", 35, 7.86, "SAC SAN ANTONIO", ["LAREDO FO"]),
            ("LOS ANGELES FIELD OFFICE", "OFO", 10, 0.07, "SAC LOS ANGELES", ["LOS ANGELES FO"]),
            ("MIAMI FIELD OFFICE", "OFO", 47, 2.07, "SAC MIAMI", ["MIAMI FO"]),
            ("NEW ORLEANS FIELD OFFICE", "OFO", 24, 2.10, "SAC NEW ORLEANS", []),
            ("NEW YORK FIELD OFFICE", "OFO", 39, 1.07, "SAC NEW YORK", ["NEW YORK FO"]),
            ("PORTLAND FIELD OFFICE", "OFO", 1, 0.50, "SAC SEATTLE", []),
            ("SAN DIEGO FIELD OFFICE", "OFO", 807, 21.26, "SAC SAN DIEGO", ["SAN DIEGO FO"]),
            ("SAN FRANCISCO FIELD OFFICE", "OFO", 4, 0.03, "SAC SAN FRANCISCO", []),
            ("SAN JUAN FIELD OFFICE", "OFO", 4, 0.18, "SAC SAN JUAN", []),
            ("SEATTLE FIELD OFFICE", "OFO", 10, 0.31, "SAC SEATTLE", []),
            ("TAMPA FIELD OFFICE", "OFO", 12, 1.48, "SAC TAMPA", []),
            ("TUCSON FIELD OFFICE", "OFO", 547, 43.82, "SAC PHOENIX", ["TUCSON FO"]),
            // Random generation puts seizures here only as outside_us noise.
            (preclearanceAOR, "OFO", 0, 0.01, "SAC NEW YORK", []),
            ("BIG BEND SECTOR", "USBP", 33, 2.18, "SAC EL PASO", []),
            ("DEL RIO SECTOR", "USBP", 7, 0.82, "SAC SAN ANTONIO", []),
            ("EL CENTRO SECTOR", "USBP", 77, 6.91, "SAC SAN DIEGO", []),
            ("EL PASO SECTOR", "USBP", 48, 1.46, "SAC EL PASO", []),
            ("LAREDO SECTOR", "USBP", 5, 0.73, "SAC SAN ANTONIO", []),
            ("RIO GRANDE VALLEY SECTOR", "USBP", 4, 1.90, "SAC HOUSTON", ["RGV SECTOR", "RIO GRANDE VALLEY"]),
            ("SAN DIEGO SECTOR", "USBP", 77, 26.85, "SAC SAN DIEGO", []),
            ("TUCSON SECTOR", "USBP", 218, 8.41, "SAC PHOENIX", []),
            ("YUMA SECTOR", "USBP", 34, 33.38, "SAC PHOENIX", []),
            ("BLAINE SECTOR", "USBP", 3, 0.01, "SAC SEATTLE", []),
            ("BUFFALO SECTOR", "USBP", 3, 0.04, "SAC BUFFALO", []),
            ("DETROIT SECTOR", "USBP", 6, 0.86, "SAC DETROIT", []),
            ("GRAND FORKS SECTOR", "USBP", 1, 0.20, "SAC ST. PAUL", []),
            ("HAVRE SECTOR", "USBP", 9, 0.31, "SAC DENVER", []),
            ("HOULTON SECTOR", "USBP", 8, 0.05, "SAC BOSTON", []),
            ("SPOKANE SECTOR", "USBP", 47, 0.53, "SAC SEATTLE", []),
            ("SWANTON SECTOR", "USBP", 9, 0.05, "SAC BOSTON", []),
            ("MIAMI SECTOR", "USBP", 1, 0.01, "SAC MIAMI", []),
            ("NEW ORLEANS SECTOR", "USBP", 4, 17.59, "SAC NEW ORLEANS", []),
            ("RAMEY SECTOR", "USBP", 1, 0.20, "SAC SAN JUAN", []),
        ]
        return rows.enumerated().map { index, row in
            DemoCBPOffice(
                aor: row.0, component: row.1, officeCode: 2000 + 37 * index,
                eventWeight: row.2, meanPounds: row.3, sacOffice: row.4, aliases: row.5)
        }
    }()

    /// HSI offices in reference order. Office codes are 4000 + 37 × index.
    static let sacOffices: [DemoSACOffice] = {
        let rows: [(String, Double, [String])] = [
            ("SAC ATLANTA", 3, []),
            ("SAC BALTIMORE", 2, []),
            ("SAC BOSTON", 3, []),
            ("SAC BUFFALO", 3, []),
            ("SAC CHICAGO", 5, []),
            ("SAC DALLAS", 3, []),
            ("SAC DENVER", 4, []),
            ("SAC DETROIT", 3, []),
            ("SAC EL PASO", 4, []),
            ("SAC HONOLULU", 4, []),
            ("SAC HOUSTON", 5, ["HSI HOUSTON"]),
            ("SAC LOS ANGELES", 6, []),
            ("SAC MIAMI", 3, []),
            ("SAC NEW ORLEANS", 3, []),
            ("SAC NEW YORK", 8, ["HSI NEW YORK"]),
            ("SAC NEWARK", 4, []),
            ("SAC PHILADELPHIA", 4, []),
            ("SAC PHOENIX", 10, ["HSI PHOENIX"]),
            ("SAC SAN ANTONIO", 3, []),
            ("SAC SAN DIEGO", 10, ["HSI SAN DIEGO"]),
            ("SAC SAN FRANCISCO", 2, []),
            ("SAC SAN JUAN", 2, []),
            ("SAC SEATTLE", 4, []),
            ("SAC ST. PAUL", 5, ["SAC SAINT PAUL"]),
            ("SAC TAMPA", 3, []),
            ("SAC WASHINGTON DC", 3, ["SAC WASHINGTON D.C.", "SAC WASHINGTON"]),
        ]
        return rows.enumerated().map { index, row in
            DemoSACOffice(name: row.0, officeCode: 4000 + 37 * index, iceOnlyWeight: row.1, aliases: row.2)
        }
    }()

    /// Published CBP fentanyl events and pounds per fiscal year. FY2025 is
    /// an estimate: the eight published months scaled to twelve.
    static let fiscalYearVolumes: [Int: (events: Int, pounds: Double)] = [
        2019: (814, 2_803.6),
        2020: (1_174, 4_791.1),
        2021: (1_515, 11_201.3),
        2022: (1_496, 14_699.9),
        2023: (1_351, 27_022.9),
        2024: (1_116, 21_889.2),
        2025: (1_012, 12_698.0),
    ]

    /// Volume assumed for a fiscal year without published figures.
    static let defaultFiscalYearVolume: (events: Int, pounds: Double) = (1_300, 20_000)

    static func volume(fiscalYear: Int) -> (events: Int, pounds: Double) {
        fiscalYearVolumes[fiscalYear] ?? defaultFiscalYearVolume
    }

    // Commodity names with relative frequencies, all known to the default
    // commodity table except the unknown-commodity example.
    static let cbpFentanylCommodities: [(String, Double)] = [
        ("Fentanyl", 0.80), ("Fentanyl Powder", 0.10), ("Fentanyl Pills", 0.10),
    ]
    static let iceFentanylCommodities: [(String, Double)] = [
        ("Fentanyl", 0.70), ("Fentanyl Pills", 0.15), ("Fentanyl HCl", 0.15),
    ]
    static let cbpPressCommodities: [(String, Double)] = [
        ("Pill Press", 0.85), ("Tableting Machine", 0.08), ("Pill Press Die", 0.07),
    ]
    static let icePressCommodities: [(String, Double)] = [
        ("Pill Press", 0.45), ("Press Parts", 0.25), ("Tableting Machine", 0.15), ("Die", 0.15),
    ]
    static let cbpOutOfScopeCommodities: [(String, Double)] = [
        ("Heroin", 0.27), ("Methamphetamine", 0.25), ("Cocaine", 0.22), ("U.S. Currency", 0.21),
        ("Marijuana", 0.02), ("Ketamine", 0.01), ("Other Drugs", 0.01), ("Vehicle", 0.01),
    ]
    static let iceOutOfScopeCommodities: [(String, Double)] = [
        ("Cocaine", 0.70), ("Methamphetamine", 0.20), ("Heroin", 0.10),
    ]
    static let iceCurrencyCommodities: [(String, Double)] = [
        ("U.S. Currency", 0.70), ("US Currency", 0.30),
    ]
    /// ICE property types with the range of their values in dollars.
    static let icePropertyCommodities: [(name: String, weight: Double, minimum: Double, maximum: Double)] = [
        ("Vehicle", 0.20, 2_500, 60_000),
        ("Electronics", 0.20, 200, 12_000),
        ("Jewelry", 0.17, 500, 40_000),
        ("Firearm", 0.16, 400, 6_000),
        ("Other Property", 0.14, 300, 20_000),
        ("Real Property", 0.10, 60_000, 900_000),
        ("Conveyance", 0.03, 5_000, 80_000),
    ]
    static let unknownCommodity = "Precursor Chemicals"

    /// Pounds per unit, as in the method's conversion table.
    static func poundsPerUnit(_ unit: String) -> Double? {
        switch unit {
        case "LBS", "LB": return 1
        case "KG": return 2.20462262
        case "G": return 0.00220462262
        case "OZ": return 0.0625
        default: return nil
        }
    }
}
