import Dispatch

/// Data-parallel loops over worker indices.
public enum Parallel {
    /// Runs `body(worker)` for every worker in 0..<workers concurrently and waits for all.
    ///
    /// While the workers run, OpenBLAS is limited to one thread, so that BLAS calls inside the
    /// workers do not oversubscribe the cores; its setting is restored afterwards.
    ///
    /// The workers must write disjoint memory. Work is split by the caller (usually by striding
    /// over items), so results depend only on the split, which callers make independent of the
    /// thread count where reproducibility requires it.
    public static func run(workers: Int, _ body: (Int) -> Void) {
        guard workers > 1 else {
            body(0)
            return
        }
        let blasThreads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(blasThreads) }
        withoutActuallyEscaping(body) { escapable in
            let shared = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: workers) { shared.value($0) }
        }
    }
}

/// A value handed across threads whose safety the caller guarantees.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
