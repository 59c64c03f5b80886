import EnergyCore
import EnergyFormats
import Foundation
import HopfieldMemory
import Testing
import TestSupport

/// The modern Hopfield network (Ramsauer et al. 2020): update, energy, streaming, metastable states, files.
@Suite("Modern Hopfield memory")
struct ModernHopfieldTests {
    let dir = TemporaryFolder()

    func memory(_ patterns: PatternSet) throws -> AssociativeMemory {
        var m = AssociativeMemory(neurons: patterns.neurons, rule: .modern)
        try m.store(patterns)
        return m
    }

    /// ξ_new = X softmax(β Xᵀ ξ), written out in Double for one probe.
    func directUpdate(_ x: Matrix<Float>, _ xi: [Float], beta: Double) -> [Double] {
        let scores = (0..<x.rows).map { mu in beta * (0..<x.columns).reduce(0.0) { $0 + Double(x[mu, $1]) * Double(xi[$1]) } }
        let top = scores.max() ?? 0
        let e = scores.map { Foundation.exp($0 - top) }
        let z = e.reduce(0, +)
        return (0..<x.columns).map { j in (0..<x.rows).reduce(0.0) { $0 + e[$1] / z * Double(x[$1, j]) } }
    }

    @Test("one update equals X softmax(β Xᵀ ξ) computed directly, and the weights are the softmax")
    func oneStepFormula() throws {
        let random = RandomSource(seed: 3)
        let stored = PatternSet.random(count: 7, neurons: 12, random: random)
        let m = try memory(stored)
        var probes = Matrix<Float>(rows: 3, columns: 12)
        for i in probes.storage.indices { probes.storage[i] = Float(random.uniform(-1, 1)) }
        let results = try m.recallModern(probes, configuration: .init(beta: 0.3, reportedWeights: 7))
        for r in 0..<3 {
            let expected = directUpdate(stored.values, probes.row(r), beta: 0.3)
            for j in 0..<12 { #expect(abs(Double(results[r].state[j]) - expected[j]) < 1e-5) }
            #expect(results[r].weights.count == 7)
            #expect(abs(results[r].weights.map(\.weight).reduce(0, +) - 1) < 1e-5)
            #expect(results[r].weights.map(\.weight) == results[r].weights.map(\.weight).sorted(by: >))
        }
    }

    @Test("the update is the gradient step of the energy: ξ_new = ξ − ∇E(ξ), checked by finite differences")
    func gradient() throws {
        let random = RandomSource(seed: 5)
        let m = try memory(PatternSet.random(count: 9, neurons: 10, random: random))
        let beta = 0.2
        let xi = (0..<10).map { _ in Float(random.uniform(-1, 1)) }
        let new = try m.recallModern(Matrix(rows: 1, columns: 10, storage: xi), configuration: .init(beta: beta))[0].state
        // ∇E(ξ) = ξ − X softmax(β Xᵀ ξ): so ξ − ∇E is the update (Ramsauer et al., eq. (3)).
        for j in 0..<10 {
            var plus = xi, minus = xi
            plus[j] += 1e-2; minus[j] -= 1e-2
            let grad = (m.modernEnergy(plus, beta: beta) - m.modernEnergy(minus, beta: beta)) / 2e-2
            #expect(abs((Double(xi[j]) - grad) - Double(new[j])) < 2e-3)
        }
    }

    @Test("the energy never increases under the update (CCCP), step after step, and recorded energies agree")
    func energyDecreases() throws {
        let random = RandomSource(seed: 7)
        let m = try memory(PatternSet.random(count: 40, neurons: 30, random: random))
        for beta in [0.01, 0.1, 1.0] {
            var probes = Matrix<Float>(rows: 20, columns: 30)
            for i in probes.storage.indices { probes.storage[i] = Float(random.uniform(-2, 2)) }
            var states = probes
            var energies = m.modernEnergies(states, beta: beta)
            for _ in 0..<4 {
                let results = try m.recallModern(states, configuration: .init(beta: beta, tolerance: 0))
                states = Matrix(rows: 20, columns: 30, storage: results.flatMap(\.state))
                let next = m.modernEnergies(states, beta: beta)
                for r in 0..<20 {
                    #expect(next[r] <= energies[r] + 1e-4)
                    #expect(abs(results[r].energies[0] - energies[r]) < 1e-3)
                }
                energies = next
            }
        }
    }

    @Test("at high β a stored random pattern is retrieved exactly in one step from a noisy probe")
    func retrieval() throws {
        let random = RandomSource(seed: 11)
        let stored = PatternSet.random(count: 400, neurons: 100, random: random)
        let m = try memory(stored)
        let probes = PatternSet(stored.values.rows(0..<50)).corrupted(fraction: 0.2, random: random)
        let results = try m.recallModern(probes.values, configuration: .init(beta: 1))
        for (k, r) in results.enumerated() {
            #expect(r.pattern == stored.pattern(k) && r.nearest == k && r.isExact && !r.isMetastable && r.weight > 0.99 && r.steps == 1)
        }
        // From the stored pattern itself the update is a fixed point within the tolerance after one step.
        let fixed = try m.recallModern(stored.values.rows(0..<5), configuration: .init(beta: 1, steps: 5))
        #expect(fixed.allSatisfy { $0.converged && $0.steps == 1 })
    }

    @Test("at tiny β the state is the mean of the patterns, reported metastable with its largest weights")
    func metastable() throws {
        let random = RandomSource(seed: 13)
        let stored = PatternSet.random(count: 8, neurons: 16, random: random)
        let m = try memory(stored)
        let r = try m.recallModern(Matrix(rows: 1, columns: 16, storage: stored.pattern(0)), configuration: .init(beta: 1e-6))[0]
        let mean = stored.values.columnSums().map { $0 / 8 }
        for j in 0..<16 { #expect(abs(r.state[j] - mean[j]) < 1e-4) }
        #expect(r.isMetastable && r.weights.count == 3 && r.weights.allSatisfy { abs($0.weight - 0.125) < 1e-3 })
    }

    @Test("streaming the patterns in blocks (and probes in chunks) gives the unblocked result")
    func blocks() throws {
        let random = RandomSource(seed: 17)
        let stored = PatternSet.random(count: 1000, neurons: 24, random: random)
        let m = try memory(stored)
        let probes = PatternSet.random(count: 2100, neurons: 24, random: random).values  // more than one probe chunk
        let whole = try m.recallModern(probes, configuration: .init(beta: 0.2, blockSize: 1000))
        for block in [1, 7, 333] {
            let parts = try m.recallModern(probes.rows(0..<60), configuration: .init(beta: 0.2, blockSize: block))
            for k in 0..<60 {
                #expect(zip(parts[k].state, whole[k].state).allSatisfy { abs($0 - $1) < 1e-5 })
                #expect(parts[k].weights.map(\.pattern) == whole[k].weights.map(\.pattern))
            }
        }
        let oneThread = try m.recallModern(probes, configuration: .init(beta: 0.2, blockSize: 1000), threads: 1)
        #expect(zip(oneThread, whole).allSatisfy { $0.state == $1.state })
    }

    @Test("a modern memory round-trips through its .npz file with rule 'modern' and no weights; .npy patterns read")
    func files() throws {
        let random = RandomSource(seed: 19)
        let stored = PatternSet.random(count: 5, neurons: 6, random: random)
        try PatternFile.write(stored, to: dir.file("p.npy"))
        #expect(try PatternFile.read(dir.file("p.npy")) == stored)
        let (written, added) = try HopfieldModelFile.store(patternsFrom: dir.file("p.npy"), rule: .modern, to: dir.file("m.npz"))
        #expect(added == 5 && written.isModern)
        let (read, meta) = try HopfieldModelFile.read(dir.file("m.npz"))
        #expect(meta.rule == "modern" && read.rule == .modern && read.patterns == stored && read.weights.storage.isEmpty)
        #expect(try NumpyArchive.read(dir.file("m.npz"))["weights"] == nil)
        // Probes with 0 for unknown values recall through the file workflow.
        var probes = stored.values
        for j in 3..<6 { probes[0, j] = 0 }
        try NumpyArray(probes.storage, shape: [5, 6]).write(to: dir.file("q.npy"))
        let (_, _, results) = try HopfieldModelFile.recallModern(probesFrom: dir.file("q.npy"), memory: dir.file("m.npz"),
                                                                 configuration: .init(beta: 5), to: dir.file("r.npy"))
        #expect(try PatternFile.read(dir.file("r.npy")).values == Matrix(rows: 5, columns: 6, storage: results.flatMap(\.pattern)))
        #expect(results[1].isExact && results[1].nearest == 1)
    }

    @Test("bad settings and files are refused with the field or the file")
    func refusals() throws {
        let m = try memory(PatternSet([[1, -1, 1]]))
        let probe = Matrix<Float>(rows: 1, columns: 3, storage: [1, 1, 1])
        for (config, field) in [(ModernRecallConfiguration(beta: 0), "beta"), (.init(beta: .nan), "beta"), (.init(steps: 0), "steps"),
                                (.init(blockSize: 0), "blockSize"), (.init(reportedWeights: 0), "reportedWeights")] {
            #expect(throws: ConfigurationError.self) { try m.recallModern(probe, configuration: config) }
            do { _ = try m.recallModern(probe, configuration: config) } catch let e as ConfigurationError { #expect(e.field == field) }
        }
        #expect(throws: InputError(file: "probes", "probes have 2 values each; the memory has 3 neurons")) {
            try m.recallModern(Matrix(rows: 1, columns: 2, storage: [1, 1]))
        }
        #expect(throws: InputError(file: "probes", "expected finite probe values, found NaN or infinity")) {
            try m.recallModern(Matrix(rows: 1, columns: 3, storage: [1, .nan, 1]))
        }
        var hebb = AssociativeMemory(neurons: 3, rule: .hebbian)
        try hebb.store(PatternSet([[1, -1, 1]]))
        do { _ = try hebb.recallModern(probe); Issue.record("expected an error") } catch let e as ConfigurationError { #expect(e.field == "rule") }
        do { _ = try m.recall(PatternSet([[1, 1, 1]]), random: RandomSource(seed: 1)); Issue.record("expected an error") } catch let e as ConfigurationError {
            #expect(e.field == "rule")
        }
        try NumpyArray([1, 0.5, 1], shape: [1, 3]).write(to: dir.file("bad.npy"))
        #expect(throws: InputError.self) { try PatternFile.read(dir.file("bad.npy")) }
    }

    @Test("capacity of the modern rule at N = 100: one-step recall of P = 20N patterns from 20%-noise probes")
    func capacity() throws {
        let settings = CapacityExperiment.Configuration(neurons: 100, rule: .modern, noise: 0.2, trials: 1, probesPerNetwork: 50,
                                                        loads: [20], seed: 2, beta: 1)
        let curve = try CapacityExperiment(configuration: settings).run()
        #expect(curve.points[0].patterns == 2000 && curve.points[0].success >= 0.99)
        #expect(throws: ConfigurationError(field: "beta", "expected an inverse temperature β in (0, 1e6], got -1.0")) {
            try CapacityExperiment(configuration: .init(rule: .modern, beta: -1))
        }
    }

    @Test("the digit experiment counts own-digit and same-class recalls on small synthetic digits")
    func digits() throws {
        let random = RandomSource(seed: 23)
        // 40 random 4×4 'images' in [0, 1], labels by index; tests are copies of training images.
        var train = Matrix<Float>(rows: 40, columns: 16)
        for i in train.storage.indices { train.storage[i] = Float(random.uniform()) }
        let labels = (0..<40).map { $0 % 4 }
        let test = train.rows(0..<10)
        let settings = DigitRecallExperiment.Configuration(stored: 40, probes: 10, corruptions: [.flip(fraction: 0)], pictured: 3, seed: 1)
        let cases = try DigitRecallExperiment(configuration: settings).run(training: train, trainingLabels: labels, test: test,
                                                                           testLabels: Array(labels.prefix(10)), height: 4)
        #expect(cases.count == 2 && cases[0].set == "training" && cases[0].recalledOwn == 10 && cases[0].sameClass == 10)
        #expect(cases[1].recalledOwn == nil && cases[1].sameClass == 10 && cases[0].probeRows.rows == 3)
        #expect(throws: InputError(file: "training images", "expected at least 41 images to store, found 40")) {
            try DigitRecallExperiment(configuration: .init(stored: 41)).run(training: train, trainingLabels: labels, test: test,
                                                                            testLabels: Array(labels.prefix(10)), height: 4)
        }
    }
}
