/// A settings type whose documents may be partial: fields missing from a document keep the values
/// of a given default, so that old files (written before a field existed) and short hand-written
/// files decode. A field the type does not know is refused by name, so that a misspelt setting is
/// not silently ignored.
///
/// A conforming type decodes each field with `KeyedDecodingContainer.decode(forKey:over:)` (one
/// line per field); nested settings that conform too are decoded over their own defaults, so
/// `{"meanField": {"schedule": {"coolingFactor": 1.5}}}` changes that one number.
public protocol DecodableOverDefaults: Decodable {
    /// Decodes the fields present in `decoder`'s object; the others are `defaults`' values.
    ///
    /// - Parameters:
    ///   - decoder: the decoder of the settings' JSON object (or another keyed container).
    ///   - defaults: the values of the fields the document leaves out.
    /// - Throws: `DecodingError` naming the field (by its coding path) that has the wrong type or
    ///   that the type does not know.
    init(from decoder: any Decoder, over defaults: Self) throws
}

/// A coding key for any field name, to list the fields a document has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws unless every field of this decoder's object is a key of `keys` (or one of `extra`).
    ///
    /// - Parameters:
    ///   - keys: the coding keys of the type being decoded.
    ///   - extra: further field names to accept.
    /// - Throws: `DecodingError.dataCorrupted` at the unknown field's path: "unknown field".
    public func refuseUnknownFields<Key: CodingKey>(_ keys: Key.Type, allowing extra: Set<String> = []) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where Key(stringValue: key.stringValue) == nil && !extra.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: "unknown field"))
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `defaultValue` when the document has no such field.
    ///
    /// - Parameters:
    ///   - key: the field.
    ///   - defaultValue: its value when the document leaves it out.
    /// - Throws: `DecodingError` when the field has the wrong type.
    public func decode<T: Decodable>(forKey key: Key, over defaultValue: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? defaultValue
    }

    /// The settings at `key` decoded over `defaultValue` (its missing fields keep their defaults),
    /// or `defaultValue` when the document has no such field.
    ///
    /// - Parameters:
    ///   - key: the field.
    ///   - defaultValue: the settings when the document leaves the field out, and the defaults of
    ///     the fields it leaves out of the settings.
    /// - Throws: `DecodingError` naming the nested field that has the wrong type or is unknown.
    public func decode<T: DecodableOverDefaults>(forKey key: Key, over defaultValue: T) throws -> T {
        guard contains(key) else { return defaultValue }
        return try T(from: superDecoder(forKey: key), over: defaultValue)
    }

    /// Optional settings at `key`: `defaultValue` when the field is missing, nil when it is `null`,
    /// else decoded over `defaultValue`, or over `fresh` when `defaultValue` is nil.
    ///
    /// - Parameters:
    ///   - key: the field.
    ///   - defaultValue: the settings when the document leaves the field out.
    ///   - fresh: the defaults of the nested fields when `defaultValue` is nil.
    /// - Throws: `DecodingError` naming the nested field that has the wrong type or is unknown.
    public func decode<T: DecodableOverDefaults>(forKey key: Key, over defaultValue: T?, fresh: T) throws -> T? {
        guard contains(key) else { return defaultValue }
        if try decodeNil(forKey: key) { return nil }
        return try T(from: superDecoder(forKey: key), over: defaultValue ?? fresh)
    }
}
