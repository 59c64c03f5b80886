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
        var pre = PretrainingConfiguration(layers: [32, 32], epochs: [2], generativeTop: false)
        for k in pre.training.indices { pre.training[k].batchSize = 20; pre.training[k].sampling = .contrastiveDivergence(steps: 1) }
        let stack = try Pretraining.run(data: train, labels: labels, classes: 2, configuration: pre, random: random)
        var fine = FineTuningConfiguration()
        fine.epochs = 100
        fine.patience = 100
        fine.batchSize = 20
        fine.inputDropout = 0
        fine.hiddenDropout = 0
        fine.learningRate = 0.5
        let tuner = try FineTuner(network: FeedForwardNetwork(unrolling: stack, classes: 2, random: random), configuration: fine, random: random)
        while !tuner.stopped { _ = try tuner.trainEpoch(train, labels: labels, validation: (test, testLabels)) }
        let accuracy = Classification.evaluate(tuner.best.probabilities(test), labels: testLabels).accuracy
        #expect(accuracy > 0.95)
        // A linear softmax model on the same inputs can at best cut one corner off: 75%.
        var linearConfig = fine
        linearConfig.epochs = 30
        let linear = try FineTuner(network: FeedForwardNetwork(sizes: [16, 2], random: random), configuration: linearConfig, random: random)
        while !linear.stopped { _ = try linear.trainEpoch(train, labels: labels, validation: (test, testLabels)) }
        #expect(Classification.evaluate(linear.best.probabilities(test), labels: testLabels).accuracy < 0.8)
    }

    @Test("a checkpoint resumed after 2 epochs ends with the same weights as 4 uninterrupted epochs")
    func resume() throws {
        let dir = TemporaryFolder()
        let (net, _, _) = smallProblem(seed: 4)
        let random = RandomSource(seed: 5)
        var x = Matrix<Float>(rows: 60, columns: 5)
        random.fillUniform(&x.storage)
        let y = (0..<60).map { _ in random.integer(below: 3) }
        var c = FineTuningConfiguration()
        c.batchSize = 10
        c.epochs = 4
        let straight = try FineTuner(network: net, configuration: c, random: RandomSource(seed: 6))
        for _ in 0..<4 { _ = try straight.trainEpoch(x, labels: y, validation: (x, y)) }
        let first = try FineTuner(network: net, configuration: c, random: RandomSource(seed: 6))
        for _ in 0..<2 { _ = try first.trainEpoch(x, labels: y, validation: (x, y)) }
        try first.writeCheckpoint(to: dir.file("c.npz"), stack: nil, pretraining: nil)
        let (resumed, _) = try FineTuner.resume(from: dir.file("c.npz"), configuration: c)
        for _ in 0..<2 { _ = try resumed.trainEpoch(x, labels: y, validation: (x, y)) }
        #expect(resumed.network == straight.network && resumed.best == straight.best)
        #expect(resumed.averagedNetwork == straight.averagedNetwork && straight.averagedNetwork != straight.network)
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
    @Test("resuming after the first layer gives the same stack as an uninterrupted run")
    func resume() throws {
        let random = RandomSource(seed: 8)
        var x = Matrix<Float>(rows: 200, columns: 12)
        random.fillUniform(&x.storage)
        random.sampleBernoulli(&x.storage)
        let labels = (0..<200).map { _ in random.integer(below: 3) }
        let config = PretrainingConfiguration(layers: [8, 6], epochs: [2])
        var saved: [RestrictedBoltzmannMachine] = []
        let whole = try Pretraining.run(data: x, labels: labels, classes: 3, configuration: config, random: RandomSource(seed: 1),
                                        onLayer: { if saved.isEmpty { saved = $0 } })
        let resumed = try Pretraining.run(data: x, labels: labels, classes: 3, configuration: config, startingWith: saved,
                                          random: RandomSource(seed: 1))
        #expect(whole == resumed)
        #expect(whole.sizes == [12, 8, 6] && whole.labelUnits == 3 && whole.layers[1].visibleCount == 11)
    }

    @Test("the default pretraining is CD-1 for 20 epochs per layer, and CD-10 for 10 epochs for a label-joined top")
    func pretrainingDefaults() {
        let generative = PretrainingConfiguration()
        #expect(generative.training.map(\.sampling) == [.contrastiveDivergence(steps: 1), .contrastiveDivergence(steps: 1), .contrastiveDivergence(steps: 10)])
        #expect(generative.training.map(\.epochs) == [20, 20, 10])
        let plain = PretrainingConfiguration(generativeTop: false)
        #expect(plain.training.allSatisfy { $0.sampling == .contrastiveDivergence(steps: 1) && $0.epochs == 20 } && !plain.generativeTop)
        // One epoch count given applies to every layer, the top included.
        #expect(PretrainingConfiguration(epochs: [6]).training.map(\.epochs) == [6, 6, 6])
    }
}
