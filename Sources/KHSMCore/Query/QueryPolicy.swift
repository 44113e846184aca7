import CSQLite

/// What `khsm sql` lets a statement do, checked by SQLite's authorizer while it compiles each
/// statement: read anything, and create, fill and drop temporary tables, views and indexes. It
/// rejects writes to the database, schema changes, ATTACH, DETACH, transaction statements,
/// pragmas that set or change state, and the functions that load native code. VACUUM consults
/// the authorizer only when it runs, so the read-only check of each statement rejects it.
final class QueryPolicy {
    /// Why the statement being compiled was rejected; the first reason only.
    private(set) var rejection: String?
    /// Whether the statement writes the temporary database, which a read-only connection allows.
    private(set) var writesTemporaryObjects = false

    /// Pragmas that only read. Those in `pragmasTakingNames` may name a table or index; the
    /// others are rejected with an argument, because `PRAGMA user_version = 5` and the like set
    /// values.
    static let readingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
        "database_list", "collation_list", "function_list", "module_list", "pragma_list",
        "compile_options", "user_version", "schema_version", "application_id", "data_version",
        "page_count", "page_size", "freelist_count", "encoding", "foreign_keys",
    ]
    static let pragmasTakingNames: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
    ]
    /// Functions that load native code or register pointers; SQLite disables both by default,
    /// and the policy rejects them as well.
    static let rejectedFunctions: Set<String> = ["load_extension", "fts3_tokenizer"]

    /// Clears the outcome before the next statement is compiled.
    func reset() {
        rejection = nil
        writesTemporaryObjects = false
    }

    /// Decides one action reported by the authorizer; returns SQLITE_OK or SQLITE_DENY.
    func authorize(action: Int32, _ first: String?, _ second: String?, database: String?) -> Int32 {
        let isTemporary = database == "temp"
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_FUNCTION:
            guard let name = second?.lowercased(), Self.rejectedFunctions.contains(name) else {
                return SQLITE_OK
            }
            return reject("the function \(name)() is not accepted, because it loads native code")
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            if isTemporary {
                writesTemporaryObjects = true
                return SQLITE_OK
            }
            let table = first ?? ""
            let isSchemaTable = table == "sqlite_master" || table == "sqlite_schema"
            if action == SQLITE_UPDATE && isSchemaTable {
                // Compiling a table-valued function such as pragma_table_info('extract') or
                // json_each(...) reports an UPDATE of sqlite_master. A real one needs
                // writable_schema, which the pragma rules reject, and the read-only check of
                // each statement rejects it too.
                return SQLITE_OK
            }
            if isSchemaTable {
                return reject("it changes the schema of the database")
            }
            return reject("it writes to the table '\(table)'")
        case SQLITE_CREATE_TEMP_TABLE, SQLITE_CREATE_TEMP_VIEW, SQLITE_CREATE_TEMP_INDEX,
            SQLITE_DROP_TEMP_TABLE, SQLITE_DROP_TEMP_VIEW, SQLITE_DROP_TEMP_INDEX,
            SQLITE_DROP_TEMP_TRIGGER:
            writesTemporaryObjects = true
            return SQLITE_OK
        case SQLITE_ATTACH:
            return reject("ATTACH is not accepted, because khsm sql reads only the database given by --db")
        case SQLITE_DETACH:
            return reject("DETACH is not accepted")
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return reject("transaction statements (BEGIN, COMMIT, ROLLBACK, SAVEPOINT) are not accepted, because all statements run in one read transaction")
        case SQLITE_PRAGMA:
            return authorizePragma(name: first?.lowercased() ?? "", argument: second)
        default:
            return reject("\(Self.statementName(action)) is not accepted, because it changes the database")
        }
    }

    private func authorizePragma(name: String, argument: String?) -> Int32 {
        guard Self.readingPragmas.contains(name) else {
            return reject("PRAGMA \(name) is not accepted; only pragmas that read are, such as table_info, index_list and foreign_key_list")
        }
        if let argument, !Self.pragmasTakingNames.contains(name) {
            return reject("PRAGMA \(name) = \(argument) is not accepted, because it sets a value")
        }
        return SQLITE_OK
    }

    private func reject(_ reason: String) -> Int32 {
        if rejection == nil { rejection = reason }
        return SQLITE_DENY
    }

    /// The SQL statement behind an authorizer action that changes the database.
    static func statementName(_ action: Int32) -> String {
        switch action {
        case SQLITE_CREATE_INDEX: return "CREATE INDEX"
        case SQLITE_CREATE_TABLE: return "CREATE TABLE"
        case SQLITE_CREATE_TRIGGER: return "CREATE TRIGGER"
        case SQLITE_CREATE_TEMP_TRIGGER: return "CREATE TEMP TRIGGER"
        case SQLITE_CREATE_VIEW: return "CREATE VIEW"
        case SQLITE_DROP_INDEX: return "DROP INDEX"
        case SQLITE_DROP_TABLE: return "DROP TABLE"
        case SQLITE_DROP_TRIGGER: return "DROP TRIGGER"
        case SQLITE_DROP_VIEW: return "DROP VIEW"
        case SQLITE_ALTER_TABLE: return "ALTER TABLE"
        case SQLITE_REINDEX: return "REINDEX"
        case SQLITE_ANALYZE: return "ANALYZE"
        case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE"
        case SQLITE_DROP_VTABLE: return "DROP VIRTUAL TABLE"
        default: return "the statement (authorizer action \(action))"
        }
    }

    /// Makes SQLite ask this policy about every action of every statement compiled on
    /// `database`, until `uninstall(from:)`. The caller keeps the policy alive meanwhile.
    func install(on database: Database) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_set_authorizer(database.handle, { context, action, first, second, databaseName, _ in
            guard let context else { return SQLITE_DENY }
            let policy = Unmanaged<QueryPolicy>.fromOpaque(context).takeUnretainedValue()
            return policy.authorize(action: action, first.map { String(cString: $0) },
                second.map { String(cString: $0) }, database: databaseName.map { String(cString: $0) })
        }, context)
    }

    func uninstall(from database: Database) {
        sqlite3_set_authorizer(database.handle, nil, nil)
    }
}
