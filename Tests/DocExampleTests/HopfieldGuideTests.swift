import EnergyCore
import Foundation
import HopfieldMemory
import Testing
import TestSupport

/// The example that opens docs/hopfield.md, compiled and run.
@Suite("Guide examples: hopfield")
struct HopfieldGuideTests {
    @Test("docs/hopfield.md's example runs, recalls what the guide says, and is the text of the guide")
    func example() throws {
        // example: hopfield
        // The 26 capital letters shipped in Data/, 16×16 grids of ±1 (256 neurons each).
        let letters = try PatternFile.read(dataFolder + "/patterns/letters.txt")
        // A Hopfield network that stores them with the pseudo-inverse (projection) rule.
        var memory = AssociativeMemory(neurons: letters.neurons, rule: .pseudoinverse)
        try memory.store(letters)
        // A copy of each letter with 20% of its bits flipped, recalled by asynchronous updates.
        let random = RandomSource(seed: 1)
        let probes = letters.corrupted(fraction: 0.2, random: random)
        let results = try memory.recall(probes, random: random)
        // How many probes ended exactly on the letter they were made from.
        let score = RecallScore(results, targets: Array(0..<letters.count))
        print("\(score.recalled) of \(score.probes) letters recalled exactly")
        // end of example
        #expect(letters.count == 26 && letters.neurons == 256)
        #expect(score.recalled == 25 && score.probes == 26)
        #expect(try sourceExample(#filePath, named: "hopfield") == guideExample("hopfield.md", named: "hopfield"))
    }
}

extension HopfieldGuideTests {
    @Test("docs/hopfield.md's capacity example runs and is the text of the guide")
    func capacityExample() throws {
        // example: hopfield-capacity
        // Hebb's rule at N = 200: loads α = 0.05 to 0.25, two networks per load.
        let settings = CapacityExperiment.Configuration(neurons: 200, rule: .hebbian, noise: 0.1, trials: 2,
                                                        loads: [0.05, 0.10, 0.15, 0.20, 0.25], seed: 4)
        let curve = try CapacityExperiment(configuration: settings).run()
        // The fraction of probes recalled at each load, and where it falls through ½.
        let success = curve.points.map(\.success)
        let criticalLoad = curve.criticalLoad
        // end of example
        #expect(success.map { String(format: "%.3f", $0) } == ["1.000", "0.975", "0.567", "0.125", "0.010"])
        #expect(criticalLoad.map { String(format: "%.3f", $0) } == "0.158")
        #expect(try sourceExample(#filePath, named: "hopfield-capacity") == guideExample("hopfield.md", named: "hopfield-capacity"))
    }

    @Test("docs/hopfield.md's modern-memory example recalls every letter in one update, and is the text of the guide")
    func modernExample() throws {
        let letters = try PatternFile.read(dataFolder + "/patterns/letters.txt")
        let probes = letters.corrupted(fraction: 0.2, random: RandomSource(seed: 1))
        // example: hopfield-modern
        // The letters in a modern Hopfield memory (Ramsauer et al. 2020): it keeps the patterns, no weights.
        var modern = AssociativeMemory(neurons: letters.neurons, rule: .modern)
        try modern.store(letters)
        // One update ξ ← X softmax(β Xᵀ ξ) of all 26 probes at once, at β = 1.
        let recalled = try modern.recallModern(probes.values, configuration: ModernRecallConfiguration(beta: 1))
        let exact = recalled.filter(\.isExact).count        // probes whose sign is a stored letter
        let nearest = recalled.map(\.nearest)               // the letter of the largest softmax weight
        let metastable = recalled.filter(\.isMetastable)   // mixtures: largest weight below ½
        // end of example
        #expect(exact == 26 && nearest == Array(0..<26) && metastable.isEmpty)
        #expect(try sourceExample(#filePath, named: "hopfield-modern") == guideExample("hopfield.md", named: "hopfield-modern"))
    }
}
