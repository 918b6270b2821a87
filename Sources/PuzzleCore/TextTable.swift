/// A plain-text table for people: columns padded to their widest cell, numbers right-aligned.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }
    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []

    public init(_ headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.enumerated().map { $0.offset == 0 ? .left : .right }
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (k, cell) in row.enumerated() where k < widths.count { widths[k] = max(widths[k], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (k, width) in widths.enumerated() {
                let cell = k < cells.count ? cells[k] : ""
                let pad = String(repeating: " ", count: max(0, width - cell.count))
                parts.append(alignments[min(k, alignments.count - 1)] == .right ? pad + cell : cell + pad)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = line(headers) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}

/// Human-readable number formatting shared by the table views.
public enum Format {
    /// `70,553,706,496`
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (k, ch) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// `70.55B`, `8.03B`, `151.0M`
    public static func count(_ value: Double) -> String {
        let a = abs(value)
        if a >= 1e12 { return fixed(value / 1e12, 2) + "T" }
        if a >= 1e9 { return fixed(value / 1e9, 2) + "B" }
        if a >= 1e6 { return fixed(value / 1e6, 1) + "M" }
        if a >= 1e3 { return fixed(value / 1e3, 1) + "K" }
        return fixed(value, 0)
    }

    /// `74.2 GiB`, `512.0 MiB`
    public static func bytes(_ value: Double) -> String {
        let a = abs(value)
        if a >= 1_099_511_627_776 { return fixed(value / 1_099_511_627_776, 2) + " TiB" }
        if a >= 1_073_741_824 { return fixed(value / 1_073_741_824, 2) + " GiB" }
        if a >= 1_048_576 { return fixed(value / 1_048_576, 1) + " MiB" }
        if a >= 1024 { return fixed(value / 1024, 1) + " KiB" }
        return fixed(value, 0) + " B"
    }

    /// `12.3 ms`, `1.52 s`, `85 us`
    public static func seconds(_ value: Double) -> String {
        let a = abs(value)
        if a >= 1 { return fixed(value, 3) + " s" }
        if a >= 1e-3 { return fixed(value * 1e3, 3) + " ms" }
        return fixed(value * 1e6, 1) + " us"
    }

    /// A fixed number of decimals, without Foundation's locale handling.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        guard rounded < 9.0e18 else { return "\(value)" }
        let integer = UInt64(rounded)
        let whole = integer / UInt64(scale)
        let fraction = integer % UInt64(scale)
        var text = String(whole)
        if decimals > 0 {
            let f = String(fraction)
            text += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (value < 0 && rounded != 0 ? "-" : "") + text
    }
}

extension Format {
    /// A number for CSV: integers as integers (`4096`), other values in the shortest form that
    /// reads back to the same Double (`0.41894`, `2.2`), non-finite values empty.
    public static func csv(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 9.0e15 { return String(Int64(value)) }
        return JSONWriter.number(value)
    }

    /// `value` rounded to 15 significant digits: removes the last-bit noise of computed grids
    /// (`1.2000000000000002` -> `1.2`) while changing no value a person typed.
    public static func clean(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value }
        var exponent = 0
        var magnitude = abs(value)
        while magnitude >= 10 { magnitude /= 10; exponent += 1 }
        while magnitude < 1 { magnitude *= 10; exponent -= 1 }
        let digits = 14 - exponent
        guard digits >= -300 && digits <= 300 else { return value }
        let scale = pow10(digits)
        let rounded = (value * scale).rounded() / scale
        return rounded.isFinite ? rounded : value
    }

    static func pow10(_ n: Int) -> Double {
        var r = 1.0
        if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
        return r
    }
}

/// Sums with Neumaier's compensation: the result is the correctly rounded sum in all but
/// pathological cases, so that sums of decimal scores print as the decimal they are
/// (`0.41894`, not `0.4189399999999999`).
/// - Complexity: O(n).
public func accurateSum(_ values: some Sequence<Double>) -> Double {
    var sum = 0.0
    var compensation = 0.0
    for v in values {
        let t = sum + v
        if abs(sum) >= abs(v) { compensation += (sum - t) + v } else { compensation += (v - t) + sum }
        sum = t
    }
    return sum + compensation
}
