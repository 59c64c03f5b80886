import ArgumentParser
import EnergyCore

/// How a command names the configuration fields it sets: field path → command-line option.
///
/// The libraries throw `ConfigurationError` naming a field (`learningRate`, `cuts.minPT`); a command
/// runs its library call through `options.map { … }`, which turns such an error into a usage error
/// (exit 2) naming the option the user typed, e.g. `--lr: expected a positive number, got -1`.
struct ConfigurationFlags {
    /// Field path (exactly, or a prefix ending in `.`/`[`) → option, e.g. `"learningRate": "--lr"`.
    let names: [String: String]

    init(_ names: [String: String]) { self.names = names }

    /// The option that sets `field`: an exact entry, else the longest entry that is a prefix of it
    /// at a `.` or `[` boundary, else the field itself.
    func option(for field: String) -> String {
        if let exact = names[field] { return exact }
        let prefixes = names.keys.filter { key in
            field.hasPrefix(key) && [".", "["].contains(field.dropFirst(key.count).first.map(String.init) ?? "")
        }
        return prefixes.max(by: { $0.count < $1.count }).flatMap { names[$0] } ?? field
    }

    /// Runs `body`, reporting a `ConfigurationError` as a usage error naming the option.
    func map<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ConfigurationError {
            throw ValidationError("\(option(for: error.field)): \(error.message)")
        }
    }
}
