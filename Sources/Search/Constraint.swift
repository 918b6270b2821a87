/// A user budget on the child. Throughput, latency and memory budgets hold for every scenario of
/// the search at once; `maxStat`/`minStat` bound sums of a library's measured per-candidate stats.
public enum Constraint: Sendable, Hashable {
    /// Device memory per GPU: weights + KV cache + activations + reserve <= bytes.
    case maxMemoryBytes(Double)
    /// Output tokens/s per GPU >= value.
    case minThroughputPerGPU(Double)
    /// Throughput per GPU >= factor x the parent's (same GPU, dtype and scenario; each at its own
    /// best batch and TP).
    case speedup(Double)
    /// Time per output token (one decode step) <= seconds.
    case maxTPOTSeconds(Double)
    /// Time to first token (prefill of one request batch) <= seconds.
    case maxTTFTSeconds(Double)
    /// Measured costs only: the end-to-end latency of one measured batch (prefill and
    /// generation of `batch_size` requests, vLLM's `bench latency`) <= seconds: puzzletron's
    /// `target_latency_seconds`. With measured costs a TPOT budget becomes this one
    /// (`forMeasuredCosts`).
    case maxLatencySeconds(Double)
    /// Total parameters <= count.
    case maxParameters(Double)
    /// Parameters a token uses (mixtures of experts count top-k experts) <= count.
    case maxActiveParameters(Double)
    /// Sum over the chosen candidates of a measured stat <= value (e.g. `memory_mib`).
    case maxStat(String, Double)
    /// Sum over the chosen candidates of a measured stat >= value.
    case minStat(String, Double)

    /// A stable key used in manifests: `memory`, `throughput`, `speedup`, `tpot`, `ttft`,
    /// `parameters`, `activeParameters`, `max:STAT`, `min:STAT`.
    public var key: String {
        switch self {
        case .maxMemoryBytes: return "memory"
        case .minThroughputPerGPU: return "throughput"
        case .speedup: return "speedup"
        case .maxTPOTSeconds: return "tpot"
        case .maxTTFTSeconds: return "ttft"
        case .maxLatencySeconds: return "latency"
        case .maxParameters: return "parameters"
        case .maxActiveParameters: return "activeParameters"
        case .maxStat(let s, _): return "max:\(s)"
        case .minStat(let s, _): return "min:\(s)"
        }
    }

    /// The budget in the constraint's own unit.
    public var budget: Double {
        switch self {
        case .maxMemoryBytes(let v), .minThroughputPerGPU(let v), .speedup(let v), .maxTPOTSeconds(let v),
            .maxTTFTSeconds(let v), .maxLatencySeconds(let v), .maxParameters(let v), .maxActiveParameters(let v),
            .maxStat(_, let v), .minStat(_, let v):
            return v
        }
    }

    /// `bytes`, `tokens/s/GPU`, `x parent`, `seconds`, `parameters`, or the stat's own unit.
    public var unit: String {
        switch self {
        case .maxMemoryBytes: return "bytes"
        case .minThroughputPerGPU: return "tokens/s/GPU"
        case .speedup: return "x parent"
        case .maxTPOTSeconds, .maxTTFTSeconds, .maxLatencySeconds: return "seconds"
        case .maxParameters, .maxActiveParameters: return "parameters"
        case .maxStat(let s, _), .minStat(let s, _): return s
        }
    }

    /// Whether the achieved value must stay at or below the budget (else at or above).
    public var isUpperBound: Bool {
        switch self {
        case .minThroughputPerGPU, .speedup, .minStat: return false
        default: return true
        }
    }

    /// Whether it is more than a bound on sums of per-candidate numbers: with measured costs,
    /// such a budget needs a library that carries puzzletron's measurement scenario (see
    /// `MeasuredRows`), and speed-up needs the cost model.
    public var needsCostModel: Bool {
        switch self {
        case .maxStat, .minStat, .maxParameters, .maxActiveParameters: return false
        default: return true
        }
    }

    /// The budget as measured costs bound it: a TPOT budget becomes puzzletron's request
    /// latency (`target_latency_seconds`: one measured batch, prefill and generation), since
    /// measured runtimes are of whole batches; the others are unchanged.
    public var forMeasuredCosts: Constraint {
        if case .maxTPOTSeconds(let s) = self { return .maxLatencySeconds(s) }
        return self
    }

    /// The same constraint with another budget (used by sweeps).
    public func withBudget(_ value: Double) -> Constraint {
        switch self {
        case .maxMemoryBytes: return .maxMemoryBytes(value)
        case .minThroughputPerGPU: return .minThroughputPerGPU(value)
        case .speedup: return .speedup(value)
        case .maxTPOTSeconds: return .maxTPOTSeconds(value)
        case .maxTTFTSeconds: return .maxTTFTSeconds(value)
        case .maxLatencySeconds: return .maxLatencySeconds(value)
        case .maxParameters: return .maxParameters(value)
        case .maxActiveParameters: return .maxActiveParameters(value)
        case .maxStat(let s, _): return .maxStat(s, value)
        case .minStat(let s, _): return .minStat(s, value)
        }
    }
}
