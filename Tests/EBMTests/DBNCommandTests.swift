import DBN
import Foundation
import RBM
import TestSupport
import Testing

@Suite("ebm dbn")
struct DBNCommandTests {
    let dir = TemporaryFolder()
    let images = dataFolder + "/mnist/t10k-images-idx3-ubyte.gz"
    let labels = dataFolder + "/mnist/t10k-labels-idx1-ubyte.gz"

    @Test("train, eval, predict and generate work end to end, and the model files round-trip")
    func endToEnd() throws {
        let model = dir.file("m.npz")
        var r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--limit", "600", "--validation-split", "100",
                         "--layers", "40,40,60", "--pretrain-epochs", "30", "--finetune-epochs", "30", "--dropout", "0", "--input-dropout", "0", "--seed", "3", "--out", model, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.file("m.checkpoint.npz")) && FileManager.default.fileExists(atPath: dir.file("m.pretrain.npz")))
        // Without --pretrain-cd, the label-joined top layer gets CD-10 and the others CD-1.
        #expect(try DBNModelFile.read(model).metadata.pretraining?.training.map(\.sampling.steps) == [1, 1, 10])
        r = try ebm(["dbn", "eval", "--model", model, "--data", images, "--labels", labels])
        #expect(r.status == 0 && r.stdout.hasPrefix("accuracy 0.") && r.stdout.contains("true\\pred"), "\(r.stderr)")
        let accuracy = Double(r.stdout.split(separator: " ")[1]) ?? 0
        #expect(accuracy > 0.6)
        r = try ebm(["dbn", "predict", "--model", model, "--data", images, "--out", dir.file("p.csv")])
        let csv = try String(contentsOfFile: dir.file("p.csv"), encoding: .utf8).split(separator: "\n")
        #expect(r.status == 0 && csv.count == 10_001 && csv[0] == "index,label,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9")
        // The predicted labels agree with eval's accuracy.
        let truth = try ebm(["dbn", "eval", "--model", model, "--data", images, "--labels", labels]).stdout
        #expect(truth.contains(String(format: "%d of 10000 correct", Int((accuracy * 10000).rounded()))))
        r = try ebm(["dbn", "generate", "--model", model, "--label", "3", "--count", "4", "--steps", "20", "--png", dir.file("g.png")])
        #expect(r.status == 0 && FileManager.default.fileExists(atPath: dir.file("g.png")), "\(r.stderr)")
        // The report of how many samples the model's classifier takes for the clamped class.
        let assigned = r.stdout.components(separatedBy: "the classifier assigns ").last?.split(separator: " ").first.flatMap { Int($0) }
        #expect(assigned.map { (0...4).contains($0) } == true, "\(r.stdout)")
        // Same seed, same model.
        let again = dir.file("again.npz")
        _ = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--limit", "600", "--validation-split", "100",
                     "--layers", "40,40,60", "--pretrain-epochs", "30", "--finetune-epochs", "30", "--dropout", "0", "--input-dropout", "0", "--seed", "3", "--out", again, "--quiet"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: model)))
    }

    @Test("wrong label counts, image sizes and out-of-range labels are refused with the file named")
    func errors() throws {
        let few = dir.write("few.csv", "3\n1\n")
        var r = try ebm(["dbn", "train", "--data", images, "--labels", few, "--out", dir.file("x.npz")])
        #expect(r.status == 1 && r.stderr.contains("few.csv") && r.stderr.contains("has 2 labels; expected 10000"))
        let bad = dir.write("bad.csv", "3\n12\n")
        r = try ebm(["dbn", "train", "--data", images, "--labels", bad, "--out", dir.file("x.npz")])
        #expect(r.status == 1 && r.stderr.contains("bad.csv") && r.stderr.contains("record 1"))
        let model = dir.file("m.npz")
        // Per-layer pretraining settings reach each layer (and the model's metadata).
        r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--limit", "300", "--validation-split", "100",
                     "--layers", "10,10,10", "--pretrain-epochs", "1,1,2", "--pretrain-lr", "0.1,0.05,0.05",
                     "--pretrain-sampling", "cd,cd,pcd", "--pretrain-cd", "1,1,2", "--finetune-epochs", "1", "--out", model, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let layers = try #require(try DBNModelFile.read(model).metadata.pretraining?.training)
        #expect(layers.map(\.epochs) == [1, 1, 2] && layers.map(\.learningRate) == [0.1, 0.05, 0.05])
        #expect(layers.map(\.sampling) == [.contrastiveDivergence(steps: 1), .contrastiveDivergence(steps: 1), .persistent(chains: 100, steps: 2)])
        r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--layers", "10,10,10", "--pretrain-lr", "0.1,0.2", "--out", dir.file("y.npz")])
        #expect(r.status == 1 && r.stderr.contains("--pretrain-lr") && r.stderr.contains("expected one value or 3 (one per layer), got 2"))
        r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--layers", "10,10,10", "--pretrain-sampling", "cd,gibbs,cd", "--out", dir.file("y.npz")])
        #expect(r.status == 1 && r.stderr.contains("--pretrain-sampling") && r.stderr.contains("expected cd or pcd for layer 2, got 'gibbs'"))
        let small = dir.write("small.csv", "0.1,0.2,0.3\n0.4,0.5,0.6\n")
        r = try ebm(["dbn", "predict", "--model", model, "--data", small, "--out", dir.file("p.csv")])
        #expect(r.status == 1 && r.stderr.contains("small.csv") && r.stderr.contains("expects 784"))
        r = try ebm(["dbn", "generate", "--model", model, "--label", "11", "--png", dir.file("g.png")])
        #expect(r.status == 1 && r.stderr.contains("--label"))
    }
}
