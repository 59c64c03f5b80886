import EnergyCore
import Foundation

/// The exact log partition function of a small RBM, by enumerating the states of its smaller layer.
///
/// Summing out the other layer analytically, with x = a + W h for an enumerated hidden state h,
///
///     log Z = log Σ_h exp( bᵀh + Σᵢ softplus(xᵢ) )                          (Bernoulli visible)
///     log Z = log Σ_h exp( bᵀh + ½‖x‖² − ½‖a‖² ) + (D/2) log 2π               (Gaussian visible)
///
/// or, enumerating binary visible states v, log Z = log Σ_v exp(−F(v)). The states are processed in
/// chunks: one GEMM each, then a streaming log-sum-exp in Float64.
public enum PartitionFunction {
    /// The largest layer that is enumerated (2²⁵ ≈ 3.4·10⁷ states).
    public static let maximumEnumeratedUnits = 25

    /// log Z, exactly.
    ///
    /// - Throws: `InputError` naming `source` when the smaller enumerable layer has more than
    ///   `maximumEnumeratedUnits` units (Gaussian visible units can only be integrated out, so there
    ///   the hidden layer must be small).
    public static func exactLogZ(_ rbm: RestrictedBoltzmannMachine, source: String = "model",
                                 threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Double {
        let enumerateHidden = enumeratesHidden(rbm)
        let units = enumeratedUnits(rbm)
        guard units <= maximumEnumeratedUnits else {
            throw InputError(file: source, "exact log Z enumerates 2^\(units) states; that needs a layer of at most "
                             + "\(maximumEnumeratedUnits) units\(rbm.visibleUnits == .gaussian ? " (the hidden layer, for Gaussian visible units)" : ""); "
                             + "estimate log Z by annealed importance sampling instead")
        }
        let states = 1 << units
        let chunk = min(states, 4096)
        let chunks = (states + chunk - 1) / chunk
        let workers = max(1, min(threads, chunks))
        var partial = [(max: Double, sum: Double)](repeating: (-.infinity, 0), count: workers)
        partial.withUnsafeMutableBufferPointer { out in
            Parallel.run(workers: workers) { w in
                var acc = (max: -Double.infinity, sum: 0.0)
                var enumerated = Matrix<Float>(rows: chunk, columns: units)
                for c in stride(from: w, to: chunks, by: workers) {
                    let first = c * chunk, count = min(chunk, states - first)
                    if enumerated.rows != count { enumerated = Matrix(rows: count, columns: units) }
                    for r in 0..<count {
                        let code = first + r
                        for u in 0..<units { enumerated[r, u] = Float((code >> u) & 1) }
                    }
                    let terms = enumerateHidden ? hiddenTerms(rbm, enumerated) : rbm.freeEnergy(enumerated).map { -$0 }
                    for t in terms { accumulate(&acc, t) }
                }
                out[w] = acc
            }
        }
        var total = (max: -Double.infinity, sum: 0.0)
        for p in partial where p.sum > 0 {
            if p.max > total.max {
                total = (p.max, p.sum + total.sum * exp(total.max - p.max))
            } else {
                total.sum += p.sum * exp(p.max - total.max)
            }
        }
        var logZ = total.max + log(total.sum)
        if rbm.visibleUnits == .gaussian { logZ += 0.5 * Double(rbm.visibleCount) * log(2 * Double.pi) }
        return logZ
    }

    /// Whether `exactLogZ` enumerates the hidden layer (else the visible one): the smaller layer, and
    /// always the hidden one for Gaussian visible units, which are integrated out.
    static func enumeratesHidden(_ rbm: RestrictedBoltzmannMachine) -> Bool {
        rbm.visibleUnits == .gaussian || rbm.hiddenCount <= rbm.visibleCount
    }

    /// The number of units whose 2ⁿ states `exactLogZ` enumerates.
    public static func enumeratedUnits(_ rbm: RestrictedBoltzmannMachine) -> Int {
        enumeratesHidden(rbm) ? rbm.hiddenCount : rbm.visibleCount
    }

    /// log Σ_v exp(−E(v, h)) for each enumerated hidden row h.
    static func hiddenTerms(_ rbm: RestrictedBoltzmannMachine, _ h: Matrix<Float>) -> [Double] {
        var x = Matrix<Float>(rows: h.rows, columns: rbm.visibleCount)
        rbm.visibleInput(h, into: &x)
        let bh = h.multiplied(by: rbm.hiddenBias)
        let halfA2 = rbm.visibleBias.reduce(0.0) { $0 + 0.5 * Double($1) * Double($1) }
        var out = [Double](repeating: 0, count: h.rows)
        x.storage.withUnsafeBufferPointer { p in
            let d = rbm.visibleCount
            for r in 0..<h.rows {
                var s = Double(bh[r])
                let row = p.baseAddress! + r * d
                switch rbm.visibleUnits {
                case .bernoulli:
                    // softplus in Float32, summed in Float64 per row: log(1 + e^−|x|) carries an
                    // absolute error of ~1e-7 per term, which is what matters in a sum.
                    var rowSum: Float = 0
                    for i in 0..<d {
                        let x = row[i]
                        rowSum += max(x, 0) + logf(1 + expf(-abs(x)))
                    }
                    s += Double(rowSum)
                case .gaussian:
                    for i in 0..<d { s += 0.5 * Double(row[i]) * Double(row[i]) }
                    s -= halfA2
                }
                out[r] = s
            }
        }
        return out
    }

    @inline(__always) static func accumulate(_ acc: inout (max: Double, sum: Double), _ t: Double) {
        if t > acc.max {
            acc.sum = acc.sum * exp(acc.max - t) + 1
            acc.max = t
        } else {
            acc.sum += exp(t - acc.max)
        }
    }
}
