import PuzzleCore

/// Reads HF `config.json` files of every family in `ModelFamily`: uniform parents
/// (`LlamaForCausalLM`, `MistralForCausalLM`, `Qwen2ForCausalLM`, `Qwen3ForCausalLM`,
/// `MixtralForCausalLM`, `Qwen3MoeForCausalLM`, `GptOssForCausalLM`) and heterogeneous children
/// with per-layer `block_configs`: DeciLM (`n_heads_in_group` / `ffn_mult`) and Model-Optimizer
/// puzzletron's `BlockConfig` schema (`num_key_value_heads` / `intermediate_size` / `moe`).
///
/// The shared shape is read here; each family's descriptor reads its own terms (`FamilyDescriptor`).
/// Every integer is range-checked against `ConfigLimits`. Unknown keys are kept verbatim. Keys that
/// change the math this toolkit does and that it does not model are refused with an error naming the
/// field.
public enum ConfigReader {
    /// Parses a config from bytes; `file` names it in errors; `name` defaults to `_name_or_path`.
    public static func read(_ bytes: [UInt8], file: String, name: String? = nil) throws(DataError) -> Architecture {
        let root = try JSONReader.parse(bytes, file: file)
        return try read(root, name: name)
    }

    public static func read(_ root: JSONReader, name: String? = nil) throws(DataError) -> Architecture {
        let object = try root.object
        let file = root.file

        let family = try detectFamily(root)
        let descriptor = family.descriptor
        if let act = try root.optional("hidden_act") {
            let s = try act.string
            guard s == "silu" || s == "swish" else { throw act.fail("unsupported activation \"\(s)\"; expected \"silu\" (SwiGLU)") }
        }
        try descriptor.refuse(root)

        let hidden = try root.requiredInt("hidden_size", ModelLimits.hiddenSize)
        let heads = try root.requiredInt("num_attention_heads", ModelLimits.heads)
        let layersDeclared = try root.requiredInt("num_hidden_layers", ModelLimits.layers)
        let vocab = try root.requiredInt("vocab_size", ModelLimits.vocabSize)
        let headDim = try root.optionalInt("head_dim", ModelLimits.headDim) ?? hidden / heads
        if root.optional_("head_dim") == nil && hidden % heads != 0 {
            throw DataError(file: file, location: "hidden_size",
                "\(hidden) is not a multiple of num_attention_heads (\(heads)); give head_dim explicitly")
        }
        guard heads * headDim <= ModelLimits.queryWidth else {
            throw DataError(file: file, location: "num_attention_heads",
                "\(heads) heads x head_dim \(headDim) exceed the largest query width \(ModelLimits.queryWidth)")
        }
        let tied = try root.optional("tie_word_embeddings")?.bool ?? false

        let blockConfigs = try root.optional("block_configs")
        var kvHeadsGlobal = try root.optionalInt("num_key_value_heads", heads)
        if let k = kvHeadsGlobal, heads % k != 0 {
            throw DataError(file: file, location: "num_key_value_heads", "\(k) does not divide num_attention_heads (\(heads))")
        }
        let intermediateGlobal = try root.optionalInt("intermediate_size", ModelLimits.intermediateSize)

        var dims = ModelDimensions(hiddenSize: hidden, attentionHeads: heads, kvHeads: kvHeadsGlobal ?? heads,
            headDim: headDim, intermediateSize: intermediateGlobal ?? 0, layers: layersDeclared, vocabSize: vocab,
            tiedEmbeddings: tied, family: family)
        try descriptor.readGlobals(root, into: &dims)

        var layers: [LayerBlock]
        if let blockConfigs {
            let entries = try blockConfigs.array
            guard entries.count == layersDeclared else {
                throw DataError(file: file, location: "block_configs",
                    "has \(entries.count) entries but num_hidden_layers is \(layersDeclared); expected one entry per layer")
            }
            layers = []
            layers.reserveCapacity(entries.count)
            for entry in entries {
                layers.append(try readBlock(entry, dimensions: dims))
            }
            // Reference (parent) values for a DeciLM file whose globals are null: the most common
            // GQA KV-head count and SwiGLU size across its layers.
            if kvHeadsGlobal == nil {
                kvHeadsGlobal = mode(layers.compactMap { $0.attention.kvHeads > 0 ? $0.attention.kvHeads : nil })
                dims.kvHeads = kvHeadsGlobal ?? heads
            }
            if intermediateGlobal == nil && dims.moe == nil {
                dims.intermediateSize = mode(layers.compactMap { $0.ffn.intermediateSize > 0 ? $0.ffn.intermediateSize : nil }) ?? 0
            }
        } else {
            let attention = AttentionVariant.gqa(kvHeads: dims.kvHeads)
            layers = []
            layers.reserveCapacity(layersDeclared)
            for index in 0..<layersDeclared {
                layers.append(LayerBlock(attention: attention,
                    ffn: try descriptor.parentFFN(layer: index, root: root, dimensions: dims)))
            }
        }

        let windows = try descriptor.layerWindows(root, dimensions: dims)
        for (index, window) in windows.enumerated() where index < layers.count && window != nil {
            layers[index].attention = layers[index].attention.withWindow(window)
        }

        var config = object
        config["block_configs"] = nil
        let displayName = name ?? object["_name_or_path"]?.stringValue ?? file
        let architecture = Architecture(name: displayName, dimensions: dims, layers: layers, config: config)
        try architecture.validate(file: file)
        return architecture
    }

