import Foundation
import XCTest
@testable import KHSMCore

// The checks below read the generated CSV with a small local parser and a
// simplified form of the method's cleansing rules, independent of the
// project's ingestion code.

final class SeededGeneratorTests: XCTestCase {
    func testSplitMix64Reference() {
        // First output of the reference SplitMix64 for state 0.
        var state: UInt64 = 0
        XCTAssertEqual(SeededGenerator.splitMix64(&state), 0xE220_A839_7B1D_CDAF)
    }

    func testXoshiroReference() {
        // Outputs of the reference xoshiro256** for the state (1, 2, 3, 4).
        var generator = SeededGenerator(state: (1, 2, 3, 4))
        XCTAssertEqual(generator.next(), 11_520)
        XCTAssertEqual(generator.next(), 0)
        XCTAssertEqual(generator.next(), 1_509_978_240)
        XCTAssertEqual(generator.next(), 1_215_971_899_390_074_240)
    }

    func testSeed42Outputs() {
        // Outputs of this implementation. A change here changes every
        // generated extract.
        var generator = SeededGenerator(seed: 42)
        XCTAssertEqual(generator.next(), 1_546_998_764_402_558_742)
        XCTAssertEqual(generator.next(), 6_990_951_692_964_543_102)
        XCTAssertEqual(generator.next(), 12_544_586_762_248_559_009)
    }

    func testSameSeedSameSequence() {
        var first = SeededGenerator(seed: 7, stream: 3)
        var second = SeededGenerator(seed: 7, stream: 3)
        for _ in 0..<100 {
            XCTAssertEqual(first.next(), second.next())
        }
    }

    func testStreamsDiffer() {
        var first = SeededGenerator(seed: 7, stream: 3)
        var second = SeededGenerator(seed: 7, stream: 4)
        XCTAssertNotEqual(first.next(), second.next())
    }

    func testUniformIntBounds() {
        var generator = SeededGenerator(seed: 1)
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let value = generator.uniformInt(in: -3...3)
            XCTAssertTrue((-3...3).contains(value), "value \(value) outside -3...3")
            seen.insert(value)
        }
        XCTAssertEqual(seen.count, 7)
    }

    func testUniformDoubleRange() {
        var generator = SeededGenerator(seed: 2)
        var sum = 0.0
        for _ in 0..<10_000 {
            let value = generator.uniformDouble()
            XCTAssertGreaterThanOrEqual(value, 0)
            XCTAssertLessThan(value, 1)
            sum += value
        }
        XCTAssertEqual(sum / 10_000, 0.5, accuracy: 0.02)
    }

    func testWeightedIndexSkipsZeroWeights() {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<1_000 {
            XCTAssertNotEqual(generator.weightedIndex([1, 0, 2]), 1)
        }
    }

    func testShufflePermutes() {
        var generator = SeededGenerator(seed: 4)
        var values = Array(0..<50)
        generator.shuffle(&values)
        XCTAssertEqual(values.sorted(), Array(0..<50))
        XCTAssertNotEqual(values, Array(0..<50))
    }

    func testExpMatchesLibm() {
        for x in stride(from: -30.0, through: 30.0, by: 0.37) {
            let expected = Foundation.exp(x)
            XCTAssertEqual(DemoMath.exp(x), expected, accuracy: expected * 1e-14, "exp(\(x))")
        }
    }
}

final class DemoFormatTests: XCTestCase {
    func testSignificantDigits() {
        XCTAssertEqual(DemoFormat.significant(2.0378613214), "2.037861321")
        XCTAssertEqual(DemoFormat.significant(0.0005), "0.0005")
        XCTAssertEqual(DemoFormat.significant(1831.3766561), "1831.376656")
        XCTAssertEqual(DemoFormat.significant(12_345_678_901.4), "12345678901")
        XCTAssertEqual(DemoFormat.significant(0), "0")
        XCTAssertEqual(DemoFormat.significant(1), "1")
    }

