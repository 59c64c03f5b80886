import EnergyCore
import Foundation

/// The buffers of one mini-batch update, and the update itself, split into blocks that run on
/// all cores at once.
///
/// Rows 0..<B of `visible` and `hidden` hold the positive phase (v₀, p₀ = P(h | v₀)); rows
/// B..<B+C the negative phase (v⁻, p⁻), with p⁻ scaled by −B/C. The weight gradient of
/// `RBMTrainer` is then the single product
///
///     (v₀ᵀ p₀) / B − (v⁻ᵀ p⁻) / C  =  [v₀; v⁻]ᵀ [p₀; −(B/C) p⁻] / B,
///
/// one GEMM over 2B rows instead of two over B, computed by column blocks of W.
///
/// Phase 1 (Gibbs sampling, `sample`) splits the batch rows and phase 2 (the update, `update`)
/// splits the hidden and the visible units; the workers touch disjoint memory. Each phase-1 block
/// draws from its own stream, seeded from the trainer's stream per batch, so a run depends on the
/// seed and on `blocks` only.
///
/// Sparse batches: MNIST pixels are about 80% zeros and the visible and hidden samples are binary,
/// so most products multiply mostly zeros. Phase 1 hands `Conditionals` a `SparseScratch`, which
/// computes a conditional as the sum of the rows of W (or of Wᵀ, kept in `transposedWeights` and
/// refreshed before phase 1 by `refreshTransposed`) selected by the nonzero inputs, when at most
/// `Conditionals.sparseDensityLimit` of them are nonzero. Phase 2 does the same for the weight
/// gradient when the visible rows [v₀; v⁻] are sparse (`chooseUpdate`): row i of the product is
/// Σ_r y_ri [p₀; −(B/C) p⁻]_r over the rows r with y_ri ≠ 0, and the work is split by visible
/// units instead. These are the same products up to the order of the floating-point summation; the
/// choice depends only on the batch's values, and each output element is summed in an order that
/// does not depend on the split, so a run still depends on the seed and `blocks` only.
final class MiniBatchStep {
    let visibleCount: Int, hiddenCount: Int
    let positives: Int, negatives: Int
    /// The number of blocks each phase is split into.
    let blocks: Int
    /// (B + C) × visible: v₀ then v⁻.
    let visible: UnsafeMutablePointer<Float>
    /// (B + C) × hidden: p₀ then −(B/C) p⁻.
    let hidden: UnsafeMutablePointer<Float>
    /// C × hidden: sampled hidden states of the negative phase.
    let hiddenStates: UnsafeMutablePointer<Float>
    /// hidden × visible: Wᵀ, for the sparse products hWᵀ (current when `transposedIsCurrent`).
    let transposedWeights: UnsafeMutablePointer<Float>
    /// Whether `transposedWeights` holds the current Wᵀ: phase 2 writes it along with W when the next
    /// batch needs it, and `refreshTransposed` otherwise. Only the trainer's updates change W while
    /// this step exists, so it stays current until the next phase 2; phase 1 uses Wᵀ only then.
    var transposedIsCurrent = false
    /// Whether the next batch needs Wᵀ: its hidden samples were sparse in the last batch (and before
    /// the first one).
    private(set) var needsTransposed: Bool
    /// The nonzero count of each block's last hidden sample (phase 1), which sets `needsTransposed`.
    private let hiddenSampleNonzeros: UnsafeMutablePointer<Int>
    /// The nonzero count of each block's rows of v₀ and v⁻ (phase 1), which sets `sparseUpdate`.
    private let visibleNonzeros: UnsafeMutablePointer<Int>
    /// The largest density of the hidden samples for which the next batch computes hWᵀ sparse
    /// (phase 2 then writes Wᵀ along with W).
    static let transposedDensityLimit = Conditionals.sparseDensityLimit
    /// The compressed rows of phase 1: rows 0..<B for the positive phase, B..<B+C for the negative one.
    private let phaseScratch: SparseScratch
    /// Phase 2, sparse: for each visible unit i, its nonzero entries y_ri of [v₀; v⁻] (positions r
    /// and values times ε/B), B + C of room each.
    private let gradientIndices: UnsafeMutablePointer<Int32>, gradientValues: UnsafeMutablePointer<Float>
    private let gradientCounts: UnsafeMutablePointer<Int>
    /// Whether phase 2 computes the weight gradient sparse (set by `chooseUpdate`).
    private(set) var sparseUpdate = false

    /// Whether the products may be computed sparse (otherwise always the GEMMs).
    let sparse: Bool

