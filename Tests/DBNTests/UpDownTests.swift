import DBN
import EnergyCore
import EnergyFormats
import Foundation
import RBM
import TestSupport
import Testing

@Suite("DBN up-down fine-tuning of the generative model")
struct UpDownTests {
    let dir = TemporaryFolder()

    /// A pretrained stack with a generative top on the toy problem (12 inputs, 3 classes), briefly
    /// pretrained so that up-down has something to improve.
    func pretrained(_ x: Matrix<Float>, _ y: [Int]) throws -> LayerStack {
        var pre = Pretrainer.Configuration(layers: [10, 8], epochs: [3])
        for k in pre.training.indices { pre.training[k].batchSize = 20 }
        return try Pretrainer(configuration: pre, random: RandomSource(seed: 3)).train(x, labels: y, classes: 3)
    }

    @Test("up-down lowers the generative model's reconstruction error on a toy problem, and unties the recognition weights")
    func lowersReconstructionError() throws {
        let (x, y) = toyProblem(rows: 600)
        let stack = try pretrained(x, y)
        #expect(stack.recognitionWeights == nil)
        let before = GenerativeReconstruction.error(stack, data: x, labels: y)
        var errors: [Double] = []
        let tuner = try UpDownFineTuner(configuration: .init(epochs: 30, batchSize: 20, learningRate: 0.05), random: RandomSource(seed: 4))
        let tuned = try tuner.train(stack, data: x, labels: y) { errors.append($0.reconstructionError) }
        let after = GenerativeReconstruction.error(tuned, data: x, labels: y)
        #expect(errors.count == 30 && abs(errors.last! - after) < 1e-12)
        #expect(after < 0.8 * before, "reconstruction error \(before) → \(after)")
        // The recognition weights are untied: they differ from the generative ones they started as.
        let recognition = try #require(tuned.recognitionWeights)
        #expect(recognition.count == 1 && recognition[0] != tuned.layers[0].weights)
        #expect(tuned.sizes == stack.sizes && tuned.labelUnits == 3)
        // Same seed, same result.
        let again = try UpDownFineTuner(configuration: .init(epochs: 30, batchSize: 20, learningRate: 0.05), random: RandomSource(seed: 4))
            .train(stack, data: x, labels: y)
        #expect(again == tuned)
    }

    @Test("the reconstruction error is the mean squared error of the up, top and down passes, checked by hand on one layer")
    func reconstructionByHand() throws {
        let (x, y) = toyProblem(rows: 50)
        let stack = try pretrained(x, y)
        let bottom = stack.layers[0], top = stack.layers[1]
        var total = 0.0
        for r in 0..<x.rows {
            let p = bottom.hiddenProbabilities(x.rows(r..<(r + 1)))
            var joined = Matrix<Float>(rows: 1, columns: top.visibleCount)
            for j in 0..<p.columns { joined[0, j] = p[0, j] }
            joined[0, p.columns + y[r]] = 1
            let back = top.visibleMeans(top.hiddenProbabilities(joined))
            let v = bottom.visibleMeans(back.columnsPrefix(p.columns))
            for j in 0..<x.columns { total += Double((x[r, j] - v[0, j]) * (x[r, j] - v[0, j])) }
        }
        #expect(abs(GenerativeReconstruction.error(stack, data: x, labels: y) - total / Double(x.rows * x.columns)) < 1e-6)
    }

    @Test("a model file keeps the untied recognition weights, and refuses recognition weights of another shape")
    func files() throws {
        let (x, y) = toyProblem(rows: 200)
        let tuned = try UpDownFineTuner(configuration: .init(epochs: 2, batchSize: 20), random: RandomSource(seed: 1))
            .train(try pretrained(x, y), data: x, labels: y)
        let classifier = FeedForwardNetwork(unrolling: tuned, classes: 3, random: RandomSource(seed: 2))
        let model = DeepBeliefNetwork(stack: tuned, classifier: classifier)
        let metadata = DBNModelFile.Metadata(model: model, pretraining: nil, fineTuning: nil, validationError: nil, epochs: nil)
        try DBNModelFile.write(model, metadata: metadata, to: dir.file("m.npz"))
        let read = try DBNModelFile.read(dir.file("m.npz")).model
        #expect(read.stack == tuned)
        // A recognition matrix of the wrong shape names the layer.
        var archive = try NumpyArchive.read(dir.file("m.npz"))
        archive["recognition0_W"] = NumpyArray(Matrix<Float>(rows: 3, columns: 3))
        try archive.write(to: dir.file("bad.npz"))
        #expect(throws: InputError.self) { _ = try DBNModelFile.read(dir.file("bad.npz")) }
    }

    @Test("up-down needs a generative top: the trainer's configuration and the tuner refuse a stack without labels")
    func refusals() throws {
        var c = DBNTrainer.Configuration(pretraining: .init(layers: [10, 8], generativeTop: false), generativeFineTuning: .init())
        #expect(throws: ConfigurationError(field: "generativeFineTuning", "up-down fine-tuning needs pretraining with a generative top layer (label units)")) {
            try c.validate()
        }
        c = DBNTrainer.Configuration(pretraining: .init(layers: [10, 8]), generativeFineTuning: .init(learningRate: 0))
        #expect((try? c.validate()) == nil)
        let (x, y) = toyProblem(rows: 100)
        var pre = Pretrainer.Configuration(layers: [10, 8], epochs: [1], generativeTop: false)
        for k in pre.training.indices { pre.training[k].batchSize = 20 }
        let plain = try Pretrainer(configuration: pre, random: RandomSource(seed: 1)).train(x, labels: y, classes: 3)
        #expect(throws: InputError.self) { _ = try UpDownFineTuner(configuration: .init(epochs: 1), random: RandomSource(seed: 1)).train(plain, data: x, labels: y) }
    }
}

extension Matrix {
    /// The first `n` columns of every row.
    func columnsPrefix(_ n: Int) -> Matrix {
        var out = Matrix(rows: rows, columns: n)
        for r in 0..<rows { for c in 0..<n { out[r, c] = self[r, c] } }
        return out
    }
}
