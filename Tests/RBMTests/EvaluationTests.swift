import EnergyCore
import EnergyFormats
import Foundation
@testable import RBM
import TestSupport
import Testing

@Suite("RBM evaluation")
struct EvaluationTests {
    @Test("exact log Z matches brute force over all joint states", arguments: [VisibleUnits.bernoulli, .gaussian])
    func exactLogZ(_ units: VisibleUnits) throws {
        let rbm = ModelTests.tiny(units, visible: 5, hidden: 3, seed: 4)
        let logZ = try PartitionFunction.exactLogZ(rbm)
        if units == .bernoulli {
            var terms: [Double] = []
            for v in ModelTests.states(5) { for h in ModelTests.states(3) { terms.append(-rbm.energy(visible: v, hidden: h)) } }
            #expect(abs(logZ - logSumExp(terms)) < 1e-4)
            // Enumerating the visible side instead (more hidden than visible units) agrees.
            var wide = RestrictedBoltzmannMachine(weights: rbm.weights.transposed, visibleBias: rbm.hiddenBias, hiddenBias: rbm.visibleBias)
            wide.visibleUnits = .bernoulli
            #expect(abs(try PartitionFunction.exactLogZ(wide) - logZ) < 1e-4)
        } else {
            // Gaussian: Z = Σ_h ∫ e^{−E(v,h)} dv; check by numerical integration in one dimension.
            let one = ModelTests.tiny(.gaussian, visible: 1, hidden: 2, seed: 6)
            var z = 0.0
            for h in ModelTests.states(2) {
                var integral = 0.0
                for k in -4000...4000 {
                    let v = Float(Double(k) * 0.005)
                    integral += exp(-one.energy(visible: [v], hidden: h)) * 0.005
                }
                z += integral
            }
            #expect(abs(try PartitionFunction.exactLogZ(one) - log(z)) < 1e-4)
        }
        #expect(throws: InputError.self) { try PartitionFunction.exactLogZ(RestrictedBoltzmannMachine(visible: 30, hidden: 30)) }
    }

    @Test("AIS is within 0.5 nats of the exact log Z for a 20-hidden-unit RBM trained on MNIST")
    func aisMatchesExact() throws {
        let data = try DataMatrix.load(mnistTrainImages).rows(0..<5000)
        let config = RBMTrainer.Configuration(sampling: .persistent(chains: 100, steps: 1), epochs: 5, learningRate: 0.1, seed: 11)
        let trainer = try RBMTrainer(hidden: 20, data: data, configuration: config)
        try trainer.train(data: data)
        let rbm = trainer.model
        let exact = try PartitionFunction.exactLogZ(rbm)
        let estimate = try AnnealedImportanceSampling.estimateLogZ(
            rbm, baseBias: AnnealedImportanceSampling.baseRateBias(data), temperatures: AnnealedImportanceSampling.temperatures(total: 3000),
            runs: 100, random: RandomSource(seed: 2))
        #expect(abs(estimate.logZ - exact) < 0.5, "AIS \(estimate.logZ), exact \(exact)")
        #expect(estimate.logZLow <= estimate.logZ && estimate.logZ <= estimate.logZHigh)
        // The trained model beats the base-rate model on held-out digits.
        let test = DataMatrix.binarize(try DataMatrix.load(mnistTestImages).rows(0..<1000), .stochastic, random: RandomSource(seed: 1))
        let ll = AnnealedImportanceSampling.averageLogLikelihood(rbm, test, logZ: exact)
        let base = RestrictedBoltzmannMachine(weights: Matrix(rows: 784, columns: 20), visibleBias: AnnealedImportanceSampling.baseRateBias(data),
                                              hiddenBias: [Float](repeating: 0, count: 20))
        let baseLL = AnnealedImportanceSampling.averageLogLikelihood(base, test, logZ: try PartitionFunction.exactLogZ(base))
        #expect(ll > baseLL + 3, "trained \(ll), base rate \(baseLL)")
    }

