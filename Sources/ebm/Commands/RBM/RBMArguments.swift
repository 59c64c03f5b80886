import ArgumentParser
import EnergyFormats
import RBM

// The RBM module's enums as typed options: `--visible-units gaussian`, `--binarize stochastic`,
// `--lr-decay inverse`; ArgumentParser refuses other values as usage errors, listing the valid ones.
extension VisibleUnits: ExpressibleByArgument {}
extension Binarization: ExpressibleByArgument {}
extension LearningRateDecay: ExpressibleByArgument {}
