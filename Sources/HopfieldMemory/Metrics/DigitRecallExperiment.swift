import EnergyCore
import EnergyFormats
import Foundation

/// How a probe is made from a stored image.
public enum ProbeCorruption: Equatable, Sendable, Codable {
    /// The lower half of the image's rows set to `fill` (0: unknown, neutral in every overlap; −1: blank).
    case maskLowerHalf(fill: Float)
    /// A fraction of the pixels flipped: exactly round(fraction·N) distinct pixels (`PatternSet.corrupted`).
    case flip(fraction: Double)

    /// A short name for reports, e.g. `lower half masked (0)` or `20% flipped`.
    public var name: String {
        switch self {
        case .maskLowerHalf(let fill): return "lower half masked (\(fill == 0 ? "0" : fill == -1 ? "-1" : "\(fill)"))"
        case .flip(let f): return "\(Int((f * 100).rounded()))% flipped"
        }
    }
}

/// The MNIST demonstration of the modern Hopfield memory (Ramsauer et al. 2020): store binarised
/// training digits (pixel ≥ ½ → +1, else −1), make probes of training and test digits by each
/// corruption, recall them in one update, and count how often the recalled pattern is the probe's
/// own stored digit (training probes) and of the same class (both).
public struct DigitRecallExperiment: Sendable {
    /// What is stored, probed and recalled.
    public struct Configuration: Equatable, Sendable, Codable {
        /// How many training digits are stored (the first ones).
        public var stored: Int
        /// Probes per set (training, test) and corruption, drawn at random without replacement.
        public var probes: Int
        public var corruptions: [ProbeCorruption]
        public var recall: ModernRecallConfiguration
        /// Examples per case kept for the picture (probe, recalled, original).
        public var pictured: Int
        /// Seeds the one stream that draws the probes and the flipped pixels.
        public var seed: UInt64

        public init(stored: Int = 60_000, probes: Int = 1000,
                    corruptions: [ProbeCorruption] = [.maskLowerHalf(fill: 0), .flip(fraction: 0.2)],
                    recall: ModernRecallConfiguration = .init(), pictured: Int = 10, seed: UInt64 = 1) {
            self.stored = stored
            self.probes = probes
            self.corruptions = corruptions
            self.recall = recall
            self.pictured = pictured
            self.seed = seed
        }

        /// - Throws: `ConfigurationError` naming `stored`, `probes`, `corruptions`, `pictured` or
        ///   `recall.…`.
        public func validate() throws {
            guard stored >= 1 else { throw ConfigurationError(field: "stored", "expected at least 1 stored digit, got \(stored)") }
            guard probes >= 1 else { throw ConfigurationError(field: "probes", "expected at least 1 probe per case, got \(probes)") }
            guard !corruptions.isEmpty else { throw ConfigurationError(field: "corruptions", "expected at least one corruption") }
            for c in corruptions {
                if case .flip(let f) = c, !(f.isFinite && f >= 0 && f <= 1) {
                    throw ConfigurationError(field: "corruptions", "expected a flipped fraction in [0, 1], got \(f)")
                }
                if case .maskLowerHalf(let fill) = c, !fill.isFinite {
                    throw ConfigurationError(field: "corruptions", "expected a finite fill value, got \(fill)")
                }
            }
            guard pictured >= 0 else { throw ConfigurationError(field: "pictured", "expected 0 or more pictured examples, got \(pictured)") }
            try ConfigurationError.nesting("recall") { try recall.validate() }
        }
    }

    /// The outcome of one set of probes under one corruption.
    public struct Case: Sendable {
        /// `training` or `test`.
        public var set: String
        public var corruption: ProbeCorruption
        public var probes: Int
        /// Training probes whose recalled pattern equals their own stored digit (nil for test probes).
        public var recalledOwn: Int?
        /// Probes whose nearest stored digit (largest softmax weight) has the probe's class.
        public var sameClass: Int
        /// Probes whose recalled pattern equals some stored digit (the one of the largest weight).
        public var exact: Int
        /// Probes ending in a metastable mixture (largest weight below the configuration's threshold).
        public var metastable: Int
        /// The mean largest softmax weight.
        public var meanWeight: Double
        /// Wall-clock seconds of the recall.
        public var seconds: Double
        /// The first `pictured` probes, their recalled patterns and their originals, one per row, in [−1, 1].
        public var probeRows: Matrix<Float>
        public var recalledRows: Matrix<Float>
        public var originalRows: Matrix<Float>
    }

    public let configuration: Configuration

