import EnergyCore
import EnergyFormats
import Foundation

/// Which layer can follow which along a track: a directed graph on the layers of a collider
/// detector in a solenoid (barrel cylinders and endcap disks), with the links that skip one layer
/// so that a track survives a missing hit. It replaces a single layer order where the layers have
/// none: a barrel layer may be followed by the next barrel layer or by a disk, a disk by the next
/// disk.
///
/// Two builders, as in the GNN trackers' module maps (Biscarat et al. 2021, ATLAS ITk; the
/// Exa.TrkX pipeline, Ju et al. 2021): `init(detector:minPT:maxZ0:)` propagates helices of p_T above
/// the cut from the luminous region through a `DetectorDescription`; `init(truth:minCount:)` keeps the
/// layer pairs that real tracks of truth-labelled events connect.
///
/// Stored as a JSON document with `"format": "energymodels.layer-map"`, so that one detector's
/// map is built once and reused.
public struct LayerGraph: Codable, Equatable, Sendable {
    /// The document kind in the JSON file.
    public static let format = "energymodels.layer-map"

    /// One layer of the graph: its id, its shape, where it lies (a cylinder's radius or a disk's
    /// z, mm) and its extent (a cylinder's z range or a disk's r range, mm).
    public struct Layer: Codable, Equatable, Sendable {
        public var id: LayerID
        public var shape: DetectorLayer.Shape
        public var position: Double
        public var lower: Double, upper: Double

        public init(id: LayerID, shape: DetectorLayer.Shape, position: Double, lower: Double, upper: Double) {
            self.id = id
            self.shape = shape
            self.position = position
            self.lower = lower
            self.upper = upper
        }
    }

    /// A directed link from layer `from` to layer `to` (indices into `layers`): `step` 1 when a
    /// track crosses `to` right after `from`, 2 when it skips one layer in between. `count` is the
    /// number of propagated helices or truth tracks that made it.
    public struct Link: Codable, Equatable, Sendable {
        public var from: Int, to: Int, step: Int, count: Int

        public init(from: Int, to: Int, step: Int, count: Int) {
            self.from = from
            self.to = to
            self.step = step
            self.count = count
        }
    }

    /// Always `format`.
    public var format: String
    /// What the map was built from, e.g. `geometry of trackml-full, pT ≥ 1 GeV` or `truth of 5 events`.
    public var source: String
    /// The solenoid field, tesla (0 when unknown, e.g. learned from truth).
    public var magneticField: Double
    /// The layers, sorted by id.
    public var layers: [Layer]
    /// The links, sorted by (from, to); a pair appears once, with its smallest step.
    public var links: [Link]

    public init(source: String, magneticField: Double, layers: [Layer], links: [Link]) {
        self.format = Self.format
        self.source = source
        self.magneticField = magneticField
        self.layers = layers
        self.links = links
    }