    /// The family from `architectures` (every entry must be one family's), else `model_type`,
    /// else Llama (a bare config of the shared shape, as older tests and tools write).
    static func detectFamily(_ root: JSONReader) throws(DataError) -> ModelFamily {
        if let archs = try root.optional("architectures") {
            var found: ModelFamily?
            for a in try archs.array {
                let s = try a.string
                guard let family = ModelFamily.reading(architecture: s) else {
                    throw a.fail("unsupported architecture \"\(s)\"; expected one of \(ModelFamily.supportedArchitectures.joined(separator: ", "))")
                }
                if let f = found, f != family {
                    throw a.fail("\"\(s)\" is another family than the first entry (\(f.rawValue)); expected one family")
                }
                found = family
            }
            if let found { return found }
        }
        if let type = try root.optional("model_type") {
            let s = try type.string
            if s == "nemotron-nas" { return .llama }
            if let family = ModelFamily.allCases.first(where: { $0.descriptor.modelType == s }) { return family }
            throw type.fail("unsupported model_type \"\(s)\"; expected one of nemotron-nas, \(ModelFamily.allCases.map(\.descriptor.modelType).joined(separator: ", "))")
        }
        return .llama
    }

    private static func readBlock(_ entry: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> LayerBlock {
        _ = try entry.object
        let attentionReader = try entry.required("attention")
        let ffnReader = try entry.required("ffn")
        for key in ["mamba", "moe", "mixture_of_experts"] {
            if let r = try entry.optional(key) { throw r.fail("\(key) blocks are not supported") }
        }
        if let r = try entry.optional("parallel_blocks") {
            throw r.fail("parallel blocks are not supported; expected null")
        }
        let (attention, attentionExtras) = try readAttention(attentionReader, heads: d.attentionHeads)
        let (ffn, ffnExtras) = try readFFN(ffnReader, dimensions: d)
        var blockExtras = JSONObject()
        for (key, value) in try entry.object where key != "attention" && key != "ffn" { blockExtras[key] = value }
        return LayerBlock(attention: attention, ffn: ffn, attentionExtras: attentionExtras, ffnExtras: ffnExtras,
            blockExtras: blockExtras)
    }

    static let attentionKnown: Set<String> = ["n_heads_in_group", "num_key_value_heads", "no_op", "replace_with_linear"]
    static let ffnKnown: Set<String> = ["ffn_mult", "intermediate_size", "no_op", "replace_with_linear", "moe"]

    private static func readAttention(_ r: JSONReader, heads: Int) throws(DataError) -> (AttentionVariant, JSONObject) {
        let object = try r.object
        // Fields that change the math: refuse unless null/false.
        for key in ["window_length", "num_sink_tokens", "sparsify", "llama4", "mamba"] {
            if let v = try r.optional(key) {
                throw v.fail("\(key) = \(JSONWriter.string(v.value, pretty: false)) changes attention costs and is not supported; expected null")
            }
        }
        for key in ["unshifted_sink", "use_prefill_window_in_sink_attention"] {
            if let v = try r.optional(key), try v.bool {
                throw v.fail("\(key) = true changes attention costs and is not supported; expected false")
            }
        }
        var extras = JSONObject()
        for (key, value) in object where !attentionKnown.contains(key) { extras[key] = value }

        let noOp = try r.optional("no_op")?.bool ?? false
        let linear = try r.optional("replace_with_linear")?.bool ?? false
        if noOp && linear { throw r.fail("no_op and replace_with_linear are both true; expected at most one") }
        if noOp { return (.noOp, extras) }
        if linear { return (.linear, extras) }
        if let k = try r.optional("num_key_value_heads") {
            let kv = try k.int(in: 1...heads)
            guard heads % kv == 0 else { throw k.fail("\(kv) KV heads do not divide num_attention_heads (\(heads))") }
            return (.gqa(kvHeads: kv), extras)
        }
        let group = try r.required("n_heads_in_group")
        let g = try group.int(in: 1...heads)
        guard heads % g == 0 else {
            throw group.fail("\(g) does not divide num_attention_heads (\(heads)); expected a divisor")
        }
        return (.gqa(kvHeads: heads / g), extras)
    }

    private static func readFFN(_ r: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> (FFNVariant, JSONObject) {
        let object = try r.object
        for key in ["sparsify", "mamba"] {
            if let v = try r.optional(key) {
                throw v.fail("\(key) = \(JSONWriter.string(v.value, pretty: false)) changes FFN costs and is not supported; expected null")
            }
        }
        var extras = JSONObject()
        for (key, value) in object where !ffnKnown.contains(key) { extras[key] = value }

        let noOp = try r.optional("no_op")?.bool ?? false
        let linear = try r.optional("replace_with_linear")?.bool ?? false
        if noOp && linear { throw r.fail("no_op and replace_with_linear are both true; expected at most one") }
        if noOp { return (.noOp, extras) }
        if linear { return (.linear, extras) }
        if let moe = try r.optional("moe") {
            return (try readMoE(moe, dimensions: d), extras)
        }
        if let size = try r.optional("intermediate_size") {
            return (.swiGLU(intermediateSize: try size.int(in: 1...ModelLimits.intermediateSize)), extras)
        }
        let multReader = try r.required("ffn_mult")
        let mult = try multReader.double
        guard mult > 0 else { throw multReader.fail("expected a positive multiplier, found \(JSONWriter.number(mult))") }
        guard let size = DeciLMMapping.intermediateSize(ffnMult: mult, hiddenSize: d.hiddenSize) else {
            throw multReader.fail("\(JSONWriter.number(mult)) gives an FFN larger than \(ModelLimits.intermediateSize); expected a smaller multiplier")
        }
        guard size > 0 else { throw multReader.fail("\(JSONWriter.number(mult)) gives an empty FFN; expected a larger multiplier") }
        // Keep the multiplier as written so that writing back reproduces it.
        extras["ffn_mult"] = multReader.value
        return (.swiGLU(intermediateSize: size), extras)
    }

    /// Puzzletron's `MoEConfig`: `num_local_experts`, `num_experts_per_tok`, `expert_intermediate_dim`
    /// (must be the family's expert size), `shared_expert_intermediate_dim` (ignored: these families have
    /// no shared expert; puzzletron's converters leave its dataclass default there).
    private static func readMoE(_ r: JSONReader, dimensions d: ModelDimensions) throws(DataError) -> FFNVariant {
        guard let shape = d.moe else {
            throw r.fail("mixture-of-experts blocks are not supported for \(d.family.rawValue) models; expected null")
        }
        let experts = try r.requiredInt("num_local_experts", ModelLimits.experts)
        let topK = try r.optionalInt("num_experts_per_tok", experts) ?? min(shape.topK, experts)
        if let size = try r.optional("expert_intermediate_dim") {
            let m = try size.int(in: 1...ModelLimits.intermediateSize)
            guard m == shape.expertIntermediateSize else {
                throw size.fail("\(m) differs from the model's expert size \(shape.expertIntermediateSize); per-layer expert sizes are not supported")
            }
        }
        return .moe(experts: experts, topK: topK)
    }

    private static func mode(_ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        var counts: [Int: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key < b.key }?.key
    }
}

extension JSONReader {
    /// The raw member without type checks (nil when absent or null).
    func optional_(_ key: String) -> JSONValue? {
        guard let v = value[key], !v.isNull else { return nil }
        return v
    }
}
