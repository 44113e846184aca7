import XCTest
@testable import KHSMCore

final class MethodVersionTests: XCTestCase {
    func testMethodVersionIsSet() {
        XCTAssertFalse(methodVersion.isEmpty)
    }
}
