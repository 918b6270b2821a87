import Architecture
import PuzzleCore
import Search

/// Cost-model options shared by search, frontier, compare and plot (placeholder until the cost model lands).
enum CostOptions {
    static func settings(_ args: inout Arguments, command: String, parent: Architecture, measured: Bool) throws -> ModelCostSettings? {
        if measured { return nil }
        throw RuntimeFailure("\(command): the cost model is not available yet; use --costs measured")
    }

    struct Evaluator {
        func predictions(_ a: Architecture) throws -> [ScenarioPrediction] { [] }
    }

    static func evaluator(_ args: inout Arguments, command: String) throws -> Evaluator { Evaluator() }
}
