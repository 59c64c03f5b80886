import EnergyCore
import Foundation
import RBM
import Testing

@Suite("RBM model")
struct ModelTests {
    /// A tiny RBM with random parameters of a visible type.
    static func tiny(_ units: VisibleUnits, visible: Int = 4, hidden: Int = 3, seed: UInt64 = 1) -> RestrictedBoltzmannMachine {
        let r = RandomSource(seed: seed)
        var rbm = RestrictedBoltzmannMachine(visible: visible, hidden: hidden, visibleUnits: units)
        r.fillGaussian(&rbm.weights.storage, sigma: 1)
        r.fillGaussian(&rbm.visibleBias, sigma: 0.5)
        r.fillGaussian(&rbm.hiddenBias, sigma: 0.5)
        return rbm
    }

    /// All binary vectors of length n.
    static func states(_ n: Int) -> [[Float]] {
        (0..<(1 << n)).map { k in (0..<n).map { Float((k >> $0) & 1) } }
    }

    @Test("P(h_j = 1 | v) equals the brute-force conditional from the energy", arguments: [VisibleUnits.bernoulli, .gaussian])
    func hiddenConditional(_ units: VisibleUnits) {
        let rbm = Self.tiny(units)
        let v: [Float] = units == .bernoulli ? [1, 0, 1, 1] : [0.3, -1.2, 2.0, 0.1]
        let p = rbm.hiddenProbabilities(Matrix(rows: 1, columns: 4, storage: v))
        for j in 0..<3 {
            // Σ_h e^{−E(v,h)} over h with h_j = 1, divided by the sum over all h.
            var on = 0.0, all = 0.0
            for h in Self.states(3) {
                let w = exp(-rbm.energy(visible: v, hidden: h))
                all += w
                if h[j] == 1 { on += w }
            }
            #expect(abs(Double(p[0, j]) - on / all) < 1e-5)
        }
    }

    @Test("P(v_i = 1 | h) for Bernoulli units equals the brute-force conditional")
    func visibleConditional() {
        let rbm = Self.tiny(.bernoulli)
        let h: [Float] = [1, 0, 1]
        let mean = rbm.visibleMeans(Matrix(rows: 1, columns: 3, storage: h))
        for i in 0..<4 {
            var on = 0.0, all = 0.0
            for v in Self.states(4) {
                let w = exp(-rbm.energy(visible: v, hidden: h))
                all += w
                if v[i] == 1 { on += w }
            }
            #expect(abs(Double(mean[0, i]) - on / all) < 1e-5)
        }
    }

    @Test("Gaussian visible units have mean a + W h: the energy is quadratic in v with that minimum")
    func gaussianMean() {
        let rbm = Self.tiny(.gaussian)
        let h: [Float] = [0, 1, 1]
        let mean = rbm.visibleMeans(Matrix(rows: 1, columns: 3, storage: h)).row(0)
        let e0 = rbm.energy(visible: mean, hidden: h)
        for i in 0..<4 {
            var v = mean
            v[i] += 0.1
            // E(μ + δ e_i) − E(μ) = δ²/2 for unit variance.
            #expect(abs(rbm.energy(visible: v, hidden: h) - e0 - 0.005) < 1e-4)
        }
    }

    @Test("F(v) equals −log Σ_h e^{−E(v,h)}", arguments: [VisibleUnits.bernoulli, .gaussian])
    func freeEnergy(_ units: VisibleUnits) {
        let rbm = Self.tiny(units)
        let vs = units == .bernoulli ? Self.states(4) : [[0.5, -0.5, 1.5, 0], [2, 2, -1, 0.25]]
        let f = rbm.freeEnergy(Matrix(vs))
        for (k, v) in vs.enumerated() {
            let z = Self.states(3).reduce(0.0) { $0 + exp(-rbm.energy(visible: v, hidden: $1)) }
            #expect(abs(f[k] - (-log(z))) < 1e-5 * max(1, abs(f[k])))
        }
    }

    @Test("the free energy stays finite for huge inputs")
    func stable() {
        var rbm = RestrictedBoltzmannMachine(visible: 2, hidden: 2)
        rbm.weights = Matrix([[500, -500], [500, -500]])
        let f = rbm.freeEnergy(Matrix([[1, 1]]))
        #expect(f[0].isFinite && abs(f[0] - (-1000)) < 1e-9)
    }
}
