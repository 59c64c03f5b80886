import EnergyCore
import Foundation

/// The analysing magnet of a fixed-target spectrometer (BM@N's SP-41, for instance): a uniform
/// field B along y, across the beam (z), non-zero for `zStart` ≤ z ≤ `zEnd`, so that tracks bend
/// in the x–z plane and stay straight in y against the path length; outside the magnet they are
/// straight lines. Coordinates in mm, as everywhere in TrackFinding.
///
/// **The track model.** B along y conserves p_y and the momentum p_xz in the x–z plane, so the
/// projection on x–z is a circle of radius R = p_xz / (0.3 B) inside the field (R in m, p in GeV,
/// B in T; PDG Review of Particle Physics, "Passage of particles through matter"/kinematics: the
/// bend angle over a field length L is Δθ ≈ 0.3 B L / p, the sagitta s ≈ 0.3 B L² / (8 p)). With θ
/// the track's angle to the z axis in x–z and κ = 1/R its signed curvature, sin θ grows linearly
/// along z inside the field and is constant outside:
///
///     sin θ(z) = u₀ + κ g(z),  g(z) = the field length crossed between the target and z,
///
/// and between two depths where sin θ is linear (u₁ → u₂) the track moves by exactly
/// Δx = Δz (u₁ + u₂) / (cos θ₁ + cos θ₂) (the integral of tan θ dz). A track from the target
/// (x_t, z_t) is therefore fixed by (u₀, κ), and two hits determine both (`trajectory(through:_:)`,
/// Newton's method from the small-angle parabola x ≈ x_t + u₀ (z − z_t) + κ ∫g).
///
/// **The kink after removing the bend** (the dipole counterpart of `Segment.helixKink`): at the
/// hit h₂ shared by segments a = (h₁ → h₂) and b = (h₂ → h₃), the trajectory from the target
/// through h₂ and h₃ predicts the chord from z₁ to h₂; the x–z kink is the angle between that
/// chord and a's, θ_xz = atan S_a − atan S_pred. A track from the target has θ_xz = 0 at any
/// momentum; where both hits of b lie upstream of the magnet, b's straight line is used. In y the
/// track is straight against the x–z path length, so the y kink is the change of dip angle,
/// θ_y = atan t_b − atan t_a with t = Δy / √(Δx² + Δz²), and θ² = (θ_xz cos λ)² + θ_y², λ the dip
/// angle (as the barrel's θ² = (θ_xy sin ϑ)² + θ_rz²). Scattering, resolution and the vertex's
/// distance from the nominal target make true tracks' kinks small but not zero.
///
/// The segment cuts (`accepts`) use `SegmentCuts`' forward fields: the dip slope |t| and the x–z
/// slope at the target are at most `maxSlope`, the straight line in y passes the target plane
/// z = `targetZ` within `targetRadius` of `targetY`, and the trajectory from the target through
/// both hits has a curvature |κ| ≤ 0.3 B / `minMomentum` (segments upstream of the magnet instead
/// point to the target within `targetRadius` in x).
public struct DipoleField: Codable, Equatable, Sendable {
    /// The field along y, tesla (its sign does not matter to the finder). Default 0.6.
    public var field: Double
    /// The field region's upstream and downstream ends along z, mm. Default 0 and 2500.
    public var zStart: Double, zEnd: Double
    /// The lowest momentum in the bending plane, p_xz, that segments accept, GeV. Default 0.3.
    public var minMomentum: Double
    /// The target's x and y, mm (its z is `SegmentCuts.targetZ`). Default 0 and 0.
    public var targetX: Double, targetY: Double
    /// The hits' resolution in y, mm, for weighing the y kink by its error (`kink`); 0 (the
    /// default) leaves the y kink as measured. Two-view strips with a small stereo angle α measure
    /// y coarsely, σ_y ≈ σ √(1 + cos²α) / sin α (about 1 mm for BM@N's silicon and GEMs).
    public var sigmaY: Double
    /// Find each event's beam spot from its hits (`estimatedTarget`) and use it as the target's x
    /// and y, `targetX` and `targetY` being only where the search starts. Default false.
    public var findsTarget: Bool

