import Foundation

/// The repository's root folder.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The Swift code block of a guide in `docs/` that follows the line `<!-- example: NAME -->`, without
/// its fences and without the `import` lines (and blank lines) it opens with, which a test file has
/// at its top instead.
///
/// - Throws: when the guide or the marked block is missing.
public func guideExample(_ guide: String, named name: String) throws -> String {
    let path = repositoryRoot + "/docs/" + guide
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.components(separatedBy: "\n")
    guard let marker = lines.firstIndex(of: "<!-- example: \(name) -->"),
          marker + 1 < lines.count, lines[marker + 1] == "```swift",
          let close = lines[(marker + 2)...].firstIndex(of: "```") else {
        throw DocExampleError("docs/\(guide): no ```swift block after <!-- example: \(name) -->")
    }
    let body = lines[(marker + 2)..<close].drop { $0.hasPrefix("import ") || $0.trimmingCharacters(in: .whitespaces).isEmpty }
    return body.joined(separator: "\n")
}

/// The lines of a test source file between `// example: NAME` and `// end of example`, with the
/// indentation of the first line removed from every line.
///
/// - Throws: when the markers are missing.
public func sourceExample(_ file: String, named name: String) throws -> String {
    let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
    guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "// example: \(name)" }),
          let end = lines[(start + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "// end of example" }) else {
        throw DocExampleError("\(file): no lines between '// example: \(name)' and '// end of example'")
    }
    let body = lines[(start + 1)..<end]
    let indent = body.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.prefix { $0 == " " }.count ?? 0
    return body.map { $0.count >= indent ? String($0.dropFirst(indent)) : $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: "\n")
}

/// A guide example that cannot be found.
public struct DocExampleError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
