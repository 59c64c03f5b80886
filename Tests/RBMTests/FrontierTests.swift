import EnergyCore
import EnergyFormats
import Foundation
@testable import RBM
import TestSupport
import Testing

/// Centring, parallel tempering and reverse AIS (issue #15).
@Suite("RBM centring, parallel tempering and reverse AIS")
struct FrontierTests {
    // MARK: Exact quantities by enumeration

    /// The exact probability of every visible state (in the order of `ModelTests.states`).
    static func exactProbabilities(_ rbm: RestrictedBoltzmannMachine) -> [Double] {
        let f = rbm.freeEnergy(Matrix(ModelTests.states(rbm.visibleCount)))
        let logZ = logSumExp(f.map { -$0 })
        return f.map { exp(-$0 - logZ) }
    }

    /// The exact average log-likelihood of `data`.
    static func exactLogLikelihood(_ rbm: RestrictedBoltzmannMachine, _ data: Matrix<Float>) throws -> Double {
        AnnealedImportanceSampling.averageLogLikelihood(rbm, data, logZ: try PartitionFunction.exactLogZ(rbm))
    }

    /// The exact gradient of the average log-likelihood in the centred parameters: ∇W =
    /// ⟨(v − μ)(P(h|v) − λ)ᵀ⟩_d − ⟨·⟩_m, ∇b̃ = ⟨v⟩_d − ⟨v⟩_m, ∇c̃ = ⟨P(h|v)⟩_d − ⟨P(h|v)⟩_m.
    static func exactCentredGradient(_ rbm: RestrictedBoltzmannMachine, _ data: Matrix<Float>, _ o: CentringOffsets)
        -> (w: [Double], b: [Double], c: [Double]) {
        let d = rbm.visibleCount, nh = rbm.hiddenCount
        let states = Matrix(ModelTests.states(d))
        let p = exactProbabilities(rbm)
        let hm = rbm.hiddenProbabilities(states), hd = rbm.hiddenProbabilities(data)
        var w = [Double](repeating: 0, count: d * nh), b = [Double](repeating: 0, count: d), c = [Double](repeating: 0, count: nh)
        let n = Double(data.rows)
        for r in 0..<data.rows {
            for i in 0..<d { b[i] += Double(data[r, i]) / n }
            for j in 0..<nh { c[j] += Double(hd[r, j]) / n }
            for i in 0..<d { for j in 0..<nh { w[i * nh + j] += Double(data[r, i] - o.visible[i]) * Double(hd[r, j] - o.hidden[j]) / n } }
        }
        for s in 0..<states.rows {
            for i in 0..<d { b[i] -= p[s] * Double(states[s, i]) }
            for j in 0..<nh { c[j] -= p[s] * Double(hm[s, j]) }
            for i in 0..<d { for j in 0..<nh { w[i * nh + j] -= p[s] * Double(states[s, i] - o.visible[i]) * Double(hm[s, j] - o.hidden[j]) } }
        }
        return (w, b, c)
    }

    static func toyData(rows: Int = 400, seed: UInt64 = 8) -> Matrix<Float> {
        // Three prototypes over 10 units, mostly on (means far from 0.5), with 10% of the bits flipped.
        let prototypes: [[Float]] = [[1, 1, 1, 1, 1, 1, 0, 0, 1, 1], [1, 1, 0, 0, 1, 1, 1, 1, 1, 1], [0, 1, 1, 1, 1, 1, 1, 1, 1, 0]]
        let random = RandomSource(seed: seed)
        var x = Matrix<Float>(rows: rows, columns: 10)
        for r in 0..<rows {
            let p = prototypes[random.integer(below: 3)]
            for i in 0..<10 { x[r, i] = random.bernoulli(0.1) ? 1 - p[i] : p[i] }
        }
        return x
    }

    // MARK: Centring

