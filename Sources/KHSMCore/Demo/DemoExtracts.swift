import Foundation

/// Synthetic CBP and ICE HSI seizure extracts in the default layouts, for
/// demonstrations, tests and load runs.
///
/// At scale 1 the extracts resemble the real ones. They cover the reporting
/// period and the fiscal year before it. CBP fentanyl seizures and pounds
/// per fiscal year follow CBP's public statistics (about 27,000 pounds in
/// FY2023), and most fentanyl is seized in the Southwest. About 40 percent
/// of the pounds are in joint seizures, and under 1 percent of seizures are
/// discrepancies. Each exclusion reason of the method occurs on a few lines,
/// with `missing_fpf` on under 2 percent of in-scope lines. Lines are
/// grouped by month and shuffled within each month.
///
/// The same arguments always give byte-identical output, because all
/// randomness comes from `SeededGenerator`, one independent stream per month,
/// and numbers are formatted without the C library.
public struct DemoExtracts {
    /// Header of the CBP layout.
    public static let cbpHeader = "FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit"
    /// Header of the ICE layout.
    public static let iceHeader = "SEACATS FPF #,Seizure Dt,SAC Office,Property Type,Quantity,UOM,Value USD"
    /// Prefix of the CBP text. BorderStat exports start with a UTF-8 byte
    /// order mark, so the CBP extract does too. The ICE extract has none.
    public static let cbpByteOrderMark = "\u{FEFF}"

    /// Generates both extracts in memory.
    ///
    /// - Parameters:
    ///   - seed: Seed of all randomness.
    ///   - fiscalYears: Reporting period. Seizures are dated from the start
    ///     of the fiscal year before it to the end of its last year, except
    ///     that HSI may date a joint seizure one day after CBP.
    ///   - scale: Multiplies the number of seizures, at least 1. Scale 1
    ///     gives about 5,700 CBP and 2,700 ICE lines for FY2023-FY2024.
    ///   - publicEvents: CBP's published fentanyl figures. When given, each
    ///     published event of a generated fiscal year becomes `scale` CBP
    ///     seizures in that month and AOR whose pounds add up to the
    ///     published pounds, in place of random CBP fentanyl seizures.
    ///     Events of other fiscal years are ignored.
    /// - Returns: The CBP text, starting with a byte order mark, and the ICE
    ///   text, both with LF line ends.
    public static func generate(
        seed: UInt64 = 20241028, fiscalYears: ClosedRange<Int> = 2023...2024, scale: Int = 1,
        publicEvents: [PublicFentanylEvent]? = nil
    ) -> (cbp: String, ice: String) {
        var cbp = DemoStringSink()
        var ice = DemoStringSink()
        var generator = DemoExtractGenerator(
            seed: seed, fiscalYears: fiscalYears, scale: scale, publicEvents: publicEvents)
        // DemoStringSink.write does not throw.
        try! generator.run(cbp: &cbp, ice: &ice)
        return (cbp.text, ice.text)
    }

    /// Generates both extracts into files, writing month by month so that
    /// memory keeps one month of seizures rather than the whole output. The
    /// bytes are those that `generate` returns for the same arguments.
    ///
    /// - Throws: `DemoExtractsError` when a file cannot be created or written.
    public static func write(
        cbpPath: String, icePath: String, seed: UInt64 = 20241028, fiscalYears: ClosedRange<Int> = 2023...2024,
        scale: Int = 1, publicEvents: [PublicFentanylEvent]? = nil
    ) throws {
        var cbp = try DemoFileSink(path: cbpPath)
        defer { cbp.close() }
        var ice = try DemoFileSink(path: icePath)
        defer { ice.close() }
        var generator = DemoExtractGenerator(
            seed: seed, fiscalYears: fiscalYears, scale: scale, publicEvents: publicEvents)
        try generator.run(cbp: &cbp, ice: &ice)
        try cbp.flush()
        try ice.flush()
    }
}

