import DBN
import EnergyCore
import EnergyFormats
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
        #expect(accuracy > 0.6 && r.stdout.contains("; fine-tuned for 30 epochs\n"), "\(r.stdout)")
        // The checkpoint's kept network (the best on the split) is the network the finished run saved.
        let kept = try ebm(["dbn", "eval", "--kept", "--model", dir.file("m.checkpoint.npz"), "--data", images, "--labels", labels])
        #expect(kept.status == 0 && kept.stdout == r.stdout, "\(kept.stderr)")
        r = try ebm(["dbn", "predict", "--model", model, "--data", images, "--out", dir.file("p.csv")])
        let csv = try String(contentsOfFile: dir.file("p.csv"), encoding: .utf8).split(separator: "\n")
        #expect(r.status == 0 && csv.count == 10_001 && csv[0] == "index,label,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9")
        // The predicted labels agree with eval's accuracy.
        let truth = try DataMatrix.loadLabels(labels)
        let correct = csv.dropFirst().enumerated().filter { Int($0.element.split(separator: ",")[1]) == truth[$0.offset] }.count
        #expect(Int((accuracy * 10000).rounded()) == correct)
        r = try ebm(["dbn", "generate", "--model", model, "--label", "3", "--count", "4", "--steps", "20", "--png", dir.file("g.png")])
        #expect(r.status == 0 && FileManager.default.fileExists(atPath: dir.file("g.png")), "\(r.stderr)")
        // The count it reports is the library's judgement of the same samples (same seed, default 1).
        let (m, _) = try DBNModelFile.read(model)
        let samples = try DBNSampler.samples(try #require(m.stack), label: 3, count: 4, steps: 20, random: RandomSource(seed: 1))
        let assigned = try m.samplesClassified(as: 3, samples)
        #expect(r.stdout.contains("the classifier assigns \(assigned) of 4 to class 3; mean distance between two samples " + String(format: "%.2f", SampleDiversity.meanPairwiseDistance(samples))), "\(r.stdout)")
        // Same seed, same model.
        let again = dir.file("again.npz")
        _ = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--limit", "600", "--validation-split", "100",
                     "--layers", "40,40,60", "--pretrain-epochs", "30", "--finetune-epochs", "30", "--dropout", "0", "--input-dropout", "0", "--seed", "3", "--out", again, "--quiet"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: model)))
    }

    /// The same run by `ebm dbn train` (in its own process) and by `DBNTrainer` (in this one). With
    /// one RBM layer, or none: above it, the pretraining's up-pass is a multithreaded OpenBLAS product
    /// whose last bits follow the process's BLAS thread count, which tests running concurrently in
    /// this process change (`Parallel.run`); the library tests compare multi-layer runs in-process.
    @Test("ebm dbn train writes what DBNTrainer writes for the same settings, byte for byte", arguments: [true, false])
    func libraryEqualsCommand(pretrained: Bool) throws {
        let out = dir.file("cli.npz")
        let r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--limit", "500", "--validation-split", "100",
                         "--pretrain-epochs", "2", "--finetune-epochs", "3", "--seed", "4", "--out", out, "--quiet"]
                        + (pretrained ? ["--layers", "30", "--output-layer-epochs", "1"] : ["--layers", "30,20", "--no-pretrain"]))
        #expect(r.status == 0, "\(r.stderr)")
        let x = try DataMatrix.load(images).rows(0..<500), y = Array(try DataMatrix.loadLabels(labels)[0..<500])
        let configuration = pretrained
            ? DBNTrainer.Configuration(pretraining: .init(layers: [30], epochs: [2]), fineTuning: .init(epochs: 3, outputLayerEpochs: 1), validationSplit: 100, seed: 4)
            : DBNTrainer.Configuration(layers: [30, 20], pretraining: nil, fineTuning: .init(epochs: 3, learningRate: 0.1), validationSplit: 100, seed: 4)
        let trainer = try DBNTrainer(configuration: configuration)
        try trainer.train(x, labels: y)
        try trainer.writeModel(to: dir.file("library.npz"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("library.npz"))) == Data(contentsOf: URL(fileURLWithPath: out)))
    }

    @Test("the classes come from the labels: three classes give a three-way model")
    func threeClasses() throws {
        // The MNIST test labels mod 3.
        let three = dir.write("three.csv", try DataMatrix.loadLabels(labels).map { "\($0 % 3)\n" }.joined())
        let model = dir.file("three.npz")
        var r = try ebm(["dbn", "train", "--data", images, "--labels", three, "--limit", "300", "--validation-split", "50",
                         "--layers", "10,10", "--pretrain-epochs", "1", "--finetune-epochs", "1", "--out", model, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let (m, metadata) = try DBNModelFile.read(model)
        #expect(m.classes == 3 && metadata.classes == 3 && m.stack?.labelUnits == 3)
        r = try ebm(["dbn", "predict", "--model", model, "--data", images, "--out", dir.file("p.csv")])
        #expect(try String(contentsOfFile: dir.file("p.csv"), encoding: .utf8).hasPrefix("index,label,p0,p1,p2\n"))
        // --classes fixes the count; labels beyond it are refused with the record named.
        r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--classes", "5", "--out", dir.file("x.npz")])
        #expect(r.status == 1 && r.stderr.contains("record 0: expected a class label 0–4, found 7"), "\(r.stderr)")
    }

    @Test("--generative-finetune runs up-down after fine-tuning: the epochs are printed, the file has untied recognition weights, the classifier is the same")
    func upDown() throws {
        let common = ["dbn", "train", "--data", images, "--labels", labels, "--limit", "400", "--validation-split", "100",
                      "--layers", "20,30", "--pretrain-epochs", "2", "--finetune-epochs", "2", "--seed", "4"]
        var r = try ebm(common + ["--out", dir.file("plain.npz"), "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try ebm(common + ["--generative-finetune", "2", "--out", dir.file("ud.npz")])
        #expect(r.status == 0 && r.stdout.contains("up-down epoch   2  reconstruction error 0."), "\(r.stdout)\(r.stderr)")
        let (plain, _) = try DBNModelFile.read(dir.file("plain.npz"))
        let (tuned, metadata) = try DBNModelFile.read(dir.file("ud.npz"))
        #expect(metadata.generativeFineTuning?.epochs == 2 && tuned.stack?.recognitionWeights?.count == 1)
        #expect(try NumpyArchive.read(dir.file("ud.npz")).names.contains("recognition0_W"))
        #expect(tuned.classifier == plain.classifier && tuned.stack != plain.stack)
    }

    @Test("settings out of range are usage errors (exit 2) naming the option that sets the field")
    func configurationErrorsNameOptions() throws {
        for (arguments, option) in [(["--lr", "0"], "--lr: expected a learning rate > 0"),
                                    (["--finetune-epochs", "0"], "--finetune-epochs: expected at least 1 epoch"),
                                    (["--dropout", "1"], "--dropout: expected a probability in [0, 1)"),
                                    (["--averaging", "1.5"], "--averaging:"),
                                    (["--finetune-epochs", "3", "--output-layer-epochs", "4"], "--output-layer-epochs: expected 0 to 3 epochs"),
                                    (["--classes", "1"], "--classes: expected at least 2 classes"),
                                    (["--limit", "300", "--validation-split", "300"], "--validation-split: expected fewer than the 300 training examples"),
                                    (["--layers", "500,,500"], "--layers: expected a positive integer for layer 2, got ''"),
                                    (["--layers", "10,10", "--pretrain-lr", "0.1,,0.1"], "--pretrain-lr: expected a positive number for layer 2, got ''"),
                                    (["--generative-finetune", "2", "--no-generative"], "--generative-finetune: up-down fine-tuning needs pretraining with a generative top"),
                                    (["--generative-finetune", "2", "--generative-lr", "0"], "--generative-lr: expected a learning rate > 0"),
                                    (["--generative-finetune", "0"], "--generative-finetune"),
                                    (["--optimizer", "rmsprop"], "--optimizer")] {
            let r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--out", dir.file("x.npz"), "--quiet"] + arguments)
            #expect(r.status == 2 && r.stderr.contains(option), "\(arguments): \(r.stderr)")
        }
    }

    @Test("wrong label counts, image sizes and out-of-range labels are refused with the file named")
    func errors() throws {
        let few = dir.write("few.csv", "3\n1\n")
        var r = try ebm(["dbn", "train", "--data", images, "--labels", few, "--out", dir.file("x.npz")])
        #expect(r.status == 1 && r.stderr.contains("few.csv") && r.stderr.contains("has 2 labels; expected 10000"))
        let bad = dir.write("bad.csv", "3\n-1\n")
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
        #expect(r.status == 2 && r.stderr.contains("--pretrain-lr") && r.stderr.contains("expected one value or 3 (one per layer), got 2"))
        r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--layers", "10,10,10", "--pretrain-sampling", "cd,gibbs,cd", "--out", dir.file("y.npz")])
        #expect(r.status == 2 && r.stderr.contains("--pretrain-sampling") && r.stderr.contains("expected cd or pcd for layer 2, got 'gibbs'"))
        // Spaces around items are fine; an empty item is refused by every list option alike.
        r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--layers", "10,10", "--pretrain-epochs", "1, 1", "--limit", "200",
                     "--validation-split", "50", "--finetune-epochs", "1", "--out", dir.file("z.npz"), "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        for (option, value) in [("--layers", "10,"), ("--pretrain-epochs", "1,"), ("--pretrain-momentum", "0.5,"), ("--pretrain-cd", "1,")] {
            r = try ebm(["dbn", "train", "--data", images, "--labels", labels, "--layers", "10,10", option, value, "--out", dir.file("y.npz")])
            #expect(r.status == 2 && r.stderr.contains("\(option): expected") && r.stderr.contains("for layer 2, got ''"), "\(r.stderr)")
        }
        let small = dir.write("small.csv", "0.1,0.2,0.3\n0.4,0.5,0.6\n")
        r = try ebm(["dbn", "predict", "--model", model, "--data", small, "--out", dir.file("p.csv")])
        #expect(r.status == 1 && r.stderr.contains("small.csv") && r.stderr.contains("expects 784"))
        r = try ebm(["dbn", "generate", "--model", model, "--label", "11", "--png", dir.file("g.png")])
        #expect(r.status == 2 && r.stderr.contains("--label: expected a class 0–9, got 11"))
        r = try ebm(["dbn", "eval", "--model", model, "--data", images, "--labels", dir.write("eleven.csv", String(repeating: "11\n", count: 10_000))])
        #expect(r.status == 1 && r.stderr.contains("eleven.csv: record 0: expected a class label 0–9"))
    }
}
