import Foundation
import TestSupport
import Testing

/// Runs the `ebm` binary that `swift test` builds; when it is missing, `ebm(_:)` throws and every
/// test here fails rather than being skipped.
@Suite("ebm rbm")
struct RBMCommandTests {
    let dir = TemporaryFolder()

    /// 200 binary examples of 16 units as CSV: two prototypes with noise.
    func data() -> String {
        var lines: [String] = []
        var state: UInt64 = 7
        for r in 0..<200 {
            let values = (0..<16).map { i -> String in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let noise = (state >> 33) % 10 == 0
                let on = (r % 2 == 0) == (i < 8)
                return (on != noise) ? "1" : "0"
            }
            lines.append(values.joined(separator: ","))
        }
        return dir.write("d.csv", lines.joined(separator: "\n") + "\n")
    }

    @Test("train, resume, loglik, sample, filters and transform, end to end")
    func workflow() throws {
        let d = data()
        let model = dir.file("m.npz")
        let train = try ebm(["rbm", "train", "--data", d, "--hidden", "6", "--epochs", "3", "--batch", "20", "--lr", "0.1", "--out", model])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("epoch   3") && train.stdout.contains("PL"))
        #expect(FileManager.default.fileExists(atPath: dir.file("m.checkpoint.npz")))

        let more = try ebm(["rbm", "train", "--data", d, "--hidden", "6", "--epochs", "5", "--batch", "20", "--lr", "0.1", "--out", model, "--resume"])
        #expect(more.status == 0 && more.stdout.contains("resuming") && more.stdout.contains("epoch   5") && !more.stdout.contains("epoch   3 "), "\(more.stdout)\(more.stderr)")
        let wrong = try ebm(["rbm", "train", "--data", d, "--hidden", "6", "--epochs", "5", "--lr", "0.3", "--out", model, "--resume"])
        #expect(wrong.status == 1 && wrong.stderr.contains("other settings"))
        // Issue #13: other data, fewer examples or another binarisation are refused on resume, not mixed in.
        // (Binarising these 0/1 values changes nothing, so that case is one of other data.)
        var text = try String(contentsOfFile: d, encoding: .utf8)
        text.replaceSubrange(text.startIndex..<text.index(after: text.startIndex), with: text.hasPrefix("1") ? "0" : "1")
        let other = dir.write("other.csv", text)
        for changed in [["--data", d, "--limit", "10"], ["--data", other]] {
            let r = try ebm(["rbm", "train", "--hidden", "6", "--epochs", "5", "--batch", "20", "--lr", "0.1", "--out", model, "--resume"] + changed)
            #expect(r.status == 1 && r.stderr.contains("other training data") && r.stderr.split(separator: "\n").count == 1, "\(changed): \(r.stderr)")
        }

        let exact = try ebm(["rbm", "loglik", "--model", model, "--data", d, "--exact", "--binarize", "none"])
        #expect(exact.status == 0 && exact.stdout.contains("log Z =") && exact.stdout.contains("average log-likelihood"), "\(exact.stderr)")
        let ais = try ebm(["rbm", "loglik", "--model", model, "--data", d, "--ais", "--betas", "500", "--runs", "20", "--binarize", "none", "--quiet"])
        #expect(ais.status == 0 && ais.stdout.contains("AIS, 20 runs"), "\(ais.stderr)")
        let both = try ebm(["rbm", "loglik", "--model", model, "--data", d])
        #expect(both.status == 2)

