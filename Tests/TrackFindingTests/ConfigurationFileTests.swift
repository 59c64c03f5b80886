import EnergyCore
import Foundation
import TestSupport
import Testing
import TrackFinding

@Suite("Configuration files")
struct ConfigurationFileTests {
    let dir = TemporaryFolder()
    let format = "\"format\": \"energymodels.tracks-configuration\""

    /// The message of the `InputError` that reading `text` as a configuration file throws, if any.
    func readError(_ text: String) -> String? {
        let path = dir.write("bad.json", text)
        do {
            _ = try TrackFinderConfiguration.read(path)
            return nil
        } catch let error as InputError {
            return "\(error)"
        } catch {
            return "not an InputError: \(error)"
        }
    }

    @Test("a file with only the format gives the defaults; a partial file changes just its fields")
    func partial() throws {
        #expect(try TrackFinderConfiguration.read(dir.write("empty.json", "{\(format)}")) == TrackFinderConfiguration())
        let c = try TrackFinderConfiguration.read(dir.write("part.json", """
            {\(format), "cuts": {"minPT": 1.5}, "meanField": {"schedule": {"coolingFactor": 1.6}},
             "annealing": {}, "secondPass": {"maxAngle": 0.03}, "extraction": {"linkOrder": "heaviest"}}
            """))
        var expected = TrackFinderConfiguration()
        expected.cuts.minPT = 1.5
        expected.meanField.schedule.coolingFactor = 1.6
        expected.secondPass = SecondPass(maxAngle: 0.03)
        expected.extraction.linkOrder = .heaviest
        #expect(c == expected)
        // The mean-field schedule's other fields keep the mean-field defaults, not the annealing ones.
        #expect(c.meanField.schedule.minimumTemperature == 0.2 && c.annealing.schedule.minimumTemperature == 0.01)
        // null switches an optional part off.
        let off = try TrackFinderConfiguration.read(dir.write("off.json", "{\(format), \"secondPass\": null, \"layerGraph\": null}"))
        #expect(off.secondPass == nil && off.layerGraph == nil)
    }

    @Test("a written file reads back equal, every field and the layer graph included")
    func roundTrip() throws {
        let graph = try LayerGraph(detector: .trackMLBarrel, propagation: .init(minPT: 0.7))
        let c = TrackFinderConfiguration(
            geometry: .barrel, cuts: SegmentCuts(skipLayers: false, maxLength: 812.5, minPT: 0.123456789, magneticField: 1.7, maxZ0: 99,
                                                 maxSlope: 0.3, targetZ: -12, targetRadius: 7),
            energy: EnergyParameters(angleExponent: 33, lengthExponent: 1.5, lengthForm: .product, maxAngle: 0.0123, helixKinks: false,
                                     alpha: 0.45, beta: 0.01),
            solver: .annealing,
            meanField: .init(schedule: AnnealingSchedule(initialTemperature: 2, coolingFactor: 1.1, minimumTemperature: 0.05,
                                                         iterationsPerTemperature: 4, boltzmann: 2, tries: 3, stepSize: 0.5),
                             update: .synchronous, damping: 0.3, tolerance: 0.001),
            annealing: .init(schedule: AnnealingSchedule(initialTemperature: 3, coolingFactor: 1.05, minimumTemperature: 0.02,
                                                         iterationsPerTemperature: 999)),
            extraction: .init(threshold: 0.4, minHits: 4, linkOrder: .straightest, overlapMerging: .on),
            layerGraph: graph, workers: 3, secondPass: SecondPass(minConfidentHits: 7, skipLayers: false, maxAngle: 0.025),
            description: "every field away from its default / with a slash")
        let path = dir.file("full.json")
        try c.write(to: path)
        let back = try TrackFinderConfiguration.read(path)
        #expect(back == c)
        try back.write(to: dir.file("again.json"))
        #expect(try String(contentsOfFile: dir.file("again.json"), encoding: .utf8) == String(contentsOfFile: path, encoding: .utf8))
    }

    @Test("a layer graph given as a path is read relative to the configuration file's folder")
    func layerGraphPath() throws {
        let graph = try LayerGraph(detector: .trackMLBarrel)
        try FileManager.default.createDirectory(atPath: dir.file("sub"), withIntermediateDirectories: true)
        try graph.write(to: dir.file("sub/map.json"))
        let c = try TrackFinderConfiguration.read(dir.write("sub/c.json", "{\(format), \"layerGraph\": \"map.json\"}"))
        #expect(c.layerGraph == graph)
        #expect(readError("{\(format), \"layerGraph\": \"missing-map.json\"}")?.contains("missing-map.json") == true)
    }

