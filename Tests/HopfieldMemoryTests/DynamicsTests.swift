import EnergyCore
import Foundation
import HopfieldMemory
import Testing

@Suite("Hopfield dynamics")
struct DynamicsTests {
    static let rules: [LearningRule] = [.hebbian, .storkey, .pseudoinverse, .dense(.polynomial(degree: 3)), .dense(.exponential)]

    @Test("energy never rises under asynchronous updates", arguments: DynamicsTests.rules)
    func energyMonotone(_ rule: LearningRule) throws {
        let random = RandomSource(seed: 21)
        // Overloaded on purpose (α = 0.3 for the pairwise rules) so recall wanders through many flips.
        let stored = PatternSet.random(count: 30, neurons: 100, random: random)
        var memory = AssociativeMemory(neurons: 100, rule: rule)
        try memory.store(stored)
        let probes = PatternSet.random(count: 20, neurons: 100, random: random)
        let results = try memory.recall(probes, mode: .asynchronous, random: random)
        var sweepsWithFlips = 0
        for r in results {
            for (a, b) in zip(r.energies, r.energies.dropFirst()) {
                #expect(b <= a + 1e-4 * max(1, abs(a)), "energy rose from \(a) to \(b)")
                if b < a { sweepsWithFlips += 1 }
            }
            #expect(r.converged)
            // The reported energy is the model's energy of the final state.
            #expect(abs(r.energy - memory.energy(r.state)) <= 1e-3 * max(1, abs(r.energy)))
        }
        #expect(sweepsWithFlips > 0)
    }

    @Test("stored patterns are fixed points below capacity", arguments: DynamicsTests.rules)
    func fixedPoints(_ rule: LearningRule) throws {
        let random = RandomSource(seed: 4)
        let stored = PatternSet.random(count: 5, neurons: 200, random: random)
        var memory = AssociativeMemory(neurons: 200, rule: rule)
        try memory.store(stored)
        let results = try memory.recall(stored, random: random)
        for (mu, r) in results.enumerated() {
            #expect(r.state == stored.pattern(mu))
            #expect(r.outcome == .stored && r.nearest == mu && r.hamming == 0 && r.overlap == 1)
            #expect(r.sweeps == 1)  // one sweep that flips nothing
        }
    }

    @Test("corrupted probes are recalled, and negations are recognised")
    func recallFromNoise() throws {
        let random = RandomSource(seed: 8)
        let stored = PatternSet.random(count: 10, neurons: 400, random: random)
        var memory = AssociativeMemory(neurons: 400, rule: .hebbian)
        try memory.store(stored)
        let results = try memory.recall(stored.corrupted(fraction: 0.15, random: random), random: random)
        #expect(results.enumerated().allSatisfy { $0.element.nearest == $0.offset && $0.element.outcome == .stored })
        var negated = stored.values
        negated.scale(by: -1)
        let neg = try memory.recall(PatternSet(negated), random: random)
        #expect(neg.allSatisfy { $0.outcome == .negation && $0.overlap == -1 })
    }

    @Test("synchronous dynamics reports a 2-cycle")
    func twoCycle() throws {
        // Two neurons with an antiferromagnetic coupling, w = −1: from (+1, +1) both flip at once
        // forever, (+,+) → (−,−) → (+,+). Hebb on the pattern (+1, −1) gives exactly w_12 = −½.
        var memory = AssociativeMemory(neurons: 2, rule: .hebbian)
        try memory.store(PatternSet([[1, -1]]))
        let r = try memory.recall(PatternSet([[1, 1]]), mode: .synchronous, random: RandomSource(seed: 1))[0]
        #expect(r.cycle && !r.converged)
        #expect(r.sweeps == 2)
        // Asynchronous updates from the same state converge instead.
        let a = try memory.recall(PatternSet([[1, 1]]), mode: .asynchronous, random: RandomSource(seed: 1))[0]
        #expect(a.converged && !a.cycle && (a.outcome == .stored || a.outcome == .negation))
        // Synchronous recall of a clean pattern converges at once.
        let s = try memory.recall(PatternSet([[1, -1]]), mode: .synchronous, random: RandomSource(seed: 1))[0]
        #expect(s.converged && !s.cycle && s.sweeps == 1)
    }

    @Test("the same seed gives identical output, whatever the thread count")
    func reproducible() throws {
        let random = RandomSource(seed: 2)
        let stored = PatternSet.random(count: 25, neurons: 150, random: random)
        var memory = AssociativeMemory(neurons: 150, rule: .hebbian)
        try memory.store(stored)
        let probes = stored.corrupted(fraction: 0.3, random: random)
        for mode in [RecallMode.asynchronous, .stochastic(RecallMode.defaultSchedule)] {
            let a = try memory.recall(probes, mode: mode, random: RandomSource(seed: 99), threads: 1)
            let b = try memory.recall(probes, mode: mode, random: RandomSource(seed: 99), threads: 2)
            let c = try memory.recall(probes, mode: mode, random: RandomSource(seed: 100), threads: 2)
            #expect(a.map(\.state) == b.map(\.state) && a.map(\.energies) == b.map(\.energies))
            #expect(a.map(\.energies) != c.map(\.energies))
        }
    }

    @Test("stochastic recall at high temperature explores, then quenches to a fixed point")
    func glauber() throws {
        let random = RandomSource(seed: 6)
        let stored = PatternSet.random(count: 3, neurons: 100, random: random)
        var memory = AssociativeMemory(neurons: 100, rule: .hebbian)
        try memory.store(stored)
        let schedule = AnnealingSchedule(initialTemperature: 50, coolingFactor: 1.5, minimumTemperature: 0.05, iterationsPerTemperature: 2)
        let r = try memory.recall(PatternSet([stored.pattern(0)]), mode: .stochastic(schedule), random: random)[0]
        #expect(r.converged)
        #expect(r.sweeps >= schedule.stepCount * 2)
        // At T = 50 the first sweeps randomise the state: the energy must have risen above the stored pattern's.
        #expect(r.energies.max()! > r.energies[0] + 1)
        #expect(r.outcome != .spurious || r.hamming > 0)
        #expect(throws: ConfigurationError(field: "mode.schedule.coolingFactor", "expected a cooling factor greater than 1, got 0.5")) {
            _ = try memory.recall(stored, mode: .stochastic(AnnealingSchedule(initialTemperature: 1, coolingFactor: 0.5, minimumTemperature: 0.1, iterationsPerTemperature: 1)), random: random)
        }
    }

    @Test("thresholds and external input enter the update and the energy")
    func thresholdsAndInput() throws {
        var memory = AssociativeMemory(neurons: 3, rule: .hebbian)
        try memory.store(PatternSet([[1, 1, 1]]))
        // A strong input −5 on neuron 0 overrides its field of 2/3.
        let r = try memory.recall(PatternSet([[1, 1, 1]]), random: RandomSource(seed: 1), input: [-5, 0, 0])[0]
        #expect(r.state == [-1, 1, 1])
        #expect(abs(memory.energy([-1, 1, 1], input: [-5, 0, 0]) - (-(-1.0 / 3 * 2 + 1.0 / 3) - 5)) < 1e-6)
        memory.thresholds = [0, 0, 5]
        let t = try memory.recall(PatternSet([[1, 1, 1]]), random: RandomSource(seed: 1))[0]
        #expect(t.state[2] == -1)
        #expect(throws: InputError.self) { _ = try memory.recall(PatternSet([[1, 1]]), random: RandomSource(seed: 1)) }
    }
}

extension LearningRule: CustomTestStringConvertible {
    public var testDescription: String { name }
}
