import CSQLite
import Dispatch
import Foundation

/// A database opened for ad-hoc queries: read-only, so no statement can change the file.
public struct QueryDatabase {
    public let database: Database
    /// True when SQLite opened the file as immutable (`immutable=1`). That happens only when the
    /// usual read-only open fails: a WAL database without a `-shm` file, in a folder that the
    /// user cannot write to, and with no `-wal` file or an empty one. SQLite then takes no
    /// locks, so a writer working at the same time could make a query read inconsistent pages.
    public let isImmutable: Bool
}

/// Opens the khsm database at `path` read-only for `khsm sql`.
public func openDatabaseForQuery(path: String) throws -> QueryDatabase {
    do {
        return QueryDatabase(database: try openDatabase(path: path, readOnly: true), isImmutable: false)
    } catch let error as DatabaseError
        where error.code & 0xFF == SQLITE_READONLY || error.code & 0xFF == SQLITE_CANTOPEN
    {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw QueryError.cannotOpen(path: path, message: "the file is not readable by this user; check its permissions")
        }
        // SQLite cannot create the -shm file that a read-only connection to a WAL database needs.
        // Without a -wal file, or with an empty one, the database file alone contains every
        // committed change, so reading it as immutable reads the same data.
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "-wal")
        let walBytes = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        guard walBytes == 0 else {
            throw QueryError.cannotOpen(path: path, message: "SQLite cannot create \(path)-shm to read the database, and \(path)-wal contains \(walBytes) bytes of changes not yet written into the database file. Copy the database and its -wal file to a folder you can write to, or ask its owner to run: sqlite3 \(path) 'PRAGMA wal_checkpoint(TRUNCATE)'")
        }
        let database = try Database(path: immutableURI(path), readOnly: true, uri: true)
        let version = try database.row("PRAGMA user_version")?.int(0) ?? 0
        guard version == schemaVersion else {
            throw StoreError(message: "\(path) is not a khsm database of schema version \(schemaVersion) (its user_version is \(version)); create one with 'khsm init'.")
        }
        return QueryDatabase(database: database, isImmutable: true)
    }
}

/// An SQLite URI that opens `path` read-only and immutable.
func immutableURI(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var encoded = ""
    for byte in absolute.utf8 {
        let isUnreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
            || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E || byte == 0x5F
            || byte == 0x7E || byte == 0x2F
        encoded += isUnreserved ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
    }
    return "file:\(encoded)?mode=ro&immutable=1"
}

/// How to run an ad-hoc query.
public struct QueryOptions: Sendable {
    /// Values of the statements' named parameters (`:name`, `@name` or `$name`), by bare name.
    public var parameters: [String: String] = [:]
    /// Seconds that the statements may spend running inside SQLite; nil for no limit.
    public var timeoutSeconds: Double? = 30
    /// Whether more than one statement may return rows; CSV and JSON output hold one result set.
    public var allowsSeveralResultSets = true

    public init() {}
}

/// Receives the result sets of a query as they are read.
public protocol QueryResultWriter: AnyObject {
    func beginResult(columns: [String])
    func writeRow(_ values: [SQLValue])
    func endResult()
}

/// A query that cannot run, or that stopped.
public enum QueryError: Error, CustomStringConvertible, Sendable {
    case emptyQuery
    case nulCharacter
    case rejected(statement: Int, text: String, reason: String)
    case invalid(statement: Int, text: String, message: String)
    case failed(statement: Int, text: String, message: String)
    case positionalParameter(statement: Int, text: String)
    case missingParameter(name: String, statement: Int, given: [String])
    case unusedParameters(names: [String], used: [String])
    case severalResultSets(statement: Int)
    case timedOut(seconds: Double)
    case cannotOpen(path: String, message: String)

