import PuzzleCore

/// The model families this toolkit reads, counts, searches and writes.
public enum ModelFamily: String, Sendable, Hashable, CaseIterable {
    /// `LlamaForCausalLM` parents and their DeciLM (`nemotron-nas`) children.
    case llama
    /// `MistralForCausalLM`: Llama's shape, explicit `head_dim`, optional `sliding_window`.
    case mistral
    /// `Qwen2ForCausalLM` (Qwen2, Qwen2.5): biases on q, k, v.
    case qwen2
    /// `Qwen3ForCausalLM`: q/k RMSNorms, explicit `head_dim`.
    case qwen3
    /// `MixtralForCausalLM`: every FFN a mixture of experts.
    case mixtral
    /// `Qwen3MoeForCausalLM`: q/k norms, mixtures of experts on the layers `decoder_sparse_step`
    /// and `mlp_only_layers` pick, dense SwiGLU elsewhere.
    case qwen3MoE = "qwen3_moe"
    /// `GptOssForCausalLM`: biased attention with sinks, alternating sliding/full layers, biased
    /// experts and router, MXFP4 expert storage.
    case gptOss = "gpt_oss"

    /// The descriptor that knows how this family reads, counts, varies and writes.
    public var descriptor: any FamilyDescriptor {
        switch self {
        case .llama: return LlamaFamily()
        case .mistral: return MistralFamily()
        case .qwen2: return QwenDenseFamily(family: .qwen2)
        case .qwen3: return QwenDenseFamily(family: .qwen3)
        case .mixtral: return MixtralFamily()
        case .qwen3MoE: return Qwen3MoEFamily()
        case .gptOss: return GptOssFamily()
        }
    }

    /// The family whose descriptor reads HF architecture `name` (`Qwen2ForCausalLM`, ...).
    public static func reading(architecture name: String) -> ModelFamily? {
        allCases.first { $0.descriptor.architectures.contains(name) }
    }

    /// Every architecture name some family reads, for error messages.
    public static var supportedArchitectures: [String] { allCases.flatMap { $0.descriptor.architectures } }

    /// Whether layers of this family hold mixtures of experts.
    public var isMixtureOfExperts: Bool { self == .mixtral || self == .qwen3MoE || self == .gptOss }
}

/// How a family writes a heterogeneous child.
public enum ChildConfigFormat: String, Sendable, Hashable {
    /// `DeciLMForCausalLM` / `nemotron-nas` with `n_heads_in_group` / `ffn_mult` per layer
    /// (vLLM, TensorRT-LLM, llama.cpp and transformers read it).
    case decilm
    /// The family's own HF config plus Model-Optimizer puzzletron's `block_configs` (one
    /// `BlockConfig` per layer), the heterogeneous config its AnyModel descriptors read.
    case anyModel
}

/// What a model family reads from its HF `config.json`, how it counts, which variants a search may
/// give its layers and how it writes a child: in the spirit of Model-Optimizer puzzletron's AnyModel
/// `ModelDescriptor` / `Converter` pairs, so that the rest of the code stays family-agnostic.
///
/// Counting itself is one formula for every family (`Architecture+Accounting.swift`) driven by the
/// terms `readGlobals` sets on `ModelDimensions` (biases, q/k norms, sinks, expert shape).
public protocol FamilyDescriptor: Sendable {
    var family: ModelFamily { get }
    /// HF `architectures` values this family reads; the first is written for its children.
    var architectures: [String] { get }
    /// The config's `model_type`.
    var modelType: String { get }
    /// How a child of this family is written.
    var childFormat: ChildConfigFormat { get }
    /// Candidate FFN sizes are rounded up to a multiple of this (the GEMM tiles TensorRT-LLM and
    /// vLLM's FP8 kernels shard cleanly; puzzletron's size lists are multiples of 256 too).
    var ffnSizeMultiple: Int { get }
    /// Whether a layer may switch between sliding-window and full attention (gpt-oss's `layer_types`).
    var windowIsPerLayerChoice: Bool { get }

