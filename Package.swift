// swift-tools-version:6.0
// EnergyModels: energy-based models for scientists.
// Four model modules (HopfieldMemory, TrackFinding, RBM, DBN) over a small shared core in two parts:
// EnergyCore (numerics: Matrix and BLAS, RandomSource, annealing, eigendecomposition, parallel loops)
// and EnergyFormats (files: IDX, CSV, .npy/.npz, gzip, PNG, atomic writes). Only these two import C
// modules. The `ebm` command-line tool drives them all.
import PackageDescription

let package = Package(
    name: "EnergyModels",
    products: [
        .library(name: "EnergyCore", targets: ["EnergyCore"]),
        .library(name: "EnergyFormats", targets: ["EnergyFormats"]),
        .library(name: "HopfieldMemory", targets: ["HopfieldMemory"]),
        .library(name: "TrackFinding", targets: ["TrackFinding"]),
        .library(name: "RBM", targets: ["RBM"]),
        .library(name: "DBN", targets: ["DBN"]),
        .executable(name: "ebm", targets: ["ebm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (make docs): the DocC catalogs in Sources/*/*.docc
        // and the snippets in Snippets/. A command plugin only: nothing of it links into the modules.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian: GSL (random numbers, simulated annealing, eigendecomposition) with
        // OpenBLAS's CBLAS, behind EnergyCore; libpng with zlib (PNG, gzip, npz), behind EnergyFormats.
        // See scripts/install-deps.sh.
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),

        // The sparse-row products behind EnergyCore's SparseRows, and its vectorised logistic and
        // Bernoulli sampling (applyLogistic, RandomSource.sampleBernoulli): C, for AVX-512 and AVX2/FMA
        // kernels chosen at run time (Swift has no per-function target attribute), with portable loops elsewhere.
        .target(name: "CSparseKernels"),

        .target(name: "EnergyCore", dependencies: ["CGSL", "CSparseKernels"]),
        .target(name: "EnergyFormats", dependencies: ["EnergyCore", "CPNG"]),
        .target(name: "HopfieldMemory", dependencies: ["EnergyCore", "EnergyFormats"]),
        .target(name: "TrackFinding", dependencies: ["EnergyCore", "EnergyFormats"]),
        .target(name: "RBM", dependencies: ["EnergyCore", "EnergyFormats"]),
        .target(name: "DBN", dependencies: ["EnergyCore", "EnergyFormats", "RBM"]),
        .executableTarget(
            name: "ebm",
            dependencies: [
                "EnergyCore", "EnergyFormats", "HopfieldMemory", "TrackFinding", "RBM", "DBN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Helpers shared by the test targets (temporary folders, the Data/ path, NumPy checks).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EnergyCoreTests", dependencies: ["EnergyCore", "TestSupport"]),
        .testTarget(name: "EnergyFormatsTests", dependencies: ["EnergyFormats", "TestSupport"]),
        .testTarget(name: "HopfieldMemoryTests", dependencies: ["HopfieldMemory", "TestSupport"]),
        .testTarget(name: "TrackFindingTests", dependencies: ["TrackFinding", "TestSupport"]),
        .testTarget(name: "RBMTests", dependencies: ["RBM", "TestSupport"]),
        .testTarget(name: "DBNTests", dependencies: ["DBN", "TestSupport"]),
        // The Swift examples that open each guide in docs/: compiled and run here, and checked to be
        // the same text as the guide's code block.
        .testTarget(name: "DocExampleTests",
                    dependencies: ["EnergyCore", "EnergyFormats", "HopfieldMemory", "TrackFinding", "RBM", "DBN", "TestSupport"]),
        // End-to-end checks of the `ebm` binary: exit codes, files written, the demo.
        .testTarget(name: "EBMTests", dependencies: ["ebm", "DBN", "RBM", "TestSupport"]),
    ]
)
