/// Where a long computation reports how far it has got.
///
/// The libraries never print. A long run (an epoch of training, an AIS sweep, a capacity experiment,
/// a folder of events) announces each task with the number of steps it will take, reports steps as
/// they finish, and ends the task. The caller decides what to show: the `ebm` tool draws a progress
/// bar with an ETA; a Swift program may pass its own observer, or none.
///
/// Calls come from the thread that runs the computation, in the order `begin`, `advance`…, `end`,
/// one task at a time.
public protocol ProgressObserver: AnyObject {
    /// A task of `total` steps begins, e.g. `"epoch 3/50"` with one step per mini-batch.
    func begin(_ task: String, total: Int)
    /// `steps` more steps of the current task are done.
    func advance(by steps: Int)
    /// The current task is complete.
    func end()
}

/// An observer that names the stage of a larger run before each task, e.g. `layer 2 epoch 3/20`.
public final class LabelledProgress: ProgressObserver {
    private let prefix: String
    private let inner: any ProgressObserver

    /// Passes every task on to `inner`, its name prefixed with `prefix`.
    public init(_ prefix: String, _ inner: any ProgressObserver) {
        self.prefix = prefix
        self.inner = inner
    }

    public func begin(_ task: String, total: Int) { inner.begin(prefix + " " + task, total: total) }
    public func advance(by steps: Int) { inner.advance(by: steps) }
    public func end() { inner.end() }
}
