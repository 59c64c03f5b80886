import EnergyCore
import Foundation

/// The `full` detector of `EventGenerator`: pile-up collisions in a collider detector described by
/// a `DetectorDescription` (see `EventGenerator` for the model and its parameters).
struct CollisionSimulation {
    let configuration: EventGenerator.Configuration
    let propagator: HelixPropagator
    let modules: [ModuleGrid]

    init(_ configuration: EventGenerator.Configuration) {
        self.configuration = configuration
        self.propagator = HelixPropagator(configuration.collider)
        self.modules = configuration.collider.layers.map(ModuleGrid.init)
    }

    /// Transverse (mm) and longitudinal (mm) spread of the collision vertices.
    static let vertexSigmaXY = 0.015, vertexSigmaZ = 55.0
    /// How far behind a layer its overlapping modules sit, mm.
    static let overlapOffset = 4.0
    /// Transverse decay distance of the neutral parents of secondaries, mm.
    static let decayRadius = 10.0...100.0
    /// The momentum each daughter gets across the parent's direction, in opposite senses, GeV.
    static let decayKick = 0.2
    /// Layers a particle crosses at most (a guard against numerical loops).
    static let maxCrossings = 200

    /// Appends the hits (ids to be assigned) and the particles (ids from 1) of one event.
    func simulate(_ random: RandomSource, hits: inout [EventGenerator.RawHit], particles: inout [Particle]) {
        let c = configuration
        let perCollision = c.multiplicity * 2 * c.maxEta
        particles.reserveCapacity(Int(Double(c.pileup) * perCollision * (1 + 2 * c.secondaries)) + 16)
        hits.reserveCapacity(particles.capacity * 10)
        for _ in 0..<c.pileup {
            let vx = random.gaussian(sigma: Self.vertexSigmaXY), vy = random.gaussian(sigma: Self.vertexSigmaXY)
            let vz = random.gaussian(sigma: Self.vertexSigmaZ)
            let count = random.poisson(perCollision)
            for _ in 0..<count {
                let pt = c.spectrum.draw(random)
                let eta = random.uniform(-c.maxEta, c.maxEta), phi = random.uniform(-Double.pi, Double.pi)
                let charge = random.bernoulli(0.5) ? 1 : -1
                track(HelixState(x: vx, y: vy, z: vz, phi: phi, pt: pt, cotTheta: sinh(eta), charge: charge), random,
                      hits: &hits, particles: &particles)
            }
            let decays = c.secondaries > 0 ? random.poisson(c.secondaries * perCollision) : 0
            for _ in 0..<decays {
                decay(from: (vx, vy, vz), random, hits: &hits, particles: &particles)
            }
        }
    }

    /// A neutral parent from the vertex, flying straight to a decay point at a transverse distance
    /// in `decayRadius`, and its two charged daughters: momentum fractions f and 1 − f (f uniform
    /// in [0.2, 0.8]) of the parent's, plus and minus a kick of `decayKick` GeV across it.
    func decay(from vertex: (Double, Double, Double), _ random: RandomSource, hits: inout [EventGenerator.RawHit], particles: inout [Particle]) {
        let c = configuration
        let pt = c.spectrum.draw(random), eta = random.uniform(-c.maxEta, c.maxEta), phi = random.uniform(-Double.pi, Double.pi)
        let r = random.uniform(Self.decayRadius.lowerBound, Self.decayRadius.upperBound)
        let cotTheta = sinh(eta)
        let x = vertex.0 + r * cos(phi), y = vertex.1 + r * sin(phi), z = vertex.2 + r * cotTheta
        let parent = (pt * cos(phi), pt * sin(phi), pt * cotTheta)
        // A unit vector across the parent's direction, at a random azimuth about it.
        let p = (parent.0 * parent.0 + parent.1 * parent.1 + parent.2 * parent.2).squareRoot()
        let d = (parent.0 / p, parent.1 / p, parent.2 / p)
        let a = abs(d.2) < 0.9 ? (0.0, 0.0, 1.0) : (1.0, 0.0, 0.0)
        var e1 = (d.1 * a.2 - d.2 * a.1, d.2 * a.0 - d.0 * a.2, d.0 * a.1 - d.1 * a.0)
        let n1 = (e1.0 * e1.0 + e1.1 * e1.1 + e1.2 * e1.2).squareRoot()
        e1 = (e1.0 / n1, e1.1 / n1, e1.2 / n1)
        let e2 = (d.1 * e1.2 - d.2 * e1.1, d.2 * e1.0 - d.0 * e1.2, d.0 * e1.1 - d.1 * e1.0)
        let azimuth = random.uniform(0, 2 * Double.pi), k = Self.decayKick
        let kick = (k * (cos(azimuth) * e1.0 + sin(azimuth) * e2.0), k * (cos(azimuth) * e1.1 + sin(azimuth) * e2.1),
                    k * (cos(azimuth) * e1.2 + sin(azimuth) * e2.2))
        let f = random.uniform(0.2, 0.8)
        let first = random.bernoulli(0.5) ? 1 : -1
        for (fraction, sign, charge) in [(f, 1.0, first), (1 - f, -1.0, -first)] {
            let px = fraction * parent.0 + sign * kick.0, py = fraction * parent.1 + sign * kick.1, pz = fraction * parent.2 + sign * kick.2
            let dpt = (px * px + py * py).squareRoot()
            guard dpt > 1e-6 else { continue }
            track(HelixState(x: x, y: y, z: z, phi: atan2(py, px), pt: dpt, cotTheta: pz / dpt, charge: charge), random,
                  hits: &hits, particles: &particles)
        }
    }

