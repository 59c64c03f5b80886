import EnergyCore
import Foundation

/// The Denby–Peterson Hopfield network of one event: its neurons (segments) and their sparse
/// symmetric weights (see `EnergyParameters`). No dense matrix is ever built.
///
/// Chain weights are stored as neighbour lists in compressed-row form. The fork and join
/// penalties need no list: every pair of segments leaving (or reaching) the same hit is penalised
/// equally, so with O_i = Σ V over the segments leaving hit i and I_j over those reaching hit j,
///
///     (α/2) Σ_forks V_a V_b = (α/2) Σ_i (O_i² − Σ_{a leaves i} V_a²),   likewise for joins,
///
/// and the penalty in the field of a = (i → j) is −α [(O_i − V_a) + (I_j − V_a)]: O(1) per neuron
/// however crowded the hit.
public struct SegmentNetwork: Sendable {
    /// The neurons.
    public let segments: [Segment]
    /// Row a's neighbours are `neighbours[rowStart[a]..<rowStart[a + 1]]`.
    public let rowStart: [Int]
    /// Neighbour neuron indices.
    public let neighbours: [Int32]
    /// The chain weights T_ab > 0, aligned with `neighbours`.
    public let weights: [Double]
    /// The fork and join penalty α.
    public let alpha: Double
    /// The number of hits (the size of the per-hit sums O and I).
    public let hitCount: Int
    /// The strip-exclusion strength γ (`EnergyParameters.stripPenalty`).
    public let stripPenalty: Double
    /// Per neuron, the representative hit of the x strip of its first and of its last hit
    /// (`SharedStrips.xStrips`; the hit itself when strips are off): segments through two hits of one
    /// strip are penalised by γ.
    public let stripFrom: [Int32], stripTo: [Int32]
    /// Per strip, at its representative hit, the strength γ_s = γ / (n_s − 1) of its term, n_s ≥ 2 the
    /// hits on the strip (0 elsewhere): a real point's segment feels at most γ from all the ghosts
    /// of its strip together, however crowded the strip.
    public let stripWeight: [Double]
    /// Per hit, the representative of its x strip (`SharedStrips.xStrips`).
    public let hitStrip: [Int32]
    /// The number of chain connections (unordered pairs with a positive weight).
    public let chainCount: Int
    /// The number of fork and join pairs (unordered).
    public let conflictCount: Int
    /// The β of the global term.
    public let beta: Double
    /// The global term's target N, the number of hits.
    public var target: Double { Double(hitCount) }

    /// Whether kinks are measured against a helix from the beam line (`Segment.helixKink`)
    /// rather than a straight line (`Segment.cosine`).
    public let helix: Bool
    /// Whether lengths were normalised per link (see `init`): segments along a `LayerGraph`.
    public let lengthsPerLink: Bool
    /// The r–z resolution of helix kinks (`EnergyParameters.rzResolution`).
    public let rzResolution: Double
    /// In a dipole spectrometer, the kinks measured after removing the magnet's bend
    /// (`DipoleKinks`); nil otherwise. It takes precedence over `helix`.
    public let dipole: DipoleKinks?

