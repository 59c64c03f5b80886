import EnergyCore
import Foundation

extension AssociativeMemory {
    /// Recalls each probe: runs `mode` from the probe until a fixed point (or `maxSweeps`), then
    /// matches the final state against the stored patterns.
    ///
    /// The initial local fields of all probes come from one GEMM (H = Z W, or the overlaps Z Ξᵀ for
    /// the dense memory); after that each flip updates the fields incrementally (one AXPY). Probes are
    /// spread over `threads` workers; each probe draws from its own generator, seeded in order from
    /// `random`, so the output depends on the seed only, not on the number of threads.
    ///
    /// - Parameters:
    ///   - probes: the starting states, one per probe, with as many neurons as the memory.
    ///   - mode: the update rule: asynchronous, synchronous or stochastic (Glauber) dynamics.
    ///   - maxSweeps: the most sweeps over the neurons before a probe is given up as not converged.
    ///   - random: the stream from which each probe's generator is seeded, in order.
    ///   - input: an external input x added to every local field (pairwise rules only).
    ///   - threads: workers; the results do not depend on them.
    ///   - source: the name of the probes for messages, e.g. their file.
    /// - Throws: `ConfigurationError` naming `rule` for a modern memory (see `recallModern`),
    ///   `maxSweeps`, `mode.schedule.…` (an unusable stochastic schedule) or `input` (an external
    ///   input of another size); `InputError` naming `source` when
    ///   the probes have a different number of neurons.
    public func recall(_ probes: PatternSet, mode: RecallMode = .asynchronous, maxSweeps: Int = 100,
                       random: RandomSource, input: [Float]? = nil,
                       threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                       source: String = "probes") throws -> [RecallResult] {
        try Self.validateRecall(mode: mode, maxSweeps: maxSweeps)
        guard !isModern else {
            throw ConfigurationError(field: "rule", "the memory uses the modern rule, which recalls with an inverse temperature β")
        }
        if let input, input.count != neurons {
            throw ConfigurationError(field: "input", "expected \(neurons) values, one per neuron, got \(input.count)")
        }
        guard probes.neurons == neurons else {
            throw InputError(file: source, "probes have \(probes.neurons) neurons; the memory has \(neurons)")
        }
        let k = probes.count
        guard k > 0 else { return [] }
        let generators = (0..<k).map { _ in random.next64() }

        // Initial fields (pairwise) or overlaps (dense) of the whole batch: one GEMM.
        let initial = isDense ? Matrix.product(probes.values, patterns.values, transposeB: true)
                              : Matrix.product(probes.values, weights)  // W is symmetric: Z W = Z Wᵀ
        let patternsByNeuron = isDense ? patterns.values.transposed : Matrix<Float>(rows: 0, columns: 0)
        let inputVector = input ?? [Float](repeating: 0, count: neurons)

        var finals = probes.values
        var trajectories = [Trajectory?](repeating: nil, count: k)
        let workers = max(1, min(threads, k))
        finals.storage.withUnsafeMutableBufferPointer { finalBuf in
            trajectories.withUnsafeMutableBufferPointer { trajBuf in
                Parallel.run(workers: workers) { worker in
                    var scratch = RecallScratch(neurons: neurons, width: initial.columns)
                    for probe in stride(from: worker, to: k, by: workers) {
                        let rng = random.sibling(seed: generators[probe])
                        let state = UnsafeMutableBufferPointer(rebasing: finalBuf[(probe * neurons)..<((probe + 1) * neurons)])
                        trajBuf[probe] = recallOne(state: state, initialFields: initial, row: probe, mode: mode,
                                                   maxSweeps: maxSweeps, random: rng, input: inputVector,
                                                   patternsByNeuron: patternsByNeuron, scratch: &scratch)
                    }
                    scratch.deallocate()
                }
            }
        }

        let matches = match(finals)
        return (0..<k).map { r in
            let t = trajectories[r]!, m = matches[r]
            return RecallResult(state: finals.row(r), energies: t.energies, sweeps: t.sweeps, converged: t.converged,
                                cycle: t.cycle, nearest: m.index, overlap: m.overlap, hamming: m.hamming, outcome: m.outcome)
        }
    }

