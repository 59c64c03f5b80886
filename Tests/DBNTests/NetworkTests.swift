@testable import DBN
import EnergyCore
import Foundation
import RBM
import TestSupport
import Testing

/// A small random network and batch for gradient checks.
func smallProblem(seed: UInt64) -> (FeedForwardNetwork, Matrix<Float>, [Int]) {
    let random = RandomSource(seed: seed)
    var net = FeedForwardNetwork(sizes: [5, 4, 3, 3], random: random)
    for l in net.layers.indices { random.fillGaussian(&net.layers[l].bias, sigma: 0.5) }
    var x = Matrix<Float>(rows: 6, columns: 5)
    random.fillUniform(&x.storage)
    return (net, x, (0..<6).map { _ in random.integer(below: 3) })
}

@Suite("Feed-forward network and fine-tuning")
struct NetworkTests {
    @Test("backprop gradients of the cross-entropy match central finite differences for every sigmoid and softmax layer")
    func gradients() {
        let (net, x, y) = smallProblem(seed: 1)
        let w = BackpropWorkspace(network: net, batch: x.rows)
        let loss = net.backpropagate(x, labels: y, indices: Array(0..<x.rows)[...], workspace: w)
        #expect(abs(loss - net.loss(x, labels: y[...])) < 1e-5)
        let h: Float = 1e-2
        for l in net.layers.indices {
            for i in 0..<net.layers[l].weights.storage.count {
                var up = net, down = net
                up.layers[l].weights.storage[i] += h
                down.layers[l].weights.storage[i] -= h
                let numeric = (up.loss(x, labels: y[...]) - down.loss(x, labels: y[...])) / Double(2 * h)
                let analytic = Double(w.weightGradient(l).storage[i])
                #expect(abs(numeric - analytic) < 2e-4 + 1e-2 * abs(analytic), "layer \(l) W[\(i)]: \(numeric) vs \(analytic)")
            }
            for j in net.layers[l].bias.indices {
                var up = net, down = net
                up.layers[l].bias[j] += h
                down.layers[l].bias[j] -= h
                let numeric = (up.loss(x, labels: y[...]) - down.loss(x, labels: y[...])) / Double(2 * h)
                #expect(abs(numeric - Double(w.biasGradient(l)[j])) < 2e-4 + 1e-2 * abs(numeric), "layer \(l) b[\(j)]")
            }
        }
    }

    @Test("inference and training share one forward pass: probabilities equal backpropagation's softmax outputs bit for bit")
    func oneForwardPass() {
        let (net, x, y) = smallProblem(seed: 3)
        let w = BackpropWorkspace(network: net, batch: x.rows)
        net.backpropagate(x, labels: y, indices: Array(0..<x.rows)[...], workspace: w)
        let top = net.layers.count
        #expect(Array(w.activations[top].buffer) == net.probabilities(x).storage)
        // More rows than one inference block (256): the blocks are independent of the core count.
        var many = Matrix<Float>(rows: 600, columns: 5)
        RandomSource(seed: 4).fillUniform(&many.storage)
        let p = net.probabilities(many)
        #expect(p.rows == 600 && p.storage.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(net.probabilities(many.rows(300..<600)) == p.rows(300..<600))
    }

    @Test("with dropout, the gradient is that of the network with the dropped units removed")
    func dropoutGradient() {
        let (net, x, y) = smallProblem(seed: 2)
        let w = BackpropWorkspace(network: net, batch: x.rows)
        // Hidden dropout only; the same seed redraws the same masks for each finite-difference loss.
        func lossWithMasks(_ n: FeedForwardNetwork) -> Double {
            let ws = BackpropWorkspace(network: n, batch: x.rows)
            return n.backpropagate(x, labels: y, indices: Array(0..<x.rows)[...], workspace: ws, dropout: (0, 0.4), random: RandomSource(seed: 9))
        }
        _ = net.backpropagate(x, labels: y, indices: Array(0..<x.rows)[...], workspace: w, dropout: (0, 0.4), random: RandomSource(seed: 9))
        let h: Float = 1e-2
        for l in net.layers.indices {
            for i in stride(from: 0, to: net.layers[l].weights.storage.count, by: 3) {
                var up = net, down = net
                up.layers[l].weights.storage[i] += h
                down.layers[l].weights.storage[i] -= h
                let numeric = (lossWithMasks(up) - lossWithMasks(down)) / Double(2 * h)
                let analytic = Double(w.weightGradient(l).storage[i])
                #expect(abs(numeric - analytic) < 2e-4 + 1e-2 * abs(analytic), "layer \(l) W[\(i)]: \(numeric) vs \(analytic)")
            }
        }
    }

