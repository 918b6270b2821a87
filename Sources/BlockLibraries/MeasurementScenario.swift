import PuzzleCore

/// Where a library's measured stats come from: the GPU, dtype, batch size and lengths, plus any
/// other keys of the source (kept verbatim). Written in native files under `measurement`.
public struct MeasurementScenario: Sendable, Hashable {
    /// GPU as the measuring tool named it, e.g. `NVIDIA H100 80GB HBM3`.
    public var gpu: String?
    /// Weights/activations/KV dtype, e.g. `fp8`.
    public var dtype: String?
    /// Sequences per batch.
    public var batchSize: Int?
    /// Tokens per sequence (prefill + generation) when the source gives one length.
    public var sequenceLength: Int?
    /// Prompt tokens per sequence.
    public var prefillLength: Int?
    /// Generated tokens per sequence.
    public var generationLength: Int?
    /// Other keys, verbatim and in order.
    public var extras: JSONObject

    public init(gpu: String? = nil, dtype: String? = nil, batchSize: Int? = nil, sequenceLength: Int? = nil,
        prefillLength: Int? = nil, generationLength: Int? = nil, extras: JSONObject = JSONObject())
    {
        self.gpu = gpu
        self.dtype = dtype
        self.batchSize = batchSize
        self.sequenceLength = sequenceLength
        self.prefillLength = prefillLength
        self.generationLength = generationLength
        self.extras = extras
    }

    static let knownKeys = ["gpu", "dtype", "batch_size", "sequence_length", "prefill_length", "generation_length"]

    /// Reads `{"gpu", "dtype", "batch_size", "sequence_length", "prefill_length", "generation_length", ...}`.
    public static func read(_ r: JSONReader) throws(DataError) -> MeasurementScenario {
        var m = MeasurementScenario()
        m.gpu = try r.optional("gpu")?.string
        m.dtype = try r.optional("dtype")?.string
        func count(_ key: String, positive: Bool) throws(DataError) -> Int? {
            guard let reader = try r.optional(key) else { return nil }
            let v = try reader.int
            guard v >= (positive ? 1 : 0), v <= PuzzletronStats.maxCount else {
                throw reader.fail("expected \(positive ? "a positive" : "a non-negative") integer up to \(PuzzletronStats.maxCount), found \(v)")
            }
            return v
        }
        m.batchSize = try count("batch_size", positive: true)
        m.sequenceLength = try count("sequence_length", positive: true)
        m.prefillLength = try count("prefill_length", positive: false)
        m.generationLength = try count("generation_length", positive: false)
        for (key, value) in try r.object where !knownKeys.contains(key) {
            m.extras[key] = value
        }
        // Puzzletron's costs outside the layers must be numbers (or null) where they are read.
        if let nonBlock = try r.optional(PuzzletronCosts.nonBlockKey) {
            _ = try PuzzletronStats.numbers(nonBlock, skipping: [])
        }
        return m
    }

    public var json: JSONValue {
        var o = JSONObject()
        if let gpu { o["gpu"] = .string(gpu) }
        if let dtype { o["dtype"] = .string(dtype) }
        if let batchSize { o["batch_size"] = .number(batchSize) }
        if let sequenceLength { o["sequence_length"] = .number(sequenceLength) }
        if let prefillLength { o["prefill_length"] = .number(prefillLength) }
        if let generationLength { o["generation_length"] = .number(generationLength) }
        for (k, v) in extras { o[k] = v }
        return .object(o)
    }

    /// One line: `NVIDIA H100 80GB HBM3, fp8, batch 256, sequence 1200`.
    public var summary: String {
        var parts: [String] = []
        if let gpu { parts.append(gpu) }
        if let dtype { parts.append(dtype) }
        if let batchSize { parts.append("batch \(batchSize)") }
        if let sequenceLength { parts.append("sequence \(sequenceLength)") }
        if let prefillLength { parts.append("prefill \(prefillLength)") }
        if let generationLength { parts.append("generation \(generationLength)") }
        return parts.isEmpty ? "(unspecified)" : parts.joined(separator: ", ")
    }
}

/// The part of a measurement that Model-Optimizer puzzletron's MIP needs to turn its human
/// budgets into constraints on summed stats (`PuzzleConstraints.to_mip_constraints` and
/// `run_single_puzzle_config` in `modelopt/torch/puzzletron/mip/run_puzzle.py`): the batch
/// size and generation length of the measured scenario, and the costs outside the layers
/// (`non_block`: embeddings and LM head), which the MIP subtracts from every budget.
public struct PuzzletronCosts: Sendable, Hashable {
    /// `measurement.non_block` in native libraries: `{"runtime_ms", "memory_mib", "num_params"}`.
    public static let nonBlockKey = "non_block"
    /// `measurement.subblock_stats_args`: the scenario's `args` verbatim (written back on export).
    public static let argsKey = "subblock_stats_args"

    /// Sequences per measured batch (`args.batch_size`).
    public var batchSize: Int
    /// Prompt tokens per sequence (`args.prefill_seq_len`).
    public var prefillLength: Int
    /// Generated tokens per sequence (`args.generation_seq_len`).
    public var generationLength: Int
    /// The measured costs outside the layers by stat name (null ones left out).
    public var nonBlock: [String: Double]
    /// Non-block stats the file has as null (not measured, e.g. `runtime_ms` without runtime stats).
    public var unmeasuredNonBlock: Set<String>
    /// The scenario's `args` as puzzletron wrote them.
    public var args: JSONObject

    /// The non-block cost of `stat`: 0 when the scenario has no such key (upstream's
    /// `KeyError -> 0`), nil when it has it as null (upstream cannot use it either).
    public func nonBlockCost(_ stat: String) -> Double? {
        if unmeasuredNonBlock.contains(stat) { return nil }
        return nonBlock[stat] ?? 0
    }
}

extension MeasurementScenario {
    /// Puzzletron's scenario, when the measurement came from a puzzletron `subblock_stats.json`
    /// (it carries `non_block`), with a batch size and generation length; nil otherwise.
    public var puzzletron: PuzzletronCosts? {
        guard let nonBlock = extras[PuzzletronCosts.nonBlockKey]?.objectValue, let batchSize, let generationLength else {
            return nil
        }
        var costs: [String: Double] = [:]
        var unmeasured = Set<String>()
        for (key, value) in nonBlock {
            if let v = value.doubleValue, v.isFinite { costs[key] = v } else { unmeasured.insert(key) }
        }
        return PuzzletronCosts(batchSize: batchSize, prefillLength: prefillLength ?? 0, generationLength: generationLength,
            nonBlock: costs, unmeasuredNonBlock: unmeasured, args: extras[PuzzletronCosts.argsKey]?.objectValue ?? JSONObject())
    }
}
