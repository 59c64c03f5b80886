import EnergyCore
import Foundation

extension LayerGraph {
    /// The graph real tracks make in the events of `folder` (`init(truth:minPT:minCount:source:)`):
    /// each `eventNNN-hits.csv` is read with its `eventNNN-truth.csv`.
    ///
    /// - Throws: `InputError` for an unreadable hit or truth file, or truth that does not match the hits.
    public init(truthOf folder: EventFolder, minPT: Double = 0, minCount: Int = 1) throws {
        var events: [(hits: [Hit], truth: [TruthHit])] = []
        for name in folder.hitFiles {
            let hitsFile = (folder.path as NSString).appendingPathComponent(name)
            let truthFile = (folder.path as NSString).appendingPathComponent(EventFolder.truthName(for: name))
            let hits = try HitFile.read(hitsFile)
            events.append((hits, try TruthFile.read(truthFile, matching: hits, hitsFile: hitsFile)))
        }
        let cut = minPT > 0 ? ", pT ≥ \(minPT) GeV" : ""
        self.init(truth: events, minPT: minPT, minCount: minCount,
                  source: "truth of \(events.count) event(s) in \(folder.path)\(cut), links of ≥ \(max(1, minCount)) particle(s)")
    }
}
