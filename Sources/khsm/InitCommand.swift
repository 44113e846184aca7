import KHSMCore

enum InitCommand: Command {
    static let spec = CommandSpec(
        name: "init", usage: "khsm init [--db PATH]",
        summary: "Create a new database with the schema and the built-in reference data.",
        options: [databaseOption])

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.isEmpty else {
            throw UsageError(message: "unexpected argument '\(arguments.positionals[0])'")
        }
        let path = databasePath(arguments)
        _ = try initializeDatabase(path: path)
        print("created \(path) (schema version \(schemaVersion), built-in reference data as version 1)")
    }
}

enum ReferenceLoadCommand: Command {
    static let spec = CommandSpec(
        name: "reference load", usage: "khsm reference load DIR [--db PATH]",
        summary: "Store the reference data folder DIR as a new version, in force for later releases.",
        options: [databaseOption],
        details: "DIR holds aor_regions.csv, aor_aliases.csv, commodities.csv, state_regions.csv,\nunits.csv, layouts.csv and agencies.csv, as in the project's reference-data/ folder.\nReleases already frozen keep the version they pinned.")

    static func run(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count == 1 else {
            throw UsageError(message: arguments.positionals.isEmpty
                ? "missing the reference data folder DIR" : "expected one folder, got \(arguments.positionals.count) arguments")
        }
        let database = try openDatabase(path: databasePath(arguments))
        let (id, isNew) = try loadReferenceData(database, directory: arguments.positionals[0])
        if isNew {
            print("loaded reference data version \(id) from \(arguments.positionals[0]); it applies to releases created from now on")
        } else {
            print("reference data in \(arguments.positionals[0]) equals version \(id), already in force; nothing stored")
        }
    }
}
