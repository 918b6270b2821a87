/// Parsing of quantities with units as users type them on the command line:
/// bytes (`80GiB`, `80GB`, `512MiB`), durations (`40ms`, `2s`, `150us`), counts (`52B`, `7.5M`).
public enum Units {
    /// Bytes from e.g. `80GiB` (2^30), `80GB` (10^9), `512MiB`, `1.5TB`, or a plain number of bytes.
    public static func bytes(_ text: String) -> Double? {
        let units: [(String, Double)] = [
            ("TiB", 1_099_511_627_776), ("GiB", 1_073_741_824), ("MiB", 1_048_576), ("KiB", 1024),
            ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("kB", 1e3), ("B", 1),
        ]
        return scaled(text, units: units)
    }

    /// Seconds from e.g. `40ms`, `2s`, `150us`, `1.5min`; a bare number is seconds.
    public static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("min", 60), ("ms", 1e-3), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("s", 1)]
        return scaled(text, units: units)
    }

    /// A count from e.g. `52B` (10^9), `7.5M`, `12K`, `1.2T`, or a plain number.
    public static func count(_ text: String) -> Double? {
        let units: [(String, Double)] = [("T", 1e12), ("B", 1e9), ("G", 1e9), ("M", 1e6), ("K", 1e3), ("k", 1e3)]
        return scaled(text, units: units)
    }

    private static func scaled(_ text: String, units: [(String, Double)]) -> Double? {
        let trimmed = text.trimmingWhitespace()
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let number = String(trimmed.dropLast(suffix.count)).trimmingWhitespace()
            guard let value = Double(number), value.isFinite else { return nil }
            return value * factor
        }
        guard let value = Double(trimmed), value.isFinite else { return nil }
        return value
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
