import EnergyCore

/// Turns the settled network into tracks.
///
/// 1. Neurons with V above `threshold` are on.
/// 2. Forks left among them are resolved by the best continuation: every pair of on segments
///    meeting at a hit (a ends where b starts, within the network's maximum kink) is a candidate
///    link, and links are accepted best first, as long as each hit keeps at most one incoming and
///    one outgoing segment. "Best" is the straightest (largest cos θ), or with `LinkOrder.heaviest`
///    the largest chain weight T_ab = cos^m θ / (r_a^λ + r_b^λ), which also prefers two direct
///    segments to one that skips a layer.
/// 3. The accepted segments form disjoint chains of hits. Along a layer graph, chains broken at
///    overlapping modules are joined (`Configuration.overlapMerging`). Chains of at least `minHits`
///    hits are the tracks. An on segment with no accepted link is a two-hit track.
///
/// Each hit therefore belongs to at most one track.
///
/// The settings are a `Configuration`; the extractor applies them to a settled network.
public struct TrackExtractor: Sendable {
    /// The settings of the extraction.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Which links are accepted first.
        public enum LinkOrder: String, Codable, CaseIterable, Sendable {
            /// `heaviest` for networks along a `LayerGraph` (`SegmentNetwork.lengthsPerLink`), else `straightest`.
            case auto
            /// Largest cos θ first.
            case straightest
            /// Largest chain weight T_ab first.
            case heaviest
        }

        /// Activation above which a neuron is on. Default 0.5.
        public var threshold: Double
        /// Fewest hits of a track. Default 3.
        public var minHits: Int
        /// Which links are accepted first. Default `.auto`.
        public var linkOrder: LinkOrder
        /// Whether chains broken where a track crosses two overlapping modules of one layer are
        /// joined (`mergedAtOverlaps`): `.auto` (the default) does it for networks along a
        /// `LayerGraph`.
        public var overlapMerging: Choice
        /// With overlap merging, the longest chains are completed first (extended at their end,
        /// given their missed first hits and the second hits of overlapping modules), and may take
        /// such a hit from a chain of at most this many hits that is shorter than theirs; the short
        /// chain is then given up (its other hits become free). 0: only hits on no chain are picked
        /// up. Default 3.
        ///
        /// At density the extraction leaves a crossing's second hit, or a track's first hit, on a
        /// short chain of stray hits: kept, it is lost to the track (and at every later pass, where
        /// it seeds more such chains); on the 10 barrel events of docs/tracks.md this took 0.9% of
        /// the TrackML weight.
        public var yieldingChainHits: Int

        /// On, off, or chosen by the network (`.auto`: on for networks along a `LayerGraph`).
        public enum Choice: String, Codable, CaseIterable, Sendable {
            case auto, on, off
        }

        /// Settings with the defaults above, or the values given.
        public init(threshold: Double = 0.5, minHits: Int = 3, linkOrder: LinkOrder = .auto, overlapMerging: Choice = .auto,
                    yieldingChainHits: Int = 3) {
            self.yieldingChainHits = yieldingChainHits
            self.threshold = threshold
            self.minHits = minHits
            self.linkOrder = linkOrder
            self.overlapMerging = overlapMerging
        }

