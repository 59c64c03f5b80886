import Foundation
import TestSupport
import Testing

/// Runs the built `ebm` binary (built by `swift test` alongside the tests).
struct EBMRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `ebm` binary that `swift test` builds beside the test bundle.
///
/// - Throws: when it is not there, so that every test that needs it fails with this message rather
///   than being skipped.
func ebmBinary() throws -> String {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [bundle.appendingPathComponent("ebm").path,
                      bundle.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                          .appendingPathComponent("ebm").path]
    guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw MissingBinary(description: "the ebm binary is not built; looked for \(candidates.joined(separator: " and ")) "
                            + "(run the tests with `swift test`, which builds it)")
    }
    return path
}

struct MissingBinary: Error, CustomStringConvertible { let description: String }

func ebm(_ arguments: [String], in folder: String? = nil) throws -> EBMRun {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try ebmBinary())
    p.arguments = arguments
    if let folder { p.currentDirectoryURL = URL(fileURLWithPath: folder) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return EBMRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

@Suite("ebm command line")
struct CommandLineTests {
    let dir = TemporaryFolder()

    @Test("bad input is one line on stderr and exit 1; a usage error exits 2")
    func exitCodes() throws {
        let missing = try ebm(["hopfield", "store", "--patterns", dir.file("none.txt"), "--out", dir.file("m.npz")])
        #expect(missing.status == 1)
        #expect(missing.stderr == "ebm: error: \(dir.file("none.txt")): no such file\n")
        #expect(missing.stdout.isEmpty)
        let usage = try ebm(["hopfield", "store", "--patterns", "p.txt", "--out", "m.npz", "--bogus"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("Unknown option '--bogus'") && usage.stderr.contains("(see 'ebm hopfield store --help')") && usage.stderr.split(separator: "\n").count == 1)
        let invalid = try ebm(["hopfield", "capacity", "--noise", "0.7"])
        #expect(invalid.status == 2)
        let help = try ebm(["--help"])
        #expect(help.status == 0 && help.stdout.contains("hopfield"))
    }

    @Test("store, recall and the output format, end to end")
    func storeAndRecall() throws {
        let patterns = dir.write("p.txt", "#..#\n.##.\n#..#\n\n####\n#..#\n####\n")
        let probes = dir.write("q.txt", "#..#\n.#..\n#..#\n")
        let store = try ebm(["hopfield", "store", "--patterns", patterns, "--rule", "pseudoinverse", "--out", dir.file("m.npz")])
        #expect(store.status == 0, "\(store.stderr)")
        #expect(store.stdout.contains("stored 2 patterns of 12 neurons with the pseudoinverse rule"))
        let recall = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", probes, "--output", dir.file("r.txt"), "--show"])
        #expect(recall.status == 0, "\(recall.stderr)")
        #expect(recall.stdout.contains("probe 0: nearest pattern 0 (stored), overlap +1.000, hamming 0"))
        #expect(recall.stdout.contains(".#..  ->  .##."))
        #expect(try String(contentsOfFile: dir.file("r.txt"), encoding: .utf8) == "#..#\n.##.\n#..#\n")
        // Storing more into an existing memory keeps its rule, and refuses another.
        let more = dir.write("more.txt", "....\n####\n....\n")
        let into = try ebm(["hopfield", "store", "--patterns", more, "--into", dir.file("m.npz"), "--out", dir.file("m2.npz")])
        #expect(into.status == 0 && into.stdout.contains("pseudoinverse rule (3 in the memory"), "\(into.stdout)\(into.stderr)")
        let other = try ebm(["hopfield", "store", "--patterns", more, "--into", dir.file("m.npz"), "--rule", "hebb", "--out", dir.file("m3.npz")])
        #expect(other.status == 1 && other.stderr.contains("the memory uses the pseudoinverse rule, not the hebb rule asked for"))
        // --out may not be the memory --into reads: the memory is refused and kept as it was.
        let memoryBytes = try Data(contentsOf: URL(fileURLWithPath: dir.file("m.npz")))
        let over = try ebm(["hopfield", "store", "--patterns", more, "--into", dir.file("m.npz"), "--out", dir.file("m.npz")])
        #expect(over.status == 1 && over.stderr == "ebm: error: \(dir.file("m.npz")): is also an input ('\(dir.file("m.npz"))'); choose another output path\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("m.npz"))) == memoryBytes)
        // A probe of the wrong size names the probe file.
        let wrong = dir.write("w.txt", "##\n")
        let bad = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", wrong, "--output", dir.file("x.txt")])
        #expect(bad.status == 1 && bad.stderr.contains("\(wrong): probes have 2 neurons; the memory has 12"))
        // The output may never overwrite an input.
        let clobber = try ebm(["hopfield", "recall", "--memory", dir.file("m.npz"), "--probes", probes, "--output", probes])
        #expect(clobber.status == 1 && clobber.stderr.contains("is also an input"))
        #expect(try String(contentsOfFile: probes, encoding: .utf8) == "#..#\n.#..\n#..#\n")
    }

    @Test("bad hopfield options are usage errors (exit 2) naming the option",
          arguments: [
              (["bench", "hopfield", "--patterns", "0"], "--patterns: expected at least 1, got 0"),
              (["bench", "hopfield", "--noise", "nan"], "--noise: expected a fraction of flipped bits in [0, 1], got nan"),
              (["bench", "hopfield", "--mode", "random"], "The value 'random' is invalid for '--mode <mode>'. Please provide one of 'async', 'sync' or 'stochastic'."),
              (["bench", "hopfield", "--rule", "dense", "--degree", "1"], "--degree: expected a degree of at least 2 (or 0 for the exponential F), got 1"),
              (["hopfield", "capacity", "--rule", "oja"], "The value 'oja' is invalid for '--rule <rule>'. Please provide one of the following: - hebb - storkey - pseudoinverse - dense - dense-exp - modern (see 'ebm hopfield capacity --help')"),
              (["hopfield", "capacity", "--noise", "0.7"], "--noise: expected a fraction of flipped bits in [0, 0.5), got 0.7"),
              (["hopfield", "capacity", "--probes", "0"], "--probes: expected at least 1 probe per network, got 0"),
              (["hopfield", "capacity", "--loads", "0.3:0.1:0.1"], "The value '0.3:0.1:0.1' is invalid for '--loads <loads>': expected start:end:step"),
              (["hopfield", "capacity", "--neurons", "100001"], "expected an integer from 1 to 100000"),
              (["hopfield", "store", "--patterns", "p.txt", "--rule", "dense", "--degree=-1", "--out", "m.npz"],
               "--degree: expected a degree of at least 2 (or 0 for the exponential F), got -1"),
              (["hopfield", "recall", "--memory", "m.npz", "--probes", "p.txt", "--output", "r.txt", "--max-sweeps", "0"],
               "--max-sweeps: expected at least 1 sweep, got 0"),
              (["hopfield", "recall", "--memory", "m.npz", "--probes", "p.txt", "--output", "r.txt", "--mode", "glauber", "--mu-t", "0.5"],
               "--mu-t: expected a cooling factor greater than 1, got 0.5"),
              (["hopfield", "recall", "--memory", "m.npz", "--probes", "p.txt", "--output", "r.txt", "--mode", "stochastic", "--t-min", "0"],
               "--t-min: expected a positive temperature, got 0.0"),
          ])
    func usageErrors(_ arguments: [String], _ message: String) throws {
        let run = try ebm(arguments, in: dir.path)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("every rule and mode spelling accepted before the typed options still is")
    func spellings() throws {
        let patterns = dir.write("p.txt", "#..#\n.##.\n#..#\n\n####\n#..#\n####\n")
        for rule in ["hebb", "hebbian", "Hebb", "storkey", "pseudoinverse", "pinv", "projection", "dense", "dense-exp", "dense-poly4"] {
            let run = try ebm(["hopfield", "store", "--patterns", patterns, "--rule", rule, "--out", dir.file("\(rule).npz")])
            #expect(run.status == 0, "\(rule): \(run.stderr)")
        }
        let exp = try ebm(["hopfield", "store", "--patterns", patterns, "--rule", "dense", "--degree", "0", "--out", dir.file("e.npz")])
        #expect(exp.stdout.contains("with the dense-exp rule"), "\(exp.stdout)")
        for mode in ["async", "asynchronous", "sync", "synchronous", "stochastic", "glauber"] {
            let run = try ebm(["hopfield", "recall", "--memory", dir.file("pinv.npz"), "--probes", patterns, "--mode", mode, "--output", dir.file("r.txt")])
            #expect(run.status == 0 && run.stdout.contains("probes recalled a stored pattern exactly"), "\(mode): \(run.stderr)")
        }
        let bench = try ebm(["bench", "hopfield", "--neurons", "50", "--patterns", "2", "--probes", "10", "--repeats", "1", "--mode", "synchronous", "--rule", "pinv"])
        #expect(bench.status == 0 && bench.stdout.hasPrefix("pseudoinverse sync recall: N = 50, P = 2, 10 probes"), "\(bench.stdout)\(bench.stderr)")
    }

    @Test("capacity prints its table and writes an SVG plot")
    func capacity() throws {
        let run = try ebm(["hopfield", "capacity", "--neurons", "100", "--loads", "0.05:0.35:0.15", "--trials", "1",
                           "--quiet", "--plot", dir.file("c.svg")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("alpha") && run.stdout.contains("critical load"))
        let svg = try String(contentsOfFile: dir.file("c.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("polyline"))
    }

    @Test("the demo runs on the shipped data")
    func demo() throws {
        let run = try ebm(["demo", "--data", dataFolder, "--output", dir.file("demo")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("dense-exp"))
        #expect(FileManager.default.fileExists(atPath: dir.file("demo/hopfield-letters.png")))
        #expect(run.stdout.contains("Modern Hopfield memory (Ramsauer et al. 2020): 10000 binarised MNIST training digits"))
        #expect(FileManager.default.fileExists(atPath: dir.file("demo/hopfield-mnist.png")))
    }
}