    func testSignificantRoundTrips() {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<1_000 {
            let value = generator.uniformDouble(from: 0, to: 1_000) * generator.uniformDouble()
            let parsed = Double(DemoFormat.significant(value))!
            XCTAssertEqual(parsed, value, accuracy: value * 1e-9)
        }
    }

    func testDollars() {
        XCTAssertEqual(DemoFormat.dollars(cents: 937_256, thousandsSeparators: true, dollarSign: true), "$9,372.56")
        XCTAssertEqual(DemoFormat.dollars(cents: 5, thousandsSeparators: true, dollarSign: false), "0.05")
        XCTAssertEqual(DemoFormat.dollars(cents: 123_456_789, thousandsSeparators: true, dollarSign: false), "1,234,567.89")
    }

    func testCSVQuoting() {
        XCTAssertEqual(DemoFormat.csvRecord(["a", "$1,000.00", "say \"x\""]), "a,\"$1,000.00\",\"say \"\"x\"\"\"")
    }

    func testFPFStyles() {
        let fpf = "2023250400012301"
        XCTAssertEqual(DemoFPFStyle.dashed.format(fpf), "2023-2504-000123-01")
        XCTAssertEqual(DemoFPFStyle.lineItem(2).format(fpf), "2023250400012301-0002-0000")
        XCTAssertEqual(DemoFPFStyle.spaced.format(fpf), " 2023 2504 000123 01 ")
    }

    func testScientificNotation() {
        XCTAssertEqual(DemoNoise.scientificNotation("2023250400012301"), "2.02325E+15")
        XCTAssertEqual(DemoNoise.scientificNotation("2024240000000000"), "2.02424E+15")
        XCTAssertEqual(DemoNoise.scientificNotation("2020000000000000"), "2.02E+15")
    }

    func testFPFSuffixAfterMillion() {
        var planner = DemoSeizurePlanner()
        var last = ""
        for _ in 0..<1_000_001 {
            last = planner.allocateFPF(fiscalYear: 2024, officeCode: 2000)
        }
        XCTAssertEqual(last, "2024200000000102")
    }
}

final class DemoExtractsTests: XCTestCase {
    static let extracts = DemoExtracts.generate()

    func testSameSeedSameBytes() {
        let again = DemoExtracts.generate()
        XCTAssertEqual(again.cbp, Self.extracts.cbp)
        XCTAssertEqual(again.ice, Self.extracts.ice)
    }

    func testDifferentSeedDifferentBytes() {
        let other = DemoExtracts.generate(seed: 1)
        XCTAssertNotEqual(other.cbp, Self.extracts.cbp)
        XCTAssertNotEqual(other.ice, Self.extracts.ice)
    }

