import ArgumentParser
import EnergyCore
import EnergyFormats
import Foundation
import TrackFinding

/// `ebm tracks config`: write the configuration `ebm tracks find` would run with, as a file that
/// `ebm tracks find --detector FILE` reads.
struct TracksConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Write a track-finder configuration file (a preset, a file, or the defaults, with options applied).",
        discussion: """
        The file holds every setting of ebm tracks find (the layer map inline) as JSON, \
        "format": "energymodels.tracks-configuration". Start from --detector PRESET|FILE (or the defaults), \
        override any option, and write it with --output; ebm tracks find --detector FILE then runs with it, \
        and options given to find override the file again. A hand-written file may hold only some fields; \
        the others take the defaults. --list prints the presets.
        """)

    @Option(help: "The configuration file to write.") var output: String?
    @Option(help: "The file's description sentence (default: the starting configuration's, noting any options that changed it).") var description: String?
    @Flag(help: "List the presets and their descriptions.") var list = false
    @OptionGroup var finder: FinderOptions

    func validate() throws {
        if !list, output == nil { throw ValidationError("give --output FILE (or --list)") }
    }

    func run() throws {
        if list {
            for name in TrackFinderConfiguration.presetNames {
                print("\(name): \(try TrackFinderConfiguration.preset(named: name)?.description ?? "")")
            }
            return
        }
        guard let output else { return }
        try AtomicFile.checkOutput(output, isNotAnyOf: [finder.detector, finder.layerMap].compactMap { $0 })
        let made = try finder.checkedConfigurationAndBase()
        var c = made.configuration
        let base = made.base
        if let description {
            c.description = description
        } else if c != base {
            // The starting description no longer tells the whole story: say so.
            c.description = (base.description.isEmpty ? "The defaults" : base.description) + " Changed by command-line options of ebm tracks config."
        }
        try c.write(to: output)
        let map = c.layerGraph.map { "a layer map of \($0.layers.count) layers and \($0.links.count) links" } ?? "no layer map"
        print("\(output): \(map), \(c.secondPass == nil ? "one network" : "a second pass")")
    }
}
