import ArgumentParser

/// `ebm tracks`: Denby–Peterson track finding.
struct Tracks: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconstruct particle tracks from detector hits with a mean-field Hopfield network.",
        subcommands: [TracksFind.self, TracksScore.self, TracksGenerate.self, TracksDraw.self, TracksMap.self, TracksConfig.self, TracksTune.self, TracksImport.self])
}