        /// Throws unless the settings are usable.
        ///
        /// - Throws: `ConfigurationError` naming the field, `threshold`, `minHits` or `yieldingChainHits`.
        public func validate() throws {
            guard yieldingChainHits >= 0, yieldingChainHits <= 1000 else {
                throw ConfigurationError(field: "yieldingChainHits", "expected 0 to 1000 hits, found \(yieldingChainHits)")
            }
            guard threshold > 0, threshold < 1 else { throw ConfigurationError(field: "threshold", "expected a threshold in (0, 1), found \(threshold)") }
            guard minHits >= 2 else { throw ConfigurationError(field: "minHits", "expected at least 2 hits per track, found \(minHits)") }
        }
    }

    /// The settings this extractor applies.
    public let configuration: Configuration

    /// An extractor for `configuration`.
    ///
    /// - Throws: `ConfigurationError` for unusable settings.
    public init(_ configuration: Configuration = Configuration()) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// The tracks, as hit indices in flight order, ordered by their first hit.
    public func tracks(hitCount: Int, network: SegmentNetwork, activations v: [Double]) -> [[Int]] {
        let segments = network.segments
        let threshold = configuration.threshold, minHits = configuration.minHits
        let on = v.map { $0 > threshold }
        let heaviest = configuration.linkOrder == .heaviest || (configuration.linkOrder == .auto && network.lengthsPerLink)
        var links: [(cosine: Double, a: Int, b: Int)] = []
        for a in segments.indices where on[a] {
            for e in network.rowStart[a]..<network.rowStart[a + 1] where network.weights[e] > 0 {
                let b = Int(network.neighbours[e])
                if on[b], segments[b].from == segments[a].to {
                    links.append((heaviest ? network.weights[e] : network.kinkCosine(segments[a], segments[b]), a, b))
                }
            }
        }
        links.sort { ($0.cosine, $1.a, $1.b) > ($1.cosine, $0.a, $0.b) }
        var incoming = [Int](repeating: -1, count: hitCount), outgoing = incoming
        for link in links {
            let a = segments[link.a], b = segments[link.b]
            let j = Int(a.to)
            guard incoming[j] == -1 || incoming[j] == link.a, outgoing[j] == -1 || outgoing[j] == link.b,
                  outgoing[Int(a.from)] == -1 || outgoing[Int(a.from)] == link.a,
                  incoming[Int(b.to)] == -1 || incoming[Int(b.to)] == link.b else { continue }
            incoming[j] = link.a
            outgoing[j] = link.b
            outgoing[Int(a.from)] = link.a
            incoming[Int(b.to)] = link.b
        }
        // Lone on segments between two free hits.
        let lone = segments.indices.filter { on[$0] }.sorted { (v[$0], $1) > (v[$1], $0) }
        for a in lone {
            let i = Int(segments[a].from), j = Int(segments[a].to)
            if incoming[i] == -1, outgoing[i] == -1, incoming[j] == -1, outgoing[j] == -1 {
                outgoing[i] = a
                incoming[j] = a
            }
        }
        var chains: [[Int]] = []
        for start in 0..<hitCount where incoming[start] == -1 && outgoing[start] != -1 {
            var track = [start]
            var h = start
            while outgoing[h] != -1 {
                h = Int(segments[outgoing[h]].to)
                track.append(h)
            }
            chains.append(track)
        }
        let merge = configuration.overlapMerging == .on || (configuration.overlapMerging == .auto && network.lengthsPerLink)
        if merge {
            chains = Self.mergedAtOverlaps(chains, network: network, incoming: incoming, outgoing: outgoing)
            chains = Self.completed(chains, network: network, hitCount: hitCount, yielding: configuration.yieldingChainHits)
            chains = Self.withHeadsAndOverlaps(chains, network: network, hitCount: hitCount, yielding: configuration.yieldingChainHits)
        }
        return chains.filter { $0.count >= minHits }.sorted { $0[0] < $1[0] }.map { $0 }
    }

    /// Chains completed through candidate segments the network left off, where they continue
    /// the track: a chain ending at hit e is joined to a chain starting at hit f when the network
    /// has a segment g = e → f that is a chain partner (weight > 0, i.e. within the maximum kink)
    /// of both the first chain's last segment and the second's first; otherwise it is extended by
    /// a segment e → h to a hit h on no chain that is a chain partner of its last segment, the
    /// heaviest first, as long as there is one. Fragments of one track split where the network
    /// stayed undecided are joined, and hits it missed are picked up. With `yielding` > 0 the
    /// chains are completed longest first, and a hit on a chain of at most `yielding` hits shorter
    /// than this one also counts as free: taking it drops that chain and frees its other hits.
    static func completed(_ chains: [[Int]], network: SegmentNetwork, hitCount: Int, yielding: Int = 0) -> [[Int]] {
        let segments = network.segments
        // Segment index of each (from, to) pair on the chains, and each hit's outgoing candidates.
        var index: [Int64: Int] = [:]
        var outStart = [Int](repeating: 0, count: hitCount + 1)
        for s in segments { outStart[Int(s.from) + 1] += 1 }
        for h in 0..<hitCount { outStart[h + 1] += outStart[h] }
        var fill = outStart, outList = [Int](repeating: 0, count: segments.count)
        for (a, s) in segments.enumerated() { outList[fill[Int(s.from)]] = a; fill[Int(s.from)] += 1; index[Int64(s.from) << 32 | Int64(s.to)] = a }
        func weight(_ a: Int, _ b: Int) -> Double {
            for e in network.rowStart[a]..<network.rowStart[a + 1] where Int(network.neighbours[e]) == b { return network.weights[e] }
            return 0
        }
        var chains = chains
        var owner = [Int](repeating: -1, count: hitCount)
        for (c, chain) in chains.enumerated() { for h in chain { owner[h] = c } }
        var startOf = [Int](repeating: -1, count: hitCount)
        for (c, chain) in chains.enumerated() where chain.count >= 2 { startOf[chain[0]] = c }
        var alive = [Bool](repeating: true, count: chains.count)
        let order = yielding > 0 ? chains.indices.sorted { (chains[$0].count, $1) > (chains[$1].count, $0) } : Array(chains.indices)
        for c in order where chains[c].count >= 2 {
            guard alive[c] else { continue }
            while true {
                let chain = chains[c]
                guard let last = index[Int64(chain[chain.count - 2]) << 32 | Int64(chain[chain.count - 1])] else { break }
                let e = chain[chain.count - 1]
                var best: (score: Double, segment: Int, join: Int) = (0, -1, -1)
                for k in outStart[e]..<outStart[e + 1] {
                    let g = outList[k], f = Int(segments[g].to)
                    let w = weight(last, g)
                    guard w > 0 else { continue }
                    if owner[f] == -1 || (owner[f] != c && chains[owner[f]].count <= yielding && chains[owner[f]].count < chain.count) {
                        if w > best.score { best = (w, g, -1) }
                    } else if let d = Optional(startOf[f]), d >= 0, d != c, alive[d], chains[d].count >= 2,
                              let first = index[Int64(chains[d][0]) << 32 | Int64(chains[d][1])] {
                        let w2 = weight(g, first)
                        if w2 > 0, w + w2 > best.score { best = (w + w2, g, d) }
                    }
                }
                guard best.segment >= 0 else { break }
                if best.join >= 0 {
                    let d = best.join
                    startOf[chains[d][0]] = -1
                    for h in chains[d] { owner[h] = c }
                    chains[c] += chains[d]
                    chains[d] = []
                    alive[d] = false
                } else {
                    let h = Int(segments[best.segment].to)
                    if owner[h] >= 0 {
                        let d = owner[h]
                        for x in chains[d] { owner[x] = -1 }
                        if let x = chains[d].first { startOf[x] = -1 }
                        chains[d] = []
                        alive[d] = false
                    }
                    owner[h] = c
                    chains[c].append(h)
                }
            }
        }
        return chains.indices.filter { alive[$0] && !chains[$0].isEmpty }.map { chains[$0] }
    }

    /// Chains given the hits the extraction left next to them: a hit h on no chain is put in
    /// front of a chain starting with segment F = s → t when the network has a segment h → s
    /// that is a chain partner of F; and a hit b on no chain is added beside a chain's hit k
    /// (a second hit of the same crossing, where modules overlap) when the network has segments
    /// from the hit before k to b and from b to the hit after k that are chain partners of each
    /// other (or, at the ends of the chain, of the chain's first or last segment). Hits added
    /// beside others do not change the chain's order.
    ///
    /// Chains are completed longest first, and a hit counts as free for a chain when it is on no
    /// chain or on a chain of at most `yielding` hits shorter than this one; a chain that gives up
    /// a hit is dropped, and its other hits are free. Given-up chains are not in the result.
    static func withHeadsAndOverlaps(_ chains: [[Int]], network: SegmentNetwork, hitCount: Int, yielding: Int = 0) -> [[Int]] {
        let segments = network.segments
        var index: [Int64: Int] = [:]
        index.reserveCapacity(segments.count)
        var inStart = [Int](repeating: 0, count: hitCount + 1), outStart = inStart
        for s in segments { inStart[Int(s.to) + 1] += 1; outStart[Int(s.from) + 1] += 1 }
        for h in 0..<hitCount { inStart[h + 1] += inStart[h]; outStart[h + 1] += outStart[h] }
        var inFill = inStart, outFill = outStart
        var inList = [Int](repeating: 0, count: segments.count), outList = inList
        for (a, s) in segments.enumerated() {
            inList[inFill[Int(s.to)]] = a; inFill[Int(s.to)] += 1
            outList[outFill[Int(s.from)]] = a; outFill[Int(s.from)] += 1
            index[Int64(s.from) << 32 | Int64(s.to)] = a
        }
        func weight(_ a: Int, _ b: Int) -> Double {
            for e in network.rowStart[a]..<network.rowStart[a + 1] where Int(network.neighbours[e]) == b { return network.weights[e] }
            return 0
        }
        func segment(_ a: Int, _ b: Int) -> Int? { index[Int64(a) << 32 | Int64(b)] }
        var owner = [Int](repeating: -1, count: hitCount)
        for (c, chain) in chains.enumerated() { for h in chain { owner[h] = c } }
        var given = [Bool](repeating: false, count: chains.count)
        var out = chains
        for c in chains.indices.sorted(by: { (chains[$0].count, $1) > (chains[$1].count, $0) }) where !given[c] {
            var chain = chains[c]
            // A hit may be taken when it is on no chain, or on a short chain shorter than this one, which is then given up.
            func free(_ h: Int) -> Bool {
                let d = owner[h]
                return d == -1 || (d != c && !given[d] && chains[d].count <= yielding && chains[d].count < chain.count)
            }
            func take(_ h: Int) {
                let d = owner[h]
                if d >= 0 && d != c {
                    given[d] = true
                    for x in chains[d] where owner[x] == d { owner[x] = -1 }
                }
                owner[h] = c
            }
            guard chain.count >= 2, let first = segment(chain[0], chain[1]) else { continue }
            // A missed first hit.
            var head: (w: Double, h: Int) = (0, -1)
            for k in inStart[chain[0]]..<inStart[chain[0] + 1] {
                let g = inList[k], h = Int(segments[g].from)
                let w = free(h) ? weight(g, first) : 0
                if w > head.w { head = (w, h) }
            }
            if head.h >= 0 { take(head.h); chain.insert(head.h, at: 0) }
            // Second hits of overlapping modules, beside each hit.
            var extra = [Int](repeating: -1, count: chain.count), extraFirst = [Bool](repeating: false, count: chain.count)
            for k in chain.indices {
                let h = chain[k]
                let before = k > 0 ? chain[k - 1] : nil, after = k + 1 < chain.count ? chain[k + 1] : nil
                var best: (w: Double, b: Int) = (0, -1)
                let candidates: [Int]
                if let before {
                    candidates = (outStart[before]..<outStart[before + 1]).map { Int(segments[outList[$0]].to) }
                } else if let after {
                    candidates = (inStart[after]..<inStart[after + 1]).map { Int(segments[inList[$0]].from) }
                } else { continue }
                for b in candidates where b != h && free(b) {
                    let w: Double
                    if let before, let after {
                        guard let x = segment(before, b), let y = segment(b, after) else { continue }
                        w = weight(x, y)
                    } else if let after {
                        guard let y = segment(b, after), k + 2 < chain.count, let next = segment(after, chain[k + 2]) else { continue }
                        w = weight(y, next)
                    } else if let before {
                        guard let x = segment(before, b), k >= 2, let previous = segment(chain[k - 2], before) else { continue }
                        w = weight(previous, x)
                    } else { continue }
                    if w > best.w { best = (w, b) }
                }
                if best.b >= 0 {
                    take(best.b)
                    extra[k] = best.b
                    // Nearer the beam line: a shorter segment from the hit before, or a longer one to the hit after.
                    if let before, let x = segment(before, best.b), let y = segment(before, h) {
                        extraFirst[k] = segments[x].length < segments[y].length
                    } else if let after, let x = segment(best.b, after), let y = segment(h, after) {
                        extraFirst[k] = segments[x].length > segments[y].length
                    }
                }
            }
            var track: [Int] = []
            track.reserveCapacity(2 * chain.count)
            for (k, h) in chain.enumerated() {
                let b = extra[k]
                guard b >= 0 else { track.append(h); continue }
                track += extraFirst[k] ? [b, h] : [h, b]
            }
            out[c] = track
        }
        return out.indices.filter { !given[$0] }.map { out[$0] }
    }

    /// Chains joined where a track crosses two overlapping modules of one layer: chain A ends at
    /// hit e and chain B starts at hit f on the same layer, and the network has a candidate
    /// segment from e to B's second hit (or from A's second-last hit to f), i.e. both hits fit the
    /// one track. The two hits compete for one place in the chain, and the extraction keeps one
    /// in each piece; joined, the track holds both. Each chain is joined at most once at each end.
    static func mergedAtOverlaps(_ chains: [[Int]], network: SegmentNetwork, incoming: [Int], outgoing: [Int]) -> [[Int]] {
        let segments = network.segments
        var exists = Set<Int64>()
        exists.reserveCapacity(segments.count)
        for s in segments { exists.insert(Int64(s.from) << 32 | Int64(s.to)) }
        func linked(_ a: Int, _ b: Int) -> Bool { exists.contains(Int64(a) << 32 | Int64(b)) }
        // Chains by the layer of their first hit, and each chain's first hit.
        var startingOn: [Int: [Int]] = [:]
        for (c, chain) in chains.enumerated() where chain.count >= 2 {
            startingOn[segments[outgoing[chain[0]]].fromLayer, default: []].append(c)
        }
        var next = [Int](repeating: -1, count: chains.count), hasPrevious = [Bool](repeating: false, count: chains.count)
        for (c, chain) in chains.enumerated() where chain.count >= 2 {
            let e = chain[chain.count - 1], beforeE = chain[chain.count - 2]
            let layer = segments[incoming[e]].toLayer
            for d in startingOn[layer] ?? [] where d != c && !hasPrevious[d] {
                let other = chains[d]
                if linked(e, other[1]) || linked(beforeE, other[0]) {
                    next[c] = d
                    hasPrevious[d] = true
                    break
                }
            }
        }
        return TrackExtractor.concatenated(chains, next: next, hasPrevious: hasPrevious)
    }
}


