import Architecture
import PuzzleCore

/// Cost-model settings of a search (placeholder until the cost model lands).
public struct ModelCostSettings: Sendable {
    public struct ScenarioSpec: Sendable { public var name: String }
    public var scenarios: [ScenarioSpec] = []
    var json: JSONValue { ["source": "model"] }
}

struct ModelRows: RowProvider {
    init(settings: ModelCostSettings, request: SearchRequest) throws {
        throw RuntimeFailure("search: the cost model is not available yet; use --costs measured")
    }
    func configurations() throws -> [Configuration] { [] }
    func rows(_ configuration: Configuration, groups: [SearchGroup]) throws -> [LinearRow] { [] }
    func predictions(_ architecture: Architecture, _ configuration: Configuration) throws -> [ScenarioPrediction] { [] }
    var parentPredictions: [ScenarioPrediction] { [] }
}
