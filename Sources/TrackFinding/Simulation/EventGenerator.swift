import EnergyCore
import EnergyFormats
import Foundation

/// A generated particle, as in a TrackML `particles` file.
public struct Particle: Equatable, Sendable {
    public var id: Int
    /// Vertex, mm.
    public var vx: Double, vy: Double, vz: Double
    /// Momentum at the vertex, GeV.
    public var px: Double, py: Double, pz: Double
    /// Charge in units of e.
    public var charge: Int
    /// Hits it left.
    public var hitCount: Int
}

/// One generated event: hits, their truth, and the particles.
public struct GeneratedEvent: Sendable {
    public var hits: [Hit]
    public var truth: [TruthHit]
    public var particles: [Particle]

    /// Writes `PREFIX-hits.csv`, `PREFIX-truth.csv` and `PREFIX-particles.csv`, each atomically:
    /// positions as `%.4f` (mm), the particles' vertices and momenta as `%.5f`.
    public func write(prefix: String) throws {
        var out = TextWriter(capacity: 56 * (hits.count + 1))
        func real(_ v: Double, _ decimals: Int) {
            out.append(byte: UInt8(ascii: ","))
            out.append(v, decimals: decimals)
        }
        func integer(_ v: Int) {
            out.append(byte: UInt8(ascii: ","))
            out.append(v)
        }
        out.append("hit_id,x,y,z,volume_id,layer_id,module_id\n")
        for h in hits {
            out.append(h.id)
            real(h.x, 4); real(h.y, 4); real(h.z, 4)
            integer(h.layer.volume); integer(h.layer.layer); integer(h.module)
            out.append(byte: UInt8(ascii: "\n"))
        }
        try AtomicFile.write(out.data, to: prefix + "-hits.csv")
        try AtomicFile.write(TruthFile.format(truth), to: prefix + "-truth.csv")
        out = TextWriter(capacity: 80 * (particles.count + 1))
        out.append("particle_id,vx,vy,vz,px,py,pz,q,nhits\n")
        for p in particles {
            out.append(p.id)
            real(p.vx, 5); real(p.vy, 5); real(p.vz, 5); real(p.px, 5); real(p.py, 5); real(p.pz, 5)
            integer(p.charge); integer(p.hitCount)
            out.append(byte: UInt8(ascii: "\n"))
        }
        try AtomicFile.write(out.data, to: prefix + "-particles.csv")
    }
}

