import ModelArchitecture
import BlockLibraries
import Knapsack
import PuzzleCore

/// Rows that need no cost model: sums of the library's measured stats (`--max memory_mib=80000`),
/// the parameter counts (`--max-params`, `--max-active-params`: mixtures of experts count top-k
/// experts), and, for a library measured by Model-Optimizer
/// puzzletron (its measurement carries batch size, generation length and `non_block` costs),
/// memory, throughput, latency and TTFT budgets computed the way puzzletron computes them
/// (`PuzzleConstraints.to_mip_constraints` and `run_single_puzzle_config` in
/// `modelopt/torch/puzzletron/mip/run_puzzle.py`), with b the measured batch size, g the
/// generated tokens per sequence and nb(X) the non-block cost of stat X:
///
/// - memory M bytes:      sum memory_mib          <= M / 2^20 - nb(memory_mib)
/// - throughput T tok/s:  sum runtime_ms          <= 1000 b g / T - nb(runtime_ms)
/// - latency L seconds:   sum runtime_ms          <= 1000 L - nb(runtime_ms)
/// - TTFT S seconds:      sum prefill_runtime_ms  <= 1000 S - nb(prefill_runtime_ms)
/// - STAT <= V / >= V:    sum STAT                <= V - nb(STAT)   (nb 0 without puzzletron costs)
///
/// Achieved values are reported in the budget's unit with the non-block cost added back, e.g.
/// throughput = 1000 b g / (sum runtime_ms + nb(runtime_ms)), as puzzletron reports it.
enum MeasuredRows {
    /// The rows of the budgets `include` accepts (a cost-model search takes only those that do not
    /// need the cost model, which bounds memory, throughput and latency itself). Throws
    /// `SearchError` (a stat budget on a candidate without the stat, speed-up) or
    /// `MeasuredCostError` (a puzzletron budget the library's measurements cannot support).
    static func rows(constraints: [Constraint], groups: [SearchGroup], parent: Architecture,
        measurement: MeasurementScenario? = nil, include: (Constraint) -> Bool = { _ in true }) throws -> [LinearRow]
    {
        let costs = measurement?.puzzletron
        var rows: [LinearRow] = []
        for (index, constraint) in constraints.enumerated() where include(constraint) {
            /// A row bounding `sum stat` by `budget - nb(stat)`; `unit` maps the whole-model total back.
            func row(_ stat: String, max budget: Double?, min lower: Double? = nil,
                unit: @escaping @Sendable (Double) -> Double = { $0 }) throws -> LinearRow
            {
                let coefficients = try statCoefficients(stat, groups: groups, constraint: constraint)
                var outside = 0.0
                if let costs {
                    guard let nb = costs.nonBlockCost(stat) else {
                        throw MeasuredCostError.missingNonBlock(constraint: constraint.key, stat: stat)
                    }
                    outside = nb
                }
                let o = outside
                return LinearRow(name: constraint.key, coefficients: coefficients, max: budget.map { $0 - o } ?? .infinity,
                    min: lower.map { $0 - o }, constraint: index, scenario: nil, toConstraintUnit: { unit($0 + o) })
            }
            func scenario() throws -> PuzzletronCosts {
                guard let costs else { throw MeasuredCostError.noPuzzletronScenario(constraint: constraint.key) }
                return costs
            }
            switch constraint {
            case .maxStat(let stat, let value):
                rows.append(try row(stat, max: value))
            case .minStat(let stat, let value):
                rows.append(try row(stat, max: nil, min: value))
            case .maxParameters(let value):
                let d = parent.dimensions
                let coefficients = groups.map { g in
                    g.candidates.map { c in
                        Double((c.attention.map { d.parameters(of: $0) } ?? 0) + (c.ffn.map { d.parameters(of: $0) } ?? 0))
                    }
                }
                let outside = Double(d.nonLayerParameters) + Double(uncoveredParameters(groups: groups, parent: parent))
                rows.append(LinearRow(name: "parameters", coefficients: coefficients, max: value - outside, min: nil,
                    constraint: index, scenario: nil, toConstraintUnit: { $0 + outside }))
            case .maxActiveParameters(let value):
                // Per token: a mixture of experts counts min(top-k, experts kept) experts.
                let d = parent.dimensions
                let coefficients = groups.map { g in
                    g.candidates.map { c in
                        Double((c.attention.map { d.parameters(of: $0) } ?? 0) + (c.ffn.map { d.activeParameters(of: $0) } ?? 0))
                    }
                }
                let outside = Double(d.nonLayerParameters) + Double(uncoveredParameters(groups: groups, parent: parent, active: true))
                rows.append(LinearRow(name: "activeParameters", coefficients: coefficients, max: value - outside, min: nil,
                    constraint: index, scenario: nil, toConstraintUnit: { $0 + outside }))
            case .maxMemoryBytes(let bytes):
                _ = try scenario()
                rows.append(try row("memory_mib", max: bytes / 1_048_576, unit: { $0 * 1_048_576 }))
            case .minThroughputPerGPU(let tokensPerSecond):
                let c = try scenario()
                guard c.generationLength > 0 else { throw MeasuredCostError.noGeneratedTokens(constraint: constraint.key) }
                // Tokens generated by one measured batch, in thousands of ms.
                let work = 1000 * Double(c.batchSize) * Double(c.generationLength)
                rows.append(try row("runtime_ms", max: work / tokensPerSecond,
                    unit: { total in total > 0 ? work / total : .infinity }))
            case .maxLatencySeconds(let seconds):
                _ = try scenario()
                rows.append(try row("runtime_ms", max: 1000 * seconds, unit: { $0 / 1000 }))
            case .maxTTFTSeconds(let seconds):
                _ = try scenario()
                rows.append(try row("prefill_runtime_ms", max: 1000 * seconds, unit: { $0 / 1000 }))
            case .maxTPOTSeconds:
                // Measured searches see it as .maxLatencySeconds (Constraint.forMeasuredCosts).
                throw MeasuredCostError.needsMeasuredCosts(constraint: "latency")
            case .speedup:
                throw SearchError.needsCostModel(constraint)
            }
        }
        return rows
    }

