import ModelArchitecture
import PuzzleCore

/// One GPU's datasheet numbers and the model's calibrated efficiency constants.
///
/// Units: bytes, bytes/s, FLOP/s, seconds, tokens. Every constant carries the `source` it came
/// from (a datasheet, or "fit to trtllm-h100-fp8.csv"); JSON form (configs/gpus/*.json):
/// `{"name", "aliases", "description", "interconnect": "nvlink"|"pcie",
///   "constants": {"memoryBytes": {"value": 85520809984, "source": "..."}, ...}}`.
public struct GPUProfile: Sendable, Hashable {
    /// The GPU-to-GPU link all-reduces run over.
    public enum Interconnect: String, Sendable, Hashable { case nvlink, pcie }

    public var name: String
    public var aliases: [String]
    public var description: String
    public var interconnect: Interconnect

    /// Device memory (bytes).
    public var memoryBytes: Double
    /// Peak HBM/GDDR bandwidth (bytes/s).
    public var hbmBytesPerSecond: Double
    /// Dense tensor-core peaks (FLOP/s); `nil` where the GPU has no such tensor cores (A100 FP8).
    public var bf16FlopsPerSecond: Double
    public var fp16FlopsPerSecond: Double
    public var fp8FlopsPerSecond: Double?
    /// Per-direction GPU-to-GPU bandwidth (bytes/s): NVLink or PCIe.
    public var linkBytesPerSecond: Double

    /// Fraction of the dense peak a large GEMM reaches (fit).
    public var gemmEfficiency: Double
    /// Tokens (GEMM rows) at which a GEMM reaches half of `gemmEfficiency`: eff(M) = e M / (M + M½).
    public var gemmHalfTokens: Double
    /// Fraction of a dense GEMM's efficiency the grouped per-expert GEMMs of a mixture of experts
    /// reach: eff(r) = gemmEfficiency x this x r / (r + moeGemmHalfTokens), r rows per expert.
    public var moeGemmEfficiency: Double
    /// Rows per expert at which grouped expert GEMMs reach half their efficiency.
    public var moeGemmHalfTokens: Double
    /// Fraction of HBM bandwidth reached when streaming weights.
    public var hbmEfficiency: Double
    /// Fraction of HBM bandwidth the decode attention kernel reaches reading the KV cache.
    public var attentionDecodeEfficiency: Double
    /// Fraction of the tensor-core peak flash attention reaches on long prompts.
    public var attentionPrefillEfficiency: Double
    /// Prompt length at which prefill attention reaches half its efficiency: e L / (L + L½).
    public var attentionHalfLengthTokens: Double
    /// Fixed time per kernel (seconds).
    public var kernelFloorSeconds: Double
    /// Host/scheduler time per iteration (seconds).
    public var iterationOverheadSeconds: Double
    /// Fixed time per all-reduce above `allReduceOneShotMaxBytes` (ring / two-shot) (seconds).
    public var allReduceLatencySeconds: Double
    /// Fixed time of the one-shot all-reduce kernel TensorRT-LLM runs for small payloads (seconds).
    /// Optional in a profile file; absent: `allReduceLatencySeconds`.
    public var allReduceOneShotLatencySeconds: Double
    /// Largest payload (bytes) the one-shot kernel handles; 0 (absent in a file): never one-shot.
    public var allReduceOneShotMaxBytes: Double
    /// Largest payload (bytes) the two-shot kernel (one-shot latency, ring bandwidth) handles;
    /// absent in a file: `allReduceOneShotMaxBytes` (no two-shot zone).
    public var allReduceTwoShotMaxBytes: Double
    /// Fraction of `linkBytesPerSecond` a ring all-reduce reaches.
    public var allReduceEfficiency: Double
    /// Base memory kept outside the KV pool: CUDA context, workspaces, graphs (bytes). The runtime
    /// adds the activations of its token budget (`CostModel.reserveBytes`).
    public var runtimeReserveBytes: Double
    /// Fraction of the memory left after weights and reserve that becomes KV cache.
    public var kvCacheMemoryFraction: Double
    /// The runtime's cap on concurrent sequences.
    public var maxBatchSize: Int
    /// The runtime's cap on tokens (prompt + generated) per iteration.
    public var maxNumTokens: Int

