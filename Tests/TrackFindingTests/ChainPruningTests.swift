import EnergyCore
import Foundation
import Testing
@testable import TrackFinding

@Suite("Chain pruning and windowed chain pairs")
struct ChainPruningTests {
    /// A small full-detector event with noise, its candidate segments along the geometric map and
    /// the energy of a loose network (so that chains between noise hits exist).
    let event: (hits: [Hit], truth: [TruthHit])
    let candidates: [Segment]
    let parameters = EnergyParameters(maxAngle: 0.02, rzResolution: 0.003)

    init() throws {
        event = fullDetectorEvent(particles: 60, noise: 60, seed: 11)
        let graph = try LayerGraph(detector: .trackMLFull, propagation: .init(minPT: 1))
        candidates = GraphSegmentBuilder.segments(hits: event.hits, graph: graph, cuts: SegmentCuts(minPT: 1), workers: 1)
    }

    /// The network of every candidate (none dropped), candidate a being neuron a.
    func unpruned(workers: Int = 1) -> SegmentNetwork {
        SegmentNetwork(hits: event.hits, segments: candidates, parameters: parameters, helix: true, lengthsPerLink: true, workers: workers)
    }

    @Test("the r–z window finds every chain pair a trial of all pairs finds, with the resolution weighing, on any number of threads")
    func windowedPairs() throws {
        let lengths = SegmentNetwork.normalisedLengthsPerLink(candidates)
        var expected: [Int: [Int: Double]] = [:]
        for (a, sa) in candidates.enumerated() {
            for (b, sb) in candidates.enumerated() where sa.to == sb.from {
                let theta = sa.helixKink(with: sb, rzResolution: parameters.rzResolution)
                guard theta <= parameters.maxAngle else { continue }
                let w = parameters.chainWeight(cosine: cos(theta), lengths[a], lengths[b], minimumCosine: cos(parameters.maxAngle))
                if w > 0 { expected[a, default: [:]][b] = w; expected[b, default: [:]][a] = w }
            }
        }
        for workers in [1, 2, 3] {
            let net = unpruned(workers: workers)
            #expect(net.count == candidates.count)
            #expect(net.chainCount * 2 == expected.values.reduce(0) { $0 + $1.count } && net.chainCount > 100)
            for a in candidates.indices {
                var row: [Int: Double] = [:]
                for e in net.rowStart[a]..<net.rowStart[a + 1] { row[Int(net.neighbours[e])] = net.weights[e] }
                #expect(row == (expected[a] ?? [:]), "neuron \(a), \(workers) threads")
            }
            if workers > 1 {
                let one = unpruned()
                #expect(net.neighbours == one.neighbours && net.weights == one.weights && net.rowStart == one.rowStart)
            }
        }
    }

    @Test("minChainHits keeps exactly the segments on a chain of that many hits, every true track's among them", arguments: [4, 6])
    func pruning(minChainHits n: Int) throws {
        let all = unpruned()
        // The longest chain ending with (0) and starting with (1) each segment, by memoised recursion over the rows.
        var memo = [[Int]](repeating: [Int](repeating: 0, count: candidates.count), count: 2)
        func longest(_ a: Int, _ forward: Int) -> Int {
            if memo[forward][a] == 0 {
                var best = 1
                for e in all.rowStart[a]..<all.rowStart[a + 1] {
                    let b = Int(all.neighbours[e])
                    let joined = forward == 1 ? candidates[b].from == candidates[a].to : candidates[b].to == candidates[a].from
                    if joined { best = max(best, longest(b, forward) + 1) }
                }
                memo[forward][a] = best
            }
            return memo[forward][a]
        }
        let onChain = candidates.indices.filter { longest($0, 0) + longest($0, 1) >= n }
        let pruned = SegmentNetwork(hits: event.hits, segments: candidates, parameters: parameters, helix: true, dropIsolated: true,
                                    lengthsPerLink: true, minChainHits: n, workers: 2)
        #expect(pruned.segments == onChain.map { candidates[$0] })
        // It drops segments that do have a chain partner, not only the isolated ones.
        let withPartner = candidates.indices.filter { all.rowStart[$0 + 1] > all.rowStart[$0] }.count
        #expect(pruned.count < withPartner, "\(pruned.count) of \(withPartner) kept")
        // Its rows are the unpruned rows restricted to the kept segments.
        let kept = Set(onChain)
        var newIndex: [Int: Int] = [:]
        for (k, a) in onChain.enumerated() { newIndex[a] = k }
        for (k, a) in onChain.enumerated() {
            var expectedRow: [Int: Double] = [:]
            for e in all.rowStart[a]..<all.rowStart[a + 1] where kept.contains(Int(all.neighbours[e])) {
                expectedRow[newIndex[Int(all.neighbours[e])] ?? -1] = all.weights[e]
            }
            var row: [Int: Double] = [:]
            for e in pruned.rowStart[k]..<pruned.rowStart[k + 1] { row[Int(pruned.neighbours[e])] = pruned.weights[e] }
            #expect(row == expectedRow)
        }
        // A particle's consecutive hits joined by candidate segments that are chain partners form a
        // chain; where it has at least n hits, all its segments are kept.
        var segmentOf: [Int64: Int] = [:]
        for (a, s) in candidates.enumerated() { segmentOf[Int64(s.from) << 32 | Int64(s.to)] = a }
        func partners(_ a: Int, _ b: Int) -> Bool { (all.rowStart[a]..<all.rowStart[a + 1]).contains { Int(all.neighbours[$0]) == b } }
        var particles: [Int: [Int]] = [:]
        for (h, t) in event.truth.enumerated() where t.particleID != 0 { particles[t.particleID, default: []].append(h) }
        var checked = 0
        for (_, hits) in particles {
            let ordered = hits.sorted { event.hits[$0].r < event.hits[$1].r }
            var run: [Int] = []
            func close() {
                if run.count + 1 >= n {
                    for a in run { #expect(kept.contains(a), "a true segment on a chain of \(run.count + 1) hits was dropped") }
                    checked += 1
                }
                run = []
            }
            for k in ordered.indices.dropLast() {
                guard let a = segmentOf[Int64(ordered[k]) << 32 | Int64(ordered[k + 1])] else { close(); continue }
                if let last = run.last, !partners(last, a) { close() }
                run.append(a)
            }
            close()
        }
        #expect(checked > 20, "\(checked) true chains of at least \(n) hits")
    }

    @Test("a pair selection builds exactly the wanted segments of the full search, in its order, on any number of threads")
    func pairSelection() throws {
        let graph = try LayerGraph(detector: .trackMLFull, propagation: .init(minPT: 1))
        let cuts = SegmentCuts(minPT: 1)
        // Every 7th hit sends to all, every 5th receives from all, every 3rd is in the group (as are those).
        let n = event.hits.count
        let sends = (0..<n).map { $0 % 7 == 0 }, receives = (0..<n).map { $0 % 5 == 0 }
        let group = (0..<n).map { $0 % 3 == 0 || sends[$0] || receives[$0] }
        let wanted = candidates.filter { s in
            let i = Int(s.from), j = Int(s.to)
            return sends[i] || receives[j] || (group[i] && group[j])
        }
        #expect(wanted.count > 100 && wanted.count < candidates.count / 2)
        for workers in [1, 2] {
            let selected = GraphSegmentBuilder.segments(hits: event.hits, graph: graph, cuts: cuts, workers: workers,
                                                        selection: .init(sendsToAll: sends, group: group, receivesFromAll: receives))
            #expect(selected == wanted)
        }
    }
}
