import Foundation

/// A fresh temporary folder per test, removed when the value goes away.
public final class TemporaryFolder {
    public let path: String
    public init() {
        path = NSTemporaryDirectory() + "ebm-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    public func file(_ name: String) -> String { path + "/" + name }
    public func write(_ name: String, _ text: String) -> String {
        let p = file(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
    public func write(_ name: String, bytes: Data) -> String {
        let p = file(name)
        _ = FileManager.default.createFile(atPath: p, contents: bytes)
        return p
    }
}

/// The repository's Data/ folder.
public let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Data").path

/// Whether python3 with NumPy is available. `make test` installs it (scripts/install-deps.sh), so a
/// missing NumPy fails the interop checks (`requireNumPy`) rather than skipping them.
public let numpyAvailable: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import numpy"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}()

/// Runs a Python snippet and returns its standard output.
public func python(_ code: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", code]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Fails the calling test, with the reason, when python3 cannot import NumPy.
public func requireNumPy() throws {
    guard numpyAvailable else {
        throw MissingTool("python3 with NumPy is needed for the NumPy interop checks; `make test` installs it "
                          + "(scripts/install-deps.sh), or run `python3 -m pip install numpy`")
    }
}

/// A tool a test needs that is not installed.
public struct MissingTool: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
