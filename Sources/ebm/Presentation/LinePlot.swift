import EnergyFormats
import Foundation

/// A line chart rendered as a standalone SVG file: axes with ticks, labelled series, a legend,
/// and optional reference lines. Used for capacity curves, training curves and the like.
struct LinePlot: Sendable {
    /// One curve.
    public struct Series: Sendable {
        public var label: String
        public var points: [(x: Double, y: Double)]
        public init(label: String, points: [(x: Double, y: Double)]) {
            self.label = label
            self.points = points
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series] = []
    /// Vertical reference lines (x, label), e.g. a theoretical critical load.
    public var verticalMarkers: [(x: Double, label: String)] = []
    /// Fixed y range; by default the data's range.
    public var yRange: ClosedRange<Double>?

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    private static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    /// The SVG document.
    public func svg(width: Double = 640, height: Double = 420) -> String {
        let left = 64.0, right = 20.0, top = 40.0, bottom = 72.0
        let xs = series.flatMap { $0.points.map(\.x) } + verticalMarkers.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) }
        let x0 = xs.min() ?? 0, x1 = max(xs.max() ?? 1, x0 + 1e-9)
        let yr = yRange ?? ((ys.min() ?? 0)...max(ys.max() ?? 1, (ys.min() ?? 0) + 1e-9))
        let pw = width - left - right, ph = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { top + ph - (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound) * ph }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(width / 2))" y="22" text-anchor="middle" font-size="15">\(esc(title))</text>

        """
        for t in Self.ticks(x0, x1) {
            s += "<line x1=\"\(f(px(t)))\" y1=\"\(f(top))\" x2=\"\(f(px(t)))\" y2=\"\(f(top + ph))\" stroke=\"#eee\"/>"
            s += "<text x=\"\(f(px(t)))\" y=\"\(f(top + ph + 16))\" text-anchor=\"middle\">\(Self.label(t))</text>\n"
        }
        for t in Self.ticks(yr.lowerBound, yr.upperBound) {
            s += "<line x1=\"\(f(left))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + pw))\" y2=\"\(f(py(t)))\" stroke=\"#eee\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(Self.label(t))</text>\n"
        }
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(top + ph + 36))\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
        s += "<text transform=\"translate(16,\(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>\n"
        for (k, m) in verticalMarkers.enumerated() {
            s += "<line x1=\"\(f(px(m.x)))\" y1=\"\(f(top))\" x2=\"\(f(px(m.x)))\" y2=\"\(f(top + ph))\" stroke=\"#777\" stroke-dasharray=\"5,4\"/>"
            s += "<text x=\"\(f(px(m.x) + 4))\" y=\"\(f(top + 14 + Double(k) * 15))\" fill=\"#555\">\(esc(m.label))</text>\n"
        }
        for (k, line) in series.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            let path = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            for p in line.points { s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2.5\" fill=\"\(color)\"/>" }
            // The legend runs along the bottom, below the axis label, clear of the data.
            let lx = left + Double(k) * 170, ly = height - 14
            s += "\n<line x1=\"\(f(lx))\" y1=\"\(f(ly - 4))\" x2=\"\(f(lx + 20))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            s += "<text x=\"\(f(lx + 26))\" y=\"\(f(ly))\">\(esc(line.label))</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// Writes the SVG atomically.
    public func write(to path: String) throws { try AtomicFile.write(svg(), to: path) }

    /// About five round tick values covering [a, b].
    static func ticks(_ a: Double, _ b: Double) -> [Double] {
        let span = b - a
        guard span > 0, span.isFinite else { return [a] }
        let raw = span / 5
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var t = ceil(a / step) * step
        var out: [Double] = []
        while t <= b + step * 1e-9 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        return String(format: "%g", (v * 1e6).rounded() / 1e6)
    }
}
