import EnergyCore
import Foundation

/// Named configurations for the detectors the toolkit knows: library values, so that a Swift
/// program has them without any file; `Data/detectors/NAME.json` are these values written by
/// `write(to:)` (a test checks that they are equal).
extension TrackFinderConfiguration {
    /// The names of the presets, for `preset(named:)`.
    public static let presetNames = ["trackml-full", "trackml-barrel", "excharm-planar", "spd-like", "bmn"]

    /// The configuration that `presetOrFile` names: the configuration file of that path when it
    /// exists (`read(_:)`), else the preset of that name (`preset(named:)`). A name that is neither
    /// is read as a file when it looks like one (it holds a `/` or ends in `.json`), so that the error
    /// names the missing file; otherwise it is refused as an unknown preset.
    ///
    /// - Throws: `ConfigurationError` (field `presetOrFile`) for a name that is neither a file nor a
    ///   preset; `InputError` for a configuration file that cannot be read or holds an unusable setting.
    public static func resolve(presetOrFile name: String) throws -> TrackFinderConfiguration {
        if !FileManager.default.fileExists(atPath: name) {
            if let preset = try preset(named: name) { return preset }
            if !name.contains("/") && !name.hasSuffix(".json") {
                throw ConfigurationError(field: "presetOrFile", "no file '\(name)' and no preset of that name; the presets are "
                                         + presetNames.joined(separator: ", "))
            }
        }
        return try read(name)
    }

