import Foundation

/// A charged particle's ideal helix in a solenoid field along z, from a vertex on the beam line,
/// and where it crosses a detector's layers (no material, no energy loss).
///
/// In the transverse plane the particle moves on a circle of radius ρ = p_T / (0.3 B) (ρ in m, p_T
/// in GeV, B in T) through the vertex; after a transverse arc length s its distance from the beam
/// line is r(s) = 2ρ sin(s / 2ρ) and its azimuth φ(s) = φ₀ − q s / 2ρ, while z(s) = z₀ + s sinh η.
/// Only the outgoing half-turn (s ≤ πρ, r rising to 2ρ) is followed: that is the part a track
/// finder from the interaction region joins.
public struct HelixPath: Equatable, Sendable {
    /// Transverse momentum, GeV.
    public var pT: Double
    /// Charge, ±1.
    public var charge: Int
    /// Pseudorapidity η (the slope dz/ds = sinh η).
    public var eta: Double
    /// Azimuth of the direction at the vertex, rad.
    public var phi0: Double
    /// z of the vertex on the beam line, mm.
    public var z0: Double
    /// The solenoid field, tesla.
    public var magneticField: Double

    public init(pT: Double, charge: Int, eta: Double, phi0: Double = 0, z0: Double = 0, magneticField: Double) {
        self.pT = pT
        self.charge = charge
        self.eta = eta
        self.phi0 = phi0
        self.z0 = z0
        self.magneticField = magneticField
    }

    /// Where the helix crosses a layer: the layer, the transverse arc length s at the crossing
    /// (mm), and the point.
    public struct Crossing: Equatable, Sendable {
        public var layer: LayerID
        public var s: Double
        public var x: Double, y: Double, z: Double
    }

    /// The bending radius ρ, mm (infinite without field).
    public var radius: Double { magneticField > 0 ? 1000 * pT / (0.3 * magneticField) : .infinity }

    /// The point at transverse arc length `s`.
    public func point(at s: Double) -> (x: Double, y: Double, z: Double) {
        let rho = radius
        let z = z0 + s * sinh(eta)
        guard rho.isFinite else { return (s * cos(phi0), s * sin(phi0), z) }
        // Circle through the origin with initial direction φ₀, turning clockwise for q > 0 in B along +z.
        let turn = -Double(charge.signum()) * s / rho
        let chordAngle = phi0 + turn / 2
        let chord = 2 * rho * sin(abs(turn) / 2)
        return (chord * cos(chordAngle), chord * sin(chordAngle), z)
    }

    /// The crossings with `detector`'s layers on the outgoing half-turn, in flight order (by s).
    public func crossings(_ detector: DetectorDescription) -> [Crossing] {
        let rho = radius
        let maxS = rho.isFinite ? Double.pi * rho : .infinity
        let slope = sinh(eta)
        var out: [Crossing] = []
        for layer in detector.layers {
            let s: Double
            switch layer.shape {
            case .cylinder:
                let r = layer.position
                if rho.isFinite {
                    guard r <= 2 * rho else { continue }
                    s = 2 * rho * asin(r / (2 * rho))
                } else {
                    s = r
                }
            case .disk:
                guard slope != 0 else { continue }
                s = (layer.position - z0) / slope
                guard s > 0, s <= maxS else { continue }
            }
            let p = point(at: s)
            let r = (p.x * p.x + p.y * p.y).squareRoot()
            guard layer.covers(r: r, z: p.z) else { continue }
            out.append(Crossing(layer: layer.id, s: s, x: p.x, y: p.y, z: p.z))
        }
        return out.sorted { ($0.s, $0.layer) < ($1.s, $1.layer) }
    }
}
