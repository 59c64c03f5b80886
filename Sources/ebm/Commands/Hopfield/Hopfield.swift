import ArgumentParser

/// `ebm hopfield`: associative memory of bipolar patterns.
struct Hopfield: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store bipolar patterns and recall them from corrupted probes.",
        subcommands: [HopfieldStore.self, HopfieldRecall.self, HopfieldCapacity.self, HopfieldMNIST.self])
}
