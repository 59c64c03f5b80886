import EnergyCore

extension ConfigurationError {
    /// Runs the check of a value held in the field `parent`, naming the fields of the error it throws
    /// under that field: a rule's `degree` checked for the field `rule` is `rule.degree`.
    static func checking(_ parent: String, _ check: () throws -> Void) rethrows {
        do {
            try check()
        } catch let error as ConfigurationError {
            throw error.nested(in: parent)
        }
    }
}
