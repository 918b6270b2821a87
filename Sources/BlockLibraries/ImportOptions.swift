import ModelArchitecture
import PuzzleCore

/// What an importer may need beyond the file: the parent (formats without one), metric
/// directions for names that do not say, a measurement scenario, and which of a puzzletron run's
/// measured scenarios to take.
public struct ImportOptions: Sendable {
    public var parent: Architecture?
    /// Overrides for metric directions by name.
    public var directions: [String: Metric.Direction]
    /// Used when the source carries none.
    public var measurement: MeasurementScenario?
    /// Selects one scenario of a puzzletron `subblock_stats.json`: every `key=value` must match
    /// its `args` (as puzzletron's `subblock_stats_args`), e.g. `batch_size=96`,
    /// `weights_dtype=torch.bfloat16`.
    public var statsArgs: [(key: String, value: String)]

    public init(parent: Architecture? = nil, directions: [String: Metric.Direction] = [:], measurement: MeasurementScenario? = nil,
        statsArgs: [(key: String, value: String)] = [])
    {
        self.parent = parent
        self.directions = directions
        self.measurement = measurement
        self.statsArgs = statsArgs
    }

    /// `batch_size=96,weights_dtype=torch.bfloat16` -> pairs; nil when a part is not `KEY=VALUE`.
    public static func parseStatsArgs(_ text: String) -> [(key: String, value: String)]? {
        var out: [(key: String, value: String)] = []
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmedOf(" ") }
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else { return nil }
            out.append((kv[0], kv[1]))
        }
        return out.isEmpty ? nil : out
    }
}

/// What an importer needs from the user and did not get. The CLI names the option to pass.
public enum LibraryImportError: Error, Sendable, Hashable {
    /// The format names no parent (CSV, JSON lines, records): the parent must be given.
    case parentRequired(file: String, format: String)
    /// A metric whose name does not tell whether lower or higher is better.
    case unknownMetricDirection(file: String, location: String, metric: String)
    /// No built-in parent matches an NVlabs file's shape; the parent must be given.
    case noBuiltinParentMatches(file: String, layers: Int, kvHeads: Int, intermediateSize: Int)
}
