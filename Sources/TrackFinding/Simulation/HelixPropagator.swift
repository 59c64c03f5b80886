import EnergyCore
import Foundation

/// A charged particle's state between layers: position (mm), transverse direction φ, p_T (GeV),
/// cot θ and charge (e).
struct HelixState {
    var x: Double, y: Double, z: Double
    var phi: Double
    var pt: Double
    var cotTheta: Double
    var charge: Int

    /// Signed curvature of the transverse circle, 1/mm: κ = −q · 0.0003 B / p_T (B in tesla, p_T
    /// in GeV; 0.3 GeV/(T·m)); a positive charge in a field along +z turns clockwise.
    func curvature(field: Double) -> Double { -Double(charge) * 0.0003 * field / pt }

    /// Momentum, GeV.
    var momentum: (Double, Double, Double) { (pt * cos(phi), pt * sin(phi), pt * cotTheta) }
}

/// One crossing of a layer's surface.
struct LayerCrossing {
    /// Index of the layer in the propagator's `layers`.
    var layer: Int
    /// Transverse path length from the state, mm.
    var s: Double
    /// The point.
    var x: Double, y: Double, z: Double
}

/// Helices through the cylinders and disks of a `DetectorDescription`, in the order a particle
/// meets them.
///
/// A particle moves on a helix about z (the field is uniform along z). From its current state the
/// propagator finds every layer surface the helix meets within the sensitive area and takes the
/// nearest by path length (transverse path s; the 3-D path is s / sin θ, so the order is the
/// same). Crossings are exact: a disk at z = z_d is met at s = (z_d − z)/cot θ; a cylinder of radius R
/// where the transverse circle meets the circle r = R (two circles' intersection).
///
/// Loopers: a particle is followed only up to the point of its transverse circle farthest from the
/// beam (half a turn for a particle from the beam line); where its helix would turn back inwards
/// the particle stops, so low-p_T particles that curl in the field leave only the hits of their
/// first outward half-turn. It also stops when no layer is
/// ahead, i.e. it leaves the detector's outermost volume.
struct HelixPropagator {
    let description: DetectorDescription
    var layers: [DetectorLayer] { description.layers }
    let field: Double

    init(_ description: DetectorDescription) {
        self.description = description
        self.field = description.magneticField
    }

    /// The transverse path along the helix from `state` to the point of its transverse circle
    /// farthest from the beam (where it turns back inwards); `.infinity` for a straight line.
    func turningPath(_ state: HelixState) -> Double {
        let kappa = state.curvature(field: field)
        if abs(kappa) < 1e-12 { return .infinity }
        // Centre of the transverse circle, and the angle ψ of the direction where the position is
        // farthest from the origin: (sin ψ, −cos ψ)/κ points from the centre away from the origin.
        let cx = state.x - sin(state.phi) / kappa, cy = state.y + cos(state.phi) / kappa
        let d = (cx * cx + cy * cy).squareRoot()
        let sign: Double = kappa > 0 ? 1 : -1
        let ux = d > 1e-12 ? cx / d : -sin(state.phi) * sign, uy = d > 1e-12 ? cy / d : cos(state.phi) * sign
        let psi = atan2(sign * ux, -sign * uy)
        return forwardPath(from: state.phi, to: psi, kappa: kappa)
    }

    /// The smallest s ≥ 0 with φ + κ s ≡ ψ (mod 2π).
    func forwardPath(from phi: Double, to psi: Double, kappa: Double) -> Double {
        let period = 2 * Double.pi / abs(kappa)
        var s = (psi - phi) / kappa
        s = s.truncatingRemainder(dividingBy: period)
        if s < 0 { s += period }
        return s
    }

    /// The position on the helix after transverse path `s`.
    func position(_ state: HelixState, _ s: Double) -> (Double, Double, Double) {
        let kappa = state.curvature(field: field)
        let z = state.z + s * state.cotTheta
        if abs(kappa) < 1e-12 { return (state.x + s * cos(state.phi), state.y + s * sin(state.phi), z) }
        return (state.x + (sin(state.phi + kappa * s) - sin(state.phi)) / kappa,
                state.y - (cos(state.phi + kappa * s) - cos(state.phi)) / kappa, z)
    }

    /// The state moved along the helix by transverse path `s` (direction turned by κ s).
    func advance(_ state: HelixState, _ s: Double) -> HelixState {
        var next = state
        (next.x, next.y, next.z) = position(state, s)
        next.phi = state.phi + state.curvature(field: field) * s
        return next
    }

