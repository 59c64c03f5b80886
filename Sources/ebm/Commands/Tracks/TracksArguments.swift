import ArgumentParser
import TrackFinding

// The library's choices as typed options: ArgumentParser lists the values in the help and refuses
// any other as a usage error naming the option.
extension DetectorGeometry: ExpressibleByArgument {}
extension TrackFinderConfiguration.Solver: ExpressibleByArgument {}
extension EnergyParameters.LengthForm: ExpressibleByArgument {}
extension MeanFieldAnnealing.Update: ExpressibleByArgument {}
extension EventGenerator.Detector: ExpressibleByArgument {}
