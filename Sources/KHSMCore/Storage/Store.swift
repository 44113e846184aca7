import Foundation

/// A database path that cannot be used as asked.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// Version of schema.sql that this build writes and reads (`PRAGMA user_version`).
public let schemaVersion = 1

/// The schema as shipped in schema.sql.
public var schemaSQL: String { EmbeddedResources.schema }

/// The default reference data as shipped in reference-data/, keyed by file name.
public var builtInReferenceTexts: [String: String] { EmbeddedResources.referenceData }

/// Creates a new database at `path`, readable and writable by its owner only, with the schema
/// and the built-in reference data as version 1. Refuses an existing file.
public func initializeDatabase(path: String) throws -> Database {
    if FileManager.default.fileExists(atPath: path) {
        throw StoreError(message: "\(path) already exists; 'khsm init' creates a new database. Use another --db path, or keep working with this one.")
    }
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
        throw StoreError(message: "the folder \(directory) does not exist; create it or choose another --db path.")
    }
    let previousMask = umask(0o077)
    defer { umask(previousMask) }
    guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
        throw StoreError(message: "cannot create \(path); check that the folder is writable.")
    }
    do {
        let database = try Database(path: path)
        try database.execute("PRAGMA journal_mode = WAL")
        try database.transaction {
            try database.execute(schemaSQL)
            let reference = try ReferenceData.load(texts: builtInReferenceTexts)
            _ = try reference.store(in: database, source: "built-in", at: utcTimestamp())
        }
        return database
    } catch {
        try? FileManager.default.removeItem(atPath: path)
        throw error
    }
}

/// Opens an existing khsm database, checking that it has this build's schema.
public func openDatabase(path: String, readOnly: Bool = false) throws -> Database {
    guard FileManager.default.fileExists(atPath: path) else {
        throw StoreError(message: "database \(path) not found; create it with 'khsm init --db \(path)' or point --db (or KHSM_DB) at an existing one.")
    }
    let database = try Database(path: path, readOnly: readOnly)
    let version: Int
    do {
        version = try database.row("PRAGMA user_version")?.int(0) ?? 0
    } catch let error as DatabaseError where error.code & 0xFF == 26 {
        // SQLITE_NOTADB: the file exists but does not start with the SQLite header.
        throw StoreError(message: "\(path) is not an SQLite database; point --db (or KHSM_DB) at a database that 'khsm init' created. (\(error.message))")
    }
    guard version == schemaVersion else {
        throw StoreError(message: "\(path) is not a khsm database of schema version \(schemaVersion) (its user_version is \(version)); create one with 'khsm init'.")
    }
    return database
}

/// Loads the reference data folder at `directory` as a new version, unless it equals the
/// version in force. Returns the version id and whether it is new.
public func loadReferenceData(_ database: Database, directory: String) throws -> (id: Int, isNew: Bool) {
    let reference = try ReferenceData.load(directory: directory)
    return try database.transaction {
        try reference.store(in: database, source: directory, at: utcTimestamp())
    }
}
