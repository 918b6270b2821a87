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
        m.batchSize = try r.optional("batch_size")?.positiveInt
        m.sequenceLength = try r.optional("sequence_length")?.positiveInt
        m.prefillLength = try r.optional("prefill_length")?.int
        m.generationLength = try r.optional("generation_length")?.int
        for (key, value) in try r.object where !knownKeys.contains(key) {
            m.extras[key] = value
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