    /// The `source` string of every constant, by JSON key.
    public var sources: [String: String]

    /// Dense tensor-core peak for GEMMs whose inputs are `dtype` (FLOP/s); nil when unsupported.
    public func peakFlopsPerSecond(_ dtype: DType) -> Double? {
        switch dtype {
        case .bf16: return bf16FlopsPerSecond
        case .fp16: return fp16FlopsPerSecond
        case .fp8: return fp8FlopsPerSecond
        default: return nil
        }
    }

    /// The JSON keys of the constants, in file order, with whether they may be absent.
    static let keys: [(key: String, optional: Bool)] = [
        ("memoryBytes", false), ("hbmBytesPerSecond", false), ("bf16FlopsPerSecond", false),
        ("fp16FlopsPerSecond", false), ("fp8FlopsPerSecond", true), ("linkBytesPerSecond", false),
        ("allReduceLatencySeconds", false), ("allReduceEfficiency", false), ("allReduceOneShotLatencySeconds", true),
        ("allReduceOneShotMaxBytes", true), ("allReduceTwoShotMaxBytes", true), ("gemmEfficiency", false),
        ("gemmHalfTokens", false), ("hbmEfficiency", false), ("attentionDecodeEfficiency", false),
        ("attentionPrefillEfficiency", false), ("attentionHalfLengthTokens", false), ("kernelFloorSeconds", false),
        ("iterationOverheadSeconds", false), ("runtimeReserveBytes", false), ("kvCacheMemoryFraction", false),
        ("maxBatchSize", false), ("maxNumTokens", false), ("moeGemmEfficiency", true), ("moeGemmHalfTokens", true),
    ]

    /// Values of the optional MoE constants in profiles written before they existed: the fit to
    /// trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py), shared by every GPU.
    static let defaults: [String: (value: Double, source: String)] = [
        "moeGemmEfficiency": (0.74, "default: fit to trtllm-h100-fp8-mistral-mixtral.csv (Mixtral rows, bench/fit_cost_model.py)"),
        "moeGemmHalfTokens": (80, "default: fit to trtllm-h100-fp8-mistral-mixtral.csv (Mixtral rows, bench/fit_cost_model.py)"),
    ]

    /// The largest value any constant may take (1e18: above every bandwidth, FLOP rate and memory
    /// size of a real device), so that sums and products of constants stay finite.
    static let maxValue = 1e18

    /// Keys whose value is a fraction in (0, 1].
    static let fractions: Set<String> = [
        "gemmEfficiency", "hbmEfficiency", "attentionDecodeEfficiency", "attentionPrefillEfficiency",
        "allReduceEfficiency", "kvCacheMemoryFraction", "moeGemmEfficiency",
    ]
    /// Keys that may be 0.
    static let mayBeZero: Set<String> = [
        "gemmHalfTokens", "attentionHalfLengthTokens", "kernelFloorSeconds", "iterationOverheadSeconds",
        "allReduceLatencySeconds", "runtimeReserveBytes", "allReduceOneShotLatencySeconds", "allReduceOneShotMaxBytes",
        "allReduceTwoShotMaxBytes", "moeGemmHalfTokens",
    ]