    public var description: String {
        switch self {
        case .emptyQuery:
            return "the query is empty; give one or more SQL statements, such as 'SELECT * FROM releases'"
        case .nulCharacter:
            return "the query contains a NUL character (byte 0), where SQLite would stop reading it; remove it"
        case .rejected(let statement, let text, let reason):
            return "statement \(statement) was rejected: \(reason) (in: \(text)). khsm sql only reads, and the database is unchanged."
        case .invalid(let statement, let text, let message):
            return "statement \(statement) is invalid: \(message) (in: \(text)). docs/data-dictionary.md lists the views and their columns."
        case .failed(let statement, let text, let message):
            return "statement \(statement) failed: \(message) (in: \(text))"
        case .positionalParameter(let statement, let text):
            return "statement \(statement) uses a positional parameter (?) (in: \(text)); name it, as in ':fiscal_year', and give --param fiscal_year=VALUE"
        case .missingParameter(let name, let statement, let given):
            let known = given.isEmpty ? "no --param is given" : "the given ones are \(given.sorted().joined(separator: ", "))"
            return "statement \(statement) uses the parameter :\(name), but \(known); add --param \(name)=VALUE"
        case .unusedParameters(let names, let used):
            let list = names.sorted().map { "--param \($0)" }.joined(separator: ", ")
            let usedText = used.isEmpty ? "the query has no parameters"
                : "its parameters are " + used.sorted().map { ":\($0)" }.joined(separator: ", ")
            return "\(list) \(names.count == 1 ? "is" : "are") not used by the query; \(usedText). Remove the option or fix the name."
        case .severalResultSets(let statement):
            return "statement \(statement) returns a second result set, but csv and json output hold one; use --format table, or run the statements one at a time"
        case .timedOut(let seconds):
            let unit = seconds == 1 ? "second" : "seconds"
            return "the query was stopped after \(formatSeconds(seconds)) \(unit) (--timeout); narrow it, or give a larger --timeout. The database is unchanged."
        case .cannotOpen(let path, let message):
            return "cannot open \(path) read-only: \(message)"
        }
    }

    /// True for errors in the command line rather than in the query or the database.
    public var isUsageError: Bool {
        switch self {
        case .missingParameter, .unusedParameters, .emptyQuery, .nulCharacter: return true
        default: return false
        }
    }
}

private func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}

/// Runs `sql`, one or more statements, on a read-only `database` and hands each result set to
/// `writer`. Every statement is checked by `QueryPolicy` before it runs, and all statements run
/// in one read transaction, so they read the same snapshot. The statements are first compiled
/// one by one without running, so that a rejected statement, a missing parameter or an error
/// stops the query before any output. That first pass stops early at a statement that may refer
/// to a temporary table that an earlier statement creates. The statements from there on are
/// checked as they come, after the earlier ones ran.
public func runReadOnlyQuery(_ sql: String, on database: Database, options: QueryOptions,
    writer: QueryResultWriter) throws
{
    let runner = QueryRunner(database: database, sql: sql, options: options)
    try runner.run(writer: writer)
}

/// Converts the text of a `--param` to the value bound: an integer as INTEGER, a decimal number
/// as REAL, anything else as TEXT, so that `:fiscal_year` compares equal to 2024 and an FPF
/// with leading zeros stays TEXT.
func parameterValue(_ text: String) -> SQLValue {
    if let integer = Int64(text), String(integer) == text {
        return .integer(integer)
    }
    let range = NSRange(text.startIndex..., in: text)
    let isDecimal = decimalNumberPattern.firstMatch(in: text, range: range) != nil
    if isDecimal, let number = Double(text), number.isFinite {
        return .real(number)
    }
    return .text(text)
}

