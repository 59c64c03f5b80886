import EnergyCore
import Foundation

/// The settings of a track-finding run: geometry, cuts, energy, solver and extraction.
public struct TrackFinderConfiguration: Codable, Equatable, Sendable {
    /// Which solver settles the network.
    public enum Solver: String, Codable, CaseIterable, Sendable {
        /// Mean-field annealing (`MeanFieldAnnealing`), the default.
        case meanField = "mean-field"
        /// Binary neurons by GSL simulated annealing (`BinaryAnnealing`).
        case annealing
    }

    /// How the layers are ordered. Default `.auto`.
    public var geometry: DetectorGeometry
    /// Which hit pairs become neurons.
    public var cuts: SegmentCuts
    /// The constants of the energy.
    public var energy: EnergyParameters
    /// The solver. Default `.meanField`.
    public var solver: Solver
    /// The settings of the mean-field solver.
    public var meanField: MeanFieldAnnealing.Configuration
    /// The settings of the simulated-annealing solver.
    public var annealing: BinaryAnnealing.Configuration
    /// How tracks are read off the settled network.
    public var extraction: TrackExtractor.Configuration
    /// Which layer can follow which (`LayerGraph`). With a graph, segments are built along its
    /// links by `GraphSegmentBuilder` (barrel and endcap disks alike) and `geometry` is not used;
    /// without one (the default), layers are ordered by `LayerLayout`. Default nil.
    public var layerGraph: LayerGraph?
    /// Threads that build the segments of one event. Default 1.
    public var workers: Int
    /// A second network on the hits the first one's confident tracks leave (`SecondPass`).
    /// Default nil (one network).
    public var secondPass: SecondPass?
    /// An analysing magnet (field along y, bending in x–z) of a fixed-target spectrometer. With
    /// one, and no `layerGraph`, layers are ordered by z, segments are cut by `DipoleSegmentBuilder`
    /// and kinks are measured after removing the bend (`DipoleKinks`); `geometry` is not used.
    /// Default nil.
    public var dipole: DipoleField?
    /// A sentence on what the configuration is for and where its values come from (a preset's
    /// source); written to and read from configuration files, not used by the finder. Default "".
    public var description: String

    /// A configuration with the defaults of each part, or the values given.
    public init(geometry: DetectorGeometry = .auto, cuts: SegmentCuts = SegmentCuts(), energy: EnergyParameters = EnergyParameters(),
                solver: Solver = .meanField, meanField: MeanFieldAnnealing.Configuration = .init(),
                annealing: BinaryAnnealing.Configuration = .init(), extraction: TrackExtractor.Configuration = .init(),
                layerGraph: LayerGraph? = nil, workers: Int = 1, secondPass: SecondPass? = nil, description: String = "",
                dipole: DipoleField? = nil) {
        self.dipole = dipole
        self.geometry = geometry
        self.cuts = cuts
        self.energy = energy
        self.solver = solver
        self.meanField = meanField
        self.annealing = annealing
        self.extraction = extraction
        self.layerGraph = layerGraph
        self.workers = workers
        self.secondPass = secondPass
        self.description = description
    }

    /// Throws unless every part is usable.
    ///
    /// - Throws: `ConfigurationError` naming the field by its path, e.g. `cuts.minPT` or
    ///   `meanField.schedule.coolingFactor`.
    public func validate() throws {
        try ConfigurationError.nesting("cuts") { try cuts.validate() }
        try ConfigurationError.nesting("energy") { try energy.validate() }
        try ConfigurationError.nesting("meanField") { try meanField.validate() }
        try ConfigurationError.nesting("annealing") { try annealing.validate() }
        try ConfigurationError.nesting("extraction") { try extraction.validate() }
        if let layerGraph { try ConfigurationError.nesting("layerGraph") { try layerGraph.validate() } }
        if let secondPass { try ConfigurationError.nesting("secondPass") { try secondPass.validate() } }
        if let dipole { try ConfigurationError.nesting("dipole") { try dipole.validate() } }
        guard workers >= 1, workers <= 1024 else { throw ConfigurationError(field: "workers", "expected 1 to 1024 threads, found \(workers)") }
    }
}