    func testWriteMatchesGenerate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("khsm-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cbpPath = folder.appendingPathComponent("cbp.csv").path
        let icePath = folder.appendingPathComponent("ice.csv").path
        try DemoExtracts.write(cbpPath: cbpPath, icePath: icePath)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cbpPath)), Data(Self.extracts.cbp.utf8))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: icePath)), Data(Self.extracts.ice.utf8))
    }

    func testWriteRejectsMissingFolder() {
        XCTAssertThrowsError(try DemoExtracts.write(
            cbpPath: "/nonexistent-khsm-folder/cbp.csv", icePath: "/nonexistent-khsm-folder/ice.csv"))
    }

    func testHeadersExact() {
        XCTAssertTrue(Self.extracts.cbp.hasPrefix(
            "\u{FEFF}FPF Number,Seizure Date,Component,AOR,Commodity,Quantity,Unit\n"))
        XCTAssertTrue(Self.extracts.ice.hasPrefix(
            "SEACATS FPF #,Seizure Dt,SAC Office,Property Type,Quantity,UOM,Value USD\n"))
    }

    func testEveryRecordHasSevenFields() {
        for (name, text) in [("CBP", Self.extracts.cbp), ("ICE", Self.extracts.ice)] {
            let records = DemoCSV.parse(text)
            let wrong = records.filter { $0.count != 7 }
            XCTAssertTrue(wrong.isEmpty, "\(name) records without 7 fields: \(wrong.prefix(3))")
        }
    }

    func testLineCounts() {
        let cbpLines = DemoCSV.parse(Self.extracts.cbp).count - 1
        let iceLines = DemoCSV.parse(Self.extracts.ice).count - 1
        XCTAssertEqual(Double(cbpLines), 5_600, accuracy: 600)
        XCTAssertEqual(Double(iceLines), 2_600, accuracy: 400)
    }

    func testFiscalYearPounds() {
        let lines = DemoLineReader.cbpLines(Self.extracts.cbp)
        var pounds: [Int: Double] = [:]
        for line in lines where line.isFentanyl {
            if let fiscalYear = line.fiscalYear, let amount = line.pounds {
                pounds[fiscalYear, default: 0] += amount
            }
        }
        XCTAssertEqual(pounds[2023] ?? 0, 27_000, accuracy: 27_000 * 0.2)
        XCTAssertEqual(pounds[2024] ?? 0, 21_900, accuracy: 21_900 * 0.2)
        XCTAssertGreaterThan(pounds[2022] ?? 0, 0, "no seizures in the fiscal year before the period")
    }

    func testSouthwestDominates() {
        let lines = DemoLineReader.cbpLines(Self.extracts.cbp)
        var total = 0.0
        var southwest = 0.0
        for line in lines where line.isFentanyl {
            guard let amount = line.pounds else { continue }
            total += amount
            if DemoLineReader.southwestAORs.contains(line.canonicalAOR) {
                southwest += amount
            }
        }
        XCTAssertGreaterThan(southwest / total, 0.8)
    }

    func testMissingFPFShare() {
        for (name, lines) in [("CBP", DemoLineReader.cbpLines(Self.extracts.cbp)),
                              ("ICE", DemoLineReader.iceLines(Self.extracts.ice))] {
            let inScope = lines.filter(\.isInScope)
            let missing = inScope.filter { $0.exclusionReason == "missing_fpf" }
            XCTAssertGreaterThan(missing.count, 0, "\(name) has no missing FPF")
            XCTAssertLessThan(Double(missing.count) / Double(inScope.count), 0.02, "\(name) missing FPF share")
        }
    }

    func testCBPExclusionReasons() {
        let reasons = Set(DemoLineReader.cbpLines(Self.extracts.cbp).compactMap(\.exclusionReason))
        for reason in ["missing_fpf", "malformed_fpf", "invalid_date", "unknown_aor", "outside_us", "invalid_quantity"] {
            XCTAssertTrue(reasons.contains(reason), "CBP extract lacks \(reason)")
        }
    }

    func testICEExclusionReasons() {
        let reasons = Set(DemoLineReader.iceLines(Self.extracts.ice).compactMap(\.exclusionReason))
        for reason in ["missing_fpf", "malformed_fpf", "invalid_date", "unknown_aor", "invalid_quantity",
                       "unknown_commodity"] {
            XCTAssertTrue(reasons.contains(reason), "ICE extract lacks \(reason)")
        }
    }

    func testMalformedFPFForms() {
        let fpfs = DemoLineReader.cbpLines(Self.extracts.cbp).filter { $0.exclusionReason == "malformed_fpf" }.map(\.fpf)
            + DemoLineReader.iceLines(Self.extracts.ice).filter { $0.exclusionReason == "malformed_fpf" }.map(\.fpf)
        XCTAssertTrue(fpfs.contains { $0.contains("E+15") }, "no FPF in scientific notation")
        XCTAssertTrue(fpfs.contains { $0.count == 15 }, "no 15-digit FPF")
        XCTAssertTrue(fpfs.contains { $0.count == 17 }, "no 17-digit FPF")
        XCTAssertTrue(fpfs.contains { $0.contains("O") }, "no FPF with the letter O")
    }

    func testFormatVariants() {
        let cbp = DemoLineReader.cbpLines(Self.extracts.cbp)
        let ice = DemoLineReader.iceLines(Self.extracts.ice)
        XCTAssertTrue(cbp.contains { $0.fpf.hasSuffix("-0002-0000") }, "no CBP line-item suffix")
        XCTAssertTrue(cbp.contains { $0.date.contains("-") && $0.fiscalYear != nil }, "no CBP ISO date")
        XCTAssertTrue(cbp.contains { $0.date.count < 10 && $0.fiscalYear != nil }, "no CBP M/D/YYYY date")
        XCTAssertTrue(cbp.contains { $0.aor != $0.canonicalAOR && $0.exclusionReason == nil }, "no CBP AOR variant")
        XCTAssertTrue(ice.contains { $0.fpf.count == 19 && $0.fpf.contains("-") }, "no dashed ICE FPF")
        XCTAssertTrue(ice.contains { $0.value.hasPrefix("$") && $0.value.contains(",") }, "no ICE value like $9,372.56")
        XCTAssertTrue(ice.contains { $0.commodity == "US Currency" }, "no ICE US Currency")
        XCTAssertTrue(ice.contains { $0.commodity == "Vehicle" }, "no ICE vehicle")
    }

    func testJointShareAndDiscrepancies() {
        let cbp = DemoSeizureTotals(lines: DemoLineReader.cbpLines(Self.extracts.cbp))
        let ice = DemoSeizureTotals(lines: DemoLineReader.iceLines(Self.extracts.ice))
        var jointPounds = 0.0
        var allPounds = 0.0
        var seizures = 0
        var discrepancies = 0
        for fpf in cbp.fpfs.union(ice.fpfs) {
            let fiscalYear = cbp.fiscalYear[fpf] ?? ice.fiscalYear[fpf]!
            guard (2023...2024).contains(fiscalYear) else { continue }
            let pounds = cbp.pounds[fpf] ?? ice.pounds[fpf] ?? 0
            seizures += 1
            allPounds += pounds
            if cbp.fpfs.contains(fpf) && ice.fpfs.contains(fpf) {
                jointPounds += pounds
                let poundsDiffer = DemoSeizureTotals.cents(cbp.pounds[fpf] ?? 0) != DemoSeizureTotals.cents(ice.pounds[fpf] ?? 0)
                if poundsDiffer || (cbp.presses[fpf] ?? 0) != (ice.presses[fpf] ?? 0) {
                    discrepancies += 1
                }
            }
        }
        XCTAssertEqual(jointPounds / allPounds, 0.4, accuracy: 0.08)
        XCTAssertGreaterThan(discrepancies, 0)
        XCTAssertLessThan(Double(discrepancies) / Double(seizures), 0.01)
    }

    func testFPFsUniquePerSeizure() {
        // Lines of one seizure are written together, so an FPF that shows up
        // in two separate runs of lines would be shared by two seizures.
        let extracts = DemoExtracts.generate(seed: 9, fiscalYears: 2024...2024, scale: 3)
        for (name, lines) in [("CBP", DemoLineReader.cbpLines(extracts.cbp)),
                              ("ICE", DemoLineReader.iceLines(extracts.ice))] {
            var finished = Set<String>()
            var current = ""
            for line in lines {
                guard let fpf = line.canonicalFPF else { continue }
                if fpf != current {
                    XCTAssertFalse(finished.contains(fpf), "\(name) FPF \(fpf) used by two seizures")
                    finished.insert(current)
                    current = fpf
                }
            }
        }
    }

    func testScaleMultipliesLines() {
        let single = DemoExtracts.generate(fiscalYears: 2024...2024)
        let triple = DemoExtracts.generate(fiscalYears: 2024...2024, scale: 3)
        let ratio = Double(DemoCSV.parse(triple.cbp).count) / Double(DemoCSV.parse(single.cbp).count)
        XCTAssertEqual(ratio, 3, accuracy: 0.3)
    }
}

