/// Bipolar patterns drawn as text grids: `#` for +1, `.` for −1.
enum PatternText {
    /// Two grids of the same shape side by side, indented by two spaces, with an arrow on the middle
    /// row: a probe and what it recalled.
    static func sideBySide(_ a: [Float], _ b: [Float], shape: (height: Int, width: Int)) -> String {
        var lines: [String] = []
        for y in 0..<shape.height {
            let row: ([Float]) -> String = { v in String(v[(y * shape.width)..<((y + 1) * shape.width)].map { $0 > 0 ? "#" : "." }) }
            lines.append("  " + row(a) + (y == shape.height / 2 ? "  ->  " : "      ") + row(b))
        }
        return lines.joined(separator: "\n")
    }
}