    /// The preset called `name` (one of `presetNames`), or nil for another name.
    ///
    /// - `trackml-full`: the TrackML-like detector, barrel and endcap disks
    ///   (`DetectorDescription.trackMLFull`), at pile-up density: segments along its geometric layer
    ///   graph for p_T ≥ 0.9 GeV, |z₀| ≤ 150 mm, no layer skips and kinks ≤ 0.007 rad in the first
    ///   network (the r–z part weighed by the strips' resolution, 0.003 rad) whose segments lie on
    ///   chains of ≥ 9 hits, a second pass (tracks of ≥ 9 hits kept; no layer skips either, so its
    ///   candidates are the first network's on the hits left, and kinks ≤ 0.012 rad, chains of ≥ 4
    ///   hits) on the rest, the passes' tracks joined; chains of ≤ 7 hits yield hits to longer ones
    ///   in the extraction; 2 threads.
    /// - `trackml-barrel`: the TrackML-like barrel alone (`DetectorDescription.trackMLBarrel`) at
    ///   pile-up density: its layer graph for p_T ≥ 0.9 GeV, |z₀| ≤ 200 mm (3.6 σ of the luminous
    ///   region; at a tenth of the full density the wider window costs little), kinks ≤ 0.01 rad (r–z
    ///   resolution 0.003 rad), a second pass keeping tracks of ≥ 6 hits, the first network's short
    ///   tracks restored where the second split them, the passes' tracks joined; chains shorter than
    ///   the kept ones (≤ 5 hits) yield hits to longer ones in the extraction; 2 threads.
    /// - `excharm-planar`: the EXCHARM-like planar spectrometer (six MWPC planes, no field): layers
    ///   ordered by z, the forward cuts and the defaults otherwise.
    /// - `spd-like`: the straw tracker of NICA's SPD as JINR's `spdsim.py` simulates it (35 cylinders
    ///   at r = 270–850 mm, 0.8 T, vertices spread by 10 mm across and ±300 mm along the beam):
    ///   layers by radius, no layer skips (every station is hit), kinks measured against straight lines
    ///   (the vertex is off the beam line), and the cuts and energy that `TrackFinderTuner` fitted on
    ///   20 spdsim events of seed 2 (`minPT` at 0.01: spdsim's azimuths turn π times faster than a
    ///   0.8 T helix's, so its tracks look like p_T of 0.03–0.3 GeV).
    /// - `bmn`: the BM@N-like spectrometer (`DipoleSpectrometer.bmnLike`: silicon and GEM stations
    ///   in a 0.6 T dipole field along y): layers ordered by z, segments and kinks against a track
    ///   from the target bending in x–z (`DipoleField`, p_xz ≥ 0.3 GeV), the y kink weighed by the
    ///   strips' y resolution (σ_y = 1 mm), the beam spot found in each event
    ///   (`DipoleField.estimatedTarget`), no layer skips, a slower mean-field schedule (cooling
    ///   factor 1.1, 5 sweeps per temperature; measured on generated events), and the values
    ///   `TrackFinderTuner` fitted on generated BM@N-like events with ghosts (40 tracks, seeds
    ///   101–104, two tuning runs), rounded: `maxSlope` 0.57, `targetRadius` 38 mm, kinks ≤ 0.079 rad
    ///   with cos^m, m = 31000 (a Gaussian of σ ≈ 0.0057 rad), α = 0.77, `rzResolution` 0.0014 rad,
    ///   threshold 0.54. JINR's event 6 took no part.
    ///
    /// - Throws: `ConfigurationError` only if a built-in layer graph cannot be built (a defect).
    public static func preset(named name: String) throws -> TrackFinderConfiguration? {
        switch name {
        case "trackml-full":
            return TrackFinderConfiguration(
                cuts: SegmentCuts(skipLayers: false, minPT: 0.9, maxZ0: 150, minChainHits: 9),
                energy: EnergyParameters(maxAngle: 0.007, rzResolution: 0.003),
                extraction: TrackExtractor.Configuration(yieldingChainHits: 7),
                layerGraph: try LayerGraph(detector: .trackMLFull, propagation: .init(minPT: 0.9)),
                workers: 2,
                secondPass: SecondPass(minConfidentHits: 9, skipLayers: false, maxAngle: 0.012, joinAcrossPasses: true, minChainHits: 4),
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
        case "spd-like":
            return TrackFinderConfiguration(
                geometry: .barrel,
                cuts: SegmentCuts(skipLayers: false, minPT: 0.01, magneticField: 0.8, maxZ0: 1000),
                energy: EnergyParameters(angleExponent: 39, maxAngle: 0.48, helixKinks: false, alpha: 1.6),
                extraction: .init(threshold: 0.43),
                description: "SPD-like barrel (the straw tracker of NICA's SPD as JINR's datasets/spdsim.py in "
                    + "github.com/fizmat/hopfield-tracking simulates it: 35 cylinders at r = 270-850 mm, |z| < 2386 mm, 0.8 T, "
                    + "pT 0.1-1 GeV, vertices spread by 10 mm across and +-300 mm along the beam, every station hit): layers by "
                    + "radius, no layer skips, kinks against straight lines (the vertex is off the beam line), and the cuts and "
                    + "energy fitted by TrackFinderTuner on 20 spdsim events of seed 2, 10 with 100 and 10 with 1750 noise hits "
                    + "(docs/tracks.md).")
        case "bmn":
            return TrackFinderConfiguration(
                geometry: .forward,
                cuts: SegmentCuts(skipLayers: false, magneticField: 0, maxSlope: 0.57, targetZ: DipoleSpectrometer.bmnLike.targetZ, targetRadius: 38),
                energy: EnergyParameters(angleExponent: 15_000, maxAngle: 0.079, alpha: 0.77, rzResolution: 0.0014, stripPenalty: 0.3),
                meanField: MeanFieldAnnealing.Configuration(schedule: AnnealingSchedule(initialTemperature: 1, coolingFactor: 1.1, minimumTemperature: 0.2,
                                                                                        iterationsPerTemperature: 5)),
                extraction: TrackExtractor.Configuration(threshold: 0.54),
                description: "BM@N-like fixed-target spectrometer (3 silicon and 6 GEM stations with two-view strip readout in readout modules, "
                    + "DipoleSpectrometer.bmnLike, a uniform 0.6 T field along y over z = 0-2000 mm): layers ordered by z, segments "
                    + "cut and kinks measured against a track from the target that bends in x-z (p_xz >= 0.3 GeV), straight in y, "
                    + "the y kink weighed by the strips' y resolution (1 mm), the beam spot found in each event; no layer skips, "
                    + "mean-field cooling by 1.1 with 5 sweeps per temperature, and the cuts and energy fitted by TrackFinderTuner "
                    + "on generated BM@N-like events with ghosts (40 tracks, seeds 101-104), then strip exclusion (points sharing an x strip "
                    + "penalised as forks, gamma 0.3) with a looser kink exponent (15000), chosen on generated 40-track events, "
                    + "never on JINR's event 6 (docs/tracks.md).",
                dipole: DipoleSpectrometer.bmnLike.magnet)
        default:
            return nil
        }
    }
}