    @Test("a centred RBM saved in the ordinary parameterisation has the same free energy up to a constant")
    func centredFreeEnergy() {
        let random = RandomSource(seed: 2)
        let rbm = ModelTests.tiny(.bernoulli, visible: 5, hidden: 3, seed: 4)
        var mu = [Float](repeating: 0, count: 5), lambda = [Float](repeating: 0, count: 3)
        random.fillUniform(&mu)
        random.fillUniform(&lambda)
        let offsets = CentringOffsets(visible: mu, hidden: lambda)
        // rbm's biases read as the centred ones b̃, c̃.
        let ordinary = offsets.ordinary(weights: rbm.weights, visibleBias: rbm.visibleBias, hiddenBias: rbm.hiddenBias)
        let states = Matrix(ModelTests.states(5))
        let f = ordinary.freeEnergy(states)
        var differences: [Double] = []
        for s in 0..<states.rows {
            // F̃(v) = −b̃ᵀ(v − μ) + Σⱼ [λⱼ xⱼ − softplus(xⱼ)], xⱼ = c̃ⱼ + (v − μ)ᵀW·ⱼ.
            var centred = 0.0
            for i in 0..<5 { centred -= Double(rbm.visibleBias[i]) * Double(states[s, i] - mu[i]) }
            for j in 0..<3 {
                var x = Double(rbm.hiddenBias[j])
                for i in 0..<5 { x += Double(states[s, i] - mu[i]) * Double(rbm.weights[i, j]) }
                centred += Double(lambda[j]) * x - softplus(x)
            }
            differences.append(f[s] - centred)
        }
        let spread = (differences.max() ?? 0) - (differences.min() ?? 0)
        #expect(spread < 1e-5, "F(v) − F̃(v) varies by \(spread)")
        // And back: the centred biases of the ordinary model are the ones we started from.
        let back = offsets.centredBiases(of: ordinary)
        #expect(zip(back.visible, rbm.visibleBias).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(zip(back.hidden, rbm.hiddenBias).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test("the centred gradient equals finite differences of the exact log-likelihood in the centred parameters")
    func centredGradientFiniteDifferences() throws {
        let rbm = ModelTests.tiny(.bernoulli, visible: 6, hidden: 3, seed: 7)
        var data = Matrix<Float>(rows: 40, columns: 6, repeating: 0.7)
        RandomSource(seed: 3).sampleBernoulli(&data.storage)
        let offsets = CentringOffsets(visible: [0.7, 0.6, 0.8, 0.65, 0.7, 0.75], hidden: [0.3, 0.5, 0.6])
        let centred = offsets.centredBiases(of: rbm)
        let exact = Self.exactCentredGradient(rbm, data, offsets)
        func logLikelihood(_ w: Matrix<Float>, _ b: [Float], _ c: [Float]) throws -> Double {
            try Self.exactLogLikelihood(offsets.ordinary(weights: w, visibleBias: b, hiddenBias: c), data)
        }
        let h: Float = 1e-2
        var worst = 0.0
        for i in 0..<6 {
            for j in 0..<3 {
                var plus = rbm.weights, minus = rbm.weights
                plus[i, j] += h; minus[i, j] -= h
                let fd = (try logLikelihood(plus, centred.visible, centred.hidden) - logLikelihood(minus, centred.visible, centred.hidden)) / Double(2 * h)
                worst = max(worst, abs(fd - exact.w[i * 3 + j]))
            }
        }
        for i in 0..<6 {
            var plus = centred.visible, minus = centred.visible
            plus[i] += h; minus[i] -= h
            let fd = (try logLikelihood(rbm.weights, plus, centred.hidden) - logLikelihood(rbm.weights, minus, centred.hidden)) / Double(2 * h)
            worst = max(worst, abs(fd - exact.b[i]))
        }
        for j in 0..<3 {
            var plus = centred.hidden, minus = centred.hidden
            plus[j] += h; minus[j] -= h
            let fd = (try logLikelihood(rbm.weights, centred.visible, plus) - logLikelihood(rbm.weights, centred.visible, minus)) / Double(2 * h)
            worst = max(worst, abs(fd - exact.c[j]))
        }
        #expect(worst < 2e-3, "largest difference from finite differences \(worst)")
        // The centred weight gradient is not the ordinary one here: the check has teeth.
        let plain = TrainingTests.exactWeightGradient(rbm, data)
        #expect(zip(plain, exact.w).map { abs($0 - $1) }.max() ?? 0 > 0.05)
    }

    @Test("the centring trainer's steps are the centred gradient, mapped to the ordinary parameters")
    func centredTrainerSteps() throws {
        let rbm = ModelTests.tiny(.bernoulli, visible: 6, hidden: 3, seed: 7)
        var data = Matrix<Float>(rows: 40, columns: 6, repeating: 0.7)
        RandomSource(seed: 3).sampleBernoulli(&data.storage)
        var config = RBMTrainer.Configuration(sampling: .contrastiveDivergence(steps: 10), epochs: 1, batchSize: data.rows, learningRate: 1,
                                              decay: .none, initialMomentum: 0, finalMomentum: 0, weightDecay: 0, centring: true)
        let updates = 300
        var dw = [Double](repeating: 0, count: 18), db = [Double](repeating: 0, count: 6), dc = [Double](repeating: 0, count: 3)
        var offsets: CentringOffsets?
        for u in 0..<updates {
            config.seed = 5 + UInt64(u)
            let trainer = try RBMTrainer(model: rbm, configuration: config)
            _ = try trainer.trainEpoch(data)
            let o = try #require(trainer.offsets)
            offsets = o
            let before = o.centredBiases(of: rbm), after = o.centredBiases(of: trainer.model)
            for k in dw.indices { dw[k] += Double(trainer.model.weights.storage[k] - rbm.weights.storage[k]) / Double(updates) }
            for i in 0..<6 { db[i] += Double(after.visible[i] - before.visible[i]) / Double(updates) }
            for j in 0..<3 { dc[j] += Double(after.hidden[j] - before.hidden[j]) / Double(updates) }
        }
        // The whole data is one batch, so the offsets are the data means.
        let o = try #require(offsets)
        let means = data.columnSums().map { $0 / 40 }
        #expect(zip(o.visible, means).allSatisfy { abs($0 - $1) < 1e-5 })
        let exact = Self.exactCentredGradient(rbm, data, o)
        let cw = TrainingTests.cosine(dw, exact.w), cb = TrainingTests.cosine(db, exact.b), cc = TrainingTests.cosine(dc, exact.c)
        #expect(cw > 0.9, "weights: cosine \(cw)")
        #expect(cb > 0.9, "visible biases: cosine \(cb)")
        #expect(cc > 0.9, "hidden biases: cosine \(cc)")
    }

    @Test("centred PCD reaches a log-likelihood at least as good as plain PCD on a toy problem and its flip (exact log Z)",
          arguments: [false, true])
    func centringLearnsAsWell(flipped: Bool) throws {
        var data = Self.toyData()
        if flipped { for k in data.storage.indices { data.storage[k] = 1 - data.storage[k] } }
        func run(centring: Bool) throws -> Double {
            let config = RBMTrainer.Configuration(sampling: .persistent(chains: 50, steps: 1), epochs: 30, batchSize: 20, learningRate: 0.1,
                                                  seed: 4, centring: centring)
            let trainer = try RBMTrainer(hidden: 8, data: data, configuration: config)
            try trainer.train(data: data)
            return try Self.exactLogLikelihood(trainer.model, data)
        }
        let plain = try run(centring: false), centred = try run(centring: true)
        #expect(centred >= plain, "centred \(centred) nats, plain \(plain) nats")
    }

    // MARK: Parallel tempering

    @Test("swaps satisfy detailed balance between two temperatures, by enumeration of the joint states")
    func swapDetailedBalance() {
        let rbm = ModelTests.tiny(.bernoulli, visible: 2, hidden: 2, seed: 3)
        let betas = (1.0, 0.4)
        var joint: [(v: [Float], h: [Float])] = []
        for v in ModelTests.states(2) { for h in ModelTests.states(2) { joint.append((v, h)) } }
        let e = joint.map { rbm.energy(visible: $0.v, hidden: $0.h) }
        func logZ(_ beta: Double) -> Double { logSumExp(e.map { -beta * $0 }) }
        let z1 = logZ(betas.0), z2 = logZ(betas.1)
        var worst = 0.0
        for x in e.indices {
            for y in e.indices {
                // π₁(x) π₂(y) a(x ↔ y) = π₁(y) π₂(x) a(y ↔ x)
                let forward = exp(-betas.0 * e[x] - z1 - betas.1 * e[y] - z2) * TemperedChains.swapProbability(betas.0, e[x], betas.1, e[y])
                let backward = exp(-betas.0 * e[y] - z1 - betas.1 * e[x] - z2) * TemperedChains.swapProbability(betas.0, e[y], betas.1, e[x])
                worst = max(worst, abs(forward - backward))
            }
        }
        #expect(worst < 1e-12)
    }

    @Test("the β = 1 chains of parallel tempering sample the exact marginal of a tiny RBM, with swap rates in (0, 1)")
    func temperedMarginal() {
        let rbm = ModelTests.tiny(.bernoulli, visible: 4, hidden: 3, seed: 11)
        let exact = Self.exactProbabilities(rbm)
        let random = RandomSource(seed: 6)
        var tempering = TemperedChains(chains: 50, temperatures: 4, minimumBeta: 0.2)
        var states: Matrix<Float>? = Matrix<Float>(rows: 200, columns: 4, repeating: 0.5)
        random.sampleBernoulli(&states!.storage)
        var counts = [Double](repeating: 0, count: 16)
        for sweep in 0..<2200 {
            tempering.advance(&states, model: rbm, steps: 1, random: random)
            guard sweep >= 200, let s = states else { continue }
            for c in 0..<50 {
                var code = 0
                for i in 0..<4 where s[c, i] != 0 { code |= 1 << i }
                counts[code] += 1
            }
        }
        let total = counts.reduce(0, +)
        let tv = 0.5 * zip(counts, exact).reduce(0) { $0 + abs($1.0 / total - $1.1) }
        #expect(tv < 0.02, "total variation \(tv)")
        let rates = tempering.acceptanceRates
        #expect(rates.count == 3)
        #expect(rates.allSatisfy { $0 > 0 && $0 < 1 }, "swap acceptance \(rates)")
    }

    @Test("the temperature ladder is geometric from 1 to β_min")
    func ladder() {
        let b = TemperedChains.ladder(temperatures: 3, minimumBeta: 0.25)
        #expect(b.count == 3 && b[0] == 1 && abs(b[1] - 0.5) < 1e-12 && abs(b[2] - 0.25) < 1e-12)
    }

    @Test("training by parallel tempering reports swap rates and learns the toy problem")
    func temperedTraining() throws {
        let data = Self.toyData()
        let config = RBMTrainer.Configuration(sampling: .tempered(chains: 20, steps: 1, temperatures: 5, minimumBeta: 0.3), epochs: 20,
                                              batchSize: 20, learningRate: 0.2, initialWeightScale: 0.1, seed: 2)
        let trainer = try RBMTrainer(hidden: 8, data: data, configuration: config)
        let start = try Self.exactLogLikelihood(trainer.model, data)
        var reports: [RBMTrainer.EpochReport] = []
        try trainer.train(data: data) { reports.append($0) }
        let end = try Self.exactLogLikelihood(trainer.model, data)
        #expect(end > start + 0.5, "log-likelihood \(start) → \(end)")
        let rates = try #require(reports.last?.swapAcceptance)
        #expect(rates.count == 4 && rates.allSatisfy { $0 > 0 && $0 < 1 }, "\(rates)")
        #expect(reports.last?.temperatures?.count == 5)
        #expect(trainer.chains?.rows == 100)
    }

    @Test("a tempered, centred run resumes bit for bit from its checkpoint")
    func temperedResume() throws {
        let dir = TemporaryFolder()
        let data = Self.toyData(rows: 200)
        let config = RBMTrainer.Configuration(sampling: .tempered(chains: 10, steps: 2, temperatures: 3, minimumBeta: 0.5), epochs: 4,
                                              batchSize: 32, learningRate: 0.1, seed: 42, centring: true)
        func fresh() throws -> RBMTrainer { try RBMTrainer(hidden: 6, data: data, configuration: config) }
        let straight = try fresh()
        var straightReports: [RBMTrainer.EpochReport] = []
        for _ in 0..<4 { straightReports.append(try straight.trainEpoch(data)) }
        let first = try fresh()
        for _ in 0..<2 { _ = try first.trainEpoch(data) }
        try first.writeCheckpoint(to: dir.file("c.npz"))
        let resumed = try RBMTrainer(resumingFrom: dir.file("c.npz"), configuration: config)
        #expect(resumed.chains == first.chains && resumed.offsets == first.offsets)
        var resumedReports: [RBMTrainer.EpochReport] = []
        for _ in 0..<2 { resumedReports.append(try resumed.trainEpoch(data)) }
        #expect(resumed.model.weights.storage.elementsEqual(straight.model.weights.storage) { $0.bitPattern == $1.bitPattern })
        #expect(resumed.model == straight.model && resumed.chains == straight.chains && resumed.offsets == straight.offsets)
        #expect(resumedReports.last?.swapAcceptance == straightReports.last?.swapAcceptance)
        // The saved model is ordinary: it reads back as the trainer's model.
        try resumed.writeModel(to: dir.file("m.npz"))
        #expect(try RBMModelFile.read(dir.file("m.npz")).0 == resumed.model)
    }

    @Test("tempering and centring settings are validated", arguments: [
        (RBMTrainer.Configuration(sampling: .tempered(chains: 10, steps: 1, temperatures: 1, minimumBeta: 0.5)), "sampling.temperatures"),
        (RBMTrainer.Configuration(sampling: .tempered(chains: 10, steps: 1, temperatures: 3, minimumBeta: 1)), "sampling.minimumBeta"),
        (RBMTrainer.Configuration(sampling: .tempered(chains: 0, steps: 1, temperatures: 3, minimumBeta: 0.5)), "sampling.chains"),
        (RBMTrainer.Configuration(centring: true, offsetRate: 0), "offsetRate"),
        (RBMTrainer.Configuration(samplingGenerator: "mt19938"), "samplingGenerator"),
    ])
    func validation(_ config: RBMTrainer.Configuration, _ field: String) {
        #expect { try config.validate() } throws: { ($0 as? ConfigurationError)?.field == field }
    }

    @Test("settings saved before centring existed read as uncentred")
    func oldConfiguration() throws {
        // Centring is the default now, but a file without the field was written by an uncentred run.
        let new = RBMTrainer.Configuration(sampling: .persistent(chains: 7, steps: 2), seed: 9)
        #expect(new.centring)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(new)) as? [String: Any] ?? [:]
        json["centring"] = nil
        json["offsetRate"] = nil
        let old = try JSONDecoder().decode(RBMTrainer.Configuration.self, from: JSONSerialization.data(withJSONObject: json))
        var uncentred = new
        uncentred.centring = false
        #expect(old == uncentred)
    }

    @Test("settings saved before the sampling generator was a field read as mt19937, which those runs sampled with")
    func oldGenerator() throws {
        let new = RBMTrainer.Configuration(seed: 9)
        #expect(new.samplingGenerator == "taus2")
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(new)) as? [String: Any] ?? [:]
        json["samplingGenerator"] = nil
        let old = try JSONDecoder().decode(RBMTrainer.Configuration.self, from: JSONSerialization.data(withJSONObject: json))
        var mt = new
        mt.samplingGenerator = "mt19937"
        #expect(old == mt)
    }

