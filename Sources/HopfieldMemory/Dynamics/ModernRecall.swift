import EnergyCore
import Foundation

/// How a modern Hopfield memory recalls (Ramsauer et al. 2020): the inverse temperature β, the
/// number of updates, and how the stored patterns are streamed.
public struct ModernRecallConfiguration: Equatable, Sendable, Codable {
    /// The inverse temperature β of ξ ← X softmax(β Xᵀ ξ). For ±1 patterns a score x_μᵀ ξ changes by
    /// 2 per flipped bit, so β = 1 (the default) weighs a pattern one bit farther by e⁻²: retrieval
    /// of the nearest pattern. A β far below 1/N averages many patterns (a metastable state).
    public var beta: Double
    /// The most updates; recall stops earlier when an update changes no component by more than
    /// `tolerance`. One by default: a well-separated pattern is retrieved in one update (Ramsauer et
    /// al., Theorem 4).
    public var steps: Int
    /// The largest change of any component that counts as "stopped changing".
    public var tolerance: Double
    /// Stored patterns per streamed block (the results do not depend on it beyond float rounding).
    public var blockSize: Int
    /// How many of the largest softmax weights each result lists.
    public var reportedWeights: Int
    /// A result whose largest softmax weight is below this is reported metastable: a mixture of
    /// patterns rather than one retrieved pattern.
    public var metastableWeight: Double

    public init(beta: Double = 1, steps: Int = 1, tolerance: Double = 1e-6, blockSize: Int = 4096,
                reportedWeights: Int = 3, metastableWeight: Double = 0.5) {
        self.beta = beta
        self.steps = steps
        self.tolerance = tolerance
        self.blockSize = blockSize
        self.reportedWeights = reportedWeights
        self.metastableWeight = metastableWeight
    }

    /// Refuses settings recall cannot run.
    ///
    /// - Throws: `ConfigurationError` naming `beta`, `steps`, `tolerance`, `blockSize`,
    ///   `reportedWeights` or `metastableWeight`.
    public func validate() throws {
        guard beta.isFinite, beta > 0, beta <= 1e6 else {
            throw ConfigurationError(field: "beta", "expected an inverse temperature β in (0, 1e6], got \(beta)")
        }
        guard steps >= 1 else { throw ConfigurationError(field: "steps", "expected at least 1 update, got \(steps)") }
        guard tolerance.isFinite, tolerance >= 0 else { throw ConfigurationError(field: "tolerance", "expected a tolerance ≥ 0, got \(tolerance)") }
        guard blockSize >= 1 else { throw ConfigurationError(field: "blockSize", "expected at least 1 pattern per block, got \(blockSize)") }
        guard reportedWeights >= 1 else {
            throw ConfigurationError(field: "reportedWeights", "expected at least 1 reported weight, got \(reportedWeights)")
        }
        guard metastableWeight.isFinite, metastableWeight > 0, metastableWeight <= 1 else {
            throw ConfigurationError(field: "metastableWeight", "expected a weight in (0, 1], got \(metastableWeight)")
        }
    }
}

/// The result of recalling one probe from a modern Hopfield memory.
public struct ModernRecallResult: Sendable {
    /// The final continuous state ξ.
    public var state: [Float]
    /// The recalled bipolar pattern: the sign of `state` (+1 where it is 0).
    public var pattern: [Float]
    /// Updates run.
    public var steps: Int
    /// Whether the last update changed no component by more than the tolerance.
    public var converged: Bool
    /// The energy E(ξ) of the state before each update (`AssociativeMemory.modernEnergy`).
    public var energies: [Double]
    /// The largest softmax weights of the last update, largest first: the stored pattern and its
    /// weight softmax(β Xᵀ ξ)_μ.
    public var weights: [(pattern: Int, weight: Double)]
    /// Whether the largest weight is below the configuration's `metastableWeight`: β is too small to
    /// separate the patterns near this probe, and the state is a mixture of them.
    public var isMetastable: Bool
    /// Whether `pattern` equals the stored pattern of the largest weight.
    public var isExact: Bool

    /// The stored pattern of the largest softmax weight (the nearest to the state before the last update).
    public var nearest: Int { weights.first?.pattern ?? -1 }
    /// Its softmax weight.
    public var weight: Double { weights.first?.weight ?? 0 }
}

extension AssociativeMemory {
    /// The energy of the modern Hopfield network (Ramsauer et al. 2020, eq. (2)):
    ///
    ///     E(ξ) = −β⁻¹ log Σ_μ exp(β x_μᵀ ξ) + ½ ξᵀξ + β⁻¹ log P + ½ M²,   M = max_μ ‖x_μ‖,
    ///
    /// whose constant makes E ≥ 0. The update ξ ← X softmax(β Xᵀ ξ) is its concave–convex procedure
    /// step, so E never increases under it (Ramsauer et al., Theorem 1).
    public func modernEnergy(_ state: [Float], beta: Double) -> Double {
        precondition(state.count == neurons, "modernEnergy: state has \(state.count) neurons, memory has \(neurons)")
        return modernEnergies(Matrix(rows: 1, columns: neurons, storage: state), beta: beta)[0]
    }

