import Foundation
import EnergyCore

/// The geometric cuts that decide which hit pairs become neurons.
///
/// Every pair of hits on consecutive layers (or, with `skipLayers`, one layer further) is a
/// candidate segment. The cuts keep those a particle from the interaction region could make:
///
/// - **Barrel** (solenoid field B along z). A track of transverse momentum p_T from the beam line
///   bends on a circle of radius R = p_T / (0.3 B) (R in m, p_T in GeV, B in T), so between radii
///   r₁ < r₂ its azimuth turns by |Δφ| = asin(r₂/2R) − asin(r₁/2R). Segments with a larger |Δφ|
///   than a track of `minPT` would make are cut. In the rz view the segment, extended to the beam
///   line, must cross it within |z₀| ≤ `maxZ0` of the nominal vertex.
/// - **Forward** (no field, planar chambers). The segment's slopes |dx/dz|, |dy/dz| are at most
///   `maxSlope`, and the straight line through it passes the target plane z = `targetZ` within
///   `targetRadius` of the beam axis.
///
/// Both geometries cut segments longer than `maxLength`.
public struct SegmentCuts: Codable, Equatable, Sendable {
    /// Also join hits two layers apart, so a track survives one missing hit. Default true.
    public var skipLayers: Bool
    /// Longest segment, mm. Default 1000.
    public var maxLength: Double
    /// Barrel: lowest transverse momentum kept, GeV. Default 0.5.
    public var minPT: Double
    /// Barrel: solenoid field, tesla. Default 2 (the TrackML detector).
    public var magneticField: Double
    /// Barrel: largest |z₀| of the segment's intercept with the beam line, mm. Default 200
    /// (3.6 σ of the TrackML luminous region, σ_z ≈ 55 mm).
    public var maxZ0: Double
    /// Forward: largest |dx/dz| and |dy/dz|. Default 0.5.
    public var maxSlope: Double
    /// Forward: z of the target, mm. Default 0.
    public var targetZ: Double
    /// Forward: radius around the beam axis at the target plane that the segment must pass, mm.
    /// Default 30.
    public var targetRadius: Double
    /// Fewest hits of a chain a segment must lie on to become a neuron: the segment and its chain
    /// partners (pairs meeting at a hit within the kink cut `EnergyParameters.maxAngle`) must form a
    /// chain of at least this many hits (`SegmentNetwork`, `minChainHits`). Up to 3, only segments with no
    /// chain partner are dropped (when tracks need at least 3 hits). Default 3.
    public var minChainHits: Int

    /// Cuts with the defaults above, or the values given.
    public init(skipLayers: Bool = true, maxLength: Double = 1000, minPT: Double = 0.5, magneticField: Double = 2,
                maxZ0: Double = 200, maxSlope: Double = 0.5, targetZ: Double = 0, targetRadius: Double = 30, minChainHits: Int = 3) {
        self.minChainHits = minChainHits
        self.skipLayers = skipLayers
        self.maxLength = maxLength
        self.minPT = minPT
        self.magneticField = magneticField
        self.maxZ0 = maxZ0
        self.maxSlope = maxSlope
        self.targetZ = targetZ
        self.targetRadius = targetRadius
    }

    /// The bending radius, in mm, of a track of `minPT` in `magneticField`.
    public var minimumRadius: Double { magneticField > 0 ? 1000 * minPT / (0.3 * magneticField) : .infinity }

    /// Largest azimuth turn, in rad, of an accepted track between radii `r1` and `r2` (mm), plus
    /// a margin of 2 mrad for resolution and scattering.
    ///
    /// A track of bending radius R from the beam line is at azimuth φ₀ ∓ asin(r / 2R) at radius r,
    /// so it turns by asin(r₂/2R) − asin(r₁/2R) between r₁ < r₂. That turn grows as R shrinks, and
    /// only tracks with 2R ≥ r₂ reach r₂, so the largest turn of an accepted track is at
    /// R = max(R_min, r₂/2): the window is monotone in `minPT` (a looser cut never narrows it), and
    /// past r₂ = 2R_min it is π/2 − asin(r₁/r₂) (issue #16: it used to collapse to the margin there).
    public func maxDeltaPhi(_ r1: Double, _ r2: Double) -> Double {
        let lo = min(abs(r1), abs(r2)), hi = max(abs(r1), abs(r2))
        let twoR = max(2 * minimumRadius, hi)
        guard twoR.isFinite, twoR > 0 else { return 0.002 }
        return asin(min(1, hi / twoR)) - asin(min(1, lo / twoR)) + 0.002
    }

    /// Throws unless every cut is a sensible number.
    ///
    /// - Throws: `ConfigurationError` naming the field, e.g. `minPT`.
    public func validate() throws {
        for (field, value) in [("maxLength", maxLength), ("minPT", minPT), ("maxZ0", maxZ0),
                               ("maxSlope", maxSlope), ("targetRadius", targetRadius)] where !(value > 0) {
            throw ConfigurationError(field: field, "expected a positive number, found \(value)")
        }
        guard minChainHits >= 2, minChainHits <= 1000 else {
            throw ConfigurationError(field: "minChainHits", "expected 2 to 1000 hits, found \(minChainHits)")
        }
        guard magneticField >= 0, magneticField.isFinite else {
            throw ConfigurationError(field: "magneticField", "expected a field ≥ 0 T, found \(magneticField)")
        }
    }
}


extension SegmentCuts: DecodableOverDefaults {
    /// Decodes a document in which every field is optional: missing fields take the defaults of
    /// `init()` (old files and short hand-written ones decode); unknown fields are refused.
    public init(from decoder: any Decoder) throws { try self.init(from: decoder, over: SegmentCuts()) }

    /// Decodes the fields present in the document; the others are `defaults`'.
    public init(from decoder: any Decoder, over defaults: SegmentCuts) throws {
        try decoder.refuseUnknownFields(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        skipLayers = try c.decode(forKey: .skipLayers, over: defaults.skipLayers)
        maxLength = try c.decode(forKey: .maxLength, over: defaults.maxLength)
        minPT = try c.decode(forKey: .minPT, over: defaults.minPT)
        magneticField = try c.decode(forKey: .magneticField, over: defaults.magneticField)
        maxZ0 = try c.decode(forKey: .maxZ0, over: defaults.maxZ0)
        maxSlope = try c.decode(forKey: .maxSlope, over: defaults.maxSlope)
        targetZ = try c.decode(forKey: .targetZ, over: defaults.targetZ)
        targetRadius = try c.decode(forKey: .targetRadius, over: defaults.targetRadius)
        minChainHits = try c.decode(forKey: .minChainHits, over: defaults.minChainHits)
    }
}
