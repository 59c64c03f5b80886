import EnergyCore
import Foundation

/// The state of one recall in progress: N bipolar neurons and whatever the model maintains to
/// update them in O(N) or O(P) per neuron rather than O(N²).
///
/// `drive(i)` is half the energy gap between z_i = −1 and z_i = +1, (E(−) − E(+)) / 2: for the
/// pairwise network this is a_i − T_i with the local field a_i = Σ_j w_ij z_j + x_i. A neuron
/// aligns with the sign of its drive and stays put when the drive is 0, so every flip lowers E.
protocol NeuronDynamics {
    /// The neurons, ±1.
    var state: UnsafeMutableBufferPointer<Float> { get }
    /// Half the energy gap (E(z_i = −1) − E(z_i = +1)) / 2.
    func drive(_ i: Int) -> Float
    /// Flips neuron i and updates what is maintained.
    mutating func flip(_ i: Int)
    /// The current energy.
    func energy() -> Double
}

/// The pairwise Hopfield network, with local fields h = W z updated incrementally: flipping z_j
/// adds −2 z_j w_·j to h (one AXPY over row j, W being symmetric).
struct PairwiseDynamics: NeuronDynamics {
    let n: Int
    let weights: UnsafePointer<Float>
    let thresholds: UnsafePointer<Float>
    let input: UnsafePointer<Float>
    let state: UnsafeMutableBufferPointer<Float>
    let fields: UnsafeMutableBufferPointer<Float>

    @inline(__always) func drive(_ i: Int) -> Float {
        fields[i] + input[i] - thresholds[i]
    }

    @inline(__always) mutating func flip(_ i: Int) {
        let delta = -2 * state[i]
        state[i] = -state[i]
        Float.axpy(count: n, alpha: delta, x: weights + i * n, y: fields.baseAddress!)
    }

    func energy() -> Double {
        var e = 0.0
        for i in 0..<n {
            let z = Double(state[i])
            e += z * (-0.5 * Double(fields[i]) - Double(input[i]) + Double(thresholds[i]))
        }
        return e
    }
}

/// The dense associative memory (Krotov & Hopfield 2016), with the overlaps m_μ = ξ^μ · z
/// maintained incrementally. Neuron i's drive is
///
///     ½ Σ_μ [F(m_μ − ξ_i^μ z_i + ξ_i^μ) − F(m_μ − ξ_i^μ z_i − ξ_i^μ)],
///
/// and with the exponential F it is taken on the log scale, ½ [lse(…+) − lse(…−)], matching the
/// reported energy −log Σ_μ exp(m_μ).
struct DenseDynamics: NeuronDynamics {
    let n: Int
    let p: Int
    /// Ξᵀ, N × P, so that neuron i's pattern bits are contiguous.
    let patternsByNeuron: UnsafePointer<Float>
    let function: InteractionFunction
    let state: UnsafeMutableBufferPointer<Float>
    let overlaps: UnsafeMutableBufferPointer<Float>

    func drive(_ i: Int) -> Float {
        let xi = patternsByNeuron + i * p
        let z = state[i]
        switch function {
        case .polynomial(let degree):
            var gap = 0.0
            for mu in 0..<p {
                let rest = Double(overlaps[mu] - xi[mu] * z)
                let x = Double(xi[mu])
                gap += Self.power(rest + x, degree) - Self.power(rest - x, degree)
            }
            return Float(0.5 * gap)
        case .exponential:
            // lse over μ of rest_μ ± ξ_iμ, shifted by the largest rest for stability.
            var top = -Double.infinity
            for mu in 0..<p { top = max(top, Double(overlaps[mu] - xi[mu] * z)) }
            var plus = 0.0, minus = 0.0
            for mu in 0..<p {
                let rest = Double(overlaps[mu] - xi[mu] * z) - top
                let x = Double(xi[mu])
                plus += exp(rest + x)
                minus += exp(rest - x)
            }
            return Float(0.5 * (log(plus) - log(minus)))
        }
    }

    mutating func flip(_ i: Int) {
        let delta = -2 * state[i]
        state[i] = -state[i]
        Float.axpy(count: p, alpha: delta, x: patternsByNeuron + i * p, y: overlaps.baseAddress!)
    }

    func energy() -> Double {
        DenseDynamics.energy(overlaps: (0..<p).map { Double(overlaps[$0]) }, function)
    }

    /// E = −Σ_μ F(m_μ), or −log Σ_μ exp(m_μ) for the exponential F.
    static func energy(overlaps m: [Double], _ f: InteractionFunction) -> Double {
        switch f {
        case .polynomial(let degree): return -m.reduce(0) { $0 + power($1, degree) }
        case .exponential: return m.isEmpty ? 0 : -logSumExp(m)
        }
    }

    @inline(__always) static func power(_ x: Double, _ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= x }
        return r
    }

}