    /// A magnet with the defaults above, or the values given.
    public init(field: Double = 0.6, zStart: Double = 0, zEnd: Double = 2500, minMomentum: Double = 0.3,
                targetX: Double = 0, targetY: Double = 0, sigmaY: Double = 0,
                findsTarget: Bool = false) {
        self.findsTarget = findsTarget
        self.sigmaY = sigmaY
        self.field = field
        self.zStart = zStart
        self.zEnd = zEnd
        self.minMomentum = minMomentum
        self.targetX = targetX
        self.targetY = targetY
    }

    /// The largest |κ| accepted, 1/mm: 0.3 B / p_min (with a 10% margin for scattering and resolution).
    public var maxCurvature: Double { 1.1 * 0.0003 * abs(field) / minMomentum }

    /// Throws unless the magnet is usable.
    ///
    /// - Throws: `ConfigurationError` naming the field, e.g. `zEnd`.
    public func validate() throws {
        guard field.isFinite, abs(field) <= 100 else { throw ConfigurationError(field: "field", "expected a field within ±100 T, found \(field)") }
        guard sigmaY >= 0, sigmaY <= 1000 else { throw ConfigurationError(field: "sigmaY", "expected 0 to 1000 mm, found \(sigmaY)") }
        for (name, value) in [("zStart", zStart), ("zEnd", zEnd), ("targetX", targetX), ("targetY", targetY)]
        where !(value.isFinite && abs(value) <= 100_000) {
            throw ConfigurationError(field: name, "expected a position within 100 m, found \(value)")
        }
        guard zStart <= zEnd else { throw ConfigurationError(field: "zEnd", "expected zStart ≤ zEnd, found \(zStart) … \(zEnd)") }
        guard minMomentum > 0, minMomentum.isFinite else {
            throw ConfigurationError(field: "minMomentum", "expected a positive momentum, found \(minMomentum)")
        }
    }

    /// A track in the bending plane from the target (x_t, z_t): sin θ = u₀ at the target and
    /// curvature κ (1/mm) inside the field.
    public struct Trajectory: Equatable, Sendable {
        public var u0: Double, kappa: Double
    }

    /// x of `trajectory` at depth `z` ≥ the target's, or nil where the track would turn back
    /// (|sin θ| ≥ 1). Exact: Δx = Δz (u₁ + u₂) / (cos θ₁ + cos θ₂) on each stretch where sin θ is linear.
    public func x(of trajectory: Trajectory, at z: Double, target: (x: Double, z: Double)) -> Double? {
        var x = target.x, z0 = target.z, u = trajectory.u0
        guard abs(u) < 1 else { return nil }
        var c = (1 - u * u).squareRoot()
        // The breakpoints between the target and z: the field's ends.
        for end in [zStart, zEnd, z] where end > z0 {
            let stop = min(end, z)
            guard stop > z0 else { continue }
            let inField = z0 >= zStart && stop <= zEnd
            let u2 = inField ? u + trajectory.kappa * (stop - z0) : u
            guard abs(u2) < 1 else { return nil }
            let c2 = (1 - u2 * u2).squareRoot()
            x += (stop - z0) * (u + u2) / (c + c2)
            z0 = stop
            u = u2
            c = c2
            if stop >= z { break }
        }
        return x
    }

    /// ∫ g from the target to z: the x a unit curvature adds at z in the small-angle limit, mm².
    func bendLever(_ z: Double, targetZ: Double) -> Double {
        let a = max(zStart, targetZ), b = min(zEnd, z)
        guard b > a else { return 0 }
        return (b - a) * (z - b) + 0.5 * (b - a) * (b - a)
    }

