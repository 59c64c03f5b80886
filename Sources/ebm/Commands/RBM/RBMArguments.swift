import ArgumentParser
import EnergyFormats
import RBM

// The RBM module's enums as typed options: `--visible-units gaussian`, `--binarize stochastic`,
// `--lr-decay inverse`; ArgumentParser refuses other values as usage errors, listing the valid ones.
extension VisibleUnits: ExpressibleByArgument {}
extension Binarization: ExpressibleByArgument {}
extension LearningRateDecay: ExpressibleByArgument {}

/// The negative-phase sampler of `rbm train`, as `--sampler` names it.
enum RBMSamplerOption: String, CaseIterable, ExpressibleByArgument {
    /// Contrastive divergence, CD-k.
    case cd
    /// Persistent contrastive divergence.
    case pcd
    /// Parallel tempering.
    case pt
}