    init(visible v: Int, hidden h: Int, positives b: Int, negatives c: Int, blocks: Int, sparse: Bool = true) {
        self.sparse = sparse
        needsTransposed = sparse
        visibleCount = v
        hiddenCount = h
        positives = b
        negatives = c
        self.blocks = max(1, min(blocks, b, c))
        visible = .allocate(capacity: (b + c) * v)
        hidden = .allocate(capacity: (b + c) * h)
        hiddenStates = .allocate(capacity: c * h)
        transposedWeights = .allocate(capacity: v * h)
        hiddenSampleNonzeros = .allocate(capacity: self.blocks)
        hiddenSampleNonzeros.initialize(repeating: 0, count: self.blocks)
        visibleNonzeros = .allocate(capacity: self.blocks)
        visibleNonzeros.initialize(repeating: 0, count: self.blocks)
        let stride = max(v, h)
        phaseScratch = SparseScratch(indices: .allocate(capacity: (b + c) * stride), values: .allocate(capacity: (b + c) * stride),
                                     counts: .allocate(capacity: b + c), stride: stride)
        gradientIndices = .allocate(capacity: v * (b + c))
        gradientValues = .allocate(capacity: v * (b + c))
        gradientCounts = .allocate(capacity: v)
        gradientCounts.initialize(repeating: 0, count: v)
    }

    deinit {
        visible.deallocate()
        hidden.deallocate()
        hiddenStates.deallocate()
        transposedWeights.deallocate()
        hiddenSampleNonzeros.deallocate()
        visibleNonzeros.deallocate()
        phaseScratch.indices.deallocate()
        phaseScratch.values.deallocate()
        phaseScratch.counts.deallocate()
        gradientIndices.deallocate()
        gradientValues.deallocate()
        gradientCounts.deallocate()
    }

    /// The scratch of phase 1 from row `r` on (0..<B positive, B..<B+C negative); nil without `sparse`.
    private func scratch(from r: Int) -> SparseScratch? {
        guard sparse else { return nil }
        return phaseScratch.rows(from: r)
    }

    /// Wᵀ for the hidden units of block `w` (rows of `transposedWeights`), from the weights.
    func refreshTransposed(block w: Int, weights: UnsafePointer<Float>) {
        SparseRows.transpose(weights, rows: visibleCount, columns: hiddenCount, into: transposedWeights,
                             transposedRows: block(w, of: hiddenCount))
    }

    /// The rows of block `w` out of `blocks` of a range of `n` rows.
    func block(_ w: Int, of n: Int) -> Range<Int> { (w * n / blocks)..<((w + 1) * n / blocks) }

    // MARK: Phase 1: sampling

    /// Phase 1 for the rows of block `w`: the positive phase on data rows `batch`, then k Gibbs
    /// steps of the negative phase, from the data (CD-k, Hinton 2002) or from `chains` (PCD,
    /// Tieleman 2008, whose block rows are advanced in place).
    func sample(block w: Int, data: UnsafePointer<Float>, batch: ArraySlice<Int>, chains: UnsafeMutablePointer<Float>?,
                steps k: Int, model: Conditionals, random: RandomSource) {
        let v = visibleCount, h = hiddenCount, b = positives
        let rows = block(w, of: b)
        for r in rows {
            (visible + r * v).update(from: data + batch[batch.startIndex + r] * v, count: v)
        }
        let model = transposedIsCurrent ? model.with(transposedWeights: transposedWeights) : model
        model.hiddenProbabilities(visible + rows.lowerBound * v, rows: rows.count, into: hidden + rows.lowerBound * h,
                                  scratch: scratch(from: rows.lowerBound))

        let negativeRows = block(w, of: negatives)
        let nv = visible + (b + negativeRows.lowerBound) * v
        let np = hidden + (b + negativeRows.lowerBound) * h
        let hs = hiddenStates + negativeRows.lowerBound * h
        let n = negativeRows.count
        let negativeScratch = scratch(from: b + negativeRows.lowerBound)
        if let chains {
            nv.update(from: chains + negativeRows.lowerBound * v, count: n * v)
            for _ in 0..<k {
                model.hiddenSample(nv, rows: n, into: hs, random: random, scratch: negativeScratch)
                model.visibleSample(hs, rows: n, into: nv, random: random, scratch: negativeScratch)
            }
            (chains + negativeRows.lowerBound * v).update(from: nv, count: n * v)
        } else {
            // CD: the negative chains start at this block's own data rows (C = B).
            hs.update(from: hidden + negativeRows.lowerBound * h, count: n * h)
            random.sampleBernoulli(UnsafeMutableBufferPointer(start: hs, count: n * h))
            for step in 0..<k {
                model.visibleSample(hs, rows: n, into: nv, random: random, scratch: negativeScratch)
                if step < k - 1 { model.hiddenSample(nv, rows: n, into: hs, random: random, scratch: negativeScratch) }
            }
        }
        // The hidden sample the last visible sample was drawn from (none without Gibbs steps: counted dense).
        hiddenSampleNonzeros[w] = k > 0 ? SparseRows.nonzeros(hs, count: n * h) : n * h
        model.hiddenProbabilities(nv, rows: n, into: np, scratch: negativeScratch)
        visibleNonzeros[w] = SparseRows.nonzeros(visible + rows.lowerBound * v, count: rows.count * v) + SparseRows.nonzeros(nv, count: n * v)
        let scale = -Float(b) / Float(negatives)
        for i in 0..<(n * h) { np[i] *= scale }
    }