/// What a run found, and what it took.
public struct Reconstruction: Sendable {
    /// The geometry used.
    public var layout: LayerLayout
    /// The number of segments that passed the cuts.
    public var candidateSegments: Int
    /// The network that was settled (segments with no chain partner removed when tracks need
    /// at least 3 hits).
    public var network: SegmentNetwork
    /// The final activations, one per segment.
    public var activations: [Double]
    /// The trace of the mean-field run, one entry per temperature (empty for `annealing`).
    public var trace: [AnnealingStep]
    /// The tracks, as hit indices in flight order.
    public var tracks: [[Int]]
    /// Seconds spent building the network, settling it, and extracting the tracks.
    public var seconds: (build: Double, solve: Double, extract: Double)

    /// The track of each hit, 1-based in the order of `tracks`; 0 for hits on no track.
    public func trackIDs(hitCount: Int) -> [Int] {
        var ids = [Int](repeating: 0, count: hitCount)
        for (t, track) in tracks.enumerated() { for h in track { ids[h] = t + 1 } }
        return ids
    }
}

/// Denby–Peterson track finding, end to end: order the layers, cut segments, build the network,
/// settle it, extract the tracks (Denby 1988; Peterson 1989; Stimpfl-Abele & Garrido 1991).
public struct TrackFinder: Sendable {
    public let configuration: TrackFinderConfiguration
    let meanField: MeanFieldAnnealing
    let annealing: BinaryAnnealing
    let extractor: TrackExtractor

    /// A finder for `configuration`.
    ///
    /// - Throws: `ConfigurationError` naming the first unusable field (see `TrackFinderConfiguration.validate()`).
    public init(_ configuration: TrackFinderConfiguration = TrackFinderConfiguration()) throws {
        try configuration.validate()
        self.configuration = configuration
        meanField = try MeanFieldAnnealing(configuration.meanField)
        annealing = try BinaryAnnealing(configuration.annealing)
        extractor = try TrackExtractor(configuration.extraction)
    }

    /// Reconstructs the tracks of one event. `observe` sees the mean-field state after every
    /// temperature: its index, the step, and the activations (for a trace or annealing frames).
    ///
    /// With a `secondPass`, the first network's tracks of at least `minConfidentHits` hits are kept,
    /// and a second network (same configuration, with the second pass's `skipLayers`, `maxAngle`
    /// and `minChainHits`) runs on the other hits; with `networks` > 1, each later network keeps its tracks
    /// of at least `laterConfidentHits` hits and the next runs on what is left, the last keeping
    /// all its tracks. When the later networks' segment cuts are the first's (along a layer graph),
    /// their candidates are the first network's restricted to their hits rather than searched for
    /// again (the same segments; see `GraphSegmentBuilder.restricted`). `observe` sees the first. The reconstruction's network,
    /// activations and trace are the first network's; its tracks are both passes', its times their sums.
    public func reconstruct(_ hits: [Hit], random: RandomSource,
                            observe: ((Int, AnnealingStep, [Double]) -> Void)? = nil) throws -> Reconstruction {
        let once = try reconstructOnceKeepingCandidates(hits, random: random, observe: observe)
        var first = once.reconstruction
        guard let pass = configuration.secondPass else { return first }
        var kept = first.tracks.filter { $0.count >= pass.minConfidentHits }
        var used = [Bool](repeating: false, count: hits.count)
        var c = configuration
        c.secondPass = nil
        c.cuts.skipLayers = pass.skipLayers
        c.energy.maxAngle = pass.maxAngle
        c.cuts.minChainHits = pass.minChainHits
        let later = try TrackFinder(c)
        // Along a layer graph, when the later networks cut segments as the first does (no layer skips
        // in either, say), their candidates, and the join's, are the first network's restricted to
        // their hits (`GraphSegmentBuilder.restricted`): no second search.
        var sameCuts = c.cuts
        sameCuts.minChainHits = configuration.cuts.minChainHits
        let reused = configuration.layerGraph != nil && sameCuts == configuration.cuts ? once.candidates : nil
        for n in 1...pass.networks {
            for track in kept { for h in track { used[h] = true } }
            let rest = hits.indices.filter { !used[$0] }
            let restCandidates = reused.map { GraphSegmentBuilder.restricted($0, to: rest, hitCount: hits.count) }
            let next = try later.reconstructOnceKeepingCandidates(rest.map { hits[$0] }, random: random, observe: nil,
                                                                  candidates: restCandidates).reconstruction
            let last = n == pass.networks
            kept += next.tracks.filter { last || $0.count >= pass.laterConfidentHits }.map { $0.map { rest[$0] } }
            first.candidateSegments += next.candidateSegments
            first.seconds = (first.seconds.build + next.seconds.build, first.seconds.solve + next.seconds.solve,
                             first.seconds.extract + next.seconds.extract)
        }
        if pass.restoresShortTracks {
            kept = Self.restoringShortTracks(first.tracks.filter { $0.count < pass.minConfidentHits }, into: kept, hitCount: hits.count,
                                             minHits: configuration.extraction.minHits)
        }
        if pass.joinAcrossPasses {
            let t = Date()
            kept = try later.joinedAcrossPasses(kept, hits: hits, candidates: reused)
            first.seconds.extract += Date().timeIntervalSince(t)
        }
        first.tracks = kept.sorted { $0[0] < $1[0] }
        return first
    }

