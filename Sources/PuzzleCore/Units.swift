/// Parsing of quantities with units as users type them on the command line: bytes (`80GiB`,
/// `80GB`, `512MiB`), durations (`40ms`, `2s`, `150us`), counts (`52B`, `7.5M`). Unit names are
/// case-insensitive; a bare number is reported as `missingUnit` so that the caller can refuse it
/// (a budget of "80" means nothing: 80 bytes? 80 GB?).
public enum Units {
    /// The outcome of parsing one quantity.
    public enum Parsed: Sendable, Equatable {
        /// The value in the base unit (bytes, seconds, or a plain count).
        case value(Double)
        /// A finite number without a unit.
        case missingUnit(Double)
        /// Not a number with one of the accepted units (or not finite).
        case invalid

        /// The value when a unit was given.
        public var value: Double? { if case .value(let v) = self { return v } else { return nil } }
    }

    /// Byte units: binary `TiB GiB MiB KiB` (2^40 ... 2^10), decimal `TB GB MB KB` (10^12 ... 10^3), `B`.
    public static let byteUnits: [(name: String, factor: Double)] = [
        ("TiB", 1_099_511_627_776), ("GiB", 1_073_741_824), ("MiB", 1_048_576), ("KiB", 1024),
        ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("B", 1),
    ]
    /// Duration units: `min`, `s`, `ms`, `us` (`µs`), `ns`.
    public static let secondUnits: [(name: String, factor: Double)] = [
        ("min", 60), ("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("s", 1),
    ]
    /// Count units: `T` (10^12), `B` (10^9, billions), `M` (10^6), `K` (10^3).
    public static let countUnits: [(name: String, factor: Double)] = [("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)]

    public static func bytes(_ text: String) -> Parsed { parse(text, units: byteUnits) }
    public static func seconds(_ text: String) -> Parsed { parse(text, units: secondUnits) }
    public static func count(_ text: String) -> Parsed { parse(text, units: countUnits) }

    /// `NUMBER UNIT` with optional spaces between; units matched case-insensitively, longest
    /// first where one is a suffix of another (`ms` before `s`).
    public static func parse(_ text: String, units: [(name: String, factor: Double)]) -> Parsed {
        let trimmed = text.trimmingWhitespace()
        let lower = trimmed.lowercased()
        let ordered = units.sorted { $0.name.count > $1.name.count }
        for (name, factor) in ordered where lower.hasSuffix(name.lowercased()) {
            let number = String(trimmed.dropLast(name.count)).trimmingWhitespace()
            guard let value = finiteNumber(number) else { continue }
            let scaled = value * factor
            guard scaled.isFinite else { return .invalid }
            return .value(scaled)
        }
        if let value = finiteNumber(trimmed) { return .missingUnit(value) }
        return .invalid
    }

    /// A finite decimal number (`12`, `1.5`, `2e3`, `-4`); nil for anything else (`nan`, `inf`, hex).
    public static func finiteNumber(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
            let v = Double(text), v.isFinite
        else { return nil }
        return v
    }

    /// The unit names, for messages: `TiB, GiB, ...`.
    public static func names(_ units: [(name: String, factor: Double)]) -> String {
        units.map(\.name).joined(separator: ", ")
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