    /// Whether every hidden probability of the batch is finite (a NaN in the parameters shows
    /// here within one batch).
    func hiddenIsFinite() -> Bool {
        for i in 0..<((positives + negatives) * hiddenCount) where !hidden[i].isFinite { return false }
        return true
    }

    // MARK: Phase 2: the update

    /// Chooses the kernel of phase 2 from the nonzero counts of phase 1: sparse when at most
    /// `Conditionals.sparseDensityLimit` of [v₀; v⁻] is nonzero, and never after `centred` (centring
    /// moved the rows away from zero). Also records whether the next batch needs Wᵀ: when the
    /// hidden samples of phase 1 had a density of at most `transposedDensityLimit`.
    func chooseUpdate(centred: Bool) {
        let n = positives + negatives
        var nonzeros = 0, hiddenNonzeros = 0
        for w in 0..<blocks {
            nonzeros += visibleNonzeros[w]
            hiddenNonzeros += hiddenSampleNonzeros[w]
        }
        sparseUpdate = sparse && !centred && Double(nonzeros) <= Conditionals.sparseDensityLimit * Double(n * visibleCount)
        needsTransposed = sparse && Double(hiddenNonzeros) <= Self.transposedDensityLimit * Double(negatives * hiddenCount)
        transposedIsCurrent = needsTransposed
    }

    /// Phase 2 for block `w`: the columns `block(w, of: hidden)` of the hidden bias, the visible
    /// units `block(w, of: visible)` of the visible bias, and the weights: the same columns of W
    /// (dense), or the rows of W of the same visible units (`sparseUpdate`).
    func update(block w: Int, of target: UpdateTarget, rule: UpdateRule, sparsity: SparsityCorrection?) {
        let columns = block(w, of: hiddenCount), units = block(w, of: visibleCount)
        if sparseUpdate {
            updateWeightsSparse(units: units, of: target, rule: rule, sparsity: sparsity)
        } else if !columns.isEmpty {
            updateWeights(columns: columns, of: target, rule: rule, sparsity: sparsity)
            if needsTransposed { refreshTransposed(block: w, weights: target.weights) }
        }
        if !columns.isEmpty { updateHiddenBias(columns: columns, of: target, rule: rule, sparsity: sparsity) }
        updateVisibleBias(units: units, of: target, rule: rule)
    }

    /// The weight update of `updateWeights` for the rows `units` of W, with the gradient summed over
    /// the nonzero entries of [v₀; v⁻] only: row i of ΔW is μ ΔW_i + Σ_{r: y_ri ≠ 0} (ε/B) y_ri hidden_r.
    private func updateWeightsSparse(units: Range<Int>, of target: UpdateTarget, rule: UpdateRule, sparsity: SparsityCorrection?) {
        let v = visibleCount, h = hiddenCount, rows = positives + negatives
        guard !units.isEmpty else { return }
        // Each unit's nonzero entries (ε/B) y_ri, in increasing r; then ΔW_i ← μ ΔW_i + Σ_r (ε/B) y_ri hidden_r.
        SparseRows.transposeColumns(visible, rows: rows, leadingDimension: v, columns: units, scale: rule.rate,
                                    counts: gradientCounts + units.lowerBound, indices: gradientIndices + units.lowerBound * rows,
                                    values: gradientValues + units.lowerBound * rows, stride: rows)
        SparseRows.multiply(rows: units.count, counts: gradientCounts + units.lowerBound, indices: gradientIndices + units.lowerBound * rows,
                            values: gradientValues + units.lowerBound * rows, stride: rows, matrix: hidden, leadingDimension: h, columns: h,
                            beta: rule.momentum, into: target.weightVelocity + units.lowerBound * h, ldx: h)
        for i in units {
            let velocity = target.weightVelocity + i * h, weights = target.weights + i * h
            if let sparsity {
                let visibleTerm = -sparsity.cost * sparsity.visibleMean[i]
                for j in 0..<h { velocity[j] += visibleTerm * sparsity.excess[j] }
            }
            for j in 0..<h {
                let d = velocity[j] - rule.decay * weights[j]
                velocity[j] = d
                weights[j] += d
            }
            if needsTransposed {
                // Column i of Wᵀ: the 500 or so cache lines it touches stay in L1 from one i to the next.
                let t = transposedWeights + i
                for j in 0..<h { t[j * v] = weights[j] }
            }
        }
    }