    /// The tracks of all passes, joined where one continues another and extended by hits on no
    /// track (`TrackExtractor.completed`). A network is built on the two first and two last hits of
    /// every track and on the hits no track holds, with the segments that touch an end hit; each
    /// track is represented by those end hits.
    /// Track A is joined to track B when the network has a segment from A's last hit to B's first
    /// that is a chain partner (within the maximum kink) of A's last segment and of B's first; it is
    /// extended by a free hit whose segment is a chain partner of its last. Fragments of one
    /// particle found by different passes are thereby joined.
    ///
    /// `candidates`, when given, are the segments of all of `hits` with this configuration's graph
    /// and cuts; the network's segments are then taken from them (`GraphSegmentBuilder.restricted`)
    /// instead of searched for.
    func joinedAcrossPasses(_ tracks: [[Int]], hits: [Hit], candidates: [Segment]? = nil) throws -> [[Int]] {
        var owner = [Int](repeating: -1, count: hits.count)
        for (t, track) in tracks.enumerated() { for h in track { owner[h] = t } }
        // The subset: end hits of every track, and every free hit.
        var ends: [[Int]] = tracks.map { track in
            track.count <= 4 ? track : [track[0], track[1], track[track.count - 2], track[track.count - 1]]
        }
        var inSubset = [Bool](repeating: false, count: hits.count)
        for e in ends { for h in e { inSubset[h] = true } }
        for h in hits.indices where owner[h] == -1 { inSubset[h] = true }
        let subset = hits.indices.filter { inSubset[$0] }
        var local = [Int](repeating: -1, count: hits.count)
        for (k, h) in subset.enumerated() { local[h] = k }
        ends = ends.map { $0.map { local[$0] } }
        let sub = subset.map { hits[$0] }
        guard let graph = configuration.layerGraph else { return tracks }
        // Only segments that can join or extend a track are built: those leaving a track's last hit,
        // those reaching a track's first hit, and those between two end hits (a track's own first
        // and last segments, and the crossing segments of `mergedSideBySide`).
        var isEnd = [Bool](repeating: false, count: sub.count), isFirst = isEnd, isLast = isEnd
        for e in ends {
            for k in e { isEnd[k] = true }
            if let k = e.first { isFirst[k] = true }
            if let k = e.last { isLast[k] = true }
        }
        let selection = GraphSegmentBuilder.PairSelection(sendsToAll: isLast, group: isEnd, receivesFromAll: isFirst)
        let segments = candidates.map { GraphSegmentBuilder.restricted($0, to: subset, hitCount: hits.count, selection: selection) }
            ?? GraphSegmentBuilder.segments(hits: sub, graph: graph, cuts: configuration.cuts, workers: configuration.workers, selection: selection)
        let layout = LayerLayout(hits: sub, graph: graph)
        let helix = layout.geometry == .barrel && configuration.cuts.magneticField > 0 && configuration.energy.helixKinks
        let network = SegmentNetwork(hits: sub, segments: segments, parameters: configuration.energy, helix: helix,
                                     dropIsolated: false, lengthsPerLink: true)
        let joined = TrackExtractor.completed(Self.mergedSideBySide(ends, segments: network.segments, layers: layout.layerIndex),
                                              network: network, hitCount: sub.count)
        var out: [[Int]] = []
        out.reserveCapacity(joined.count)
        for chain in joined {
            var track: [Int] = []
            for k in chain {
                let h = subset[k], t = owner[h]
                if t == -1 { track.append(h) } else if tracks[t][0] == h { track += tracks[t] }
            }
            out.append(track)
        }
        return out
    }