final class PublicStatisticsTests: XCTestCase {
    static let header = ["FY", "Month (abbv)", "Component", "Region", "Land Filter", "Area of Responsibility",
                         "Drug Type", "Count of Event", "Sum Qty (lbs)"]

    func testParsesFentanylRows() throws {
        let rows = [
            ["2025(FYTD)", "MAY", "Office of Field Operations", "Southwest Border", "Land Only",
             "SAN DIEGO FIELD OFFICE", "Fentanyl", "1", "2"],
            ["2025 (FYTD)", "APR", "Office of Field Operations", "Southwest Border", "Land Only",
             "SAN DIEGO FIELD OFFICE", "Fentanyl", "12", "345.6"],
            ["2024", "OCT", "U.S. Border Patrol", "Southwest Border", "Land Only", "TUCSON SECTOR",
             "Fentanyl", "1,204", "3.95E-05"],
            ["2024", "OCT", "U.S. Border Patrol", "Southwest Border", "Land Only", "TUCSON SECTOR",
             "Cocaine", "x", "y"],
        ]
        var events = try PublicStatistics.fentanylEvents(header: Self.header, rows: rows)
        XCTAssertEqual(events.count, 3)
        XCTAssertEqual(events.removeFirst().fiscalYear, 2025)
        XCTAssertEqual(events[0], PublicFentanylEvent(
            fiscalYear: 2025, month: 4, component: "OFO", aor: "SAN DIEGO FIELD OFFICE", events: 12, pounds: 345.6))
        XCTAssertEqual(events[1].component, "USBP")
        XCTAssertEqual(events[1].events, 1_204)
        XCTAssertEqual(events[1].pounds, 3.95e-5)
        XCTAssertEqual(events[1].calendarYear, 2023)
    }

