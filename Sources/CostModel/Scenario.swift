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

    /// Parses `ISL/OSL`, e.g. `128/1024`; both positive integers.
    public init(parsing text: String) throws(UsageError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let o = Int(parts[1]), i > 0, o > 0 else {
            throw UsageError("scenario \(text): expected ISL/OSL with positive integers, e.g. 128/1024")
        }
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