    /// Chains joined where one track ran through two overlap regions in a row and became two
    /// chains side by side, each holding one hit of each overlapping pair: chain A's last two hits
    /// lie on the layers of chain B's first two, and the candidate segments cross (A's second-last
    /// hit to B's second, B's first to A's last). A is followed by B; each chain is joined at most
    /// once at each end.
    static func mergedSideBySide(_ chains: [[Int]], segments: [Segment], layers: [Int]) -> [[Int]] {
        var exists = Set<Int64>()
        exists.reserveCapacity(segments.count)
        for s in segments { exists.insert(Int64(s.from) << 32 | Int64(s.to)) }
        func linked(_ a: Int, _ b: Int) -> Bool { exists.contains(Int64(a) << 32 | Int64(b)) }
        struct Pair: Hashable { var a: Int, b: Int }
        var startingOn: [Pair: [Int]] = [:]
        for (c, chain) in chains.enumerated() where chain.count >= 3 {
            startingOn[Pair(a: layers[chain[0]], b: layers[chain[1]]), default: []].append(c)
        }
        var next = [Int](repeating: -1, count: chains.count), hasPrevious = [Bool](repeating: false, count: chains.count)
        for (c, chain) in chains.enumerated() where chain.count >= 3 {
            let d1 = chain[chain.count - 2], e = chain[chain.count - 1]
            for d in startingOn[Pair(a: layers[d1], b: layers[e])] ?? [] where d != c && !hasPrevious[d] {
                let other = chains[d]
                if linked(d1, other[1]) && linked(other[0], e) {
                    next[c] = d
                    hasPrevious[d] = true
                    break
                }
            }
        }
        return TrackExtractor.concatenated(chains, next: next, hasPrevious: hasPrevious)
    }

    /// `tracks` with the first network's short tracks put back where the later networks split
    /// them: a short track S is restored when no track of `tracks` holds more than half of S's
    /// hits; its hits are taken from the tracks that hold them, and tracks left with fewer than
    /// `minHits` hits are dropped. Longer short tracks are restored first.
    ///
    /// The first network's cuts are the tighter ones; a short track it found whole (a forward
    /// particle crossing three or four layers) is otherwise left to the looser later network,
    /// which at density may spread its hits over chains of stray hits. Where a later network
    /// reproduced or extended S (a track holds most of its hits), that track stays.
    static func restoringShortTracks(_ short: [[Int]], into tracks: [[Int]], hitCount: Int, minHits: Int) -> [[Int]] {
        var tracks = tracks
        var owner = [Int](repeating: -1, count: hitCount)
        for (t, track) in tracks.enumerated() { for h in track { owner[h] = t } }
        for s in short.sorted(by: { $0.count > $1.count }) {
            var held: [Int: Int] = [:]
            for h in s where owner[h] >= 0 { held[owner[h], default: 0] += 1 }
            guard held.values.allSatisfy({ 2 * $0 <= s.count }) else { continue }
            let t = tracks.count
            for h in s {
                if owner[h] >= 0 { tracks[owner[h]].removeAll { $0 == h } }
                owner[h] = t
            }
            tracks.append(s)
        }
        return tracks.filter { $0.count >= minHits }
    }

