import Foundation

/// How well a reconstruction matches the truth.
///
/// **TrackML score** (Amrouche et al. 2019): a reconstructed track t and a particle p match when
/// more than half of t's hits come from p *and* more than half of p's hits are in t (the double
/// majority rule). The score is the sum of the truth weights of the hits shared by each matched
/// (t, p) pair, over the total weight. Noise (particle 0) never matches; hits on track 0 are on no
/// track.
///
/// **Tracking rates**, over particles with at least `minHits` hits ("reconstructable"):
/// - efficiency: the fraction of reconstructable particles matched by a track;
/// - fake rate: the fraction of tracks whose majority particle holds no more than half of the track;
/// - duplicate rate: the fraction of tracks that are pure (more than half of their hits from one
///   particle) but hold no more than half of that particle's hits: pieces of a split track;
/// - segment precision and recall: pairs of consecutive hits of a track that are consecutive hits of
///   one particle, over all reconstructed pairs and over all true pairs.
public struct TrackingScore: Equatable, Sendable {
    public var score: Double
    public var efficiency: Double
    public var fakeRate: Double
    public var duplicateRate: Double
    public var segmentPrecision: Double
    public var segmentRecall: Double
    /// Counts behind the rates: tracks, reconstructable particles, and those matched.
    public var tracks: Int, particles: Int, matched: Int

    public init(score: Double, efficiency: Double, fakeRate: Double, duplicateRate: Double, segmentPrecision: Double,
                segmentRecall: Double, tracks: Int, particles: Int, matched: Int) {
        self.score = score
        self.efficiency = efficiency
        self.fakeRate = fakeRate
        self.duplicateRate = duplicateRate
        self.segmentPrecision = segmentPrecision
        self.segmentRecall = segmentRecall
        self.tracks = tracks
        self.particles = particles
        self.matched = matched
    }

    /// Scores `trackIDs` (one per hit, 0 = no track) against `truth` (same order as `hits`).
    /// Consecutive hits are ordered by distance from the origin, the flight order of particles from
    /// the interaction region or target.
    public static func evaluate(hits: [Hit], truth: [TruthHit], trackIDs: [Int], minHits: Int = 3) -> TrackingScore {
        let trackHits = Hit.groups(byLabel: trackIDs), particleGroups = Hit.groups(byLabel: truth.map(\.particleID))
        let particleHits = Dictionary(uniqueKeysWithValues: particleGroups.map { ($0.label, $0.members) })
        let totalWeight = truth.reduce(0) { $0 + $1.weight }

        var score = 0.0, fakes = 0, duplicates = 0
        var matchedParticles = Set<Int>()
        for (_, members) in trackHits {
            var counts: [Int: Int] = [:]
            for h in members { counts[truth[h].particleID, default: 0] += 1 }
            guard let (particle, shared) = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }),
                  particle != 0, 2 * shared > members.count else {
                fakes += 1
                continue
            }
            let particleSize = particleHits[particle]?.count ?? 0
            if 2 * shared > particleSize {
                matchedParticles.insert(particle)
                score += members.reduce(0) { $0 + (truth[$1].particleID == particle ? truth[$1].weight : 0) }
            } else {
                duplicates += 1
            }
        }
        let reconstructable = particleHits.filter { $0.value.count >= minHits }
        let matched = reconstructable.keys.filter { matchedParticles.contains($0) }.count

        func pairs(_ groups: [(label: Int, members: [Int])]) -> Set<[Int]> {
            var out = Set<[Int]>()
            for g in groups {
                let ordered = hits.flightOrdered(g.members)
                for k in 1..<max(1, ordered.count) { out.insert([ordered[k - 1], ordered[k]]) }
            }
            return out
        }
        let recoPairs = pairs(trackHits), truePairs = pairs(particleGroups)
        let common = recoPairs.intersection(truePairs).count
        let tracks = trackHits.count
        return TrackingScore(score: totalWeight > 0 ? score / totalWeight : 0,
                             efficiency: reconstructable.isEmpty ? 0 : Double(matched) / Double(reconstructable.count),
                             fakeRate: tracks == 0 ? 0 : Double(fakes) / Double(tracks),
                             duplicateRate: tracks == 0 ? 0 : Double(duplicates) / Double(tracks),
                             segmentPrecision: recoPairs.isEmpty ? 0 : Double(common) / Double(recoPairs.count),
                             segmentRecall: truePairs.isEmpty ? 0 : Double(common) / Double(truePairs.count),
                             tracks: tracks, particles: reconstructable.count, matched: matched)
    }
}

extension TrackingScore {
    /// Scores the submission in `submission` against the TrackML truth in `truth`, each hit placed
    /// at its true position (`tx, ty, tz`), so no hit file is needed (see `evaluate(hits:truth:trackIDs:minHits:)`).
    ///
    /// - Throws: `InputError` for a truth file without `hit_id, particle_id, tx, ty, tz, weight`, or a
    ///   submission that does not have one row for each of its hits.
    public static func evaluate(truth: String, submission: String, minHits: Int = 3) throws -> TrackingScore {
        let t = try TruthFile.read(truth, required: ["hit_id", "particle_id", "tx", "ty", "tz", "weight"])
        let hits = t.map { Hit(id: $0.hitID, x: $0.tx, y: $0.ty, z: $0.tz, layer: LayerID(volume: 0, layer: 0)) }
        let tracks = try SubmissionFile.read(submission, matching: hits, hitsFile: truth)
        return evaluate(hits: hits, truth: t, trackIDs: tracks, minHits: minHits)
    }
}
