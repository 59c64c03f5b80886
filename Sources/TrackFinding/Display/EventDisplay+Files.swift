import EnergyCore
import Foundation

/// Displays of event files: what `EventDisplay` draws, read from the files a user has.
extension EventDisplay {
    /// An SVG and what it shows.
    public struct Drawing: Sendable {
        /// The SVG document.
        public var svg: String
        /// Hits drawn; tracks or particles drawn (0 for annealing frames).
        public var hitCount: Int, trackCount: Int
        /// Annealing frames drawn, and the neurons in each (0 for an event display).
        public var frameCount: Int, neuronCount: Int
    }

    /// The display of the event in `hitsFile` (layers ordered by `geometry`) with the tracks of
    /// `submission`, or else the particles of `truth`, or else the hits alone.
    ///
    /// - Throws: `InputError` for a bad hit file, or a submission or truth that does not match it.
    public static func drawing(hitsFile: String, submission: String? = nil, truth: String? = nil,
                               geometry: DetectorGeometry = .auto) throws -> Drawing {
        let hits = try HitFile.read(hitsFile)
        var labels: [Int]?
        if let submission {
            labels = try SubmissionFile.read(submission, matching: hits, hitsFile: hitsFile)
        } else if let truth {
            labels = try TruthFile.read(truth, matching: hits, hitsFile: hitsFile).map(\.particleID)
        }
        let groups = labels.map { Hit.groups(byLabel: $0).map { hits.flightOrdered($0.members) } } ?? []
        let layout = LayerLayout(hits: hits, geometry: geometry)
        let text = svg(hits: hits, groups: groups, geometry: layout.geometry, title: (hitsFile as NSString).lastPathComponent)
        return Drawing(svg: text, hitCount: hits.count, trackCount: groups.count, frameCount: 0, neuronCount: 0)
    }

    /// The neurons' activity while `finder` settles the event in `hitsFile` with the event's stream
    /// (`TrackFinder.random(seed:forEvent:)`): five frames, at the first temperature, a quarter, half
    /// and three quarters of the way, and the last (`frames(hits:segments:geometry:frames:)`).
    ///
    /// - Throws: `InputError` for a bad hit file.
    public static func annealingFrames(hitsFile: String, finder: TrackFinder, seed: UInt64) throws -> Drawing {
        let hits = try HitFile.read(hitsFile)
        var snapshots: [(index: Int, step: AnnealingStep, activations: [Double])] = []
        let r = try finder.reconstruct(hits, random: TrackFinder.random(seed: seed, forEvent: hitsFile)) { snapshots.append(($0, $1, $2)) }
        let n = snapshots.count
        let picks = Set([0, n / 4, n / 2, 3 * n / 4, n - 1].filter { $0 >= 0 })
        let chosen = snapshots.filter { picks.contains($0.index) }.map {
            (label: "step \($0.index), T = \(String(format: "%.3g", $0.step.temperature)), \($0.step.active) with V > 0.5",
             activations: $0.activations)
        }
        let text = frames(hits: hits, segments: r.network.segments, geometry: r.layout.geometry, frames: chosen)
        return Drawing(svg: text, hitCount: hits.count, trackCount: 0, frameCount: chosen.count, neuronCount: r.network.count)
    }
}