    /// One network: segments, settling, extraction.
    func reconstructOnce(_ hits: [Hit], random: RandomSource,
                         observe: ((Int, AnnealingStep, [Double]) -> Void)?) throws -> Reconstruction {
        try reconstructOnceKeepingCandidates(hits, random: random, observe: observe).reconstruction
    }

    /// One network (`reconstructOnce`), with its candidate segments. With a layer graph,
    /// `candidates`, when given, are the segments of `hits` along it with this configuration's cuts
    /// (from `GraphSegmentBuilder.restricted`), used instead of searching for them.
    func reconstructOnceKeepingCandidates(_ hits: [Hit], random: RandomSource, observe: ((Int, AnnealingStep, [Double]) -> Void)?,
                                          candidates: [Segment]? = nil) throws -> (reconstruction: Reconstruction, candidates: [Segment]) {
        let t0 = Date()
        let layout: LayerLayout, segments: [Segment]
        var dipoleKinks: DipoleKinks?
        if let graph = configuration.layerGraph {
            layout = LayerLayout(hits: hits, graph: graph)
            segments = candidates ?? GraphSegmentBuilder.segments(hits: hits, graph: graph, cuts: configuration.cuts, workers: configuration.workers)
        } else if var dipole = configuration.dipole {
            layout = LayerLayout(hits: hits, geometry: .forward)
            if dipole.findsTarget, let spot = dipole.estimatedTarget(hits: hits, layout: layout, cuts: configuration.cuts) {
                (dipole.targetX, dipole.targetY) = (spot.x, spot.y)
            }
            segments = DipoleSegmentBuilder.segments(hits: hits, layout: layout, cuts: configuration.cuts, dipole: dipole)
            dipoleKinks = DipoleKinks(field: dipole, targetZ: configuration.cuts.targetZ, hits: hits,
                                      yResolution: configuration.energy.rzResolution)
        } else {
            layout = LayerLayout(hits: hits, geometry: configuration.geometry)
            segments = SegmentBuilder.segments(hits: hits, layout: layout, cuts: configuration.cuts)
        }
        // The network numbers neurons in 32 bits and holds several arrays per neuron: refuse an
        // event whose cuts leave more candidates than that, or than the allocation limit allows.
        guard segments.count < Int(Int32.max) else {
            throw InputError(file: "the event", "\(segments.count) candidate segments pass the cuts, above 2³¹ − 1; tighten the cuts")
        }
        try Sizes.checkAllocation([segments.count, 4], elementSize: MemoryLayout<Segment>.stride, file: "the event", field: "candidate segments")
        let helix = layout.geometry == .barrel && configuration.cuts.magneticField > 0 && configuration.energy.helixKinks
        let network = SegmentNetwork(hits: hits, segments: segments, parameters: configuration.energy, helix: helix,
                                     dropIsolated: configuration.extraction.minHits >= 3, lengthsPerLink: configuration.layerGraph != nil,
                                     minChainHits: configuration.cuts.minChainHits, workers: configuration.workers,
                                     dipole: dipoleKinks)
        let t1 = Date()
        let activations: [Double], trace: [AnnealingStep]
        switch configuration.solver {
        case .meanField:
            (activations, trace) = meanField.run(network, random: random, observe: observe)
        case .annealing:
            activations = try annealing.run(network, random: random).state
            trace = []
        }
        let t2 = Date()
        let tracks = extractor.tracks(hitCount: hits.count, network: network, activations: activations)
        let t3 = Date()
        return (Reconstruction(layout: layout, candidateSegments: segments.count, network: network, activations: activations, trace: trace,
                               tracks: tracks, seconds: (t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t3.timeIntervalSince(t2))),
                segments)
    }
}
