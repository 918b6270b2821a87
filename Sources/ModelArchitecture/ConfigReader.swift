import PuzzleCore

/// Reads HF `config.json` files: `LlamaForCausalLM` (uniform) and `DeciLMForCausalLM` /
/// `nemotron-nas` (per-layer `block_configs`, in both the original `n_heads_in_group`/`ffn_mult`
/// schema and Model-Optimizer's `num_key_value_heads`/`intermediate_size` schema).
///
/// Unknown keys are kept verbatim. Keys that change the math this toolkit does (sliding windows,
/// sink tokens, sparsity, biases, MoE or Mamba blocks, non-SiLU activations) are refused with an
/// error naming the field.
public enum ConfigReader {
    /// Parses a config from bytes; `file` names it in errors; `name` defaults to `_name_or_path`.
    public static func read(_ bytes: [UInt8], file: String, name: String? = nil) throws(DataError) -> Architecture {
        let root = try JSONReader.parse(bytes, file: file)
        return try read(root, name: name)
    }

    public static func read(_ root: JSONReader, name: String? = nil) throws(DataError) -> Architecture {
        let object = try root.object
        let file = root.file

        try refuseUnsupportedGlobals(root)

        let hidden = try root.required("hidden_size").int(in: 1...ModelLimits.hiddenSize)
        let heads = try root.required("num_attention_heads").int(in: 1...ModelLimits.heads)
        let layersDeclared = try root.required("num_hidden_layers").int(in: 1...ModelLimits.layers)
        let vocab = try root.required("vocab_size").int(in: 1...ModelLimits.vocabSize)
        let headDim = try root.optional("head_dim")?.int(in: 1...ModelLimits.headDim) ?? hidden / heads
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
        var kvHeadsGlobal = try root.optional("num_key_value_heads")?.int(in: 1...ModelLimits.heads)
        if let k = kvHeadsGlobal, heads % k != 0 {
            throw DataError(file: file, location: "num_key_value_heads", "\(k) does not divide num_attention_heads (\(heads))")
        }
        var intermediateGlobal = try root.optional("intermediate_size")?.int(in: 1...ModelLimits.intermediateSize)

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
                layers.append(try readBlock(entry, hidden: hidden, heads: heads))
            }
            // Reference (parent) values for a DeciLM file whose globals are null: the most common
            // GQA KV-head count and SwiGLU size across its layers.
            if kvHeadsGlobal == nil { kvHeadsGlobal = mode(layers.compactMap { $0.attention.kvHeads > 0 ? $0.attention.kvHeads : nil }) }
            if intermediateGlobal == nil {
                intermediateGlobal = mode(layers.compactMap { $0.ffn.intermediateSize > 0 ? $0.ffn.intermediateSize : nil })
            }
        } else {
            guard let inter = intermediateGlobal else {
                throw DataError(file: file, location: "intermediate_size", "missing required field (no block_configs either)")
            }
            let k = kvHeadsGlobal ?? heads
            layers = Array(repeating: LayerBlock(attention: .gqa(kvHeads: k), ffn: .swiGLU(intermediateSize: inter)),
                count: layersDeclared)
            kvHeadsGlobal = k
        }

        let dims = ModelDimensions(hiddenSize: hidden, attentionHeads: heads, kvHeads: kvHeadsGlobal ?? heads,
            headDim: headDim, intermediateSize: intermediateGlobal ?? 0, layers: layersDeclared, vocabSize: vocab,
            tiedEmbeddings: tied)
        var config = object
        config["block_configs"] = nil
        let displayName = name ?? object["_name_or_path"]?.stringValue ?? file
        let architecture = Architecture(name: displayName, dimensions: dims, layers: layers, config: config)
        try architecture.validate(file: file)
        return architecture
    }

    private static func refuseUnsupportedGlobals(_ root: JSONReader) throws(DataError) {
        if let archs = try root.optional("architectures") {
            for a in try archs.array {
                let s = try a.string
                let known = ["LlamaForCausalLM", "DeciLMForCausalLM", "MistralForCausalLM"]
                guard known.contains(s) else {
                    throw a.fail("unsupported architecture \"\(s)\"; expected LlamaForCausalLM or DeciLMForCausalLM")
                }
            }
        }
        for key in ["attention_bias", "mlp_bias"] {
            if let r = try root.optional(key), try r.bool {
                throw r.fail("biases change the parameter count and are not supported; expected false")
            }
        }
        if let act = try root.optional("hidden_act") {
            let s = try act.string
            guard s == "silu" || s == "swish" else { throw act.fail("unsupported activation \"\(s)\"; expected \"silu\" (SwiGLU)") }
        }
        if let window = try root.optional("sliding_window"), root.value["use_sliding_window"]?.boolValue != false {
            _ = window
            throw window.fail("sliding-window attention changes the KV cache and is not supported; expected null")
        }
    }

    private static func readBlock(_ entry: JSONReader, hidden: Int, heads: Int) throws(DataError) -> LayerBlock {
        _ = try entry.object
        let attentionReader = try entry.required("attention")
        let ffnReader = try entry.required("ffn")
        for key in ["mamba", "moe", "mixture_of_experts"] {
            if let r = try entry.optional(key) { throw r.fail("\(key) blocks are not supported") }
        }
        let (attention, attentionExtras) = try readAttention(attentionReader, heads: heads)
        let (ffn, ffnExtras) = try readFFN(ffnReader, hidden: hidden)
        var blockExtras = JSONObject()
        for (key, value) in try entry.object where key != "attention" && key != "ffn" { blockExtras[key] = value }
        return LayerBlock(attention: attention, ffn: ffn, attentionExtras: attentionExtras, ffnExtras: ffnExtras,
            blockExtras: blockExtras)
    }

    static let attentionKnown: Set<String> = ["n_heads_in_group", "num_key_value_heads", "no_op", "replace_with_linear"]
    static let ffnKnown: Set<String> = ["ffn_mult", "intermediate_size", "no_op", "replace_with_linear"]

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
            let kv = try k.int(in: 1...ModelLimits.heads)
            guard heads % kv == 0 else { throw k.fail("\(kv) KV heads do not divide num_attention_heads (\(heads))") }
            return (.gqa(kvHeads: kv), extras)
        }
        let group = try r.required("n_heads_in_group")
        let g = try group.int(in: 1...ModelLimits.heads)
        guard heads % g == 0 else {
            throw group.fail("\(g) does not divide num_attention_heads (\(heads)); expected a divisor")
        }
        return (.gqa(kvHeads: heads / g), extras)
    }

    private static func readFFN(_ r: JSONReader, hidden: Int) throws(DataError) -> (FFNVariant, JSONObject) {
        let object = try r.object
        for key in ["sparsify", "moe", "mamba"] {
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
        if let size = try r.optional("intermediate_size") {
            return (.swiGLU(intermediateSize: try size.int(in: 1...ModelLimits.intermediateSize)), extras)
        }
        let multReader = try r.required("ffn_mult")
        let mult = try multReader.double
        guard mult > 0 else { throw multReader.fail("expected a positive multiplier, found \(JSONWriter.number(mult))") }
        guard let size = DeciLMMapping.intermediateSize(ffnMult: mult, hiddenSize: hidden) else {
            throw multReader.fail("\(JSONWriter.number(mult)) gives an FFN larger than \(ModelLimits.intermediateSize); expected a smaller multiplier")
        }
        guard size > 0 else { throw multReader.fail("\(JSONWriter.number(mult)) gives an empty FFN; expected a larger multiplier") }
        // Keep the multiplier as written so that writing back reproduces it.
        extras["ffn_mult"] = multReader.value
        return (.swiGLU(intermediateSize: size), extras)
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
