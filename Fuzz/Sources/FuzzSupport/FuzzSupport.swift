import EnergyCore
import Foundation

/// What every harness shares: the fuzz input written to a file with the extension the reader
/// detects formats by, an allocation limit far below libFuzzer's, and "a thrown error is fine".
///
/// Each harness passes the bytes to a public reader that takes a path, as `ebm` does, so a
/// harness depends only on the readers' signatures, not on how they parse.
public enum Fuzz {
    /// A folder of this process's own under /dev/shm (memory, so writing the input costs no disk
    /// I/O), or under the temporary folder where /dev/shm is missing. Parallel runs (`-jobs`,
    /// `-fork`) each have a process of their own, so they never share a file.
    public static let directory: String = {
        var isDir: ObjCBool = false
        let base = FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDir) && isDir.boolValue
            ? "/dev/shm" : NSTemporaryDirectory()
        removeStaleDirectories(in: base)
        let dir = "\(base)/ebm-fuzz-\(getpid())"
        mkdir(dir, 0o700)
        atexit { Fuzz.removeDirectory() }
        return dir
    }()

    /// Removes the folders of harness processes that are gone: one that crashes exits without
    /// running `atexit`, and libFuzzer has saved the input elsewhere.
    private static func removeStaleDirectories(in base: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix("ebm-fuzz-") {
            guard let pid = pid_t(name.dropFirst("ebm-fuzz-".count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: "\(base)/\(name)")
        }
    }

    /// The largest single allocation a reader may make for what a file asks (`Sizes.allocationLimit`):
    /// 64 MiB, far below libFuzzer's `-malloc_limit_mb` (by default its `-rss_limit_mb`, 2 GiB). A
    /// reader that checks its sizes refuses a bigger request with an `InputError`; one that does not
    /// allocates it, and libFuzzer reports the malloc as out-of-memory and saves the input.
    public static let allocationLimit = 64 << 20

    private static let prepared: Void = {
        Sizes.allocationLimit = allocationLimit
    }()

    /// Writes `bytes` to the file `name` of this process's folder and returns its path.
    ///
    /// - Parameter name: the file name, e.g. `input.npy`; its extension selects the format.
    @discardableResult
    public static func write(_ bytes: Data, as name: String) -> String {
        _ = prepared
        let path = "\(directory)/\(name)"
        // Not AtomicFile: a plain overwrite is all one process needs, and it keeps the harness's
        // own I/O out of the code under test.
        guard FileManager.default.createFile(atPath: path, contents: bytes) else {
            fatalError("fuzz harness: cannot write \(path)")
        }
        return path
    }

    /// Runs a reader on the current input. Any error it throws is a correct answer to bad input;
    /// only a trap, a sanitizer report, a leak, a timeout or running out of memory is a finding.
    /// With `FUZZ_PRINT_ERRORS=1` in the environment the errors are printed, to see why a seed is
    /// refused (e.g. `FUZZ_PRINT_ERRORS=1 Fuzz/.build/release/FuzzRBMModel Fuzz/Corpus/FuzzRBMModel/*`).
    public static func run(_ read: () throws -> Void) {
        _ = prepared
        do {
            try read()
            if printErrors { FileHandle.standardError.write(Data("fuzz: read\n".utf8)) }
        } catch {
            if printErrors { FileHandle.standardError.write(Data("fuzz: \(error)\n".utf8)) }
        }
    }

    private static let printErrors = ProcessInfo.processInfo.environment["FUZZ_PRINT_ERRORS"] == "1"

    /// The bytes of libFuzzer's input.
    public static func data(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Data {
        guard let bytes, size > 0 else { return Data() }
        return Data(bytes: bytes, count: size)
    }

    private static func removeDirectory() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A harness's `LLVMFuzzerTestOneInput`.
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                                 _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                                 _ target: FuzzTarget) -> Int32

extension Fuzz {
    /// libFuzzer's command line run on `target`: the body of each harness's entry point.
    ///
    /// SwiftPM links an executable target on Linux with `--defsym main=<Target>_main` (so that tests
    /// can link executables), and under `-parse-as-library` nothing defines that symbol, so the link
    /// fails. Each harness therefore defines `<Target>_main` itself and starts libFuzzer's driver
    /// (`LLVMFuzzerRunDriver`, what libFuzzer's own `main` runs), taking all of libFuzzer's options.
    /// Should SwiftPM stop renaming `main`, libFuzzer's `main` runs instead and this is never called.
    ///
    /// It first turns off the Swift runtime's crash backtracer, which is on by default on Linux and
    /// takes SIGILL, the signal of a Swift trap (overflow, index out of range, force unwrap of nil),
    /// before libFuzzer can: libFuzzer installs no handler where one exists, so a trap would start
    /// `swift-backtrace` (which hangs under ASan) instead of being reported with its input. The
    /// runtime reads `SWIFT_BACKTRACE` only at start-up, so without `enable=no` the harness sets it
    /// and executes itself again; everything else about the command line and environment is kept.
    public static func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                            _ target: FuzzTarget) -> Int32 {
        let backtrace = ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] ?? ""
        if !backtrace.contains("enable=no"), let argv {
            setenv("SWIFT_BACKTRACE", backtrace.isEmpty ? "enable=no" : backtrace + ",enable=no", 1)
            execv("/proc/self/exe", argv)
            // Only reached when exec fails; fuzz on, with traps left to the backtracer.
            perror("fuzz harness: cannot re-execute itself with SWIFT_BACKTRACE=enable=no")
        }
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, target)
    }
}
