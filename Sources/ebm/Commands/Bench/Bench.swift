import ArgumentParser

/// `ebm bench`: speed measurements that need no data.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the speed of the building blocks.",
        subcommands: [BLASBench.self, HopfieldBench.self, RBMBench.self])
}
