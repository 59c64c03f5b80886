import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import HopfieldMemory

/// `ebm hopfield mnist`: the modern Hopfield memory on MNIST (`DigitRecallExperiment`).
struct HopfieldMNIST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist",
        abstract: "Store binarised MNIST training digits in a modern Hopfield memory and recall corrupted digits.",
        discussion: """
        Stores the first --stored training digits (pixel >= 0.5 -> +1, else -1) in a modern Hopfield memory \
        (Ramsauer et al. 2020), makes --probes probes of training and of test digits with the lower half \
        masked (--fill) and with --flip of the pixels flipped, recalls each in --steps updates at --beta, and \
        reports how often the recalled pattern is the probe's own stored digit (training probes) and of the \
        same class. --png draws, for each case, rows of probes, recalled patterns and originals.
        """)

    private static let defaults = DigitRecallExperiment.Configuration()

    @Option(help: "Folder of the four MNIST IDX files (train/t10k images and labels, .gz).") var data = "Data/mnist"
    @Option(help: "Training digits stored (the first ones).", transform: OptionRange.integer(1...60_000)) var stored = defaults.stored
    @Option(help: "Probes per set (training, test) and corruption.", transform: OptionRange.integer(1...60_000)) var probes = defaults.probes
    @Option(help: "Value of the masked lower half: 0 (unknown) or -1 (blank).", transform: OptionRange.real(-1...0)) var fill = 0.0
    @Option(help: "Fraction of the pixels flipped in the second kind of probe.", transform: OptionRange.real(0...1)) var flip = 0.2
    @Option(help: "The inverse temperature beta.", transform: OptionRange.real(1e-6...1e6)) var beta = defaults.recall.beta
    @Option(help: "At most this many updates.", transform: OptionRange.integer(1...10_000)) var steps = defaults.recall.steps
    @Option(help: "Random seed (probe choice, flipped pixels).") var seed: UInt64 = defaults.seed
    @Option(help: "Write a PNG of probe / recalled / original rows for each case.") var png: String?
    @Option(help: "Worker threads (the output does not depend on it).", transform: OptionRange.integer(1...1024))
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "No progress output.") var quiet = false

    static let flags = ConfigurationFlags(["stored": "--stored", "probes": "--probes", "recall.beta": "--beta", "recall.steps": "--steps"])

    func run() throws {
        let files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"].map { data + "/" + $0 }
        if let png { try AtomicFile.checkOutput(png, isNotAnyOf: files) }
        let settings = DigitRecallExperiment.Configuration(stored: stored, probes: probes,
                                                           corruptions: [.maskLowerHalf(fill: Float(fill)), .flip(fraction: flip)],
                                                           recall: .init(beta: beta, steps: steps), seed: seed)
        let experiment = try Self.flags.map { try DigitRecallExperiment(configuration: settings) }
        let start = Date()
        let cases = try experiment.run(trainingImages: files[0], trainingLabels: files[1], testImages: files[2], testLabels: files[3],
                                       threads: threads, progress: ProgressReporter(quiet: quiet))
        print("modern Hopfield memory of \(stored) binarised MNIST training digits (N = 784), beta \(beta), \(steps) update(s), seed \(seed)")
        print(Self.table(cases))
        print(String(format: "finished in %.1f s", Date().timeIntervalSince(start)))
        if let png {
            try Self.picture(cases).write(to: png)
            print("picture -> \(png) (per case: a row of probes, of recalled patterns, of originals)")
        }
    }

    /// The cases as a table: own digit recalled (training), same class, metastable, mean weight, time.
    static func table(_ cases: [DigitRecallExperiment.Case]) -> String {
        var lines = ["  probes     corruption                 own digit    same class   metastable   mean weight   recall s"]
        for c in cases {
            let own = c.recalledOwn.map { String(format: "%6.1f%%", 100 * Double($0) / Double(c.probes)) } ?? "      -"
            lines.append("  " + "\(c.set) (\(c.probes))".padding(toLength: 15, withPad: " ", startingAt: 0)
                         + c.corruption.name.padding(toLength: 25, withPad: " ", startingAt: 0)
                         + String(repeating: " ", count: max(0, 10 - own.count)) + own
                         + String(format: "   %9.1f%%   %10d   %11.4f   %8.2f", 100 * Double(c.sameClass) / Double(c.probes),
                                  c.metastable, c.meanWeight, c.seconds))
        }
        return lines.joined(separator: "\n")
    }

    /// One PNG: for each case, a row of probes, a row of recalled patterns and a row of originals.
    static func picture(_ cases: [DigitRecallExperiment.Case]) -> GrayImage {
        let columns = cases.map(\.probeRows.rows).max() ?? 1
        let n = cases.first?.probeRows.columns ?? 784
        var storage: [Float] = []
        for c in cases {
            for rows in [c.probeRows, c.recalledRows, c.originalRows] {
                storage += rows.storage
                storage += [Float](repeating: -1, count: (columns - rows.rows) * n)
            }
        }
        let tiles = Matrix(rows: storage.count / max(1, n), columns: n, storage: storage).map { ($0 + 1) / 2 }
        let side = Int(Double(n).squareRoot())
        return GrayImage.grid(tiles: tiles, tileWidth: side, tileHeight: n / side, columns: columns, padding: 2, scale: 2)
    }
}
