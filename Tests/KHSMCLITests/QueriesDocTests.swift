import Foundation
import XCTest

/// The example queries of docs/queries.md, run on the database that page describes.
final class QueriesDocTests: KhsmTestCase {
    /// The database, named as on the page because `khsm demo` names the extracts after it.
    private var demoPath: String { directory.appendingPathComponent("demo.sqlite").path }

    private var page: String {
        get throws {
            try String(contentsOf: packageRoot.appendingPathComponent("docs/queries.md"), encoding: .utf8)
        }
    }

    /// The contents of the fenced blocks of `language` in docs/queries.md, in order.
    private func blocks(_ language: String) throws -> [String] {
        var result: [String] = []
        var current: [Substring]?
        for line in try page.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil && line == "```\(language)" {
                current = []
            } else if current != nil && line == "```" {
                result.append(current!.joined(separator: "\n"))
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return result
    }

    /// Builds the test database as the page describes: `khsm demo`, then a reference data
    /// version with the page's extra aliases and the release `demo-2` under it.
    private func buildDemoWithRevision() throws {
        try khsmSucceeds(["demo", "--quiet", "--db", demoPath])
        let setup = try blocks("sh").first { $0.contains("khsm reference load") } ?? ""
        let lines = setup.split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("aor_aliases.csv <<'EOF'") }),
            let end = lines[start...].firstIndex(of: "EOF")
        else {
            return XCTFail("docs/queries.md has no 'cat >> revision/aor_aliases.csv <<'EOF'' block")
        }
        let revision = directory.appendingPathComponent("revision")
        try FileManager.default.createDirectory(at: revision, withIntermediateDirectories: true)
        let referenceData = packageRoot.appendingPathComponent("reference-data")
        for name in try FileManager.default.contentsOfDirectory(atPath: referenceData.path) where name.hasSuffix(".csv") {
            try FileManager.default.copyItem(at: referenceData.appendingPathComponent(name),
                to: revision.appendingPathComponent(name))
        }
        let aliases = revision.appendingPathComponent("aor_aliases.csv")
        let extra = lines[(start + 1)..<end].joined(separator: "\n") + "\n"
        try Data((try String(contentsOf: aliases, encoding: .utf8) + extra).utf8).write(to: aliases)
        try khsmSucceeds(["reference", "load", revision.path, "--db", demoPath])
        try khsmSucceeds(["release", "create", "demo-2", "--date", "2024-10-30", "--db", demoPath])
    }

    /// The sqlite3 shell: /usr/bin/sqlite3, or the first one on PATH.
    private func sqliteShell() throws -> String {
        var candidates = ["/usr/bin/sqlite3"]
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(folder)/sqlite3")
        }
        guard let shell = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("the sqlite3 shell is not installed; scripts/install-deps installs it")
        }
        return shell
    }

    /// Runs `sql` with the sqlite3 shell on the demo database, read-only, stopping at the first
    /// error.
    private func runShell(_ shell: String, _ sql: String) throws -> RunResult {
        try runProcess(shell, ["-bail", "-batch", "-readonly", demoPath], input: sql)
    }

    func testPageHasTenQueries() throws {
        XCTAssertGreaterThanOrEqual(try blocks("sql").count, 10)
    }

    func testEveryQueryHasAnswer() throws {
        XCTAssertEqual(try blocks("sql").count, try blocks("text").count)
    }

    func testQueriesRunInSqliteShell() throws {
        let shell = try sqliteShell()
        try buildDemoWithRevision()
        for (index, query) in try blocks("sql").enumerated() {
            let result = try runShell(shell, query)
            XCTAssertEqual(result.status, 0, "query \(index + 1) of docs/queries.md failed in sqlite3: \(result.stderr)")
            XCTAssertEqual(result.stderr, "", "query \(index + 1) of docs/queries.md wrote errors in sqlite3")
            XCTAssertFalse(result.stdout.isEmpty, "query \(index + 1) of docs/queries.md returned no rows in sqlite3")
        }
    }

    func testAnswersMatchDemoDatabase() throws {
        try buildDemoWithRevision()
        let queries = try blocks("sql")
        let answers = try blocks("text")
        for (index, query) in queries.enumerated() where index < answers.count {
            let result = try khsm(["sql", "--db", demoPath, "--format", "table", query])
            XCTAssertEqual(result.status, 0, "query \(index + 1) of docs/queries.md failed in khsm sql: \(result.stderr)")
            XCTAssertEqual(result.stdout, answers[index] + "\n",
                "the answer of query \(index + 1) in docs/queries.md is out of date; run scripts/update-query-answers on the database the page describes")
        }
    }
}