    // MARK: Reverse AIS

    /// Checks that AIS and reverse AIS bracket the exact average log-likelihood of `data` under
    /// `rbm`: each estimate with its ±3 standard-error interval (AIS: of log Z; reverse AIS: Monte
    /// Carlo), the pessimistic end of the reverse-AIS interval below the exact value and the
    /// optimistic end of the AIS interval above it, with the bracket informative (narrower than
    /// `width` nats). Returns the point estimates and the exact value.
    @discardableResult
    static func checkBracket(_ rbm: RestrictedBoltzmannMachine, _ data: Matrix<Float>, temperatures: Int, width: Double) throws
        -> (reverse: Double, exact: Double, ais: Double) {
        let report = try LogLikelihood.evaluate(rbm, data: data, binarization: .none,
                                                method: .annealedImportanceSampling(runs: 100, temperatures: temperatures),
                                                reverse: .init(runs: 10, temperatures: temperatures, examples: data.rows), seed: 3)
        let reverse = try #require(report.reverse), high = try #require(report.averageLogLikelihoodHigh)
        #expect(report.averageLogLikelihoodOfReverseExamples == report.averageLogLikelihood)
        let exact = try exactLogLikelihood(rbm, data)
        let low = reverse.averageLogLikelihood - 3 * reverse.standardError
        #expect(low <= exact && exact <= high, "reverse AIS \(reverse.averageLogLikelihood) − 3 s.e. = \(low), exact \(exact), AIS high end \(high)")
        #expect(high - low < width, "the bracket is \(high - low) nats wide")
        #expect(reverse.averageLogLikelihood < report.averageLogLikelihood + 3 * reverse.standardError)
        return (reverse.averageLogLikelihood, exact, report.averageLogLikelihood)
    }

