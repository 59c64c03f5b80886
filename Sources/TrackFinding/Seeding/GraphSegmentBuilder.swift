import EnergyCore
import Foundation

/// Builds the candidate segments of a collider event along a `LayerGraph` (barrel cylinders and
/// endcap disks in a solenoid), with helix-consistent doublet cuts, in time that grows with the
/// number of hits and of segments kept rather than with the square of the hit count.
///
/// Each layer's hits are binned in φ and, within a bin, sorted along the layer (z on a cylinder, r on
/// a disk). For each link of the graph and each hit a on its inner layer, only the bins within the
/// azimuth window `SegmentCuts.maxDeltaPhi` of a track of p_T ≥ `minPT` are visited, and on a
/// cylinder only the z range a helix from |z₀| ≤ `maxZ0` through a can reach. A pair (a, b) is a
/// segment when
///
/// - r_b > r_a (a track from the beam line moves outwards on its outgoing half-turn);
/// - |Δφ| ≤ `maxDeltaPhi(r_a, r_b)` (the p_T window);
/// - the helix through the beam line and both hits meets the beam line within |z₀| ≤ `maxZ0`:
///   with ρ the radius of the circle through the beam line, a and b, and s(r) = 2ρ asin(r / 2ρ) the
///   transverse arc length, z₀ = z_a − s_a (z_b − z_a) / (s_b − s_a) (the r–z slope, i.e. θ, must
///   point back to the luminous region);
/// - the segment crosses at most one layer of the graph between its hits (`layersCrossed`), none
///   without `skipLayers`; the graph, not `maxLength`, says which layers are neighbours, so
///   `maxLength` is not applied (a track may fly 1.5 m from the last pixel disk to a strip disk).
///
/// The same cuts hold for barrel → barrel, barrel → disk and disk → disk links.
public enum GraphSegmentBuilder {
    /// One layer's hits, binned in φ and sorted along the layer within each bin, with their
    /// coordinates copied in that order (`PackedPoint`), so that the pair loop reads the outer
    /// hits of a bin from consecutive memory rather than from the event's hits at random.
    struct BinnedLayer {
        var binCount: Int
        /// Bin b holds `hits[binStart[b]..<binStart[b + 1]]`.
        var binStart: [Int]
        var hits: [Int32]
        /// The coordinate along the layer (z on a cylinder, r on a disk), aligned with `hits`.
        var along: [Double]
        /// The hits' coordinates, aligned with `hits`.
        var points: [PackedPoint]

        /// The layer of `indices`, in `binCount` bins (by default one per 4 hits, at most 1024). A
        /// subset of a layer's hits binned with the layer's `binCount` is visited in the same order.
        init(_ indices: [Int], points all: [PackedPoint], shape: DetectorLayer.Shape, binCount fixed: Int? = nil) {
            let binCount = fixed ?? max(1, min(1024, indices.count / 4))
            self.binCount = binCount
            var counts = [Int](repeating: 0, count: binCount + 1)
            let bins = indices.map { Self.bin(all[$0].phi, binCount) }
            for b in bins { counts[b + 1] += 1 }
            for b in 0..<binCount { counts[b + 1] += counts[b] }
            binStart = counts
            let alongOf: (Int) -> Double = shape == .cylinder ? { all[$0].z } : { all[$0].r }
            var fill = counts
            var placed = [Int](repeating: 0, count: indices.count)
            for (k, b) in bins.enumerated() { placed[fill[b]] = indices[k]; fill[b] += 1 }
            for b in 0..<binCount {
                placed[counts[b]..<counts[b + 1]].sort { (alongOf($0), $0) < (alongOf($1), $1) }
            }
            hits = placed.map { Int32($0) }
            along = placed.map(alongOf)
            points = placed.map { all[$0] }
        }

        static func bin(_ phi: Double, _ count: Int) -> Int {
            let b = Int(((phi + .pi) / (2 * .pi) * Double(count)).rounded(.down))
            return min(max(b, 0), count - 1)
        }

