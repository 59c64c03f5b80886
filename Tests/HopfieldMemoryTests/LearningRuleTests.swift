import EnergyCore
import Foundation
@testable import HopfieldMemory
import Testing

@Suite("Learning rules")
struct LearningRuleTests {
    @Test("Hebb's weights are (1/N) Σ ξξᵀ with a zero diagonal, and storing in two steps equals one")
    func hebb() throws {
        let random = RandomSource(seed: 1)
        let p = PatternSet.random(count: 6, neurons: 20, random: random)
        var m = AssociativeMemory(neurons: 20, rule: .hebbian)
        try m.store(p)
        for i in 0..<20 {
            for j in 0..<20 {
                let expected: Float = i == j ? 0 : (0..<6).reduce(0) { $0 + p.values[$1, i] * p.values[$1, j] } / 20
                #expect(abs(m.weights[i, j] - expected) < 1e-6)
            }
        }
        var twice = AssociativeMemory(neurons: 20, rule: .hebbian)
        try twice.store(PatternSet(p.values.rows(0..<2)))
        try twice.store(PatternSet(p.values.rows(2..<6)))
        #expect(zip(twice.weights.storage, m.weights.storage).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(twice.patterns == m.patterns)
    }

    @Test("Storkey's vectorised update equals the rule written element by element")
    func storkey() throws {
        let random = RandomSource(seed: 2)
        let n = 12
        let p = PatternSet.random(count: 4, neurons: n, random: random)
        var m = AssociativeMemory(neurons: n, rule: .storkey)
        try m.store(p)
        // Storkey 1997, literally: w_ij += (ξiξj − ξi h_ji − h_ij ξj)/N with h_ij = Σ_{k≠i,j} w_ik ξk.
        var w = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for mu in 0..<p.count {
            let xi = p.pattern(mu).map(Double.init)
            var next = w
            for i in 0..<n {
                for j in 0..<n where i != j {
                    let hij = (0..<n).filter { $0 != i && $0 != j }.reduce(0.0) { $0 + w[i][$1] * xi[$1] }
                    let hji = (0..<n).filter { $0 != i && $0 != j }.reduce(0.0) { $0 + w[j][$1] * xi[$1] }
                    next[i][j] += (xi[i] * xi[j] - xi[i] * hji - hij * xi[j]) / Double(n)
                }
            }
            w = next
        }
        for i in 0..<n { for j in 0..<n { #expect(abs(Double(m.weights[i, j]) - w[i][j]) < 1e-5) } }
    }

    @Test("the projection rule stores patterns with W ξ = ξ up to the diagonal, and tolerates dependent patterns")
    func projection() throws {
        let random = RandomSource(seed: 3)
        let p = PatternSet.random(count: 10, neurons: 40, random: random)
        var m = AssociativeMemory(neurons: 40, rule: .pseudoinverse)
        try m.store(p)
        #expect(m.rank == 10)
        // W (with diagonal) projects onto the span; zeroing the diagonal leaves W ξ = ξ − diag(P) ξ,
        // whose sign is still ξ since the projector's diagonal entries are below 1.
        for mu in 0..<10 {
            let h = m.weights.multiplied(by: p.pattern(mu))
            #expect(zip(h, p.pattern(mu)).allSatisfy { $0 * $1 > 0 })
        }
        // A pattern repeated and its negation are linearly dependent: the rank stays 10.
        var dependent = p.values.rows(0..<2)
        dependent.scale(by: -1)
        try m.store(PatternSet(dependent))
        #expect(m.rank == 10 && m.patterns.count == 12)
        let results = try m.recall(p, random: random)
        #expect(results.allSatisfy { $0.hamming == 0 })
    }

    @Test("the pseudo-inverse of a singular Gram matrix is the Moore–Penrose inverse")
    func pseudoInverse() throws {
        // C = [[2, 2], [2, 2]] has C⁺ = C / 16.
        let (pinv, rank) = try WeightRules.pseudoInverse(Matrix<Double>([[2, 2], [2, 2]]))
        #expect(rank == 1)
        #expect(zip(pinv.storage, [0.125, 0.125, 0.125, 0.125]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test("the dense memory's drive equals half the energy gap, computed by brute force")
    func denseDrive() throws {
        let random = RandomSource(seed: 5)
        for f in [InteractionFunction.polynomial(degree: 3), .polynomial(degree: 4), .exponential] {
            let p = PatternSet.random(count: 7, neurons: 15, random: random)
            var m = AssociativeMemory(neurons: 15, rule: .dense(f))
            try m.store(p)
            let z = PatternSet.random(count: 1, neurons: 15, random: random).pattern(0)
            // One async sweep from z must move each neuron towards the lower-energy sign.
            let r = try m.recall(PatternSet([z]), maxSweeps: 1, random: RandomSource(seed: 1))[0]
            #expect(r.energies[1] <= r.energies[0] + 1e-6)
            // Energy gap by brute force matches the flip decision on a fixed point.
            if r.converged {
                for i in 0..<15 {
                    var flipped = r.state
                    flipped[i] = -flipped[i]
                    #expect(m.energy(flipped) >= m.energy(r.state) - 1e-6)
                }
            }
        }
    }

    @Test("rule names parse and print")
    func names() {
        #expect(LearningRule.named("hebb") == .hebbian)
        #expect(LearningRule.named("pseudoinverse") == .pseudoinverse)
        #expect(LearningRule.named("dense", degree: 3) == .dense(.polynomial(degree: 3)))
        #expect(LearningRule.named("dense", degree: 0) == .dense(.exponential))
        #expect(LearningRule.named(LearningRule.dense(.polynomial(degree: 5)).name) == .dense(.polynomial(degree: 5)))
        #expect(LearningRule.named("oja") == nil)
    }
}
