import Foundation
import XCTest

final class InitTests: KhsmTestCase {
    func testInitCreatesOwnerOnlyDatabase() throws {
        let result = try khsmSucceeds(["init"])
        XCTAssertTrue(result.stdout.contains("created"))
        let attributes = try FileManager.default.attributesOfItem(atPath: databasePath)
        let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(permissions, 0o600)
    }

    func testInitRefusesExistingFile() throws {
        try initDatabase()
        let result = try khsm(["init"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("already exists"), result.stderr)
    }

    func testUnknownCommandIsUsageError() throws {
        let result = try khsm(["frobnicate"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("unknown command 'frobnicate'"), result.stderr)
    }
}
