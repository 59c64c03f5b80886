import ArgumentParser
import EnergyCore
import Foundation

/// `ebm`: the EnergyModels command-line tool.
///
/// Errors are one line on standard error and exit code 1; usage errors print the usage and exit 2.
@main
struct EBM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ebm",
        abstract: "Energy-based models for scientists: Hopfield memory, Hopfield track finding, RBMs and DBNs.",
        subcommands: [Demo.self, Hopfield.self, Tracks.self, RBMCommand.self, DBNCommand.self, Bench.self])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if let error = error as? ConfigurationError {
                // A library setting out of range that no command mapped to its option: a usage error.
                FileHandle.standardError.write(Data("ebm: error: \(error)\n".utf8))
                Foundation.exit(2)
            }
            if error is InputError || error is NumericalError || error is CommandFailure {
                FileHandle.standardError.write(Data("ebm: error: \(error)\n".utf8))
                Foundation.exit(1)
            }
            if code == .validationFailure {
                // ArgumentParser's message already holds the error and the subcommand's usage.
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty {
                FileHandle.standardError.write(Data("ebm: error: \(message)\n".utf8))
            }
            Foundation.exit(code == .failure || code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// A failure of a command that is neither bad input nor a numerical error (e.g. a target missed).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