    /// Per group, per candidate: the stat's value. A candidate without it is
    /// `SearchError.missingStat` for a stat budget, `MeasuredCostError.missingStat` for a
    /// puzzletron budget (memory, throughput, latency, TTFT) computed from it.
    static func statCoefficients(_ stat: String, groups: [SearchGroup], constraint: Constraint) throws -> [[Double]] {
        var out: [[Double]] = []
        for g in groups {
            var row: [Double] = []
            for c in g.candidates {
                guard let v = c.stats[stat] else {
                    switch constraint {
                    case .maxStat, .minStat:
                        throw SearchError.missingStat(layer: g.layer, role: g.role, candidate: c.name, stat: stat)
                    default:
                        throw MeasuredCostError.missingStat(constraint: constraint.key, stat: stat, layer: g.layer, role: g.role,
                            candidate: c.name)
                    }
                }
                row.append(v)
            }
            out.append(row)
        }
        let magnitude = out.reduce(0.0) { $0 + $1.reduce(0.0) { Swift.max($0, abs($1)) } }
        guard magnitude <= Problem.maxMagnitude else { throw SearchError.sumOverflow(kind: "stat", name: stat) }
        return out
    }

    /// Parameters of parent layers the library does not cover (kept as the parent's block).
    static func uncoveredParameters(groups: [SearchGroup], parent: Architecture, active: Bool = false) -> Int {
        let covered = Set(groups.map(\.layer))
        var total = 0
        for (i, layer) in parent.layers.enumerated() where !covered.contains(i) {
            total += active ? parent.dimensions.activeParameters(of: layer) : parent.dimensions.parameters(of: layer)
        }
        return total
    }

    /// Sums of every stat present on all chosen candidates.
    static func statSums(groups: [SearchGroup], choices: [Int]) -> [String: Double] {
        var values: [String: [Double]] = [:]
        for (g, c) in zip(groups, choices) {
            for (k, v) in g.candidates[c].stats { values[k, default: []].append(v) }
        }
        var sums: [String: Double] = [:]
        for (k, list) in values where list.count == groups.count { sums[k] = accurateSum(list) }
        return sums
    }
}
