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

    /// Builds the network of `segments` on `hits`. With `helix`, θ is the kink left after removing
    /// the bending of a primary track in a solenoid (barrel detectors in a field); otherwise the
    /// plain 3D angle between the segments. With `dropIsolated`, segments with no chain partner are
    /// left out: they cannot be part of a track of 3 or more hits, and their field (penalties only)
    /// would keep them off anyway.
    public init(hits: [Hit], segments candidates: [Segment], parameters: EnergyParameters, helix: Bool = false,
                dropIsolated: Bool = false) {
        self.helix = helix
        self.beta = parameters.beta
        self.alpha = parameters.alpha
        self.hitCount = hits.count

        // Lengths in units of the mean length of the segments joining the same layer to the next
        // one: a direct segment is about 1 and a segment skipping a layer about 2, whatever the gaps.
        var directSum = [Double](), directCount = [Int]()
        for s in candidates where s.layerStep == 1 {
            while directSum.count <= s.fromLayer { directSum.append(0); directCount.append(0) }
            directSum[s.fromLayer] += s.length
            directCount[s.fromLayer] += 1
        }
        let overall = candidates.isEmpty ? 1 : candidates.reduce(0) { $0 + $1.length } / Double(candidates.count)
        let unitOf: [Double] = directSum.indices.map { directCount[$0] > 0 ? directSum[$0] / Double(directCount[$0]) : overall }
        let normalised: [Double] = candidates.map { s in
            let u = s.fromLayer < unitOf.count ? unitOf[s.fromLayer] : overall
            return u > 0 ? s.length / u : 1
        }

        // Every chain a → b meets at a hit: enumerate them hit by hit, each pair once.
        var outgoing = Array(repeating: [Int32](), count: hits.count)
        var incoming = Array(repeating: [Int32](), count: hits.count)
        for (a, s) in candidates.enumerated() {
            outgoing[Int(s.from)].append(Int32(a))
            incoming[Int(s.to)].append(Int32(a))
        }
        let maxAngle = parameters.maxAngle, minimumCosine = cos(maxAngle)
        var pairs: [(a: Int32, b: Int32, w: Double)] = []
        for j in 0..<hits.count where !incoming[j].isEmpty && !outgoing[j].isEmpty {
            for a in incoming[j] {
                let sa = candidates[Int(a)]
                for b in outgoing[j] {
                    let sb = candidates[Int(b)]
                    let cosine: Double
                    if helix {
                        let theta = sa.helixKink(with: sb)
                        guard theta <= maxAngle else { continue }
                        cosine = cos(theta)
                    } else {
                        cosine = sa.cosine(with: sb)
                        guard cosine >= minimumCosine else { continue }
                    }
                    let w = parameters.chainWeight(cosine: cosine, normalised[Int(a)], normalised[Int(b)], minimumCosine: minimumCosine)
                    if w > 0 { pairs.append((a, b, w)) }
                }
            }
        }
        var degree = [Int](repeating: 0, count: candidates.count)
        for p in pairs { degree[Int(p.a)] += 1; degree[Int(p.b)] += 1 }
        // Renumber the kept neurons.
        var index = [Int32](repeating: -1, count: candidates.count)
        var segments: [Segment] = []
        for a in candidates.indices where !dropIsolated || degree[a] > 0 {
            index[a] = Int32(segments.count)
            segments.append(candidates[a])
        }
        var rowStart = [Int](repeating: 0, count: segments.count + 1)
        for a in candidates.indices where index[a] >= 0 { rowStart[Int(index[a]) + 1] = degree[a] }
        for k in 0..<segments.count { rowStart[k + 1] += rowStart[k] }
        var fill = rowStart
        var neighbours = [Int32](repeating: 0, count: 2 * pairs.count)
        var weights = [Double](repeating: 0, count: 2 * pairs.count)
        for p in pairs {
            let a = Int(index[Int(p.a)]), b = Int(index[Int(p.b)])
            neighbours[fill[a]] = Int32(b); weights[fill[a]] = p.w; fill[a] += 1
            neighbours[fill[b]] = Int32(a); weights[fill[b]] = p.w; fill[b] += 1
        }
        var forks = [Int](repeating: 0, count: hits.count), joins = forks
        for s in segments { forks[Int(s.from)] += 1; joins[Int(s.to)] += 1 }
        self.segments = segments
        self.rowStart = rowStart
        self.neighbours = neighbours
        self.weights = weights
        self.chainCount = pairs.count
        self.conflictCount = zip(forks, joins).reduce(0) { $0 + $1.0 * ($1.0 - 1) / 2 + $1.1 * ($1.1 - 1) / 2 }
    }

    /// cos θ of the kink from `a` into `b` (see `helix`).
    public func kinkCosine(_ a: Segment, _ b: Segment) -> Double {
        helix ? cos(a.helixKink(with: b)) : a.cosine(with: b)
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

    /// E(V) = −½ Σ_ab T_ab V_a V_b + (α/2) Σ_hits (O² − Σ V²) + (α/2) Σ_hits (I² − Σ V²) + (β/2)(Σ V − N)².
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
        return -0.5 * pair + 0.5 * alpha * conflicts + 0.5 * beta * excess * excess
    }

    /// The local field H_a = −∂E/∂V_a = Σ_b T_ab V_b − α [(O_i − V_a) + (I_j − V_a)] − β(Σ V − N)
    /// for a = (i → j), given the current per-hit sums and Σ V.
    @inlinable public func field(_ a: Int, _ v: UnsafePointer<Double>, outgoing: UnsafePointer<Double>,
                                 incoming: UnsafePointer<Double>, sum: Double) -> Double {
        var h = 0.0
        for e in rowStart[a]..<rowStart[a + 1] { h += weights[e] * v[Int(neighbours[e])] }
        let s = segments[a]
        return h - alpha * (outgoing[Int(s.from)] + incoming[Int(s.to)] - 2 * v[a]) - beta * (sum - target)
    }

    /// The field for every neuron, −∇E(V).
    public func fields(_ v: [Double]) -> [Double] {
        let sum = v.reduce(0, +)
        let (o, i) = hitSums(v)
        return v.withUnsafeBufferPointer { p in
            o.withUnsafeBufferPointer { po in
                i.withUnsafeBufferPointer { pi in
                    (0..<count).map { field($0, p.baseAddress!, outgoing: po.baseAddress!, incoming: pi.baseAddress!, sum: sum) }
                }
            }
        }
    }
}
