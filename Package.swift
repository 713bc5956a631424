// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "hosted-engine",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hosted-engine", targets: ["hosted-engine"]),
        .library(name: "HostedEngineConfig", targets: ["HostedEngineConfig"]),
        .library(name: "ArchiveKit", targets: ["ArchiveKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // libarchive from the system (Debian: libarchive-dev), linked dynamically.
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]
        ),
        // Swift over libarchive: tar streams in and out. Knows nothing of oVirt.
        .target(name: "ArchiveKit", dependencies: ["CArchive"]),
        // The oVirt model: volume, archive, config files, schema, compare-and-swap.
        .target(
            name: "HostedEngineConfig",
            dependencies: [
                "ArchiveKit",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The thin command line.
        .executableTarget(
            name: "hosted-engine",
            dependencies: [
                "HostedEngineConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fuzzer's targets, and the libFuzzer entry point over them (scripts/fuzz).
        .target(name: "FuzzTargets", dependencies: ["ArchiveKit", "HostedEngineConfig"]),
        .target(name: "CFuzzerDriver"),
        .executableTarget(name: "hosted-engine-fuzz", dependencies: ["FuzzTargets", "CFuzzerDriver"]),
        .target(name: "TestSupport", dependencies: ["ArchiveKit"], path: "Tests/TestSupport"),
        .testTarget(name: "ArchiveKitTests", dependencies: ["ArchiveKit", "TestSupport"]),
        .testTarget(
            name: "HostedEngineConfigTests",
            dependencies: ["HostedEngineConfig", "ArchiveKit", "FuzzTargets", "TestSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["hosted-engine", "HostedEngineConfig", "ArchiveKit", "TestSupport"]
        ),
    ]
)
