import EnergyCore
import Foundation

/// Stand-alone JSON documents: detector descriptions, layer maps and other small files that a
/// person may read or edit. Like the JSON members of model files, each document carries a `format`
/// field (`energymodels.detector`, …), so that a file of one kind given where another is expected is
/// refused by name.
public enum JSONFile {
    /// Writes `value` atomically as pretty-printed JSON with sorted keys and a final newline.
    ///
    /// - Throws: `InputError` when the file cannot be written.
    public static func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        try AtomicFile.write(data, to: path)
    }

    /// The document in `path` decoded as `T`, after checking that its `format` field is `format`.
    ///
    /// - Parameters:
    ///   - type: the type the document decodes to.
    ///   - path: the JSON file.
    ///   - format: the value its `format` field must have.
    ///   - what: the kind of document, for messages: "a detector description".
    ///   - userInfo: handed to the decoder (e.g. the folder that relative paths in the document are
    ///     relative to).
    /// - Throws: `InputError` naming the file (and the field) when it cannot be read, is not JSON, is
    ///   another kind of document, or does not have the expected shape; an `InputError` thrown while
    ///   decoding (a file the document refers to) as it is.
    public static func read<T: Decodable>(_ type: T.Type, from path: String, format: String, what: String,
                                          userInfo: [CodingUserInfoKey: any Sendable] = [:]) throws -> T {
        let data = try AtomicFile.read(path)
        guard let kind = try? JSONDecoder().decode(FormatField.self, from: data) else {
            throw InputError(file: path, "expected \(what): a JSON object with \"format\": \"\(format)\"")
        }
        guard kind.format == format else {
            throw InputError(file: path, "this is a '\(kind.format)' file, not \(what)")
        }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo = userInfo
            return try decoder.decode(T.self, from: data)
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: path, "malformed JSON for \(what): \(describeDecodingError(error))")
        }
    }
}