    /// The index in `layers` of each layer id.
    public var layerIndex: [LayerID: Int] {
        Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($0.element.id, $0.offset) })
    }

    /// Whether the graph links layer `a` to layer `b` (with any step).
    public func links(_ a: LayerID, to b: LayerID) -> Bool {
        let index = layerIndex
        guard let i = index[a], let j = index[b] else { return false }
        return links.contains { $0.from == i && $0.to == j }
    }

    /// The set of linked pairs, as layer ids, with their step.
    public var linkedPairs: [LinkedPair: Int] {
        var out: [LinkedPair: Int] = [:]
        for l in links { out[LinkedPair(from: layers[l.from].id, to: layers[l.to].id)] = l.step }
        return out
    }

    /// An ordered pair of layers.
    public struct LinkedPair: Hashable, Sendable {
        public var from: LayerID, to: LayerID
        public init(from: LayerID, to: LayerID) {
            self.from = from
            self.to = to
        }
    }

    /// Throws unless the graph is usable: layers with unique ids and finite positions, links
    /// between existing layers with step 1 or 2.
    ///
    /// - Throws: `ConfigurationError` naming the field, e.g. `links.4.to`.
    public func validate() throws {
        var seen = Set<LayerID>()
        for (k, l) in layers.enumerated() {
            guard seen.insert(l.id).inserted else { throw ConfigurationError(field: "layers.\(k).id", "layer \(l.id) appears twice") }
            guard l.position.isFinite, abs(l.position) <= 100_000 else {
                throw ConfigurationError(field: "layers.\(k).position", "expected a position within 100 m, found \(l.position)")
            }
            guard l.lower.isFinite, l.upper.isFinite, l.lower <= l.upper, abs(l.lower) <= 100_000, abs(l.upper) <= 100_000 else {
                throw ConfigurationError(field: "layers.\(k).upper", "expected lower ≤ upper within 100 m, found \(l.lower) … \(l.upper)")
            }
        }
        for (k, l) in links.enumerated() {
            guard layers.indices.contains(l.from) else { throw ConfigurationError(field: "links.\(k).from", "no layer \(l.from)") }
            guard layers.indices.contains(l.to), l.to != l.from else { throw ConfigurationError(field: "links.\(k).to", "no layer \(l.to) other than from") }
            guard l.step == 1 || l.step == 2 else { throw ConfigurationError(field: "links.\(k).step", "expected 1 or 2, found \(l.step)") }
            guard l.count >= 0 else { throw ConfigurationError(field: "links.\(k).count", "expected a count ≥ 0, found \(l.count)") }
        }
    }

    /// Reads a map written by `write(to:)`.
    ///
    /// - Throws: `InputError` naming the file and the field when it is not a usable layer map.
    public static func read(_ path: String) throws -> LayerGraph {
        let g = try JSONFile.read(LayerGraph.self, from: path, format: format, what: "a layer map")
        do {
            try g.validate()
        } catch let error as ConfigurationError {
            throw InputError(file: path, "field '\(error.field)': \(error.message)")
        }
        return g
    }

    /// Writes the map as JSON, atomically.
    public func write(to path: String) throws { try JSONFile.write(self, to: path) }

    /// The graph of consecutive layer sequences: for each sequence (a track's layers in flight
    /// order), a step-1 link between neighbours and a step-2 link across one; a pair seen with both
    /// steps keeps step 1.
    static func links(from sequences: [([LayerID], Int)], layers: [Layer]) -> [Link] {
        let index = Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($0.element.id, $0.offset) })
        var counts: [LinkedPair: (step: Int, count: Int)] = [:]
        for (sequence, weight) in sequences {
            for k in sequence.indices {
                for step in 1...2 where k + step < sequence.count {
                    let pair = LinkedPair(from: sequence[k], to: sequence[k + step])
                    let old = counts[pair] ?? (step, 0)
                    counts[pair] = (min(old.step, step), old.count + weight)
                }
            }
        }
        return counts.compactMap { pair, value -> Link? in
            guard let i = index[pair.from], let j = index[pair.to] else { return nil }
            return Link(from: i, to: j, step: value.step, count: value.count)
        }.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
    }
}

extension LayerGraph {
    /// The settings of the geometric builder.
    public struct Propagation: Codable, Equatable, Sendable {
        /// Lowest p_T propagated, GeV. Default 0.5 (the finder's default cut).
        public var minPT: Double
        /// Largest |z₀| of the vertex, mm. Default 200 (3.6 σ of the TrackML luminous region).
        public var maxZ0: Double
        /// Largest |η| propagated. Default 4.
        public var maxEta: Double
        /// Step of the η grid. Default 0.005.
        public var etaStep: Double

        public init(minPT: Double = 0.5, maxZ0: Double = 200, maxEta: Double = 4, etaStep: Double = 0.005) {
            self.minPT = minPT
            self.maxZ0 = maxZ0
            self.maxEta = maxEta
            self.etaStep = etaStep
        }

        /// Throws unless the settings are usable.
        ///
        /// - Throws: `ConfigurationError` naming the field, e.g. `minPT`.
        public func validate() throws {
            for (field, value) in [("minPT", minPT), ("maxEta", maxEta), ("etaStep", etaStep)] where !(value > 0 && value.isFinite) {
                throw ConfigurationError(field: field, "expected a positive number, found \(value)")
            }
            guard maxZ0 >= 0, maxZ0.isFinite else { throw ConfigurationError(field: "maxZ0", "expected |z0| ≥ 0 mm, found \(maxZ0)") }
            guard maxEta / etaStep <= 1_000_000 else { throw ConfigurationError(field: "etaStep", "expected at most 10⁶ steps of η, found \(maxEta / etaStep)") }
        }
    }