/// Simulated events in the TrackML format, for testing and benchmarking track finding.
///
/// - **Planar**: an EXCHARM-like fixed-target spectrometer: six planar chambers (MWPCs, 2 mm wire
///   pitch, σ = 0.6 mm) at z = 600…1600 mm, 1 m × 1 m, no field. Straight tracks leave the target
///   (σ_xy = 2 mm at z = 0) with slopes |dx/dz|, |dy/dz| ≤ 0.2.
/// - **Barrel**: the TrackML barrel layers at r = 32, 72, 116, 172 mm (pixels, |z| ≤ 455 mm,
///   σ = 0.05 mm) and 260, 360, 500, 660, 820, 1020 mm (strips, |z| ≤ 1030 mm, σ_rφ = 0.1 mm,
///   σ_z = 0.5 mm) in a 2 T solenoid. Particles come from the beam line (σ_z = 55 mm) with
///   p_T ∈ [`minPT`, `maxPT`] drawn ∝ 1/p_T², |η| ≤ `maxEta`, charge ±1, and follow helices with
///   multiple scattering (Highland formula, x/X₀ = 2% per layer) until they leave the barrel.
/// - **Full**: a whole collider detector, by default `DetectorDescription.trackMLFull` (the
///   TrackML-like barrel and endcap disks, 2 T), at LHC luminosity: `pileup` collisions per event
///   (exactly that many, so events differ only by their content), each with its vertex at
///   (σ_x = σ_y = 0.015 mm, σ_z = 55 mm) and a Poisson number of charged particles with mean
///   `multiplicity` · 2 `maxEta` (dN/dη flat over |η| ≤ `maxEta`, default 4), p_T from
///   `spectrum` (Tsallis, ⟨p_T⟩ = 0.5 GeV; see `MinimumBiasSpectrum`). μ = 200 gives about 10,000
///   particles (9,600 primaries and the secondaries). A `secondaries` fraction of the primaries' number adds neutral decays (a V⁰-like
///   parent from the same spectrum, decaying at a transverse distance uniform in 10–100 mm into
///   a +/− pair sharing its momentum with a 0.2 GeV relative kick). Particles are propagated as
///   helices through cylinders and disks in the order they meet them (`HelixPropagator`: exact
///   crossings, Highland scattering with the path through each layer at its incidence angle,
///   hits smeared by the layer's σ_rφ and σ along z or r) until they leave the detector, or,
///   for low-p_T loopers, at the end of their first outward half-turn. With probability
///   `overlap` a crossing also leaves a hit in the overlapping neighbour module (the next module
///   in φ, mounted 4 mm further out on a cylinder or 4 mm further along the flight on a disk):
///   same particle and layer, another `module_id`; it adds no material. Module ids number
///   modules of 20 mm (rφ) × 60 mm (along z or r) on pixel layers (σ_along < 0.1 mm) and
///   50 × 100 mm on strip layers, from 1 by ring (z or r bin) and φ bin.
///
/// - **BM@N-like**: a fixed-target spectrometer with an analysing magnet, by default
///   `DipoleSpectrometer.bmnLike` (silicon and GEM stations in a dipole field along y), read out by
///   two-view strips, so that each station has the ghost points of its strip crossings besides the
///   uniform noise; `minPT` … `maxPT` is the range of the total momentum (see `SpectrometerSimulation`).
///
/// `noise` is the number of noise hits as a fraction of the particle hits, spread uniformly over
/// the layers (by area for the full detector); `inefficiency` is the chance that a layer misses a
/// hit. Hit ids are shuffled.
///
/// Truth weights follow TrackML's rule for which hits count (Amrouche et al. 2019): zero for noise,
/// for particles with 3 hits or fewer, and for particles with p_T < `focusPT` at their vertex;
/// the other hits share the weight uniformly, summing to 1. (TrackML's real weights also vary
/// along the track, favouring its first and last hits; here every counted hit weighs the same.)
///
/// The settings are a `Configuration`; the generator draws events from them.
public struct EventGenerator: Sendable {
    /// The simulated detector.
    public enum Detector: String, Codable, CaseIterable, Sendable { case planar, barrel, full, bmn }

    /// The settings of the simulation.
    public struct Configuration: Codable, Equatable, Sendable {
        /// The detector. Default `.barrel`.
        public var detector: Detector
        /// Planar and barrel: particles per event. Default 100.
        public var tracks: Int
        /// Noise hits as a fraction of the particle hits. Default 0.1.
        public var noise: Double
        /// The chance that a layer misses a particle's hit. Default 0.
        public var inefficiency: Double
        /// Barrel: lowest and highest transverse momentum, GeV. Default 0.5 and 10.
        public var minPT: Double, maxPT: Double
        /// Barrel and full: largest |η|. Default 1 for the barrel, 4 for the full detector.
        public var maxEta: Double
        /// Barrel: solenoid field, tesla. Default 2. (The full detector's field is its description's.)
        public var magneticField: Double
        /// Full: collisions per event (exactly). Default 200.
        public var pileup: Int
        /// Full: charged particles per unit of η per collision, dN/dη. Default 6.
        public var multiplicity: Double
        /// Full: the particles' p_T spectrum. Default ⟨p_T⟩ = 0.5 GeV.
        public var spectrum: MinimumBiasSpectrum
        /// Full: neutral decays into a charged pair, as a fraction of the primary particles. Default 0.02.
        public var secondaries: Double
        /// Full: the chance that a crossing also leaves a hit in the overlapping module. Default 0.08.
        public var overlap: Double
        /// Full: the detector; nil is `DetectorDescription.trackMLFull`.
        public var detectorDescription: DetectorDescription?
        /// Truth weights go only to particles with p_T ≥ this at their vertex, GeV. Default 0 (all).
        public var focusPT: Double
        /// BM@N-like: the spectrometer; nil is `DipoleSpectrometer.bmnLike`.
        public var spectrometer: DipoleSpectrometer?
        /// BM@N-like: whether the stations' strip crossings add their ghost points. Default true.
        public var ghosts: Bool

