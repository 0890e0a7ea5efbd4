// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SmartLeague",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "smartleague", targets: ["smartleague"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.0"),
    ],
    targets: [
        // The league's rules: Foundation only, no Vapor, no database.
        .target(name: "LeagueCore"),
        .target(
            name: "SmartLeague",
            dependencies: [
                "LeagueCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
            ]
        ),
        .executableTarget(name: "smartleague", dependencies: ["SmartLeague"]),
        // `swift run -c release smartleague-bench`: page timings against the bare health route.
        .executableTarget(name: "smartleague-bench", dependencies: ["SmartLeague", "LeagueCore", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")], path: "Benchmarks"),
        .testTarget(name: "LeagueCoreTests", dependencies: ["LeagueCore"]),
        .testTarget(
            name: "SmartLeagueTests",
            dependencies: [
                "SmartLeague",
                "LeagueCore",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ]
        ),
    ]
)
