import CSQLite
import Foundation

/// An error returned by SQLite, with the statement that raised it.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String?

    public var description: String {
        if let sql {
            return "SQLite error \(code): \(message) (in: \(sql.prefix(200)))"
        }
        return "SQLite error \(code): \(message)"
    }

    /// True when another connection holds the lock that this one needs.
    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}

/// A write transaction that could not start because another connection held the database's
/// write lock for longer than the busy timeout.
public struct DatabaseLockedError: Error, CustomStringConvertible, Sendable {
    public let path: String
    /// How long the connection waited for the lock, in seconds.
    public let waitedSeconds: Double

    public var description: String {
        let seconds = waitedSeconds == waitedSeconds.rounded() ? String(Int(waitedSeconds)) : String(waitedSeconds)
        return "the database \(path) is locked: another process holds its write lock (another khsm command that writes to it, or a sqlite3 shell inside a transaction) and did not release it within \(seconds) seconds. Nothing was written. Wait for that process to finish, then run the command again."
    }
}

/// A value bound to a statement parameter or read from a result column.
public enum SQLValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var textValue: String? {
        switch self {
        case .null: return nil
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return value
        }
    }
}

/// A connection to one SQLite database file.
public final class Database {
    let handle: OpaquePointer
    public let path: String

    /// Opens the database at `path`; `readOnly` connections cannot write by any statement. With
    /// `uri`, `path` is an SQLite URI (`file:...?mode=ro`).
    public init(path: String, readOnly: Bool = false, create: Bool = false, uri: Bool = false) throws {
        Database.configureSQLite
        var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        if uri { flags |= SQLITE_OPEN_URI }
        flags |= SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: status, message: "\(message): \(path)", sql: nil)
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Int32(busyTimeout * 1000))
        try execute("PRAGMA foreign_keys = ON")
    }

    /// Seconds a statement waits for a lock that another connection holds before it fails with
    /// SQLITE_BUSY; 10 unless set.
    public var busyTimeout: Double = 10 {
        didSet { sqlite3_busy_timeout(handle, Int32(min(max(busyTimeout, 0) * 1000, Double(Int32.max)))) }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Process-wide settings, applied once before the first connection opens.
    ///
    /// A multi-row INSERT into a table with foreign keys keeps a statement journal: the pages
    /// the statement changed, so that it can be undone alone. SQLite moves it to a temporary
    /// file past 64 KiB, which cost a write system call per page when line items were inserted
    /// 32 rows at a time. One statement changes a bounded number of pages, so 4 MiB keeps
    /// every statement journal in memory.
    private static let configureSQLite: Void = {
        // Ignored when SQLite was already initialized by other code in the process.
        _ = khsm_sqlite_config_statement_journal_spill(4 << 20)
    }()

    func error(_ code: Int32, sql: String?) -> DatabaseError {
        DatabaseError(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that return no rows of interest.
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if status != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(errorMessage)
            throw DatabaseError(code: status, message: message, sql: sql)
        }
    }

    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `sql` with `parameters` and returns every row.
    public func rows(_ sql: String, _ parameters: [SQLValue] = []) throws -> [Row] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var result: [Row] = []
        while let row = try statement.step() {
            result.append(row)
        }
        return result
    }

    /// Runs `sql` with `parameters` and returns the first row, if any.
    public func row(_ sql: String, _ parameters: [SQLValue] = []) throws -> Row? {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return try statement.step()
    }

    /// Runs a statement that returns no rows.
    public func run(_ sql: String, _ parameters: [SQLValue] = []) throws {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        _ = try statement.step()
    }

    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` inside one transaction: everything it wrote is committed together, or, when it
    /// throws, nothing is.
    ///
    /// The transaction takes the write lock first (BEGIN IMMEDIATE). When another connection holds
    /// it, `waiting` is called once and the transaction waits up to `busyTimeout` seconds, then
    /// throws `DatabaseLockedError`.
    public func transaction<T>(waiting: (() -> Void)? = nil, _ body: () throws -> T) throws -> T {
        try beginImmediate(waiting: waiting)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private func beginImmediate(waiting: (() -> Void)?) throws {
        let timeout = busyTimeout
        if waiting != nil {
            busyTimeout = 0
            defer { busyTimeout = timeout }
            do {
                try execute("BEGIN IMMEDIATE")
                return
            } catch let error as DatabaseError where error.isBusy {
                waiting?()
            }
        }
        do {
            try execute("BEGIN IMMEDIATE")
        } catch let error as DatabaseError where error.isBusy {
            throw DatabaseLockedError(path: path, waitedSeconds: timeout)
        }
    }

    /// Stops the statement running on this connection; safe to call from another thread.
    public func interrupt() {
        sqlite3_interrupt(handle)
    }

    /// Installs a handler that SQLite calls every `instructions` virtual machine steps; returning
    /// true stops the running statement.
    public func setProgressHandler(every instructions: Int32, _ handler: (() -> Bool)?) {
        guard let handler else {
            sqlite3_progress_handler(handle, 0, nil, nil)
            return
        }
        let box = Unmanaged.passRetained(ProgressHandlerBox(handler))
        sqlite3_progress_handler(handle, instructions, { context in
            guard let context else { return 0 }
            let box = Unmanaged<ProgressHandlerBox>.fromOpaque(context).takeUnretainedValue()
            return box.handler() ? 1 : 0
        }, box.toOpaque())
    }
}

final class ProgressHandlerBox {
    let handler: () -> Bool
    init(_ handler: @escaping () -> Bool) { self.handler = handler }
}

/// One result row, with columns by position and by name.
public struct Row {
    public let values: [SQLValue]
    public let columns: [String]

    public subscript(_ index: Int) -> SQLValue { values[index] }

    public subscript(_ name: String) -> SQLValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }

    public func string(_ index: Int) -> String? { values[index].textValue }
    public func string(_ name: String) -> String? { self[name].textValue }

    public func int(_ index: Int) -> Int? { Row.int(values[index]) }
    public func int(_ name: String) -> Int? { Row.int(self[name]) }

    public func double(_ index: Int) -> Double? { Row.double(values[index]) }
    public func double(_ name: String) -> Double? { Row.double(self[name]) }

    static func int(_ value: SQLValue) -> Int? {
        switch value {
        case .integer(let number): return Int(number)
        case .real(let number): return Int(number)
        case .text(let text): return Int(text)
        case .null: return nil
        }
    }

    static func double(_ value: SQLValue) -> Double? {
        switch value {
        case .integer(let number): return Double(number)
        case .real(let number): return number
        case .text(let text): return Double(text)
        case .null: return nil
        }
    }
}

private func cString(_ bytes: UnsafePointer<UInt8>) -> UnsafePointer<CChar> {
    UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self)
}

/// A prepared statement; reusable after `reset()`.
public final class Statement {
    let database: Database
    let handle: OpaquePointer
    public let sql: String
    private var columnNames: [String]?
    /// Copies of the text bound by `bind(_: String?, at:)` since the last `execute()` or
    /// `reset()`, bound without a copy by SQLite (SQLITE_STATIC): SQLite reads them when the
    /// statement steps, and both methods clear the bindings before the space is reused.
    private let textArena = UnsafeMutablePointer<UInt8>.allocate(capacity: Statement.textArenaCapacity)
    private var textArenaUsed = 0
    private static let textArenaCapacity = 1 << 14

    init(database: Database, sql: String) throws {
        self.database = database
        self.sql = sql
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let status = sql.withCString { text in
            sqlite3_prepare_v2(database.handle, text, -1, &statement, &tail)
        }
        guard status == SQLITE_OK, let statement else {
            throw database.error(status, sql: sql)
        }
        handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
        textArena.deallocate()
    }

    public func bind(_ values: [SQLValue]) throws {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    public func bind(_ value: SQLValue, at index: Int32) throws {
        let status: Int32
        switch value {
        case .null:
            status = sqlite3_bind_null(handle, index)
        case .integer(let number):
            status = sqlite3_bind_int64(handle, index, number)
        case .real(let number):
            status = sqlite3_bind_double(handle, index, number)
        case .text(let text):
            status = sqlite3_bind_text(handle, index, text, -1, khsm_sqlite_transient)
        }
        if status != SQLITE_OK { throw database.error(status, sql: sql) }
    }

    public func bind(name: String, _ value: SQLValue) throws {
        let index = sqlite3_bind_parameter_index(handle, name)
        guard index > 0 else {
            throw DatabaseError(code: SQLITE_RANGE, message: "no parameter named \(name)", sql: sql)
        }
        try bind(value, at: index)
    }

    public var parameterNames: [String] {
        let count = sqlite3_bind_parameter_count(handle)
        guard count > 0 else { return [] }
        return (1...count).compactMap { index in
            sqlite3_bind_parameter_name(handle, index).map { String(cString: $0) }
        }
    }

    /// True when the statement cannot change the database (per SQLite's own analysis).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    public var columns: [String] {
        if let columnNames { return columnNames }
        let count = sqlite3_column_count(handle)
        let names = (0..<count).map { String(cString: sqlite3_column_name(handle, $0)) }
        columnNames = names
        return names
    }

    /// Advances to the next row; returns nil when the statement is done.
    public func step() throws -> Row? {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW:
            let count = sqlite3_column_count(handle)
            var values: [SQLValue] = []
            values.reserveCapacity(Int(count))
            for index in 0..<count {
                values.append(column(index))
            }
            return Row(values: values, columns: columns)
        case SQLITE_DONE:
            return nil
        default:
            throw database.error(status, sql: sql)
        }
    }

    /// Runs an insert or update to completion and readies the statement for the next values.
    public func execute(_ values: [SQLValue]) throws {
        try bind(values)
        try execute()
    }

    /// Runs an insert or update with the values bound by `bind(_:at:)` and readies the statement
    /// for the next values. Bindings made with `bind(_: String?, at:)` are cleared, so bind every
    /// parameter before each call.
    public func execute() throws {
        let status = sqlite3_step(handle)
        sqlite3_reset(handle)
        if textArenaUsed > 0 {
            sqlite3_clear_bindings(handle)
            textArenaUsed = 0
        }
        if status != SQLITE_DONE && status != SQLITE_ROW {
            throw database.error(status, sql: sql)
        }
    }

    // Typed binding for statements run once per record: no `SQLValue` array to build per row.
    // Indexes are 1-based, as in SQLite, and nil binds NULL.

    public func bind(_ value: Int64?, at index: Int32) throws {
        let status = value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
        if status != SQLITE_OK { throw database.error(status, sql: sql) }
    }

    public func bind(_ value: Double?, at index: Int32) throws {
        let status = value.map { sqlite3_bind_double(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
        if status != SQLITE_OK { throw database.error(status, sql: sql) }
    }

    public func bind(_ value: String?, at index: Int32) throws {
        guard var value else {
            let status = sqlite3_bind_null(handle, index)
            if status != SQLITE_OK { throw database.error(status, sql: sql) }
            return
        }
        let status = value.withUTF8 { bytes -> Int32 in
            // An empty string still needs a pointer: SQLite binds NULL for a null one.
            let source = bytes.baseAddress ?? UnsafePointer(textArena)
            let count = bytes.count
            guard count <= Statement.textArenaCapacity - textArenaUsed else {
                return sqlite3_bind_text(handle, index, cString(source), Int32(count), khsm_sqlite_transient)
            }
            // A copy in the arena spares SQLite a memory allocation per value.
            let copy = textArena + textArenaUsed
            copy.update(from: source, count: count)
            textArenaUsed += count
            return sqlite3_bind_text(handle, index, cString(copy), Int32(count), nil)
        }
        if status != SQLITE_OK { throw database.error(status, sql: sql) }
    }

    /// Advances to the next row without copying it into a `Row`. Returns false when the
    /// statement is done. Read the row with `int64(at:)`, `double(at:)` and `text(at:)`.
    public func advance() throws -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(status, sql: sql)
        }
    }

    /// Reads the integer in column `index` (0-based) of the current row, or nil for NULL.
    public func int64(at index: Int32) -> Int64? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
    }

    /// Reads the number in column `index` (0-based) of the current row, or nil for NULL.
    public func double(at index: Int32) -> Double? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_double(handle, index)
    }

    /// Reads the text in column `index` (0-based) of the current row, or nil for NULL.
    public func text(at index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        textArenaUsed = 0
    }

    private func column(_ index: Int32) -> SQLValue {
        columnValue(handle, index)
    }
}

/// Reads column `index` of the current row of a statement. Text keeps embedded NUL characters,
/// and a BLOB becomes the text of its SQL literal, X'hex'.
func columnValue(_ handle: OpaquePointer, _ index: Int32) -> SQLValue {
    switch sqlite3_column_type(handle, index) {
    case SQLITE_INTEGER:
        return .integer(sqlite3_column_int64(handle, index))
    case SQLITE_FLOAT:
        return .real(sqlite3_column_double(handle, index))
    case SQLITE_NULL:
        return .null
    case SQLITE_BLOB:
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return .text("X''") }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: count)
        return .text("X'" + bytes.map { String(format: "%02X", $0) }.joined() + "'")
    default:
        let count = Int(sqlite3_column_bytes(handle, index))
        guard let pointer = sqlite3_column_text(handle, index) else { return .text("") }
        return .text(String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self))
    }
}