        /// Settings with the defaults above, or the values given.
        public init(detector: Detector = .barrel, tracks: Int = 100, noise: Double = 0.1, inefficiency: Double = 0,
                    minPT: Double = 0.5, maxPT: Double = 10, maxEta: Double? = nil, magneticField: Double = 2,
                    pileup: Int = 200, multiplicity: Double = 6, spectrum: MinimumBiasSpectrum = MinimumBiasSpectrum(),
                    secondaries: Double = 0.02, overlap: Double = 0.08, detectorDescription: DetectorDescription? = nil,
                    focusPT: Double = 0, spectrometer: DipoleSpectrometer? = nil, ghosts: Bool = true) {
            self.ghosts = ghosts
            self.spectrometer = spectrometer
            self.detector = detector
            self.tracks = tracks
            self.noise = noise
            self.inefficiency = inefficiency
            self.minPT = minPT
            self.maxPT = maxPT
            self.maxEta = maxEta ?? (detector == .full ? 4 : 1)
            self.magneticField = magneticField
            self.pileup = pileup
            self.multiplicity = multiplicity
            self.spectrum = spectrum
            self.secondaries = secondaries
            self.overlap = overlap
            self.detectorDescription = detectorDescription
            self.focusPT = focusPT
        }

        /// The detector the full simulation uses.
        public var collider: DetectorDescription { detectorDescription ?? .trackMLFull }

        /// Throws unless the settings make sense.
        ///
        /// - Throws: `ConfigurationError` naming the field, e.g. `noise` or `minPT`.
        public func validate() throws {
            guard (0...1_000_000).contains(tracks) else { throw ConfigurationError(field: "tracks", "expected 0 to 1,000,000 tracks, found \(tracks)") }
            guard noise >= 0, noise <= 100 else {
                throw ConfigurationError(field: "noise", "expected a noise fraction from 0 to 100 (noise hits per particle hit), found \(noise)")
            }
            guard inefficiency >= 0, inefficiency < 1 else {
                throw ConfigurationError(field: "inefficiency", "expected a probability in [0, 1), found \(inefficiency)")
            }
            guard minPT > 0 else { throw ConfigurationError(field: "minPT", "expected a positive p_T, found \(minPT)") }
            guard maxPT >= minPT else { throw ConfigurationError(field: "maxPT", "expected at least the lowest p_T, \(minPT), found \(maxPT)") }
            guard maxEta > 0, maxEta <= 10 else { throw ConfigurationError(field: "maxEta", "expected a largest |η| in (0, 10], found \(maxEta)") }
            guard (0...10_000).contains(pileup) else { throw ConfigurationError(field: "pileup", "expected 0 to 10,000 collisions, found \(pileup)") }
            guard multiplicity >= 0, multiplicity <= 1000 else {
                throw ConfigurationError(field: "multiplicity", "expected a dN/dη from 0 to 1000, found \(multiplicity)")
            }
            try ConfigurationError.nesting("spectrum") { try spectrum.validate() }
            guard secondaries >= 0, secondaries <= 1 else {
                throw ConfigurationError(field: "secondaries", "expected a fraction in [0, 1], found \(secondaries)")
            }
            guard overlap >= 0, overlap <= 1 else { throw ConfigurationError(field: "overlap", "expected a probability in [0, 1], found \(overlap)") }
            guard focusPT >= 0, focusPT.isFinite else { throw ConfigurationError(field: "focusPT", "expected a p_T ≥ 0, found \(focusPT)") }
            if let d = detectorDescription { try ConfigurationError.nesting("detectorDescription") { try d.validate() } }
            if let s = spectrometer { try ConfigurationError.nesting("spectrometer") { try s.validate() } }
            // At most 2·10⁶ particles per event on average (about 2·10⁷ hits, a few GB): a bound on
            // memory, not physics; μ = 200 is about 10⁴.
            guard Double(pileup) * multiplicity * 2 * maxEta <= 2e6 else {
                throw ConfigurationError(field: "pileup", "expected at most 2,000,000 particles per event on average, found \(pileup) collisions of \(multiplicity * 2 * maxEta) particles")
            }
        }
    }

