import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import TrackFinding

/// `ebm tracks find`: reconstruct the tracks of one hit file, or of every event in a folder.
struct TracksFind: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find tracks in TrackML hit files and write TrackML submissions.",
        discussion: """
        One event: --hits FILE --output SUB.csv. A data set: --events DIR --output-dir OUT processes every \
        eventNNN-hits.csv in DIR, --jobs at a time, writing OUT/eventNNN-submission.csv; --shard i/n (1 ≤ i ≤ n) \
        takes every n-th event starting with the i-th, so a Slurm or HTCondor job array can split a data set. \
        Each event's random stream is seeded from --seed and its file name, so results do not depend on \
        --jobs or --shard.
        """)

    @Option(help: "Hits of one event (TrackML or hit_id,x,y,z,layer CSV).") var hits: String?
    @Option(help: "The submission to write for --hits.") var output: String?
    @Option(help: "A folder of eventNNN-hits.csv files.") var events: String?
    @Option(help: "Where to write eventNNN-submission.csv for --events.") var outputDir: String?
    @Option(help: "Events processed at once with --events.") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "i/n: process the i-th of n shards of --events.") var shard: String?
    @Option(help: "event_id written to the submission (default: the number in the file name, else 0).") var eventID: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Flag(help: "Print the energy, T, neurons with V > 0.5 and mean |ΔV| at every temperature.") var verbose = false
    @OptionGroup var finder: FinderOptions

    func validate() throws {
        if (hits == nil) == (events == nil) { throw ValidationError("give either --hits FILE or --events DIR") }
        if hits != nil, output == nil { throw ValidationError("--hits needs --output SUB.csv") }
        if events != nil, outputDir == nil { throw ValidationError("--events needs --output-dir OUT") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if hits != nil, shard != nil { throw ValidationError("--shard applies to --events, not --hits") }
        _ = try parseShard()
    }

    func run() throws {
        let finder = try self.finder.finder()
        if let hits, let output {
            try AtomicFile.checkOutput(output, isNotAnyOf: [hits])
            let summary = try Self.process(hits: hits, output: output, eventID: eventID, finder: finder, seed: seed, verbose: verbose)
            print(summary)
            return
        }
        guard let events, let outputDir else { return }
        let (index, count) = try parseShard()
        let all = try FileManager.default.contentsOfDirectory(atPath: events)
            .filter { $0.hasPrefix("event") && $0.hasSuffix("-hits.csv") }.sorted()
        guard !all.isEmpty else { throw InputError(file: events, "no eventNNN-hits.csv files in the folder") }
        let mine = all.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
        try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        var lines = [String?](repeating: nil, count: mine.count)
        var failures = [String?](repeating: nil, count: mine.count)
        let lock = NSLock()
        let workers = min(jobs, mine.count)
        Parallel.run(workers: workers) { w in
            for k in stride(from: w, to: mine.count, by: workers) {
                let name = mine[k]
                let input = (events as NSString).appendingPathComponent(name)
                let output = (outputDir as NSString).appendingPathComponent(name.replacingOccurrences(of: "-hits.csv", with: "-submission.csv"))
                let result: Result<String, Error> = Result { try Self.process(hits: input, output: output, eventID: nil, finder: finder, seed: seed, verbose: false) }
                lock.lock()
                switch result {
                case .success(let s): lines[k] = s
                case .failure(let e): failures[k] = "\(e)"
                }
                lock.unlock()
            }
        }
        for line in lines.compactMap({ $0 }) { print(line) }
        let failed = failures.compactMap { $0 }
        for f in failed { FileHandle.standardError.write(Data("ebm: error: \(f)\n".utf8)) }
        print("shard \(index)/\(count): \(mine.count - failed.count) of \(mine.count) events reconstructed into \(outputDir)")
        if !failed.isEmpty { throw CommandFailure("\(failed.count) event(s) failed; see the errors above") }
    }

    func parseShard() throws -> (Int, Int) {
        guard let shard else { return (1, 1) }
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
            throw InputError(file: "--shard", "expected i/n with 1 ≤ i ≤ n, got '\(shard)'")
        }
        return (parts[0], parts[1])
    }

    /// The number in an `eventNNN` file name.
    static func eventNumber(_ path: String) -> Int? {
        let name = (path as NSString).lastPathComponent
        guard let r = name.range(of: "event") else { return nil }
        return Int(name[r.upperBound...].prefix { $0.isNumber })
    }

    /// A stream per event: the seed mixed with the file name (FNV-1a), independent of scheduling.
    static func random(seed: UInt64, for path: String) -> RandomSource {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in (path as NSString).lastPathComponent.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return RandomSource(seed: seed ^ h)
    }

    /// Reconstructs one event and writes its submission; returns the summary line.
    static func process(hits path: String, output: String, eventID: Int?, finder: TrackFinder, seed: UInt64, verbose: Bool) throws -> String {
        let start = Date()
        let hits = try HitFile.read(path)
        let reconstruction = try finder.reconstruct(hits, random: random(seed: seed, for: path)) { index, step, _ in
            if verbose {
                print(String(format: "  step %3d  T %8.4f  E %12.4f  V>0.5 %6d  mean|ΔV| %.5f  sweeps %d",
                             index, step.temperature, step.energy, step.active, step.meanChange, step.sweeps))
            }
        }
        let ids = reconstruction.trackIDs(hitCount: hits.count)
        try AtomicFile.write(SubmissionFile.format(eventID: eventID ?? eventNumber(path) ?? 0, hits: hits, trackIDs: ids), to: output)
        let n = reconstruction.network, t = reconstruction.seconds
        return String(format: "%@: %d hits on %d layers (%@), %d segments pass the cuts, %d neurons with a chain partner, %d connections + %d fork/join pairs; %d tracks, %d hits on none; "
                      + "network %.3f s, solve %.3f s, extract %.3f s, total %.3f s",
                      path, hits.count, reconstruction.layout.layers.count, reconstruction.layout.geometry.rawValue, reconstruction.candidateSegments, n.count, n.chainCount,
                      n.conflictCount, reconstruction.tracks.count, ids.filter { $0 == 0 }.count, t.build, t.solve, t.extract,
                      Date().timeIntervalSince(start))
    }
}
