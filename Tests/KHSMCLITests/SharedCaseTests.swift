import Foundation
import KHSMCore
import XCTest

/// Runs the shared example cases through the built binary and compares every output with the
/// expected files of an independent implementation of the method.
final class SharedCaseTests: KhsmTestCase {
    /// Returns the folder of a shared case, or throws a skip when the shared data is not next to
    /// the package.
    private func caseFolder(_ name: String) throws -> URL {
        guard let folder = sharedFolder("data/cases/\(name)") else {
            throw XCTSkip("shared case '\(name)' not found at ../shared/data/cases/\(name) next to the package; skipping its end-to-end test")
        }
        return folder
    }

    private func ingest(_ folder: URL, _ file: String, agency: String, extracted: String) throws {
        try khsmSucceeds(["ingest", "--quiet", "--agency", agency, "--extracted", extracted,
            folder.appendingPathComponent(file).path])
    }

    private func text(_ folder: URL, _ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }

    /// Records of a CSV text without its header, parsed by the project's RFC 4180 reader.
    private func csvRows(_ text: String, name: String) throws -> [[String]] {
        Array(try CSVReader.records(text: text, name: name).dropFirst().map(\.fields))
    }

    // MARK: Cases

    func testMiniCase() throws {
        let folder = try caseFolder("mini")
        try initDatabase()
        // As in the larger case: CBP pulled first, ICE five days later, so ICE is more recent.
        try ingest(folder, "cbp.csv", agency: "cbp", extracted: "2024-10-20")
        try ingest(folder, "ice.csv", agency: "ice", extracted: "2024-10-25")
        try khsmSucceeds(["release", "create", "mini", "--date", "2024-10-28"])
        try checkRelease("mini", expectedFolder: folder.appendingPathComponent("expected"))
    }

    func testFiscalYears2023To2024Case() throws {
        let folder = try caseFolder("fy2023-2024")
        try initDatabase()
        try ingest(folder, "cbp.csv", agency: "cbp", extracted: "2024-10-20")
        try ingest(folder, "ice.csv", agency: "ice", extracted: "2024-10-25")
        try khsmSucceeds(["release", "create", "fy2024", "--date", "2024-10-28"])
        try checkRelease("fy2024", expectedFolder: folder.appendingPathComponent("expected"))
    }

    func testSecondCBPExtractCase() throws {
        let folder = try caseFolder("fy2023-2024")
        try initDatabase()
        try ingest(folder, "cbp.csv", agency: "cbp", extracted: "2024-10-20")
        try ingest(folder, "ice.csv", agency: "ice", extracted: "2024-10-25")
        try khsmSucceeds(["release", "create", "fy2024", "--date", "2024-10-28"])
        try ingest(folder, "cbp-2.csv", agency: "cbp", extracted: "2024-11-04")
        try khsmSucceeds(["release", "create", "fy2024-r2", "--date", "2024-11-06"])
        try checkRelease("fy2024-r2", expectedFolder: folder.appendingPathComponent("expected-with-cbp-2"))
    }

    // MARK: Checks

    private func checkRelease(_ release: String, expectedFolder: URL) throws {
        try checkTable(release, expectedFolder: expectedFolder)
        try checkDiscrepancies(release, expectedFolder: expectedFolder)
        try checkExclusions(release, expectedFolder: expectedFolder)
        try checkSummary(release, expectedFolder: expectedFolder)
        try checkExactValues(release, expectedFolder: expectedFolder)
    }

    private func checkTable(_ release: String, expectedFolder: URL) throws {
        let actual = try khsmSucceeds(["export", "table", "--release", release]).stdout
        let expected = try text(expectedFolder, "table.csv")
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(actualLines.count, expectedLines.count, "table rows of \(release)")
        let differences = zip(actualLines, expectedLines).filter { $0 != $1 }
            .prefix(5).map { "got \($0), expected \($1)" }
        XCTAssertEqual(differences, [], "table of \(release)")
        XCTAssertTrue(actual == expected, "table of \(release) differs from \(expectedFolder.path)/table.csv")
    }

    private func checkDiscrepancies(_ release: String, expectedFolder: URL) throws {
        let output = try khsmSucceeds(["export", "discrepancies", "--release", release]).stdout
        let rows = try csvRows(output, name: "discrepancies")
        let actual = Set(rows.map { $0[0] })
        XCTAssertEqual(actual.count, rows.count, "each FPF is listed once")
        let expected = Set(try text(expectedFolder, "discrepancies.txt").split(whereSeparator: \.isNewline)
            .map(String.init))
        XCTAssertEqual(actual.subtracting(expected).sorted(), [], "discrepancies of \(release) not expected")
        XCTAssertEqual(expected.subtracting(actual).sorted(), [], "discrepancies of \(release) missing")
    }

