import EnergyCore
import Foundation

/// Writing and reading whole files safely.
///
/// Outputs are written atomically: the bytes go to a temporary file in the destination's folder,
/// which is flushed and then renamed over the destination, so a crash or a full disk never leaves
/// a half-written output, and an existing file is replaced only by a complete one.
public enum AtomicFile {
    /// Writes `data` to `path` atomically (temporary file, `fsync`, `rename`).
    ///
    /// - Throws: `InputError` naming `path` when the folder does not exist or is not writable.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = try checkFolder(of: path)
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw InputError(file: path, "cannot write: \(String(cString: strerror(errno)))")
        }
        var ok = true
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { ok = false; break }
                offset += n
            }
        }
        let err = errno
        if ok && fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(ok ? errno : err))
            unlink(tmp)
            throw InputError(file: path, "cannot write: \(reason)")
        }
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Reads the whole of `path`.
    ///
    /// - Throws: `InputError` naming `path` when it does not exist, is a folder or cannot be read.
    public static func read(_ path: String) throws -> Data {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(file: path, "no such file")
        }
        guard !isDir.boolValue else { throw InputError(file: path, "is a folder, expected a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot be read (permissions?)")
        }
        return data
    }

    /// Refuses, before any work is done, an output path that cannot be written (its folder is missing,
    /// or it is a folder) or that names one of the inputs, so an input is never overwritten.
    ///
    /// - Throws: `InputError` naming the output when its folder does not exist, it is a folder, or it
    ///   resolves to the same file as an input.
    public static func checkOutput(_ output: String, isNotAnyOf inputs: [String]) throws {
        _ = try checkFolder(of: output)
        let out = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
        for input in inputs {
            let inp = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path
            if inp == out {
                throw InputError(file: output, "is also an input ('\(input)'); choose another output path")
            }
        }
    }

    /// The folder `path` would be written into, after checking that it exists and that `path` itself
    /// is not a folder.
    ///
    /// - Throws: `InputError` naming `path` otherwise.
    private static func checkFolder(of path: String) throws -> String {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(file: path, "cannot write: folder '\(dir)' does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw InputError(file: path, "cannot write: it is a folder, expected a file path")
        }
        return dir
    }
}
