import Foundation
import KHSMCore
import XCTest

final class ComparePublishedTests: KhsmTestCase {
    typealias DifferenceRow = (year: String, month: String, aor: String, pounds: Double, events: Int)

    /// Parses the difference rows of a CSV comparison: fiscal year, month, AOR, and the published
    /// minus extract pounds and events.
    func differenceRows(_ csv: String) -> [DifferenceRow] {
        var rows: [DifferenceRow] = []
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields[0] == "difference" else { continue }
            rows.append((fields[1], fields[2], fields[3], Double(fields[8]) ?? .nan, Int(fields[9]) ?? -1))
        }
        return rows
    }

    func testListsExcludedLinesAsDifferences() throws {
        try createFixtureRelease()
        let published = try write(ReportFixtures.publicStatistics, to: "public.csv")
        let result = try khsmSucceeds(["compare-published", "--release", "R1", "--format", "csv", published])
        let rows = differenceRows(result.stdout)
        // The line without an FPF (April, San Diego) and the preclearance line (July).
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows.first?.month, "APR")
        XCTAssertEqual(rows.first?.aor, "SAN DIEGO FIELD OFFICE")
        XCTAssertEqual(rows.first?.pounds, 5)
        XCTAssertEqual(rows.first?.events, 1)
        XCTAssertEqual(rows.last?.month, "JUL")
        XCTAssertEqual(rows.last?.aor, "PRECLEARANCE FIELD OFFICE")
        XCTAssertEqual(rows.last?.pounds, 0.5)
        XCTAssertTrue(result.stdout.contains("total,2024,ALL,ALL,39.57,4,34.07,2,5.50,2\n"), result.stdout)
        XCTAssertTrue(result.stderr.contains("2 differences in 4 months and AORs compared"), result.stderr)
    }

    func testTextReportSaysCount() throws {
        try createFixtureRelease()
        let published = try write(ReportFixtures.publicStatistics, to: "public.csv")
        let result = try khsmSucceeds(["compare-published", "--release", "R1", published])
        XCTAssertTrue(result.stdout.contains("2024  APR    SAN DIEGO FIELD OFFICE"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Totals per fiscal year"))
        XCTAssertTrue(result.stdout.hasSuffix("2 differences in 4 months and AORs compared; pound differences below 0.01 lb count as equal.\n"))
    }

    func testMatchingFiguresHaveNoDifference() throws {
        try createFixtureRelease()
        let published = try write("""
            FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)
            2024,NOV,Office of Field Operations,Southwest,Southwest Border,San Diego Field Office,Fentanyl,1,12.345
            2024 (FYTD),JAN,Office of Field Operations,Coastal/Interior,Northern Border,CHICAGO FIELD OFFICE,Fentanyl,1,21.73

            """, to: "public.csv")
        let result = try khsmSucceeds(["compare-published", "--release", "R1", published])
        XCTAssertTrue(result.stdout.contains("No month and AOR differs."), result.stdout)
        XCTAssertTrue(result.stdout.contains("0 differences in 2 months and AORs compared"), result.stdout)
    }

    func testInvalidFileFailsWithRow() throws {
        try createFixtureRelease()
        let published = try write("""
            FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)
            2024,NOV,OFO,Southwest,Other,SAN DIEGO FIELD OFFICE,Fentanyl,one,12.34

            """, to: "public.csv")
        let result = try khsm(["compare-published", "--release", "R1", published])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("public.csv: public statistics data row 1: invalid Count of Event 'one'"), result.stderr)
    }

    func testMissingFileIsUsageError() throws {
        try createFixtureRelease()
        let result = try khsm(["compare-published", "--release", "R1"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("missing the published statistics FILE"), result.stderr)
    }

    /// The shared FY2023-2024 case was built from CBP's public figures in
    /// cbp_drug_seizures_fy21_24.csv. Each expected difference is the named excluded lines of the
    /// case's cbp.csv: their pounds, and one event per seizure left without any accepted line.
    func testSharedCaseDiffersByExcludedLines() throws {
        guard let caseFolder = sharedFolder("data/cases/fy2023-2024"),
            let published = sharedFolder("data/cbp-public/cbp_drug_seizures_fy21_24.csv")
        else {
            throw XCTSkip("the shared FY2023-2024 case or public statistics file is not present")
        }
        let cbpPath = caseFolder.appendingPathComponent("cbp.csv").path
        try initDatabase()
        try khsmSucceeds(["ingest", "--agency", "cbp", "--extracted", "2024-10-20", "--quiet", cbpPath])
        try khsmSucceeds(["ingest", "--agency", "ice", "--extracted", "2024-10-25", "--quiet",
            caseFolder.appendingPathComponent("ice.csv").path])
        try khsmSucceeds(["release", "create", "R1", "--date", "2024-10-28"])

        let expected: [(year: String, month: String, aor: String, pounds: Double, events: Int, lines: [Int])] = [
            ("2023", "OCT", "LAREDO FIELD OFFICE", 12.95, 1, [1307]),
            ("2023", "NOV", "TUCSON SECTOR", 2.08, 1, [4201]),
            ("2023", "DEC", "TUCSON FIELD OFFICE", 66.77, 2, [113, 3354]),
            ("2023", "JAN", "SAN DIEGO FIELD OFFICE", 24.76, 1, [2802]),
            ("2023", "FEB", "SAN DIEGO FIELD OFFICE", 25.39, 1, [2780]),
            ("2023", "FEB", "TUCSON FIELD OFFICE", 43.99, 1, [4261]),
            // A quantity in EA: the published 20.81 lbs are 9.44 KG.
            ("2023", "FEB", "YUMA SECTOR", 20.81, 0, [3511]),
            // Line 3509 names SAN DIEGO FIELD OFICE, which reference data does not know.
            ("2023", "MAR", "SAN DIEGO FIELD OFFICE", 29.01, 1, [1765, 1864, 3509]),
            ("2023", "APR", "SAN DIEGO FIELD OFFICE", 111.07, 2, [3664, 3691]),
            ("2023", "APR", "TUCSON FIELD OFFICE", 21.72, 1, [283]),
            ("2023", "MAY", "EL CENTRO SECTOR", 20.26, 1, [2927]),
            ("2023", "MAY", "LAREDO FIELD OFFICE", 1.87, 1, [4279]),
            ("2023", "MAY", "SAN DIEGO FIELD OFFICE", 5.06, 0, [1797]),
            ("2023", "MAY", "TUCSON FIELD OFFICE", 9.49, 1, [1537]),
            ("2023", "JUN", "SAN DIEGO FIELD OFFICE", 73.09, 1, [4979]),
            ("2023", "JUN", "TUCSON FIELD OFFICE", 77.74, 1, [1077, 4937]),
            ("2023", "JUL", "SAN DIEGO FIELD OFFICE", 15.59, 2, [4682, 5097]),
            ("2023", "AUG", "SAN DIEGO FIELD OFFICE", 6.40, 0, [3457]),
            // Line 3307 has no quantity, so its 6.56 published lbs cannot be read from the extract.
            ("2023", "SEP", "SAN DIEGO FIELD OFFICE", 32.51, 2, [1325, 3307]),
            ("2024", "OCT", "NEW ORLEANS SECTOR", 19.84, 1, [4540]),
            ("2024", "DEC", "BIG BEND SECTOR", 0.21, 0, [4453]),
            ("2024", "DEC", "MIAMI FIELD OFFICE", 0.02, 0, [970]),
            // Line 250 is dated 02/30/2024, which is no day; CBP published it in January.
            ("2024", "JAN", "BIG BEND SECTOR", 1.15, 0, [250]),
            ("2024", "JAN", "TAMPA FIELD OFFICE", 0.00, 1, [1567]),
            ("2024", "FEB", "DETROIT SECTOR", 0.06, 1, [3783]),
            ("2024", "FEB", "SAN DIEGO FIELD OFFICE", 30.33, 1, [4209]),
            ("2024", "FEB", "TUCSON FIELD OFFICE", 94.81, 2, [1473, 5471]),
            ("2024", "MAR", "SAN DIEGO SECTOR", 1.90, 1, [3608]),
            ("2024", "MAR", "SAN FRANCISCO FIELD OFFICE", 0.01, 1, [312]),
            ("2024", "APR", "CHICAGO FIELD OFFICE", 2.93, 0, [1094]),
            ("2024", "MAY", "BALTIMORE FIELD OFFICE", 0.35, 1, [5522]),
            ("2024", "MAY", "TUCSON FIELD OFFICE", 165.19, 1, [3715]),
            ("2024", "JUN", "DETROIT FIELD OFFICE", 5.53, 1, [2982]),
            ("2024", "JUL", "PRECLEARANCE FIELD OFFICE", 0.03, 2, [403, 2545]),
            ("2024", "JUL", "TUCSON FIELD OFFICE", 297.01, 1, [3053]),
            ("2024", "AUG", "NEW YORK FIELD OFFICE", 0.01, 1, [1382]),
            ("2024", "AUG", "PRECLEARANCE FIELD OFFICE", 0.01, 1, [3089]),
            ("2024", "SEP", "SAN DIEGO SECTOR", 18.07, 1, [431]),
        ]
        // Some excluded fentanyl lines dated in FY2023-2024 are behind no difference. The public
        // figures do not have the three preclearance lines of March 2023 (147, 2329, 5382).
        // Three lines weigh under 0.01 lb, and their published events still count from other
        // lines (1313, 1335, 5049). Line 5154, dated 2024-02-31, belongs to an FY2022 seizure.
        let linesBehindNoDifference = [147, 2329, 5382, 1313, 1335, 5049, 5154]

        let result = try khsmSucceeds(["compare-published", "--release", "R1", "--format", "csv", published.path])
        let rows = differenceRows(result.stdout)
        XCTAssertEqual(rows.map { "\($0.year) \($0.month) \($0.aor)" }, expected.map { "\($0.year) \($0.month) \($0.aor)" })
        for (row, expectation) in zip(rows, expected) {
            XCTAssertEqual(row.pounds, expectation.pounds, accuracy: 0.005, "\(row.year) \(row.month) \(row.aor)")
            XCTAssertEqual(row.events, expectation.events, "\(row.year) \(row.month) \(row.aor)")
        }

        let exclusions = try khsmSucceeds(["export", "exclusions", "--release", "R1", "--agency", "cbp"])
        let excludedLines = Set(exclusions.stdout.split(separator: "\n").dropFirst().compactMap { line in
            Int(line.split(separator: ",", omittingEmptySubsequences: false)[2])
        })
        let namedLines = expected.flatMap(\.lines) + linesBehindNoDifference
        XCTAssertTrue(Set(namedLines).isSubset(of: excludedLines), "lines named but not excluded: \(Set(namedLines).subtracting(excludedLines).sorted())")

        // Every excluded fentanyl line whose written date falls in FY2023-2024 is named above.
        let fileLines = try String(contentsOfFile: cbpPath, encoding: .utf8).components(separatedBy: "\n")
        let fentanylInPeriod = excludedLines.filter { line in
            let fields = fileLines[line - 1].components(separatedBy: ",")
            guard fields[4].lowercased().contains("fentanyl") else { return false }
            let numbers = fields[1].split(whereSeparator: { $0 == "/" || $0 == "-" }).compactMap { Int($0) }
            let (year, month) = fields[1].contains("/") ? (numbers[2], numbers[0]) : (numbers[0], numbers[1])
            return (2023...2024).contains(month >= 10 ? year + 1 : year)
        }
        XCTAssertEqual(fentanylInPeriod.sorted(), namedLines.sorted())
    }

    /// The demo built from CBP's public statistics keeps every published fentanyl event, so the
    /// comparison lists exactly the CBP fentanyl lines the release excluded (the preclearance
    /// field office is outside the United States).
    func testDemoDiffersByExcludedLines() throws {
        guard let published = sharedFolder("data/cbp-public/cbp_drug_seizures_fy21_24.csv") else {
            throw XCTSkip("the public statistics file cbp_drug_seizures_fy21_24.csv is not present")
        }
        try khsmSucceeds(["demo", "--quiet", "--from-public", published.path])
        let result = try khsmSucceeds(["compare-published", "--release", "demo", "--format", "csv", published.path])
        let rows = differenceRows(result.stdout)

        let exclusions = try khsmSucceeds(["export", "exclusions", "--release", "demo", "--agency", "cbp"])
        let excludedLines = Set(exclusions.stdout.split(separator: "\n").dropFirst().compactMap { line in
            Int(line.split(separator: ",", omittingEmptySubsequences: false)[2])
        })
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        let poundsPerUnit = ["LBS": 1, "LB": 1, "KG": 2.20462262, "G": 0.00220462262, "OZ": 0.0625]
        var expectedPounds: [String: Double] = [:]
        var expectedSeizures: [String: Set<String>] = [:]
        var reader = try CSVReader(path: directory.appendingPathComponent("test-cbp.csv").path)
        let header = try XCTUnwrap(try reader.next()).fields
        func column(_ name: String) throws -> Int { try XCTUnwrap(header.firstIndex(of: name), name) }
        let (fpfColumn, dateColumn, aorColumn) = (try column("FPF Number"), try column("Seizure Date"), try column("AOR"))
        let (commodityColumn, quantityColumn, unitColumn) = (try column("Commodity"), try column("Quantity"), try column("Unit"))
        while let record = try reader.next() {
            guard excludedLines.contains(record.line),
                record.fields[commodityColumn].lowercased().contains("fentanyl")
            else { continue }
            let date = record.fields[dateColumn]
            let numbers = date.split(whereSeparator: { $0 == "/" || $0 == "-" }).compactMap { Int($0) }
            let (year, month) = date.contains("/") ? (numbers[2], numbers[0]) : (numbers[0], numbers[1])
            let fiscalYear = month >= 10 ? year + 1 : year
            guard (2023...2024).contains(fiscalYear) else { continue }
            let key = "\(fiscalYear) \(months[month - 1]) \(collapsedKey(record.fields[aorColumn]))"
            let quantity = try XCTUnwrap(Double(record.fields[quantityColumn]), record.raw)
            let factor = try XCTUnwrap(poundsPerUnit[record.fields[unitColumn].uppercased()], record.raw)
            expectedPounds[key, default: 0] += quantity * factor
            let digits = record.fields[fpfColumn].filter(\.isNumber)
            expectedSeizures[key, default: []].insert(String(digits.prefix(16)))
        }

        XCTAssertTrue(expectedPounds.keys.contains { $0.hasSuffix("PRECLEARANCE FIELD OFFICE") }, "\(expectedPounds)")
        XCTAssertEqual(Set(rows.map { "\($0.year) \($0.month) \($0.aor)" }), Set(expectedPounds.keys))
        for row in rows {
            let key = "\(row.year) \(row.month) \(row.aor)"
            XCTAssertEqual(row.pounds, expectedPounds[key] ?? -1, accuracy: 0.0051, key)
            XCTAssertEqual(row.events, expectedSeizures[key]?.count, key)
        }
    }
}
