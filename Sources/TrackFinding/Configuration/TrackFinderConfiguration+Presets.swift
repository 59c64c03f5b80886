import EnergyCore

/// Named configurations for the detectors the toolkit knows: library values, so that a Swift
/// program has them without any file; `Data/detectors/NAME.json` are these values written by
/// `write(to:)` (a test checks that they are equal).
extension TrackFinderConfiguration {
    /// The names of the presets, for `preset(named:)`.
    public static let presetNames = ["trackml-full", "trackml-barrel", "excharm-planar", "bmn"]

    /// The preset called `name` (one of `presetNames`), or nil for another name.
    ///
    /// - `trackml-full`: the TrackML-like detector, barrel and endcap disks
    ///   (`DetectorDescription.trackMLFull`), at pile-up density: segments along its geometric layer
    ///   graph for p_T ≥ 0.9 GeV, |z₀| ≤ 150 mm, no layer skips and kinks ≤ 0.007 rad in the first
    ///   network (the r–z part weighed by the strips' resolution, 0.003 rad), a second pass (tracks of
    ///   ≥ 8 hits kept, kinks ≤ 0.02 rad) on the rest, the passes' tracks joined; chains shorter than
    ///   the kept ones (≤ 7 hits) yield hits to longer ones in the extraction; 2 threads.
    /// - `trackml-barrel`: the TrackML-like barrel alone (`DetectorDescription.trackMLBarrel`) at
    ///   pile-up density: its layer graph for p_T ≥ 0.9 GeV, |z₀| ≤ 200 mm (3.6 σ of the luminous
    ///   region; at a tenth of the full density the wider window costs little), kinks ≤ 0.01 rad (r–z
    ///   resolution 0.003 rad), a second pass keeping tracks of ≥ 6 hits, the first network's short
    ///   tracks restored where the second split them, the passes' tracks joined; chains shorter than
    ///   the kept ones (≤ 5 hits) yield hits to longer ones in the extraction; 2 threads.
    /// - `excharm-planar`: the EXCHARM-like planar spectrometer (six MWPC planes, no field): layers
    ///   ordered by z, the forward cuts and the defaults otherwise.
    /// - `bmn`: the BM@N-like spectrometer (`DipoleSpectrometer.bmnLike`: silicon and GEM stations
    ///   in a 0.6 T dipole field along y): layers ordered by z, segments and kinks against a track
    ///   from the target bending in x–z (`DipoleField`, p_xz ≥ 0.3 GeV), the y kink weighed by the
    ///   strips' y resolution (σ_y = 1 mm against 0.005 rad), the beam spot found in each event
    ///   (`DipoleField.estimatedTarget`), no layer skips, kinks ≤ 0.03 rad with
    ///   cos^m, m = 10000 (a Gaussian of σ = 0.01 rad), α = 1: measured best on generated
    ///   BM@N-like events with ghosts (seeds 101–103, 20 tracks), never on JINR's event 6.
    ///
    /// - Throws: `ConfigurationError` only if a built-in layer graph cannot be built (a defect).
    public static func preset(named name: String) throws -> TrackFinderConfiguration? {
        switch name {
        case "trackml-full":
            return TrackFinderConfiguration(
                cuts: SegmentCuts(skipLayers: false, minPT: 0.9, maxZ0: 150),
                energy: EnergyParameters(maxAngle: 0.007, rzResolution: 0.003),
                extraction: TrackExtractor.Configuration(yieldingChainHits: 7),
                layerGraph: try LayerGraph(detector: .trackMLFull, propagation: .init(minPT: 0.9)),
                workers: 2,
                secondPass: SecondPass(minConfidentHits: 8, maxAngle: 0.02, joinAcrossPasses: true),
                description: "TrackML-like full detector (barrel and endcap disks, DetectorDescription.trackMLFull, 2 T) at pile-up "
                    + "density: its geometric layer graph for pT >= 0.9 GeV, and the options measured best on generated "
                    + "mu = 200 events with 10% noise (docs/tracks.md, issue #12).")
        case "trackml-barrel":
            return TrackFinderConfiguration(
                cuts: SegmentCuts(minPT: 0.9, maxZ0: 200),
                energy: EnergyParameters(maxAngle: 0.01, rzResolution: 0.003),
                extraction: TrackExtractor.Configuration(yieldingChainHits: 5),
                layerGraph: try LayerGraph(detector: .trackMLBarrel, propagation: .init(minPT: 0.9)),
                workers: 2,
                secondPass: SecondPass(minConfidentHits: 6, joinAcrossPasses: true, restoresShortTracks: true),
                description: "TrackML-like barrel alone (10 cylinders, DetectorDescription.trackMLBarrel, 2 T) at pile-up density: "
                    + "its geometric layer graph for pT >= 0.9 GeV, and the options measured on barrel-only mu = 20 events "
                    + "(docs/tracks.md).")
        case "excharm-planar":
            return TrackFinderConfiguration(
                geometry: .forward,
                cuts: SegmentCuts(magneticField: 0),
                description: "EXCHARM-like planar spectrometer (six MWPC planes at z = 600-1600 mm, no field, the planar events of "
                    + "EventGenerator): layers ordered by z, the forward cuts (slopes <= 0.5, within 30 mm of the target) and the "
                    + "defaults otherwise.")
        case "bmn":
            return TrackFinderConfiguration(
                geometry: .forward,
                cuts: SegmentCuts(skipLayers: false, magneticField: 0, targetZ: DipoleSpectrometer.bmnLike.targetZ),
                energy: EnergyParameters(angleExponent: 10_000, maxAngle: 0.03, alpha: 1, rzResolution: 0.005),
                description: "BM@N-like fixed-target spectrometer (3 silicon and 6 GEM stations with two-view strip readout, "
                    + "DipoleSpectrometer.bmnLike, a uniform 0.6 T field along y over z = 0-2000 mm): layers ordered by z, segments "
                    + "cut and kinks measured against a track from the target that bends in x-z (p_xz >= 0.3 GeV), straight in y, "
                    + "the y kink weighed by the strips' y resolution (1 mm), the beam spot found in each event; no layer skips, kinks <= 0.03 rad with m = 10000, "
                    + "alpha = 1: the options measured best on generated BM@N-like events with ghosts (docs/tracks.md).",
                dipole: DipoleSpectrometer.bmnLike.magnet)
        default:
            return nil
        }
    }
}
