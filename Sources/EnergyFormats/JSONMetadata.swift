import EnergyCore
import Foundation

extension JSONEncoder {
    /// An encoder with sorted keys, so that metadata written into model files is byte-for-byte
    /// reproducible for the same inputs.
    public static var reproducible: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

/// JSON documents stored in a `.npz` archive as 0-d unicode arrays: the metadata of every model file
/// and the training state of every checkpoint. NumPy reads one with
/// `json.loads(str(numpy.load(path)["metadata"]))`.
///
/// Each document carries a `format` field (`energymodels.rbm`, `energymodels.dbn-checkpoint`, …)
/// that says what kind of file it describes, so that a file of one kind given where another is
/// expected is refused by name.
extension NumpyArchive {
    /// Stores `value` as JSON with sorted keys under `name`.
    public mutating func setJSON<T: Encodable>(_ value: T, as name: String = "metadata") throws {
        self[name] = NumpyArray(string: String(decoding: try JSONEncoder.reproducible.encode(value), as: UTF8.self))
    }

    /// The JSON member `name` decoded as `T`, after checking that its `format` field is `format`.
    ///
    /// - Parameters:
    ///   - type: the type the member decodes to.
    ///   - name: the member of the archive holding the JSON string.
    ///   - format: the value its `format` field must have.
    ///   - what: the kind of file, for messages: "an RBM", "a DBN checkpoint".
    ///   - file: the archive's path, for messages.
    /// - Throws: `InputError` naming the file and the member when the member is missing, is not
    ///   a JSON document of the expected shape, or describes another kind of file.
    public func json<T: Decodable>(_ type: T.Type, _ name: String = "metadata", format: String, what: String, file: String) throws -> T {
        guard let value = try optionalJSON(type, name, format: format, what: what, file: file) else {
            throw InputError(file: file, .entry(name), "missing; expected the JSON \(name) of \(what)")
        }
        return value
    }

    /// Like `json(_:_:format:what:file:)`, but nil when the archive has no member `name`.
    public func optionalJSON<T: Decodable>(_ type: T.Type, _ name: String = "metadata", format: String, what: String,
                                           file: String) throws -> T? {
        guard let member = self[name] else { return nil }
        guard let text = member.string, let kind = try? JSONDecoder().decode(FormatField.self, from: Data(text.utf8)) else {
            throw InputError(file: file, .entry(name), "expected the JSON \(name) of \(what)")
        }
        guard kind.format == format else {
            throw InputError(file: file, .entry(name), "this is a '\(kind.format)' file, not \(what)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw InputError(file: file, .entry(name), "malformed JSON \(name) of \(what): \(describeDecodingError(error))")
        }
    }

}

/// The field every JSON document of the project shares: what kind of document it is.
struct FormatField: Decodable { var format: String }

/// A decoding error as the field it is about and what went wrong, e.g. "missing field 'layers.3.shape'".
func describeDecodingError(_ error: Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let c): return "missing field '\((path(c).isEmpty ? "" : path(c) + ".") + key.stringValue)'"
    case .typeMismatch(_, let c), .valueNotFound(_, let c): return "field '\(path(c))': \(c.debugDescription)"
    case .dataCorrupted(let c): return path(c).isEmpty ? c.debugDescription : "field '\(path(c))': \(c.debugDescription)"
    @unknown default: return "\(error)"
    }
}
