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
/// Phase 1 (Gibbs sampling) splits the batch rows and phase 2 (the update) splits the hidden
/// units; the workers touch disjoint memory. Each phase-1 block draws from its own stream, seeded
/// from the trainer's stream per batch, so a run depends on the seed and on `blocks` only.
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
}