    /// The settings this generator draws from.
    public let configuration: Configuration
    var detector: Detector { configuration.detector }

    /// A generator for `configuration`.
    ///
    /// - Throws: `ConfigurationError` for unusable settings.
    public init(_ configuration: Configuration = Configuration()) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The barrel layers, from `DetectorDescription.trackMLBarrel`: (volume, layer, radius mm,
    /// half-length mm, σ_rφ mm, σ_z mm).
    static let barrelLayers: [(Int, Int, Double, Double, Double, Double)] = DetectorDescription.trackMLBarrel.layers.map {
        ($0.id.volume, $0.id.layer, $0.position, $0.upper, $0.sigmaRPhi, $0.sigmaAlong)
    }
    /// The planar chambers' z, mm.
    static let chambers: [Double] = [600, 800, 1000, 1200, 1400, 1600]

    /// Generates one event from `random`.
    public func generate(random: RandomSource) -> GeneratedEvent {
        let tracks = configuration.tracks, inefficiency = configuration.inefficiency
        var raw: [RawHit] = []
        var particles: [Particle] = []
        switch detector {
        case .planar, .barrel:
            for p in stride(from: 1, through: tracks, by: 1) {
                let (particle, hits) = detector == .planar ? planarTrack(id: p, random) : barrelTrack(id: p, random)
                var kept = 0
                for h in hits where !random.bernoulli(inefficiency) {
                    raw.append(RawHit(x: h.x, y: h.y, z: h.z, layer: h.layer, module: 0,
                                      truth: TruthHit(hitID: 0, particleID: p, tx: h.x, ty: h.y, tz: h.z, tpx: h.p.0, tpy: h.p.1, tpz: h.p.2, weight: 1)))
                    kept += 1
                }
                var pp = particle
                pp.hitCount = kept
                particles.append(pp)
            }
        case .full:
            CollisionSimulation(configuration).simulate(random, hits: &raw, particles: &particles)
        case .bmn:
            SpectrometerSimulation(configuration).simulate(random, hits: &raw, particles: &particles)
        }
        // The BM@N-like simulation adds its own noise (and ghosts).
        let noiseCount = detector == .bmn ? 0 : Int((configuration.noise * Double(raw.count)).rounded())
        let noise = detector == .full ? CollisionSimulation(configuration).noise : nil
        raw.reserveCapacity(raw.count + noiseCount)
        for _ in 0..<noiseCount {
            if let noise {
                raw.append(noise.hit(random))
            } else {
                let h = noiseHit(random)
                raw.append(RawHit(x: h.x, y: h.y, z: h.z, layer: h.layer, module: 0, truth: TruthHit(hitID: 0, particleID: 0, tx: h.x, ty: h.y, tz: h.z, weight: 0)))
            }
        }
        random.shuffle(&raw)
        // Which particles carry weight: at least 4 hits, and p_T ≥ focusPT at the vertex.
        let focusPT = configuration.focusPT
        let counted = Set(particles.filter { $0.hitCount >= 4 && ($0.px * $0.px + $0.py * $0.py).squareRoot() >= focusPT }.map(\.id))
        let eligible = raw.filter { $0.truth.particleID != 0 && counted.contains($0.truth.particleID) }.count
        var hits: [Hit] = [], truth: [TruthHit] = []
        hits.reserveCapacity(raw.count)
        truth.reserveCapacity(raw.count)
        for (k, r) in raw.enumerated() {
            hits.append(Hit(id: k + 1, x: r.x, y: r.y, z: r.z, layer: r.layer, module: r.module))
            var t = r.truth
            t.hitID = k + 1
            t.weight = t.particleID != 0 && counted.contains(t.particleID) && eligible > 0 ? 1 / Double(eligible) : 0
            truth.append(t)
        }
        return GeneratedEvent(hits: hits, truth: truth, particles: particles)
    }

    /// What one written event holds.
    public struct WrittenEvent: Sendable {
        /// The event's number, from 1.
        public var number: Int
        /// The prefix of its files: `PREFIX-hits.csv`, `PREFIX-truth.csv`, `PREFIX-particles.csv`.
        public var prefix: String
        /// Hits (noise included), particles, and noise hits.
        public var hitCount: Int, particleCount: Int, noiseHitCount: Int

        /// The hit file.
        public var hitsFile: String { prefix + "-hits.csv" }
    }

    /// Generates `count` events from `random`, one after the other, and writes each (see
    /// `GeneratedEvent.write(prefix:)`): a single event as `prefix`-…, several as `prefix`nnnnnnnnn-…
    /// with the event's number in 9 digits, so that the prefix `DIR/event` makes an `EventFolder`.
    /// Creates the prefix's folder. `onEvent` sees each event once it is written.
    ///
    /// - Throws: `InputError` when a file or the folder cannot be written.
    @discardableResult
    public func write(events count: Int, prefix: String, random: RandomSource,
                      onEvent: (WrittenEvent) throws -> Void = { _ in }) throws -> [WrittenEvent] {
        let folder = (prefix as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw InputError(file: folder, "cannot create the folder")
            }
        }
        var written: [WrittenEvent] = []
        for number in stride(from: 1, through: count, by: 1) {
            let event = generate(random: random)
            let eventPrefix = count == 1 ? prefix : prefix + String(format: "%09ld", number)
            try event.write(prefix: eventPrefix)
            let summary = WrittenEvent(number: number, prefix: eventPrefix, hitCount: event.hits.count, particleCount: event.particles.count,
                                       noiseHitCount: event.truth.filter { $0.particleID == 0 }.count)
            try onEvent(summary)
            written.append(summary)
        }
        return written
    }

