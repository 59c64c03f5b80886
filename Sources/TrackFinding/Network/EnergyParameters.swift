import EnergyCore
import Foundation

/// The constants of the Denby–Peterson energy (Denby 1988; Peterson 1989; Stimpfl-Abele &
/// Garrido 1991):
///
///     E = −½ Σ_ijl [cos^m θ_ijl / (r_ij^λ + r_jl^λ)] V_ij V_jl
///         + (α/2) [Σ_forks V_ij V_il + Σ_joins V_ij V_kj] + (β/2) (Σ V − N_hits)²
///
/// The sums run over ordered pairs of neurons (each unordered pair twice), so with the symmetric
/// weight T_ab = cos^m θ_ab / (r_a^λ + r_b^λ) for a chain a → b, and T_ab = −α for a fork (same
/// first hit) or a join (same last hit), E = −½ Σ_ab T_ab V_a V_b + (β/2)(Σ V − N)².
///
/// Lengths enter in units of the mean length of the segments joining the same layer to the next
/// one, so that a direct segment has length ≈ 1 and one skipping a layer ≈ 2 whatever the layer
/// spacing, and α, β and the temperatures do not depend on the detector's size.
public struct EnergyParameters: Codable, Equatable, Sendable {
    /// How segment lengths weigh a chain.
    public enum LengthForm: String, Codable, CaseIterable, Sendable {
        /// 1 / (r_ij^λ + r_jl^λ) (Stimpfl-Abele & Garrido 1991).
        case sum
        /// 1 / (r_ij r_jl) (Denby 1988).
        case product
    }

    /// The exponent m of cos^m θ. Default 50: a 1° kink keeps 99% of the weight, 3° (0.05 rad) 94%;
    /// with kinks measured against the helix (or a straight line without field) true tracks kink by
    /// milliradians, so a large m separates them from wrong continuations.
    public var angleExponent: Double
    /// The exponent λ of the sum form. Default 1.
    public var lengthExponent: Double
    /// The length form. Default `.sum`.
    public var lengthForm: LengthForm
    /// Largest kink θ, in rad, that still connects two segments; above it the weight is 0, which
    /// keeps the network sparse. Default 0.05.
    public var maxAngle: Double
    /// In a barrel in a field, measure θ against a helix from the beam line rather than a straight
    /// line (`Segment.helixKink`), so that curved tracks are not penalised. Default true.
    public var helixKinks: Bool
    /// With helix kinks along a layer graph whose layers know their resolution, the error (rad)
    /// of the r–z kink below which it counts as an angle; kinks with a larger error from the hits'
    /// resolution are scaled down to it (`Segment.helixKink`). 0 (the default) leaves the r–z kink
    /// as measured. In a dipole spectrometer (`TrackFinderConfiguration.dipole` with `sigmaY` > 0)
    /// it is the reference error of the y kink instead (`DipoleField.kink`).
    public var rzResolution: Double
    /// The fork and join penalty α. Default 0.6 (a chain of two direct segments weighs about ½).
    public var alpha: Double
    /// The strength β of the global constraint Σ V ≈ N_hits. Default 0.
    public var beta: Double
    /// Strip exclusion for two-view strip readout, the strength γ: hits on one layer whose x agree
    /// within `stripTolerance` share an x strip (`SharedStrips.xStrips`), and every two segments
    /// leaving (or reaching) two different hits of one strip are penalised by γ, as a fork or join at
    /// one hit is by α:
    ///
    ///     (γ/2) Σ_strips (S_s² − Σ_{h∈s} O_h²),  S_s = Σ_{h∈s} O_h,   likewise for joins with I.
    ///
    /// A strip cluster belongs to at most one track, so the real point and its ghosts compete as the
    /// continuations of a bifurcation do (the Denby 1988 / Peterson 1989 fork constraint extended from
    /// hits to strips). 0 (the default) is off.
    public var stripPenalty: Double
    /// The x tolerance, mm, within which two hits on one layer share a strip (see `stripPenalty`).
    /// Default 0.001 (the points of one strip carry its x exactly).
    public var stripTolerance: Double

