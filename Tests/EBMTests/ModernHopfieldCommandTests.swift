import EnergyFormats
import Foundation
import TestSupport
import Testing

/// `ebm hopfield store --rule modern`, `recall --beta`, `capacity --rule modern` and `mnist`.
@Suite("ebm hopfield, modern memory")
struct ModernHopfieldCommandTests {
    let dir = TemporaryFolder()

    @Test("store --rule modern and recall --beta round-trip a grid file and a .npy file")
    func roundTrip() throws {
        let patterns = dir.write("p.txt", "#..#\n.##.\n\n####\n....\n\n#.#.\n#.#.\n")
        let store = try ebm(["hopfield", "store", "--rule", "modern", "--patterns", patterns, "--out", dir.file("m.npz")])
        #expect(store.status == 0 && store.stdout.contains("stored 3 patterns of 8 neurons in a modern Hopfield memory"))
        let probes = dir.write("q.txt", "#..#\n.#..\n\n###.\n....\n")
        let recall = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", probes, "--beta", "2", "--steps", "3",
                              "--output", dir.file("r.txt"), "--quiet"])
        #expect(recall.status == 0, "\(recall.stderr)")
        #expect(recall.stdout.contains("probe 0: nearest pattern 0, weight ") && recall.stdout.contains("probe 1: nearest pattern 1, weight "))
        #expect(recall.stdout.contains("2/2 probes recalled a stored pattern exactly"))
        #expect(try String(contentsOfFile: dir.file("r.txt"), encoding: .utf8) == "#..#\n.##.\n\n####\n....\n")

        try NumpyArray([Float]([1, -1, -1, 1, 0, 0, 0, 0]), shape: [1, 8]).write(to: dir.file("q.npy"))
        let npy = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", dir.file("q.npy"), "--beta", "2",
                           "--output", dir.file("r.npy"), "--quiet", "--brief"])
        #expect(npy.status == 0 && npy.stdout.hasPrefix("1/1 probes recalled a stored pattern exactly"))
        #expect(try NumpyArray.read(dir.file("r.npy")).values(as: Float.self) == [1, -1, -1, 1, -1, 1, 1, -1])

        let mixture = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", probes, "--beta", "0.00001",
                               "--output", dir.file("r2.txt"), "--quiet"])
        #expect(mixture.status == 0 && mixture.stdout.contains("metastable mixture: weights ")
                && mixture.stdout.contains("2 probes ended in a metastable mixture"))
    }

    @Test("bad options exit 2 and bad files exit 1, each with a one-line error")
    func refusals() throws {
        let patterns = dir.write("p.txt", "#..#\n.##.\n")
        _ = try ebm(["hopfield", "store", "--rule", "modern", "--patterns", patterns, "--out", dir.file("m.npz")])
        _ = try ebm(["hopfield", "store", "--patterns", patterns, "--out", dir.file("hebb.npz")])
        for arguments in [["--beta", "0"], ["--beta", "nan"], ["--steps", "0"], ["--block-size", "0"]] {
            let r = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", patterns, "--output", dir.file("r.txt")] + arguments)
            #expect(r.status == 2 && r.stderr.contains(arguments[0]) && r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
        }
        let noBeta = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", patterns, "--output", dir.file("r.txt")])
        #expect(noBeta.status == 2 && noBeta.stderr.hasPrefix("ebm: error: --beta: the memory uses the modern rule")
                && noBeta.stderr.split(separator: "\n").count == 1)
        let classical = try ebm(["hopfield", "recall", "--memory", dir.file("hebb.npz"), "--probes", patterns, "--beta", "1", "--output", dir.file("r.txt")])
        #expect(classical.status == 2 && classical.stderr.contains("uses the hebb rule; an inverse temperature β applies to the modern rule only"))
        let capacity = try ebm(["hopfield", "capacity", "--rule", "modern", "--beta", "-2"])
        #expect(capacity.status == 2)
        let mnist = try ebm(["hopfield", "mnist", "--probes", "0"])
        #expect(mnist.status == 2 && mnist.stderr.contains("--probes"))

        let bad = dir.write("bad.txt", "#..#\n.#x.\n")
        let badProbes = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", bad, "--beta", "1", "--output", dir.file("r.txt")])
        #expect(badProbes.status == 1 && badProbes.stderr.hasPrefix("ebm: error: \(bad)") && badProbes.stderr.split(separator: "\n").count == 1)
        try NumpyArray([Float]([1, 1, 1]), shape: [1, 3]).write(to: dir.file("short.npy"))
        let short = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", dir.file("short.npy"), "--beta", "1", "--output", dir.file("r.npy")])
        #expect(short.status == 1 && short.stderr == "ebm: error: \(dir.file("short.npy")): probes have 3 values each; the memory has 8 neurons\n")
        let notMemory = dir.write("x.npz", "not a zip")
        let r = try ebm(["hopfield", "recall", "--memory", notMemory, "--probes", patterns, "--beta", "1", "--output", dir.file("r.txt")])
        #expect(r.status == 1 && r.stderr.hasPrefix("ebm: error: \(notMemory)") && r.stderr.split(separator: "\n").count == 1)
        let missing = try ebm(["hopfield", "mnist", "--data", dir.file("nowhere"), "--stored", "10", "--probes", "2", "--quiet"])
        #expect(missing.status == 1 && missing.stderr.split(separator: "\n").count == 1)
    }

    @Test("capacity --rule modern prints the curve at the given beta")
    func capacity() throws {
        let r = try ebm(["hopfield", "capacity", "--rule", "modern", "--beta", "1", "--neurons", "50", "--noise", "0.2",
                         "--loads", "10:20:10", "--trials", "1", "--probes", "20", "--quiet"])
        #expect(r.status == 0 && r.stdout.contains("rule modern (beta 1.0, one update), N = 50"))
        #expect(r.stdout.contains("  10.000    500     1.000"))
    }
}
