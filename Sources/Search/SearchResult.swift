import ModelArchitecture
import BlockLibraries
import PuzzleCore

/// Predicted serving numbers of one architecture in one scenario.
public struct ScenarioPrediction: Sendable, Hashable {
    public var inputTokens: Int
    public var outputTokens: Int
    /// Output tokens/s per GPU and for the whole TP group.
    public var throughputPerGPU: Double
    public var throughput: Double
    public var batchSize: Int
    public var tp: Int
    /// Per GPU: weights + KV cache + activations + reserve, and the device's capacity.
    public var memoryBytes: Double
    public var weightsBytes: Double
    public var kvCacheBytes: Double
    public var capacityBytes: Double
    public var ttftSeconds: Double
    public var tpotSeconds: Double
    /// Throughput per GPU over the parent's at its own best batch and TP (same GPU, dtype, scenario).
    public var speedup: Double?
    /// Where the engine may land: each predicted value's band (nil in manifests written before
    /// bands existed).
    public var band: PredictedRanges?

    public var scenarioName: String { "\(inputTokens)/\(outputTokens)" }
}

/// A low-high range of one predicted quantity.
public struct ValueRange: Sendable, Hashable {
    public var low: Double
    public var high: Double
    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }
}

/// The band of every predicted quantity of a `ScenarioPrediction`: the prediction scaled by the
/// quantiles of measured/predicted - 1 (`PredictionBands`).
public struct PredictedRanges: Sendable, Hashable {
    /// The quantiles the ranges span (0.1, 0.9).
    public var lowerQuantile: Double
    public var upperQuantile: Double
    public var throughputPerGPU: ValueRange
    public var throughput: ValueRange
    public var tpotSeconds: ValueRange
    public var ttftSeconds: ValueRange
    public var memoryBytes: ValueRange

    public init(lowerQuantile: Double, upperQuantile: Double, throughputPerGPU: ValueRange, throughput: ValueRange,
        tpotSeconds: ValueRange, ttftSeconds: ValueRange, memoryBytes: ValueRange)
    {
        self.lowerQuantile = lowerQuantile
        self.upperQuantile = upperQuantile
        self.throughputPerGPU = throughputPerGPU
        self.throughput = throughput
        self.tpotSeconds = tpotSeconds
        self.ttftSeconds = ttftSeconds
        self.memoryBytes = memoryBytes
    }
}

/// How one budget came out: the achieved value in the constraint's unit.
public struct ConstraintReport: Sendable, Hashable {
    public var constraint: Constraint
    /// The scenario it was checked in (`ISL/OSL`), or nil for scenario-free budgets.
    public var scenario: String?
    public var achieved: Double
    /// The achieved value moved by the search's margin (`Margin.factor`); equal to `achieved`
    /// without one. `satisfied` is judged on it.
    public var achievedAtMargin: Double
    public var satisfied: Bool
}

/// What the solver said about the child.
public struct SolverReport: Sendable, Hashable {
    /// `optimal` (proven) or `feasible` (time limit: best found).
    public var status: ChildStatus
    public var objective: Double
    /// Proven bound on the objective over every configuration searched.
    public var bound: Double
    /// |objective - bound| / max(1, |objective|).
    public var gap: Double
    public var nodes: Int
    public var seconds: Double
    /// Nodes, seconds and knapsack solves are this child's own: the first child's cover the whole
    /// sweep over TP x batch configurations, each further diverse child its one re-solve.
    /// Knapsack problems solved (one per TP x batch configuration for the first child, 1 for others).
    public var solves: Int
}

/// One searched child.
public struct Child: Sendable {
    public var architecture: Architecture
    /// The chosen candidate of every search group, in group order.
    public var groups: [SearchGroup]
    public var choices: [Int]
    /// Objective value: the sum of the chosen candidates' scores.
    public var objective: Double
    public var solver: SolverReport
    /// The TP and batch the search assumed (cost-model searches).
    public var tp: Int?
    public var batchSize: Int?
    public var predictions: [ScenarioPrediction]
    public var constraints: [ConstraintReport]
    /// Sums of the library's measured stats over the chosen candidates (`memory_mib`, ...).
    public var measuredStats: [String: Double]

    /// The chosen candidate of group `g`.
    public func candidate(_ g: Int) -> Candidate { groups[g].candidates[choices[g]] }
}

/// A budget that no child meets, with the best value that could be reached.
public struct Infeasibility: Sendable, Hashable, CustomStringConvertible {
    public var constraint: Constraint
    public var scenario: String?
    /// The best achievable value of that constraint's quantity (in its unit) while the other
    /// budgets... are ignored: the least memory, the highest throughput, and so on.
    public var bestAchievable: Double
    /// The search's margin label when `bestAchievable` is taken at the margin (`Margin.factor`).
    public var margin: String? = nil

    public var description: String {
        let where_ = scenario.map { " in scenario \($0)" } ?? ""
        let verb = constraint.isUpperBound ? "the least achievable is" : "the best achievable is"
        let at = margin.map { " at margin \($0)" } ?? ""
        return "constraint \(constraint.key) \(constraint.isUpperBound ? "<=" : ">=") \(Self.format(constraint.budget, constraint)) cannot be met\(where_): \(verb) \(Self.format(bestAchievable, constraint))\(at)"
    }

    public static func format(_ v: Double, _ c: Constraint) -> String {
        switch c {
        case .maxMemoryBytes: return "\(Format.fixed(v / 1_073_741_824, 2)) GiB"
        case .minThroughputPerGPU: return "\(Format.fixed(v, 1)) tokens/s/GPU"
        case .speedup: return "\(Format.fixed(v, 3))x"
        case .maxTPOTSeconds, .maxTTFTSeconds, .maxLatencySeconds: return "\(Format.fixed(v * 1000, 3)) ms"
        case .maxParameters: return "\(Format.fixed(v / 1e9, 3))B parameters"
        case .maxActiveParameters: return "\(Format.fixed(v / 1e9, 3))B active parameters"
        case .maxStat(let s, _), .minStat(let s, _): return "\(Format.fixed(v, 3)) \(s)"
        }
    }
}

/// The outcome of a search: the children (one, or K diverse), or why none exists.
public struct SearchOutcome: Sendable {
    public var children: [Child]
    public var infeasibility: Infeasibility?
    /// The parent's predictions in each scenario (cost-model searches).
    public var parentPredictions: [ScenarioPrediction]
    public var request: SearchRequest
}
