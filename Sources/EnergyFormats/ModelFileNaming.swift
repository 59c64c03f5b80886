/// The one naming of the files a training run writes beside its model file.
///
/// A model `mnist500.npz` has its checkpoint in `mnist500.checkpoint.npz` (written after every
/// epoch, for resuming) and, for a stacked model, its finished pretraining layers in
/// `mnist500.pretrain.npz`. Every trainer and the `ebm` tool use these names.
public enum ModelFileNaming {
    /// `model.npz` → `model`; a name without `.npz` is kept whole.
    public static func stem(of model: String) -> String {
        model.hasSuffix(".npz") ? String(model.dropLast(4)) : model
    }

    /// `model.npz` → `model.checkpoint.npz`.
    public static func checkpoint(for model: String) -> String { stem(of: model) + ".checkpoint.npz" }

    /// `model.npz` → `model.pretrain.npz`.
    public static func pretraining(for model: String) -> String { stem(of: model) + ".pretrain.npz" }
}