    /// The graph of `detector` from helices: both charges, p_T from `minPT` up to straight lines
    /// (p_T = minPT, 2 minPT, 4 minPT, 10 minPT and 1000 GeV), η on a grid over ±`maxEta`, and
    /// vertices at z₀ = −maxZ0, −maxZ0/2, 0, maxZ0/2, maxZ0 on the beam line; φ does not matter
    /// (the layers are symmetric about the beam). Each helix's crossings in flight order
    /// (`HelixPath.crossings`) give the links.
    ///
    /// - Throws: `ConfigurationError` for unusable settings.
    public init(detector: DetectorDescription, propagation: Propagation = Propagation()) throws {
        try propagation.validate()
        try detector.validate()
        let layers = detector.layers.map { Layer(id: $0.id, shape: $0.shape, position: $0.position, lower: $0.lower, upper: $0.upper) }.sorted { $0.id < $1.id }
        var sequences: [LinkedSequence: Int] = [:]
        let p = propagation
        let pts = detector.magneticField > 0 ? [1, 2, 4, 10].map { $0 * p.minPT } + [1000] : [1000]
        let etaSteps = Int((p.maxEta / p.etaStep).rounded(.down))
        for k in -etaSteps...etaSteps {
            let eta = Double(k) * p.etaStep
            for z0 in [-1, -0.5, 0, 0.5, 1].map({ $0 * p.maxZ0 }) {
                for pT in pts {
                    for charge in [-1, 1] {
                        let helix = HelixPath(pT: pT, charge: charge, eta: eta, z0: z0, magneticField: detector.magneticField)
                        sequences[LinkedSequence(layers: helix.crossings(detector).map(\.layer)), default: 0] += 1
                    }
                }
            }
        }
        let source = "geometry of \(detector.name), pT ≥ \(p.minPT) GeV, |z0| ≤ \(p.maxZ0) mm, |η| ≤ \(p.maxEta)"
        self.init(source: source, magneticField: detector.magneticField, layers: layers,
                  links: Self.links(from: sequences.map { ($0.key.layers, $0.value) }, layers: layers))
    }

    /// The graph real tracks make: for every particle of `events` (hits with their truth, in the
    /// order of the hits) with p_T ≥ `minPT` (from the truth momentum at its first hit; 0 keeps all)
    /// and at least 2 hits on different layers, its layers in flight order (by transverse radius,
    /// which rises along a helix's outgoing half-turn from any vertex on the beam line; two hits on one layer, as where modules overlap, count once) give step-1 links
    /// between neighbours and step-2 links across one. Links made by fewer than `minCount`
    /// particles are dropped. A layer is a cylinder when its hits spread less in r than in z, else
    /// a disk; its position is the mean r or z of its hits.
    public init(truth events: [(hits: [Hit], truth: [TruthHit])], minPT: Double = 0, minCount: Int = 1, source: String) {
        var spread: [LayerID: (rLo: Double, rHi: Double, zLo: Double, zHi: Double, r: Double, z: Double, n: Int)] = [:]
        var sequences: [LinkedSequence: Int] = [:]
        for event in events {
            for h in event.hits {
                let r = h.r, z = h.z
                if let s = spread[h.layer] {
                    spread[h.layer] = (min(s.rLo, r), max(s.rHi, r), min(s.zLo, z), max(s.zHi, z), s.r + r, s.z + z, s.n + 1)
                } else {
                    spread[h.layer] = (r, r, z, z, r, z, 1)
                }
            }
            var members: [Int: [Int]] = [:]
            for (i, t) in event.truth.enumerated() where t.particleID != 0 && i < event.hits.count { members[t.particleID, default: []].append(i) }
            for (_, indices) in members {
                // Along the outgoing half-turn r rises, so r is the flight order from any vertex on the beam line.
                let ordered = indices.sorted { (event.hits[$0].r, $0) < (event.hits[$1].r, $1) }
                if minPT > 0, let first = ordered.first {
                    let t = event.truth[first]
                    guard (t.tpx * t.tpx + t.tpy * t.tpy).squareRoot() >= minPT else { continue }
                }
                var layerSequence: [LayerID] = []
                for i in ordered where layerSequence.last != event.hits[i].layer { layerSequence.append(event.hits[i].layer) }
                guard layerSequence.count >= 2 else { continue }
                sequences[LinkedSequence(layers: layerSequence), default: 0] += 1
            }
        }
        let layers = spread.map { id, s -> Layer in
            let n = Double(s.n)
            return s.rHi - s.rLo <= s.zHi - s.zLo ? Layer(id: id, shape: .cylinder, position: s.r / n, lower: s.zLo, upper: s.zHi)
                : Layer(id: id, shape: .disk, position: s.z / n, lower: s.rLo, upper: s.rHi)
        }.sorted { $0.id < $1.id }
        let links = Self.links(from: sequences.map { ($0.key.layers, $0.value) }, layers: layers).filter { $0.count >= max(1, minCount) }
        self.init(source: source, magneticField: 0, layers: layers, links: links)
    }

    /// A track's layers in flight order, as a dictionary key.
    struct LinkedSequence: Hashable {
        var layers: [LayerID]
    }
}
