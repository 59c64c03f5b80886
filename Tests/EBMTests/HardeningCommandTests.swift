import EnergyCore
import EnergyFormats
import Foundation
import Testing
import TestSupport

/// The option and model-file crashes of issue #13 (findings 10–12, 14, 15) and the RBM metadata that
/// disagreed with its arrays: each is now a one-line error with exit 1 (bad data) or a usage error
/// with exit 2, never a trap.
@Suite("Hostile input: ebm options and model files")
struct HardeningCommandTests {
    let dir = TemporaryFolder()

    /// A small trained RBM (784 × 4) to point the commands at.
    func model() throws -> String {
        var x = Matrix<Float>(rows: 20, columns: 784)
        for i in x.storage.indices { x.storage[i] = Float(i % 7) / 7 }
        try NumpyArray(x).write(to: dir.file("x.npy"))
        let run = try ebm(["rbm", "train", "--data", dir.file("x.npy"), "--hidden", "4", "--epochs", "1", "--out", dir.file("m.npz"), "--quiet"])
        try #require(run.status == 0, "\(run.stderr)")
        return dir.file("m.npz")
    }

    func expect(_ arguments: [String], status: Int32, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try ebm(arguments)
        #expect(run.status == status, "\(arguments): \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(text), "\(arguments): \(run.stderr)", sourceLocation: sourceLocation)
        #expect(!run.stderr.contains("Program crashed") && !run.stderr.contains("runtime failure"), sourceLocation: sourceLocation)
    }

    @Test("RBM files with an empty W, or metadata that disagrees with the arrays, are refused (exit 1)")
    func rbmFiles() throws {
        let empty = NumpyArchive([("W", NumpyArray([Float](), shape: [0, 16])), ("visible_bias", NumpyArray([Float](), shape: [0])),
                                  ("hidden_bias", NumpyArray([Float](repeating: 0, count: 16), shape: [16]))])
        try empty.write(to: dir.file("w0.npz"))
        try expect(["rbm", "filters", "--model", dir.file("w0.npz"), "--png", dir.file("f.png")], status: 1, "expected at least 1 visible and 1 hidden unit")
        var archive = try NumpyArchive.read(try model())
        let json = try #require(archive["metadata"]?.string)
        archive["metadata"] = NumpyArray(string: json.replacingOccurrences(of: "\"hidden\":4", with: "\"hidden\":99"))
        try archive.write(to: dir.file("meta.npz"))
        try expect(["rbm", "filters", "--model", dir.file("meta.npz"), "--png", dir.file("f.png")], status: 1, "the arrays are 784×4")
    }

    @Test("sizes in options that overflow or exceed the allocation limit are usage errors or named errors")
    func sizes() throws {
        let m = try model()
        try expect(["rbm", "sample", "--model", m, "--shape", "4294967296x4294967296", "--png", dir.file("s.png")], status: 2, "--shape")
        try expect(["rbm", "filters", "--model", m, "--shape", "4294967296x4294967296", "--png", dir.file("s.png")], status: 2, "--shape")
        try expect(["rbm", "train", "--data", dir.file("x.npy"), "--hidden", "4611686018427387904", "--epochs", "1", "--out", dir.file("h.npz")],
                   status: 2, "--hidden")
        try expect(["tracks", "generate", "--detector", "barrel", "--tracks", "5", "--noise", "1e300", "--out", dir.file("e")], status: 2, "--noise")
    }

    @Test("usage errors are one line naming the option and the command's help, exit 2, whether found while parsing or while running",
          arguments: [
              (["dbn", "generate", "--model", "m.npz", "--label", "1", "--steps=-5", "--png", "g.png"], "--steps", "ebm dbn generate --help"),
              (["rbm", "loglik", "--model", "m.npz", "--data", "d.npy", "--exact", "--limit", "0"], "--limit", "ebm rbm loglik --help"),
              (["rbm", "sample", "--model", "m.npz", "--count", "nan", "--png", "s.png"], "--count", "ebm rbm sample --help"),
              (["bench", "blas", "--size", "8"], "--size", "ebm bench blas --help"),
              (["hopfield", "store", "--patterns", "p.txt", "--out", "m.npz", "--bogus"], "--bogus", "ebm hopfield store --help"),
              (["rbm", "filters", "--model", "MODEL", "--shape", "3x5", "--png", "f.png"], "--shape", "ebm rbm filters --help"),
          ])
    func oneLineUsageErrors(_ arguments: [String], _ option: String, _ help: String) throws {
        let m = arguments.contains("MODEL") ? try model() : ""
        let run = try ebm(arguments.map { $0 == "MODEL" ? m : $0 })
        #expect(run.status == 2, "\(arguments): \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.hasPrefix("ebm: error: "), "\(arguments): \(run.stderr)")
        #expect(run.stderr.contains(option) && run.stderr.contains("(see '\(help)')") && !run.stderr.contains("Usage:"), "\(arguments): \(run.stderr)")
    }

    @Test("dbn generate refuses a sample count beyond the allocation limit")
    func dbnCount() throws {
        var x = Matrix<Float>(rows: 30, columns: 16)
        for i in x.storage.indices { x.storage[i] = Float(i % 5) / 5 }
        try NumpyArray(x).write(to: dir.file("d.npy"))
        try NumpyArray((0..<30).map { Int64($0 % 3) }.map(Float.init), shape: [30]).write(to: dir.file("y.npy"))
        let train = try ebm(["dbn", "train", "--data", dir.file("d.npy"), "--labels", dir.file("y.npy"), "--layers", "8,8", "--pretrain-epochs", "1",
                             "--finetune-epochs", "1", "--validation-split", "5", "--out", dir.file("d.npz"), "--quiet"])
        try #require(train.status == 0, "\(train.stderr)")
        try expect(["dbn", "generate", "--model", dir.file("d.npz"), "--label", "1", "--count", "4611686018427387904", "--width", "4",
                    "--png", dir.file("g.png")], status: 2, "--count")
    }
}