    @Test("AIS and reverse AIS bracket the exact log-likelihood of a random RBM")
    func bracketRandom() throws {
        let rbm = ModelTests.tiny(.bernoulli, visible: 14, hidden: 12, seed: 21)
        var data = Matrix<Float>(rows: 60, columns: 14, repeating: 0.5)
        RandomSource(seed: 2).sampleBernoulli(&data.storage)
        // With 30 temperatures the two point estimates themselves bracket it too (measured: reverse
        // AIS −15.77, exact −15.37, AIS −15.32).
        let b = try Self.checkBracket(rbm, data, temperatures: 30, width: 3)
        #expect(b.reverse <= b.exact && b.exact <= b.ais, "\(b)")
    }

    @Test("AIS and reverse AIS bracket the exact log-likelihood of a trained RBM")
    func bracketTrained() throws {
        var data = Matrix<Float>(rows: 300, columns: 14)
        let toy = Self.toyData(rows: 300, seed: 5)
        let random = RandomSource(seed: 9)
        for r in 0..<300 {
            for i in 0..<10 { data[r, i] = toy[r, i] }
            for i in 10..<14 { data[r, i] = random.bernoulli(0.2) ? 1 : 0 }
        }
        let config = RBMTrainer.Configuration(sampling: .persistent(chains: 50, steps: 1), epochs: 30, batchSize: 20, learningRate: 0.2,
                                              initialWeightScale: 0.1, seed: 4)
        let trainer = try RBMTrainer(hidden: 16, data: data, configuration: config)
        try trainer.train(data: data)
        try Self.checkBracket(trainer.model, data.rows(0..<60), temperatures: 100, width: 1)
    }

    @Test("reverse-AIS settings are validated")
    func reverseValidation() {
        let rbm = ModelTests.tiny(.bernoulli, visible: 4, hidden: 3)
        let x = Matrix<Float>(rows: 5, columns: 4, repeating: 1)
        for (reverse, field) in [(LogLikelihood.Reverse(runs: 1), "reverse.runs"), (.init(temperatures: 2), "reverse.temperatures"),
                                 (.init(examples: 0), "reverse.examples")] {
            #expect { try LogLikelihood.evaluate(rbm, data: x, method: .exact, reverse: reverse) } throws: {
                ($0 as? ConfigurationError)?.field == field
            }
        }
    }
}