    /// ΔW ← μ ΔW + (ε/B) [v₀; v⁻]ᵀ [p₀; −(B/C) p⁻] − ελW (plus the sparsity term); W ← W + ΔW, for
    /// the hidden units `columns`.
    private func updateWeights(columns: Range<Int>, of target: UpdateTarget, rule: UpdateRule, sparsity: SparsityCorrection?) {
        let v = visibleCount, h = hiddenCount, n = columns.count, c0 = columns.lowerBound
        Float.gemm(transposeA: true, transposeB: false, m: v, n: n, k: positives + negatives, alpha: rule.rate,
                   a: visible, lda: v, b: hidden + c0, ldb: h, beta: rule.momentum, c: target.weightVelocity + c0, ldc: h)
        for i in 0..<v {
            let velocity = target.weightVelocity + i * h + c0, weights = target.weights + i * h + c0
            if let sparsity {
                let visibleTerm = -sparsity.cost * sparsity.visibleMean[i]
                for j in 0..<n { velocity[j] += visibleTerm * sparsity.excess[c0 + j] }
            }
            for j in 0..<n {
                let d = velocity[j] - rule.decay * weights[j]
                velocity[j] = d
                weights[j] += d
            }
        }
    }

    /// Δb ← μ Δb + (ε/B) (Σ p₀ − (B/C) Σ p⁻) (minus the sparsity term); b ← b + Δb, for the hidden
    /// units `columns`. The column sums are accumulated row by row for contiguous access.
    private func updateHiddenBias(columns: Range<Int>, of target: UpdateTarget, rule: UpdateRule, sparsity: SparsityCorrection?) {
        let h = hiddenCount, n = columns.count, c0 = columns.lowerBound
        var sums = [Float](repeating: 0, count: n)
        for r in 0..<(positives + negatives) {
            let row = hidden + r * h + c0
            for j in 0..<n { sums[j] += row[j] }
        }
        for j in columns {
            var d = rule.momentum * target.hiddenVelocity[j] + rule.rate * sums[j - c0]
            if let sparsity { d -= sparsity.cost * sparsity.excess[j] }
            target.hiddenVelocity[j] = d
            target.hiddenBias[j] += d
        }
    }

    /// Δa ← μ Δa + (ε/B) (Σ v₀ − (B/C) Σ v⁻); a ← a + Δa, for the visible units `units`.
    private func updateVisibleBias(units: Range<Int>, of target: UpdateTarget, rule: UpdateRule) {
        let v = visibleCount, i0 = units.lowerBound
        let negativeScale = -Float(positives) / Float(negatives)
        var positive = [Float](repeating: 0, count: units.count), negative = positive
        for r in 0..<(positives + negatives) {
            let row = visible + r * v + i0
            if r < positives {
                for i in 0..<units.count { positive[i] += row[i] }
            } else {
                for i in 0..<units.count { negative[i] += row[i] }
            }
        }
        for i in units {
            let d = rule.momentum * target.visibleVelocity[i] + rule.rate * (positive[i - i0] + negativeScale * negative[i - i0])
            target.visibleVelocity[i] = d
            target.visibleBias[i] += d
        }
    }
}

/// Raw views of the parameters and their velocities, which phase 2 updates in place.
struct UpdateTarget: @unchecked Sendable {
    let weights: UnsafeMutablePointer<Float>
    let visibleBias: UnsafeMutablePointer<Float>
    let hiddenBias: UnsafeMutablePointer<Float>
    let weightVelocity: UnsafeMutablePointer<Float>
    let visibleVelocity: UnsafeMutablePointer<Float>
    let hiddenVelocity: UnsafeMutablePointer<Float>
}

/// The scalars of one update: ε/B, μ and ελ.
struct UpdateRule {
    /// The learning rate over the batch size, ε/B.
    let rate: Float
    /// μ.
    let momentum: Float
    /// The weight decay times the learning rate, ελ.
    let decay: Float
}

/// The sparsity term of Hinton (2010 §11) for one batch: the excess q − p of each hidden unit's
/// running activity over the target, and the batch mean of v₀, scaled by ε c.
struct SparsityCorrection {
    let cost: Float
    let excess: [Float]
    let visibleMean: [Float]
}
