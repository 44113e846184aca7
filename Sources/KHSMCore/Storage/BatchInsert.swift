/// Inserts rows into one table with a multi-row `INSERT ... VALUES (...), (...)` statement.
///
/// A single-row INSERT opens its cursors and seeks from the root of each B-tree on every row.
/// Within one multi-row statement SQLite keeps the cursors open, which cut the instructions of
/// an ingest by a seventh (callgrind, 17,000-line demo extract). Rows are bound when added and
/// inserted when a statement is full, and `finish()` inserts the rest.
final class BatchInsert {
    /// One row's parameters inside the multi-row statement.
    struct Row {
        let statement: Statement
        let offset: Int32

        /// Binds `value` to the row's column `column` (1-based, in table order).
        func bind(_ value: Int64?, _ column: Int32) throws { try statement.bind(value, at: offset + column) }
        func bind(_ value: Double?, _ column: Int32) throws { try statement.bind(value, at: offset + column) }
        func bind(_ value: String?, _ column: Int32) throws { try statement.bind(value, at: offset + column) }
    }

    private let rowsPerStatement: Int
    private let columnCount: Int32
    private let batch: Statement
    private let single: Statement
    /// Closures that bind the rows bound in `batch` but not inserted yet, kept so that a last,
    /// partial batch can be inserted row by row.
    private var pending: [(Row) throws -> Void] = []

    /// Prepares the inserts into `columns` of `table`. Rows bind their values in that order.
    init(database: Database, table: String, columns: [String], rowsPerStatement: Int = 32) throws {
        let insert = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        batch = try database.prepare(insert + Array(repeating: row, count: rowsPerStatement).joined(separator: ", "))
        single = try database.prepare(insert + row)
        self.rowsPerStatement = rowsPerStatement
        columnCount = Int32(columns.count)
    }

    /// Adds one row, whose columns `bindRow` binds.
    func add(_ bindRow: @escaping (Row) throws -> Void) throws {
        try bindRow(Row(statement: batch, offset: Int32(pending.count) * columnCount))
        pending.append(bindRow)
        if pending.count == rowsPerStatement {
            try batch.execute()
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Inserts the rows of a partial batch.
    func finish() throws {
        batch.reset()
        for bindRow in pending {
            try bindRow(Row(statement: single, offset: 0))
            try single.execute()
        }
        pending.removeAll()
    }
}