    func testHeaderMatchingIgnoresCaseAndSpacing() throws {
        let header = ["\u{FEFF}fy", " month  (ABBV) ", "component", "region", "land filter",
                      "area of  responsibility", "DRUG TYPE", "count of event", "sum qty (lbs)"]
        let rows = [["2023", "may", "OFO", "", "", "EL PASO SECTOR", "fentanyl", "2", "1.5"]]
        let events = try PublicStatistics.fentanylEvents(header: header, rows: rows)
        XCTAssertEqual(events.first?.month, 5)
    }

    func testMissingColumn() {
        let header = Self.header.filter { $0 != "Count of Event" }
        XCTAssertThrowsError(try PublicStatistics.fentanylEvents(header: header, rows: [])) { error in
            XCTAssertEqual(error as? PublicStatisticsError, .missingColumn("Count of Event"))
        }
    }

    func testDuplicateColumn() {
        XCTAssertThrowsError(try PublicStatistics.fentanylEvents(header: Self.header + ["drug type"], rows: [])) { error in
            XCTAssertEqual(error as? PublicStatisticsError, .duplicateColumn("Drug Type"))
        }
    }

    func testBadMonthNamesRowAndValue() {
        let rows = [
            ["2024", "APR", "OFO", "", "", "A", "Fentanyl", "1", "1"],
            ["2024", "APRX", "OFO", "", "", "A", "Fentanyl", "1", "1"],
        ]
        XCTAssertThrowsError(try PublicStatistics.fentanylEvents(header: Self.header, rows: rows)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("row 2"), message)
            XCTAssertTrue(message.contains("'APRX'"), message)
        }
    }

    func testBadNumbersRejected() {
        for (events, pounds) in [("1.5", "1"), ("-1", "1"), ("1", "abc"), ("1", "-2"), ("1", "nan"), ("1,23", "1")] {
            let rows = [["2024", "APR", "OFO", "", "", "A", "Fentanyl", events, pounds]]
            XCTAssertThrowsError(try PublicStatistics.fentanylEvents(header: Self.header, rows: rows),
                                 "events \(events), pounds \(pounds)")
        }
    }

    func testBadFiscalYearRejected() {
        let rows = [["FY24", "APR", "OFO", "", "", "A", "Fentanyl", "1", "1"]]
        XCTAssertThrowsError(try PublicStatistics.fentanylEvents(header: Self.header, rows: rows)) { error in
            XCTAssertTrue("\(error)".contains("'FY24'"))
        }
    }

    func testShortRowRejected() {
        let rows = [["2024", "APR", "OFO"]]
        XCTAssertThrowsError(try PublicStatistics.fentanylEvents(header: Self.header, rows: rows)) { error in
            XCTAssertEqual(error as? PublicStatisticsError, .wrongFieldCount(row: 1, expected: 9, found: 3))
        }
    }
}

