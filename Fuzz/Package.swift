// swift-tools-version:6.0
// Coverage-guided fuzzing of the EnergyModels file readers (issue #13) with libFuzzer and
// AddressSanitizer: one executable per reader, each feeding its input to the public read API that
// `ebm` uses. See docs/reliability.md. `make fuzz` at the root builds and runs them; by hand:
//
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   Fuzz/.build/release/FuzzNumpy -max_total_time=60 <corpus folder>
//
// The root package is a dependency by path, so its library targets are compiled here with the
// same sanitizer and coverage flags; the root build (`swift build` at the root) is untouched.
import PackageDescription

let root = "EnergyModels"

/// Each harness and the root library it reads through.
let harnesses: [(name: String, library: String)] = [
    ("FuzzIDX", "EnergyFormats"), ("FuzzIDXGzip", "EnergyFormats"), ("FuzzNumpy", "EnergyFormats"),
    ("FuzzNpz", "EnergyFormats"), ("FuzzDataCSV", "EnergyFormats"), ("FuzzPNG", "EnergyFormats"),
    ("FuzzHits", "TrackFinding"), ("FuzzTruth", "TrackFinding"), ("FuzzSubmission", "TrackFinding"), ("FuzzTrackingJSON", "TrackFinding"),
    ("FuzzJINREvents", "TrackFinding"),
    ("FuzzPatternCSV", "HopfieldMemory"), ("FuzzPatternGrid", "HopfieldMemory"), ("FuzzPatternPBM", "HopfieldMemory"),
    ("FuzzHopfieldModel", "HopfieldMemory"), ("FuzzRBMModel", "RBM"), ("FuzzDBNModel", "DBN"),
]

let package = Package(
    name: "EnergyModelsFuzz",
    dependencies: [.package(name: root, path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "EnergyCore", package: root),
                                                    .product(name: "EnergyFormats", package: root)]),
    ] + harnesses.map { harness in
        .executableTarget(name: harness.name,
                          dependencies: ["FuzzSupport", .product(name: harness.library, package: root)])
    }
)
