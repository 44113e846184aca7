import Foundation
import XCTest
@testable import KHSMCore

final class SHA256Tests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("khsm-sha256-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func digest(_ text: String) -> String {
        var hasher = SHA256()
        hasher.update(Array(text.utf8))
        return hexString(hasher.finalize())
    }

    func testEmptyInput() {
        XCTAssertEqual(digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testABC() {
        XCTAssertEqual(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func test448BitMessage() {
        XCTAssertEqual(
            digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
    }

    func testMillionA() {
        XCTAssertEqual(
            digest(String(repeating: "a", count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
    }

    func testSplitUpdatesMatchOneUpdate() {
        let message = Array(String(repeating: "0123456789", count: 50).utf8)
        var whole = SHA256()
        whole.update(message)
        let expected = whole.finalize()
        // Piece sizes cross the 64-byte block boundary in different places.
        for pieceSize in [1, 3, 55, 56, 63, 64, 65, 127] {
            var pieces = SHA256()
            var start = 0
            while start < message.count {
                let stop = min(start + pieceSize, message.count)
                pieces.update(Array(message[start..<stop]))
                start = stop
            }
            XCTAssertEqual(pieces.finalize(), expected, "piece size \(pieceSize)")
        }
    }

    func testPaddingLengthsAroundBlockEnd() {
        // Messages of 55, 56 and 64 bytes need one or two padding blocks (values from sha256sum).
        XCTAssertEqual(
            digest(String(repeating: "a", count: 55)),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"
        )
        XCTAssertEqual(
            digest(String(repeating: "a", count: 56)),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"
        )
        XCTAssertEqual(
            digest(String(repeating: "a", count: 64)),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
        )
    }

    func testFileMatchesSha256sum() throws {
        let path = directory.appendingPathComponent("data.bin").path
        var bytes: [UInt8] = []
        var value: UInt32 = 12345
        for _ in 0..<3_000_017 {
            value = value &* 1_103_515_245 &+ 12345
            bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let expected = String(decoding: outputData, as: UTF8.self).split(separator: " ").first.map(String.init)

        XCTAssertEqual(try SHA256.hex(ofFileAt: path), expected)
    }

    func testMissingFileThrowsUnreadable() {
        let path = directory.appendingPathComponent("missing.csv").path
        XCTAssertThrowsError(try SHA256.hex(ofFileAt: path)) { error in
            XCTAssertEqual((error as? CSVError)?.kind, .unreadable)
        }
    }

    func testHexStringFormatting() {
        XCTAssertEqual(hexString([0x00, 0x0f, 0xa0, 0xff]), "000fa0ff")
    }
}
