import EnergyCore
import Foundation

/// The transverse-momentum spectrum of charged particles in minimum-bias (pile-up) collisions: the
/// Tsallis (or Hagedorn power-law) form
///
///     dN/dp_T ∝ p_T (1 + p_T / (n T))^(−n)
///
/// (Tsallis 1988, J. Stat. Phys. 52, 479; in this form fitted to LHC minimum bias by CMS,
/// JHEP 02 (2010) 041, and ALICE, Eur. Phys. J. C 73 (2013) 2662). For n > 3 its mean is
/// ⟨p_T⟩ = 2 n T / (n − 3); the default n = 8, T = 0.15625 GeV gives ⟨p_T⟩ = 0.5 GeV, about what
/// the LHC experiments measure at 13 TeV.
///
/// Draws are by inversion of the cumulative distribution: with x = p_T / (n T) the survival
/// function is S(x) = (1 + x)^(1−n) (1 + (n − 1) x), solved for S(x) = u by safeguarded Newton
/// steps (no allocation per draw).
public struct MinimumBiasSpectrum: Codable, Equatable, Sendable {
    /// The power n (> 3 for a finite mean). Default 8.
    public var power: Double
    /// The temperature T, GeV. Default 0.15625.
    public var temperature: Double

    public init(power: Double = 8, temperature: Double = 0.15625) {
        self.power = power
        self.temperature = temperature
    }

    /// ⟨p_T⟩ = 2 n T / (n − 3), GeV.
    public var meanPT: Double { 2 * power * temperature / (power - 3) }

    /// Throws unless n > 3 and T > 0 (both finite).
    ///
    /// - Throws: `ConfigurationError` naming `power` or `temperature`.
    public func validate() throws {
        guard power > 3, power <= 1000 else { throw ConfigurationError(field: "power", "expected a power n in (3, 1000], found \(power)") }
        guard temperature > 0, temperature <= 100 else {
            throw ConfigurationError(field: "temperature", "expected a temperature in (0, 100] GeV, found \(temperature)")
        }
    }

    /// The fraction of particles above `pt`, S(p_T / (n T)).
    public func survival(_ pt: Double) -> Double {
        let x = max(0, pt) / (power * temperature)
        return exp((1 - power) * log1p(x)) * (1 + (power - 1) * x)
    }

    /// One p_T from the spectrum, GeV.
    public func draw(_ random: RandomSource) -> Double {
        let target = log(random.uniformPositive()), n = power
        // Solve g(x) = log S(x) − log u = 0 for x ≥ 0; g decreases from −log u ≥ 0 to −∞.
        func g(_ x: Double) -> Double { (1 - n) * log1p(x) + log1p((n - 1) * x) - target }
        var lo = 0.0, hi = 1.0
        while g(hi) > 0 { lo = hi; hi *= 2; if hi > 1e12 { break } }
        var x = 0.5 * (lo + hi)
        for _ in 0..<60 {
            let value = g(x)
            if value > 0 { lo = x } else { hi = x }
            // g'(x) = (1 − n)/(1 + x) + (n − 1)/(1 + (n − 1) x)
            let slope = (1 - n) / (1 + x) + (n - 1) / (1 + (n - 1) * x)
            var next = slope < 0 ? x - value / slope : 0.5 * (lo + hi)
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 1e-12 * max(1, x) { x = next; break }
            x = next
        }
        return x * n * temperature
    }
}
