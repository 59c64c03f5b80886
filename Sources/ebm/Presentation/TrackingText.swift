import Foundation
import TrackFinding

/// How `ebm` prints what TrackFinding reports: one place for the lines that `ebm tracks` and
/// `ebm demo` share. Counts are interpolated (or `%ld`), so they print in full whatever their size.
enum TrackingText {
    /// The TrackML score and the tracking rates on one line.
    static func score(_ s: TrackingScore) -> String {
        "TrackML score \(fixed(s.score, 4)); efficiency \(fixed(s.efficiency, 4)) (\(s.matched) of \(s.particles) particles); "
            + "fake rate \(fixed(s.fakeRate, 4)), duplicate rate \(fixed(s.duplicateRate, 4)) of \(s.tracks) tracks; "
            + "segment precision \(fixed(s.segmentPrecision, 4)), recall \(fixed(s.segmentRecall, 4))"
    }

    /// One reconstructed event: its sizes, what it found, and the time each stage took.
    static func event(_ r: EventReport) -> String {
        "\(r.hitsFile): \(r.hitCount) hits on \(r.layerCount) layers (\(r.layerGraph ? "layer map" : r.geometry.rawValue)), \(r.candidateSegments) segments pass the cuts, "
            + "\(r.neurons) neurons with a chain partner, \(r.chainCount) connections + \(r.conflictCount) fork/join pairs; "
            + "\(r.trackCount) tracks, \(r.unassignedHits) hits on none; "
            + "network \(fixed(r.seconds.build, 3)) s, solve \(fixed(r.seconds.solve, 3)) s, extract \(fixed(r.seconds.extract, 3)) s, "
            + "total \(fixed(r.totalSeconds, 3)) s"
    }

    /// One temperature of a mean-field run, in aligned columns.
    static func step(_ index: Int, _ step: AnnealingStep) -> String {
        String(format: "  step %3ld  T %8.4f  E %12.4f  V>0.5 %6ld  mean|ΔV| %.5f  sweeps %ld",
               index, step.temperature, step.energy, step.active, step.meanChange, step.sweeps)
    }

    /// `x` with `digits` decimals.
    static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
}
