import Foundation
import XCTest
@testable import KHSMCore

final class DemoCommandTests: KhsmTestCase {
    func testDemoPrintsTableAndQuality() throws {
        let result = try khsmSucceeds(["demo"])
        XCTAssertTrue(result.stdout.contains("fentanyl_lbs"), result.stdout)
        XCTAssertTrue(result.stdout.contains("undercount CBP"), result.stdout)
        XCTAssertTrue(result.stdout.contains("timeliness           on time"), result.stdout)
        let table = try khsmSucceeds(["export", "table", "--release", "demo"])
        XCTAssertEqual(table.stdout.split(separator: "\n").count, 201)
    }

    func testDemoIsReproducible() throws {
        try khsmSucceeds(["demo", "--db", "first.sqlite"])
        try khsmSucceeds(["demo", "--db", "second.sqlite"])
        let first = try khsmSucceeds(["export", "table", "--release", "demo", "--db", "first.sqlite"])
        let second = try khsmSucceeds(["export", "table", "--release", "demo", "--db", "second.sqlite"])
        XCTAssertEqual(first.stdout, second.stdout)
        let firstCBP = try Data(contentsOf: directory.appendingPathComponent("first-cbp.csv"))
        let secondCBP = try Data(contentsOf: directory.appendingPathComponent("second-cbp.csv"))
        XCTAssertEqual(firstCBP, secondCBP)
    }

    func testDemoRefusesExistingDatabase() throws {
        try initDatabase()
        let result = try khsm(["demo"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("already exists"), result.stderr)
    }

    func testDemoRejectsBadScale() throws {
        let result = try khsm(["demo", "--scale", "x"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid --scale 'x'"), result.stderr)
    }

    /// The CBP extract built from CBP's public statistics adds up to the published fentanyl
    /// pounds and event counts per fiscal year, month and office.
    func testFromPublicAddsUpToPublishedFigures() throws {
        guard let publicFile = sharedFolder("data/cbp-public/cbp_drug_seizures_fy21_24.csv") else {
            throw XCTSkip("CBP's public statistics file is not next to the package; skipping")
        }
        try khsmSucceeds(["demo", "--from-public", publicFile.path])

        var reader = try CSVReader(path: publicFile.path)
        let header = try XCTUnwrap(try reader.next())
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append(record.fields) }
        var published: [String: (pounds: Double, events: Int)] = [:]
        for event in try PublicStatistics.fentanylEvents(header: header.fields, rows: rows)
        where (2023...2024).contains(event.fiscalYear) {
            let key = "\(event.fiscalYear)-\(event.month)-\(collapsedKey(event.aor))"
            published[key, default: (0, 0)].pounds += event.pounds
            published[key, default: (0, 0)].events += event.events
        }

        let reference = try ReferenceData.load(texts: builtInReferenceTexts)
        var canonicalOffice: [String: String] = [:]
        for alias in reference.aliases where alias.agency == "CBP" {
            canonicalOffice[collapsedKey(alias.alias)] = collapsedKey(alias.aor)
        }
        var poundsPerUnit: [String: Double] = [:]
        for unit in reference.units { poundsPerUnit[unit.unit] = unit.poundsPerUnit }

        var built: [String: (pounds: Double, fpfs: Set<String>)] = [:]
        var extract = try CSVReader(path: directory.appendingPathComponent("test-cbp.csv").path)
        _ = try extract.next()
        let dateFormats = ["MM/DD/YYYY", "M/D/YYYY", "YYYY-MM-DD"].compactMap(DateFormat.init)
        while let record = try extract.next() {
            guard collapsedKey(record.fields[4]).hasPrefix("FENTANYL"),
                let date = dateFormats.lazy.compactMap({ $0.parse(Substring(record.fields[1])) }).first,
                (2023...2024).contains(date.fiscalYear)
            else { continue }
            let office = collapsedKey(record.fields[3])
            let key = "\(date.fiscalYear)-\(date.month)-\(canonicalOffice[office] ?? office)"
            let factor = poundsPerUnit[collapsedKey(record.fields[6])] ?? .nan
            built[key, default: (0, [])].pounds += (Double(record.fields[5]) ?? .nan) * factor
            built[key, default: (0, [])].fpfs.insert(String(record.fields[0].prefix(16)))
        }

        XCTAssertEqual(Set(built.keys).subtracting(published.keys).sorted(), [])
        XCTAssertEqual(Set(published.keys).subtracting(built.keys).sorted(), [])
        for (key, figure) in published {
            let pounds = built[key]?.pounds ?? 0
            XCTAssertEqual(pounds, figure.pounds, accuracy: max(1e-6 * figure.pounds, 1e-6), key)
            XCTAssertEqual(built[key]?.fpfs.count, figure.events, key)
        }
        let fy2023 = published.filter { $0.key.hasPrefix("2023-") }.values.reduce(0) { $0 + $1.pounds }
        let fy2024 = published.filter { $0.key.hasPrefix("2024-") }.values.reduce(0) { $0 + $1.pounds }
        XCTAssertEqual(fy2023, 27_022.9, accuracy: 0.05)
        XCTAssertEqual(fy2024, 21_889.2, accuracy: 0.05)
    }
}
