import EnergyCore
import Foundation
import TestSupport
import Testing
import TrackFinding

@Suite("Configurations")
struct ConfigurationTests {
    /// The error `body` throws, if it is a `ConfigurationError`.
    func configurationError(_ body: () throws -> Void) -> ConfigurationError? {
        do {
            try body()
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test("unusable settings name their field by its path in the configuration")
    func fieldNames() {
        let cases: [(TrackFinderConfiguration, String)] = [
            (.init(cuts: SegmentCuts(minPT: 0)), "cuts.minPT"),
            (.init(cuts: SegmentCuts(magneticField: -1)), "cuts.magneticField"),
            (.init(cuts: SegmentCuts(targetRadius: -3)), "cuts.targetRadius"),
            (.init(energy: EnergyParameters(angleExponent: -1)), "energy.angleExponent"),
            (.init(energy: EnergyParameters(maxAngle: 4)), "energy.maxAngle"),
            (.init(energy: EnergyParameters(alpha: .nan)), "energy.alpha"),
            (.init(meanField: .init(damping: 1)), "meanField.damping"),
            (.init(meanField: .init(tolerance: 0)), "meanField.tolerance"),
            (.init(meanField: .init(schedule: AnnealingSchedule(initialTemperature: 1, coolingFactor: 0.5, minimumTemperature: 0.1,
                                                                iterationsPerTemperature: 1))), "meanField.schedule.coolingFactor"),
            (.init(annealing: .init(schedule: AnnealingSchedule(initialTemperature: 1, coolingFactor: 2, minimumTemperature: 0,
                                                                iterationsPerTemperature: 1))), "annealing.schedule.minimumTemperature"),
            (.init(extraction: .init(threshold: 1)), "extraction.threshold"),
            (.init(extraction: .init(minHits: 1)), "extraction.minHits"),
        ]
        for (configuration, field) in cases {
            #expect(configurationError { _ = try TrackFinder(configuration) }?.field == field)
        }
        #expect(configurationError { _ = try TrackFinder(.init(cuts: SegmentCuts(minPT: -2))) }
                == ConfigurationError(field: "cuts.minPT", "expected a positive number, found -2.0"))
        let generator: [(EventGenerator.Configuration, String)] = [
            (.init(tracks: -1), "tracks"), (.init(noise: -0.1), "noise"), (.init(inefficiency: 1), "inefficiency"),
            (.init(minPT: 0), "minPT"), (.init(minPT: 2, maxPT: 1), "maxPT"),
        ]
        for (configuration, field) in generator {
            #expect(configurationError { _ = try EventGenerator(configuration) }?.field == field)
        }
        #expect(configurationError { _ = try MeanFieldAnnealing(.init(damping: -1)) }?.field == "damping")
        #expect(configurationError { _ = try TrackExtractor(.init(minHits: 0)) }?.field == "minHits")
    }

    @Test("the memberwise initialisers default every setting to the documented values")
    func defaults() {
        let c = TrackFinderConfiguration()
        #expect(c == TrackFinderConfiguration(geometry: .auto, cuts: SegmentCuts(), energy: EnergyParameters(), solver: .meanField))
        #expect(c.cuts.minPT == 0.5 && c.cuts.maxLength == 1000 && c.cuts.skipLayers && c.cuts.targetRadius == 30)
        #expect(c.energy.angleExponent == 50 && c.energy.alpha == 0.6 && c.energy.beta == 0 && c.energy.lengthForm == .sum)
        #expect(c.meanField.schedule.coolingFactor == 1.3 && c.meanField.schedule.minimumTemperature == 0.2 && c.meanField.update == .asynchronous)
        #expect(c.annealing.schedule.iterationsPerTemperature == 20_000 && c.extraction.minHits == 3 && c.extraction.threshold == 0.5)
        let g = EventGenerator.Configuration()
        #expect(g.detector == .barrel && g.tracks == 100 && g.noise == 0.1 && g.maxPT == 10 && g.magneticField == 2)
    }

    @Test("no source of the library names a command-line flag outside doc comments")
    func noFlags() throws {
        let root = repositoryRoot + "/Sources/TrackFinding"
        let files = try #require(FileManager.default.subpaths(atPath: root)).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10)
        for file in files {
            let lines = try String(contentsOfFile: root + "/" + file, encoding: .utf8).components(separatedBy: "\n")
            for (n, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                #expect(line.range(of: "--[a-z]", options: .regularExpression) == nil, "\(file):\(n + 1): \(line)")
            }
        }
    }
}
