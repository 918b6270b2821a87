import CostModel

/// How far every cost-model budget must be beaten so that a child that passes on predictions
/// still passes on the engine when the engine lands that far from them (docs/cost-model.md,
/// "Uncertainty"). Fractions are in [0, 1):
/// - throughput and speed-up: the prediction lowered by `throughput` must meet the target,
///   predicted x (1 - m) >= target;
/// - TPOT / TTFT: the prediction raised by `tpot` / `ttft` must stay within the budget,
///   predicted x (1 + m) <= budget;
/// - memory (a `--max-memory` budget): predicted x (1 + `memory`) <= budget. The device's own
///   capacity row is the engine's rule and is not scaled: a too-optimistic batch shows on the
///   engine as a smaller batch, i.e. lower throughput, which the throughput margin covers.
public struct Margin: Sendable, Hashable {
    public var throughput: Double
    public var tpot: Double
    public var ttft: Double
    public var memory: Double
    /// As the user wrote it: `10%`, `0.1` or `p90`.
    public var label: String

    public init(throughput: Double, tpot: Double, ttft: Double, memory: Double, label: String) {
        self.throughput = throughput
        self.tpot = tpot
        self.ttft = ttft
        self.memory = memory
        self.label = label
    }

    /// The same fraction for throughput, TPOT and TTFT; memory takes the memory band's upper edge
    /// (weights and KV are exact accounting, only the reserve is uncertain).
    public static func fraction(_ f: Double, label: String, bands: PredictionBands = .calibrated) -> Margin {
        Margin(throughput: f, tpot: f, ttft: f, memory: max(0, bands.memory.upper), label: label)
    }

    /// Each budget at its band's edge: throughput may land at the band's lower quantile, latencies
    /// and memory at the upper one (`PredictionBands`: the 10th and 90th percentiles).
    public static func bandEdge(_ bands: PredictionBands = .calibrated, label: String) -> Margin {
        Margin(throughput: min(0.99, max(0, -bands.throughput.lower)), tpot: max(0, bands.tpot.upper),
            ttft: max(0, bands.ttft.upper), memory: max(0, bands.memory.upper), label: label)
    }

    /// The factor a prediction of `constraint`'s quantity is multiplied by at the margin:
    /// 1 - throughput for throughput/speed-up, 1 + m for TPOT, TTFT and memory, 1 for the rest.
    public func factor(_ constraint: Constraint) -> Double {
        switch constraint {
        case .minThroughputPerGPU, .speedup: return 1 - throughput
        case .maxTPOTSeconds: return 1 + tpot
        case .maxTTFTSeconds: return 1 + ttft
        case .maxMemoryBytes: return 1 + memory
        // Measured-cost budgets (`maxLatencySeconds`: summed measured runtimes) are not predictions.
        case .maxLatencySeconds, .maxParameters, .maxActiveParameters, .maxStat, .minStat: return 1
        }
    }
}
