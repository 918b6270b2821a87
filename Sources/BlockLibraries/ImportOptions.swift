import ModelArchitecture

/// What an importer may need beyond the file: the parent (formats without one), metric
/// directions for names that do not say, and a measurement scenario.
public struct ImportOptions: Sendable {
    public var parent: Architecture?
    /// Overrides for metric directions by name.
    public var directions: [String: Metric.Direction]
    /// Used when the source carries none.
    public var measurement: MeasurementScenario?

    public init(parent: Architecture? = nil, directions: [String: Metric.Direction] = [:], measurement: MeasurementScenario? = nil) {
        self.parent = parent
        self.directions = directions
        self.measurement = measurement
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
