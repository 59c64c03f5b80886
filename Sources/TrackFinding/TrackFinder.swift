import EnergyCore
import Foundation

/// The settings of a track-finding run: geometry, cuts, energy, solver and extraction.
public struct TrackFinderConfiguration: Codable, Equatable, Sendable {
    /// Which solver settles the network.
    public enum Solver: String, Codable, CaseIterable, Sendable {
        /// Mean-field annealing (`MeanFieldAnnealing`), the default.
        case meanField = "mean-field"
        /// Binary neurons by GSL simulated annealing (`BinaryAnnealing`).
        case annealing
    }

    public var geometry = DetectorGeometry.auto
    public var cuts = SegmentCuts()
    public var energy = EnergyParameters()
    public var solver = Solver.meanField
    public var meanField = MeanFieldAnnealing()
    public var annealing = BinaryAnnealing()
    public var extraction = TrackExtractor()

    public init() {}

    /// Throws `InputError` naming the first unusable setting.
    public func validate() throws {
        try cuts.validate()
        try energy.validate()
        try meanField.validate()
        try annealing.schedule.validate()
        try extraction.validate()
    }
}

/// What a run found, and what it took.
public struct Reconstruction: Sendable {
    /// The geometry used.
    public var layout: LayerLayout
    /// The number of segments that passed the cuts.
    public var candidateSegments: Int
    /// The network that was settled (segments with no chain partner removed when tracks need
    /// at least 3 hits).
    public var network: SegmentNetwork
    /// The final activations, one per segment.
    public var activations: [Double]
    /// The trace of the mean-field run, one entry per temperature (empty for `annealing`).
    public var trace: [AnnealingStep]
    /// The tracks, as hit indices in flight order.
    public var tracks: [[Int]]
    /// Seconds spent building the network, settling it, and extracting the tracks.
    public var seconds: (build: Double, solve: Double, extract: Double)

    /// The track of each hit, 1-based in the order of `tracks`; 0 for hits on no track.
    public func trackIDs(hitCount: Int) -> [Int] {
        var ids = [Int](repeating: 0, count: hitCount)
        for (t, track) in tracks.enumerated() { for h in track { ids[h] = t + 1 } }
        return ids
    }
}

/// Denby–Peterson track finding, end to end: order the layers, cut segments, build the network,
/// settle it, extract the tracks (Denby 1988; Peterson 1989; Stimpfl-Abele & Garrido 1991).
public struct TrackFinder: Sendable {
    public let configuration: TrackFinderConfiguration

    /// - Throws: `InputError` for unusable settings.
    public init(_ configuration: TrackFinderConfiguration = TrackFinderConfiguration()) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Reconstructs the tracks of one event. `observe` sees the mean-field state after every
    /// temperature (for `--verbose` and `--frames`).
    public func reconstruct(_ hits: [Hit], random: RandomSource,
                            observe: ((Int, AnnealingStep, [Double]) -> Void)? = nil) throws -> Reconstruction {
        let t0 = Date()
        let layout = LayerLayout(hits: hits, geometry: configuration.geometry)
        let segments = SegmentBuilder.segments(hits: hits, layout: layout, cuts: configuration.cuts)
        let helix = layout.geometry == .barrel && configuration.cuts.magneticField > 0 && configuration.energy.helixKinks
        let network = SegmentNetwork(hits: hits, segments: segments, parameters: configuration.energy, helix: helix,
                                     dropIsolated: configuration.extraction.minHits >= 3)
        let t1 = Date()
        let activations: [Double], trace: [AnnealingStep]
        switch configuration.solver {
        case .meanField:
            (activations, trace) = configuration.meanField.run(network, random: random, observe: observe)
        case .annealing:
            activations = try configuration.annealing.run(network, random: random).state
            trace = []
        }
        let t2 = Date()
        let tracks = configuration.extraction.tracks(hitCount: hits.count, network: network, activations: activations)
        let t3 = Date()
        return Reconstruction(layout: layout, candidateSegments: segments.count, network: network, activations: activations, trace: trace, tracks: tracks,
                              seconds: (t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t3.timeIntervalSince(t2)))
    }
}
