// Store the 26 shipped letters in a Hopfield network and recall each one
// from a copy with 20% of its bits flipped.

// snippet.hide
import Foundation
// The repository's Data/ folder, found from this file: the snippet runs from any directory.
let dataFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data").path
// snippet.show
import EnergyCore
import HopfieldMemory

// 16×16 grids of ±1 in a text file of '#' and '.': 256 neurons per letter.
let letters = try PatternFile.read(dataFolder + "/patterns/letters.txt")
// The pseudo-inverse (projection) rule copes with correlated patterns.
var memory = AssociativeMemory(neurons: letters.neurons, rule: .pseudoinverse)
try memory.store(letters)

// Corrupt each letter, then update the neurons asynchronously to a fixed point.
let random = RandomSource(seed: 1)
let probes = letters.corrupted(fraction: 0.2, random: random)
let results = try memory.recall(probes, mode: .asynchronous, random: random)

let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
for (k, result) in results.enumerated() {
    // The stored letter nearest to the final state, and whether the state
    // is that letter, its negation, or a spurious state.
    let nearest = alphabet[result.nearest]
    let outcome = result.outcome.rawValue
    let overlap = String(format: "%.2f", result.overlap)
    print("\(alphabet[k]) → \(nearest) (\(outcome)), overlap \(overlap)")
}
let score = RecallScore(results, targets: Array(0..<letters.count))
print("\(score.recalled) of \(score.probes) letters recalled exactly")