    /// Builds the network of `segments` on `hits`. With `helix`, θ is the kink left after removing
    /// the bending of a primary track in a solenoid (barrel detectors in a field); otherwise the
    /// plain 3D angle between the segments. With `dropIsolated`, segments with no chain partner are
    /// left out: they cannot be part of a track of 3 or more hits, and their field (penalties only)
    /// would keep them off anyway.
    ///
    /// With `lengthsPerLink` (segments along a `LayerGraph`, where one layer leads to layers at
    /// very different distances), a segment's length is normalised by the mean length of the
    /// segments joining the same two layers with the same step, times its step: a direct segment
    /// is 1 and one skipping a layer 2, whichever layers it joins.
    ///
    /// With `minChainHits` n > 3, a segment is kept only if it lies on a chain of at least n hits
    /// (n − 1 segments, each joined to the next within the kink cut): the longest chain through
    /// each segment is found by dynamic programming over the chain pairs, in the order of the
    /// radius of the segments' first hits (chains run outwards, so that order is topological).
    /// Pairs with a dropped segment are dropped with it. n ≤ 3 is `dropIsolated`.
    public init(hits: [Hit], segments candidates: [Segment], parameters: EnergyParameters, helix: Bool = false,
                dropIsolated: Bool = false, lengthsPerLink: Bool = false, minChainHits: Int = 0, workers: Int = 1,
                dipole: DipoleKinks? = nil) {
        self.helix = helix
        self.dipole = dipole
        self.lengthsPerLink = lengthsPerLink
        self.rzResolution = parameters.rzResolution
        self.beta = parameters.beta
        self.alpha = parameters.alpha
        self.hitCount = hits.count
        let lengths = lengthsPerLink ? Self.normalisedLengthsPerLink(candidates) : Self.normalisedLengths(candidates)
        var pairs = Self.chainPairs(candidates, hitCount: hits.count, lengths: lengths, parameters: parameters, helix: helix,
                                    dipole: dipole, workers: workers)
        if minChainHits > 3 {
            let keep = Self.onChains(of: minChainHits, candidates, pairs: pairs, hits: hits)
            pairs.removeAll { !keep[Int($0.a)] || !keep[Int($0.b)] }
        }
        let kept = Self.keptNeurons(candidates, pairs: pairs, dropIsolated: dropIsolated || minChainHits > 3)
        (rowStart, neighbours, weights) = Self.compressedRows(pairs, kept)
        self.segments = kept.segments
        self.chainCount = pairs.count
        stripPenalty = parameters.stripPenalty
        let strip = SharedStrips.xStrips(of: hits, tolerance: parameters.stripPenalty > 0 ? parameters.stripTolerance : 0)
        hitStrip = strip
        stripFrom = kept.segments.map { strip[Int($0.from)] }
        stripTo = kept.segments.map { strip[Int($0.to)] }
        var onStrip = [Int](repeating: 0, count: hits.count)
        for r in strip { onStrip[Int(r)] += 1 }
        stripWeight = onStrip.map { $0 >= 2 ? parameters.stripPenalty / Double($0 - 1) : 0 }
        self.conflictCount = Self.forkAndJoinPairs(kept.segments, hitCount: hits.count)
    }

    /// A chain a → b (a ends where b starts) with its weight T_ab > 0.
    struct ChainPair {
        var a: Int32, b: Int32, weight: Double
    }

    /// The neurons kept: `index[a]` is the new number of candidate a (−1 if dropped), `degree[a]`
    /// its number of chain partners.
    struct KeptNeurons {
        var segments: [Segment], index: [Int32], degree: [Int]
    }

    /// Segment lengths in units of the mean length of the segments joining the same layer to the
    /// next one: a direct segment is about 1 and a segment skipping a layer about 2, whatever the gaps.
    static func normalisedLengths(_ candidates: [Segment]) -> [Double] {
        var directSum = [Double](), directCount = [Int]()
        for s in candidates where s.layerStep == 1 {
            while directSum.count <= s.fromLayer { directSum.append(0); directCount.append(0) }
            directSum[s.fromLayer] += s.length
            directCount[s.fromLayer] += 1
        }
        let overall = candidates.isEmpty ? 1 : candidates.reduce(0) { $0 + $1.length } / Double(candidates.count)
        let unitOf: [Double] = directSum.indices.map { directCount[$0] > 0 ? directSum[$0] / Double(directCount[$0]) : overall }
        return candidates.map { s in
            let u = s.fromLayer < unitOf.count ? unitOf[s.fromLayer] : overall
            return u > 0 ? s.length / u : 1
        }
    }

    /// Segment lengths in units of the mean length of the segments joining the same two layers
    /// with the same step, times the step.
    static func normalisedLengthsPerLink(_ candidates: [Segment]) -> [Double] {
        // Sums per (from layer, to layer, step), in a dense table (layer indices are small).
        var layers = 0, steps = 0
        for s in candidates { layers = max(layers, s.fromLayer + 1, s.toLayer + 1); steps = max(steps, s.layerStep + 1) }
        func key(_ s: Segment) -> Int { (s.fromLayer * layers + s.toLayer) * steps + s.layerStep }
        var total = [Double](repeating: 0, count: layers * layers * steps), count = [Int](repeating: 0, count: total.count)
        for s in candidates {
            let k = key(s)
            total[k] += s.length
            count[k] += 1
        }
        return candidates.map { s in
            let k = key(s)
            guard total[k] > 0 else { return Double(s.layerStep) }
            return Double(s.layerStep) * s.length * Double(count[k]) / total[k]
        }
    }

