/// The additive cost of one subblock (an attention or FFN variant of one layer), or of the parts
/// outside the layers, for a fixed (GPU, dtype, KV dtype, TP, scenario, batch).
///
/// Every field is per GPU of the TP group and adds over subblocks: a model's value is
/// `nonLayer + sum over layers (attention + FFN)`. Units: bytes and seconds.
public struct SubblockCost: Sendable, Hashable {
    /// Weight bytes held by one GPU (its TP shard, plus replicated norms/KV heads).
    public var weightBytes: Double
    /// KV-cache bytes one token of context occupies on one GPU.
    public var kvBytesPerToken: Double
    /// Time to first token: prefill of one sequence of ISL tokens on an otherwise idle engine (s).
    public var prefillSeconds: Double
    /// Time per output token of one sequence: a steady-state in-flight iteration as that sequence
    /// sees it, carrying the decode tokens of all B sequences and the prompts of the other B - 1
    /// (`BatchPlan.decodeStepTokens`) (s). Equal to cycleSeconds / iterations up to its own prompt.
    public var decodeStepSeconds: Double
    /// Time of one serving cycle: `batch` sequences each prefilled and decoded for OSL steps (s);
    /// throughput per GPU = batch x OSL / cycleSeconds / TP.
    public var cycleSeconds: Double
    /// The TP all-reduce part of `cycleSeconds` (s); 0 at TP 1 and for no-op subblocks.
    public var allReduceSeconds: Double
    /// This part's row in the linear memory constraint at the fixed batch:
    /// kvFraction x weightBytes + batch x the KV a sequence holds (bytes: `kvBytesHeldPerSequence`,
    /// ISL + OSL tokens under guaranteed-no-evict, ISL + OSL/2 under max-utilization, window-capped);
    /// the row's right-hand side is `CostModel.memoryRowCapacityBytes(reserveBytes:)`.
    public var memoryRowBytes: Double

    public init(weightBytes: Double = 0, kvBytesPerToken: Double = 0, prefillSeconds: Double = 0,
        decodeStepSeconds: Double = 0, cycleSeconds: Double = 0, allReduceSeconds: Double = 0, memoryRowBytes: Double = 0)
    {
        self.weightBytes = weightBytes
        self.kvBytesPerToken = kvBytesPerToken
        self.prefillSeconds = prefillSeconds
        self.decodeStepSeconds = decodeStepSeconds
        self.cycleSeconds = cycleSeconds
        self.allReduceSeconds = allReduceSeconds
        self.memoryRowBytes = memoryRowBytes
    }

    /// All zero: the cost of a no-op subblock.
    public static let zero = SubblockCost()

    /// Field-wise sum.
    public static func + (a: SubblockCost, b: SubblockCost) -> SubblockCost {
        SubblockCost(weightBytes: a.weightBytes + b.weightBytes, kvBytesPerToken: a.kvBytesPerToken + b.kvBytesPerToken,
            prefillSeconds: a.prefillSeconds + b.prefillSeconds, decodeStepSeconds: a.decodeStepSeconds + b.decodeStepSeconds,
            cycleSeconds: a.cycleSeconds + b.cycleSeconds, allReduceSeconds: a.allReduceSeconds + b.allReduceSeconds,
            memoryRowBytes: a.memoryRowBytes + b.memoryRowBytes)
    }

    public static func += (a: inout SubblockCost, b: SubblockCost) { a = a + b }
}

/// How in-flight batching turns `batch` concurrent sequences into iterations (depends only on the
/// scenario, the batch and the runtime's caps, never on the layers; so costs stay additive).
///
/// Over one cycle the engine prefills `batch x ISL` tokens and generates `batch x OSL` tokens in
/// `iterations = max(OSL, batch (ISL + OSL) / tokenBudget)` iterations, each carrying
/// `tokensPerIteration = batch (ISL + OSL) / iterations` tokens of which
/// `generatedPerIteration = batch OSL / iterations` are decode tokens attending to a mean context of
/// `ISL + OSL / 2` (the context grows by one each step).
public struct BatchPlan: Sendable, Hashable {
    public var batch: Int
    /// Tokens per iteration the scheduler allows (trtllm-bench heuristic, capped by maxNumTokens).
    public var tokenBudget: Int
    public var iterations: Double
    public var tokensPerIteration: Double
    public var generatedPerIteration: Double
    public var meanContextTokens: Double
    /// Tokens of an iteration as one sequence sees it between two of its own output tokens: the
    /// decode tokens of all B sequences and the prompt tokens of the other B - 1,
    /// (B OSL + (B - 1) ISL) / iterations. At B = 1 it is the pure decode step of one token.
    public var decodeStepTokens: Double
}
