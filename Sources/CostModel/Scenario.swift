import PuzzleCore

/// A serving scenario: every request has `inputTokens` prompt tokens (ISL) and generates
/// `outputTokens` tokens (OSL), as in TensorRT-LLM's fixed-length throughput benchmarks.
public struct Scenario: Sendable, Hashable, CustomStringConvertible {
    /// Prompt length ISL (tokens), at least 1.
    public var inputTokens: Int
    /// Generated length OSL (tokens), at least 1.
    public var outputTokens: Int

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    /// The longest prompt or output the model accepts (tokens): 2^24, far beyond any context
    /// window, small enough that batch x (ISL + OSL) stays exact in a Double.
    public static let maxTokens = 16_777_216

    /// Parses `ISL/OSL`, e.g. `128/1024`; both integers in 1...maxTokens. Nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let o = Int(parts[1]), (1...Self.maxTokens).contains(i),
            (1...Self.maxTokens).contains(o)
        else { return nil }
        self.init(inputTokens: i, outputTokens: o)
    }

    /// Tokens a sequence holds in the KV cache at its end: ISL + OSL.
    public var sequenceTokens: Int { inputTokens + outputTokens }

    /// `ISL/OSL`.
    public var description: String { "\(inputTokens)/\(outputTokens)" }
}

/// How the serving batch (concurrent sequences) is chosen.
public enum BatchChoice: Sendable, Hashable {
    /// Exactly this many sequences in flight.
    case fixed(Int)
    /// As many as fit in the KV-cache pool (what TensorRT-LLM's max-throughput run does), capped
    /// by the runtime's maximum batch size.
    case max
}

/// How the runtime reserves KV cache for the sequences it admits (TensorRT-LLM's capacity
/// scheduler policy). It decides how many sequences fit, never how fast they run.
public enum SchedulerPolicy: String, Sendable, Hashable, CaseIterable {
    /// `GUARANTEED_NO_EVICT` (TensorRT-LLM's default, used by trtllm-bench and so by the
    /// calibration data): a sequence is admitted only when the pool can hold all of its
    /// ISL + OSL tokens, so B sequences need B (ISL + OSL) tokens of KV.
    case guaranteedNoEvict = "guaranteed-no-evict"
    /// `MAX_UTILIZATION`: sequences are admitted while the pool holds the tokens in use (paused
    /// when it runs out). In steady-state in-flight batching the sequences are staggered over
    /// their OSL steps, so one holds ISL + OSL / 2 tokens on average (at most its window in a
    /// sliding-window layer: `CostModel.meanCachedContext`).
    case maxUtilization = "max-utilization"

    /// KV tokens one sequence occupies for the pool's accounting (see the cases).
    public func kvTokensPerSequence(_ s: Scenario) -> Double {
        switch self {
        case .guaranteedNoEvict: return Double(s.sequenceTokens)
        case .maxUtilization: return Double(s.inputTokens) + Double(s.outputTokens) / 2
        }
    }
}
