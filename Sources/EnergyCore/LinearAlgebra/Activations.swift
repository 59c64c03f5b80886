import CSparseKernels
import Foundation

/// The logistic sigmoid σ(x) = 1 / (1 + e^(−x)), evaluated without overflow for large |x|.
@inlinable public func logistic<T: BinaryFloatingPoint>(_ x: T) -> T {
    if x >= 0 {
        return 1 / (1 + T(exp(-Double(x))))
    }
    let e = T(exp(Double(x)))
    return e / (1 + e)
}

/// softplus(x) = log(1 + e^x), evaluated stably: x + log1p(e^(−x)) for x > 0, log1p(e^x) otherwise.
@inlinable public func softplus(_ x: Double) -> Double {
    x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
}

/// log Σ exp(xᵢ), evaluated stably by shifting by the maximum.
public func logSumExp<C: Collection>(_ xs: C) -> Double where C.Element == Double {
    guard let m = xs.max(), m.isFinite else { return xs.max() ?? -.infinity }
    var s = 0.0
    for x in xs { s += exp(x - m) }
    return m + log(s)
}

/// Applies the logistic sigmoid σ(x) = 1 / (1 + e^(−x)) to every element of `buffer`, in place,
/// without overflow for large |x| and without allocating.
///
/// Both branches share e = exp(−|x|): σ(x) = 1 / (1 + e) for x ≥ 0 and e / (1 + e) otherwise, chosen
/// by a select rather than a branch (the signs of pre-activations are unpredictable). exp is Cephes'
/// single-precision polynomial (within 2 ulp of exp) in a C kernel (`CSparseKernels`' Logistic.c),
/// eight lanes at a time with fused multiply-adds on processors with AVX2 and FMA, so σ agrees with
/// the scalar `logistic` to a few ulp; a NaN stays NaN.
@inlinable public func applyLogistic(_ buffer: UnsafeMutableBufferPointer<Float>) {
    guard let base = buffer.baseAddress else { return }
    ebm_logistic(base, buffer.count)
}

extension Matrix where Scalar == Float {
    /// Applies the logistic sigmoid to every element, in place.
    @inlinable public mutating func applyLogistic() {
        storage.withUnsafeMutableBufferPointer { EnergyCore.applyLogistic($0) }
    }
}