    /// Refuses recall settings that cannot run: an unusable stochastic schedule (`mode.schedule.…`)
    /// or fewer than one sweep (`maxSweeps`). Configurations that hold these two fields check them here.
    static func validateRecall(mode: RecallMode, maxSweeps: Int) throws {
        try ConfigurationError.nesting("mode") { try mode.validate() }
        guard maxSweeps >= 1 else { throw ConfigurationError(field: "maxSweeps", "expected at least 1 sweep, got \(maxSweeps)") }
    }

    /// Runs the dynamics of one probe whose state is `state` (updated in place).
    private func recallOne(state: UnsafeMutableBufferPointer<Float>, initialFields: Matrix<Float>, row: Int,
                           mode: RecallMode, maxSweeps: Int, random: RandomSource, input: [Float],
                           patternsByNeuron: Matrix<Float>, scratch: inout RecallScratch) -> Trajectory {
        let width = initialFields.columns
        // Each probe starts from the identity order, so its shuffles depend on its own generator only.
        for i in scratch.order.indices { scratch.order[i] = Int32(i) }
        initialFields.storage.withUnsafeBufferPointer { src in
            _ = scratch.fields.update(fromContentsOf: src[(row * width)..<((row + 1) * width)])
        }
        if case .dense(let f) = rule {
            return patternsByNeuron.storage.withUnsafeBufferPointer { xi in
                var d = DenseDynamics(n: neurons, p: patterns.count, patternsByNeuron: xi.baseAddress!, function: f,
                                      state: state, overlaps: scratch.fields)
                return RecallEngine.run(&d, mode: mode, maxSweeps: maxSweeps, random: random, order: &scratch.order,
                                        scratch: scratch.drives, previous: scratch.previous)
            }
        }
        return weights.storage.withUnsafeBufferPointer { w in
            thresholds.withUnsafeBufferPointer { t in
                input.withUnsafeBufferPointer { x in
                    var d = PairwiseDynamics(n: neurons, weights: w.baseAddress!, thresholds: t.baseAddress!,
                                             input: x.baseAddress!, state: state, fields: scratch.fields)
                    return RecallEngine.run(&d, mode: mode, maxSweeps: maxSweeps, random: random, order: &scratch.order,
                                            scratch: scratch.drives, previous: scratch.previous)
                }
            }
        }
    }

    /// The nearest stored pattern of each state row, by |overlap| (one GEMM: S Ξᵀ / N).
    public func match(_ states: Matrix<Float>) -> [(index: Int, overlap: Double, hamming: Int, outcome: RecallOutcome)] {
        let n = neurons, p = patterns.count
        guard p > 0 else {
            return Array(repeating: (-1, 0, n, .spurious), count: states.rows)
        }
        let dots = Matrix.product(states, patterns.values, transposeB: true)
        return (0..<states.rows).map { r in
            var best = 0
            for mu in 1..<p where abs(dots[r, mu]) > abs(dots[r, best]) { best = mu }
            let d = Double(dots[r, best])
            let hamming = Int((Double(n) - abs(d)) / 2)
            let outcome: RecallOutcome = hamming == 0 ? (d > 0 ? .stored : .negation) : .spurious
            return (best, d / Double(n), hamming, outcome)
        }
    }
}

/// Per-worker buffers, allocated once per worker and reused for every probe it recalls.
private struct RecallScratch {
    let fields: UnsafeMutableBufferPointer<Float>
    let drives: UnsafeMutableBufferPointer<Float>
    let previous: UnsafeMutableBufferPointer<Float>
    var order: [Int32]

    init(neurons: Int, width: Int) {
        fields = .allocate(capacity: max(width, 1))
        drives = .allocate(capacity: neurons)
        previous = .allocate(capacity: neurons)
        order = (0..<neurons).map(Int32.init)
    }

    func deallocate() {
        fields.deallocate()
        drives.deallocate()
        previous.deallocate()
    }
}