    /// The trajectory from the target through (z1, x1) and (z2, x2), z_t < z1 < z2, by Newton's
    /// method from the small-angle solution; nil when neither hit is downstream of the magnet's
    /// start (the curvature is then undetermined: the track is straight there) or no track from
    /// the target passes both hits.
    public func trajectory(through p1: (z: Double, x: Double), _ p2: (z: Double, x: Double),
                           target: (x: Double, z: Double)) -> Trajectory? {
        let d1 = p1.z - target.z, d2 = p2.z - target.z
        let l1 = bendLever(p1.z, targetZ: target.z), l2 = bendLever(p2.z, targetZ: target.z)
        let det = d1 * l2 - d2 * l1
        guard d1 > 0, d2 > d1, abs(det) > 1e-9 * d2 * d2 * d2 else { return nil }
        let r1 = p1.x - target.x, r2 = p2.x - target.x
        var t = Trajectory(u0: (r1 * l2 - r2 * l1) / det, kappa: (d1 * r2 - d2 * r1) / det)
        // Keep the small-angle start inside |sin θ| < 1.
        t.u0 = max(-0.95, min(0.95, t.u0))
        func residual(_ t: Trajectory) -> (Double, Double)? {
            guard let x1 = x(of: t, at: p1.z, target: target), let x2 = x(of: t, at: p2.z, target: target) else { return nil }
            return (x1 - p1.x, x2 - p2.x)
        }
        for _ in 0..<20 {
            guard let r = residual(t) else { return nil }
            if abs(r.0) < 1e-7 && abs(r.1) < 1e-7 { return t }
            let hu = 1e-7, hk = 1e-10
            guard let ru = residual(Trajectory(u0: t.u0 + hu, kappa: t.kappa)),
                  let rk = residual(Trajectory(u0: t.u0, kappa: t.kappa + hk)) else { return nil }
            let a = (ru.0 - r.0) / hu, b = (rk.0 - r.0) / hk, c = (ru.1 - r.1) / hu, d = (rk.1 - r.1) / hk
            let j = a * d - b * c
            guard j != 0, j.isFinite else { return nil }
            var step = (u: (d * r.0 - b * r.1) / j, k: (a * r.1 - c * r.0) / j)
            // Damp steps that would leave |sin θ| < 1.
            while abs(t.u0 - step.u) >= 1 { step = (0.5 * step.u, 0.5 * step.k) }
            t = Trajectory(u0: t.u0 - step.u, kappa: t.kappa - step.k)
        }
        guard let r = residual(t), abs(r.0) < 1e-4, abs(r.1) < 1e-4 else { return nil }
        return t
    }

    /// The kink θ (rad) at h₂ between the segments h₁ → h₂ and h₂ → h₃ after removing the
    /// magnet's bend (see the type's description); `.infinity` when no track from the target
    /// passes h₂ and h₃. `targetZ` is the target's depth. With `sigmaY` > 0 and `yResolution` > 0,
    /// the y kink is scaled by min(1, yResolution / e_y), e_y = σ_y √(1/c_a² + (1/c_a + 1/c_b)² + 1/c_b²)
    /// its error from the three hits' y (c the chords): where y is measured coarsely, as by strips
    /// at a small stereo angle, the y kink of a true track is mostly resolution, and it is weighed
    /// as a pull against `yResolution` instead of as an angle (as `Segment.helixKink` weighs the
    /// r–z kink of strip layers).
    public func kink(_ h1: (x: Double, y: Double, z: Double), _ h2: (x: Double, y: Double, z: Double),
                     _ h3: (x: Double, y: Double, z: Double), targetZ: Double, yResolution: Double = 0) -> Double {
        let dza = h2.z - h1.z, dzb = h3.z - h2.z
        guard dza > 0, dzb > 0 else { return .infinity }
        let target = (x: targetX, z: targetZ)
        let slopeA = (h2.x - h1.x) / dza
        let predicted: Double
        var kappa = 0.0
        if bendLever(h3.z, targetZ: targetZ) <= 0 {
            predicted = (h3.x - h2.x) / dzb
        } else if let t = trajectory(through: (h2.z, h2.x), (h3.z, h3.x), target: target), h1.z > targetZ,
                  let x1 = x(of: t, at: h1.z, target: target) {
            predicted = (h2.x - x1) / dza
            kappa = abs(t.kappa)
        } else if h1.z <= targetZ {
            predicted = slopeA
        } else {
            return .infinity
        }
        let xz = atan(slopeA) - atan(predicted)
        // y is straight against the x–z path length: the arc 2 asin(κc/2)/κ of a chord c in the field.
        func path(_ c: Double) -> Double { kappa * c > 1e-6 ? 2 * asin(min(1, 0.5 * kappa * c)) / kappa : c }
        let ca = (dza * dza + (h2.x - h1.x) * (h2.x - h1.x)).squareRoot(), cb = (dzb * dzb + (h3.x - h2.x) * (h3.x - h2.x)).squareRoot()
        let ta = (h2.y - h1.y) / path(ca), tb = (h3.y - h2.y) / path(cb)
        let dip = atan(tb)
        var y = dip - atan(ta)
        let scaled = xz * cos(dip)
        if sigmaY > 0, yResolution > 0 {
            let e = sigmaY * (1 / (ca * ca) + (1 / ca + 1 / cb) * (1 / ca + 1 / cb) + 1 / (cb * cb)).squareRoot()
            if e > yResolution { y *= yResolution / e }
        }
        return (scaled * scaled + y * y).squareRoot()
    }

