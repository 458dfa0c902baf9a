// swift-tools-version:6.0
import PackageDescription

/// One set of settings for every target: Swift 6 mode plus the upcoming features that keep
/// module boundaries honest (no implicit `any`, imports only where used, internal by default).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Patrol",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "patrol", targets: ["patrol"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // System-library shims: a modulemap and a header each, nothing else.
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CProj", pkgConfig: "proj", providers: [.apt(["libproj-dev", "proj-data"])]),
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),

        .target(name: "PatrolGeo", dependencies: ["CProj", "CGEOS"], swiftSettings: swiftSettings),
        .target(
            name: "PatrolModel",
            dependencies: ["PatrolGeo", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(name: "PatrolPlanner", dependencies: ["PatrolModel", "PatrolGeo"], swiftSettings: swiftSettings),
        .target(name: "PatrolAlerts", dependencies: ["PatrolModel", "PatrolGeo"], swiftSettings: swiftSettings),
        .target(
            name: "PatrolStore",
            dependencies: ["PatrolModel", "PatrolGeo", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PatrolLink",
            dependencies: ["CZeroMQ", "PatrolModel", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(name: "PatrolReports", dependencies: ["PatrolModel", "PatrolGeo"], swiftSettings: swiftSettings),
        .target(
            name: "PatrolCoordinator",
            dependencies: [
                "PatrolModel", "PatrolGeo", "PatrolPlanner", "PatrolAlerts", "PatrolStore", "PatrolLink",
                "PatrolReports", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PatrolSim",
            dependencies: ["PatrolLink", "PatrolModel", "PatrolGeo", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "patrol",
            dependencies: [
                "PatrolCoordinator", "PatrolSim", "PatrolModel", "PatrolGeo", "PatrolPlanner", "PatrolStore",
                "PatrolReports", "PatrolAlerts", "PatrolLink",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "PatrolTestKit", dependencies: ["PatrolModel"], path: "Tests/PatrolTestKit",
            swiftSettings: swiftSettings),
        .testTarget(name: "PatrolGeoTests", dependencies: ["PatrolGeo"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PatrolModelTests", dependencies: ["PatrolModel", "PatrolTestKit"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PatrolPlannerTests",
            dependencies: ["PatrolPlanner", "PatrolModel", "PatrolGeo", "PatrolTestKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PatrolAlertsTests", dependencies: ["PatrolAlerts", "PatrolModel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PatrolStoreTests",
            dependencies: ["PatrolStore", "PatrolModel", "PatrolTestKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PatrolLinkTests", dependencies: ["PatrolLink", "PatrolModel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PatrolReportsTests",
            dependencies: ["PatrolReports", "PatrolModel", "PatrolGeo", "PatrolTestKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "PatrolCoordinator", "PatrolSim", "PatrolModel", "PatrolStore", "PatrolReports", "PatrolLink",
                "PatrolTestKit", "patrol", "PatrolAlerts",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
