// Reconstruct the tracks of the shipped planar event with the Denby–Peterson
// network, and score them against the event's truth with the TrackML metric.

// snippet.hide
import Foundation
// The repository's Data/ folder, found from this file: the snippet runs from any directory.
let dataFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data").path
// snippet.show
import EnergyCore
import TrackFinding

// A planar (EXCHARM-like) event: 20 tracks and 10% noise hits, in TrackML CSV.
let event = dataFolder + "/events/planar/event000000001"
let hits = try HitFile.read(event + "-hits.csv")
let truth = try TruthFile.read(event + "-truth.csv", matching: hits,
                               hitsFile: event + "-hits.csv")

// Segments between layers, the network's weights, mean-field annealing,
// and the tracks read off the final activations.
let finder = try TrackFinder(TrackFinderConfiguration())
let reconstruction = try finder.reconstruct(hits, random: RandomSource(seed: 1))
let trackIDs = reconstruction.trackIDs(hitCount: hits.count)

let score = TrackingScore.evaluate(hits: hits, truth: truth, trackIDs: trackIDs)
print(String(format: "TrackML score %.3f, efficiency %.3f, fake rate %.3f",
             score.score, score.efficiency, score.fakeRate))
print("\(score.tracks) tracks, \(score.particles) particles, \(score.matched) matched")