    /// Propagates one particle from `start`, appending its hits and the particle itself (the next id).
    func track(_ start: HelixState, _ random: RandomSource, hits: inout [EventGenerator.RawHit], particles: inout [Particle]) {
        let id = particles.count + 1
        let layers = propagator.layers
        var state = start, count = 0
        func record(x: Double, y: Double, z: Double, layer k: Int, module: Int?, momentum: (Double, Double, Double)) {
            guard !random.bernoulli(configuration.inefficiency) else { return }
            let layer = layers[k]
            let (mx, my, mz) = smear(x: x, y: y, z: z, layer, random)
            hits.append(EventGenerator.RawHit(x: mx, y: my, z: mz, layer: layer.id, module: module ?? modules[k].module(x: mx, y: my, z: mz),
                                              truth: TruthHit(hitID: 0, particleID: id, tx: x, ty: y, tz: z,
                                                              tpx: momentum.0, tpy: momentum.1, tpz: momentum.2, weight: 1)))
            count += 1
        }
        for _ in 0..<Self.maxCrossings {
            guard let crossing = propagator.nextCrossing(state, limit: propagator.turningPath(state)) else { break }
            state = propagator.advance(state, crossing.s)
            let layer = layers[crossing.layer]
            record(x: crossing.x, y: crossing.y, z: crossing.z, layer: crossing.layer, module: nil, momentum: state.momentum)
            let cosine = propagator.incidenceCosine(state, shape: layer.shape, x: crossing.x, y: crossing.y)
            propagator.scatter(&state, thickness: layer.radiationLength, cosine: cosine, random)
            if configuration.overlap > 0, random.bernoulli(configuration.overlap) {
                // The neighbouring module behind this one: a cylinder's 4 mm further out, a disk's
                // 4 mm further along the flight; its hit takes the neighbour's module id.
                let surface = layer.shape == .cylinder ? layer.position + Self.overlapOffset
                    : layer.position + (state.cotTheta >= 0 ? Self.overlapOffset : -Self.overlapOffset)
                if let s = propagator.intersection(state, shape: layer.shape, surface: surface, minimum: 0, limit: 4 * Self.overlapOffset + 100) {
                    let (x, y, z) = propagator.position(state, s)
                    if layer.covers(r: (x * x + y * y).squareRoot(), z: z) {
                        let neighbour = modules[crossing.layer].neighbour(x: crossing.x, y: crossing.y, z: crossing.z)
                        record(x: x, y: y, z: z, layer: crossing.layer, module: neighbour, momentum: propagator.advance(state, s).momentum)
                    }
                }
            }
        }
        particles.append(Particle(id: id, vx: start.x, vy: start.y, vz: start.z, px: start.momentum.0, py: start.momentum.1,
                                  pz: start.momentum.2, charge: start.charge, hitCount: count))
    }

    /// The measured position: the true one moved across the layer by σ_rφ and along it (z on a
    /// cylinder, r on a disk) by σ_along, staying on the layer's surface.
    func smear(x: Double, y: Double, z: Double, _ layer: DetectorLayer, _ random: RandomSource) -> (Double, Double, Double) {
        let r = (x * x + y * y).squareRoot()
        switch layer.shape {
        case .cylinder:
            let phi = atan2(y, x) + random.gaussian(sigma: layer.sigmaRPhi) / max(r, 1e-9)
            return (r * cos(phi), r * sin(phi), z + random.gaussian(sigma: layer.sigmaAlong))
        case .disk:
            let phi = atan2(y, x) + random.gaussian(sigma: layer.sigmaRPhi) / max(r, 1e-9)
            let rr = max(0, r + random.gaussian(sigma: layer.sigmaAlong))
            return (rr * cos(phi), rr * sin(phi), z)
        }
    }

