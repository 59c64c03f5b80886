import EnergyCore
import Foundation

/// Progress of a long run, on standard error: the `ProgressObserver` that `ebm` passes to the
/// libraries.
///
/// On a terminal it redraws one line with a bar, the count, the rate and the estimated time left;
/// when standard error is not a terminal (a log file, CI) it prints a plain line every `interval`
/// seconds of a long task, and nothing for a task shorter than that; with `quiet` it prints nothing.
final class ProgressReporter: ProgressObserver {
    /// What is being counted, e.g. `epoch 3/50`.
    private(set) var label = ""
    /// The number of steps to the end of the current task.
    private(set) var total = 1
    private let quiet: Bool
    private let isTerminal: Bool
    private let interval: Double
    private var start = Date()
    private var lastPrint = Date()
    private var done = 0
    private var open = false

    /// A reporter for the tasks a library announces. `interval` is the seconds between plain lines
    /// off a terminal.
    init(quiet: Bool = false, interval: Double = 5) {
        self.quiet = quiet
        self.interval = interval
        self.isTerminal = isatty(STDERR_FILENO) != 0
    }

    /// A reporter already in one task of `total` steps.
    convenience init(_ label: String, total: Int, quiet: Bool = false, interval: Double = 5) {
        self.init(quiet: quiet, interval: interval)
        begin(label, total: total)
    }

    func begin(_ task: String, total: Int) {
        if open { end() }
        label = task
        self.total = max(total, 1)
        done = 0
        open = true
        let now = Date()
        start = now
        // Off a terminal the first line comes after one interval, so short tasks print nothing.
        lastPrint = isTerminal ? .distantPast : now
    }

    func advance(by steps: Int) { advance(by: steps, note: "") }

    /// Records `steps` more steps done and redraws when due.
    func advance(by steps: Int = 1, note: @autoclosure () -> String) {
        done = min(total, done + steps)
        guard !quiet else { return }
        let now = Date()
        let due = isTerminal ? now.timeIntervalSince(lastPrint) >= 0.1 || done == total
                             : now.timeIntervalSince(lastPrint) >= interval
        if due {
            lastPrint = now
            draw(now: now, note: note())
        }
    }

    func end() { finish() }

    /// Completes the bar and ends its line (on a terminal; elsewhere nothing more is printed).
    func finish(note: String = "") {
        guard open else { return }
        open = false
        guard !quiet, isTerminal else { return }
        done = total
        draw(now: Date(), note: note)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// The line as it is drawn.
    func line(now: Date, note: String) -> String {
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        let fraction = Double(done) / Double(total)
        var s = "\(label) "
        if isTerminal {
            let width = 24
            let filled = Int(fraction * Double(width))
            s += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
        }
        s += String(format: "%3.0f%% %ld/%ld  %.1f/s  elapsed %@  ETA %@", fraction * 100, done, total, rate,
                    Self.clock(elapsed), Self.clock(left))
        if !note.isEmpty { s += "  " + note }
        return s
    }

    private func draw(now: Date, note: String) {
        let text = line(now: now, note: note)
        FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + text : text + "\n").utf8))
    }

    /// Seconds as m:ss or h:mm:ss.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60)
                         : String(format: "%ld:%02ld", s / 60, s % 60)
    }
}
