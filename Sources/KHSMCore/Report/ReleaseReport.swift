/// Everything the HTML report of a release shows, read from the frozen release: published
/// (rounded) values, quality figures, exclusions and the changes from the previous release.
public struct ReleaseReport: Sendable {
    /// The number of excluded lines of one agency's extract for one reason.
    public struct ExclusionCount: Sendable, Equatable {
        public var agency: Agency
        public var reason: ExclusionReason
        public var lines: Int
    }

    /// Comparison with the release that preceded this one.
    public struct Changes: Sendable {
        public var previousName: String
        public var previousDate: CalendarDate
        public var cells: [PublishedCellChange]
        public var seizures: SeizureChangeCounts
    }

    public var release: ReleaseRecord
    public var extracts: [ExtractRecord]
    /// Every published cell, in the order of the exported table.
    public var cells: [PublishedCell]
    public var quality: [QualityFigure]
    public var countedSeizures: Int
    public var jointSeizures: Int
    public var discrepantSeizures: Int
    public var exclusions: [ExclusionCount]
    /// Last day of the last quarter the release covers, for the timeliness rule.
    public var lastQuarterEnd: CalendarDate
    public var lateInputs: [TimelinessIssue]
    public var changes: Changes?

    /// Returns the published value of one cell, or nil when the release has no such cell.
    public func published(_ fiscalYear: Int, _ quarter: String, _ region: String, _ measure: Measure) -> Int64? {
        cellIndex[CellKey(fiscalYear: fiscalYear, quarter: quarter, region: region, measure: measure)]
    }

    private var cellIndex: [CellKey: Int64]

    /// Reads the report of release `name`. Throws `ReleaseError` when there is no such release.
    public static func load(_ database: Database, name: String) throws -> ReleaseReport {
        let release = try ReleaseRecord.load(database, name: name)
        let extracts = try [release.cbpExtractID, release.iceExtractID].compactMap { $0 }
            .compactMap { try ExtractRecord.load(database, id: $0) }
        let cells = try loadPublishedCells(database, releaseID: release.id)
        let counts = try database.row(
            """
            SELECT count(*), coalesce(sum(is_joint), 0), coalesce(sum(is_discrepancy), 0)
            FROM release_seizure WHERE release_id = ? AND in_period = 1
            """, [.integer(Int64(release.id))])!
        var report = ReleaseReport(
            release: release, extracts: extracts, cells: cells,
            quality: try qualityFigures(database, releaseID: release.id),
            countedSeizures: counts.int(0)!, jointSeizures: counts.int(1)!, discrepantSeizures: counts.int(2)!,
            exclusions: try exclusionCounts(database, release: release, extracts: extracts),
            lastQuarterEnd: lastQuarterCovered(releaseDate: release.date, fiscalYears: release.fiscalYears),
            lateInputs: timelinessIssues(releaseDate: release.date, fiscalYears: release.fiscalYears,
                extracts: extracts),
            changes: nil, cellIndex: [:])
        for cell in cells { report.cellIndex[cell.key] = cell.published }
        if let previousID = release.previousReleaseID, let previous = try ReleaseRecord.load(database, id: previousID) {
            let previousSeizures = try loadCountedSeizures(database, releaseID: previous.id)
            let currentSeizures = try loadCountedSeizures(database, releaseID: release.id)
            report.changes = Changes(previousName: previous.name, previousDate: previous.date,
                cells: cellChanges(previousCells: try loadPublishedCells(database, releaseID: previous.id),
                    currentCells: cells, previousSeizures: previousSeizures, currentSeizures: currentSeizures),
                seizures: seizureChangeCounts(previous: previousSeizures, current: currentSeizures))
        }
        return report
    }

    /// The fiscal years of the release, in ascending order.
    public var fiscalYears: [Int] { Array(release.fiscalYears) }
}

/// Reads the published cells of a release in export order, rounded values only.
func loadPublishedCells(_ database: Database, releaseID: Int) throws -> [PublishedCell] {
    try database.rows(
        """
        SELECT fiscal_year, quarter, region, measure, published FROM release_cell
        WHERE release_id = ? ORDER BY position
        """, [.integer(Int64(releaseID))]
    ).compactMap { row in
        guard let measure = Measure(rawValue: row.string(3)!) else { return nil }
        return PublishedCell(fiscalYear: row.int(0)!, quarter: row.string(1)!, region: row.string(2)!,
            measure: measure, published: Int64(row.int(4)!))
    }
}

/// Reads the seizures counted in a release's table.
func loadCountedSeizures(_ database: Database, releaseID: Int) throws -> [CountedSeizure] {
    try database.rows(
        """
        SELECT fpf, fiscal_year, quarter, region, fentanyl_lbs, pill_presses, currency_cents, property_cents
        FROM release_seizure WHERE release_id = ? AND in_period = 1
        """, [.integer(Int64(releaseID))]
    ).map { row in
        CountedSeizure(fpf: row.string(0)!, fiscalYear: row.int(1)!, quarter: row.string(2)!,
            region: row.string(3)!, fentanylLbs: row.double(4)!, pillPresses: Int64(row.int(5)!),
            currencyCents: Int64(row.int(6)!), propertyCents: Int64(row.int(7)!))
    }
}

private func qualityFigures(_ database: Database, releaseID: Int) throws -> [QualityFigure] {
    try database.rows(
        """
        SELECT figure, agency, numerator, denominator FROM release_quality
        WHERE release_id = ? ORDER BY figure, agency
        """, [.integer(Int64(releaseID))]
    ).map { row in
        QualityFigure(figure: row.string(0)!, agency: row.string(1)!, numerator: row.double(2)!,
            denominator: row.double(3)!)
    }
}

/// Excluded lines per agency and reason, of the extracts the release used, under its
/// reference data version; reasons without lines are left out.
private func exclusionCounts(_ database: Database, release: ReleaseRecord, extracts: [ExtractRecord]) throws
    -> [ReleaseReport.ExclusionCount]
{
    var counts: [ReleaseReport.ExclusionCount] = []
    for extract in extracts {
        var byReason: [String: Int] = [:]
        for row in try database.rows(
            """
            SELECT reason, count(*) FROM line_item
            WHERE extract_id = ? AND reference_version_id = ? AND outcome = 'excluded'
            GROUP BY reason
            """, [.integer(Int64(extract.id)), .integer(Int64(release.referenceVersion))])
        {
            byReason[row.string(0) ?? ""] = row.int(1)!
        }
        for reason in ExclusionReason.allCases {
            if let lines = byReason[reason.rawValue] {
                counts.append(.init(agency: extract.agency, reason: reason, lines: lines))
            }
        }
    }
    return counts
}
