// Store the 26 shipped letters in a Hopfield network and recall each from a corrupted copy.
// The outcome of every probe: the letter it ended on, or a spurious state.

// snippet.hide
import Foundation
// The repository's Data/ folder, found from this file so the snippet runs from any directory.
let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data").path
// snippet.show
import EnergyCore
import HopfieldMemory

// 16×16 grids of ±1, read from a text file of '#' and '.' (256 neurons per pattern).
let letters = try PatternFile.read(dataFolder + "/patterns/letters.txt")
// The pseudo-inverse (projection) rule copes with correlated patterns such as letters.
var memory = AssociativeMemory(neurons: letters.neurons, rule: .pseudoinverse)
try memory.store(letters)

// Flip 20% of each letter's bits, then run asynchronous updates to a fixed point.
let random = RandomSource(seed: 1)
let probes = letters.corrupted(fraction: 0.2, random: random)
let results = try memory.recall(probes, mode: .asynchronous, random: random)

let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
for (k, result) in results.enumerated() {
    // outcome: stored pattern, its negation, or spurious; nearest: the closest stored pattern.
    print("\(alphabet[k]) → \(alphabet[result.nearest]) (\(result.outcome.rawValue)), overlap \(String(format: "%.2f", result.overlap)), \(result.sweeps) sweeps")
}
let score = RecallScore(results, targets: Array(0..<letters.count))
print("\(score.recalled) of \(score.probes) letters recalled exactly")
