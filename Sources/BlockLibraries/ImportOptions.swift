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
