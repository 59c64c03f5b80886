import ArgumentParser
import EnergyCore
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
    @Option(help: ArgumentHelp("Process the i-th of n shards of --events (1 ≤ i ≤ n).", valueName: "i/n")) var shard: Shard?
    @Option(help: "event_id written to the submission (default: the number in the file name, else 0).") var eventID: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Flag(help: "Print the energy, T, neurons with V > 0.5 and mean |ΔV| at every temperature (--hits).") var verbose = false
    @Flag(help: "No progress display (--events).") var quiet = false
    @OptionGroup var finder: FinderOptions

    func validate() throws {
        if (hits == nil) == (events == nil) { throw ValidationError("give either --hits FILE or --events DIR") }
        if hits != nil, output == nil { throw ValidationError("--hits needs --output SUB.csv") }
        if events != nil, outputDir == nil { throw ValidationError("--events needs --output-dir OUT") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if hits != nil, shard != nil { throw ValidationError("--shard applies to --events, not --hits") }
    }

    func run() throws {
        let finder = try self.finder.finder()
        if let hits, let output {
            let report = try finder.reconstruct(hitsFile: hits, submission: output, seed: seed, eventID: eventID) { index, step, _ in
                if verbose { print(TrackingText.step(index, step)) }
            }
            print(TrackingText.event(report))
        } else if let events, let outputDir {
            let report = try finder.reconstruct(folder: EventFolder(events), shard: shard ?? .whole, outputFolder: outputDir, seed: seed,
                                                workers: jobs, progress: ProgressReporter(quiet: quiet))
            for event in report.events { print(TrackingText.event(event)) }
            for failure in report.failures { FileHandle.standardError.write(Data("ebm: error: \(failure)\n".utf8)) }
            print("shard \(report.shard): \(report.events.count) of \(report.eventCount) events reconstructed into \(outputDir)")
            if !report.failures.isEmpty { throw CommandFailure("\(report.failures.count) event(s) failed; see the errors above") }
        }
    }
}
