import ModelArchitecture
import PuzzleCore

/// A scored block library for one parent model: per layer the candidate variants with their
/// scores per metric and optional measured stats. This is what a distillation/scoring pipeline
/// hands to the search.
///
/// The solver-facing view is `layers[l].groups`: pick exactly one candidate per group; an
/// architecture's score is the sum of the picked candidates' scores.
public struct BlockLibrary: Sendable, Hashable {
    /// The model the candidates replace blocks of.
    public var parent: Architecture
    /// The metrics every candidate is scored with, the first one being the default objective.
    public var metrics: [Metric]
    /// One entry per parent layer, ordered by index (a partial library, e.g. one job's share
    /// before `merge`, may lack some).
    public var layers: [LayerCandidates]
    /// The scenario the stats were measured in, when the source says.
    public var measurement: MeasurementScenario?
    /// Free-form provenance (`source`, `generator`, `synthetic`, `notes`...), kept in order.
    public var metadata: JSONObject

    public init(parent: Architecture, metrics: [Metric], layers: [LayerCandidates],
        measurement: MeasurementScenario? = nil, metadata: JSONObject = JSONObject())
    {
        self.parent = parent
        self.metrics = metrics
        self.layers = layers
        self.measurement = measurement
        self.metadata = metadata
    }

    /// Whether the scores are synthetic (the demo library), not measured.
    public var isSynthetic: Bool { metadata["synthetic"]?.boolValue == true }

    /// The metric called `name`, if the library has it.
    public func metric(named name: String) -> Metric? { metrics.first { $0.name == name } }

    /// Total candidates over all layers and groups.
    public var candidateCount: Int { layers.reduce(0) { $0 + $1.groups.reduce(0) { $0 + $1.count } } }

    /// The layer with parent index `index`, if present.
    public func layer(_ index: Int) -> LayerCandidates? {
        if index >= 0 && index < layers.count && layers[index].index == index { return layers[index] }
        return layers.first { $0.index == index }
    }

    /// Names of all stats present on any candidate, sorted.
    public var statNames: [String] {
        var names = Set<String>()
        for layer in layers {
            for c in layer.allCandidates { names.formUnion(c.stats.keys) }
        }
        return names.sorted()
    }

    /// Gives every GQA candidate the attention type its parent layer's family implies
    /// (`Architecture.resolveAttention`): `spelled(c)` says whether the candidate's name chose its
    /// window explicitly.
    public mutating func resolveWindows(spelled: (Candidate) -> Bool) {
        let parent = self.parent
        for k in layers.indices {
            let index = layers[k].index
            layers[k].mapAttention { c in
                guard let a = c.attention else { return nil }
                return parent.resolveAttention(a, layer: index, windowSpelled: spelled(c))
            }
        }
    }
}