final class DemoFromPublicTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let publicFile = packageRoot
        .appendingPathComponent("../shared/data/cbp-public/cbp_drug_seizures_fy21_24.csv").standardized

    func loadEvents() throws -> [PublicFentanylEvent] {
        guard FileManager.default.fileExists(atPath: Self.publicFile.path) else {
            throw XCTSkip("CBP public statistics not found at \(Self.publicFile.path)")
        }
        let records = DemoCSV.parse(try String(contentsOf: Self.publicFile, encoding: .utf8))
        return try PublicStatistics.fentanylEvents(header: records[0], rows: Array(records.dropFirst()))
    }

    func testPublishedCellsReproduced() throws {
        let events = try loadEvents()
        let extracts = DemoExtracts.generate(publicEvents: events)

        var publishedPounds: [String: Double] = [:]
        var publishedEvents: [String: Int] = [:]
        for event in events where (2022...2024).contains(event.fiscalYear) {
            let key = "\(event.fiscalYear)-\(event.month)-\(event.aor)"
            publishedPounds[key, default: 0] += event.pounds
            publishedEvents[key, default: 0] += event.events
        }

        var generatedPounds: [String: Double] = [:]
        var generatedFPFs: [String: Set<String>] = [:]
        var yearPounds: [Int: Double] = [:]
        for line in DemoLineReader.cbpLines(extracts.cbp) where line.isFentanyl {
            guard let fiscalYear = line.fiscalYear, let month = line.month, let pounds = line.pounds,
                  let fpf = line.canonicalFPF else {
                XCTFail("published fentanyl line is not clean: \(line.fields)")
                continue
            }
            let key = "\(fiscalYear)-\(month)-\(line.canonicalAOR)"
            generatedPounds[key, default: 0] += pounds
            generatedFPFs[key, default: []].insert(fpf)
            yearPounds[fiscalYear, default: 0] += pounds
        }

        XCTAssertEqual(yearPounds[2023] ?? 0, 27_022.9, accuracy: 0.1)
        XCTAssertEqual(yearPounds[2024] ?? 0, 21_889.2, accuracy: 0.1)
        XCTAssertEqual(Set(generatedPounds.keys), Set(publishedPounds.keys.filter { publishedEvents[$0]! > 0 }))
        for (key, published) in publishedPounds where publishedEvents[key]! > 0 {
            let generated = generatedPounds[key] ?? -1
            XCTAssertEqual(generated, published, accuracy: max(published * 1e-6, 1e-9), "pounds of \(key)")
            XCTAssertEqual(generatedFPFs[key]?.count ?? 0, publishedEvents[key]!, "events of \(key)")
        }
    }

    func testFiscalYearToDateFileParses() throws {
        let file = Self.publicFile.deletingLastPathComponent().appendingPathComponent("cbp_drug_seizures_fy22_25.csv")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw XCTSkip("CBP public statistics not found at \(file.path)")
        }
        let records = DemoCSV.parse(try String(contentsOf: file, encoding: .utf8))
        let events = try PublicStatistics.fentanylEvents(header: records[0], rows: Array(records.dropFirst()))
        let pounds2025 = events.filter { $0.fiscalYear == 2025 }.map(\.pounds).reduce(0, +)
        XCTAssertEqual(pounds2025, 8_465.3, accuracy: 0.1)
    }

    func testPublishedLinesAreClean() throws {
        let events = try loadEvents()
        let extracts = DemoExtracts.generate(publicEvents: events)
        let fentanyl = DemoLineReader.cbpLines(extracts.cbp).filter(\.isFentanyl)
        let reasons = Set(fentanyl.compactMap(\.exclusionReason))
        XCTAssertTrue(reasons.isSubset(of: ["outside_us"]), "reasons on published lines: \(reasons)")
    }

    func testPublicScaleKeepsPounds() throws {
        let events = try loadEvents().filter { $0.fiscalYear == 2024 }
        let extracts = DemoExtracts.generate(fiscalYears: 2024...2024, scale: 2, publicEvents: events)
        var pounds = 0.0
        var fpfs = Set<String>()
        for line in DemoLineReader.cbpLines(extracts.cbp) where line.isFentanyl {
            pounds += line.pounds ?? 0
            if let fpf = line.canonicalFPF {
                fpfs.insert(fpf)
            }
        }
        XCTAssertEqual(pounds, 21_889.2, accuracy: 0.1)
        XCTAssertEqual(fpfs.count, 2 * events.map(\.events).reduce(0, +))
    }
}