    @Test("a bad file is refused naming the file and the field")
    func errors() {
        let cases: [(String, String)] = [
            ("{\(format), \"cuts\": {\"minPt\": 1}}", "field 'cuts.minPt': unknown field"),
            ("{\(format), \"cut\": {}}", "field 'cut': unknown field"),
            ("{\(format), \"meanField\": {\"schedule\": {\"colingFactor\": 2}}}", "field 'meanField.schedule.colingFactor': unknown field"),
            ("{\(format), \"energy\": {\"maxAngle\": \"small\"}}", "field 'energy.maxAngle'"),
            ("{\(format), \"solver\": \"quantum\"}", "field 'solver'"),
            ("{\(format), \"cuts\": {\"minPT\": -1}}", "field 'cuts.minPT': expected a positive number, found -1.0"),
            ("{\(format), \"meanField\": {\"schedule\": {\"coolingFactor\": 0.5}}}", "field 'meanField.schedule.coolingFactor'"),
            ("{\(format), \"secondPass\": {\"minConfidentHits\": 1}}", "field 'secondPass.minConfidentHits'"),
            ("{\(format), \"workers\": 0}", "field 'workers'"),
            ("{\"format\": \"energymodels.layer-map\"}", "not a track-finder configuration"),
            ("[1, 2]", "expected a track-finder configuration"),
        ]
        for (text, message) in cases {
            let error = readError(text)
            #expect(error?.contains("bad.json") == true && error?.contains(message) == true, "\(text): \(error ?? "accepted")")
        }
    }

    @Test("resolve(presetOrFile:) reads an existing file, else takes the preset, else refuses the name")
    func resolvePresetOrFile() throws {
        let full = try #require(try TrackFinderConfiguration.preset(named: "trackml-full"))
        #expect(try TrackFinderConfiguration.resolve(presetOrFile: "trackml-full") == full)
        var mine = TrackFinderConfiguration(cuts: SegmentCuts(minPT: 1.5, minChainHits: 5))
        mine.description = "mine"
        let path = dir.file("mine.json")
        try mine.write(to: path)
        #expect(try TrackFinderConfiguration.resolve(presetOrFile: path) == mine)
        #expect(throws: ConfigurationError.self) { try TrackFinderConfiguration.resolve(presetOrFile: "no-such-preset") }
        do {
            _ = try TrackFinderConfiguration.resolve(presetOrFile: "no-such-preset")
        } catch let error as ConfigurationError {
            #expect(error.field == "presetOrFile")
            #expect(error.message.contains("trackml-full"))
        }
        #expect(throws: InputError.self) { try TrackFinderConfiguration.resolve(presetOrFile: dir.file("missing.json")) }
    }

    @Test("the shipped Data/detectors files are the library's presets as write(to:) writes them")
    func shippedPresets() throws {
        #expect(try TrackFinderConfiguration.preset(named: "no-such-detector") == nil)
        for name in TrackFinderConfiguration.presetNames {
            let preset = try #require(try TrackFinderConfiguration.preset(named: name))
            try preset.validate()
            #expect(!preset.description.isEmpty)
            let shipped = dataFolder + "/detectors/\(name).json"
            #expect(try TrackFinderConfiguration.read(shipped) == preset, "\(name)")
            try preset.write(to: dir.file(name + ".json"))
            #expect(try String(contentsOfFile: dir.file(name + ".json"), encoding: .utf8) == String(contentsOfFile: shipped, encoding: .utf8),
                    "\(shipped) differs from what the library writes; regenerate it with ebm tracks config --detector \(name) --output \(shipped)")
        }
        let full = try #require(try TrackFinderConfiguration.preset(named: "trackml-full"))
        #expect(full.layerGraph?.layers.count == 48 && full.secondPass?.minConfidentHits == 9 && full.cuts.skipLayers == false
               && full.secondPass?.skipLayers == false)
    }

    @Test("the planar preset reconstructs the shipped planar event")
    func planarPreset() throws {
        let hitsFile = dataFolder + "/events/planar/event000000001-hits.csv"
        let hits = try HitFile.read(hitsFile)
        let truth = try TruthFile.read(dataFolder + "/events/planar/event000000001-truth.csv", matching: hits, hitsFile: hitsFile)
        let finder = try TrackFinder(try #require(try TrackFinderConfiguration.preset(named: "excharm-planar")))
        let r = try finder.reconstruct(hits, random: RandomSource(seed: 1))
        #expect(r.layout.geometry == .forward)
        #expect(TrackingScore.evaluate(hits: hits, truth: truth, trackIDs: r.trackIDs(hitCount: hits.count)).score > 0.99)
    }
}
