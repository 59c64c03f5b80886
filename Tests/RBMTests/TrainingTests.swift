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
        // Uncentred: this is the plain CD/PCD estimate (the centred step has its own test in FrontierTests).
        var config = RBMTrainer.Configuration(sampling: sampling, epochs: 1, batchSize: data.rows, learningRate: 1, decay: .none,
                                              initialMomentum: 0, finalMomentum: 0, weightDecay: 0, centring: false)
        for u in 0..<updates {
            // Each update on its own stream.
            config.seed = 5 + UInt64(u)
            let trainer = try RBMTrainer(model: rbm, configuration: config)
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
        let config = RBMTrainer.Configuration(sampling: sampling, epochs: 4, batchSize: 32, learningRate: 0.1,
                                              sparsityTarget: 0.1, sparsityCost: 0.01, seed: 42)
        func fresh() throws -> RBMTrainer { try RBMTrainer(hidden: 8, data: data, configuration: config) }
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
        let config = RBMTrainer.Configuration(sampling: .contrastiveDivergence(steps: 1), epochs: 1, batchSize: 10, learningRate: 1e30, seed: 2)
        let trainer = try RBMTrainer(hidden: 4, visibleUnits: .gaussian, data: data, configuration: config)
        #expect {
            _ = try trainer.trainEpoch(data)
        } throws: { error in
            (error as? NumericalError)?.message.contains("training diverged in epoch 1") ?? false
        }
    }

    @Test("the sparse products give the dense GEMMs' updates up to rounding, and repeat exactly", arguments: [
        GibbsSampling.contrastiveDivergence(steps: 1), .persistent(chains: 40, steps: 2)])
    func sparseEqualsDense(_ sampling: GibbsSampling) throws {
        // MNIST digits (81% zeros) and hidden units biased off, so that every product is sparse,
        // hWᵀ included (hidden samples about 12% ones).
        let data = try DataMatrix.load(mnistTestImages).rows(0..<200)
        let random = RandomSource(seed: 21)
        var weights = Matrix<Float>(rows: 784, columns: 64)
        random.fillGaussian(&weights.storage, sigma: 0.01)
        let model = RestrictedBoltzmannMachine(weights: weights, visibleBias: [Float](repeating: -1, count: 784),
                                               hiddenBias: [Float](repeating: -2, count: 64))
        // Uncentred: the centred update multiplies the dense v − μ, so only uncentred runs take the sparse update.
        let config = RBMTrainer.Configuration(sampling: sampling, epochs: 1, batchSize: 50, learningRate: 0.1, seed: 4, centring: false)
        func run(sparse: Bool) throws -> RBMTrainer {
            let trainer = try RBMTrainer(model: model, configuration: config)
            trainer.sparseProducts = sparse
            _ = try trainer.trainEpoch(data)
            return trainer
        }
        let dense = try run(sparse: false), sparse = try run(sparse: true), again = try run(sparse: true)
        #expect(sparse.usedSparseProducts == (update: true, transposed: true))
        #expect(dense.usedSparseProducts == (update: false, transposed: false))
        func largest(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }
        // 4 updates of size about 1e-3: summation order changes the last bits only.
        let dw = largest(sparse.model.weights.storage, dense.model.weights.storage)
        let da = largest(sparse.model.visibleBias, dense.model.visibleBias), db = largest(sparse.model.hiddenBias, dense.model.hiddenBias)
        #expect(dw < 1e-6 && da < 1e-6 && db < 1e-6, "largest differences: W \(dw), a \(da), b \(db)")
        #expect(largest(dense.model.weights.storage, weights.storage) > 1e-4, "the updates moved W")
        // Same seed, same blocks: the same numbers, bit for bit.
        #expect(again.model == sparse.model)
    }

    @Test("a few epochs of CD-1 on MNIST raise the pseudo-likelihood and lower the reconstruction error")
    func learnsMNIST() throws {
        let data = try DataMatrix.load(mnistTrainImages).rows(0..<2000)
        let config = RBMTrainer.Configuration(sampling: .contrastiveDivergence(steps: 1), epochs: 5, learningRate: 0.05, seed: 3)
        let trainer = try RBMTrainer(hidden: 50, data: data, configuration: config)
        let reports = try (0..<5).map { _ in try trainer.trainEpoch(data) }
        #expect(reports.last!.reconstructionError < reports.first!.reconstructionError)
        #expect(reports.last!.pseudoLikelihood! > reports.first!.pseudoLikelihood!)
    }
}

/// The MNIST images shipped in Data/mnist.
let mnistTrainImages = dataFolder + "/mnist/train-images-idx3-ubyte.gz"
let mnistTestImages = dataFolder + "/mnist/t10k-images-idx3-ubyte.gz"