        /// The bins, in visiting order, that overlap [φ − halfWidth, φ + halfWidth] (wrapping):
        /// `first...last`, each taken modulo `binCount`.
        func binRange(phi: Double, halfWidth: Double) -> ClosedRange<Int> {
            let width = 2 * Double.pi / Double(binCount)
            if 2 * halfWidth + width >= 2 * .pi { return 0...(binCount - 1) }
            return Int(((phi - halfWidth + .pi) / width).rounded(.down))...Int(((phi + halfWidth + .pi) / width).rounded(.down))
        }

        /// Calls `body` with every hit whose bin overlaps [φ − halfWidth, φ + halfWidth] (wrapping)
        /// and whose coordinate along the layer lies in `range`.
        func forEach(phi: Double, halfWidth: Double, along range: ClosedRange<Double>, _ body: (Int) -> Void) {
            guard !hits.isEmpty else { return }
            for k in binRange(phi: phi, halfWidth: halfWidth) {
                let b = ((k % binCount) + binCount) % binCount
                var p = lowerBound(range.lowerBound, in: binStart[b]..<binStart[b + 1])
                while p < binStart[b + 1], along[p] <= range.upperBound { body(Int(hits[p])); p += 1 }
            }
        }

        func lowerBound(_ x: Double, in range: Range<Int>) -> Int {
            var lo = range.lowerBound, hi = range.upperBound
            while lo < hi {
                let mid = (lo + hi) / 2
                if along[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    /// A hit's coordinates as the pair loop reads them: x, y, z, r = √(x² + y²), φ = atan2(y, x),
    /// and `asinOuter` = asin(min(1, r / 2R_min)), the outer term of `SegmentCuts.maxDeltaPhi` for
    /// a hit at most 2R_min from the beam line (R_min = `SegmentCuts.minimumRadius`; NaN when
    /// R_min is not finite).
    struct PackedPoint {
        var x: Double, y: Double, z: Double, r: Double, phi: Double, asinOuter: Double
        init(_ h: Hit, cuts: SegmentCuts) {
            x = h.x; y = h.y; z = h.z; r = h.r; phi = h.phi
            let twoR = 2 * cuts.minimumRadius
            asinOuter = twoR.isFinite && twoR > 0 ? asin(min(1, r / twoR)) : .nan
        }
    }

    /// The segments of `hits` along `graph`'s links that pass `cuts`, link by link (in the graph's
    /// order), each link's segments by inner hit in hit order, then by outer hit in layer order.
    /// Every hit within its own Δφ window is visited whatever the binning, and the other windows
    /// depend only on the graph and the inner hit, so the segments of a subset of the hits are those
    /// of all hits restricted to it (`restricted(_:to:hitCount:selection:)`). (The z window on a
    /// cylinder is that of its radius: a hit of an overlapping module, 4 mm outside, right at the
    /// window's edge is not visited; the all-pairs test counts 2 such segments in 5,254.)
    /// `workers` threads share the links; the result does not depend on their number. Hits on
    /// layers the graph does not have take part in no segment.
    public static func segments(hits: [Hit], graph: LayerGraph, cuts: SegmentCuts, workers: Int = 1) -> [Segment] {
        segments(hits: hits, graph: graph, cuts: cuts, workers: workers, selection: nil)
    }

    /// Which hit pairs are wanted (see `segments(hits:graph:cuts:workers:selection:)`): an inner hit
    /// in `sendsToAll` is paired with every hit of the outer layer, one in `group` with the outer
    /// hits in `group` or `receivesFromAll`, any other with the outer hits in `receivesFromAll`; so
    /// (i, j) is wanted when sendsToAll[i] or receivesFromAll[j] or (group[i] and group[j]). The
    /// arrays are indexed by hit.
    struct PairSelection {
        var sendsToAll: [Bool], group: [Bool], receivesFromAll: [Bool]

        /// Whether the pair of inner hit `i` and outer hit `j` is wanted.
        func wants(_ i: Int, _ j: Int) -> Bool { sendsToAll[i] || receivesFromAll[j] || (group[i] && group[j]) }
    }

    /// The segments of `segments(hits:graph:cuts:workers:)` whose hits `selection` wants (nil:
    /// all), in the same order. The outer hits an inner hit may reach are binned as the whole
    /// layer is, so the pairs not wanted are never visited.
    static func segments(hits: [Hit], graph: LayerGraph, cuts: SegmentCuts, workers: Int = 1,
                         selection: PairSelection?) -> [Segment] {
        let index = graph.layerIndex
        var byLayer = Array(repeating: [Int](), count: graph.layers.count)
        for (i, h) in hits.enumerated() { if let k = index[h.layer] { byLayer[k].append(i) } }
        let points = hits.map { PackedPoint($0, cuts: cuts) }
        let binned = graph.layers.indices.map { BinnedLayer(byLayer[$0], points: points, shape: graph.layers[$0].shape) }
        // The inner hits of each layer, in hit order.
        let inner = byLayer.map { $0.map { points[$0] } }
        // The outer layers as seen from an inner hit of the group, and from any other hit.
        let binnedSelected = selection.map { selection in
            (group: graph.layers.indices.map {
                BinnedLayer(byLayer[$0].filter { selection.group[$0] || selection.receivesFromAll[$0] }, points: points,
                            shape: graph.layers[$0].shape, binCount: binned[$0].binCount)
            }, others: graph.layers.indices.map {
                BinnedLayer(byLayer[$0].filter { selection.receivesFromAll[$0] }, points: points,
                            shape: graph.layers[$0].shape, binCount: binned[$0].binCount)
            })
        }
        let links = graph.links.filter { cuts.skipLayers || $0.step == 1 }
        var perLink = [[Segment]](repeating: [], count: links.count)
        let workers = max(1, min(workers, links.count))
        // Links are taken longest first (by their inner layer's hits times the outer layer's), so that
        // the threads finish together.
        let order = links.indices.sorted { (byLayer[links[$0].from].count * byLayer[links[$0].to].count, $1) > (byLayer[links[$1].from].count * byLayer[links[$1].to].count, $0) }
        perLink.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendableBuffer(out)
            Parallel.run(workers: workers) { w in
                for n in stride(from: w, to: order.count, by: workers) {
                    let k = order[n]
                    out.buffer[k] = segments(along: links[k], graph: graph, byLayer: byLayer, inner: inner[links[k].from], binned: binned,
                                             cuts: cuts, selection: selection, binnedSelected: binnedSelected)
                }
            }
        }
        var total = 0
        for p in perLink { total += p.count }
        var all: [Segment] = []
        all.reserveCapacity(total)
        for p in perLink { all += p }
        return all
    }

    /// The segments that `segments(hits:graph:cuts:workers:selection:)` finds on the hits `subset`
    /// (ascending indices into the hits of `all`, `hitCount` of them), numbered in `subset`, taken
    /// from `all`, the segments of every hit with the same graph and cuts: those with both hits in
    /// the subset (and wanted by `selection`, indexed in the subset), in the order of `all`. Every cut
    /// depends only on the two hits and the graph, so these are the segments of the subset's own
    /// search (a test checks this), found at a cost linear in `all`; the order is by link and inner
    /// hit as there, the outer hits of one inner hit in the order of the whole layer's bins (the
    /// subset's own search bins its fewer hits otherwise, which may order them differently).
    static func restricted(_ all: [Segment], to subset: [Int], hitCount: Int, selection: PairSelection? = nil) -> [Segment] {
        var local = [Int32](repeating: -1, count: hitCount)
        for (k, h) in subset.enumerated() { local[h] = Int32(k) }
        var out: [Segment] = []
        for s in all {
            let i = local[Int(s.from)], j = local[Int(s.to)]
            guard i >= 0, j >= 0 else { continue }
            if let selection, !selection.wants(Int(i), Int(j)) { continue }
            var t = s
            t.from = i
            t.to = j
            out.append(t)
        }
        return out
    }

    /// The segments of one link; `inner` holds the coordinates of the inner layer's hits
    /// (`byLayer[link.from]`), in that order.
    static func segments(along link: LayerGraph.Link, graph: LayerGraph, byLayer: [[Int]], inner: [PackedPoint], binned: [BinnedLayer],
                         cuts: SegmentCuts, selection: PairSelection? = nil,
                         binnedSelected: (group: [BinnedLayer], others: [BinnedLayer])? = nil) -> [Segment] {
        let target = graph.layers[link.to]
        let maxStep = cuts.skipLayers ? 2 : 1
        let between = intermediateLayers(link, graph: graph)
        // The hits' resolution along their layers, when the map knows it (for `Segment.rzError`).
        let sigma: Double = {
            guard let a = graph.layers[link.from].sigmaAlong, let b = target.sigmaAlong else { return 0 }
            return (a * a + b * b).squareRoot()
        }()
        // The radii of the outer layer's hits, so that the Δφ window, which grows with r_b, can be
        // bounded once per inner hit and computed exactly only for pairs between the bounds.
        var rOuterLow = Double.infinity, rOuterHigh = 0.0, zOuterLow = Double.infinity, zOuterHigh = -Double.infinity
        for p in binned[link.to].points {
            rOuterLow = min(rOuterLow, p.r); rOuterHigh = max(rOuterHigh, p.r)
            zOuterLow = min(zOuterLow, p.z); zOuterHigh = max(zOuterHigh, p.z)
        }
        // maxDeltaPhi(r_a, r_b) = asin(r_b / 2R_min) − asin(r_a / 2R_min) + 0.002 for r_a < r_b ≤ 2R_min, with the
        // outer term stored per hit (`PackedPoint.asinOuter`); the same arithmetic as `SegmentCuts.maxDeltaPhi`.
        let twoRMin = 2 * cuts.minimumRadius
        let storedWindows = twoRMin.isFinite && twoRMin > 0 && max(rOuterHigh, target.shape == .disk ? target.upper : target.position) <= twoRMin
        // On a cylinder, the intermediate cylinders whose crossing in z can skip hits (`crossedTwice`):
        // only when there are enough of them to make a segment cross more layers than allowed.
        let crossable = target.shape == .cylinder ? between.filter { $0.shape == .cylinder } : []
        let skipsCrossings = crossable.count >= maxStep && rOuterLow.isFinite
        var spans: [ClosedRange<Double>] = [], skipped: [Range<Double>] = []
        var out: [Segment] = []
        let from = byLayer[link.from]
        for n in from.indices {
            let i = from[n], a = inner[n]
            let ra = a.r, phiA = a.phi
            // rReach: the largest r_b visited (the top of the r window on a disk).
            let window: ClosedRange<Double>, rMax: Double, rReach: Double
            switch target.shape {
            case .cylinder:
                guard target.position > ra, let z = zWindow(ra: ra, za: a.z, radius: target.position, cuts: cuts) else { continue }
                window = z
                rMax = target.position
                rReach = .infinity
            case .disk:
                let top = rWindowTop(ra: ra, za: a.z, zOuter: zOuterLow, zOuterHigh, cuts: cuts)
                guard top >= ra else { continue }
                window = ra...top
                rMax = target.upper
                rReach = top
            }
            guard rMax > ra else { continue }
            // Every outer hit with r_b > r_a has a window between these (maxDeltaPhi grows with r_b).
            let sure = rOuterLow > ra ? cuts.maxDeltaPhi(ra, rOuterLow) : 0
            let widest = cuts.maxDeltaPhi(ra, min(max(rOuterHigh, rMax), rReach))
            let asinInner = storedWindows ? asin(min(1, ra / twoRMin)) : 0
            let outer: BinnedLayer
            if let selection, let binnedSelected, !selection.sendsToAll[i] {
                outer = selection.group[i] ? binnedSelected.group[link.to] : binnedSelected.others[link.to]
            } else {
                outer = binned[link.to]
            }
            guard !outer.hits.isEmpty else { continue }
            // The bins within the window at the largest r_b of the layer's hits (a cylinder's overlapping
            // modules lie a few mm outside its radius), or, when r_b ≤ rReach, at rReach, with a margin for
            // rounding: every hit within its own window is visited, however the layer is binned.
            let rTop = max(rMax, rOuterHigh)
            let halfWidth = cuts.maxDeltaPhi(ra, rTop) * (1 + 1e-9) + 1e-12
            var bins = outer.binRange(phi: phiA, halfWidth: halfWidth)
            if rReach < rTop, bins.count < outer.binCount {
                bins = outer.binRange(phi: phiA, halfWidth: min(halfWidth, cuts.maxDeltaPhi(ra, rReach) * (1 + 1e-9) + 1e-12))
            }
            outer.points.withUnsafeBufferPointer { points in
            outer.along.withUnsafeBufferPointer { along in
            outer.binStart.withUnsafeBufferPointer { binStart in
                spans.removeAll(keepingCapacity: true)
                spans.append(window)
                if skipsCrossings {
                    crossedTwice(za: a.z, ra: ra, cylinders: crossable, rOuter: rOuterLow...rOuterHigh, times: maxStep, into: &skipped)
                    for gap in skipped {
                        guard let last = spans.last, gap.lowerBound < last.upperBound, gap.upperBound > last.lowerBound else { continue }
                        spans.removeLast()
                        if gap.lowerBound >= last.lowerBound { spans.append(last.lowerBound...gap.lowerBound) }
                        if gap.upperBound <= last.upperBound { spans.append(gap.upperBound...last.upperBound) }
                    }
                }
                for k in bins {
                    let bin = ((k % outer.binCount) + outer.binCount) % outer.binCount
                    let end = binStart[bin + 1]
                    for span in spans {
                    var p = outer.lowerBound(span.lowerBound, in: binStart[bin]..<end)
                    while p < end, along[p] <= span.upperBound {
                        defer { p += 1 }
                        let b = points[p]
                        let rb = b.r
                        guard rb > ra else { continue }
                        var dphi = b.phi - phiA
                        if dphi > .pi { dphi -= 2 * .pi } else if dphi < -.pi { dphi += 2 * .pi }
                        let d = abs(dphi)
                        guard d <= widest else { continue }
                        if d > sure {
                            let exact = storedWindows ? b.asinOuter - asinInner + 0.002 : cuts.maxDeltaPhi(ra, rb)
                            guard d <= exact else { continue }
                        }
                        // The z₀ cut decided from bounds without arcsines where it can be (`zeroBounds`), the
                        // step, and only then the exact z₀ where the bounds leave it open.
                        let decided = zeroBounds(a.x, a.y, a.z, b.x, b.y, b.z, ra, rb, cuts)
                        guard decided != false else { continue }
                        let step = between.isEmpty ? 1 : 1 + layersCrossed(za: a.z, zb: b.z, ra: ra, rb: rb, candidates: between)
                        guard step <= maxStep else { continue }
                        if decided == nil {
                            guard zeroWithinBeamSpot(a.x, a.y, a.z, b.x, b.y, b.z, ra, rb, cuts) else { continue }
                        }
                        var s = Segment(from: i, to: Int(outer.hits[p]), ax: a.x, ay: a.y, az: a.z, bx: b.x, by: b.y, bz: b.z,
                                        fromLayer: link.from, layerStep: step, toLayer: link.to)
                        if sigma > 0, s.length > 0 { s.rzError = sigma / s.length }
                        out.append(s)
                    }
                    }
                }
            }
            }
            }
        }
        return out
    }

    /// The z ranges on an outer cylinder (hits at radii within `rOuter`) where a segment from a hit at
    /// (r_a, z_a) surely crosses at least `times` of `cylinders` in the sense of `layersCrossed`,
    /// ascending and disjoint, written to `out`: hits there are cut by the step (`layersCrossed` ≥
    /// `times` makes the step exceed the largest), so the pair loop need not visit them. The segment
    /// meets a cylinder of radius R at z_R = z_a + (z_b − z_a) t, t = (R − r_a)/(r_b − r_a); z_R
    /// within (lower + 2 mm, upper − 2 mm) for every r_b in `rOuter` (z_R is monotone in r_b, so at
    /// both ends) is an open interval of z_b, shrunk by 10⁻⁶ (1 + |z|) mm against rounding.
    static func crossedTwice(za: Double, ra: Double, cylinders: [LayerGraph.Layer], rOuter: ClosedRange<Double>, times: Int,
                             into out: inout [Range<Double>]) {
        out.removeAll(keepingCapacity: true)
        let margin = 2.0
        var ends: [(z: Double, opens: Bool)] = []
        for l in cylinders {
            let R = l.position
            guard R > ra + margin + 1e-9 * R, R < rOuter.lowerBound - margin - 1e-9 * R else { continue }
            let lo = l.lower + margin, up = l.upper - margin
            guard lo < up else { continue }
            let tNear = (R - ra) / (rOuter.upperBound - ra), tFar = (R - ra) / (rOuter.lowerBound - ra)
            var zLo = max(za + (lo - za) / tNear, za + (lo - za) / tFar), zUp = min(za + (up - za) / tNear, za + (up - za) / tFar)
            zLo += 1e-6 * (1 + abs(zLo)); zUp -= 1e-6 * (1 + abs(zUp))
            guard zLo < zUp else { continue }
            ends.append((zLo, true)); ends.append((zUp, false))
        }
        guard ends.count >= 2 * times else { return }
        ends.sort { ($0.z, $0.opens ? 1 : 0) < ($1.z, $1.opens ? 1 : 0) }
        var depth = 0, start = 0.0
        for e in ends {
            if e.opens {
                depth += 1
                if depth == times { start = e.z }
            } else {
                if depth == times, start < e.z { out.append(start..<e.z) }
                depth -= 1
            }
        }
    }

    /// The layers that may lie between the two layers of `link` along a track: cylinders whose
    /// radius lies between theirs (a disk's r range counts), and disks whose z lies between theirs
    /// (a cylinder's z range counts).
    static func intermediateLayers(_ link: LayerGraph.Link, graph: LayerGraph) -> [LayerGraph.Layer] {
        let a = graph.layers[link.from], b = graph.layers[link.to]
        func rRange(_ l: LayerGraph.Layer) -> (Double, Double) { l.shape == .cylinder ? (l.position, l.position) : (l.lower, l.upper) }
        func zRange(_ l: LayerGraph.Layer) -> (Double, Double) { l.shape == .disk ? (l.position, l.position) : (l.lower, l.upper) }
        let (ra, rb) = (rRange(a), rRange(b)), (za, zb) = (zRange(a), zRange(b))
        let rLo = ra.0, rHi = rb.1, zLo = min(za.0, zb.0), zHi = max(za.1, zb.1)
        return graph.layers.enumerated().filter { k, l in
            guard k != link.from, k != link.to else { return false }
            switch l.shape {
            case .cylinder: return l.position > rLo && l.position < rHi
            case .disk: return l.position > zLo && l.position < zHi
            }
        }.map(\.element)
    }

    /// How many of `candidates` the helix through the beam line, `a` and `b` crosses strictly
    /// between them, at least 2 mm inside the layer's sensitive area (so a crossing at an edge,
    /// where the track may pass between modules, is not required to leave a hit). A segment that
    /// crosses one layer skips it (step 2); its length is then about twice a direct segment's.
    static func layersCrossed(between a: Hit, _ b: Hit, candidates: [LayerGraph.Layer]) -> Int {
        layersCrossed(between: a, b, ra: a.r, rb: b.r, candidates: candidates)
    }

    /// `layersCrossed(between:_:candidates:)` with the hits' radii given.
    static func layersCrossed(between a: Hit, _ b: Hit, ra: Double, rb: Double, candidates: [LayerGraph.Layer]) -> Int {
        layersCrossed(za: a.z, zb: b.z, ra: ra, rb: rb, candidates: candidates)
    }

    /// `layersCrossed(between:_:candidates:)` for hits at (r_a, z_a) and (r_b, z_b).
    @inline(__always)
    static func layersCrossed(za: Double, zb: Double, ra: Double, rb: Double, candidates: [LayerGraph.Layer]) -> Int {
        guard !candidates.isEmpty else { return 0 }
        let margin = 2.0
        var n = 0
        for l in candidates {
            switch l.shape {
            case .cylinder:
                let R = l.position
                guard R > ra + margin, R < rb - margin else { continue }
                let z = za + (zb - za) * (R - ra) / (rb - ra)
                if z > l.lower + margin, z < l.upper - margin { n += 1 }
            case .disk:
                let Z = l.position
                guard (Z - za) * (zb - Z) > 0, abs(Z - za) > margin, abs(zb - Z) > margin else { continue }
                let r = ra + (rb - ra) * (Z - za) / (zb - za)
                if r > l.lower + margin, r < l.upper - margin { n += 1 }
            }
        }
        return n
    }

    /// The z range on a cylinder of radius `radius` that a helix through the beam line within
    /// |z₀| ≤ `maxZ0` and through `a` can reach, p_T ≥ `minPT`; nil when it misses the cylinder's
    /// reach. z − z₀ grows with the arc length s(r) = 2ρ asin(r/2ρ), and s(R)/s(r_a) lies between
    /// R/r_a (straight) and its value at the smallest ρ that reaches R.
    static func zWindow(_ a: Hit, radius: Double, cuts: SegmentCuts) -> ClosedRange<Double>? {
        zWindow(ra: a.r, za: a.z, radius: radius, cuts: cuts)
    }

    /// `zWindow(_:radius:cuts:)` for a hit at (r_a, z_a).
    static func zWindow(ra: Double, za: Double, radius: Double, cuts: SegmentCuts) -> ClosedRange<Double>? {
        guard ra > 0 else { return nil }
        let rho = max(cuts.minimumRadius, radius / 2)
        let kMin = radius / ra
        let kMax = rho.isFinite ? asin(min(1, radius / (2 * rho))) / asin(min(1, ra / (2 * rho))) : kMin
        var lo = Double.infinity, hi = -Double.infinity
        for z0 in [-cuts.maxZ0, cuts.maxZ0] {
            for k in [kMin, kMax] {
                let z = z0 + (za - z0) * k
                lo = min(lo, z); hi = max(hi, z)
            }
        }
        let margin = 1 + 0.01 * (hi - lo)
        return (lo - margin)...(hi + margin)
    }

    /// The largest r at which a helix from the beam line within |z₀| ≤ `maxZ0` through `a` (radius
    /// `ra`) can cross a disk whose hits lie at z in `zOuter`; infinity when no bound holds (|z_a| ≤
    /// maxZ0). The cut on z₀ (`zeroWithinBeamSpot`) makes the arc lengths from the beam line satisfy
    /// s_b / s_a = q = (z_b − z₀) / (z_a − z₀), and on a circle through the beam line r = 2ρ sin(s/2ρ),
    /// so r_b / r_a = sin(qϑ) / sin ϑ ≤ q for q ≥ 1 (ϑ = s_a/2ρ ≤ π/2). The bound is the largest q over
    /// the corners of z₀ and z_b, with a margin; a window, not a cut: every pair it keeps is still tested.
    static func rWindowTop(_ a: Hit, ra: Double, zOuter low: Double, _ high: Double, cuts: SegmentCuts) -> Double {
        rWindowTop(ra: ra, za: a.z, zOuter: low, high, cuts: cuts)
    }

    /// `rWindowTop(_:ra:zOuter:_:cuts:)` for a hit at (r_a, z_a).
    static func rWindowTop(ra: Double, za: Double, zOuter low: Double, _ high: Double, cuts: SegmentCuts) -> Double {
        guard abs(za) > cuts.maxZ0, low.isFinite, high.isFinite else { return .infinity }
        var q = -Double.infinity
        for z0 in [-cuts.maxZ0, cuts.maxZ0] {
            for zb in [low, high] { q = max(q, (zb - z0) / (za - z0)) }
        }
        guard q.isFinite else { return .infinity }
        return ra * q * (1 + 1e-6) + 1
    }

    /// Whether the pair (a inner, b outer) passes the doublet cuts (see the type's description).
    static func accepts(_ a: Hit, _ b: Hit, _ cuts: SegmentCuts) -> Bool {
        let ra = a.r, rb = b.r
        guard SegmentBuilder.outwardsWithinTurn(a, b, ra, rb, cuts) else { return false }
        return zeroWithinBeamSpot(a, b, ra, rb, cuts)
    }

    /// Whether the helix through the beam line, `a` and `b` (radii `ra` < `rb`) meets the beam line
    /// within |z₀| ≤ `maxZ0` (see the type's description).
    @inline(__always)
    static func zeroWithinBeamSpot(_ a: Hit, _ b: Hit, _ ra: Double, _ rb: Double, _ cuts: SegmentCuts) -> Bool {
        zeroWithinBeamSpot(a.x, a.y, a.z, b.x, b.y, b.z, ra, rb, cuts)
    }

    /// `zeroWithinBeamSpot` decided without arcsines where bounds suffice: true or false when the
    /// exact test is sure to give that answer, nil when it must be run.
    ///
    /// The exact test computes z₀ = z_a − k Δz with k = s_a / (s_b − s_a) and the arc s(r) = r when
    /// h = r/2ρ < 10⁻⁴, else 2ρ asin(h) = r g(h), g(h) = asin(h)/h. As g ≥ 1 grows with h (and
    /// h_b > h_a, r_b > r_a), q = s_b/s_a lies between r_b/r_a and
    /// (r_b/r_a) g(h_b) (h_b > h_a as r_b > r_a; both branches of s agree with this). For h ≤ 1/2,
    /// g(h) = 1 + h²/6 + 3h⁴/40 + … ≤ 1 + h²/5 (g(1/2) = π/3 < 1.05, and the series' terms grow
    /// with h), and h_b = r_b/2ρ = |a × b| / (r_a |b − a|_xy) needs no square root. So k lies between
    /// 1/(q_high − 1) and r_a/(r_b − r_a), and z₀ between z_lin = z_a − r_a Δz/(r_b − r_a) (the
    /// straight line) and z_a − r_a Δz/(r_b (1 + h_b²/5) − r_a). When both lie inside
    /// [−maxZ0, maxZ0], or both beyond the same end, by more than a margin m, the exact test
    /// (whose computed z₀ is within a few ulps of |z_a| + k |Δz| (2 + r_b/(r_b − r_a)) of its true
    /// value) agrees; m is 10⁻⁹ of that, about 10⁶ times the rounding.
    @inline(__always)
    static func zeroBounds(_ ax: Double, _ ay: Double, _ az: Double, _ bx: Double, _ by: Double, _ bz: Double,
                           _ ra: Double, _ rb: Double, _ cuts: SegmentCuts) -> Bool? {
        let dr = rb - ra
        guard dr > 1e-6 * rb, ra > 0 else { return nil }
        let dx = bx - ax, dy = by - ay, dz = bz - az
        let cross = ax * by - ay * bx, chord2 = dx * dx + dy * dy
        let h2 = cross * cross / (ra * ra * chord2)
        guard h2 <= 0.25 else { return nil }
        let kLinear = ra / dr
        let zLinear = az - kLinear * dz
        let zCurved = az - ra * dz / (rb * (1 + 0.2 * h2 * (1 + 1e-12)) - ra)
        let lo = min(zLinear, zCurved), hi = max(zLinear, zCurved)
        let m = 1e-9 * (abs(az) + kLinear * abs(dz) * (2 + rb / dr)) + 1e-9
        let z = cuts.maxZ0
        if lo > -z + m && hi < z - m { return true }
        if lo > z + m || hi < -z - m { return false }
        return nil
    }

    /// `zeroWithinBeamSpot(_:_:_:_:_:)` for hits at (x_a, y_a, z_a) and (x_b, y_b, z_b).
    @inline(__always)
    static func zeroWithinBeamSpot(_ ax: Double, _ ay: Double, _ az: Double, _ bx: Double, _ by: Double, _ bz: Double,
                                   _ ra: Double, _ rb: Double, _ cuts: SegmentCuts) -> Bool {
        let dx = bx - ax, dy = by - ay, dz = bz - az
        let chord = (dx * dx + dy * dy).squareRoot()
        // Circle through the beam line and both hits: 1/ρ = 2 |a × b| / (r_a r_b |b − a|).
        let inverseRho = 2 * abs(ax * by - ay * bx) / max(ra * rb * chord, 1e-300)
        func arc(_ r: Double) -> Double {
            let half = 0.5 * r * inverseRho
            return half < 1e-4 ? r : 2 * asin(min(1, half)) / inverseRho
        }
        let sa = arc(ra), sb = arc(rb)
        guard sb > sa else { return false }
        let z0 = az - sa * dz / (sb - sa)
        return abs(z0) <= cuts.maxZ0
    }
}

/// A buffer whose elements several workers write, each its own.
struct UnsafeSendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