    @Test("a small DBN learns the XOR of two noisy binary clusters, which no linear model can separate")
    func xor() throws {
        let random = RandomSource(seed: 3)
        // Two hidden bits a, b, each written into 8 noisy binary inputs (10% of bits flipped); the class
        // is a XOR b. Linear features of the inputs can at best cut one of the four clusters off (75%).
        func sample(_ n: Int) -> (Matrix<Float>, [Int]) {
            var x = Matrix<Float>(rows: n, columns: 16), y = [Int]()
            for r in 0..<n {
                let a = random.integer(below: 2), b = random.integer(below: 2)
                y.append(a ^ b)
                for c in 0..<16 {
                    let bit = c < 8 ? a : b
                    x[r, c] = Float(random.bernoulli(0.1) ? 1 - bit : bit)
                }
            }
            return (x, y)
        }
        let (train, labels) = sample(2000), (test, testLabels) = sample(500)
        var pre = Pretrainer.Configuration(layers: [32, 32], epochs: [2], generativeTop: false)
        for k in pre.training.indices { pre.training[k].batchSize = 20; pre.training[k].sampling = .contrastiveDivergence(steps: 1) }
        let stack = try Pretrainer(configuration: pre, random: random).train(train, labels: labels, classes: 2)
        let fine = FineTuner.Configuration(epochs: 100, batchSize: 20, learningRate: 0.5, inputDropout: 0, hiddenDropout: 0, patience: 100)
        let tuner = try FineTuner(model: FeedForwardNetwork(unrolling: stack, classes: 2, random: random), configuration: fine, random: random)
        try tuner.train(train, labels: labels, validation: (test, testLabels))
        let accuracy = Classification.evaluate(tuner.best.probabilities(test), labels: testLabels).accuracy
        #expect(accuracy > 0.95)
        // A linear softmax model on the same inputs can at best cut one corner off: 75%.
        var linearConfig = fine
        linearConfig.epochs = 30
        let linear = try FineTuner(model: FeedForwardNetwork(sizes: [16, 2], random: random), configuration: linearConfig, random: random)
        try linear.train(train, labels: labels, validation: (test, testLabels))
        #expect(Classification.evaluate(linear.best.probabilities(test), labels: testLabels).accuracy < 0.8)
    }

    /// 60 random rows of 5 inputs in 3 classes.
    func resumeProblem() -> (Matrix<Float>, [Int]) {
        let random = RandomSource(seed: 5)
        var x = Matrix<Float>(rows: 60, columns: 5)
        random.fillUniform(&x.storage)
        return (x, (0..<60).map { _ in random.integer(below: 3) })
    }

    @Test("a checkpoint resumed after 2 epochs ends with the same weights as 4 uninterrupted epochs")
    func resume() throws {
        let dir = TemporaryFolder()
        let (net, _, _) = smallProblem(seed: 4)
        let (x, y) = resumeProblem()
        let c = FineTuner.Configuration(epochs: 4, batchSize: 10, seed: 6)
        let straight = try FineTuner(model: net, configuration: c)
        try straight.train(x, labels: y, validation: (x, y))
        #expect(straight.epochsDone == 4)
        let first = try FineTuner(model: net, configuration: c)
        for _ in 0..<2 { _ = try first.trainEpoch(x, labels: y, validation: (x, y)) }
        try first.writeCheckpoint(to: dir.file("c.npz"))
        let resumed = try FineTuner(resumingFrom: dir.file("c.npz"), configuration: c)
        #expect(resumed.epochsDone == 2)
        try resumed.train(x, labels: y, validation: (x, y))
        #expect(resumed.model == straight.model && resumed.best == straight.best)
        #expect(resumed.averagedModel == straight.averagedModel && straight.averagedModel != straight.model)
        // Other settings than the epochs are refused.
        var other = c
        other.learningRate = 0.2
        #expect(throws: InputError.self) { try FineTuner(resumingFrom: dir.file("c.npz"), configuration: other) }
    }

