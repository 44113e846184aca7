import Foundation
import KHSMCore
import XCTest

/// Helpers for tests of releases: reference data copies, raw SQL as a tamperer would run it,
/// and JSON output.
extension KhsmTestCase {
    /// Copies the project's reference-data folder into the test directory, with the office
    /// `office` of `agency` moved to `state` and `region`, and returns the copy's path.
    func referenceDataMoving(office: String, agency: String, toState state: String, region: String) throws
        -> String
    {
        let source = packageRoot.appendingPathComponent("reference-data")
        let copy = directory.appendingPathComponent("reference-moved")
        try FileManager.default.copyItem(at: source, to: copy)
        let regionsFile = copy.appendingPathComponent("aor_regions.csv")
        let lines = try String(contentsOf: regionsFile, encoding: .utf8).components(separatedBy: "\n")
        var moved = 0
        let rewritten = lines.map { line -> String in
            let fields = line.components(separatedBy: ",")
            guard fields.count == 5, fields[0] == agency, fields[2] == office else { return line }
            moved += 1
            return [fields[0], fields[1], fields[2], state, region].joined(separator: ",")
        }
        XCTAssertEqual(moved, 1, "\(office) should be listed once for \(agency) in aor_regions.csv")
        try rewritten.joined(separator: "\n").write(to: regionsFile, atomically: true, encoding: .utf8)
        return copy.path
    }

    /// Runs SQL on a database with the sqlite3 shell, outside khsm, as someone altering the
    /// file would. Skips the test when the shell is not installed.
    @discardableResult
    func sqlite3(_ sql: String, database: String? = nil) throws -> RunResult {
        let shell = "/usr/bin/sqlite3"
        guard FileManager.default.isExecutableFile(atPath: shell) else {
            throw XCTSkip("the sqlite3 shell is not installed at \(shell); install Debian's sqlite3 package to run this test")
        }
        return try runProcess(shell, [database ?? databasePath, sql])
    }

    /// Runs `khsm` and parses its standard output as a JSON object.
    func khsmJSON(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws
        -> [String: Any]
    {
        let result = try khsmSucceeds(arguments, file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any], "khsm \(arguments.joined(separator: " ")) did not print a JSON object",
            file: file, line: line)
    }
}

/// Checks that every changed cell of a diff is explained by its seizures: exactly for presses
/// and cents, within the rounding bound for pounds, with both frozen values reproduced.
func assertDiffExplainsEveryCell(_ diff: ReleaseDiff, file: StaticString = #filePath, line: UInt = #line) {
    for cell in diff.cells {
        XCTAssertTrue(cell.oldReproduced, "\(cell.label): old seizures do not give the frozen value", file: file, line: line)
        XCTAssertTrue(cell.newReproduced, "\(cell.label): new seizures do not give the frozen value", file: file, line: line)
        XCTAssertFalse(cell.seizures.isEmpty, "\(cell.label) changed without a seizure", file: file, line: line)
        switch cell.residual {
        case .pounds(let residual):
            XCTAssertLessThanOrEqual(abs(residual), cell.roundingBound, "\(cell.label)", file: file, line: line)
        case .count, .cents:
            XCTAssertEqual(cell.explained, cell.difference, "\(cell.label)", file: file, line: line)
        }
        XCTAssertTrue(cell.isExplained, "\(cell.label)", file: file, line: line)
    }
}