    /// Reads a profile; every constant needs a finite `value` in range and a non-empty `source`.
    public init(json root: JSONReader) throws(DataError) {
        name = try root.required("name").string
        guard !name.isEmpty else { throw root.fail("name must not be empty") }
        aliases = try root.optional("aliases")?.array.map { r throws(DataError) in try r.string } ?? []
        description = try root.optional("description")?.string ?? name
        let link = try root.required("interconnect")
        guard let ic = Interconnect(rawValue: try link.string) else {
            throw link.fail("expected \"nvlink\" or \"pcie\"")
        }
        interconnect = ic
        let constants = try root.required("constants")
        guard constants.value.objectValue != nil else { throw constants.fail("expected an object of {value, source}") }
        var values: [String: Double] = [:]
        var sources: [String: String] = [:]
        for (key, optional) in Self.keys {
            guard let entry = try constants.optional(key) else {
                if let fallback = Self.defaults[key] {
                    values[key] = fallback.value
                    sources[key] = fallback.source
                    continue
                }
                if optional { continue }
                throw constants.fail("missing constant \"\(key)\"")
            }
            let valueReader = try entry.required("value")
            let v = try valueReader.double
            let ok: Bool
            if Self.fractions.contains(key) {
                ok = v > 0 && v <= 1
            } else if Self.mayBeZero.contains(key) {
                ok = v >= 0
            } else {
                ok = v > 0
            }
            guard v.isFinite, ok, v <= Self.maxValue else {
                if v.isFinite && ok {
                    throw valueReader.fail("expected at most \(JSONWriter.number(Self.maxValue)), found \(JSONWriter.number(v))")
                }
                throw valueReader.fail(Self.fractions.contains(key) ? "expected a fraction in (0, 1], found \(v)"
                    : Self.mayBeZero.contains(key) ? "expected a number >= 0, found \(v)" : "expected a positive number, found \(v)")
            }
            let sourceReader = try entry.required("source")
            let s = try sourceReader.string
            guard !s.isEmpty else { throw sourceReader.fail("every constant must cite its source") }
            values[key] = v
            sources[key] = s
        }
        for (key, _) in constants.value.objectValue ?? JSONObject() where !Self.keys.contains(where: { $0.key == key }) {
            throw constants.fail("unknown constant \"\(key)\"; known: \(Self.keys.map(\.key).joined(separator: ", "))")
        }
        func v(_ k: String) -> Double { values[k] ?? 0 }
        memoryBytes = v("memoryBytes")
        hbmBytesPerSecond = v("hbmBytesPerSecond")
        bf16FlopsPerSecond = v("bf16FlopsPerSecond")
        fp16FlopsPerSecond = v("fp16FlopsPerSecond")
        fp8FlopsPerSecond = values["fp8FlopsPerSecond"]
        linkBytesPerSecond = v("linkBytesPerSecond")
        allReduceLatencySeconds = v("allReduceLatencySeconds")
        allReduceEfficiency = v("allReduceEfficiency")
        allReduceOneShotLatencySeconds = values["allReduceOneShotLatencySeconds"] ?? v("allReduceLatencySeconds")
        allReduceOneShotMaxBytes = values["allReduceOneShotMaxBytes"] ?? 0
        allReduceTwoShotMaxBytes = max(values["allReduceTwoShotMaxBytes"] ?? 0, values["allReduceOneShotMaxBytes"] ?? 0)
        gemmEfficiency = v("gemmEfficiency")
        gemmHalfTokens = v("gemmHalfTokens")
        moeGemmEfficiency = v("moeGemmEfficiency")
        moeGemmHalfTokens = v("moeGemmHalfTokens")
        hbmEfficiency = v("hbmEfficiency")
        attentionDecodeEfficiency = v("attentionDecodeEfficiency")
        attentionPrefillEfficiency = v("attentionPrefillEfficiency")
        attentionHalfLengthTokens = v("attentionHalfLengthTokens")
        kernelFloorSeconds = v("kernelFloorSeconds")
        iterationOverheadSeconds = v("iterationOverheadSeconds")
        runtimeReserveBytes = v("runtimeReserveBytes")
        kvCacheMemoryFraction = v("kvCacheMemoryFraction")
        guard v("maxBatchSize") >= 1, v("maxBatchSize") <= 1e9, v("maxNumTokens") >= 1, v("maxNumTokens") <= 1e12,
            v("maxBatchSize").rounded() == v("maxBatchSize"), v("maxNumTokens").rounded() == v("maxNumTokens")
        else {
            throw constants.fail("maxBatchSize must be an integer from 1 to 1e9 and maxNumTokens one from 1 to 1e12")
        }
        guard runtimeReserveBytes < memoryBytes else {
            throw DataError(file: constants.file, location: constants.child("runtimeReserveBytes"),
                "\(JSONWriter.number(runtimeReserveBytes)) bytes leave nothing of memoryBytes (\(JSONWriter.number(memoryBytes))); expected less than memoryBytes")
        }
        maxBatchSize = Int(v("maxBatchSize"))
        maxNumTokens = Int(v("maxNumTokens"))
        self.sources = sources
    }

