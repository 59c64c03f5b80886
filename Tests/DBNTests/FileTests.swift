import DBN
import EnergyCore
import EnergyFormats
import Foundation
import RBM
import TestSupport
import Testing

@Suite("DBN files and generation")
struct DBNFileTests {
    let dir = TemporaryFolder()

    func model(generative: Bool) throws -> DeepBeliefNetwork {
        let random = RandomSource(seed: 1)
        var a = RestrictedBoltzmannMachine(visible: 6, hidden: 4), b = RestrictedBoltzmannMachine(visible: 4 + (generative ? 3 : 0), hidden: 5)
        random.fillGaussian(&a.weights.storage)
        random.fillGaussian(&b.weights.storage)
        let stack = try LayerStack([a, b], labelUnits: generative ? 3 : 0)
        return DeepBeliefNetwork(stack: stack, classifier: FeedForwardNetwork(unrolling: stack, classes: 3, random: random))
    }

    @Test("a model round-trips through its .npz file")
    func roundTrip() throws {
        let m = try model(generative: true)
        let path = dir.file("m.npz")
        try DBNModelFile.write(m, metadata: .init(model: m, pretraining: nil, fineTuning: nil, validationError: 0.1, epochs: 3), to: path)
        let (back, meta) = try DBNModelFile.read(path)
        #expect(back.classifier == m.classifier && back.stack == m.stack)
        #expect(meta.sizes == [6, 4, 5, 3] && meta.labelUnits == 3 && meta.validationError == 0.1)
        // The unrolled classifier uses the top RBM's rows for the data units only.
        #expect(m.classifier.layers[1].weights == m.stack!.layers[1].weights.rows(0..<4))
    }

    @Test("malformed model files are refused with the member named")
    func malformed() throws {
        let m = try model(generative: false)
        var archive = try DBNModelFile.archive(m, metadata: .init(model: m, pretraining: nil, fineTuning: nil, validationError: nil, epochs: nil))
        archive["layer1_W"] = NumpyArray(Matrix<Float>(rows: 3, columns: 5))
        let path = dir.file("bad.npz")
        try archive.write(to: path)
        #expect(throws: InputError(file: path, .entry("layer1_W"), "expected 4 rows (the outputs of layer 0), found 3")) { try DBNModelFile.read(path) }
        archive["layer1_W"] = NumpyArray(Matrix<Float>(rows: 4, columns: 0))
        try archive.write(to: path)
        #expect(throws: InputError(file: path, .entry("layer1_W"), "expected at least one input and one output, found 4×0")) { try DBNModelFile.read(path) }
        let rbmPath = dir.file("rbm.npz")
        try RBMModelFile.write(RestrictedBoltzmannMachine(visible: 2, hidden: 2), metadata: .init(model: RestrictedBoltzmannMachine(visible: 2, hidden: 2)), to: rbmPath)
        #expect(throws: InputError.self) { try DBNModelFile.read(rbmPath) }
    }

    @Test("class-conditional generation clamps the label and needs a generative top")
    func generation() throws {
        let m = try model(generative: true)
        let x = try DBNSampler.samples(m.stack!, label: 2, count: 4, steps: 10, random: RandomSource(seed: 1))
        #expect(x.rows == 4 && x.columns == 6 && x.storage.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(throws: ConfigurationError(field: "label", "expected a class 0–2, got 7")) {
            try DBNSampler.samples(m.stack!, label: 7, count: 1, steps: 1, random: RandomSource(seed: 1))
        }
        let plain = try model(generative: false)
        #expect(throws: InputError.self) { try DBNSampler.samples(plain.stack!, label: 0, count: 1, steps: 1, random: RandomSource(seed: 1)) }
    }
}