    /// Constants with the defaults above, or the values given.
    public init(angleExponent: Double = 50, lengthExponent: Double = 1, lengthForm: LengthForm = .sum, maxAngle: Double = 0.05,
                helixKinks: Bool = true, alpha: Double = 0.6, beta: Double = 0, rzResolution: Double = 0,
                stripPenalty: Double = 0, stripTolerance: Double = 0.001) {
        self.stripPenalty = stripPenalty
        self.stripTolerance = stripTolerance
        self.rzResolution = rzResolution
        self.angleExponent = angleExponent
        self.lengthExponent = lengthExponent
        self.lengthForm = lengthForm
        self.maxAngle = maxAngle
        self.helixKinks = helixKinks
        self.alpha = alpha
        self.beta = beta
    }

    /// The chain weight for a kink with cosine `cosine` between segments of (normalised) lengths
    /// `ra` and `rb`; 0 beyond `maxAngle`.
    @inlinable public func chainWeight(cosine: Double, _ ra: Double, _ rb: Double, minimumCosine: Double) -> Double {
        guard cosine >= minimumCosine else { return 0 }
        let c = Foundation.pow(max(cosine, 0), angleExponent)
        switch lengthForm {
        case .sum: return c / (Foundation.pow(ra, lengthExponent) + Foundation.pow(rb, lengthExponent))
        case .product: return c / (ra * rb)
        }
    }

    /// Throws unless every constant is a usable number.
    ///
    /// - Throws: `ConfigurationError` naming the field, e.g. `alpha`.
    public func validate() throws {
        for (field, value) in [("angleExponent", angleExponent), ("lengthExponent", lengthExponent)] where !(value >= 0 && value.isFinite) {
            throw ConfigurationError(field: field, "expected a number ≥ 0, found \(value)")
        }
        guard maxAngle > 0, maxAngle <= .pi else { throw ConfigurationError(field: "maxAngle", "expected an angle in (0, π] rad, found \(maxAngle)") }
        guard alpha >= 0, alpha.isFinite else { throw ConfigurationError(field: "alpha", "expected α ≥ 0, found \(alpha)") }
        guard beta >= 0, beta.isFinite else { throw ConfigurationError(field: "beta", "expected β ≥ 0, found \(beta)") }
        guard rzResolution >= 0, rzResolution <= 1 else {
            throw ConfigurationError(field: "rzResolution", "expected 0 to 1 rad, found \(rzResolution)")
        }
        guard stripPenalty >= 0, stripPenalty.isFinite else { throw ConfigurationError(field: "stripPenalty", "expected γ ≥ 0, found \(stripPenalty)") }
        guard stripTolerance >= 0, stripTolerance <= 100 else {
            throw ConfigurationError(field: "stripTolerance", "expected 0 to 100 mm, found \(stripTolerance)")
        }
    }
}


extension EnergyParameters: DecodableOverDefaults {
    /// Decodes a document in which every field is optional: missing fields take the defaults of
    /// `init()` (old files and short hand-written ones decode); unknown fields are refused.
    public init(from decoder: any Decoder) throws { try self.init(from: decoder, over: EnergyParameters()) }

    /// Decodes the fields present in the document; the others are `defaults`'.
    public init(from decoder: any Decoder, over defaults: EnergyParameters) throws {
        try decoder.refuseUnknownFields(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        angleExponent = try c.decode(forKey: .angleExponent, over: defaults.angleExponent)
        lengthExponent = try c.decode(forKey: .lengthExponent, over: defaults.lengthExponent)
        lengthForm = try c.decode(forKey: .lengthForm, over: defaults.lengthForm)
        maxAngle = try c.decode(forKey: .maxAngle, over: defaults.maxAngle)
        helixKinks = try c.decode(forKey: .helixKinks, over: defaults.helixKinks)
        alpha = try c.decode(forKey: .alpha, over: defaults.alpha)
        beta = try c.decode(forKey: .beta, over: defaults.beta)
        rzResolution = try c.decode(forKey: .rzResolution, over: defaults.rzResolution)
        stripPenalty = try c.decode(forKey: .stripPenalty, over: defaults.stripPenalty)
        stripTolerance = try c.decode(forKey: .stripTolerance, over: defaults.stripTolerance)
    }
}