    /// `modernEnergy` of each row of `states`, streaming the stored patterns in blocks of `blockSize`.
    public func modernEnergies(_ states: Matrix<Float>, beta: Double, blockSize: Int = 4096) -> [Double] {
        let lse = ModernDynamics.logSumExp(states, patterns: patterns.values, beta: Float(beta), blockSize: blockSize)
        return (0..<states.rows).map { r in modernEnergy(logSumExp: lse[r], state: states, row: r, beta: beta) }
    }

    /// The energy of row `r` of `states` from its log-sum-exp.
    func modernEnergy(logSumExp: Double, state states: Matrix<Float>, row r: Int, beta: Double) -> Double {
        var squared = 0.0
        for j in 0..<states.columns { let v = Double(states.storage[r * states.columns + j]); squared += v * v }
        // Stored patterns are ±1, so M² = N.
        return -logSumExp / beta + 0.5 * squared + Foundation.log(Double(max(1, patterns.count))) / beta + 0.5 * Double(neurons)
    }

    /// Recalls each probe (one per row) by ξ ← X softmax(β Xᵀ ξ) (Ramsauer et al. 2020), up to
    /// `configuration.steps` updates or until an update stops changing the state. All probes are
    /// updated together: two GEMMs and a row softmax per block of stored patterns (`ModernDynamics`).
    ///
    /// Probes may be any finite values: ±1, or 0 where a pixel is unknown (a masked half).
    ///
    /// - Parameters:
    ///   - probes: the starting states, one per row, with as many values as the memory has neurons.
    ///   - configuration: β, the most updates, the tolerance, the block size and the reporting.
    ///   - threads: workers of the row-wise softmax; the results do not depend on them.
    ///   - source: the name errors give the probes.
    ///   - progress: told of each chunk of probes updated.
    /// - Throws: `ConfigurationError` naming `rule` when the memory is not modern, or a field of the
    ///   configuration; `InputError` naming `source` for probes of another size or non-finite
    ///   values, and naming `memory` when no pattern is stored.
    public func recallModern(_ probes: Matrix<Float>, configuration: ModernRecallConfiguration = .init(),
                             threads: Int = ProcessInfo.processInfo.activeProcessorCount, source: String = "probes",
                             progress: (any ProgressObserver)? = nil) throws -> [ModernRecallResult] {
        guard isModern else {
            throw ConfigurationError(field: "rule", "the memory uses the \(rule.name) rule; an inverse temperature β applies to the modern rule only")
        }
        try configuration.validate()
        guard probes.columns == neurons else {
            throw InputError(file: source, "probes have \(probes.columns) values each; the memory has \(neurons) neurons")
        }
        guard probes.isFinite else { throw InputError(file: source, "expected finite probe values, found NaN or infinity") }
        guard patterns.count > 0 else { throw InputError(file: "memory", "the memory holds no patterns") }
        let q = probes.rows
        guard q > 0 else { return [] }
        let beta = Float(configuration.beta)
        let chunks = (q + ModernDynamics.probeChunk - 1) / ModernDynamics.probeChunk
        progress?.begin("modern recall, β = \(configuration.beta)", total: chunks * configuration.steps)
        defer { progress?.end() }

        // Probes still changing, their states, and each probe's record.
        var active = Array(0..<q)
        var states = probes
        var finals = probes
        var energies = [[Double]](repeating: [], count: q)
        var steps = [Int](repeating: 0, count: q)
        var converged = [Bool](repeating: false, count: q)
        var tops = [[(pattern: Int, score: Float)]](repeating: [], count: q)
        var lastLSE = [Double](repeating: 0, count: q)
        for _ in 0..<configuration.steps where !active.isEmpty {
            let step = ModernDynamics.step(states, patterns: patterns.values, beta: beta, blockSize: configuration.blockSize,
                                           keep: configuration.reportedWeights, workers: threads) { progress?.advance(by: 1) }
            var stillActive: [Int] = []
            var keptRows: [Int] = []
            for (r, probe) in active.enumerated() {
                energies[probe].append(modernEnergy(logSumExp: step.logSumExp[r], state: states, row: r, beta: configuration.beta))
                steps[probe] += 1
                tops[probe] = step.top[r]
                lastLSE[probe] = step.logSumExp[r]
                var change: Float = 0
                for j in 0..<neurons {
                    let new = step.states.storage[r * neurons + j]
                    change = max(change, abs(new - states.storage[r * neurons + j]))
                    finals.storage[probe * neurons + j] = new
                }
                if Double(change) <= configuration.tolerance {
                    converged[probe] = true
                } else {
                    stillActive.append(probe)
                    keptRows.append(r)
                }
            }
            active = stillActive
            states = step.states.gatherRows(keptRows)
        }

        return (0..<q).map { probe in
            let state = finals.row(probe)
            let pattern = state.map { $0 >= 0 ? Float(1) : -1 }
            let weights = tops[probe].map { (pattern: $0.pattern, weight: Foundation.exp(Double($0.score) - lastLSE[probe])) }
            let best = weights.first
            let exact = best.map { b in patterns.values.storage[(b.pattern * neurons)..<((b.pattern + 1) * neurons)].elementsEqual(pattern) } ?? false
            return ModernRecallResult(state: state, pattern: pattern, steps: steps[probe], converged: converged[probe],
                                      energies: energies[probe], weights: weights,
                                      isMetastable: (best?.weight ?? 0) < configuration.metastableWeight, isExact: exact)
        }
    }
}