        let sample = try ebm(["rbm", "sample", "--model", model, "--count", "4", "--steps", "10", "--shape", "4x4", "--png", dir.file("s.png")])
        #expect(sample.status == 0, "\(sample.stderr)")
        let filters = try ebm(["rbm", "filters", "--model", model, "--shape", "4x4", "--png", dir.file("f.png")])
        #expect(filters.status == 0, "\(filters.stderr)")
        let badShape = try ebm(["rbm", "filters", "--model", model, "--shape", "3x3", "--png", dir.file("g.png")])
        #expect(badShape.status == 2 && badShape.stderr.contains("H·W = 16"))
        let transform = try ebm(["rbm", "transform", "--model", model, "--data", d, "--out", dir.file("features.npy")])
        #expect(transform.status == 0 && transform.stdout.contains("200×6"), "\(transform.stderr)")
        try #require(numpyAvailable, "python3 with NumPy is needed to check that the features load in NumPy")
        #expect(try python("import numpy as np; a = np.load('\(dir.file("features.npy"))'); print(a.shape, a.dtype, bool(((a >= 0) & (a <= 1)).all()))") == "(200, 6) float32 True")
    }

    @Test("bad data and models are refused with the file named")
    func errors() throws {
        let outside = dir.write("o.csv", "0,1\n2,0\n")
        let r1 = try ebm(["rbm", "train", "--data", outside, "--hidden", "2", "--out", dir.file("m.npz")])
        #expect(r1.status == 1 && r1.stderr.contains("\(outside): record 1: value 2.0") && r1.stderr.contains("Bernoulli"))
        let truncated = dir.write("t.idx", "")
        _ = FileManager.default.createFile(atPath: truncated, contents: Data([0, 0, 8, 2, 0, 0, 0, 5, 0, 0, 0, 4, 1, 2]))
        let r2 = try ebm(["rbm", "train", "--data", truncated, "--hidden", "2", "--out", dir.file("m.npz")])
        #expect(r2.status == 1 && r2.stderr.contains("truncated"))
        let d = data()
        _ = try ebm(["rbm", "train", "--data", d, "--hidden", "3", "--epochs", "1", "--out", dir.file("m.npz")])
        let narrow = dir.write("n.csv", "0,1,1\n")
        let r3 = try ebm(["rbm", "transform", "--model", dir.file("m.npz"), "--data", narrow, "--out", dir.file("x.npy")])
        #expect(r3.status == 1 && r3.stderr.contains("examples have 3 values; the model has 16 visible units"))
        let notModel = dir.write("x.npz", "nope")
        let r4 = try ebm(["rbm", "sample", "--model", notModel, "--png", dir.file("s.png")])
        #expect(r4.status == 1 && r4.stderr.contains("not an .npz"))
    }

    @Test("settings out of range are usage errors naming the option", arguments: [
        (["--lr", "0"], "--lr"), (["--lr", "-1"], "--lr"), (["--lr=-1"], "--lr"), (["--lr=-1"], "--lr"), (["--batch", "0"], "--batch"), (["--hidden", "0"], "--hidden"),
        (["--epochs", "0"], "--epochs"), (["--cd", "0"], "--cd"), (["--chains", "0"], "--chains"), (["--momentum", "1"], "--momentum"),
        (["--initial-momentum", "-0.5"], "--initial-momentum"), (["--weight-decay", "-1"], "--weight-decay"),
        (["--sparsity-target", "1.5"], "--sparsity-target"), (["--limit", "0"], "--limit"),
        (["--visible-units", "binary"], "--visible-units"), (["--binarize", "sometimes"], "--binarize"), (["--lr-decay", "cosine"], "--lr-decay"),
    ])
    func usageErrors(_ options: [String], _ option: String) throws {
        var arguments = ["rbm", "train", "--data", data(), "--hidden", "4", "--out", dir.file("m.npz")]
        if let k = arguments.firstIndex(of: options[0]) { arguments.removeSubrange(k...(k + 1)) }
        let r = try ebm(arguments + options)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(option) && r.stderr.contains("(see 'ebm rbm train --help')") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("m.npz")))
    }

    @Test("a diverging run exits 1 naming the last good checkpoint")
    func divergence() throws {
        let d = data()
        // One mini-batch per epoch at a huge learning rate diverges in epoch 2.
        let r = try ebm(["rbm", "train", "--data", d, "--hidden", "4", "--no-pcd", "--batch", "200", "--epochs", "3", "--lr", "1e30",
                         "--lr-decay", "none", "--out", dir.file("m.npz"), "--quiet"])
        #expect(r.status == 1 && r.stderr.contains("training diverged in epoch 2"), "\(r.stderr)")
        #expect(r.stderr.contains("the last good checkpoint is kept: \(dir.file("m.checkpoint.npz"))"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("m.npz")))
    }

    @Test("loglik and bench map their settings to their options")
    func otherUsageErrors() throws {
        let d = data()
        _ = try ebm(["rbm", "train", "--data", d, "--hidden", "3", "--epochs", "1", "--out", dir.file("m.npz")])
        let runs = try ebm(["rbm", "loglik", "--model", dir.file("m.npz"), "--data", d, "--ais", "--runs", "1"])
        #expect(runs.status == 2 && runs.stderr.contains("--runs"))
        let limit = try ebm(["rbm", "loglik", "--model", dir.file("m.npz"), "--data", d, "--exact", "--limit", "0"])
        #expect(limit.status == 2 && limit.stderr.contains("--limit"))
        let bench = try ebm(["bench", "rbm", "--data", d, "--hidden", "0"])
        #expect(bench.status == 2 && bench.stderr.contains("--hidden"), "\(bench.stderr)")
        let repeats = try ebm(["bench", "rbm", "--data", d, "--hidden", "4", "--repeats", "0"])
        #expect(repeats.status == 2 && repeats.stderr.contains("--repeats"), "\(repeats.stderr)")
    }

    @Test("parallel tempering and centring from the command line, and loglik with reverse AIS (issue #15)")
    func frontier() throws {
        let d = data()
        let model = dir.file("pt.npz")
        let train = try ebm(["rbm", "train", "--data", d, "--hidden", "6", "--epochs", "2", "--batch", "20", "--lr", "0.1", "--sampler", "pt",
                             "--temperatures", "3", "--min-beta", "0.4", "--chains", "10", "--centring", "--out", model])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("PT-3 (10 chains × 3 temperatures") && train.stdout.contains("centred") && train.stdout.contains("swaps "),
                "\(train.stdout)")
        let resumed = try ebm(["rbm", "train", "--data", d, "--hidden", "6", "--epochs", "3", "--batch", "20", "--lr", "0.1", "--sampler", "pt",
                               "--temperatures", "3", "--min-beta", "0.4", "--chains", "10", "--centring", "--out", model, "--resume"])
        #expect(resumed.status == 0 && resumed.stdout.contains("epoch   3"), "\(resumed.stdout)\(resumed.stderr)")

        for bad in [["--sampler", "pt", "--no-pcd"], ["--sampler", "gibbs"], ["--sampler", "pt", "--temperatures", "1"],
                    ["--sampler", "pt", "--min-beta", "1"], ["--centring", "--offset-rate", "0"]] {
            let r = try ebm(["rbm", "train", "--data", d, "--hidden", "6", "--out", dir.file("x.npz")] + bad)
            #expect(r.status == 2, "\(bad): \(r.stderr)")
        }
        let cd = try ebm(["rbm", "train", "--data", d, "--hidden", "4", "--epochs", "1", "--sampler", "cd", "--out", dir.file("cd.npz")])
        #expect(cd.status == 0 && cd.stdout.contains("CD-3") && !cd.stdout.contains("swaps"), "\(cd.stdout)")
        // Centring is the default (issue #15's measured defaults); --no-centring trains the plain gradient.
        #expect(cd.stdout.contains("centred (offset rate 0.01)"), "\(cd.stdout)")
        let plain = try ebm(["rbm", "train", "--data", d, "--hidden", "4", "--epochs", "1", "--no-centring", "--out", dir.file("plain.npz")])
        #expect(plain.status == 0 && plain.stdout.contains("PCD-3 (100 chains)") && !plain.stdout.contains("centred"), "\(plain.stdout)")

        let both = try ebm(["rbm", "loglik", "--model", model, "--data", d, "--ais", "--betas", "200", "--runs", "20", "--binarize", "none",
                            "--reverse", "--reverse-examples", "30", "--reverse-runs", "5", "--quiet"])
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout.contains("AIS (optimistic)") && both.stdout.contains("reverse AIS (pessimistic)") && both.stdout.contains("30 examples, 5 runs"),
                "\(both.stdout)")
        let badRuns = try ebm(["rbm", "loglik", "--model", model, "--data", d, "--ais", "--reverse", "--reverse-runs", "1"])
        #expect(badRuns.status == 2 && badRuns.stderr.contains("--reverse-runs"), "\(badRuns.stderr)")
    }
}