    @Test("train runs trainEpoch to the last epoch, writing the checkpoint before each report")
    func trainLoop() throws {
        let dir = TemporaryFolder()
        let (net, _, _) = smallProblem(seed: 4)
        let (x, y) = resumeProblem()
        let c = FineTuner.Configuration(epochs: 3, batchSize: 10, averaging: nil, seed: 2)
        let manual = try FineTuner(model: net, configuration: c)
        var manualLosses: [Double] = []
        while !manual.stopped { manualLosses.append(try manual.trainEpoch(x, labels: y, validation: (x, y)).trainingLoss) }
        let looped = try FineTuner(model: net, configuration: c)
        var losses: [Double] = [], checkpointEpochs: [Int] = []
        try looped.train(x, labels: y, validation: (x, y), checkpoint: dir.file("c.npz")) { report in
            losses.append(report.trainingLoss)
            checkpointEpochs.append(try FineTuner(resumingFrom: dir.file("c.npz"), configuration: c).epochsDone)
        }
        #expect(losses == manualLosses && checkpointEpochs == [1, 2, 3])
        #expect(looped.model == manual.model && looped.best == manual.best)
    }

    @Test("a diverging run throws NumericalError naming the last good checkpoint, which is kept")
    func divergence() throws {
        let dir = TemporaryFolder()
        let (net, _, _) = smallProblem(seed: 4)
        let (x, y) = resumeProblem()
        let wild = FineTuner.Configuration(epochs: 5, batchSize: 10, learningRate: 1e38, averaging: nil)
        let tuner = try FineTuner(model: net, configuration: wild)
        let error = #expect(throws: NumericalError.self) { try tuner.train(x, labels: y, checkpoint: dir.file("c.npz")) }
        // The first epoch stays finite and is checkpointed; a later one diverges.
        #expect(error?.message.contains("try a smaller learningRate") == true)
        #expect(error?.message.hasSuffix("; the last good checkpoint is kept: \(dir.file("c.npz"))") == true, "\(String(describing: error))")
        let kept = try FineTuner(resumingFrom: dir.file("c.npz"), configuration: wild)
        #expect(kept.epochsDone >= 1 && kept.epochsDone == tuner.epochsDone)
        #expect(kept.model.layers.allSatisfy { $0.weights.isFinite && $0.bias.allFinite })
    }

