/// Linear axes with "nice" ticks (1, 2, 2.5, 5 x 10^k).
public struct Axis: Sendable {
    public var lower: Double
    public var upper: Double
    public var ticks: [Double]

    /// An axis covering `values` (padded by `padding` of the range) with about `count` ticks.
    public init(covering values: [Double], count: Int = 6, padding: Double = 0.05, includeZero: Bool = false) {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0
        var hi = finite.max() ?? 1
        // Non-negative data never gets an axis below zero: it starts at zero or at the data.
        let nonNegative = lo >= 0
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        if hi - lo < 1e-12 {
            let pad = max(abs(hi) * 0.1, 1e-9)
            lo -= pad
            hi += pad
        } else {
            let pad = (hi - lo) * padding
            if !(includeZero && lo == 0) { lo -= pad }
            hi += pad
        }
        if nonNegative { lo = max(lo, 0) }
        let step = Axis.niceStep((hi - lo) / Double(max(count, 2)))
        var first = (lo / step).rounded(.down) * step
        if nonNegative { first = max(first, 0) }
        let last = (hi / step).rounded(.up) * step
        var ticks: [Double] = []
        var t = first
        while t <= last + step * 1e-9 && ticks.count < 100 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        self.lower = first
        self.upper = last
        self.ticks = ticks
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * magnitude >= raw { return m * magnitude }
        return 10 * magnitude
    }

    /// Position of `value` in [0, 1] along the axis.
    public func fraction(_ value: Double) -> Double {
        upper > lower ? (value - lower) / (upper - lower) : 0.5
    }

    /// A tick label without trailing zeros.
    public static func label(_ value: Double) -> String {
        let a = abs(value)
        if a >= 1e6 { return trim(value / 1e6) + "M" }
        if a >= 1e4 { return trim(value / 1e3) + "k" }
        return trim(value)
    }

    static func trim(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        if r == r.rounded(), abs(r) < 9e15 { return String(Int(r)) }
        var s = String(r)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

/// A plot area inside an SVG with margins for axis labels.
public struct PlotFrame: Sendable {
    public var left = 80.0, right = 30.0, top = 56.0, bottom = 64.0
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public var innerWidth: Double { width - left - right }
    public var innerHeight: Double { height - top - bottom }

    public func x(_ axis: Axis, _ v: Double) -> Double { left + axis.fraction(v) * innerWidth }
    public func y(_ axis: Axis, _ v: Double) -> Double { top + (1 - axis.fraction(v)) * innerHeight }

    /// Grid, tick labels, axis titles and the chart title.
    public func drawAxes(_ svg: inout SVG, x xAxis: Axis, y yAxis: Axis, xTitle: String, yTitle: String, title: String,
        subtitle: String? = nil, xLabel: (Double) -> String = Axis.label, yLabel: (Double) -> String = Axis.label)
    {
        for t in yAxis.ticks {
            let yy = y(yAxis, t)
            svg.line(x1: left, y1: yy, x2: left + innerWidth, y2: yy, stroke: "#e5e5e5")
            svg.text(yLabel(t), x: left - 8, y: yy + 4, size: 11, anchor: .end)
        }
        for t in xAxis.ticks {
            let xx = x(xAxis, t)
            svg.line(x1: xx, y1: top, x2: xx, y2: top + innerHeight, stroke: "#f0f0f0")
            svg.text(xLabel(t), x: xx, y: top + innerHeight + 18, size: 11, anchor: .middle)
        }
        svg.line(x1: left, y1: top + innerHeight, x2: left + innerWidth, y2: top + innerHeight, stroke: "#444")
        svg.line(x1: left, y1: top, x2: left, y2: top + innerHeight, stroke: "#444")
        svg.text(xTitle, x: left + innerWidth / 2, y: top + innerHeight + 40, size: 13, anchor: .middle)
        svg.text(yTitle, x: 18, y: top + innerHeight / 2, size: 13, anchor: .middle, rotate: -90)
        svg.text(title, x: width / 2, y: subtitle == nil ? 28 : 22, size: 15, anchor: .middle, weight: "bold")
        if let subtitle { svg.text(subtitle, x: width / 2, y: 40, size: 12, anchor: .middle, fill: "#555") }
    }
}
