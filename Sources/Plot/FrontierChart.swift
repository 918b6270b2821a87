/// Objective against throughput along a budget sweep: the optimal children as a line of points,
/// the parent as a marked point (Puzzle's accuracy-vs-throughput frontier).
public struct FrontierChart: Sendable {
    public struct Point: Sendable {
        public var throughput: Double
        public var objective: Double
        public var label: String
        public init(throughput: Double, objective: Double, label: String) {
            self.throughput = throughput
            self.objective = objective
            self.label = label
        }
    }

    public var title: String
    public var subtitle: String?
    public var throughputTitle: String
    public var objectiveTitle: String
    public var points: [Point]
    public var parent: Point?

    public init(title: String, subtitle: String? = nil, throughputTitle: String, objectiveTitle: String, points: [Point],
        parent: Point?)
    {
        self.title = title
        self.subtitle = subtitle
        self.throughputTitle = throughputTitle
        self.objectiveTitle = objectiveTitle
        self.points = points
        self.parent = parent
    }

    public func svg(width: Double = 760, height: Double = 480) -> String {
        var svg = SVG(width: width, height: height)
        let frame = PlotFrame(width: width, height: height)
        let all = points + (parent.map { [$0] } ?? [])
        let xAxis = Axis(covering: all.map(\.throughput))
        let yAxis = Axis(covering: all.map(\.objective))
        frame.drawAxes(&svg, x: xAxis, y: yAxis, xTitle: throughputTitle, yTitle: objectiveTitle, title: title, subtitle: subtitle)
        let sorted = points.sorted { $0.throughput < $1.throughput }
        svg.polyline(sorted.map { (frame.x(xAxis, $0.throughput), frame.y(yAxis, $0.objective)) }, stroke: "#1f77b4")
        for p in sorted {
            svg.circle(cx: frame.x(xAxis, p.throughput), cy: frame.y(yAxis, p.objective), r: 3.5, fill: "#1f77b4",
                title: p.label)
        }
        if let parent {
            let px = frame.x(xAxis, parent.throughput)
            let py = frame.y(yAxis, parent.objective)
            svg.circle(cx: px, cy: py, r: 6, fill: "#d62728", stroke: "#7a0000", title: parent.label)
            svg.text(parent.label, x: px + 9, y: py - 8, size: 12, fill: "#a00")
        }
        // Legend.
        let lx = frame.left + frame.innerWidth - 190
        svg.circle(cx: lx, cy: frame.top + 12, r: 3.5, fill: "#1f77b4")
        svg.text("optimal child at each budget", x: lx + 10, y: frame.top + 16, size: 11)
        if parent != nil {
            svg.circle(cx: lx, cy: frame.top + 30, r: 5, fill: "#d62728")
            svg.text("parent", x: lx + 10, y: frame.top + 34, size: 11)
        }
        return svg.render()
    }
}