    /// Every chain a → b with a positive weight, enumerated hit by hit (the hit where a ends and b
    /// starts), each pair once, in the order of the hit, then of a, then of b.
    ///
    /// With helix kinks, the pairs at a hit are not all tried: the outgoing segments are sorted by
    /// their r–z angle, and for each incoming segment only those within the r–z window that the
    /// kink cut allows are (θ ≥ |Δ rz-angle| · min(1, rzResolution / e), e ≤ √(e_a² + e_max²), so
    /// |Δ rz-angle| ≤ maxAngle · max(1, √(e_a² + e_max²) / rzResolution)); the cut is then applied
    /// exactly, so the pairs are those of trying all, at a cost that grows with the pairs near
    /// each other in r–z rather than with the product of the segments at the hit.
    /// `workers` threads take contiguous ranges of hits and their lists are joined in hit order, so
    /// the result does not depend on their number.
    static func chainPairs(_ candidates: [Segment], hitCount: Int, lengths: [Double], parameters: EnergyParameters,
                           helix: Bool, dipole: DipoleKinks? = nil, workers: Int = 1) -> [ChainPair] {
        let incoming = segmentsByHit(candidates, hitCount: hitCount) { $0.to }
        let outgoing = segmentsByHit(candidates, hitCount: hitCount) { $0.from }
        let workers = max(1, min(workers, hitCount / 1000 + 1))
        guard workers > 1 else {
            return chainPairs(candidates, hits: 0..<hitCount, incoming: incoming, outgoing: outgoing, lengths: lengths,
                              parameters: parameters, helix: helix, dipole: dipole)
        }
        // Ranges of hits with about as many incoming segments each.
        var bounds = [0]
        for w in 1..<workers {
            let goal = candidates.count * w / workers
            var lo = bounds[w - 1], hi = hitCount
            while lo < hi {
                let mid = (lo + hi) / 2
                if incoming.start[mid] < goal { lo = mid + 1 } else { hi = mid }
            }
            bounds.append(lo)
        }
        bounds.append(hitCount)
        var parts = [[ChainPair]](repeating: [], count: workers)
        parts.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendableBuffer(out)
            Parallel.run(workers: workers) { w in
                out.buffer[w] = chainPairs(candidates, hits: bounds[w]..<bounds[w + 1], incoming: incoming, outgoing: outgoing,
                                           lengths: lengths, parameters: parameters, helix: helix, dipole: dipole)
            }
        }
        var pairs: [ChainPair] = []
        pairs.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { pairs += part }
        return pairs
    }

    /// The chain pairs at the hits of `range` (see `chainPairs(_:hitCount:lengths:parameters:helix:workers:)`).
    static func chainPairs(_ candidates: [Segment], hits range: Range<Int>, incoming: (start: [Int], segments: [Int32]),
                           outgoing: (start: [Int], segments: [Int32]), lengths: [Double], parameters: EnergyParameters,
                           helix: Bool, dipole: DipoleKinks? = nil) -> [ChainPair] {
        let maxAngle = parameters.maxAngle, minimumCosine = cos(maxAngle), resolution = parameters.rzResolution
        var pairs: [ChainPair] = []
        var sorted: [(rz: Double, b: Int32)] = [], found: [Int32] = []
        // With helix kinks, the incoming segments of a block of hits (and their lengths) are first
        // copied in order, in a loop of independent reads, so that the pair loop does not wait on
        // each one's random read (the candidates are in the order of their first hits).
        let block = 512
        var blockStart = range.lowerBound, blockBase = 0
        var incomingCopy: [Segment] = [], incomingLength: [Double] = []
        for j in range {
            if helix && dipole == nil && j == blockStart {
                let blockEnd = min(j + block, range.upperBound)
                blockBase = incoming.start[j]
                incomingCopy.removeAll(keepingCapacity: true)
                incomingLength.removeAll(keepingCapacity: true)
                for x in incoming.start[j]..<incoming.start[blockEnd] {
                    let a = Int(incoming.segments[x])
                    incomingCopy.append(candidates[a])
                    incomingLength.append(lengths[a])
                }
                blockStart = blockEnd
            }
            let ins = incoming.start[j]..<incoming.start[j + 1], outs = outgoing.start[j]..<outgoing.start[j + 1]
            guard !ins.isEmpty, !outs.isEmpty else { continue }
            if helix && dipole == nil {
                sorted.removeAll(keepingCapacity: true)
                var largestError = 0.0
                for y in outs {
                    let b = outgoing.segments[y]
                    sorted.append((candidates[Int(b)].rzAngle, b))
                    largestError = max(largestError, candidates[Int(b)].rzError)
                }
                sorted.sort { $0.rz < $1.rz }
                for x in ins {
                    let a = incoming.segments[x], sa = incomingCopy[x - blockBase], lengthA = incomingLength[x - blockBase]
                    var half = maxAngle
                    if resolution > 0 {
                        half = maxAngle * max(1, (sa.rzError * sa.rzError + largestError * largestError).squareRoot() / resolution)
                    }
                    half = half * (1 + 1e-9) + 1e-12
                    let lo = sa.rzAngle - half, hi = sa.rzAngle + half
                    var first = 0, last = sorted.count
                    while first < last {
                        let mid = (first + last) / 2
                        if sorted[mid].rz < lo { first = mid + 1 } else { last = mid }
                    }
                    found.removeAll(keepingCapacity: true)
                    var k = first
                    while k < sorted.count, sorted[k].rz <= hi { found.append(sorted[k].b); k += 1 }
                    guard !found.isEmpty else { continue }
                    found.sort()
                    for b in found {
                        let sb = candidates[Int(b)]
                        let theta = sa.helixKink(with: sb, rzResolution: resolution)
                        guard theta <= maxAngle else { continue }
                        let w = parameters.chainWeight(cosine: cos(theta), lengthA, lengths[Int(b)], minimumCosine: minimumCosine)
                        if w > 0 { pairs.append(ChainPair(a: a, b: b, weight: w)) }
                    }
                }
            } else {
                for x in ins {
                    let a = incoming.segments[x], sa = candidates[Int(a)]
                    for y in outs {
                        let b = outgoing.segments[y], sb = candidates[Int(b)]
                        let cosine: Double
                        if let dipole {
                            let theta = dipole.kink(sa, sb)
                            guard theta <= maxAngle else { continue }
                            cosine = cos(theta)
                        } else {
                            cosine = sa.cosine(with: sb)
                            guard cosine >= minimumCosine else { continue }
                        }
                        let w = parameters.chainWeight(cosine: cosine, lengths[Int(a)], lengths[Int(b)], minimumCosine: minimumCosine)
                        if w > 0 { pairs.append(ChainPair(a: a, b: b, weight: w)) }
                    }
                }
            }
        }
        return pairs
    }

    /// The segments at each hit, by the hit `end` gives, in compressed-row form: hit h's segments
    /// are `segments[start[h]..<start[h + 1]]`, in ascending order.
    static func segmentsByHit(_ candidates: [Segment], hitCount: Int, end: (Segment) -> Int32) -> (start: [Int], segments: [Int32]) {
        var start = [Int](repeating: 0, count: hitCount + 1)
        for s in candidates { start[Int(end(s)) + 1] += 1 }
        for h in 0..<hitCount { start[h + 1] += start[h] }
        var fill = start
        var segments = [Int32](repeating: 0, count: candidates.count)
        for (a, s) in candidates.enumerated() {
            let h = Int(end(s))
            segments[fill[h]] = Int32(a)
            fill[h] += 1
        }
        return (start, segments)
    }

    /// Whether each candidate lies on a chain of at least `hitsNeeded` hits along `pairs`: with
    /// `before[a]` the most segments of a chain ending with a and `after[a]` of one starting with a
    /// (dynamic programming over the candidates in a topological order of the pairs), the longest
    /// chain through a has before[a] + after[a] − 1 segments.
    static func onChains(of hitsNeeded: Int, _ candidates: [Segment], pairs: [ChainPair], hits: [Hit]) -> [Bool] {
        let n = candidates.count
        // Pairs by their first segment and by their second, in compressed-row form.
        var outStart = [Int](repeating: 0, count: n + 1), inStart = outStart
        for p in pairs { outStart[Int(p.a) + 1] += 1; inStart[Int(p.b) + 1] += 1 }
        for a in 0..<n { outStart[a + 1] += outStart[a]; inStart[a + 1] += inStart[a] }
        var successors = [Int32](repeating: 0, count: pairs.count), predecessors = successors
        var fillOut = outStart, fillIn = inStart
        for p in pairs {
            successors[fillOut[Int(p.a)]] = p.b; fillOut[Int(p.a)] += 1
            predecessors[fillIn[Int(p.b)]] = p.a; fillIn[Int(p.b)] += 1
        }
        // A topological order of the pair graph (Kahn 1962), so that it holds in every geometry
        // (radius in a barrel, z in a forward spectrometer). Candidates on a cycle, which no layer
        // order makes but a hand-written layer graph might, are never reached and are kept.
        var indegree = (0..<n).map { inStart[$0 + 1] - inStart[$0] }
        var order: [Int] = []
        order.reserveCapacity(n)
        for a in 0..<n where indegree[a] == 0 { order.append(a) }
        var next = 0
        while next < order.count {
            let a = order[next]
            next += 1
            for k in outStart[a]..<outStart[a + 1] {
                let b = Int(successors[k])
                indegree[b] -= 1
                if indegree[b] == 0 { order.append(b) }
            }
        }
        var reached = [Bool](repeating: false, count: n)
        for a in order { reached[a] = true }
        var before = [Int32](repeating: 1, count: n), after = before
        for a in order {
            for k in inStart[a]..<inStart[a + 1] { before[a] = max(before[a], before[Int(predecessors[k])] + 1) }
        }
        for a in order.reversed() {
            for k in outStart[a]..<outStart[a + 1] { after[a] = max(after[a], after[Int(successors[k])] + 1) }
        }
        return (0..<n).map { !reached[$0] || Int(before[$0]) + Int(after[$0]) - 1 + 1 >= hitsNeeded }
    }

    /// The candidates kept as neurons (all, or with `dropIsolated` those with a chain partner),
    /// renumbered in their order.
    static func keptNeurons(_ candidates: [Segment], pairs: [ChainPair], dropIsolated: Bool) -> KeptNeurons {
        var degree = [Int](repeating: 0, count: candidates.count)
        for p in pairs { degree[Int(p.a)] += 1; degree[Int(p.b)] += 1 }
        var index = [Int32](repeating: -1, count: candidates.count)
        var segments: [Segment] = []
        for a in candidates.indices where !dropIsolated || degree[a] > 0 {
            index[a] = Int32(segments.count)
            segments.append(candidates[a])
        }
        return KeptNeurons(segments: segments, index: index, degree: degree)
    }

    /// The symmetric chain weights as neighbour lists in compressed-row form, each pair entered in
    /// both rows in the order of `pairs`.
    static func compressedRows(_ pairs: [ChainPair], _ kept: KeptNeurons) -> (rowStart: [Int], neighbours: [Int32], weights: [Double]) {
        var rowStart = [Int](repeating: 0, count: kept.segments.count + 1)
        for (a, k) in kept.index.enumerated() where k >= 0 { rowStart[Int(k) + 1] = kept.degree[a] }
        for k in 0..<kept.segments.count { rowStart[k + 1] += rowStart[k] }
        var fill = rowStart
        var neighbours = [Int32](repeating: 0, count: 2 * pairs.count)
        var weights = [Double](repeating: 0, count: 2 * pairs.count)
        for p in pairs {
            let a = Int(kept.index[Int(p.a)]), b = Int(kept.index[Int(p.b)])
            neighbours[fill[a]] = Int32(b); weights[fill[a]] = p.weight; fill[a] += 1
            neighbours[fill[b]] = Int32(a); weights[fill[b]] = p.weight; fill[b] += 1
        }
        return (rowStart, neighbours, weights)
    }

    /// The number of unordered fork pairs (segments leaving the same hit) and join pairs (reaching
    /// the same hit).
    static func forkAndJoinPairs(_ segments: [Segment], hitCount: Int) -> Int {
        var forks = [Int](repeating: 0, count: hitCount), joins = forks
        for s in segments { forks[Int(s.from)] += 1; joins[Int(s.to)] += 1 }
        return zip(forks, joins).reduce(0) { $0 + $1.0 * ($1.0 - 1) / 2 + $1.1 * ($1.1 - 1) / 2 }
    }

    /// cos θ of the kink from `a` into `b` (see `helix`).
    public func kinkCosine(_ a: Segment, _ b: Segment) -> Double {
        if let dipole { return cos(dipole.kink(a, b)) }
        return helix ? cos(a.helixKink(with: b, rzResolution: rzResolution)) : a.cosine(with: b)
    }

    /// The number of neurons.
    public var count: Int { segments.count }

    /// The per-hit sums O_i (segments leaving hit i) and I_j (reaching hit j) of `v`.
    public func hitSums(_ v: [Double]) -> (outgoing: [Double], incoming: [Double]) {
        var o = [Double](repeating: 0, count: hitCount), i = o
        for (a, s) in segments.enumerated() {
            o[Int(s.from)] += v[a]
            i[Int(s.to)] += v[a]
        }
        return (o, i)
    }

    /// The per-strip sums S (segments leaving a hit of the strip) and their counterpart for segments
    /// reaching one, at each strip's representative hit (`stripFrom`, `stripTo`).
    public func stripSums(_ v: [Double]) -> (outgoing: [Double], incoming: [Double]) {
        var o = [Double](repeating: 0, count: hitCount), i = o
        for a in segments.indices {
            o[Int(stripFrom[a])] += v[a]
            i[Int(stripTo[a])] += v[a]
        }
        return (o, i)
    }

    /// E(V) = −½ Σ_ab T_ab V_a V_b + (α/2) Σ_hits (O² − Σ V²) + (α/2) Σ_hits (I² − Σ V²) + (β/2)(Σ V − N)²
    ///        + (γ/2) Σ_strips (S_out² − Σ O²) + (γ/2) Σ_strips (S_in² − Σ I²).
    public func energy(_ v: [Double]) -> Double {
        var pair = 0.0, sum = 0.0, squares = 0.0
        for a in 0..<count {
            var h = 0.0
            for e in rowStart[a]..<rowStart[a + 1] { h += weights[e] * v[Int(neighbours[e])] }
            pair += v[a] * h
            sum += v[a]
            squares += v[a] * v[a]
        }
        let (o, i) = hitSums(v)
        let conflicts = o.reduce(0) { $0 + $1 * $1 } + i.reduce(0) { $0 + $1 * $1 } - 2 * squares
        let excess = sum - target
        var strips = 0.0
        if stripPenalty > 0 {
            let (so, si) = stripSums(v)
            var own = [Double](repeating: 0, count: hitCount)
            for (h, r) in hitStrip.enumerated() { own[Int(r)] += o[h] * o[h] + i[h] * i[h] }
            for r in 0..<hitCount where stripWeight[r] > 0 { strips += stripWeight[r] * (so[r] * so[r] + si[r] * si[r] - own[r]) }
        }
        return -0.5 * pair + 0.5 * alpha * conflicts + 0.5 * beta * excess * excess + 0.5 * strips
    }

    /// The local field H_a = −∂E/∂V_a = Σ_b T_ab V_b − α [(O_i − V_a) + (I_j − V_a)] − β(Σ V − N)
    /// − γ [(S_out(i) − O_i) + (S_in(j) − I_j)] for a = (i → j), given the current per-hit and
    /// per-strip sums and Σ V (the strip sums are needed only with γ > 0).
    @inlinable public func field(_ a: Int, _ v: UnsafePointer<Double>, outgoing: UnsafePointer<Double>,
                                 incoming: UnsafePointer<Double>, sum: Double, stripOutgoing: UnsafePointer<Double>? = nil,
                                 stripIncoming: UnsafePointer<Double>? = nil) -> Double {
        var h = 0.0
        for e in rowStart[a]..<rowStart[a + 1] { h += weights[e] * v[Int(neighbours[e])] }
        let s = segments[a], i = Int(s.from), j = Int(s.to)
        h = h - alpha * (outgoing[i] + incoming[j] - 2 * v[a]) - beta * (sum - target)
        if stripPenalty > 0, let so = stripOutgoing, let si = stripIncoming {
            let sf = Int(stripFrom[a]), st = Int(stripTo[a])
            h -= stripWeight[sf] * (so[sf] - outgoing[i]) + stripWeight[st] * (si[st] - incoming[j])
        }
        return h
    }

    /// The field for every neuron, −∇E(V).
    public func fields(_ v: [Double]) -> [Double] {
        let sum = v.reduce(0, +)
        let (o, i) = hitSums(v), (so, si) = stripSums(v)
        return v.withUnsafeBufferPointer { p in
            o.withUnsafeBufferPointer { po in
                i.withUnsafeBufferPointer { pi in
                    so.withUnsafeBufferPointer { pso in
                        si.withUnsafeBufferPointer { psi in
                            (0..<count).map {
                                field($0, p.baseAddress!, outgoing: po.baseAddress!, incoming: pi.baseAddress!, sum: sum,
                                      stripOutgoing: pso.baseAddress, stripIncoming: psi.baseAddress)
                            }
                        }
                    }
                }
            }
        }
    }
}
