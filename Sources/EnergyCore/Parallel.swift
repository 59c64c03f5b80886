import Dispatch
import Foundation

/// Data-parallel loops over worker indices.
public enum Parallel {
    /// Runs `body(worker)` for every worker in 0..<workers concurrently and waits for all.
    ///
    /// While the workers run, OpenBLAS is limited to one thread, so that BLAS calls inside the
    /// workers do not oversubscribe the cores; its setting is restored when the last of the
    /// overlapping runs ends. The limit is process-wide (OpenBLAS 0.3.21 has no per-thread
    /// setting), so BLAS calls made on other threads meanwhile also use one thread: their results
    /// may then differ from a multithreaded call in the last bits, as OpenBLAS blocks the sums
    /// differently per thread count.
    ///
    /// The workers must write disjoint memory. Work is split by the caller (usually by striding
    /// over items), so results depend only on the split, which callers make independent of the
    /// thread count where reproducibility requires it.
    public static func run(workers: Int, _ body: (Int) -> Void) {
        guard workers > 1 else {
            body(0)
            return
        }
        BLASLimit.enter()
        defer { BLASLimit.leave() }
        withoutActuallyEscaping(body) { escapable in
            let shared = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: workers) { shared.value($0) }
        }
    }
}

/// Counts the parallel runs in progress, so that overlapping runs (from concurrent callers or
/// nested loops) restore the caller's OpenBLAS thread count once, when the last one ends, and
/// never leave it at one.
private enum BLASLimit {
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var saved = 1
    private static let lock = NSLock()

    static func enter() {
        lock.lock()
        defer { lock.unlock() }
        if depth == 0 {
            saved = BLAS.threads
            BLAS.setThreads(1)
        }
        depth += 1
    }

    static func leave() {
        lock.lock()
        defer { lock.unlock() }
        depth -= 1
        if depth == 0 { BLAS.setThreads(saved) }
    }
}

/// A value handed across threads whose safety the caller guarantees.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
