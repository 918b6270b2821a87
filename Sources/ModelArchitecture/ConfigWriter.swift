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
        case .gqa(let k):
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