// MARK: - Test helpers

/// A minimal RFC 4180 reader: quoted fields, doubled quotes, LF or CRLF,
/// and a leading byte order mark.
enum DemoCSV {
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var characters = Substring(text)
        if characters.first == "\u{FEFF}" {
            characters = characters.dropFirst()
        }
        var iterator = characters.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                inQuotes = true
            case ",":
                record.append(field)
                field = ""
            case "\n", "\r\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default:
                field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}

/// One generated line with the parts of the method's cleansing that the
/// tests need, using the project's default reference lists.
struct DemoCheckedLine {
    var fields: [String]
    var isCBP: Bool

    var fpf: String { fields[0] }
    var date: String { fields[1] }
    var aor: String { isCBP ? fields[3] : fields[2] }
    var commodity: String { isCBP ? fields[4] : fields[3] }
    var quantity: String { isCBP ? fields[5] : fields[4] }
    var unit: String { isCBP ? fields[6] : fields[5] }
    var value: String { isCBP ? "" : fields[6] }

    var measure: String? {
        let name = PublicStatistics.collapseWhitespace(commodity).lowercased()
        if name.hasPrefix("fentanyl") { return "fentanyl" }
        if ["pill press", "tableting machine", "pill press die", "die", "pill press parts", "press parts"].contains(name) {
            return "presses"
        }
        if isCBP { return ["u.s. currency", "vehicle", "conveyance"].contains(name) ? "out_of_scope" : nil }
        if ["u.s. currency", "us currency"].contains(name) { return "currency" }
        if ["vehicle", "conveyance", "jewelry", "real property", "firearm", "electronics", "other property"].contains(name) {
            return "property"
        }
        return nil
    }

    var isOutOfScopeDrug: Bool {
        ["methamphetamine", "cocaine", "heroin", "marijuana", "ketamine", "other drugs"]
            .contains(PublicStatistics.collapseWhitespace(commodity).lowercased())
    }

    var isFentanyl: Bool { measure == "fentanyl" }
    var isInScope: Bool { measure != nil && measure != "out_of_scope" }

    var canonicalFPF: String? {
        let digits = fpf.filter { $0 != " " && $0 != "-" && $0 != "." }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count == 16 || digits.count == 24,
              digits.contains(where: { $0 != "0" }) else {
            return nil
        }
        return String(digits.prefix(16))
    }

    var parsedDate: DemoDate? {
        let text = date.trimmingCharacters(in: .whitespaces)
        var parts: [Int]
        if text.contains("-") {
            parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            parts = [parts[1], parts[2], parts[0]]
        } else {
            parts = text.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
        }
        let (month, day, year) = (parts[0], parts[1], parts[2])
        guard (1...12).contains(month), day >= 1, day <= DemoDate.daysInMonth(year: year, month: month) else {
            return nil
        }
        return DemoDate(year: year, month: month, day: day)
    }

    var fiscalYear: Int? { parsedDate?.fiscalYear }
    var month: Int? { parsedDate?.month }

    var canonicalAOR: String {
        let name = PublicStatistics.collapseWhitespace(aor).uppercased()
        if isCBP {
            for office in DemoReferenceData.cbpOffices where office.aor == name || office.aliases.contains(name) {
                return office.aor
            }
        } else {
            for office in DemoReferenceData.sacOffices where office.name == name || office.aliases.contains(name) {
                return office.name
            }
        }
        return name
    }

