import ArgumentParser
import TrackFinding

// The library's choices as typed options: ArgumentParser lists the values in the help and refuses
// any other as a usage error naming the option.
extension DetectorGeometry: ExpressibleByArgument {}
extension TrackFinderConfiguration.Solver: ExpressibleByArgument {}
extension EnergyParameters.LengthForm: ExpressibleByArgument {}
extension MeanFieldAnnealing.Update: ExpressibleByArgument {}
extension EventGenerator.Detector: ExpressibleByArgument {}
extension TrackExtractor.Configuration.LinkOrder: ExpressibleByArgument {}
extension TrackExtractor.Configuration.Choice: ExpressibleByArgument {}

/// `--shard i/n`, with 1 ≤ i ≤ n.
extension Shard: ExpressibleByArgument {
    public init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }
}