    typealias SimHit = (x: Double, y: Double, z: Double, layer: LayerID, p: (Double, Double, Double))

    /// A hit before the ids are shuffled: measured position, layer, module and truth.
    struct RawHit {
        var x: Double, y: Double, z: Double
        var layer: LayerID
        var module: Int
        var truth: TruthHit
    }

    func planarTrack(id: Int, _ random: RandomSource) -> (Particle, [SimHit]) {
        let x0 = random.gaussian(sigma: 2), y0 = random.gaussian(sigma: 2)
        let sx = random.uniform(-0.2, 0.2), sy = random.uniform(-0.2, 0.2)
        let p = random.uniform(5, 50), norm = (1 + sx * sx + sy * sy).squareRoot()
        let momentum = (p * sx / norm, p * sy / norm, p / norm)
        var hits: [SimHit] = []
        for (k, z) in Self.chambers.enumerated() {
            let x = x0 + sx * z + random.gaussian(sigma: 0.6), y = y0 + sy * z + random.gaussian(sigma: 0.6)
            guard abs(x) <= 500, abs(y) <= 500 else { continue }
            hits.append((x, y, z, LayerID(volume: 1, layer: k + 1), momentum))
        }
        return (Particle(id: id, vx: x0, vy: y0, vz: 0, px: momentum.0, py: momentum.1, pz: momentum.2,
                         charge: random.bernoulli(0.5) ? 1 : -1, hitCount: hits.count), hits)
    }