    @Test("output-layer epochs: the top layer's gradient is the full pass's, and the layers below stay fixed until those epochs end")
    func outputLayerEpochs() throws {
        let (net, x, y) = smallProblem(seed: 5)
        let full = BackpropWorkspace(network: net, batch: x.rows), top = BackpropWorkspace(network: net, batch: x.rows)
        let indices = Array(0..<x.rows)[...], last = net.layers.count - 1
        let loss = net.backpropagate(x, labels: y, indices: indices, workspace: full)
        #expect(net.backpropagate(x, labels: y, indices: indices, workspace: top, fromLayer: last) == loss)
        #expect(top.weightGradient(last) == full.weightGradient(last) && top.biasGradient(last) == full.biasGradient(last))
        // Two epochs of the output layer alone, then one of all layers (dropout on: masks are drawn either way).
        let tuner = try FineTuner(model: net, configuration: .init(epochs: 3, batchSize: 3, averaging: nil, outputLayerEpochs: 2))
        for _ in 0..<2 { try tuner.trainEpoch(x, labels: y) }
        #expect(tuner.model.layers[..<last] == net.layers[..<last] && tuner.model.layers[last] != net.layers[last])
        try tuner.trainEpoch(x, labels: y)
        #expect(tuner.model.layers[0] != net.layers[0] && tuner.model.layers[1] != net.layers[1])
        // More output-layer epochs than epochs is refused by name; a file without the field reads as 0.
        #expect(throws: ConfigurationError(field: "outputLayerEpochs", "expected 0 to 3 epochs (of the 3 fine-tuning epochs), got 4")) {
            try FineTuner.Configuration(epochs: 3, outputLayerEpochs: 4).validate()
        }
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(FineTuner.Configuration(epochs: 7))) as? [String: Any] ?? [:]
        #expect(json["outputLayerEpochs"] as? Int == 0)
        json["outputLayerEpochs"] = nil
        let old = try JSONDecoder().decode(FineTuner.Configuration.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old == FineTuner.Configuration(epochs: 7))
    }

    @Test("labels that do not fit the network are refused, not written out of bounds")
    func badLabels() throws {
        let (net, x, _) = smallProblem(seed: 4)
        let tuner = try FineTuner(model: net, configuration: .init(epochs: 1, batchSize: 3))
        #expect(throws: InputError(file: "training data labels", .record(2), "expected a class label 0–2, found 3")) {
            try tuner.trainEpoch(x, labels: [0, 1, 3, 0, 1, 2])
        }
        #expect(throws: InputError.self) { try tuner.trainEpoch(x, labels: [0, 1]) }
    }

    @Test("configuration errors name the field")
    func configurationErrors() {
        #expect(throws: ConfigurationError(field: "learningRate", "expected a learning rate > 0, got 0.0")) {
            try FineTuner.Configuration(learningRate: 0).validate()
        }
        #expect(throws: ConfigurationError(field: "hiddenDropout", "expected a probability in [0, 1), got 1.0")) {
            try FineTuner.Configuration(hiddenDropout: 1).validate()
        }
        #expect(throws: ConfigurationError.self) { try FineTuner(model: smallProblem(seed: 1).0, configuration: .init(batchSize: 0)) }
        // The memberwise defaults are the documented ones; a nil rate follows the optimizer.
        #expect(FineTuner.Configuration().learningRate == 0.5 && FineTuner.Configuration(optimizer: .adam).learningRate == 0.001)
    }

    @Test("the kept weights are the moving average w̄ ← α_t w̄ + (1 − α_t) w of the SGD iterates, α_t = min(α, (1 + t)/(10 + t))")
    func averaging() {
        let (start, x, y) = smallProblem(seed: 7)
        var net = start
        let w = BackpropWorkspace(network: net, batch: x.rows)
        var state = OptimizerState(for: net, averaging: true)
        let alpha: Float = 0.3
        var expected = start.layers.flatMap { [$0.weights.storage, $0.bias] }
        for t in 1...12 {
            net.backpropagate(x, labels: y, indices: Array(0..<x.rows)[...], workspace: w)
            state.step(&net, w, kind: .sgd, learningRate: 0.5, momentum: 0.9, weightDecay: 0, averageDecay: alpha)
            let now = net.layers.flatMap { [$0.weights.storage, $0.bias] }
            let a = min(alpha, Float(1 + t) / Float(10 + t))  // 2/11 and 3/12, then α = 0.3 from t = 3 on
            for k in expected.indices { for i in expected[k].indices { expected[k][i] = a * expected[k][i] + (1 - a) * now[k][i] } }
        }
        let averaged = state.averaged(like: net).layers.flatMap { [$0.weights.storage, $0.bias] }
        for k in expected.indices {
            for i in expected[k].indices { #expect(abs(averaged[k][i] - expected[k][i]) < 1e-5, "parameter \(k)[\(i)]") }
        }
        // The average lags the iterates: it is neither the start nor the end.
        #expect(state.averaged(like: net) != net && state.averaged(like: net) != start)
    }
}

