import EnergyCore
import Foundation

/// A folder of events in the TrackML layout, one `eventNNN-hits.csv` per event, as
/// `EventGenerator.write(events:prefix:random:onEvent:)` writes them with the prefix `DIR/event`.
public struct EventFolder: Sendable {
    /// The folder's path.
    public let path: String
    /// The names of its hit files, `event…-hits.csv`, sorted.
    public let hitFiles: [String]

    /// Lists the hit files of the folder at `path`.
    ///
    /// - Throws: `InputError` naming the folder when it cannot be listed or holds no `eventNNN-hits.csv`.
    public init(_ path: String) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw InputError(file: path, "cannot list the folder; expected a folder of eventNNN-hits.csv files")
        }
        hitFiles = names.filter { $0.hasPrefix("event") && $0.hasSuffix(Self.hitsSuffix) }.sorted()
        guard !hitFiles.isEmpty else { throw InputError(file: path, "no eventNNN-hits.csv files in the folder") }
        self.path = path
    }

    /// The names of the hit files of `shard`: every n-th file of `hitFiles`, from the i-th.
    public func hitFiles(in shard: Shard) -> [String] {
        hitFiles.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }

    /// The submission's name for a hit file: `eventNNN-hits.csv` → `eventNNN-submission.csv`.
    public static func submissionName(for hitFile: String) -> String { sibling(of: hitFile, kind: "submission") }

    /// The truth file's name for a hit file: `eventNNN-hits.csv` → `eventNNN-truth.csv`.
    public static func truthName(for hitFile: String) -> String { sibling(of: hitFile, kind: "truth") }

    /// `eventNNN-KIND.csv` for `eventNNN-hits.csv`.
    static func sibling(of hitFile: String, kind: String) -> String {
        let name = (hitFile as NSString).lastPathComponent
        let stem = name.hasSuffix(hitsSuffix) ? String(name.dropLast(hitsSuffix.count)) : (name as NSString).deletingPathExtension
        return stem + "-" + kind + ".csv"
    }

    /// The number after `event` in a file name (`event000000042-hits.csv` → 42), or nil.
    public static func eventNumber(_ path: String) -> Int? {
        let name = (path as NSString).lastPathComponent
        guard let r = name.range(of: "event") else { return nil }
        return Int(name[r.upperBound...].prefix { $0.isNumber })
    }

    static let hitsSuffix = "-hits.csv"
}

/// The part of a data set one job processes: shard i of n (1 ≤ i ≤ n) takes every n-th event
/// starting with the i-th, so that the n jobs of a Slurm or HTCondor array cover the data set once.
public struct Shard: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// i, from 1.
    public let index: Int
    /// n.
    public let count: Int

    /// Shard `index` of `count`, or nil unless 1 ≤ index ≤ count.
    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// The whole data set: shard 1 of 1.
    public static let whole = Shard(unchecked: 1, 1)

    private init(unchecked index: Int, _ count: Int) {
        self.index = index
        self.count = count
    }

    /// `i/n`.
    public var description: String { "\(index)/\(count)" }
}