    private func checkExclusions(_ release: String, expectedFolder: URL) throws {
        let output = try khsmSucceeds(["export", "exclusions", "--release", release]).stdout
        // The export adds the offending value after agency,extract,line,reason,raw_fpf.
        let actualRows = try csvRows(output, name: "exclusions").map { Array($0.prefix(5)) }
        let expectedRows = try csvRows(try text(expectedFolder, "exclusions.csv"), name: "exclusions.csv")
        let actual = Set(actualRows)
        let expected = Set(expectedRows)
        XCTAssertEqual(actual.count, actualRows.count, "each excluded line is listed once")
        XCTAssertEqual(actual.subtracting(expected).map { $0.joined(separator: ",") }.sorted(), [],
            "exclusions of \(release) not expected")
        XCTAssertEqual(expected.subtracting(actual).map { $0.joined(separator: ",") }.sorted(), [],
            "exclusions of \(release) missing")
    }

    private func checkSummary(_ release: String, expectedFolder: URL) throws {
        let data = try Data(contentsOf: expectedFolder.appendingPathComponent("summary.json"))
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let database = try openDatabase(path: databasePath, readOnly: true)
        let id = try XCTUnwrap(try database.row("SELECT release_id FROM release WHERE name = ?",
            [.text(release)])?.int(0))
        func count(_ condition: String) throws -> Int? {
            try database.row("SELECT count(*) FROM release_seizure WHERE release_id = ? AND \(condition)",
                [.integer(Int64(id))])?.int(0)
        }
        func quality(_ figure: String, agency: String = "") throws -> Row? {
            try database.row(
                "SELECT numerator, denominator, value FROM release_quality WHERE release_id = ? AND figure = ? AND agency = ?",
                [.integer(Int64(id)), .text(figure), .text(agency)])
        }

        XCTAssertEqual(try count("in_period = 1"), summary["seizures_counted"] as? Int, "seizures_counted")
        XCTAssertEqual(try count("is_joint = 1"), summary["joint_seizures"] as? Int, "joint_seizures")
        XCTAssertEqual(try count("is_discrepancy = 1"), summary["discrepancies"] as? Int, "discrepancies")

        let share = try XCTUnwrap(try quality("joint_share_lbs")?.double(2), "joint_share_lbs")
        let expectedShare = try XCTUnwrap(summary["joint_share_lbs"] as? Double)
        XCTAssertEqual(share, expectedShare, accuracy: 1e-12, "joint_share_lbs")

        let inScope = try XCTUnwrap(summary["in_scope_lines"] as? [String: Int])
        for (agency, lines) in inScope {
            let denominator = try quality("undercount", agency: agency)?.double(1)
            XCTAssertEqual(denominator.map { Int($0) }, lines, "in_scope_lines of \(agency)")
        }

        let output = try khsmSucceeds(["export", "exclusions", "--release", release]).stdout
        var actual: [String: [String: Int]] = [:]
        for row in try csvRows(output, name: "exclusions") {
            actual[row[0], default: [:]][row[3], default: 0] += 1
        }
        let expected = try XCTUnwrap(summary["exclusions"] as? [String: [String: Int]])
        XCTAssertEqual(actual, expected, "exclusion counts by agency and reason")
    }

    /// Compares the unrounded cells kept for audit: pounds to one part in a billion, counts and
    /// cents exactly. Cells that exact.csv leaves out must be zero.
    private func checkExactValues(_ release: String, expectedFolder: URL) throws {
        var expected: [String: String] = [:]
        for row in try csvRows(try text(expectedFolder, "exact.csv"), name: "exact.csv") {
            expected[row[0...3].joined(separator: ",")] = row[4]
        }
        let database = try openDatabase(path: databasePath, readOnly: true)
        let cells = try database.rows(
            """
            SELECT c.fiscal_year, c.quarter, c.region, c.measure, c.exact_lbs, c.exact_count,
                c.exact_cents
            FROM release_cell c JOIN release r ON r.release_id = c.release_id
            WHERE r.name = ? ORDER BY c.position
            """, [.text(release)])
        XCTAssertEqual(cells.count, 200, "cells of \(release)")
        for cell in cells {
            let key = (0...3).map { cell.string($0) ?? "" }.joined(separator: ",")
            let text = expected[key] ?? "0"
            if let pounds = cell.double(4) {
                let value = try XCTUnwrap(Double(text), key)
                XCTAssertEqual(pounds, value, accuracy: 1e-9 * max(1, value.magnitude), key)
            } else if let cents = cell.int(6) {
                XCTAssertEqual(formatCents(Int64(cents)), dollarsText(text), key)
            } else {
                XCTAssertEqual(cell.int(5), Int(text), key)
            }
        }
    }

    /// Writes a dollar amount such as `0` or `45005.00` with exactly two decimals.
    private func dollarsText(_ text: String) -> String {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return "\(parts[0])." + (fraction + "00").prefix(2)
    }
}