    /// The smallest s in (`minimum`, `limit`] where the helix meets the surface of `layer` at
    /// radius or z `surface` (the layer's own, or shifted for an overlapping module), ignoring the
    /// sensitive area; nil if none.
    func intersection(_ state: HelixState, shape: DetectorLayer.Shape, surface: Double, minimum: Double, limit: Double) -> Double? {
        switch shape {
        case .disk:
            guard abs(state.cotTheta) > 1e-12 else { return nil }
            let s = (surface - state.z) / state.cotTheta
            return s > minimum && s <= limit ? s : nil
        case .cylinder:
            let kappa = state.curvature(field: field)
            var best: Double?
            func consider(_ s: Double) { if s > minimum, s <= limit, s < (best ?? .infinity) { best = s } }
            if abs(kappa) < 1e-12 {
                // |p + s u|² = R²: s² + 2 (p·u) s + |p|² − R² = 0.
                let b = state.x * cos(state.phi) + state.y * sin(state.phi)
                let c = state.x * state.x + state.y * state.y - surface * surface
                let disc = b * b - c
                guard disc >= 0 else { return nil }
                consider(-b - disc.squareRoot()); consider(-b + disc.squareRoot())
                return best
            }
            let rho = 1 / abs(kappa)
            let cx = state.x - sin(state.phi) / kappa, cy = state.y + cos(state.phi) / kappa
            let d = (cx * cx + cy * cy).squareRoot()
            guard d > 1e-12, d <= rho + surface, d >= abs(rho - surface) else { return nil }
            // Intersection of the circle r = R with the circle of radius ρ about c.
            let a = (surface * surface - rho * rho + d * d) / (2 * d)
            let h = max(0, surface * surface - a * a).squareRoot()
            let mx = a * cx / d, my = a * cy / d
            func point(_ sign: Double) {
                let px = mx + sign * h * (-cy / d), py = my + sign * h * (cx / d)
                // (sin ψ, −cos ψ) = κ (p − c)
                let psi = atan2(kappa * (px - cx), -kappa * (py - cy))
                consider(forwardPath(from: state.phi, to: psi, kappa: kappa))
            }
            point(1)
            point(-1)
            return best
        }
    }

    /// The next layer crossing on the sensitive area within transverse path `limit`, skipping
    /// crossings closer than `minimum` (the surface just left).
    func nextCrossing(_ state: HelixState, limit: Double, minimum: Double = 1e-6) -> LayerCrossing? {
        var best: LayerCrossing?
        for (k, layer) in layers.enumerated() {
            guard let s = intersection(state, shape: layer.shape, surface: layer.position, minimum: minimum,
                                       limit: min(limit, best?.s ?? .infinity)) else { continue }
            let (x, y, z) = position(state, s)
            guard layer.covers(r: (x * x + y * y).squareRoot(), z: z) else { continue }
            best = LayerCrossing(layer: k, s: s, x: x, y: y, z: z)
        }
        return best
    }

    /// The cosine of the angle between the direction of `state` and the normal of `layer` at (x, y).
    func incidenceCosine(_ state: HelixState, shape: DetectorLayer.Shape, x: Double, y: Double) -> Double {
        let sinTheta = 1 / (1 + state.cotTheta * state.cotTheta).squareRoot(), cosTheta = state.cotTheta * sinTheta
        switch shape {
        case .disk: return max(1e-3, abs(cosTheta))
        case .cylinder:
            let r = max(1e-9, (x * x + y * y).squareRoot())
            return max(1e-3, abs((x * cos(state.phi) + y * sin(state.phi)) / r * sinTheta))
        }
    }

    /// Multiple scattering in `thickness` radiation lengths at normal incidence, crossed at
    /// incidence cosine `cosine` (Highland 1975, PDG: θ₀ = 13.6 MeV / p · √t (1 + 0.038 ln t) with
    /// t = thickness / cos α); two independent Gaussian deflections of width θ₀, in θ and across it.
    func scatter(_ state: inout HelixState, thickness: Double, cosine: Double, _ random: RandomSource) {
        guard thickness > 0 else { return }
        let sinTheta = 1 / (1 + state.cotTheta * state.cotTheta).squareRoot()
        let p = state.pt / sinTheta, t = thickness / cosine
        let theta0 = 0.0136 / p * t.squareRoot() * (1 + 0.038 * log(t))
        state.phi += random.gaussian(sigma: theta0) / sinTheta
        let theta = min(Double.pi - 1e-9, max(1e-9, atan2(1, state.cotTheta) + random.gaussian(sigma: theta0)))
        state.cotTheta = cos(theta) / sin(theta)
        state.pt = p * sin(theta)
    }
}
