import PuzzleCore

/// Writes a DeciLM (`DeciLMForCausalLM`, `model_type: nemotron-nas`) `config.json` for any
/// architecture, in the schema vLLM's `nemotron_nas`, TensorRT-LLM, llama.cpp's `deci` converter
/// and transformers (`trust_remote_code`) read: `n_heads_in_group`, `ffn_mult`, `no_op`,
/// `replace_with_linear` per layer.
///
/// The parent's global fields are kept unchanged and in order; only `architectures`,
/// `model_type`, `num_hidden_layers` and `block_configs` are set (and `auto_map` added when absent).
/// An FFN size that no `ffn_mult` reproduces (not a multiple of 256) is written with an explicit
/// `intermediate_size` too, which Model-Optimizer's schema and this reader honour.
public enum ConfigWriter {
    /// The child's config in its family's heterogeneous format (`FamilyDescriptor.childFormat`):
    /// DeciLM for Llama parents, the AnyModel config (family HF config + puzzletron `block_configs`)
    /// for every other family.
    public static func childConfig(_ architecture: Architecture) -> JSONValue {
        switch architecture.dimensions.family.descriptor.childFormat {
        case .decilm: return decilmConfig(architecture)
        case .anyModel: return anyModelConfig(architecture)
        }
    }

    /// `childConfig` as text with a trailing newline.
    public static func childConfigText(_ architecture: Architecture) -> String {
        JSONWriter.string(childConfig(architecture)) + "\n"
    }

    public static func decilmConfig(_ architecture: Architecture) -> JSONValue {
        let d = architecture.dimensions
        var config = architecture.config
        if config.isEmpty {
            config = defaultGlobals(d)
        }
        config["architectures"] = ["DeciLMForCausalLM"]
        config["model_type"] = "nemotron-nas"
        if config["auto_map"] == nil {
            config["auto_map"] = [
                "AutoConfig": "configuration_decilm.DeciLMConfig",
                "AutoModelForCausalLM": "modeling_decilm.DeciLMForCausalLM",
            ]
        }
        config["num_hidden_layers"] = .number(architecture.layers.count)
        var blocks: [JSONValue] = []
        blocks.reserveCapacity(architecture.layers.count)
        for layer in architecture.layers {
            blocks.append(blockConfig(layer, dimensions: d))
        }
        config["block_configs"] = .array(blocks)
        return .object(config)
    }

    public static func decilmConfigText(_ architecture: Architecture) -> String {
        JSONWriter.string(decilmConfig(architecture)) + "\n"
    }

    static func blockConfig(_ layer: LayerBlock, dimensions d: ModelDimensions) -> JSONValue {
        var attention = JSONObject()
        switch layer.attention {
        case .gqa(let k), .slidingWindow(let k, _):
            attention["n_heads_in_group"] = .number(d.attentionHeads / k)
            attention["no_op"] = false
            attention["replace_with_linear"] = false
        case .linear:
            attention["n_heads_in_group"] = .null
            attention["no_op"] = false
            attention["replace_with_linear"] = true
        case .noOp:
            attention["n_heads_in_group"] = .null
            attention["no_op"] = true
            attention["replace_with_linear"] = false
        }
        for (key, value) in layer.attentionExtras where attention[key] == nil { attention[key] = value }

        var ffn = JSONObject()
        switch layer.ffn {
        case .swiGLU(let n):
            if let written = layer.ffnExtras["ffn_mult"]?.doubleValue,
                DeciLMMapping.intermediateSize(ffnMult: written, hiddenSize: d.hiddenSize) == n
            {
                ffn["ffn_mult"] = layer.ffnExtras["ffn_mult"]!
            } else if let mult = DeciLMMapping.ffnMult(intermediateSize: n, hiddenSize: d.hiddenSize) {
                ffn["ffn_mult"] = .double(mult)
            } else {
                ffn["ffn_mult"] = .double(3 * Double(n) / (2 * Double(d.hiddenSize)))
                ffn["intermediate_size"] = .number(n)
            }
            ffn["no_op"] = false
            ffn["replace_with_linear"] = false
        case .moe:
            ffn["ffn_mult"] = .null
            ffn["moe"] = moeConfig(layer.ffn, dimensions: d)
            ffn["no_op"] = false
            ffn["replace_with_linear"] = false
        case .linear:
            ffn["ffn_mult"] = .null
            ffn["no_op"] = false
            ffn["replace_with_linear"] = true
        case .noOp:
            ffn["ffn_mult"] = .null
            ffn["no_op"] = true
            ffn["replace_with_linear"] = false
        }
        for (key, value) in layer.ffnExtras where ffn[key] == nil { ffn[key] = value }

        var block = JSONObject()
        block["attention"] = .object(attention)
        block["ffn"] = .object(ffn)
        for (key, value) in layer.blockExtras where block[key] == nil { block[key] = value }
        return .object(block)
    }