    func barrelTrack(id: Int, _ random: RandomSource) -> (Particle, [SimHit]) {
        // p_T ∝ 1/p_T² on [min, max]: the inverse CDF of u is 1 / (1/min − u (1/min − 1/max)).
        let minPT = configuration.minPT, maxPT = configuration.maxPT, maxEta = configuration.maxEta
        let magneticField = configuration.magneticField
        let u = random.uniform()
        var pt = 1 / (1 / minPT - u * (1 / minPT - 1 / maxPT))
        let eta = random.uniform(-maxEta, maxEta)
        var phi = random.uniform(-Double.pi, Double.pi)
        let charge = random.bernoulli(0.5) ? 1 : -1
        var cotTheta = sinh(eta)
        var x = 0.0, y = 0.0, z = random.gaussian(sigma: 55)
        let particle = Particle(id: id, vx: 0, vy: 0, vz: z, px: pt * cos(phi), py: pt * sin(phi), pz: pt * cotTheta,
                                charge: charge, hitCount: 0)
        var hits: [SimHit] = []
        for layer in Self.barrelLayers {
            let (volume, lid, radius, halfLength, sigmaRPhi, sigmaZ) = layer
            // Signed curvature κ (1/mm): a positive charge in B along +z turns clockwise.
            let kappa = -Double(charge) * 0.0003 * magneticField / pt
            func position(_ s: Double) -> (Double, Double) {
                abs(kappa) < 1e-12 ? (x + s * cos(phi), y + s * sin(phi))
                    : (x + (sin(phi + kappa * s) - sin(phi)) / kappa, y - (cos(phi + kappa * s) - cos(phi)) / kappa)
            }
            // Bracket the crossing of r = radius along the transverse path s, then bisect.
            let maxS = abs(kappa) > 0 ? Double.pi / abs(kappa) : 10 * radius
            var lo = 0.0, hi = 0.0, found = false
            while hi < maxS {
                hi = min(maxS, hi + 20)
                let (px, py) = position(hi)
                if px * px + py * py >= radius * radius { found = true; break }
                lo = hi
            }
            guard found else { break }
            for _ in 0..<50 {
                let mid = 0.5 * (lo + hi), (px, py) = position(mid)
                if px * px + py * py >= radius * radius { hi = mid } else { lo = mid }
            }
            let s = 0.5 * (lo + hi)
            let (hx, hy) = position(s)
            let hz = z + s * cotTheta
            guard abs(hz) <= halfLength else { break }
            phi += kappa * s
            x = hx; y = hy; z = hz
            let momentum = (pt * cos(phi), pt * sin(phi), pt * cotTheta)
            let hitPhi = atan2(hy, hx) + random.gaussian(sigma: sigmaRPhi) / radius
            hits.append((radius * cos(hitPhi), radius * sin(hitPhi), hz + random.gaussian(sigma: sigmaZ),
                         LayerID(volume: volume, layer: lid), momentum))
            // Multiple scattering in the layer (Highland 1975): θ₀ = 13.6 MeV / p · √(x/X₀) (1 + 0.038 ln(x/X₀)).
            let sinTheta = 1 / (1 + cotTheta * cotTheta).squareRoot()
            let p = pt / sinTheta, thickness = 0.02 / sinTheta
            let theta0 = 0.0136 / p * thickness.squareRoot() * (1 + 0.038 * log(thickness))
            phi += random.gaussian(sigma: theta0) / sinTheta
            let theta = atan2(1, cotTheta) + random.gaussian(sigma: theta0)
            cotTheta = cos(theta) / sin(theta)
            pt = p * sin(theta)
        }
        return (particle, hits)
    }

    func noiseHit(_ random: RandomSource) -> (x: Double, y: Double, z: Double, layer: LayerID) {
        switch detector {
        case .planar:
            let k = random.integer(below: Self.chambers.count)
            return (random.uniform(-500, 500), random.uniform(-500, 500), Self.chambers[k], LayerID(volume: 1, layer: k + 1))
        case .barrel, .full, .bmn:
            let l = Self.barrelLayers[random.integer(below: Self.barrelLayers.count)]
            let phi = random.uniform(-Double.pi, Double.pi)
            return (l.2 * cos(phi), l.2 * sin(phi), random.uniform(-l.3, l.3), LayerID(volume: l.0, layer: l.1))
        }
    }
}
