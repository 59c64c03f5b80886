import EnergyCore
import EnergyFormats
import Foundation
@testable import RBM
import TestSupport
import Testing

@Suite("RBM training")
struct TrainingTests {
    /// The exact gradient of the mean log-likelihood of `data` with respect to W, by enumerating
    /// every visible state: E_data[v P(h|v)ᵀ] − E_model[v P(h|v)ᵀ].
    static func exactWeightGradient(_ rbm: RestrictedBoltzmannMachine, _ data: Matrix<Float>) -> [Double] {
        let d = rbm.visibleCount
        let states = Matrix(ModelTests.states(d))
        let f = rbm.freeEnergy(states)
        let logZ = logSumExp(f.map { -$0 })
        let pModel = f.map { exp(-$0 - logZ) }
        let hModel = rbm.hiddenProbabilities(states), hData = rbm.hiddenProbabilities(data)
        var g = [Double](repeating: 0, count: d * rbm.hiddenCount)
        for i in 0..<d {
            for j in 0..<rbm.hiddenCount {
                var positive = 0.0, negative = 0.0
                for r in 0..<data.rows { positive += Double(data[r, i] * hData[r, j]) }
                for s in 0..<states.rows { negative += pModel[s] * Double(states[s, i] * hModel[s, j]) }
                g[i * rbm.hiddenCount + j] = positive / Double(data.rows) - negative
            }
        }
        return g
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        return dot / (a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot())
    }

    /// The trainer's own update, averaged over many mini-batches: with ε = 1, μ = 0 and λ = 0 one
    /// update of W is exactly the CD (or PCD) gradient estimate.
    static func estimatedGradient(_ rbm: RestrictedBoltzmannMachine, _ data: Matrix<Float>, sampling: GibbsSampling, updates: Int) throws -> [Double] {
        var sum = [Double](repeating: 0, count: rbm.weights.storage.count)
        var config = RBMTrainer.Configuration()
        config.sampling = sampling
        config.batchSize = data.rows
        config.learningRate = 1
        config.decay = .none
        config.initialMomentum = 0
        config.finalMomentum = 0
        config.weightDecay = 0
        config.epochs = 1
        let random = RandomSource(seed: 5)
        for _ in 0..<updates {
            let trainer = try RBMTrainer(model: rbm, configuration: config, random: random)
            _ = try trainer.trainEpoch(data)
            for k in sum.indices { sum[k] += Double(trainer.model.weights.storage[k] - rbm.weights.storage[k]) }
        }
        return sum.map { $0 / Double(updates) }
    }

    @Test("CD gradients point the way of the exact log-likelihood gradient on a tiny RBM")
    func cdGradient() throws {
        let rbm = ModelTests.tiny(.bernoulli, visible: 6, hidden: 4, seed: 3)
        let random = RandomSource(seed: 8)
        var data = Matrix<Float>(rows: 50, columns: 6, repeating: 0.3)
        for r in 0..<50 { for i in 0..<3 { data[r, i] = 0.8 } }  // data unlike the model
        random.sampleBernoulli(&data.storage)
        let exact = Self.exactWeightGradient(rbm, data)
        let cd1 = try Self.estimatedGradient(rbm, data, sampling: .contrastiveDivergence(steps: 1), updates: 300)
        let cd10 = try Self.estimatedGradient(rbm, data, sampling: .contrastiveDivergence(steps: 10), updates: 300)
        let c1 = Self.cosine(cd1, exact), c10 = Self.cosine(cd10, exact)
        #expect(c1 > 0.7, "CD-1 cosine \(c1)")
        #expect(c10 > 0.9, "CD-10 cosine \(c10)")
        #expect(c10 > c1 - 0.02, "more Gibbs steps should not point worse: CD-1 \(c1), CD-10 \(c10)")
    }

    @Test("checkpoint and resume give the same weights as an uninterrupted run", arguments: [
        GibbsSampling.contrastiveDivergence(steps: 2), .persistent(chains: 20, steps: 1)])
    func resume(_ sampling: GibbsSampling) throws {
        let dir = TemporaryFolder()
        let random = RandomSource(seed: 1)
        var data = Matrix<Float>(rows: 300, columns: 16, repeating: 0.4)
        random.sampleBernoulli(&data.storage)
        var config = RBMTrainer.Configuration()
        config.sampling = sampling
        config.epochs = 4
        config.batchSize = 32
        config.learningRate = 0.1
        config.sparsityTarget = 0.1
        config.sparsityCost = 0.01
        func fresh() throws -> RBMTrainer {
            let r = RandomSource(seed: 42)
            let model = RestrictedBoltzmannMachine.initialized(visible: 16, hidden: 8, data: data, random: r)
            return try RBMTrainer(model: model, configuration: config, random: r)
        }
        let straight = try fresh()
        for _ in 0..<4 { _ = try straight.trainEpoch(data) }

        let first = try fresh()
        for _ in 0..<2 { _ = try first.trainEpoch(data) }
        try first.writeCheckpoint(to: dir.file("c.npz"))
        let resumed = try RBMTrainer(resumingFrom: dir.file("c.npz"), configuration: config)
        #expect(resumed.epochsDone == 2)
        for _ in 0..<2 { _ = try resumed.trainEpoch(data) }
        #expect(resumed.model == straight.model)
        #expect(resumed.model.weights.storage.elementsEqual(straight.model.weights.storage) { $0.bitPattern == $1.bitPattern })

        // Other settings are refused.
        var other = config
        other.learningRate = 0.2
        #expect(throws: InputError.self) { try RBMTrainer(resumingFrom: dir.file("c.npz"), configuration: other) }
    }

    @Test("training that diverges stops with a message")
    func divergence() throws {
        var data = Matrix<Float>(rows: 1000, columns: 8, repeating: 3)
        RandomSource(seed: 1).fillGaussian(&data.storage, mean: 0, sigma: 100)
        var config = RBMTrainer.Configuration()
        config.sampling = .contrastiveDivergence(steps: 1)
        config.batchSize = 10
        config.learningRate = 1e30
        config.epochs = 1
        let r = RandomSource(seed: 2)
        let trainer = try RBMTrainer(model: .initialized(visible: 8, hidden: 4, visibleUnits: .gaussian, data: data, random: r),
                                     configuration: config, random: r)
        #expect {
            _ = try trainer.trainEpoch(data)
        } throws: { error in
            (error as? NumericalError)?.message.contains("training diverged in epoch 1") ?? false
        }
    }

    @Test("a few epochs of CD-1 on MNIST raise the pseudo-likelihood and lower the reconstruction error",
          .enabled(if: FileManager.default.fileExists(atPath: mnistTrainImages)))
    func learnsMNIST() throws {
        let data = try DataMatrix.load(mnistTrainImages).rows(0..<2000)
        var config = RBMTrainer.Configuration()
        config.sampling = .contrastiveDivergence(steps: 1)
        config.epochs = 5
        config.learningRate = 0.05
        let r = RandomSource(seed: 3)
        let trainer = try RBMTrainer(model: .initialized(visible: 784, hidden: 50, data: data, random: r), configuration: config, random: r)
        let reports = try (0..<5).map { _ in try trainer.trainEpoch(data) }
        #expect(reports.last!.reconstructionError < reports.first!.reconstructionError)
        #expect(reports.last!.pseudoLikelihood! > reports.first!.pseudoLikelihood!)
    }
}

/// The MNIST images shipped in Data/mnist.
let mnistTrainImages = dataFolder + "/mnist/train-images-idx3-ubyte.gz"
let mnistTestImages = dataFolder + "/mnist/t10k-images-idx3-ubyte.gz"
