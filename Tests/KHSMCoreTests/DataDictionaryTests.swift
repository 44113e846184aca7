import Foundation
import XCTest
@testable import KHSMCore

/// Checks docs/data-dictionary.md against the views of schema.sql, both ways.
final class DataDictionaryTests: XCTestCase {
    private static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// One documented column: its name and the type the dictionary gives.
    private struct Entry {
        var column: String
        var type: String
    }

    /// The views of a database created from schema.sql, with their columns and declared types.
    private func schemaViews() throws -> [String: [(name: String, type: String)]] {
        let schema = try String(contentsOf: Self.packageRoot.appendingPathComponent("schema.sql"),
            encoding: .utf8)
        let database = try Database(path: ":memory:", create: true)
        try database.execute(schema)
        var views: [String: [(name: String, type: String)]] = [:]
        for row in try database.rows("SELECT name FROM sqlite_master WHERE type = 'view'") {
            let view = row.string(0)!
            views[view] = try database.rows("SELECT name, type FROM pragma_table_info(?)", [.text(view)])
                .map { (name: $0.string(0)!, type: $0.string(1) ?? "") }
        }
        return views
    }

    /// Parses `## name` headings and the first cell of each table row below them.
    private func dictionaryViews() throws -> [String: [Entry]] {
        let text = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/data-dictionary.md"),
            encoding: .utf8)
        var views: [String: [Entry]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                let name = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "`"))
                current = name
                views[name] = views[name] ?? []
                continue
            }
            if line.hasPrefix("# ") {
                current = nil
                continue
            }
            guard let view = current, line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3 else { continue }
            let column = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            views[view]!.append(Entry(column: column, type: cells[2]))
        }
        return views
    }

    func testEveryViewHasSection() throws {
        let documented = try dictionaryViews()
        for view in try schemaViews().keys.sorted() {
            XCTAssertNotNil(documented[view], "view \(view) has no '## \(view)' section in docs/data-dictionary.md")
        }
    }

    func testEveryViewColumnHasEntry() throws {
        let documented = try dictionaryViews()
        for (view, columns) in try schemaViews() {
            let names = Set((documented[view] ?? []).map(\.column))
            for column in columns {
                XCTAssertTrue(names.contains(column.name),
                    "column \(view).\(column.name) has no row in docs/data-dictionary.md")
            }
        }
    }

    func testEverySectionNamesExistingView() throws {
        let views = try schemaViews()
        for view in try dictionaryViews().keys.sorted() {
            XCTAssertNotNil(views[view], "docs/data-dictionary.md documents '\(view)', which is not a view of schema.sql")
        }
    }

    func testEveryEntryNamesExistingColumn() throws {
        let views = try schemaViews()
        for (view, entries) in try dictionaryViews() {
            guard let columns = views[view] else { continue }
            let names = Set(columns.map(\.name))
            for entry in entries {
                XCTAssertTrue(names.contains(entry.column),
                    "docs/data-dictionary.md documents \(view).\(entry.column), which the view does not have")
            }
        }
    }

    func testEntriesAreNotRepeated() throws {
        for (view, entries) in try dictionaryViews() {
            let names = entries.map(\.column)
            XCTAssertEqual(names.count, Set(names).count, "docs/data-dictionary.md documents a column of \(view) twice")
        }
    }

    func testDeclaredTypesMatchEntries() throws {
        let documented = try dictionaryViews()
        for (view, columns) in try schemaViews() {
            for column in columns where !column.type.isEmpty {
                guard let entry = documented[view]?.first(where: { $0.column == column.name }) else {
                    continue
                }
                XCTAssertEqual(entry.type, column.type,
                    "docs/data-dictionary.md gives \(view).\(column.name) the type \(entry.type), the schema \(column.type)")
            }
        }
    }

    func testSchemaHasViews() throws {
        XCTAssertGreaterThanOrEqual(try schemaViews().count, 14)
    }
}
