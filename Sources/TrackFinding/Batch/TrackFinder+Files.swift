import EnergyCore
import EnergyFormats
import Foundation

/// Track finding on event files: one hit file, or a folder of them split into shards and run on
/// several workers. Each event has its own random stream, seeded from a seed and the event's file
/// name, so a submission depends neither on the number of workers nor on the shard.
extension TrackFinder {
    /// The random stream of the event in the file at `path`: `seed` mixed with the file's name by
    /// FNV-1a (the folder does not matter), so that it does not depend on scheduling.
    public static func random(seed: UInt64, forEvent path: String) -> RandomSource {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in (path as NSString).lastPathComponent.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return RandomSource(seed: seed ^ h)
    }

    /// Reads the hits of `hitsFile`, reconstructs them with the event's stream (`random(seed:forEvent:)`)
    /// and writes the submission atomically to `submission`, with `eventID` (by default the number
    /// in the file name, else 0). `observe` sees the mean-field state after every temperature.
    ///
    /// - Throws: `InputError` for an unreadable hit file, or a `submission` that is the hit file.
    @discardableResult
    public func reconstruct(hitsFile: String, submission: String, seed: UInt64, eventID: Int? = nil,
                            observe: ((Int, AnnealingStep, [Double]) -> Void)? = nil) throws -> EventReport {
        try AtomicFile.checkOutput(submission, isNotAnyOf: [hitsFile])
        return try reconstructEvent(hitsFile: hitsFile, submission: submission, seed: seed, eventID: eventID, observe: observe)
    }

    /// Reconstructs every event of `shard` of `folder` on `workers` threads, writing
    /// `eventNNN-submission.csv` into `outputFolder` (created if need be) for each `eventNNN-hits.csv`.
    /// An event that fails is reported in `BatchReport.failures`; the others are still written.
    /// `progress` sees one task with one step per event.
    ///
    /// - Throws: `InputError` when `outputFolder` cannot be created.
    public func reconstruct(folder: EventFolder, shard: Shard = .whole, outputFolder: String, seed: UInt64, workers: Int = 1,
                            progress: (any ProgressObserver)? = nil) throws -> BatchReport {
        let files = folder.hitFiles(in: shard)
        do {
            try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: outputFolder, "cannot create the output folder")
        }
        var outcomes = [Result<EventReport, EventFailure>?](repeating: nil, count: files.count)
        let lock = NSLock()
        let workers = max(1, min(workers, files.count))
        progress?.begin("events", total: files.count)
        Parallel.run(workers: workers) { w in
            for k in stride(from: w, to: files.count, by: workers) {
                let input = (folder.path as NSString).appendingPathComponent(files[k])
                let output = (outputFolder as NSString).appendingPathComponent(EventFolder.submissionName(for: files[k]))
                let outcome: Result<EventReport, EventFailure>
                do {
                    outcome = .success(try reconstructEvent(hitsFile: input, submission: output, seed: seed, eventID: nil, observe: nil))
                } catch {
                    outcome = .failure(EventFailure(hitsFile: input, error: error))
                }
                lock.lock()
                outcomes[k] = outcome
                progress?.advance(by: 1)
                lock.unlock()
            }
        }
        progress?.end()
        let done = outcomes.compactMap { $0 }
        return BatchReport(shard: shard, outputFolder: outputFolder, events: done.compactMap { try? $0.get() },
                           failures: done.compactMap { if case .failure(let f) = $0 { return f } else { return nil } })
    }

    /// One event, read, reconstructed and written (see `reconstruct(hitsFile:submission:seed:eventID:observe:)`).
    private func reconstructEvent(hitsFile: String, submission: String, seed: UInt64, eventID: Int?,
                                  observe: ((Int, AnnealingStep, [Double]) -> Void)?) throws -> EventReport {
        let start = Date()
        let hits = try HitFile.read(hitsFile)
        let r = try reconstruct(hits, random: Self.random(seed: seed, forEvent: hitsFile), observe: observe)
        let ids = r.trackIDs(hitCount: hits.count)
        let event = eventID ?? EventFolder.eventNumber(hitsFile) ?? 0
        try AtomicFile.write(SubmissionFile.format(eventID: event, hits: hits, trackIDs: ids), to: submission)
        return EventReport(hitsFile: hitsFile, submissionFile: submission, eventID: event, hitCount: hits.count,
                           layerCount: r.layout.layers.count, geometry: r.layout.geometry, candidateSegments: r.candidateSegments,
                           neurons: r.network.count, chainCount: r.network.chainCount, conflictCount: r.network.conflictCount,
                           trackCount: r.tracks.count, unassignedHits: ids.filter { $0 == 0 }.count, seconds: r.seconds,
                           totalSeconds: Date().timeIntervalSince(start), layerGraph: configuration.layerGraph != nil)
    }
}