/// A failure to write a demo extract.
public enum DemoExtractsError: Error, CustomStringConvertible {
    case cannotCreate(path: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path):
            return "cannot create demo extract '\(path)': check that the folder exists and is writable"
        case .writeFailed(let path, let reason):
            return "writing demo extract '\(path)' failed: \(reason)"
        }
    }
}

// MARK: - Generation

/// Seizure count, pound target and HSI-only count of one month.
struct DemoMonthPlan {
    var cbpSeizures: Int
    var cbpPounds: Double
    var iceOnlySeizures: Int
}

/// Walks the fiscal years month by month, plans the seizures, adds noise
/// and writes the lines.
struct DemoExtractGenerator {
    let seed: UInt64
    let fiscalYears: ClosedRange<Int>
    let scale: Int
    /// Published events keyed by fiscal year × 100 + month, in input order.
    private var publishedByMonth: [Int: [PublicFentanylEvent]] = [:]
    /// Published events per fiscal year.
    private var publishedEventsByYear: [Int: Int] = [:]
    private let usesPublishedEvents: Bool
    private var planner = DemoSeizurePlanner()

    /// Fiscal months in order, October first.
    static let fiscalMonths = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]

    init(seed: UInt64, fiscalYears: ClosedRange<Int>, scale: Int, publicEvents: [PublicFentanylEvent]?) {
        precondition(scale >= 1, "scale must be at least 1, got \(scale)")
        self.seed = seed
        self.fiscalYears = fiscalYears
        self.scale = scale
        usesPublishedEvents = publicEvents != nil
        let generatedYears = (fiscalYears.lowerBound - 1)...fiscalYears.upperBound
        for event in publicEvents ?? [] where generatedYears.contains(event.fiscalYear) {
            publishedByMonth[event.fiscalYear * 100 + event.month, default: []].append(event)
            publishedEventsByYear[event.fiscalYear, default: 0] += event.events
        }
    }

    /// Stream number of a month (1 to 12) or of a fiscal year's plan (0).
    /// Fiscal years are positive, so streams below 256 stay free. The
    /// noise state uses stream 1.
    private func stream(fiscalYear: Int, month: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: fiscalYear) << 8 | UInt64(month)
    }

    mutating func run<C: DemoTextSink, I: DemoTextSink>(cbp: inout C, ice: inout I) throws {
        try cbp.write(DemoExtracts.cbpByteOrderMark + DemoExtracts.cbpHeader + "\n")
        try ice.write(DemoExtracts.iceHeader + "\n")
        var noiseGenerator = SeededGenerator(seed: seed, stream: 1)
        var noise = DemoNoise(plantsOutsideUS: !usesPublishedEvents, generator: &noiseGenerator)
        for fiscalYear in (fiscalYears.lowerBound - 1)...fiscalYears.upperBound {
            var planGenerator = SeededGenerator(seed: seed, stream: stream(fiscalYear: fiscalYear, month: 0))
            let plans = planFiscalYear(fiscalYear, generator: &planGenerator)
            noise.startFiscalYear()
            for (index, month) in Self.fiscalMonths.enumerated() {
                var generator = SeededGenerator(seed: seed, stream: stream(fiscalYear: fiscalYear, month: month))
                var seizures = planMonth(fiscalYear: fiscalYear, month: month, plan: plans[index], generator: &generator)
                noise.apply(to: &seizures, planner: &planner, isLastMonthOfFiscalYear: month == 9, generator: &generator)
                try write(seizures, cbp: &cbp, ice: &ice, generator: &generator)
            }
        }
    }

    /// Spreads the fiscal year's seizures and pounds over its months with
    /// some variation from month to month. Counts are rounded cumulatively,
    /// so they add up to the yearly figures.
    private func planFiscalYear(_ fiscalYear: Int, generator: inout SeededGenerator) -> [DemoMonthPlan] {
        let volume = DemoReferenceData.volume(fiscalYear: fiscalYear)
        let cbpSeizures = Double(volume.events * scale)
        let eventsForICE = usesPublishedEvents ? (publishedEventsByYear[fiscalYear] ?? 0) : volume.events
        let iceOnlySeizures = Double(eventsForICE * scale) * DemoSeizurePlanner.iceOnlyShare
        let pounds = volume.pounds * Double(scale)

        var countWeights: [Double] = []
        var poundWeights: [Double] = []
        for _ in 0..<12 {
            countWeights.append(0.8 + 0.4 * generator.uniformDouble())
            poundWeights.append(0.7 + 0.6 * generator.uniformDouble())
        }
        let countTotal = countWeights.reduce(0, +)
        let poundTotal = poundWeights.reduce(0, +)

        var plans: [DemoMonthPlan] = []
        var cumulativeShare = 0.0
        var previousCBP = 0
        var previousICE = 0
        for index in 0..<12 {
            cumulativeShare += countWeights[index] / countTotal
            let share = index == 11 ? 1 : cumulativeShare
            let cbpCumulative = Int((cbpSeizures * share).rounded(.toNearestOrAwayFromZero))
            let iceCumulative = Int((iceOnlySeizures * share).rounded(.toNearestOrAwayFromZero))
            plans.append(DemoMonthPlan(
                cbpSeizures: cbpCumulative - previousCBP,
                cbpPounds: pounds * poundWeights[index] / poundTotal,
                iceOnlySeizures: iceCumulative - previousICE))
            previousCBP = cbpCumulative
            previousICE = iceCumulative
        }
        return plans
    }

    private mutating func planMonth(
        fiscalYear: Int, month: Int, plan: DemoMonthPlan, generator: inout SeededGenerator
    ) -> [DemoSeizure] {
        let year = month >= 10 ? fiscalYear - 1 : fiscalYear
        var seizures: [DemoSeizure] = []
        if usesPublishedEvents {
            for event in publishedByMonth[fiscalYear * 100 + month] ?? [] {
                seizures += planner.publishedCBPSeizures(event, scale: scale, generator: &generator)
            }
        } else {
            seizures += planner.randomCBPSeizures(
                count: plan.cbpSeizures, targetPounds: plan.cbpPounds, year: year, month: month,
                generator: &generator)
        }
        seizures += planner.iceOnlySeizures(count: plan.iceOnlySeizures, year: year, month: month, generator: &generator)
        return seizures
    }

    /// Writes the month's seizures in a shuffled order, each seizure's
    /// lines together and in their planned order, so that both agencies
    /// add up a joint seizure's lines in the same order.
    private func write<C: DemoTextSink, I: DemoTextSink>(
        _ seizures: [DemoSeizure], cbp: inout C, ice: inout I, generator: inout SeededGenerator
    ) throws {
        var cbpOrder = seizures.indices.filter { !seizures[$0].cbpLines.isEmpty }
        var iceOrder = seizures.indices.filter { !seizures[$0].iceLines.isEmpty }
        generator.shuffle(&cbpOrder)
        generator.shuffle(&iceOrder)
        var text = ""
        for index in cbpOrder {
            for lineIndex in seizures[index].cbpLines.indices {
                text += DemoFormat.csvRecord(seizures[index].cbpRecord(index: lineIndex))
                text += "\n"
            }
        }
        try cbp.write(text)
        text = ""
        for index in iceOrder {
            for lineIndex in seizures[index].iceLines.indices {
                text += DemoFormat.csvRecord(seizures[index].iceRecord(index: lineIndex))
                text += "\n"
            }
        }
        try ice.write(text)
    }
}

// MARK: - Output

/// Destination of generated CSV text.
protocol DemoTextSink {
    mutating func write(_ text: String) throws
}

struct DemoStringSink: DemoTextSink {
    var text = ""

    mutating func write(_ text: String) {
        self.text += text
    }
}

/// Buffers text and writes it to a file in chunks of about 1 MiB.
struct DemoFileSink: DemoTextSink {
    private let path: String
    private let handle: FileHandle
    private var buffer = Data()
    private static let chunkSize = 1 << 20

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw DemoExtractsError.cannotCreate(path: path)
        }
        self.path = path
        self.handle = handle
    }

    mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.chunkSize {
            try flush()
        }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else {
            return
        }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw DemoExtractsError.writeFailed(path: path, reason: "\(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() {
        try? handle.close()
    }
}
