import EnergyCore
import Foundation

/// The `bmn` detector of `EventGenerator`: particles from a fixed target through a
/// `DipoleSpectrometer` (by default `DipoleSpectrometer.bmnLike`), read out by two-view strip
/// stations, so that every station has the ghost points of its strip crossings.
///
/// - Particles leave the target (vertex x, y Gaussian with σ = 1 mm about the magnet's target
///   point, z uniform over ±1 mm about `targetZ`) with momentum p ∝ 1/p² on [`minPT`, `maxPT`]
///   (here the total momentum, GeV), slopes dx/dz uniform in ±0.3 and dy/dz in ±0.12, charge ±1.
/// - They are propagated exactly through the uniform field along y (`DipoleField`: sin θ linear in
///   z inside the field, Δx = Δz (u₁ + u₂)/(cos θ₁ + cos θ₂), y straight against the x–z path
///   length), scattered at each station by the Highland formula (θ₀ = 13.6 MeV / p · √(x/X₀)
///   (1 + 0.038 ln(x/X₀)); PDG review "Passage of particles through matter") with the path at
///   its incidence, and stop where they would turn back.
/// - A station crossed on one of its readout modules (`SpectrometerStation.modules`; the whole area
///   when it has none) fires one strip of that module in each view (x and u = x cos α + y sin α,
///   each smeared by σ), unless it misses with probability `inefficiency`; a crossing in a gap
///   between modules leaves nothing. The station's points are then every crossing (x_i, u_j) of a
///   fired x strip with a fired u strip of the same module, y = (u_j − x_i cos α) / sin α, that lies
///   inside that module: (i, i) is particle i's hit, the others (up to n_m² − n_m on a module
///   crossed by n_m particles) are ghosts, truth particle 0. Hits carry the module's number from 1
///   as `module_id`. With `ghosts` false only the (i, i) points are kept.
/// - `noise` × (the particles' hits) further noise points, uniform over the stations' areas
///   (stations drawn in proportion to their area).
struct SpectrometerSimulation {
    let configuration: EventGenerator.Configuration
    let spectrometer: DipoleSpectrometer

    init(_ configuration: EventGenerator.Configuration) {
        self.configuration = configuration
        self.spectrometer = configuration.spectrometer ?? .bmnLike
    }

    /// A fired strip pair of one particle on one station.
    struct Fired {
        var x: Double, u: Double
        var module: Int
        var truth: TruthHit
    }

