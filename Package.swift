// swift-tools-version:6.0
// EnergyModels: energy-based models for scientists.
// Four model modules (HopfieldMemory, TrackFinding, RBM, DBN) over one shared core (EnergyCore),
// and the `ebm` command-line tool that drives them all.
import PackageDescription

let package = Package(
    name: "EnergyModels",
    products: [
        .library(name: "EnergyCore", targets: ["EnergyCore"]),
        .library(name: "HopfieldMemory", targets: ["HopfieldMemory"]),
        .library(name: "TrackFinding", targets: ["TrackFinding"]),
        .library(name: "RBM", targets: ["RBM"]),
        .library(name: "DBN", targets: ["DBN"]),
        .executable(name: "ebm", targets: ["ebm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian: GSL (random numbers, simulated annealing) with OpenBLAS's CBLAS,
        // and libpng with zlib (PNG, gzip, npz). See scripts/install-deps.sh.
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),

        .target(name: "EnergyCore", dependencies: ["CGSL", "CPNG"]),
        .target(name: "HopfieldMemory", dependencies: ["EnergyCore"]),
        .target(name: "TrackFinding", dependencies: ["EnergyCore"]),
        .target(name: "RBM", dependencies: ["EnergyCore"]),
        .target(name: "DBN", dependencies: ["EnergyCore", "RBM"]),
        .executableTarget(
            name: "ebm",
            dependencies: [
                "EnergyCore", "HopfieldMemory", "TrackFinding", "RBM", "DBN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Helpers shared by the test targets (temporary folders, the Data/ path, NumPy checks).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EnergyCoreTests", dependencies: ["EnergyCore", "TestSupport"]),
        .testTarget(name: "HopfieldMemoryTests", dependencies: ["HopfieldMemory", "TestSupport"]),
        .testTarget(name: "TrackFindingTests", dependencies: ["TrackFinding", "TestSupport"]),
        .testTarget(name: "RBMTests", dependencies: ["RBM", "TestSupport"]),
        .testTarget(name: "DBNTests", dependencies: ["DBN", "TestSupport"]),
        // End-to-end checks of the `ebm` binary: exit codes, files written, the demo.
        .testTarget(name: "EBMTests", dependencies: ["ebm", "DBN", "RBM", "TestSupport"]),
    ]
)
