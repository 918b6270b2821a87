/// Server throughput against per-user speed across batch sizes, one curve per model (the
/// Nemotron-51B announcement's Figure 4): output tokens/s per GPU (y) against tokens/s per user,
/// 1 / TPOT (x). Each point is one batch size; a curve runs from batch 1 (fastest per user,
/// lowest throughput) to the largest batch that fits.
public struct ServingChart: Sendable {
    public struct Point: Sendable {
        /// Tokens/s one user sees: 1 / TPOT.
        public var tokensPerSecondPerUser: Double
        /// Output tokens/s per GPU.
        public var tokensPerSecondPerGPU: Double
        public var batch: Int
        public init(tokensPerSecondPerUser: Double, tokensPerSecondPerGPU: Double, batch: Int) {
            self.tokensPerSecondPerUser = tokensPerSecondPerUser
            self.tokensPerSecondPerGPU = tokensPerSecondPerGPU
            self.batch = batch
        }
    }

    public struct Series: Sendable {
        /// Legend entry, e.g. `llama-3.1-70b (TP 2)`.
        public var name: String
        public var points: [Point]
        public init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    public var title: String
    public var subtitle: String?
    public var series: [Series]
    public var xTitle: String
    public var yTitle: String

    public init(title: String, subtitle: String? = nil, series: [Series], xTitle: String = "output tokens/s per user (1 / TPOT)",
        yTitle: String = "output tokens/s per GPU")
    {
        self.title = title
        self.subtitle = subtitle
        self.series = series
        self.xTitle = xTitle
        self.yTitle = yTitle
    }

    /// Distinct colours, reused cyclically.
    static let palette = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// Batches labelled beside their point: 1, then each power of 4, and the last of a curve.
    static func labelled(_ batch: Int, isLast: Bool) -> Bool {
        if isLast || batch == 1 { return true }
        var p = 4
        while p < batch { p *= 4 }
        return p == batch
    }

    public func svg(width: Double = 880, height: Double = 540) -> String {
        var svg = SVG(width: width, height: height)
        var frame = PlotFrame(width: width, height: height)
        frame.left = 90
        frame.bottom = 70
        let all = series.flatMap(\.points)
        let xAxis = Axis(covering: all.map(\.tokensPerSecondPerUser) + [0], count: 8, includeZero: true)
        let yAxis = Axis(covering: all.map(\.tokensPerSecondPerGPU) + [0], count: 6, includeZero: true)
        frame.drawAxes(&svg, x: xAxis, y: yAxis, xTitle: xTitle, yTitle: yTitle, title: title, subtitle: subtitle)
        for (k, s) in series.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            let points = s.points.sorted { $0.batch < $1.batch }
            svg.polyline(points.map { (frame.x(xAxis, $0.tokensPerSecondPerUser), frame.y(yAxis, $0.tokensPerSecondPerGPU)) },
                stroke: color, width: 2)
            for (i, p) in points.enumerated() {
                let x = frame.x(xAxis, p.tokensPerSecondPerUser), y = frame.y(yAxis, p.tokensPerSecondPerGPU)
                svg.circle(cx: x, cy: y, r: 3.5, fill: color,
                    title: "\(s.name): batch \(p.batch), \(Axis.trim(p.tokensPerSecondPerGPU)) tok/s/GPU, \(Axis.trim(p.tokensPerSecondPerUser)) tok/s/user")
                if Self.labelled(p.batch, isLast: i == points.count - 1) {
                    svg.text("\(p.batch)", x: x + 6, y: y - 6, size: 10, fill: color)
                }
            }
        }
        // Legend, top right inside the plot area (curves fall from top-left to bottom-right).
        let rowHeight = 18.0
        let maxCharacters = 60
        func shown(_ name: String) -> String { name.count <= maxCharacters ? name : String(name.prefix(maxCharacters - 1)) + "…" }
        let legendWidth = min(frame.innerWidth * 0.8,
            Double(max(series.map { shown($0.name).count }.max() ?? 10, 38)) * 6.8 + 40)
        let lx = frame.left + frame.innerWidth - legendWidth - 8
        let ly = frame.top + 8
        let boxHeight = rowHeight * Double(series.count + 1) + 8
        svg.rect(x: lx, y: ly, width: legendWidth, height: boxHeight, fill: "#ffffff", stroke: "#bbbbbb", opacity: 0.92)
        for (k, s) in series.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            let y = ly + 14 + rowHeight * Double(k)
            svg.line(x1: lx + 8, y1: y - 4, x2: lx + 26, y2: y - 4, stroke: color, width: 2)
            svg.circle(cx: lx + 17, cy: y - 4, r: 3.5, fill: color)
            svg.text(shown(s.name), x: lx + 32, y: y, size: 12)
        }
        svg.text("labels: batch size (concurrent sequences)", x: lx + 8, y: ly + 14 + rowHeight * Double(series.count), size: 11,
            fill: "#555")
        return svg.render()
    }
}