    var isKnownAOR: Bool {
        let names = isCBP ? DemoReferenceData.cbpOffices.map(\.aor) : DemoReferenceData.sacOffices.map(\.name)
        return names.contains(canonicalAOR)
    }

    var pounds: Double? {
        guard let perUnit = DemoReferenceData.poundsPerUnit(unit.uppercased()),
              let amount = Double(quantity.replacingOccurrences(of: ",", with: "")), amount >= 0 else {
            return nil
        }
        return amount * perUnit
    }

    var presses: Int? {
        guard unit == "EA", let count = Int(quantity), count >= 0 else { return nil }
        return count
    }

    var dollars: Double? {
        var text = value
        if text.hasPrefix("$") { text.removeFirst() }
        return Double(text.replacingOccurrences(of: ",", with: ""))
    }

    /// The first exclusion reason of the method that applies, or nil.
    var exclusionReason: String? {
        guard let measure else {
            return isOutOfScopeDrug ? nil : "unknown_commodity"
        }
        if measure == "out_of_scope" { return nil }
        let text = fpf.trimmingCharacters(in: .whitespaces).uppercased()
        let digits = text.filter { $0 != " " && $0 != "-" && $0 != "." }
        if ["", "N/A", "NA", "NONE", "UNKNOWN"].contains(text) || (!digits.isEmpty && digits.allSatisfy { $0 == "0" }) {
            return "missing_fpf"
        }
        if canonicalFPF == nil { return "malformed_fpf" }
        if parsedDate == nil { return "invalid_date" }
        if canonicalAOR == DemoReferenceData.preclearanceAOR { return "outside_us" }
        if !isKnownAOR { return "unknown_aor" }
        switch measure {
        case "fentanyl": return pounds == nil ? "invalid_quantity" : nil
        case "presses": return presses == nil ? "invalid_quantity" : nil
        default: return dollars == nil ? "invalid_quantity" : nil
        }
    }
}

enum DemoLineReader {
    static let southwestAORs: Set<String> = [
        "EL PASO FIELD OFFICE", "HOUSTON FIELD OFFICE", "LAREDO FIELD OFFICE", "LOS ANGELES FIELD OFFICE",
        "SAN DIEGO FIELD OFFICE", "SAN FRANCISCO FIELD OFFICE", "TUCSON FIELD OFFICE", "BIG BEND SECTOR",
        "DEL RIO SECTOR", "EL CENTRO SECTOR", "EL PASO SECTOR", "LAREDO SECTOR", "RIO GRANDE VALLEY SECTOR",
        "SAN DIEGO SECTOR", "TUCSON SECTOR", "YUMA SECTOR",
    ]

    static func cbpLines(_ text: String) -> [DemoCheckedLine] {
        DemoCSV.parse(text).dropFirst().map { DemoCheckedLine(fields: $0, isCBP: true) }
    }

    static func iceLines(_ text: String) -> [DemoCheckedLine] {
        DemoCSV.parse(text).dropFirst().map { DemoCheckedLine(fields: $0, isCBP: false) }
    }
}

/// Per-FPF sums of one extract's accepted lines.
struct DemoSeizureTotals {
    var fpfs: Set<String> = []
    var pounds: [String: Double] = [:]
    var presses: [String: Int] = [:]
    var fiscalYear: [String: Int] = [:]

    init(lines: [DemoCheckedLine]) {
        var earliest: [String: DemoDate] = [:]
        for line in lines where line.isInScope && line.exclusionReason == nil {
            let fpf = line.canonicalFPF!
            let date = line.parsedDate!
            fpfs.insert(fpf)
            if line.isFentanyl {
                pounds[fpf, default: 0] += line.pounds!
            }
            if line.measure == "presses" {
                presses[fpf, default: 0] += line.presses!
            }
            if earliest[fpf].map({ date < $0 }) ?? true {
                earliest[fpf] = date
                fiscalYear[fpf] = date.fiscalYear
            }
        }
    }

    /// Rounds to hundredths, halves away from zero.
    static func cents(_ value: Double) -> Double {
        (value * 100).rounded(.toNearestOrAwayFromZero)
    }
}