    @Test("the default AIS schedule has 14,501 temperatures from 0 to 1")
    func schedule() throws {
        let b = AnnealedImportanceSampling.defaultTemperatures()
        #expect(b.count == 14_501 && b.first == 0 && b.last == 1)
        #expect(zip(b, b.dropFirst()).allSatisfy { $0 < $1 })
        #expect(throws: ConfigurationError(field: "temperatures", "expected an increasing temperature schedule from 0 to 1")) {
            try AnnealedImportanceSampling.estimateLogZ(RestrictedBoltzmannMachine(visible: 2, hidden: 2), baseBias: [0, 0],
                                                        temperatures: [0, 0.5], runs: 10, random: RandomSource(seed: 1))
        }
        #expect(throws: ConfigurationError(field: "runs", "expected at least 2 AIS runs, got 1")) {
            try AnnealedImportanceSampling.estimateLogZ(RestrictedBoltzmannMachine(visible: 2, hidden: 2), baseBias: [0, 0],
                                                        temperatures: [0, 1], runs: 1, random: RandomSource(seed: 1))
        }
    }

    @Test("model files round-trip, load in NumPy, and malformed ones are refused")
    func modelFile() throws {
        let dir = TemporaryFolder()
        let rbm = ModelTests.tiny(.gaussian, visible: 4, hidden: 3)
        try RBMModelFile.write(rbm, metadata: .init(model: rbm, training: RBMTrainer.Configuration(), epochs: 7), to: dir.file("m.npz"))
        let (back, meta) = try RBMModelFile.read(dir.file("m.npz"))
        #expect(back == rbm && meta?.epochs == 7 && meta?.visibleUnits == .gaussian)
        try NumpyArchive([("W", NumpyArray(rbm.weights)), ("visible_bias", NumpyArray([Float(0)], shape: [1])),
                          ("hidden_bias", NumpyArray([Float](repeating: 0, count: 3), shape: [3]))]).write(to: dir.file("bad.npz"))
        #expect(throws: InputError(file: dir.file("bad.npz"), .entry("visible_bias"), "expected 4 values (the rows of W), found 1")) {
            try RBMModelFile.read(dir.file("bad.npz"))
        }
        try NumpyArchive([("visible_bias", NumpyArray([Float(0)], shape: [1]))]).write(to: dir.file("noW.npz"))
        #expect(throws: InputError.self) { try RBMModelFile.read(dir.file("noW.npz")) }
        try #require(numpyAvailable, "python3 with NumPy is needed to check that the model file loads in NumPy")
        let seen = try python("""
            import numpy as np, json
            m = np.load('\(dir.file("m.npz"))')
            print(m['W'].shape, m['visible_bias'].shape, json.loads(m['metadata'].item())['visible_units'])
            """)
        #expect(seen == "(4, 3) (4,) gaussian")
    }

    @Test("pseudo-likelihood and reconstruction error on models with known answers")
    func metrics() {
        let data = Matrix<Float>([[1, 0, 1], [0, 1, 0]])
        // Each hidden unit copies one visible unit back, so reconstructions are perfect, yet every
        // visible state is equally likely: the pseudo-likelihood is exactly 3 log ½.
        var copier = RestrictedBoltzmannMachine(visible: 3, hidden: 3)
        copier.weights = Matrix([[20, 0, 0], [0, 20, 0], [0, 0, 20]])
        copier.hiddenBias = [-10, -10, -10]
        copier.visibleBias = [-10, -10, -10]
        #expect(RBMMetrics.reconstructionError(copier, data) < 1e-3)
        #expect(abs(RBMMetrics.pseudoLikelihood(copier, data, random: RandomSource(seed: 1)) - 3 * log(0.5)) < 1e-3)
        // Strong visible biases put almost all mass on (1, 0, 1): flipping any bit is very unlikely.
        var peaked = RestrictedBoltzmannMachine(visible: 3, hidden: 2)
        peaked.visibleBias = [10, -10, 10]
        let one = Matrix<Float>([[1, 0, 1]])
        #expect(RBMMetrics.reconstructionError(peaked, one) < 1e-6)
        #expect(RBMMetrics.pseudoLikelihood(peaked, one, random: RandomSource(seed: 1)) > -1e-3)
    }
}