/// A decimal number with a fraction or an exponent and no leading zeros, such as `-1.5` or `2e3`.
private let decimalNumberPattern = try! NSRegularExpression(
    pattern: #"^-?(0|[1-9][0-9]*)(\.[0-9]+([eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)$"#)

/// One statement compiled from the query text.
private enum Compilation {
    case statement(OpaquePointer, text: String, end: Int)
    /// Only whitespace, comments or a lone semicolon up to `end`.
    case empty(end: Int)
    case rejected(reason: String, text: String)
    case failed(message: String, text: String)
}

private final class QueryRunner {
    let database: Database
    let bytes: [CChar]
    let options: QueryOptions
    let policy = QueryPolicy()
    /// Time spent inside sqlite3_step, for --timeout.
    var nanosecondsInSQLite: UInt64 = 0
    var stepStartedAt: UInt64?
    var stoppedForTime = false

    init(database: Database, sql: String, options: QueryOptions) {
        self.database = database
        self.bytes = Array(sql.utf8CString)
        self.options = options
    }

    var textLength: Int { bytes.count - 1 }

    func run(writer: QueryResultWriter) throws {
        guard !bytes.dropLast().contains(0) else { throw QueryError.nulCharacter }
        try database.execute("BEGIN")
        sqlite3_limit(database.handle, SQLITE_LIMIT_ATTACHED, 0)
        policy.install(on: database)
        if let limit = options.timeoutSeconds {
            let limitNanoseconds = UInt64(limit * 1_000_000_000)
            database.setProgressHandler(every: 1000) { [unowned self] in
                guard let start = self.stepStartedAt else { return false }
                let spent = self.nanosecondsInSQLite + (DispatchTime.now().uptimeNanoseconds - start)
                if spent > limitNanoseconds { self.stoppedForTime = true }
                return self.stoppedForTime
            }
        }
        defer {
            database.setProgressHandler(every: 0, nil)
            policy.uninstall(from: database)
            if sqlite3_get_autocommit(database.handle) == 0 {
                try? database.execute("ROLLBACK")
            }
        }
        let isChecked = try checkAll()
        let used = try execute(writer: writer)
        if !isChecked {
            try checkUnused(used)
        }
    }

    func checkUnused(_ used: Set<String>) throws {
        let unused = Set(options.parameters.keys).subtracting(used)
        if !unused.isEmpty {
            throw QueryError.unusedParameters(names: Array(unused), used: Array(used))
        }
    }

    /// Compiles every statement without running it. Returns false when compiling stopped at a
    /// statement that may depend on temporary objects that an earlier statement creates.
    func checkAll() throws -> Bool {
        var offset = 0
        var number = 0
        var resultSets = 0
        var earlierWritesTemporaryObjects = false
        var used = Set<String>()
        while offset < textLength {
            switch compile(at: offset) {
            case .empty(let end):
                if end <= offset { offset = textLength } else { offset = end }
            case .rejected(let reason, let text):
                throw QueryError.rejected(statement: number + 1, text: text, reason: reason)
            case .failed(let message, let text):
                if earlierWritesTemporaryObjects { return false }
                throw QueryError.invalid(statement: number + 1, text: text, message: message)
            case .statement(let handle, let text, let end):
                defer { sqlite3_finalize(handle) }
                number += 1
                used.formUnion(try check(handle, number: number, text: text))
                if sqlite3_column_count(handle) > 0 {
                    resultSets += 1
                    if resultSets > 1 && !options.allowsSeveralResultSets {
                        throw QueryError.severalResultSets(statement: number)
                    }
                }
                earlierWritesTemporaryObjects = earlierWritesTemporaryObjects || policy.writesTemporaryObjects
                offset = end
            }
        }
        if number == 0 { throw QueryError.emptyQuery }
        try checkUnused(used)
        return true
    }

    /// Runs every statement in turn, checking each again as it is compiled; returns the names
    /// of the parameters used.
    func execute(writer: QueryResultWriter) throws -> Set<String> {
        var offset = 0
        var number = 0
        var resultSets = 0
        var used = Set<String>()
        while offset < textLength {
            switch compile(at: offset) {
            case .empty(let end):
                if end <= offset { offset = textLength } else { offset = end }
            case .rejected(let reason, let text):
                throw QueryError.rejected(statement: number + 1, text: text, reason: reason)
            case .failed(let message, let text):
                throw QueryError.invalid(statement: number + 1, text: text, message: message)
            case .statement(let handle, let text, let end):
                defer { sqlite3_finalize(handle) }
                number += 1
                used.formUnion(try check(handle, number: number, text: text))
                try bindParameters(handle)
                let columnCount = sqlite3_column_count(handle)
                if columnCount > 0 {
                    resultSets += 1
                    if resultSets > 1 && !options.allowsSeveralResultSets {
                        throw QueryError.severalResultSets(statement: number)
                    }
                    writer.beginResult(columns: (0..<columnCount).map { String(cString: sqlite3_column_name(handle, $0)) })
                }
                try readRows(handle, number: number, text: text, columnCount: columnCount, writer: writer)
                if columnCount > 0 { writer.endResult() }
                offset = end
            }
        }
        return used
    }

    func readRows(_ handle: OpaquePointer, number: Int, text: String, columnCount: Int32,
        writer: QueryResultWriter) throws
    {
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            stepStartedAt = start
            let status = sqlite3_step(handle)
            nanosecondsInSQLite += DispatchTime.now().uptimeNanoseconds - start
            stepStartedAt = nil
            switch status {
            case SQLITE_ROW:
                writer.writeRow((0..<columnCount).map { columnValue(handle, $0) })
            case SQLITE_DONE:
                return
            default:
                if status & 0xFF == SQLITE_INTERRUPT && stoppedForTime {
                    throw QueryError.timedOut(seconds: options.timeoutSeconds ?? 0)
                }
                if status & 0xFF == SQLITE_AUTH, let reason = policy.rejection {
                    throw QueryError.rejected(statement: number, text: text, reason: reason)
                }
                let message = String(cString: sqlite3_errmsg(database.handle))
                throw QueryError.failed(statement: number, text: text, message: message)
            }
        }
    }

    /// Checks a compiled statement: that it cannot change the database, and that each of its
    /// parameters is named and given. Returns the names of its parameters.
    func check(_ handle: OpaquePointer, number: Int, text: String) throws -> Set<String> {
        if sqlite3_stmt_readonly(handle) == 0 && !policy.writesTemporaryObjects {
            // VACUUM consults the authorizer only when it runs, so it is caught here.
            let reason = text.uppercased().hasPrefix("VACUUM")
                ? "VACUUM is not accepted, because it rewrites the database or writes a copy of it"
                : "it would change the database"
            throw QueryError.rejected(statement: number, text: text, reason: reason)
        }
        var names = Set<String>()
        let count = sqlite3_bind_parameter_count(handle)
        for index in stride(from: Int32(1), through: count, by: 1) {
            guard let name = parameterName(handle, index) else {
                throw QueryError.positionalParameter(statement: number, text: text)
            }
            guard options.parameters[name] != nil else {
                throw QueryError.missingParameter(name: name, statement: number,
                    given: Array(options.parameters.keys))
            }
            names.insert(name)
        }
        return names
    }

    /// The bare name of a parameter (`:name`, `@name` or `$name`), or nil when it is positional.
    func parameterName(_ handle: OpaquePointer, _ index: Int32) -> String? {
        guard let raw = sqlite3_bind_parameter_name(handle, index) else { return nil }
        let name = String(cString: raw)
        guard let prefix = name.first, prefix != "?" else { return nil }
        return String(name.dropFirst())
    }

    func bindParameters(_ handle: OpaquePointer) throws {
        let count = sqlite3_bind_parameter_count(handle)
        for index in stride(from: Int32(1), through: count, by: 1) {
            guard let name = parameterName(handle, index), let text = options.parameters[name] else {
                continue
            }
            let status: Int32
            switch parameterValue(text) {
            case .integer(let value): status = sqlite3_bind_int64(handle, index, value)
            case .real(let value): status = sqlite3_bind_double(handle, index, value)
            case .text(let value): status = sqlite3_bind_text(handle, index, value, -1, khsm_sqlite_transient)
            case .null: status = sqlite3_bind_null(handle, index)
            }
            if status != SQLITE_OK {
                throw database.error(status, sql: nil)
            }
        }
    }

    /// Compiles the statement that starts at byte `offset` of the query text.
    func compile(at offset: Int) -> Compilation {
        policy.reset()
        var handle: OpaquePointer?
        var end = offset
        let status = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            let start = buffer.baseAddress! + offset
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v2(database.handle, start, -1, &handle, &tail)
            if let tail { end = buffer.baseAddress!.distance(to: tail) }
            return status
        }
        guard status == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(database.handle))
            // The tail that SQLite reports for a statement it could not compile is not reliable.
            let semicolon = bytes[offset..<textLength].firstIndex(of: CChar(UInt8(ascii: ";")))
            let text = excerpt(from: offset, to: semicolon.map { $0 + 1 } ?? textLength)
            if let reason = policy.rejection {
                return .rejected(reason: reason, text: text)
            }
            return .failed(message: message, text: text)
        }
        guard let handle else { return .empty(end: end) }
        return .statement(handle, text: excerpt(from: offset, to: end), end: end)
    }

    /// The statement text between two byte offsets, on one line and at most 80 characters.
    func excerpt(from start: Int, to end: Int) -> String {
        let slice = bytes[start..<min(end, textLength)].map { UInt8(bitPattern: $0) }
        let words = String(decoding: slice, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        let text = words.joined(separator: " ")
        return text.count > 80 ? String(text.prefix(79)) + "…" : text
    }
}