    /// Globals for an architecture built without a source config.
    static func defaultGlobals(_ d: ModelDimensions) -> JSONObject {
        var c = JSONObject()
        c["hidden_size"] = .number(d.hiddenSize)
        c["num_attention_heads"] = .number(d.attentionHeads)
        c["num_key_value_heads"] = .number(d.kvHeads)
        c["head_dim"] = .number(d.headDim)
        c["intermediate_size"] = .number(d.intermediateSize)
        c["vocab_size"] = .number(d.vocabSize)
        c["tie_word_embeddings"] = .bool(d.tiedEmbeddings)
        c["hidden_act"] = "silu"
        c["attention_bias"] = false
        c["mlp_bias"] = false
        return c
    }
}

extension ConfigWriter {
    /// The AnyModel heterogeneous config Model-Optimizer's puzzletron reads for a non-Llama family
    /// (schema: `modelopt/torch/puzzletron/block_config.py`, `BlockConfig.to_dict()` as its
    /// converters write it, e.g. `anymodel/models/qwen3/qwen3_converter.py`,
    /// `anymodel/models/gpt_oss/gpt_oss_converter.py`): the family's own HF config (architectures
    /// and model_type unchanged) with `num_hidden_layers` set and one `block_configs` entry per layer:
    ///
    ///     {"attention": {"no_op", "replace_with_linear", "sparsify", "weights_precision",
    ///                    "num_key_value_heads", "llama4", "mamba"},
    ///      "ffn": {"no_op", "replace_with_linear", "sparsify", "weights_precision", "moe",
    ///              "intermediate_size"},
    ///      "parallel_blocks": null}
    ///
    /// `moe` is `{"num_local_experts", "num_experts_per_tok", "expert_intermediate_dim",
    /// "shared_expert_intermediate_dim": 0}` for a mixture of experts (then `intermediate_size` is
    /// null), null for a dense FFN. Sliding vs full attention per layer goes in the global
    /// `layer_types`; Qwen3-MoE dense layers are listed in `mlp_only_layers` too
    /// (`FamilyDescriptor.writeChildGlobals`).
    public static func anyModelConfig(_ architecture: Architecture) -> JSONValue {
        let d = architecture.dimensions
        let descriptor = d.family.descriptor
        var config = architecture.config
        if config.isEmpty {
            config = defaultGlobals(d)
            config["architectures"] = .array([.string(descriptor.architectures[0])])
            config["model_type"] = .string(descriptor.modelType)
            if let w = d.slidingWindow { config["sliding_window"] = .number(w) }
            if let moe = d.moe {
                switch d.family {
                case .qwen3MoE:
                    config["num_experts"] = .number(moe.experts)
                    config["moe_intermediate_size"] = .number(moe.expertIntermediateSize)
                default:
                    config["num_local_experts"] = .number(moe.experts)
                    config["intermediate_size"] = .number(moe.expertIntermediateSize)
                }
                config["num_experts_per_tok"] = .number(moe.topK)
                if moe.storage == .mxfp4 { config["quantization_config"] = ["quant_method": "mxfp4"] }
            }
            config["attention_bias"] = .bool(d.attentionBias == .qkvo)
        }
        config["num_hidden_layers"] = .number(architecture.layers.count)
        descriptor.writeChildGlobals(&config, child: architecture)
        config["block_configs"] = .array(architecture.layers.map { anyModelBlock($0, dimensions: d) })
        return .object(config)
    }

    static func anyModelBlock(_ layer: LayerBlock, dimensions d: ModelDimensions) -> JSONValue {
        var attention = JSONObject()
        attention["no_op"] = .bool(layer.attention == .noOp)
        attention["replace_with_linear"] = .bool(layer.attention == .linear)
        attention["sparsify"] = .null
        attention["weights_precision"] = layer.attentionExtras["weights_precision"] ?? "bf16"
        attention["num_key_value_heads"] = layer.attention.isAttention ? .number(layer.attention.kvHeads) : .null
        attention["llama4"] = .null
        attention["mamba"] = .null
        for (key, value) in layer.attentionExtras where attention[key] == nil { attention[key] = value }

        var ffn = JSONObject()
        ffn["no_op"] = .bool(layer.ffn == .noOp)
        ffn["replace_with_linear"] = .bool(layer.ffn == .linear)
        ffn["sparsify"] = .null
        ffn["weights_precision"] = layer.ffnExtras["weights_precision"] ?? "bf16"
        ffn["moe"] = moeConfig(layer.ffn, dimensions: d)
        ffn["intermediate_size"] = layer.ffn.intermediateSize > 0 ? .number(layer.ffn.intermediateSize) : .null
        for (key, value) in layer.ffnExtras where ffn[key] == nil && key != "ffn_mult" { ffn[key] = value }

        var block = JSONObject()
        block["attention"] = .object(attention)
        block["ffn"] = .object(ffn)
        block["parallel_blocks"] = .null
        for (key, value) in layer.blockExtras where block[key] == nil { block[key] = value }
        return .object(block)
    }

    /// Puzzletron's `MoEConfig` of a mixture-of-experts variant, null for anything else.
    static func moeConfig(_ ffn: FFNVariant, dimensions d: ModelDimensions) -> JSONValue {
        guard case .moe(let e, let k) = ffn else { return .null }
        return [
            "num_local_experts": .number(e), "num_experts_per_tok": .number(k),
            "expert_intermediate_dim": .number(d.moe?.expertIntermediateSize ?? 0), "shared_expert_intermediate_dim": 0,
        ]
    }
}