    /// Parses a profile from JSON bytes (`file` names it in errors).
    public static func parse(_ bytes: [UInt8], file: String) throws(DataError) -> GPUProfile {
        try GPUProfile(json: JSONReader.parse(bytes, file: file))
    }

    /// The built-in profile called `name` or one of its aliases (case-insensitive).
    public static func builtin(named name: String) -> GPUProfile? {
        let lower = name.lowercased()
        return builtins.first { $0.name == lower || $0.aliases.contains(lower) }
    }

    /// Every built-in profile, parsed once from the embedded JSON.
    public static let builtins: [GPUProfile] = BuiltinGPUProfiles.texts.compactMap { entry in
        try? GPUProfile.parse(Array(entry.json.utf8), file: "builtin:\(entry.name)")
    }

    /// Names of the built-in profiles.
    public static var builtinNames: [String] { BuiltinGPUProfiles.texts.map(\.name) }
}

extension GPUProfile {
    /// The profile in its JSON form (configs/gpus/*.json), reading back to an equal profile.
    public var json: JSONValue {
        var constants = JSONObject()
        for (key, _) in Self.keys {
            guard let value = constantValue(key) else { continue }
            constants[key] = ["value": .number(value), "source": .string(sources[key] ?? "")]
        }
        var o = JSONObject()
        o["name"] = .string(name)
        o["aliases"] = .array(aliases.map(JSONValue.string))
        o["description"] = .string(description)
        o["interconnect"] = .string(interconnect.rawValue)
        o["constants"] = .object(constants)
        return .object(o)
    }

    /// Whether this profile is exactly the built-in one of the same name.
    public var isBuiltin: Bool { Self.builtins.contains(self) }

    /// The value of the constant stored under JSON key `key` (nil for an absent optional one).
    func constantValue(_ key: String) -> Double? {
        switch key {
        case "memoryBytes": return memoryBytes
        case "hbmBytesPerSecond": return hbmBytesPerSecond
        case "bf16FlopsPerSecond": return bf16FlopsPerSecond
        case "fp16FlopsPerSecond": return fp16FlopsPerSecond
        case "fp8FlopsPerSecond": return fp8FlopsPerSecond
        case "linkBytesPerSecond": return linkBytesPerSecond
        case "allReduceLatencySeconds": return allReduceLatencySeconds
        case "allReduceEfficiency": return allReduceEfficiency
        case "allReduceOneShotLatencySeconds": return sources[key] == nil ? nil : allReduceOneShotLatencySeconds
        case "allReduceOneShotMaxBytes": return sources[key] == nil ? nil : allReduceOneShotMaxBytes
        case "allReduceTwoShotMaxBytes": return sources[key] == nil ? nil : allReduceTwoShotMaxBytes
        case "gemmEfficiency": return gemmEfficiency
        case "gemmHalfTokens": return gemmHalfTokens
        case "hbmEfficiency": return hbmEfficiency
        case "attentionDecodeEfficiency": return attentionDecodeEfficiency
        case "attentionPrefillEfficiency": return attentionPrefillEfficiency
        case "attentionHalfLengthTokens": return attentionHalfLengthTokens
        case "kernelFloorSeconds": return kernelFloorSeconds
        case "iterationOverheadSeconds": return iterationOverheadSeconds
        case "runtimeReserveBytes": return runtimeReserveBytes
        case "kvCacheMemoryFraction": return kvCacheMemoryFraction
        case "maxBatchSize": return Double(maxBatchSize)
        case "maxNumTokens": return Double(maxNumTokens)
        case "moeGemmEfficiency": return moeGemmEfficiency
        case "moeGemmHalfTokens": return moeGemmHalfTokens
        default: return nil
        }
    }
}
