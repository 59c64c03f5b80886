import EnergyCore

extension DeepBeliefNetwork {
    /// How many of `samples` (rows of data-layer values, e.g. from `DBNSampler.samples`) the
    /// network's own fine-tuned classifier assigns to `label`: the class fidelity of class-conditional
    /// samples, a check that needs no human eye (docs/dbn.md, Generation).
    ///
    /// - Throws: `InputError` when the samples are not of the model's input size.
    public func samplesClassified(as label: Int, _ samples: Matrix<Float>) throws -> Int {
        Classification.predictions(try probabilities(samples, source: "samples")).filter { $0 == label }.count
    }
}