extension TrackExtractor {
    /// `chains` joined where `next[c]` names the chain that continues chain c (−1: none), each
    /// result starting at a chain with no predecessor (`hasPrevious`); chains left over (on a cycle)
    /// are kept as they are. Every chain is used once.
    static func concatenated(_ chains: [[Int]], next: [Int], hasPrevious: [Bool]) -> [[Int]] {
        var out: [[Int]] = []
        var used = [Bool](repeating: false, count: chains.count)
        for c in chains.indices where !hasPrevious[c] {
            var track: [Int] = []
            var k = c
            while k != -1, !used[k] {
                used[k] = true
                track += chains[k]
                k = next[k]
            }
            out.append(track)
        }
        for c in chains.indices where !used[c] { out.append(chains[c]) }
        return out
    }
}

extension TrackExtractor.Configuration: DecodableOverDefaults {
    /// Decodes a document in which every field is optional: missing fields take the defaults of
    /// `init()` (old files and short hand-written ones decode); unknown fields are refused.
    public init(from decoder: any Decoder) throws { try self.init(from: decoder, over: TrackExtractor.Configuration()) }

    /// Decodes the fields present in the document; the others are `defaults`'.
    public init(from decoder: any Decoder, over defaults: TrackExtractor.Configuration) throws {
        try decoder.refuseUnknownFields(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        threshold = try c.decode(forKey: .threshold, over: defaults.threshold)
        minHits = try c.decode(forKey: .minHits, over: defaults.minHits)
        linkOrder = try c.decode(forKey: .linkOrder, over: defaults.linkOrder)
        overlapMerging = try c.decode(forKey: .overlapMerging, over: defaults.overlapMerging)
        yieldingChainHits = try c.decode(forKey: .yieldingChainHits, over: defaults.yieldingChainHits)
    }
}
