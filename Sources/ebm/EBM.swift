import ArgumentParser
import EnergyCore
import Foundation

/// `ebm`: the EnergyModels command-line tool.
///
/// Errors are one line on standard error: exit code 1 for bad data, 2 for usage errors (see `fail`).
@main
struct EBM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ebm",
        abstract: "Energy-based models for scientists: Hopfield memory, Hopfield track finding, RBMs and DBNs.",
        subcommands: [Demo.self, Hopfield.self, Tracks.self, RBMCommand.self, DBNCommand.self, Bench.self])

    static func main() {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            fail(error, in: nil)
        }
        do {
            var running = command
            try running.run()
        } catch {
            fail(error, in: type(of: command))
        }
    }

    /// Reports `error` in one line on standard error and exits: 1 for bad data, numerical failures
    /// and failed commands; 2 for usage errors (bad options, and library settings out of range),
    /// with a pointer to the command's help; 0 for `--help` and `--version`.
    static func fail(_ error: Error, in command: ParsableCommand.Type?) -> Never {
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        func report(_ message: String, _ status: Int32) -> Never {
            let line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            FileHandle.standardError.write(Data("ebm: error: \(line)\n".utf8))
            Foundation.exit(status)
        }
        switch error {
        case let error as ConfigurationError:
            // A library setting out of range that no command mapped to its option: a usage error.
            report("\(error)\(helpPointer(error, command))", 2)
        case is InputError, is NumericalError, is CommandFailure:
            report("\(error)", 1)
        default:
            break
        }
        if code == .validationFailure {
            // ArgumentParser's message without its usage block, then where to read the usage.
            report(message(for: error) + helpPointer(error, command), 2)
        }
        let text = message(for: error)
        if text.isEmpty { Foundation.exit(code == .failure || code.rawValue == 0 ? 1 : code.rawValue) }
        report(text, code == .failure || code.rawValue == 0 ? 1 : code.rawValue)
    }

    /// " (see 'ebm rbm train --help')": the help of the command that failed, from ArgumentParser's
    /// usage text when it parsed, or from the command's place in the tree when it ran.
    static func helpPointer(_ error: Error, _ command: ParsableCommand.Type?) -> String {
        if let command, let path = path(to: command) { return " (see '\(path) --help')" }
        let full = fullMessage(for: error)
        if let see = full.range(of: "See '"), let end = full[see.upperBound...].range(of: "'") {
            return " (see '\(full[see.upperBound..<end.lowerBound])')"
        }
        return " (see 'ebm --help')"
    }

    /// "ebm rbm train" for `RBMTrain.self`: the command names from the root down to `command`.
    static func path(to command: ParsableCommand.Type, from root: ParsableCommand.Type = EBM.self) -> String? {
        let name = root._commandName
        if root == command { return name }
        for sub in root.configuration.subcommands {
            if let rest = path(to: command, from: sub) { return name + " " + rest }
        }
        return nil
    }
}

/// A failure of a command that is neither bad input nor a numerical error (e.g. a target missed).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
