import Foundation

/// SVG event displays: the hits of an event in two views, with tracks drawn as coloured polylines
/// and hits on no track (noise) as small grey dots.
///
/// A barrel event is shown in the transverse (x–y) and longitudinal (z–r) views, a forward event
/// in the x–z and y–z views, the conventions of collider and fixed-target displays respectively.
public enum EventDisplay {
    /// The views of a geometry: for each, the horizontal and vertical coordinate and axis names.
    static func views(_ geometry: DetectorGeometry) -> [(name: String, h: (Hit) -> Double, v: (Hit) -> Double)] {
        switch geometry {
        case .forward:
            return [("x–z (mm)", { $0.z }, { $0.x }), ("y–z (mm)", { $0.z }, { $0.y })]
        default:
            return [("x–y (mm)", { $0.x }, { $0.y }), ("z–r (mm)", { $0.z }, { $0.r })]
        }
    }

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#393b79"]

    /// A display of `hits` where `groups` (hit indices, each in flight order) are the tracks or
    /// particles; every other hit is drawn as noise.
    public static func svg(hits: [Hit], groups: [[Int]], geometry: DetectorGeometry, title: String) -> String {
        let panel = 460.0, margin = 40.0
        let vs = views(geometry)
        var body = ""
        let grouped = Set(groups.flatMap { $0 })
        for (k, view) in vs.enumerated() {
            let frame = Frame(hits: hits, h: view.h, v: view.v, x0: margin + Double(k) * (panel + margin), y0: margin + 20, size: panel)
            body += frame.axes(label: view.name)
            for h in hits.indices where !grouped.contains(h) {
                body += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.3\" fill=\"#aaa\"/>", frame.x(hits[h]), frame.y(hits[h]))
            }
            for (g, group) in groups.enumerated() {
                let colour = palette[g % palette.count]
                let points = group.map { String(format: "%.1f,%.1f", frame.x(hits[$0]), frame.y(hits[$0])) }.joined(separator: " ")
                body += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.2\"/>"
                for h in group {
                    body += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.8\" fill=\"%@\"/>", frame.x(hits[h]), frame.y(hits[h]), colour)
                }
            }
        }
        let width = margin + Double(vs.count) * (panel + margin)
        return document(width: width, height: panel + 2 * margin + 20, title: title + " — \(groups.count) tracks, \(hits.count - grouped.count) hits on none", body: body)
    }

    /// Neuron activity during annealing: one transverse panel per frame, each segment drawn with
    /// opacity V (Denby 1988's figures).
    public static func frames(hits: [Hit], segments: [Segment], geometry: DetectorGeometry,
                              frames: [(label: String, activations: [Double])]) -> String {
        let panel = 300.0, margin = 30.0, columns = min(3, max(1, frames.count))
        let rows = (frames.count + columns - 1) / columns
        let view = views(geometry)[0]
        var body = ""
        for (k, f) in frames.enumerated() {
            let frame = Frame(hits: hits, h: view.h, v: view.v, x0: margin + Double(k % columns) * (panel + margin),
                              y0: margin + 20 + Double(k / columns) * (panel + margin + 20), size: panel)
            body += frame.axes(label: f.label)
            for h in hits { body += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1\" fill=\"#999\"/>", frame.x(h), frame.y(h)) }
            for (a, s) in segments.enumerated() where f.activations[a] > 0.02 {
                let p = hits[Int(s.from)], q = hits[Int(s.to)]
                body += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\" stroke-width=\"1\" stroke-opacity=\"%.2f\"/>",
                               frame.x(p), frame.y(p), frame.x(q), frame.y(q), f.activations[a])
            }
        }
        let width = margin + Double(columns) * (panel + margin)
        return document(width: width, height: Double(rows) * (panel + margin + 20) + margin, title: "Neuron activity during annealing (opacity = V)", body: body)
    }

    static func document(width: Double, height: Double, title: String, body: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="10" y="20" font-size="14">\(escape(title))</text>
        \(body)
        </svg>

        """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }

    /// A square panel mapping one view's coordinates, with equal scales on both axes.
    struct Frame {
        let h: (Hit) -> Double, v: (Hit) -> Double
        let x0: Double, y0: Double, size: Double
        /// The lower corner and the side of the square drawn, in mm.
        let hMin: Double, vMin: Double, span: Double

        init(hits: [Hit], h: @escaping (Hit) -> Double, v: @escaping (Hit) -> Double, x0: Double, y0: Double, size: Double) {
            self.h = h
            self.v = v
            self.x0 = x0
            self.y0 = y0
            self.size = size
            let hs = hits.map(h), vs = hits.map(v)
            let hLo = min(0, hs.min() ?? 0), hHi = max(0, hs.max() ?? 1), vLo = min(0, vs.min() ?? 0), vHi = max(0, vs.max() ?? 1)
            let span = max(hHi - hLo, vHi - vLo, 1e-9) * 1.05
            hMin = (hLo + hHi - span) / 2
            vMin = (vLo + vHi - span) / 2
            self.span = span
        }

        var scale: Double { size / span }
        func x(_ hit: Hit) -> Double { x0 + (h(hit) - hMin) * scale }
        func y(_ hit: Hit) -> Double { y0 + size - (v(hit) - vMin) * scale }

        func axes(label: String) -> String {
            String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#333\"/>", x0, y0, size, size)
                + String(format: "<text x=\"%.1f\" y=\"%.1f\">%@ — horizontal %.0f…%.0f, vertical %.0f…%.0f</text>", x0, y0 - 5,
                         EventDisplay.escape(label), hMin, hMin + span, vMin, vMin + span)
        }
    }
}