    /// Refuses keys this family does not model (they would change counts or costs), naming the key.
    func refuse(_ root: JSONReader) throws(DataError)
    /// Sets the family's terms on the shared shape (biases, norms, sinks, window, experts, and for
    /// MoE families the dense reference width).
    func readGlobals(_ root: JSONReader, into d: inout ModelDimensions) throws(DataError)
    /// The parent's FFN of layer `index` when the config has no `block_configs`.
    func parentFFN(layer index: Int, root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> FFNVariant
    /// Per layer, its sliding window or nil for full attention (from `layer_types` or the family's rule).
    func layerWindows(_ root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> [Int?]
    /// Adjusts a child's global fields when writing its AnyModel config (`layer_types`,
    /// `mlp_only_layers`); `config` starts as the parent's globals.
    func writeChildGlobals(_ config: inout JSONObject, child: Architecture)
}

extension FamilyDescriptor {
    public var ffnSizeMultiple: Int { 256 }
    public var windowIsPerLayerChoice: Bool { false }
    public var childFormat: ChildConfigFormat { .anyModel }

    public func refuse(_ root: JSONReader) throws(DataError) {
        if let r = try root.optional("mlp_bias"), try r.bool {
            throw r.fail("MLP biases change the parameter count and are not modelled for \(family.rawValue); expected false")
        }
    }

    public func parentFFN(layer index: Int, root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> FFNVariant {
        _ = try root.requiredInt("intermediate_size", ModelLimits.intermediateSize)
        return .swiGLU(intermediateSize: d.intermediateSize)
    }

    public func layerWindows(_ root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> [Int?] {
        if let types = try FamilyRules.layerTypes(root, dimensions: d) { return types }
        return Array(repeating: d.slidingWindow, count: d.layers)
    }

    public func writeChildGlobals(_ config: inout JSONObject, child: Architecture) {
        FamilyRules.writeLayerTypesIfNeeded(&config, child: child, descriptor: self)
    }
}

/// Rules several families share.
enum FamilyRules {
    /// `layer_types` (`sliding_attention` / `full_attention` per layer) as windows, or nil when absent.
    static func layerTypes(_ root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> [Int?]? {
        guard let types = try root.optional("layer_types") else { return nil }
        let entries = try types.array
        guard entries.count == d.layers else {
            throw types.fail("has \(entries.count) entries but num_hidden_layers is \(d.layers); expected one per layer")
        }
        var out: [Int?] = []
        out.reserveCapacity(entries.count)
        for entry in entries {
            switch try entry.string {
            case "full_attention": out.append(nil)
            case "sliding_attention":
                guard let w = d.slidingWindow else {
                    throw entry.fail("a sliding_attention layer needs sliding_window; expected sliding_window to be set")
                }
                out.append(w)
            case let other:
                throw entry.fail("layer type \"\(other)\" is not supported; expected sliding_attention or full_attention")
            }
        }
        return out
    }

    /// The model's window: `sliding_window` unless `use_sliding_window` is false.
    static func slidingWindow(_ root: JSONReader) throws(DataError) -> Int? {
        if let use = try root.optional("use_sliding_window"), try use.bool == false { return nil }
        return try root.optionalInt("sliding_window", ModelLimits.slidingWindow)
    }

    /// Qwen's rule (`Qwen2Config`): with `use_sliding_window`, layers from `max_window_layers` on slide.
    static func qwenWindows(_ root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> [Int?] {
        if let types = try layerTypes(root, dimensions: d) { return types }
        guard let w = d.slidingWindow else { return Array(repeating: nil, count: d.layers) }
        let first = try root.optional("max_window_layers")?.int(in: 0...ModelLimits.layers) ?? 0
        return (0..<d.layers).map { $0 >= first ? w : nil }
    }

    /// `attention_bias: true` on a family whose four projections share that switch.
    static func qkvoBias(_ root: JSONReader, default value: Bool) throws(DataError) -> AttentionBias {
        (try root.optional("attention_bias")?.bool ?? value) ? .qkvo : .none
    }

    /// Writes `layer_types` when the child's windows differ from what the globals imply, or when
    /// the parent config has the key (kept in step with the layers).
    static func writeLayerTypesIfNeeded(_ config: inout JSONObject, child: Architecture, descriptor: some FamilyDescriptor) {
        let implied = (try? descriptor.layerWindows(JSONReader(file: "<child>", value: .object(withoutLayerTypes(config))),
            dimensions: child.dimensions)) ?? []
        let actual = childWindows(child, fallback: implied)
        guard config["layer_types"] != nil || actual != implied else { return }
        config["layer_types"] = .array(actual.map { .string($0 == nil ? "full_attention" : "sliding_attention") })
    }

    static func withoutLayerTypes(_ config: JSONObject) -> JSONObject {
        var c = config
        c["layer_types"] = nil
        return c
    }

    /// Per layer the child's window; a linear or no-op layer keeps what the globals imply.
    static func childWindows(_ child: Architecture, fallback: [Int?]) -> [Int?] {
        child.layers.enumerated().map { i, layer in
            layer.attention.isAttention ? layer.attention.window : (i < fallback.count ? fallback[i] : nil)
        }
    }

    /// The expert size from `key`, with experts x size within `ModelLimits.expertWidth`.
    static func expertSize(_ root: JSONReader, key: String, experts: Int) throws(DataError) -> Int {
        let r = try root.required(key)
        let size = try r.int(in: 1...ModelLimits.intermediateSize)
        guard experts * size <= ModelLimits.expertWidth else {
            throw r.fail("\(experts) experts of size \(size) exceed \(ModelLimits.expertWidth) expert columns per layer; expected a smaller model")
        }
        return size
    }

    /// Experts and top-k read from `keys`, bounded.
    static func experts(_ root: JSONReader, expertsKey: String, topKKeys: [String]) throws(DataError) -> (Int, Int) {
        let experts = try root.requiredInt(expertsKey, ModelLimits.experts)
        var topK: Int?
        for key in topKKeys {
            guard let r = try root.optional(key) else { continue }
            let k = try r.int(in: 1...experts)
            if let previous = topK, previous != k {
                throw r.fail("\(k) disagrees with \(topKKeys[0]) (\(previous)); expected the same number of experts per token")
            }
            topK = k
        }
        guard let topK else {
            throw DataError(file: root.file, location: root.child(topKKeys[0]), "missing required field")
        }
        return (experts, topK)
    }
}

struct LlamaFamily: FamilyDescriptor {
    var family: ModelFamily { .llama }
    var architectures: [String] { ["DeciLMForCausalLM", "LlamaForCausalLM"] }
    var modelType: String { "llama" }
    var childFormat: ChildConfigFormat { .decilm }

    func refuse(_ root: JSONReader) throws(DataError) {
        for key in ["attention_bias", "mlp_bias"] {
            if let r = try root.optional(key), try r.bool {
                throw r.fail("biases change the parameter count and are not supported for Llama/DeciLM; expected false")
            }
        }
        if let window = try root.optional("sliding_window"), root.value["use_sliding_window"]?.boolValue != false {
            throw window.fail("sliding-window attention is not supported for Llama/DeciLM configs; expected null (Mistral configs may set it)")
        }
    }

    func readGlobals(_ root: JSONReader, into d: inout ModelDimensions) throws(DataError) {}

    func layerWindows(_ root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> [Int?] {
        Array(repeating: nil, count: d.layers)
    }

    func writeChildGlobals(_ config: inout JSONObject, child: Architecture) {}
}

struct MistralFamily: FamilyDescriptor {
    var family: ModelFamily { .mistral }
    var architectures: [String] { ["MistralForCausalLM"] }
    var modelType: String { "mistral" }

    func refuse(_ root: JSONReader) throws(DataError) {
        for key in ["attention_bias", "mlp_bias"] {
            if let r = try root.optional(key), try r.bool {
                throw r.fail("biases change the parameter count and are not modelled for Mistral; expected false")
            }
        }
    }

    func readGlobals(_ root: JSONReader, into d: inout ModelDimensions) throws(DataError) {
        d.slidingWindow = try FamilyRules.slidingWindow(root)
    }
}

/// Qwen2 / Qwen2.5 (q, k, v biases) and Qwen3 (q/k RMSNorms; `attention_bias` puts biases on all four).
struct QwenDenseFamily: FamilyDescriptor {
    let family: ModelFamily
    var architectures: [String] { family == .qwen2 ? ["Qwen2ForCausalLM"] : ["Qwen3ForCausalLM"] }
    var modelType: String { family == .qwen2 ? "qwen2" : "qwen3" }

    func readGlobals(_ root: JSONReader, into d: inout ModelDimensions) throws(DataError) {
        if family == .qwen2 {
            // Qwen2Attention: q_proj, k_proj, v_proj with bias=True, o_proj without (no config switch).
            d.attentionBias = .qkv
        } else {
            d.attentionBias = try FamilyRules.qkvoBias(root, default: false)
            d.qkNorm = true
        }
        d.slidingWindow = try FamilyRules.slidingWindow(root)
    }

    func layerWindows(_ root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> [Int?] {
        try FamilyRules.qwenWindows(root, dimensions: d)
    }
}

struct MixtralFamily: FamilyDescriptor {
    var family: ModelFamily { .mixtral }
    var architectures: [String] { ["MixtralForCausalLM"] }
    var modelType: String { "mixtral" }

    func readGlobals(_ root: JSONReader, into d: inout ModelDimensions) throws(DataError) {
        let (experts, topK) = try FamilyRules.experts(root, expertsKey: "num_local_experts", topKKeys: ["num_experts_per_tok"])
        // Mixtral's intermediate_size is each expert's size (the router has no bias).
        let size = try FamilyRules.expertSize(root, key: "intermediate_size", experts: experts)
        d.moe = MoEShape(experts: experts, topK: topK, expertIntermediateSize: size)
        d.intermediateSize = topK * size
        d.slidingWindow = try FamilyRules.slidingWindow(root)
    }

    func parentFFN(layer index: Int, root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> FFNVariant {
        guard let moe = d.moe else { throw root.fail("internal: Mixtral without experts") }
        return .moe(experts: moe.experts, topK: moe.topK)
    }
}

struct Qwen3MoEFamily: FamilyDescriptor {
    var family: ModelFamily { .qwen3MoE }
    var architectures: [String] { ["Qwen3MoeForCausalLM"] }
    var modelType: String { "qwen3_moe" }

    func refuse(_ root: JSONReader) throws(DataError) {
        if let r = try root.optional("shared_expert_intermediate_size"), try r.int > 0 {
            throw r.fail("shared experts are not modelled for Qwen3-MoE; expected 0 or null")
        }
        if let r = try root.optional("mlp_bias"), try r.bool {
            throw r.fail("MLP biases change the parameter count and are not modelled for Qwen3-MoE; expected false")
        }
    }

    func readGlobals(_ root: JSONReader, into d: inout ModelDimensions) throws(DataError) {
        let (experts, topK) = try FamilyRules.experts(root, expertsKey: "num_experts", topKKeys: ["num_experts_per_tok"])
        let size = try FamilyRules.expertSize(root, key: "moe_intermediate_size", experts: experts)
        d.moe = MoEShape(experts: experts, topK: topK, expertIntermediateSize: size)
        // Dense layers (mlp_only_layers, decoder_sparse_step) use intermediate_size.
        d.intermediateSize = try root.requiredInt("intermediate_size", ModelLimits.intermediateSize)
        d.attentionBias = try FamilyRules.qkvoBias(root, default: false)
        d.qkNorm = true
        d.slidingWindow = try FamilyRules.slidingWindow(root)
    }

    /// transformers' Qwen3MoeDecoderLayer: a mixture of experts unless the layer is in
    /// `mlp_only_layers` or (index + 1) is not a multiple of `decoder_sparse_step`.
    func parentFFN(layer index: Int, root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> FFNVariant {
        guard let moe = d.moe else { throw root.fail("internal: Qwen3-MoE without experts") }
        let step = try root.optionalInt("decoder_sparse_step", ModelLimits.layers) ?? 1
        let dense = try mlpOnlyLayers(root, layers: d.layers)
        if dense.contains(index) || (index + 1) % step != 0 { return .swiGLU(intermediateSize: d.intermediateSize) }
        return .moe(experts: moe.experts, topK: moe.topK)
    }

    func mlpOnlyLayers(_ root: JSONReader, layers: Int) throws(DataError) -> Set<Int> {
        guard let list = try root.optional("mlp_only_layers") else { return [] }
        var out = Set<Int>()
        for entry in try list.array {
            let i = try entry.int(in: 0...layers - 1)
            out.insert(i)
        }
        return out
    }

    func layerWindows(_ root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> [Int?] {
        try FamilyRules.qwenWindows(root, dimensions: d)
    }

    /// Dense children layers are listed in `mlp_only_layers` too, so that transformers builds them dense.
    func writeChildGlobals(_ config: inout JSONObject, child: Architecture) {
        FamilyRules.writeLayerTypesIfNeeded(&config, child: child, descriptor: self)
        let dense = child.layers.enumerated().compactMap { i, l -> Int? in
            if case .swiGLU = l.ffn { return i }
            return nil
        }
        if !dense.isEmpty || config["mlp_only_layers"] != nil {
            config["mlp_only_layers"] = .array(dense.map { .number($0) })
        }
    }
}

struct GptOssFamily: FamilyDescriptor {
    var family: ModelFamily { .gptOss }
    var architectures: [String] { ["GptOssForCausalLM"] }
    var modelType: String { "gpt_oss" }
    var windowIsPerLayerChoice: Bool { true }

    func refuse(_ root: JSONReader) throws(DataError) {
        if let q = try root.optional("quantization_config"), let method = try q.optional("quant_method") {
            let m = try method.string
            guard m == "mxfp4" else {
                throw method.fail("quantization \"\(m)\" is not modelled for gpt-oss; expected mxfp4 (or no quantization_config)")
            }
        }
    }

    func readGlobals(_ root: JSONReader, into d: inout ModelDimensions) throws(DataError) {
        let (experts, topK) = try FamilyRules.experts(root, expertsKey: "num_local_experts",
            topKKeys: ["num_experts_per_tok", "experts_per_token"])
        let size = try FamilyRules.expertSize(root, key: "intermediate_size", experts: experts)
        let mxfp4 = try root.optional("quantization_config")?.optional("quant_method")?.string == "mxfp4"
        // GptOssMLP: router weight and bias; experts' gate_up_proj (+ bias) and down_proj (+ bias).
        d.moe = MoEShape(experts: experts, topK: topK, expertIntermediateSize: size, routerBias: true, expertBias: true,
            storage: mxfp4 ? .mxfp4 : .dense)
        d.intermediateSize = topK * size
        // GptOssAttention: q, k, v, o with bias=config.attention_bias (true in every release), sinks per head.
        d.attentionBias = try FamilyRules.qkvoBias(root, default: true)
        d.attentionSinks = true
        d.slidingWindow = try root.optionalInt("sliding_window", ModelLimits.slidingWindow) ?? 128
    }

    func parentFFN(layer index: Int, root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> FFNVariant {
        guard let moe = d.moe else { throw root.fail("internal: gpt-oss without experts") }
        return .moe(experts: moe.experts, topK: moe.topK)
    }

    /// `layer_types`, or GptOssConfig's default: even layers slide, odd layers attend fully.
    func layerWindows(_ root: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> [Int?] {
        if let types = try FamilyRules.layerTypes(root, dimensions: d) { return types }
        return (0..<d.layers).map { $0 % 2 == 0 ? d.slidingWindow : nil }
    }
}

// MARK: - Which variants a family allows

extension Architecture {
    /// Why `v` cannot replace the attention of this model's layers, or nil when it can:
    /// GQA needs 1 <= KV heads <= query heads dividing them; a sliding window must be the model's
    /// own `sliding_window` (one window per config, as every family's config writes it).
    public func problem(with v: AttentionVariant) -> String? {
        let d = dimensions
        switch v {
        case .gqa(let k), .slidingWindow(let k, _):
            if k <= 0 || k > d.attentionHeads || d.attentionHeads % k != 0 {
                return "\(k) KV heads do not divide the \(d.attentionHeads) query heads of \(name)"
            }
            if let w = v.window {
                guard let own = d.slidingWindow else {
                    return "\(name) (\(d.family.rawValue)) has no sliding window; expected full attention (gqa:K)"
                }
                if w != own { return "sliding window \(w) differs from \(name)'s sliding_window \(own)" }
            }
            return nil
        case .linear, .noOp: return nil
        }
    }

    /// Why `v` cannot replace the FFN of this model's layers, or nil when it can: dense sizes within
    /// `ConfigLimits`; a mixture of experts only in MoE families, keeping 1...E of the parent's E
    /// experts with 1 <= top-k <= kept experts.
    public func problem(with v: FFNVariant) -> String? {
        let d = dimensions
        switch v {
        case .swiGLU(let n):
            if n <= 0 || n > ModelLimits.intermediateSize {
                return "intermediate size must be from 1 to \(ModelLimits.intermediateSize), found \(n)"
            }
            return nil
        case .moe(let e, let k):
            guard let shape = d.moe else {
                return "\(name) (\(d.family.rawValue)) has no experts; expected a dense FFN (ffn:N), linear or noop"
            }
            if e <= 0 || e > shape.experts { return "keeping \(e) experts: expected 1...\(shape.experts) of \(name)'s experts" }
            if k <= 0 || k > e { return "top-\(k) of \(e) experts: expected 1 <= top-k <= \(e)" }
            return nil
        case .linear, .noOp: return nil
        }
    }

    /// The attention variant a library's name means in parent layer `index`: in families where
    /// the window is not a per-layer choice the layer keeps the parent layer's window (Mistral-7B-v0.1:
    /// every GQA variant slides over 4096); in gpt-oss a name that spells no window (`windowSpelled`
    /// false, e.g. a scoring pipeline's `num_key_value_heads=4`) keeps the parent layer's type, while
    /// `gqa:4` written with `windowSpelled` (native libraries) means full attention.
    public func resolveAttention(_ v: AttentionVariant, layer index: Int, windowSpelled: Bool) -> AttentionVariant {
        guard v.isAttention, index >= 0, index < layers.count else { return v }
        let choice = dimensions.family.descriptor.windowIsPerLayerChoice
        if choice && windowSpelled { return v }
        let parentLayer = layers[index].attention
        let parentWindow = parentLayer.isAttention ? parentLayer.window : (choice ? nil : dimensions.slidingWindow)
        return v.withWindow(parentWindow)
    }
}