    /// Appends the hits (particle hits, ghosts and noise; ids to be assigned) and the particles (ids from 1).
    func simulate(_ random: RandomSource, hits: inout [EventGenerator.RawHit], particles: inout [Particle]) {
        let c = configuration, magnet = spectrometer.magnet
        var fired = Array(repeating: [Fired](), count: spectrometer.stations.count)
        var particleHits = 0
        for id in stride(from: 1, through: c.tracks, by: 1) {
            let u = random.uniform()
            let p = 1 / (1 / c.minPT - u * (1 / c.minPT - 1 / c.maxPT))
            let tx = random.uniform(-0.3, 0.3), ty = random.uniform(-0.12, 0.12)
            let charge = random.bernoulli(0.5) ? 1 : -1
            let vx = magnet.targetX + random.gaussian(sigma: 1), vy = magnet.targetY + random.gaussian(sigma: 1)
            let vz = spectrometer.targetZ + random.uniform(-1, 1)
            let norm = (1 + tx * tx + ty * ty).squareRoot()
            var particle = Particle(id: id, vx: vx, vy: vy, vz: vz, px: p * tx / norm, py: p * ty / norm, pz: p / norm, charge: charge, hitCount: 0)
            // State: position, sin θ in x–z, the dip t = dy/ds (s the x–z path length), p.
            var x = vx, y = vy, z = vz
            var sinTheta = tx / (1 + tx * tx).squareRoot()
            var dip = ty / (1 + tx * tx).squareRoot()
            var kept = 0
            for (k, station) in spectrometer.stations.enumerated() where station.z > z {
                guard let next = Self.propagate(x: x, y: y, z: z, sinTheta: sinTheta, dip: dip, p: p, charge: charge, to: station.z, magnet: magnet)
                else { break }
                (x, y, sinTheta) = (next.x, next.y, next.sinTheta)
                z = station.z
                let cosTheta = (1 - sinTheta * sinTheta).squareRoot()
                let pxz = p / (1 + dip * dip).squareRoot()
                if let module = station.module(x: x, y: y), !random.bernoulli(c.inefficiency) {
                    let a = station.stereoAngle
                    let truth = TruthHit(hitID: 0, particleID: id, tx: x, ty: y, tz: z, tpx: pxz * sinTheta, tpy: pxz * dip, tpz: pxz * cosTheta, weight: 1)
                    fired[k].append(Fired(x: x + random.gaussian(sigma: station.sigma),
                                          u: x * cos(a) + y * sin(a) + random.gaussian(sigma: station.sigma), module: module, truth: truth))
                    kept += 1
                }
                // Multiple scattering in the station, its path at the incidence angle.
                if station.radiationLength > 0 {
                    let pathFactor = (1 + dip * dip).squareRoot() / cosTheta
                    let thickness = station.radiationLength * pathFactor
                    let theta0 = 0.0136 / p * thickness.squareRoot() * (1 + 0.038 * log(thickness))
                    let theta = asin(sinTheta) + random.gaussian(sigma: theta0)
                    guard abs(theta) < .pi / 2 else { break }
                    sinTheta = sin(theta)
                    dip = tan(atan(dip) + random.gaussian(sigma: theta0))
                }
            }
            particle.hitCount = kept
            particles.append(particle)
            particleHits += kept
        }
        for (k, station) in spectrometer.stations.enumerated() {
            let a = station.stereoAngle
            for (i, xi) in fired[k].enumerated() {
                for (j, uj) in fired[k].enumerated() {
                    let y = (uj.u - xi.x * cos(a)) / sin(a)
                    guard i == j || (c.ghosts && xi.module == uj.module && station.moduleArea(xi.module).covers(x: xi.x, y: y)) else { continue }
                    let truth = i == j ? xi.truth : TruthHit(hitID: 0, particleID: 0, tx: xi.x, ty: y, tz: station.z, weight: 0)
                    hits.append(EventGenerator.RawHit(x: xi.x, y: y, z: station.z, layer: station.id, module: xi.module + 1, truth: truth))
                }
            }
        }
        let noiseCount = Int((c.noise * Double(particleHits)).rounded())
        let areas = spectrometer.stations.map { ($0.xMax - $0.xMin) * ($0.yMax - $0.yMin) }
        let total = areas.reduce(0, +)
        for _ in 0..<noiseCount {
            var pick = random.uniform() * total, k = 0
            while k < areas.count - 1, pick >= areas[k] { pick -= areas[k]; k += 1 }
            let s = spectrometer.stations[k]
            let x = random.uniform(s.xMin, s.xMax), y = random.uniform(s.yMin, s.yMax)
            hits.append(EventGenerator.RawHit(x: x, y: y, z: s.z, layer: s.id, module: 0,
                                              truth: TruthHit(hitID: 0, particleID: 0, tx: x, ty: y, tz: s.z, weight: 0)))
        }
    }

    /// The track from (x, y, z) with sin θ = `sinTheta` in x–z and dip t = dy/ds, propagated
    /// exactly to depth `to` through `magnet`; nil where it would turn back.
    static func propagate(x: Double, y: Double, z: Double, sinTheta: Double, dip: Double, p: Double, charge: Int, to: Double,
                          magnet: DipoleField) -> (x: Double, y: Double, sinTheta: Double)? {
        let pxz = p / (1 + dip * dip).squareRoot()
        let kappa = -Double(charge) * 0.0003 * magnet.field / pxz
        var x = x, y = y, z0 = z, u = sinTheta
        guard abs(u) < 1 else { return nil }
        var c = (1 - u * u).squareRoot()
        for end in [magnet.zStart, magnet.zEnd, to] where end > z0 {
            let stop = min(end, to)
            let inField = z0 >= magnet.zStart && stop <= magnet.zEnd
            let u2 = inField ? u + kappa * (stop - z0) : u
            guard abs(u2) < 1 else { return nil }
            let c2 = (1 - u2 * u2).squareRoot()
            let dz = stop - z0
            x += dz * (u + u2) / (c + c2)
            // The x–z path length: the arc (θ₂ − θ₁)/κ in the field, Δz / cos θ outside.
            let path = inField && kappa != 0 && abs(u2 - u) > 1e-12 ? (asin(u2) - asin(u)) / kappa : dz / c
            y += dip * path
            z0 = stop
            u = u2
            c = c2
            if stop >= to { break }
        }
        return (x, y, u)
    }
}
