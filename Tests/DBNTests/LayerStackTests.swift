import DBN
import EnergyCore
import RBM
import Testing

@Suite("Layer stack")
struct LayerStackTests {
    @Test("the up-pass composes the hidden probabilities of each RBM")
    func upPass() throws {
        let r = RandomSource(seed: 1)
        var a = RestrictedBoltzmannMachine(visible: 6, hidden: 4), b = RestrictedBoltzmannMachine(visible: 4, hidden: 3)
        r.fillGaussian(&a.weights.storage)
        r.fillGaussian(&b.weights.storage)
        r.fillGaussian(&b.hiddenBias)
        let stack = try LayerStack([a, b])
        #expect(stack.sizes == [6, 4, 3])
        var data = Matrix<Float>(rows: 5, columns: 6)
        r.fillUniform(&data.storage)
        let up = stack.upPass(data)
        #expect(up.count == 2)
        #expect(up[0] == a.hiddenProbabilities(data))
        #expect(up[1] == b.hiddenProbabilities(a.hiddenProbabilities(data)))
    }

    @Test("layers whose sizes do not chain are refused")
    func mismatch() {
        let a = RestrictedBoltzmannMachine(visible: 6, hidden: 4), b = RestrictedBoltzmannMachine(visible: 5, hidden: 3)
        #expect(throws: InputError(file: "model.npz", .record(1), "layer 1 has 5 visible units; expected 4, the hidden units of layer 0")) {
            try LayerStack([a, b], source: "model.npz")
        }
        let g = RestrictedBoltzmannMachine(visible: 4, hidden: 3, visibleUnits: .gaussian)
        #expect(throws: InputError.self) { try LayerStack([a, g]) }
    }
}