    /// Whether the segment from `a` to `b` passes the dipole cuts (see the type's description).
    public func accepts(_ a: Hit, _ b: Hit, cuts: SegmentCuts) -> Bool {
        let dz = b.z - a.z
        guard dz > 0 else { return false }
        let dx = b.x - a.x, dy = b.y - a.y
        guard dx * dx + dy * dy + dz * dz <= cuts.maxLength * cuts.maxLength else { return false }
        let chord = (dx * dx + dz * dz).squareRoot()
        let t = dy / chord
        guard abs(t) <= cuts.maxSlope else { return false }
        // y at the target plane along the straight line in y against the x–z path.
        let y0 = a.y - t * (a.z - cuts.targetZ) * chord / dz
        guard abs(y0 - targetY) <= cuts.targetRadius else { return false }
        let maxSin = cuts.maxSlope / (1 + cuts.maxSlope * cuts.maxSlope).squareRoot()
        if bendLever(b.z, targetZ: cuts.targetZ) <= 0 {
            let s = dx / dz
            let x0 = a.x - s * (a.z - cuts.targetZ)
            return abs(s) <= cuts.maxSlope && abs(x0 - targetX) <= cuts.targetRadius
        }
        guard a.z > cuts.targetZ else { return false }
        // The small-angle curvature overestimates the exact one (x'' = κ (1 + x'²)^{3/2}): a cheap
        // first test before Newton's method.
        let d1 = a.z - cuts.targetZ, d2 = b.z - cuts.targetZ
        let l1 = bendLever(a.z, targetZ: cuts.targetZ), l2 = bendLever(b.z, targetZ: cuts.targetZ)
        let det = d1 * l2 - d2 * l1
        if det != 0 {
            let parabolic = (d1 * (b.x - targetX) - d2 * (a.x - targetX)) / det
            guard abs(parabolic) <= 3 * maxCurvature else { return false }
        }
        guard let trajectory = trajectory(through: (a.z, a.x), (b.z, b.x), target: (targetX, cuts.targetZ)) else { return false }
        return abs(trajectory.u0) <= maxSin && abs(trajectory.kappa) <= maxCurvature
    }
}

extension DipoleField: DecodableOverDefaults {
    /// Decodes a document in which every field is optional (the defaults of `init()`); unknown
    /// fields are refused.
    public init(from decoder: any Decoder) throws { try self.init(from: decoder, over: DipoleField()) }

    /// Decodes the fields present in the document; the others are `defaults`'.
    public init(from decoder: any Decoder, over defaults: DipoleField) throws {
        try decoder.refuseUnknownFields(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        field = try c.decode(forKey: .field, over: defaults.field)
        zStart = try c.decode(forKey: .zStart, over: defaults.zStart)
        zEnd = try c.decode(forKey: .zEnd, over: defaults.zEnd)
        minMomentum = try c.decode(forKey: .minMomentum, over: defaults.minMomentum)
        targetX = try c.decode(forKey: .targetX, over: defaults.targetX)
        targetY = try c.decode(forKey: .targetY, over: defaults.targetY)
        sigmaY = try c.decode(forKey: .sigmaY, over: defaults.sigmaY)
        findsTarget = try c.decode(forKey: .findsTarget, over: defaults.findsTarget)
    }
}