    /// The noise sampler of this detector.
    var noise: NoiseSampler { NoiseSampler(layers: configuration.collider.layers, modules: modules) }
}

/// Noise hits spread uniformly over a detector's sensitive area: a layer with probability ∝ its
/// area (2π R · length for a cylinder, π (r₂² − r₁²) for a disk), then a uniform point on it.
struct NoiseSampler {
    let layers: [DetectorLayer]
    let modules: [ModuleGrid]
    /// Cumulative area fractions, one per layer.
    let cumulative: [Double]

    init(layers: [DetectorLayer], modules: [ModuleGrid]) {
        self.layers = layers
        self.modules = modules
        let areas = layers.map { l in
            l.shape == .cylinder ? 2 * Double.pi * l.position * (l.upper - l.lower) : Double.pi * (l.upper * l.upper - l.lower * l.lower)
        }
        let total = areas.reduce(0, +)
        var sum = 0.0
        cumulative = areas.map { sum += $0; return sum / total }
    }

    func hit(_ random: RandomSource) -> EventGenerator.RawHit {
        let u = random.uniform()
        var k = cumulative.firstIndex { u < $0 } ?? layers.count - 1
        k = min(k, layers.count - 1)
        let l = layers[k], phi = random.uniform(-Double.pi, Double.pi)
        let x: Double, y: Double, z: Double
        switch l.shape {
        case .cylinder:
            (x, y, z) = (l.position * cos(phi), l.position * sin(phi), random.uniform(l.lower, l.upper))
        case .disk:
            let r = random.uniform(l.lower * l.lower, l.upper * l.upper).squareRoot()
            (x, y, z) = (r * cos(phi), r * sin(phi), l.position)
        }
        return EventGenerator.RawHit(x: x, y: y, z: z, layer: l.id, module: modules[k].module(x: x, y: y, z: z),
                                     truth: TruthHit(hitID: 0, particleID: 0, tx: x, ty: y, tz: z, weight: 0))
    }
}

/// A layer's modules: rings along z (cylinder) or r (disk) of `length` mm, each ring cut into φ
/// bins of about `width` mm; numbered from 1, ring by ring.
struct ModuleGrid {
    let shape: DetectorLayer.Shape
    let lower: Double, upper: Double, position: Double
    let width: Double, length: Double
    let rings: Int
    /// φ bins per ring for a cylinder (all rings alike), or the most any ring of a disk has.
    let stride: Int

    /// Pixel layers (σ along < 0.1 mm) get 20 × 60 mm modules, strip layers 50 × 100 mm.
    init(_ layer: DetectorLayer) {
        shape = layer.shape
        lower = layer.lower
        upper = layer.upper
        position = layer.position
        (width, length) = layer.sigmaAlong < 0.1 ? (20, 60) : (50, 100)
        rings = max(1, Int(((layer.upper - layer.lower) / length).rounded(.up)))
        let outer = layer.shape == .cylinder ? layer.position : layer.upper
        stride = Self.phiBins(radius: outer, width: width)
    }

    static func phiBins(radius: Double, width: Double) -> Int { max(4, Int((2 * Double.pi * radius / width).rounded())) }

    /// Ring, φ bin, φ bins in that ring, and the fraction across the φ bin, of a point.
    func cell(x: Double, y: Double, z: Double) -> (ring: Int, bin: Int, bins: Int, fraction: Double) {
        let r = (x * x + y * y).squareRoot()
        let along = shape == .cylinder ? z : r
        let ring = min(rings - 1, max(0, Int(((along - lower) / length).rounded(.down))))
        let bins = shape == .cylinder ? stride : Self.phiBins(radius: min(upper, lower + (Double(ring) + 0.5) * length), width: width)
        let t = (atan2(y, x) + Double.pi) / (2 * Double.pi) * Double(bins)
        let bin = min(bins - 1, max(0, Int(t.rounded(.down))))
        return (ring, bin, bins, t - Double(bin))
    }

    /// The module id of a point on the layer.
    func module(x: Double, y: Double, z: Double) -> Int {
        let c = cell(x: x, y: y, z: z)
        return c.ring * stride + c.bin + 1
    }

    /// The id of the φ-neighbour of the point's module on the side the point is nearer.
    func neighbour(x: Double, y: Double, z: Double) -> Int {
        let c = cell(x: x, y: y, z: z)
        let bin = (c.bin + (c.fraction < 0.5 ? c.bins - 1 : 1)) % c.bins
        return c.ring * stride + bin + 1
    }
}
