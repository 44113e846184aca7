/// Everything the HTML report of a release shows, read from the frozen release: published
/// (rounded) values, quality figures, exclusions and the changes from the previous release.
public struct ReleaseReport: Sendable {
    /// The number of excluded lines of one agency's extract for one reason.
    public struct ExclusionCount: Sendable, Equatable {
        public var agency: Agency
        public var reason: ExclusionReason
        public var lines: Int
    }

    /// Comparison with the release that preceded this one, as `khsm release diff` makes it.
    public struct Changes: Sendable {
        public var diff: ReleaseDiff

        public var previousName: String { diff.old.release.name }
        public var previousDate: CalendarDate { diff.old.release.date }
        /// Cells whose published value moved, in the order of the exported table.
        public var cells: [CellChange] { diff.publishedCells }
        /// Seizures whose contribution to a changed cell changed (`ReleaseDiff.seizuresBehindCells`).
        public var seizures: SeizureChangeCounts { diff.seizuresBehindCells }
    }

    public var release: ReleaseRecord
    public var extracts: [ExtractRecord]
    /// Every published cell, in the order of the exported table.
    public var cells: [FrozenCell]
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
        cellIndex[FrozenCell.key(fiscalYear: fiscalYear, quarter: quarter, region: region, measure: measure)]
    }

    /// Published values by `FrozenCell.key`.
    private var cellIndex: [String: Int64]

    /// Reads the report of release `name`. Throws `ReleaseError` when there is no such release.
    public static func load(_ database: Database, name: String) throws -> ReleaseReport {
        let frozen = try FrozenRelease.load(database, name: name)
        let release = frozen.release
        let extracts = Agency.allCases.compactMap { frozen.extracts[$0] }
        let counted = frozen.seizures.filter(\.inPeriod)
        var report = ReleaseReport(
            release: release, extracts: extracts, cells: frozen.cells,
            quality: try qualityFigures(database, releaseID: release.id),
            countedSeizures: counted.count, jointSeizures: counted.filter(\.isJoint).count,
            discrepantSeizures: counted.filter(\.isDiscrepancy).count,
            exclusions: try exclusionCounts(database, release: release, extracts: extracts),
            lastQuarterEnd: lastQuarterCovered(releaseDate: release.date, fiscalYears: release.fiscalYears),
            lateInputs: timelinessIssues(releaseDate: release.date, fiscalYears: release.fiscalYears,
                extracts: extracts),
            changes: nil, cellIndex: [:])
        for cell in frozen.cells { report.cellIndex[cell.key] = cell.published }
        if let previousID = release.previousReleaseID, let previous = try ReleaseRecord.load(database, id: previousID) {
            let diff = diffReleases(old: try FrozenRelease.load(database, release: previous), new: frozen)
            report.changes = Changes(diff: diff)
        }
        return report
    }

    /// The fiscal years of the release, in ascending order.
    public var fiscalYears: [Int] { Array(release.fiscalYears) }
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
