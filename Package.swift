// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "khsm",
    products: [
        .executable(name: "khsm", targets: ["khsm"]),
        .library(name: "KHSMCore", targets: ["KHSMCore"]),
    ],
    targets: [
        // SQLite comes from the system: Debian's libsqlite3-dev.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "KHSMCore",
            dependencies: ["CSQLite"]
        ),
        .executableTarget(
            name: "khsm",
            dependencies: ["KHSMCore"]
        ),
        .testTarget(
            name: "KHSMCoreTests",
            dependencies: ["KHSMCore"]
        ),
        .testTarget(
            name: "KHSMCLITests",
            dependencies: ["KHSMCore"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