    /// - Throws: `ConfigurationError` naming the field of an invalid configuration.
    public init(configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Images binarised to ±1: pixel ≥ ½ → +1, else −1.
    public static func bipolar(_ images: Matrix<Float>) -> Matrix<Float> {
        images.map { $0 >= 0.5 ? 1 : -1 }
    }

    /// Runs the experiment on images with pixels in [0, 1] (`DataMatrix.load` of the MNIST IDX files)
    /// and their labels.
    ///
    /// - Parameters:
    ///   - training: the training images, one per row, pixels in [0, 1]; the first `stored` are stored.
    ///   - trainingLabels: their classes.
    ///   - test: the test images, the same size.
    ///   - testLabels: their classes.
    ///   - height: rows of each image (28 for MNIST); the width is N / height.
    ///   - trainingSource: the name errors give the training images.
    ///   - testSource: the name errors give the test images.
    ///   - threads: workers of the row-wise softmax; the results do not depend on them.
    ///   - progress: told of each chunk of probes recalled.
    /// - Returns: one case per set (training first) and corruption.
    /// - Throws: `InputError` naming `trainingSource` or `testSource` when there are fewer images than
    ///   asked for, labels and images disagree in number, or the sizes differ.
    public func run(training: Matrix<Float>, trainingLabels: [Int], test: Matrix<Float>, testLabels: [Int], height: Int = 28,
                    trainingSource: String = "training images", testSource: String = "test images",
                    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: (any ProgressObserver)? = nil) throws -> [Case] {
        let c = configuration
        guard training.rows >= c.stored else {
            throw InputError(file: trainingSource, "expected at least \(c.stored) images to store, found \(training.rows)")
        }
        guard trainingLabels.count == training.rows else {
            throw InputError(file: trainingSource, "\(training.rows) images but \(trainingLabels.count) labels")
        }
        guard testLabels.count == test.rows else { throw InputError(file: testSource, "\(test.rows) images but \(testLabels.count) labels") }
        guard test.columns == training.columns else {
            throw InputError(file: testSource, "images have \(test.columns) pixels; the training images have \(training.columns)")
        }
        let n = training.columns
        guard height >= 1, n % height == 0 else { throw InputError(file: trainingSource, "\(n) pixels do not make images of \(height) rows") }
        let random = RandomSource(seed: c.seed)
        let stored = PatternSet(Self.bipolar(training.rows(0..<c.stored)), shape: (height, n / height))
        var memory = AssociativeMemory(neurons: n, rule: .modern)
        try memory.store(stored, source: trainingSource)
        let testPatterns = Self.bipolar(test)

        var cases: [Case] = []
        for (set, pool, labels) in [("training", stored.values, trainingLabels), ("test", testPatterns, testLabels)] {
            let count = min(c.probes, pool.rows)
            guard count > 0 else { throw InputError(file: set == "training" ? trainingSource : testSource, "no images to probe") }
            for corruption in c.corruptions {
                let chosen = Array(random.permutation(pool.rows).prefix(count))
                let originals = pool.gatherRows(chosen)
                var probes = originals
                switch corruption {
                case .maskLowerHalf(let fill):
                    let from = (height / 2) * (n / height)
                    for r in 0..<count { for j in from..<n { probes.storage[r * n + j] = fill } }
                case .flip(let fraction):
                    probes = PatternSet(originals).corrupted(fraction: fraction, random: random).values
                }
                let start = Date()
                let results = try memory.recallModern(probes, configuration: c.recall, threads: threads, progress: progress)
                let seconds = Date().timeIntervalSince(start)
                var own = 0, sameClass = 0, exact = 0, metastable = 0, weights = 0.0
                for (k, r) in results.enumerated() {
                    if set == "training", originals.storage[(k * n)..<((k + 1) * n)].elementsEqual(r.pattern) { own += 1 }
                    if r.nearest >= 0, trainingLabels[r.nearest] == labels[chosen[k]] { sameClass += 1 }
                    if r.isExact { exact += 1 }
                    if r.isMetastable { metastable += 1 }
                    weights += r.weight
                }
                let shown = min(c.pictured, count)
                let recalled = Matrix(rows: shown, columns: n, storage: results.prefix(shown).flatMap(\.pattern))
                cases.append(Case(set: set, corruption: corruption, probes: count, recalledOwn: set == "training" ? own : nil,
                                  sameClass: sameClass, exact: exact, metastable: metastable, meanWeight: weights / Double(count),
                                  seconds: seconds, probeRows: probes.rows(0..<shown), recalledRows: recalled,
                                  originalRows: originals.rows(0..<shown)))
            }
        }
        return cases
    }

    /// Reads the four MNIST IDX files (`DataMatrix`) and runs the experiment on them.
    ///
    /// - Throws: `InputError` for a bad file, or as `run(training:…)`.
    public func run(trainingImages: String, trainingLabels: String, testImages: String, testLabels: String,
                    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: (any ProgressObserver)? = nil) throws -> [Case] {
        let training = try DataMatrix.load(trainingImages)
        let trainLabels = try DataMatrix.loadLabels(trainingLabels)
        let test = try DataMatrix.load(testImages)
        let labels = try DataMatrix.loadLabels(testLabels)
        let side = Int(Double(training.columns).squareRoot().rounded())
        return try run(training: training, trainingLabels: trainLabels, test: test, testLabels: labels,
                       height: side * side == training.columns ? side : 1,
                       trainingSource: trainingImages, testSource: testImages, threads: threads, progress: progress)
    }
}
