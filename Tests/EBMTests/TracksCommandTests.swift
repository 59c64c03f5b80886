import Foundation
import TestSupport
import Testing
import TrackFinding
@testable import ebm

@Suite("ebm tracks")
struct TracksCommandTests {
    let dir = TemporaryFolder()

    @Test("generate, find (one event and a sharded folder), score and draw work end to end")
    func endToEnd() throws {
        let prefix = dir.file("events/event")
        var r = try ebm(["tracks", "generate", "--detector", "barrel", "--tracks", "40", "--noise", "0.1", "--events", "3",
                         "--pt-min", "1", "--seed", "4", "--out", prefix])
        #expect(r.status == 0, "\(r.stderr)")
        let hits = prefix + "000000001-hits.csv", truth = prefix + "000000001-truth.csv", sub = dir.file("sub.csv")
        r = try ebm(["tracks", "find", "--hits", hits, "--output", sub, "--seed", "2"])
        #expect(r.status == 0 && r.stdout.contains("(barrel)"), "\(r.stderr)")
        let first = try String(contentsOfFile: sub, encoding: .utf8)
        #expect(first.hasPrefix("event_id,hit_id,track_id\n1,"))
        r = try ebm(["tracks", "find", "--hits", hits, "--output", sub, "--seed", "2"])
        #expect(try String(contentsOfFile: sub, encoding: .utf8) == first)
        r = try ebm(["tracks", "score", "--truth", truth, "--submission", sub])
        let score = Double(r.stdout.split(separator: " ")[2].trimmingCharacters(in: CharacterSet(charactersIn: ";"))) ?? 0
        #expect(r.status == 0 && score > 0.95, "\(r.stdout)")
        // Shards 1/2 and 2/2 together cover the folder, and agree with the single-event run.
        for shard in ["1/2", "2/2"] {
            r = try ebm(["tracks", "find", "--events", dir.file("events"), "--output-dir", dir.file("out"), "--shard", shard, "--jobs", "2", "--seed", "2"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.file("out")).sorted()
        #expect(written == (1...3).map { String(format: "event%09d-submission.csv", $0) })
        #expect(try String(contentsOfFile: dir.file("out/event000000001-submission.csv"), encoding: .utf8) == first)
        r = try ebm(["tracks", "draw", "--hits", hits, "--truth", truth, "--out", dir.file("event.svg")])
        let display = try String(contentsOfFile: dir.file("event.svg"), encoding: .utf8)
        #expect(r.status == 0 && display.contains("<polyline"))
        r = try ebm(["tracks", "draw", "--hits", hits, "--frames", "--out", dir.file("frames.svg")])
        let frames = try String(contentsOfFile: dir.file("frames.svg"), encoding: .utf8)
        #expect(r.status == 0 && frames.contains("stroke-opacity"))
    }

    @Test("map from geometry and from truth, then find along the map on a full-detector pile-up event")
    func layerMap() throws {
        let prefix = dir.file("full/event")
        var r = try ebm(["tracks", "generate", "--detector", "full", "--pileup", "10", "--noise", "0.1", "--focus-pt", "1", "--seed", "5", "--out", prefix])
        #expect(r.status == 0, "\(r.stderr)")
        let map = dir.file("map.json"), learned = dir.file("learned.json")
        r = try ebm(["tracks", "map", "--detector", "trackml-full", "--min-pt", "0.9", "--output", map])
        #expect(r.status == 0 && r.stdout.contains("48 layers"), "\(r.stdout) \(r.stderr)")
        r = try ebm(["tracks", "map", "--events", dir.file("full"), "--output", learned])
        #expect(r.status == 0 && r.stdout.contains("truth of 1 event"), "\(r.stdout) \(r.stderr)")
        let sub = dir.file("full-sub.csv")
        r = try ebm(["tracks", "find", "--hits", prefix + "-hits.csv", "--output", sub, "--layer-map", map, "--threads", "2", "--min-pt", "0.9",
                     "--max-z0", "150", "--no-skip-layers", "--max-angle", "0.007", "--rz-resolution", "0.003", "--second-pass", "--confident-hits", "8",
                     "--second-max-angle", "0.02", "--join-passes"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try ebm(["tracks", "score", "--truth", prefix + "-truth.csv", "--submission", sub])
        let score = Double(r.stdout.split(separator: " ")[2].trimmingCharacters(in: CharacterSet(charactersIn: ";"))) ?? 0
        #expect(score > 0.9, "\(r.stdout)")
        r = try ebm(["tracks", "map", "--output", map])
        #expect(r.status == 2)
        r = try ebm(["tracks", "find", "--hits", prefix + "-hits.csv", "--output", sub, "--layer-map", dir.write("bad.json", "{}")])
        #expect(r.status == 1 && r.stderr.contains("bad.json"), "\(r.stderr)")
    }

    @Test("find --detector trackml-full reconstructs a small full-detector event; command-line options override a configuration file")
    func detectorConfiguration() throws {
        let prefix = dir.file("cfg/event")
        var r = try ebm(["tracks", "generate", "--detector", "full", "--pileup", "5", "--noise", "0.1", "--focus-pt", "1", "--seed", "7", "--out", prefix])
        #expect(r.status == 0, "\(r.stderr)")
        let sub = dir.file("cfg-sub.csv")
        r = try ebm(["tracks", "find", "--hits", prefix + "-hits.csv", "--output", sub, "--detector", "trackml-full"])
        #expect(r.status == 0, "\(r.stderr)")
        // Endcap hits along the layer map: the summary does not call the event a barrel.
        #expect(r.stdout.contains("on 48 layers (layer map)"), "\(r.stdout)")
        r = try ebm(["tracks", "score", "--truth", prefix + "-truth.csv", "--submission", sub])
        let score = Double(r.stdout.split(separator: " ")[2].trimmingCharacters(in: CharacterSet(charactersIn: ";"))) ?? 0
        #expect(score > 0.9, "\(r.stdout)")
        // The preset written to a file, with two options overridden; then the file read by find and
        // config with a third override: each option beats the file, the rest stays the preset's.
        let file = dir.file("mine.json"), again = dir.file("again.json")
        r = try ebm(["tracks", "config", "--detector", "trackml-full", "--min-pt", "1.2", "--no-second-pass", "--output", file])
        #expect(r.status == 0 && r.stdout.contains("48 layers"), "\(r.stderr)")
        var c = try TrackFinderConfiguration.read(file)
        #expect(c.cuts.minPT == 1.2 && c.secondPass == nil && c.energy.maxAngle == 0.007 && c.layerGraph?.layers.count == 48)
        #expect(c.description.hasPrefix("TrackML-like full detector") && c.description.hasSuffix("Changed by command-line options of ebm tracks config."))
        r = try ebm(["tracks", "config", "--detector", file, "--max-angle", "0.02", "--threads", "1", "--output", again])
        #expect(r.status == 0, "\(r.stderr)")
        c = try TrackFinderConfiguration.read(again)
        #expect(c.cuts.minPT == 1.2 && c.energy.maxAngle == 0.02 && c.workers == 1 && c.cuts.maxZ0 == 150)
        r = try ebm(["tracks", "find", "--hits", prefix + "-hits.csv", "--output", sub, "--detector", file, "--second-pass", "--confident-hits", "9"])
        #expect(r.status == 0, "\(r.stderr)")
        // The extraction's yielding chains and the restoring of short tracks, by option.
        r = try ebm(["tracks", "config", "--detector", "trackml-barrel", "--yielding-chain-hits", "2", "--no-restore-short-tracks", "--output", again])
        #expect(r.status == 0, "\(r.stderr)")
        c = try TrackFinderConfiguration.read(again)
        #expect(c.extraction.yieldingChainHits == 2 && c.secondPass?.restoresShortTracks == false && c.cuts.maxZ0 == 200)
        r = try ebm(["tracks", "config", "--detector", "trackml-barrel", "--yielding-chain-hits", "1001", "--output", again])
        #expect(r.status == 2 && r.stderr.contains("--yielding-chain-hits"), "\(r.stderr)")
        // Errors: a bad file exits 1 naming the file and field; a bad option over a good file exits 2 naming the option.
        let bad = dir.write("bad-cfg.json", "{\"format\": \"energymodels.tracks-configuration\", \"energy\": {\"maxAngle\": 7}}")
        r = try ebm(["tracks", "find", "--hits", prefix + "-hits.csv", "--output", sub, "--detector", bad])
        #expect(r.status == 1 && r.stderr.contains("bad-cfg.json") && r.stderr.contains("energy.maxAngle"), "\(r.stderr)")
        r = try ebm(["tracks", "find", "--hits", prefix + "-hits.csv", "--output", sub, "--detector", file, "--max-angle", "7"])
        #expect(r.status == 2 && r.stderr.contains("--max-angle"), "\(r.stderr)")
        r = try ebm(["tracks", "find", "--hits", prefix + "-hits.csv", "--output", sub, "--detector", "trackml-fll"])
        #expect(r.status == 2 && r.stderr.contains("trackml-full"), "\(r.stderr)")
        r = try ebm(["tracks", "config", "--list"])
        #expect(r.status == 0 && r.stdout.contains("excharm-planar:"), "\(r.stderr)")
    }

    @Test("bad hit files and mismatched truth exit 1 with the file and line; the input is never overwritten")
    func errors() throws {
        let bad = dir.write("bad.csv", "hit_id,x,y,z,layer\n1,0,0,1,1\n2,0,abc,2,2\n")
        var r = try ebm(["tracks", "find", "--hits", bad, "--output", dir.file("s.csv")])
        #expect(r.status == 1 && r.stderr.contains("bad.csv") && r.stderr.contains("line 3"))
        let good = dir.write("good-hits.csv", "hit_id,x,y,z,layer\n1,0,0,600,1\n2,0,0,800,2\n3,0,0,1000,3\n")
        r = try ebm(["tracks", "find", "--hits", good, "--output", good])
        #expect(r.status == 1)
        #expect(try String(contentsOfFile: good, encoding: .utf8).hasPrefix("hit_id,x,y,z,layer"))
        let sub = dir.write("s2.csv", "event_id,hit_id,track_id\n0,1,1\n0,2,1\n0,3,1\n")
        let truth = dir.write("t.csv", "hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n1,1,0,0,600,0,0,1,0.5\n9,1,0,0,800,0,0,1,0.5\n")
        r = try ebm(["tracks", "score", "--truth", truth, "--submission", sub])
        #expect(r.status == 1 && r.stderr.contains("t.csv"))
        let dupTruth = dir.write("dt.csv", "hit_id,particle_id,tx,ty,tz,weight\n1,1,0,0,600,0.5\n1,1,0,0,800,0.5\n")
        r = try ebm(["tracks", "score", "--truth", dupTruth, "--submission", sub])
        #expect(r.status == 1 && r.stderr.contains("dt.csv: line 3, column 'hit_id': duplicate hit_id 1 (first on line 2)"))
        r = try ebm(["tracks", "find", "--events", dir.path, "--output-dir", dir.file("o"), "--shard", "3/2"])
        #expect(r.status == 2 && r.stderr.contains("--shard"))
    }

    @Test("settings the library refuses are usage errors (exit 2) naming the option")
    func usageErrors() throws {
        let hits = dataFolder + "/events/planar/event000000001-hits.csv", sub = dir.file("s.csv")
        let cases: [([String], String)] = [
            (["--mu-t", "0.5"], "--mu-t: expected a cooling factor greater than 1, got 0.5"),
            (["--solver", "annealing", "--t-min", "0"], "--t-min: expected a positive temperature"),
            (["--min-pt=-1"], "--min-pt: expected a positive number"),
            (["--damping", "1"], "--damping: expected a damping in [0, 1)"),
            (["--min-hits", "1"], "--min-hits: expected at least 2 hits per track"),
            (["--geometry", "cylinder"], "--geometry"),
            (["--update", "random"], "--update"),
            (["--length-form", "cube"], "--length-form"),
        ]
        for (options, message) in cases {
            let r = try ebm(["tracks", "find", "--hits", hits, "--output", sub] + options)
            #expect(r.status == 2 && r.stderr.contains(message), "\(options): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: sub))
        for (options, message) in [(["--pt-min", "0"], "--pt-min"), (["--pt-min", "2", "--pt-max", "1"], "--pt-max"),
                                   (["--noise=-1"], "--noise"), (["--events", "0"], "--events"), (["--detector", "disc"], "--detector")] {
            let r = try ebm(["tracks", "generate", "--tracks", "3", "--out", dir.file("g")] + (options.contains("--detector") ? [] : ["--detector", "planar"]) + options)
            #expect(r.status == 2 && r.stderr.contains(message), "\(options): \(r.stderr)")
        }
    }

    @Test("generate --detector full --pileup 2 writes barrel and endcap hits with weights, and checks its options")
    func fullDetector() throws {
        let prefix = dir.file("full")
        var r = try ebm(["tracks", "generate", "--detector", "full", "--pileup", "2", "--noise", "0.1", "--focus-pt", "0.5", "--seed", "3", "--out", prefix])
        #expect(r.status == 0 && r.stdout.contains("particles"), "\(r.stderr)")
        let hits = try HitFile.read(prefix + "-hits.csv")
        let truth = try TruthFile.read(prefix + "-truth.csv")
        #expect(Set(hits.map(\.layer.volume)).isSuperset(of: [8, 13]) && hits.contains { [7, 9, 12, 14, 16, 18].contains($0.layer.volume) })
        #expect(hits.allSatisfy { $0.module >= 1 } && truth.contains { $0.particleID == 0 && $0.weight == 0 })
        #expect(abs(truth.map(\.weight).reduce(0, +) - 1) < 1e-6)
        let particles = try String(contentsOfFile: prefix + "-particles.csv", encoding: .utf8)
        #expect(particles.hasPrefix("particle_id,vx,vy,vz,px,py,pz,q,nhits\n"))
        // The same detector from a file gives the same event.
        try DetectorDescription.trackMLFull.write(to: dir.file("detector.json"))
        r = try ebm(["tracks", "generate", "--detector", "full", "--detector-file", dir.file("detector.json"), "--pileup", "2", "--noise", "0.1",
                     "--focus-pt", "0.5", "--seed", "3", "--out", dir.file("again")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: dir.file("again-hits.csv"), encoding: .utf8) == String(contentsOfFile: prefix + "-hits.csv", encoding: .utf8))
        for (options, message) in [(["--pileup=-1"], "--pileup"), (["--tracks", "5"], "--tracks"), (["--overlap", "1.5"], "--overlap"),
                                   (["--focus-pt=-1"], "--focus-pt"), (["--eta-max", "0"], "--eta-max")] {
            r = try ebm(["tracks", "generate", "--detector", "full", "--out", dir.file("g")] + options)
            #expect(r.status == 2 && r.stderr.contains(message), "\(options): \(r.stderr)")
        }
        r = try ebm(["tracks", "generate", "--detector", "barrel", "--out", dir.file("g")])
        #expect(r.status == 2 && r.stderr.contains("--tracks"), "\(r.stderr)")
        r = try ebm(["tracks", "generate", "--detector", "full", "--detector-file", dir.file("missing.json"), "--out", dir.file("g")])
        #expect(r.status == 1 && r.stderr.contains("missing.json"), "\(r.stderr)")
    }

    @Test("a folder with a bad event writes the others, names the bad file and exits 1")
    func failingEvent() throws {
        let prefix = dir.file("events/event")
        var r = try ebm(["tracks", "generate", "--detector", "planar", "--tracks", "10", "--events", "3", "--seed", "2", "--out", prefix])
        #expect(r.status == 0, "\(r.stderr)")
        let bad = prefix + "000000002-hits.csv"
        try "hit_id,x,y,z,layer\n1,0,0,1,1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        r = try ebm(["tracks", "find", "--events", dir.file("events"), "--output-dir", dir.file("out"), "--jobs", "2"])
        #expect(r.status == 1 && r.stderr.contains(bad) && r.stderr.contains("1 event(s) failed"), "\(r.stderr)")
        #expect(r.stdout.contains("shard 1/1: 2 of 3 events reconstructed"))
        let written = try FileManager.default.contentsOfDirectory(atPath: dir.file("out")).sorted()
        #expect(written == ["event000000001-submission.csv", "event000000003-submission.csv"])
    }

    @Test("--verbose prints one line per temperature before the summary")
    func verbose() throws {
        let r = try ebm(["tracks", "find", "--hits", dataFolder + "/events/planar/event000000001-hits.csv", "--output", dir.file("s.csv"), "--verbose"])
        let lines = r.stdout.split(separator: "\n")
        #expect(r.status == 0 && lines.count >= 3 && lines.dropLast().allSatisfy { $0.hasPrefix("  step ") } && lines.last?.contains("20 tracks") == true)
    }
}

/// The lines `ebm tracks` prints: every count in full, however large.
@Suite("ebm tracks output")
struct TracksTextTests {
    @Test("counts beyond 32 bits print in full")
    func largeCounts() {
        let big = 3_000_000_000, huge = 5_000_000_000
        let event = EventReport(hitsFile: "ev-hits.csv", submissionFile: "s.csv", eventID: 1, hitCount: big, layerCount: 10, geometry: .barrel,
                                candidateSegments: huge, neurons: big + 1, chainCount: big + 2, conflictCount: big + 3, trackCount: big + 4,
                                unassignedHits: big + 5, seconds: (1, 2, 3), totalSeconds: 6.5)
        #expect(TrackingText.event(event) == "ev-hits.csv: 3000000000 hits on 10 layers (barrel), 5000000000 segments pass the cuts, "
                + "3000000001 neurons with a chain partner, 3000000002 connections + 3000000003 fork/join pairs; 3000000004 tracks, "
                + "3000000005 hits on none; network 1.000 s, solve 2.000 s, extract 3.000 s, total 6.500 s")
        let score = TrackingScore(score: 0.5, efficiency: 0.25, fakeRate: 0, duplicateRate: 0.125, segmentPrecision: 1, segmentRecall: 0.75,
                                  tracks: big, particles: huge, matched: big + 1)
        #expect(TrackingText.score(score) == "TrackML score 0.5000; efficiency 0.2500 (3000000001 of 5000000000 particles); "
                + "fake rate 0.0000, duplicate rate 0.1250 of 3000000000 tracks; segment precision 1.0000, recall 0.7500")
        let step = AnnealingStep(temperature: 0.5, energy: -12.25, active: big, meanChange: 0.001, sweeps: 2)
        #expect(TrackingText.step(big, step) == "  step 3000000000  T   0.5000  E     -12.2500  V>0.5 3000000000  mean|ΔV| 0.00100  sweeps 2")
        #expect(TrackingText.step(3, AnnealingStep(temperature: 1, energy: 5, active: 40, meanChange: 0.5, sweeps: 1))
                == "  step   3  T   1.0000  E       5.0000  V>0.5     40  mean|ΔV| 0.50000  sweeps 1")
    }
}
