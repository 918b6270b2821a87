/// Per-layer attention and FFN runtime of a child against its parent (the Nemotron-51B
/// announcement's Figure 3): the parent's runtime as an outline, the child's as stacked bars, the
/// saving between them shaded.
public struct RuntimeChart: Sendable {
    public struct Layer: Sendable {
        public var parentAttention: Double
        public var parentFFN: Double
        public var childAttention: Double
        public var childFFN: Double
        public init(parentAttention: Double, parentFFN: Double, childAttention: Double, childFFN: Double) {
            self.parentAttention = parentAttention
            self.parentFFN = parentFFN
            self.childAttention = childAttention
            self.childFFN = childFFN
        }
    }

    public var title: String
    public var subtitle: String?
    /// Unit label of the runtime axis, e.g. "ms per decode step".
    public var unit: String
    public var layers: [Layer]

    public init(title: String, subtitle: String? = nil, unit: String, layers: [Layer]) {
        self.title = title
        self.subtitle = subtitle
        self.unit = unit
        self.layers = layers
    }

    public func svg(width: Double = 960, height: Double = 480) -> String {
        var svg = SVG(width: width, height: height)
        var frame = PlotFrame(width: width, height: height)
        frame.bottom = 90
        let maxValue = layers.map { max($0.parentAttention + $0.parentFFN, $0.childAttention + $0.childFFN) }.max() ?? 1
        let yAxis = Axis(covering: [0, maxValue], padding: 0.05, includeZero: true)
        let xAxis = Axis(covering: [0, Double(max(layers.count, 1))], count: 8, padding: 0)
        frame.drawAxes(&svg, x: xAxis, y: yAxis, xTitle: "layer", yTitle: unit, title: title, subtitle: subtitle)
        let slot = frame.innerWidth / Double(max(layers.count, 1))
        let bar = max(1, slot * 0.8)
        for (i, l) in layers.enumerated() {
            let x0 = frame.x(xAxis, Double(i)) + (slot - bar) / 2
            let base = frame.y(yAxis, 0)
            let yAtt = frame.y(yAxis, l.childAttention)
            let yTot = frame.y(yAxis, l.childAttention + l.childFFN)
            let yParent = frame.y(yAxis, l.parentAttention + l.parentFFN)
            // Saving: parent total above child total.
            if yParent < yTot {
                svg.rect(x: x0, y: yParent, width: bar, height: yTot - yParent, fill: "#2ca02c", opacity: 0.3)
            }
            svg.rect(x: x0, y: yAtt, width: bar, height: base - yAtt, fill: "#1f77b4")
            svg.rect(x: x0, y: yTot, width: bar, height: yAtt - yTot, fill: "#ff7f0e")
            svg.line(x1: x0, y1: yParent, x2: x0 + bar, y2: yParent, stroke: "#222", width: 1.2)
        }
        let ly = height - 14
        var lx = frame.left
        for (color, label) in [("#1f77b4", "child attention"), ("#ff7f0e", "child FFN"), ("#2ca02c", "saved vs parent")] {
            svg.rect(x: lx, y: ly - 10, width: 12, height: 12, fill: color, opacity: color == "#2ca02c" ? 0.3 : 1)
            svg.text(label, x: lx + 16, y: ly, size: 11)
            lx += 150
        }
        svg.line(x1: lx, y1: ly - 4, x2: lx + 14, y2: ly - 4, stroke: "#222", width: 1.2)
        svg.text("parent total", x: lx + 18, y: ly, size: 11)
        return svg.render()
    }
}
