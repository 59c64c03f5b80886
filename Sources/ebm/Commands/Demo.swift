import ArgumentParser
import DBN
import EnergyCore
import EnergyFormats
import Foundation
import HopfieldMemory
import RBM
import TrackFinding

/// `ebm demo`: the main job, run on the data shipped in `Data/`.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every module on the data shipped in Data/ and report what it did.")

    @Option(help: "The folder holding the shipped data.") var data = "Data"
    @Option(help: "Where to write the demo's outputs.") var output = "out/demo"
    @Option(help: "Random seed.") var seed: UInt64 = 1

    func run() throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let start = Date()
        print("EnergyModels demo (seed \(seed)); outputs in \(output)/")
        print("BLAS: cblas_sgemm from \(BLASProbe.providerOfSgemm()) (\(BLAS.coreName), \(BLAS.threads) threads)\n")
        try hopfield()
        print()
        try modernHopfield()
        print()
        try tracks()
        print()
        try rbm()
        print()
        try dbn()
        print(String(format: "\ndemo finished in %.1f s", Date().timeIntervalSince(start)))
    }

    /// Stores the shipped letters with every rule, recalls them from 20%-corrupted copies, and
    /// writes the best rule's recall as a grid file and a PNG.
    func hopfield() throws {
        let lettersPath = data + "/patterns/letters.txt"
        let letters = try PatternFile.read(lettersPath)
        guard let shape = letters.shape else { throw InputError(file: lettersPath, "expected the letters as text grids") }
        let random = RandomSource(seed: seed)
        let probes = letters.corrupted(fraction: 0.2, random: random)
        let n = letters.neurons
        print("Hopfield memory: \(letters.count) letters of \(shape.height)×\(shape.width) from \(lettersPath), "
              + "probes with 20% of the bits flipped (\(Int((0.2 * Double(n)).rounded())) of \(n))")
        print("  rule            recalled exactly   wrong letter   spurious   mean sweeps")
        var best: (rule: LearningRule, results: [RecallResult], score: RecallScore)?
        for rule: LearningRule in [.hebbian, .storkey, .pseudoinverse, .dense(.polynomial(degree: 3)), .dense(.exponential)] {
            var memory = AssociativeMemory(neurons: n, rule: rule)
            try memory.store(letters, source: lettersPath)
            let results = try memory.recall(probes, random: RandomSource(seed: seed))
            let score = RecallScore(results, targets: Array(0..<letters.count))
            print("  " + rule.name.padding(toLength: 15, withPad: " ", startingAt: 0)
                  + String(format: " %9d/%-2d %14d %10d %13.1f", score.recalled, score.probes, score.wrongPattern, score.spurious, score.meanSweeps))
            if score.recalled > best?.score.recalled ?? -1 { best = (rule, results, score) }
        }
        guard let best else { return }
        let recalled = PatternSet(Matrix(rows: letters.count, columns: n, storage: best.results.flatMap(\.state)), shape: shape)
        try PatternFile.write(probes, to: output + "/hopfield-probes.txt")
        try PatternFile.write(recalled, to: output + "/hopfield-recalled.txt")
        // Rows of the picture: the letters, the corrupted probes, and what the best rule recalled.
        let rows = Matrix(rows: 3 * letters.count, columns: n,
                          storage: letters.values.storage + probes.values.storage + recalled.values.storage).map { ($0 + 1) / 2 }
        try GrayImage.grid(tiles: rows, tileWidth: shape.width, tileHeight: shape.height, columns: letters.count, padding: 2, scale: 3)
            .write(to: output + "/hopfield-letters.png")
        print("  \(best.rule.name) recalls best; three of its recalls (probe -> result):")
        for k in [0, 7, 18] where k < letters.count {
            print(PatternText.sideBySide(probes.pattern(k), recalled.pattern(k), shape: shape))
            print()
        }
        print("  wrote \(output)/hopfield-probes.txt, hopfield-recalled.txt, hopfield-letters.png (rows: letters, probes, recalled)")
    }

    /// A small version of `ebm hopfield mnist`: 10,000 binarised training digits in a modern Hopfield
    /// memory, 100 probes per set and corruption, and the PNG of probes, recalls and originals.
    func modernHopfield() throws {
        let folder = data + "/mnist"
        let settings = DigitRecallExperiment.Configuration(stored: 10_000, probes: 100, seed: seed)
        let cases = try DigitRecallExperiment(configuration: settings)
            .run(trainingImages: folder + "/train-images-idx3-ubyte.gz", trainingLabels: folder + "/train-labels-idx1-ubyte.gz",
                 testImages: folder + "/t10k-images-idx3-ubyte.gz", testLabels: folder + "/t10k-labels-idx1-ubyte.gz")
        print("Modern Hopfield memory (Ramsauer et al. 2020): \(settings.stored) binarised MNIST training digits from \(folder), "
              + "beta \(settings.recall.beta), one update")
        print(HopfieldMNIST.table(cases))
        try HopfieldMNIST.picture(cases).write(to: output + "/hopfield-mnist.png")
        print("  wrote \(output)/hopfield-mnist.png (per case: probes, recalled, originals)")
    }

    /// Reconstructs the shipped sample events of both geometries, scores them with the TrackML
    /// metric and draws them.
    func tracks() throws {
        print("Track finding (Denby–Peterson, mean-field annealing) on the sample events in \(data)/events:")
        for name in ["planar", "barrel"] {
            let prefix = "\(data)/events/\(name)/event000000001"
            let hits = try HitFile.read(prefix + "-hits.csv")
            let truth = try TruthFile.read(prefix + "-truth.csv", matching: hits, hitsFile: prefix + "-hits.csv")
            let start = Date()
            let r = try TrackFinder().reconstruct(hits, random: RandomSource(seed: seed))
            let seconds = Date().timeIntervalSince(start)
            let ids = r.trackIDs(hitCount: hits.count)
            let score = TrackingScore.evaluate(hits: hits, truth: truth, trackIDs: ids)
            let particles = Set(truth.map(\.particleID)).subtracting([0]).count
            print("  \(name) (\(r.layout.geometry.rawValue) geometry): \(hits.count) hits, \(particles) particles; "
                  + "\(r.network.count) neurons, \(r.network.chainCount) chain connections; \(r.tracks.count) tracks in \(TrackingText.fixed(seconds, 3)) s")
            print("    " + TrackingText.score(score))
            try AtomicFile.write(SubmissionFile.format(eventID: 1, hits: hits, trackIDs: ids), to: "\(output)/tracks-\(name)-submission.csv")
            try AtomicFile.write(EventDisplay.svg(hits: hits, groups: r.tracks, geometry: r.layout.geometry, title: "\(name) sample event, reconstructed"),
                                 to: "\(output)/tracks-\(name).svg")
        }
        print("  wrote \(output)/tracks-planar.svg, tracks-barrel.svg and their submissions")
    }

    /// Trains a small RBM on shipped MNIST digits by PCD, then estimates its test log-likelihood by
    /// AIS and writes its filters and samples.
    func rbm() throws {
        let trainPath = data + "/mnist/train-images-idx3-ubyte.gz", testPath = data + "/mnist/t10k-images-idx3-ubyte.gz"
        let train = try DataMatrix.load(trainPath).rows(0..<10_000)
        let configuration = RBMTrainer.Configuration(epochs: 5, seed: seed)
        print("RBM: 784×100, \(configuration.sampling.name), \(configuration.epochs) epochs on 10,000 MNIST digits from \(trainPath)")
        let trainer = try RBMTrainer(hidden: 100, data: train, configuration: configuration)
        try trainer.train(data: train) { print("  " + RBMTrain.describe($0)) }
        let model = trainer.model
        let test = try DataMatrix.load(testPath).rows(0..<1000)
        let score = try LogLikelihood.evaluate(model, data: test, method: .annealedImportanceSampling(runs: 100, temperatures: 2000), seed: seed)
        if let estimate = score.estimate {
            print(String(format: "  AIS (100 runs, %d temperatures): log Z = %.2f [%.2f, %.2f]; test log-likelihood %.2f nats on 1,000 digits",
                         estimate.temperatures, estimate.logZ, estimate.logZLow, estimate.logZHigh, score.averageLogLikelihood))
        }
        try trainer.writeModel(to: output + "/rbm.npz")
        try GrayImage.grid(tiles: model.filters(count: model.hiddenCount), tileWidth: 28, tileHeight: 28, columns: 10, scale: 2, scaling: .perTile)
            .write(to: output + "/rbm-filters.png")
        try GrayImage.grid(tiles: RBMSampler.gibbsChains(model, count: 30, steps: 1000, random: RandomSource(seed: seed)), tileWidth: 28, tileHeight: 28,
                           columns: 10, scale: 2).write(to: output + "/rbm-samples.png")
        print("  wrote \(output)/rbm.npz, rbm-filters.png (all 100 filters), rbm-samples.png (30 chains, 1,000 Gibbs steps)")
    }

    /// Pretrains a 784-500-500-2000 DBN with a generative top on 10,000 shipped MNIST digits,
    /// fine-tunes it briefly (`DBNTrainer`, short settings), reports its accuracy on the 10,000 test
    /// digits, and draws class-conditional samples, judged by the model's own classifier.
    func dbn() throws {
        let trainPath = data + "/mnist/train-images-idx3-ubyte.gz", labelsPath = data + "/mnist/train-labels-idx1-ubyte.gz"
        let (images, labels) = try DBNCommand.load(images: trainPath, labels: labelsPath, limit: 12_000)
        // A short run learns faster without dropout.
        let configuration = DBNTrainer.Configuration(pretraining: .init(layers: [500, 500, 2000], epochs: [6]),
                                                     fineTuning: .init(epochs: 8, inputDropout: 0, hiddenDropout: 0),
                                                     validationSplit: 2_000, seed: seed)
        print("DBN: 784-500-500-2000-10 with a generative top; pretraining 6 epochs per layer (CD-1, CD-10 for the label-joined top) and fine-tuning "
              + "\(configuration.fineTuning.epochs) epochs on 10,000 MNIST digits (2,000 more for validation)")
        let trainer = try DBNTrainer(configuration: configuration)
        let start = Date()
        var pretrainingEnd: Date?
        let model = try trainer.train(images, labels: labels) { report in
            switch report {
            case .pretraining: pretrainingEnd = Date()
            case .fineTuning(let r):
                if r.epoch == 1, let end = pretrainingEnd { print(String(format: "  pretraining: %.1f s", end.timeIntervalSince(start))) }
                print(String(format: "  fine-tuning epoch %d: loss %.4f, validation error %.4f, %.1f s", r.epoch, r.trainingLoss, r.validationError ?? .nan, r.seconds))
            case .generativeFineTuning: break  // the demo's configuration has none
            }
        }
        let testPath = data + "/mnist/t10k-images-idx3-ubyte.gz"
        let (test, testLabels) = try DBNCommand.load(images: testPath, labels: data + "/mnist/t10k-labels-idx1-ubyte.gz", classes: model.classes)
        let result = try model.evaluate(test, labels: testLabels, source: testPath)
        print(String(format: "  test accuracy %.4f (error %.4f) on the 10,000 MNIST test digits", result.accuracy, result.errorRate))
        try trainer.writeModel(to: output + "/dbn.npz")
        guard let stack = model.stack else { return }
        // Eight samples per digit, on the run's stream, each row judged by the model's classifier.
        var rows: [Float] = [], faithful = 0
        for digit in 0..<model.classes {
            let samples = try DBNSampler.samples(stack, label: digit, count: 8, steps: 500, random: trainer.random)
            faithful += try model.samplesClassified(as: digit, samples)
            rows += samples.storage
        }
        try GrayImage.grid(tiles: Matrix(rows: 8 * model.classes, columns: model.inputs, storage: rows), tileWidth: 28, tileHeight: 28, columns: 8, scale: 2)
            .write(to: output + "/dbn-samples.png")
        print("  the classifier assigns \(faithful) of \(8 * model.classes) samples to the digit they were drawn for")
        print("  wrote \(output)/dbn.npz and dbn-samples.png (one row per digit 0–9, 500 Gibbs steps in the top RBM)")
    }
}