@Suite("Greedy pretraining")
struct PretrainingTests {
    /// 200 binary rows of 12 units in 3 classes.
    func problem() -> (Matrix<Float>, [Int]) {
        let random = RandomSource(seed: 8)
        var x = Matrix<Float>(rows: 200, columns: 12)
        random.fillUniform(&x.storage)
        random.sampleBernoulli(&x.storage)
        return (x, (0..<200).map { _ in random.integer(below: 3) })
    }

    struct Interrupted: Error {}

    @Test("resuming from the checkpoint written after the first layer gives the same stack as an uninterrupted run")
    func resume() throws {
        let dir = TemporaryFolder()
        let (x, labels) = problem()
        let config = Pretrainer.Configuration(layers: [8, 6], epochs: [2])
        let whole = try Pretrainer(configuration: config).train(x, labels: labels, classes: 3)
        // Stopped in the second layer's first epoch: the checkpoint holds the first layer.
        #expect(throws: Interrupted.self) {
            try Pretrainer(configuration: config).train(x, labels: labels, classes: 3, checkpoint: dir.file("p.npz")) { report in
                if report.layer == 2 { throw Interrupted() }
            }
        }
        let resumed = try Pretrainer(resumingFrom: dir.file("p.npz"), configuration: config)
        #expect(resumed.trained.count == 1 && !resumed.finished)
        #expect(try resumed.train(x, labels: labels, classes: 3) == whole)
        #expect(whole.sizes == [12, 8, 6] && whole.labelUnits == 3 && whole.layers[1].visibleCount == 11)
        // A checkpoint of another depth, or data of another width, is refused by name.
        #expect(throws: InputError.self) { try Pretrainer(resumingFrom: dir.file("p.npz"), configuration: .init(layers: [8, 6, 4])) }
        #expect(throws: InputError.self) {
            try Pretrainer(resumingFrom: dir.file("p.npz"), configuration: config).train(x.columnsSlice(0..<10), labels: labels, classes: 3)
        }
    }

    @Test("the default pretraining is uncentred CD-1 for 20 epochs per layer, and CD-10 for 10 epochs for a label-joined top")
    func pretrainingDefaults() {
        let generative = Pretrainer.Configuration()
        #expect(generative.training.map(\.sampling) == [.contrastiveDivergence(steps: 1), .contrastiveDivergence(steps: 1), .contrastiveDivergence(steps: 10)])
        #expect(generative.training.map(\.epochs) == [20, 20, 10])
        // The DBN's layers keep the recipe its accuracy was measured with, not the RBM module's own
        // (centred PCD) defaults.
        #expect(generative.training.allSatisfy { !$0.centring && $0.weightDecay == 0.0002 && $0.batchSize == 100 })
        let plain = Pretrainer.Configuration(generativeTop: false)
        #expect(plain.training.allSatisfy { $0.sampling == .contrastiveDivergence(steps: 1) && $0.epochs == 20 } && !plain.generativeTop)
        // One epoch count given applies to every layer, the top included.
        #expect(Pretrainer.Configuration(epochs: [6]).training.map(\.epochs) == [6, 6, 6])
        // The seed is every layer's seed.
        var seeded = Pretrainer.Configuration(seed: 4)
        #expect(seeded.training.allSatisfy { $0.seed == 4 } && seeded.seed == 4)
        seeded.seed = 9
        #expect(seeded.training.allSatisfy { $0.seed == 9 })
    }

    @Test("configuration errors name the field, nested under the layer")
    func configurationErrors() {
        #expect(throws: ConfigurationError(field: "layers[1]", "expected a positive layer size, got 0")) {
            try Pretrainer.Configuration(layers: [10, 0]).validate()
        }
        var c = Pretrainer.Configuration()
        c.training[2].seed = 5
        #expect(throws: ConfigurationError(field: "training[2].seed", "expected the pretraining's seed 1 (every layer draws from one stream), got 5")) {
            try c.validate()
        }
        c = Pretrainer.Configuration()
        c.training.removeLast()
        #expect(throws: ConfigurationError(field: "training", "expected one setting per layer (3), got 2")) { try c.validate() }
    }
}
