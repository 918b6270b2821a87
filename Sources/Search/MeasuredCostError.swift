/// Why a budget cannot be bounded with the costs at hand. The CLI turns these into messages that
/// name its options; here they carry the data: the budget's key (`memory`, `throughput`,
/// `latency`, `ttft`, `speedup`, `max:STAT`, ...), the stat and where it is missing.
public enum MeasuredCostError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The budget only exists for measured costs (`latency`: one measured batch end to end).
    case needsMeasuredCosts(constraint: String)
    /// With measured costs, the budget needs puzzletron's measurement scenario (batch size,
    /// generation length, non-block costs) and the library carries none.
    case noPuzzletronScenario(constraint: String)
    /// A candidate lacks the stat the budget sums (e.g. `runtime_ms` without runtime stats).
    case missingStat(constraint: String, stat: String, layer: Int, role: GroupRole, candidate: String)
    /// The scenario's non-block cost of the stat is null (not measured).
    case missingNonBlock(constraint: String, stat: String)
    /// Throughput is undefined for a scenario that generates no tokens.
    case noGeneratedTokens(constraint: String)

    public var description: String {
        switch self {
        case .needsMeasuredCosts(let c):
            return "budget \(c) (latency of one measured batch) needs measured costs"
        case .noPuzzletronScenario(let c):
            return "budget \(c) with measured costs needs a library measured by puzzletron (a measurement with batch_size, generation_length and non_block costs); this library has none: bound its stats instead, or use the cost model"
        case .missingStat(let c, let stat, let layer, let role, let candidate):
            return "budget \(c) sums the measured stat \(stat), but layer \(layer) \(role.rawValue) candidate '\(candidate)' has none"
        case .missingNonBlock(let c, let stat):
            return "budget \(c) needs the measured non-block cost \(stat), which the library's measurement has as null (not measured)"
        case .noGeneratedTokens(let c):
            return "budget \(c): the measured scenario generates no tokens (generation_length 0), so it has no throughput"
        }
    }
}
