import EnergyCore
import Foundation

/// One event with its truth, for tuning a configuration (`TrackFinderTuner`): the hits, the truth
/// in the same order, and a name that seeds the event's random stream (`TrackFinder.random(seed:forEvent:)`),
/// so that an event gets the same stream whether it is tuned on, held out or run by `reconstruct(folder:…)`.
public struct TuningEvent: Sendable {
    /// The event's name, e.g. its hit file's name.
    public var name: String
    public var hits: [Hit]
    public var truth: [TruthHit]

    /// An event from arrays; `truth[i]` is the truth of `hits[i]`.
    ///
    /// - Throws: `InputError` naming the event when the counts differ.
    public init(name: String, hits: [Hit], truth: [TruthHit]) throws {
        guard hits.count == truth.count else {
            throw InputError(file: name, "\(hits.count) hits but \(truth.count) truth rows")
        }
        self.name = name
        self.hits = hits
        self.truth = truth
    }

    /// The event of a hit file `…-hits.csv` and the truth file beside it (`…-truth.csv`).
    ///
    /// - Throws: `InputError` for an unreadable hit or truth file, or a truth file that does not
    ///   match the hits.
    public static func read(hitsFile: String) throws -> TuningEvent {
        let hits = try HitFile.read(hitsFile)
        let folder = (hitsFile as NSString).deletingLastPathComponent
        let truthFile = (folder as NSString).appendingPathComponent(EventFolder.truthName(for: hitsFile))
        let truth = try TruthFile.read(truthFile, matching: hits, hitsFile: hitsFile)
        return try TuningEvent(name: (hitsFile as NSString).lastPathComponent, hits: hits, truth: truth)
    }

    /// The events of several sources, in order: each is a folder (every `eventNNN-hits.csv` in it,
    /// `EventFolder`) or a hit file; each hit file needs its `…-truth.csv` beside it.
    ///
    /// - Throws: `InputError` for a source that is neither, or an event that cannot be read.
    public static func read(_ sources: [String]) throws -> [TuningEvent] {
        var events: [TuningEvent] = []
        for source in sources {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder) else {
                throw InputError(file: source, "no such file or folder; expected a folder of eventNNN-hits.csv files or a hit file")
            }
            if isFolder.boolValue {
                let folder = try EventFolder(source)
                for file in folder.hitFiles { events.append(try read(hitsFile: (source as NSString).appendingPathComponent(file))) }
            } else {
                events.append(try read(hitsFile: source))
            }
        }
        return events
    }
}
