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

    init(visible v: Int, hidden h: Int, positives b: Int, negatives c: Int, blocks: Int) {
        visibleCount = v
        hiddenCount = h
        positives = b
        negatives = c
        self.blocks = max(1, min(blocks, b, c))
        visible = .allocate(capacity: (b + c) * v)
        hidden = .allocate(capacity: (b + c) * h)
        hiddenStates = .allocate(capacity: c * h)
    }

    deinit {
        visible.deallocate()
        hidden.deallocate()
        hiddenStates.deallocate()
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
        model.hiddenProbabilities(visible + rows.lowerBound * v, rows: rows.count, into: hidden + rows.lowerBound * h)

        let negativeRows = block(w, of: negatives)
        let nv = visible + (b + negativeRows.lowerBound) * v
        let np = hidden + (b + negativeRows.lowerBound) * h
        let hs = hiddenStates + negativeRows.lowerBound * h
        let n = negativeRows.count
        if let chains {
            nv.update(from: chains + negativeRows.lowerBound * v, count: n * v)
            for _ in 0..<k {
                model.hiddenProbabilities(nv, rows: n, into: hs)
                random.sampleBernoulli(UnsafeMutableBufferPointer(start: hs, count: n * h))
                model.visibleSample(hs, rows: n, into: nv, random: random)
            }
            (chains + negativeRows.lowerBound * v).update(from: nv, count: n * v)
        } else {
            // CD: the negative chains start at this block's own data rows (C = B).
            hs.update(from: hidden + negativeRows.lowerBound * h, count: n * h)
            random.sampleBernoulli(UnsafeMutableBufferPointer(start: hs, count: n * h))
            for step in 0..<k {
                model.visibleSample(hs, rows: n, into: nv, random: random)
                if step < k - 1 {
                    model.hiddenProbabilities(nv, rows: n, into: hs)
                    random.sampleBernoulli(UnsafeMutableBufferPointer(start: hs, count: n * h))
                }
            }
        }
        model.hiddenProbabilities(nv, rows: n, into: np)
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

    /// Phase 2 for block `w`: the columns `block(w, of: hidden)` of W and of the hidden bias, and
    /// the visible units `block(w, of: visible)` of the visible bias.
    func update(block w: Int, of target: UpdateTarget, rule: UpdateRule, sparsity: SparsityCorrection?) {
        let columns = block(w, of: hiddenCount)
        if !columns.isEmpty {
            updateWeights(columns: columns, of: target, rule: rule, sparsity: sparsity)
            updateHiddenBias(columns: columns, of: target, rule: rule, sparsity: sparsity)
        }
        updateVisibleBias(units: block(w, of: visibleCount), of: target, rule: rule)
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
