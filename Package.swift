// swift-tools-version:6.1
import PackageDescription

/// spotifymon: monitoring intelligence in one self-contained shared library.
///
/// Layers (calls only go down):
///   smon (CLI) ─┐
///   SpotifyMon (@_cdecl ABI, built as libspotifymon.so) ─┐
///                                                        └─ SpotifyMonCore (pure Swift) ── COpenBLAS
let package = Package(
    name: "spotifymon",
    products: [
        .library(name: "spotifymon", type: .dynamic, targets: ["SpotifyMon"]),
        .executable(name: "smon", targets: ["smon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .systemLibrary(
            name: "CSpotifyMon",
            path: "Include"
        ),
        .target(
            name: "SpotifyMonCore",
            dependencies: ["COpenBLAS"],
            // Every engine's mutable state sits behind its handle's lock, so release builds
            // drop the runtime exclusivity checks (about 4% of an alert's classification);
            // debug builds, which the test suite runs, keep them.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "SpotifyMon",
            dependencies: ["SpotifyMonCore", "CSpotifyMon"],
            linkerSettings: [
                .unsafeFlags(["-static-stdlib", "-Xlinker", "--version-script=exports.map"])
            ]
        ),
        .executableTarget(
            name: "smon",
            dependencies: [
                "SpotifyMonCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SpotifyMonCoreTests",
            dependencies: ["SpotifyMonCore"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
