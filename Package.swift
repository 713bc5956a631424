// swift-tools-version:6.0
// hosted-engine: the oVirt Hosted Engine shared-configuration tool.
// Copyright hosted-engine developers. Licensed under the Apache License 2.0 (LICENSE).
// SPDX-License-Identifier: Apache-2.0
import PackageDescription

// Linux only: every target uses Glibc and Linux's system calls (O_DIRECT, OFD locks), so no
// other platform is claimed.
let package = Package(
    name: "hosted-engine",
    products: [
        .executable(name: "hosted-engine", targets: ["hosted-engine"]),
        .library(name: "HostedEngineConfig", targets: ["HostedEngineConfig"]),
        .library(name: "ArchiveKit", targets: ["ArchiveKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // libarchive from the system (Debian: libarchive-dev): linked through pkg-config's flags
        // (dynamically) in debug builds; scripts/build-release links its libarchive.a instead.
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // sanlock's headers (Debian: libsanlock-dev), for its structures only; the library is
        // opened at run time.
        .systemLibrary(name: "CSanlock", providers: [.apt(["libsanlock-dev"])]),
        // Swift over libarchive: tar streams in and out. Knows nothing of oVirt.
        .target(
            name: "ArchiveKit",
            dependencies: ["CArchive", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // The oVirt model, in folders by layer (Support, Storage, Archive, ConfigFiles, Ovf,
        // Locating, Workflow), each using only those before it.
        .target(
            name: "HostedEngineConfig",
            dependencies: [
                "ArchiveKit", "CSanlock",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // arc4random_buf and hypotf for glibc 2.34 (EL9), so the static release binary runs there.
        .target(name: "CGlibcCompat", linkerSettings: [.linkedLibrary("m")]),
        // The commit the binary was built from, as scripts/build-release passes it.
        .target(name: "CBuildInfo"),
        // The thin command line.
        .executableTarget(
            name: "hosted-engine",
            dependencies: [
                "HostedEngineConfig", "CGlibcCompat", "CBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The tests' HE_TEST_* hooks (TestHooks) exist in debug builds only, never in a release.
            swiftSettings: [.define("HE_TEST_HOOKS", .when(configuration: .debug))]
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
