import Foundation
import PuzzleCore
import Testing
import TestSupport

@testable import ModelArchitecture

/// Published parameter counts of the non-Llama families, exact. Sources: the checkpoints'
/// `model.safetensors.index.json` `metadata.total_size` (BF16 bytes / 2) or the official model cards.
@Suite struct FamilyCountTests {
    @Test(arguments: [
        // Qwen/Qwen2.5-7B-Instruct: index total_size 15,231,233,024 B (BF16) / 2; ../shared README.
        ("qwen2.5-7b", 7_615_616_512),
        // Qwen/Qwen2.5-72B-Instruct: index total_size 145,412,407,296 B / 2 (model card: 72.7B).
        ("qwen2.5-72b", 72_706_203_648),
        // Qwen/Qwen3-8B: index total_size 16,381,470,720 B / 2; ../shared README.
        ("qwen3-8b", 8_190_735_360),
        // Qwen/Qwen3-32B: index total_size 65,524,246,528 B / 2 (model card: 32.8B).
        ("qwen3-32b", 32_762_123_264),
        // mistralai/Mistral-7B-v0.1: index total_size 14,483,464,192 B / 2 (vocabulary 32,000).
        ("mistral-7b", 7_241_732_096),
        // mistralai/Mistral-7B-Instruct-v0.3: ../shared README (vocabulary 32,768).
        ("mistral-7b-v0.3", 7_248_023_552),
        // mistralai/Mixtral-8x7B-v0.1: index total_size 93,405,585,408 B / 2; ../shared README.
        ("mixtral-8x7b", 46_702_792_704),
        // Qwen/Qwen3-30B-A3B: ../shared README (model card: 30.5B total).
        ("qwen3-30b-a3b", 30_532_122_624),
        // Qwen/Qwen3-235B-A22B: index total_size 470,187,269,120 B / 2 (model card: 235B).
        ("qwen3-235b-a22b", 235_093_634_560),
        // openai/gpt-oss-20b: OpenAI model card (20.91B); ../shared README (experts stored MXFP4).
        ("gpt-oss-20b", 20_914_757_184),
        // openai/gpt-oss-120b: OpenAI model card (116.83B); GGUF general.parameter_count 116829156672.
        ("gpt-oss-120b", 116_829_156_672),
    ])
    func builtinParents(name: String, expected: Int) throws {
        let model = try #require(BuiltinModels.architecture(name))
        #expect(model.parameters == expected)
    }

    @Test(.enabled(if: SharedData.available("data/model-configs"), "../shared/data/model-configs is absent: skipping the family counts"),
        arguments: [
            ("Qwen2.5-7B-Instruct.config.json", 7_615_616_512, ModelFamily.qwen2),
            ("Qwen3-8B.config.json", 8_190_735_360, .qwen3),
            ("Mistral-7B-Instruct-v0.3.config.json", 7_248_023_552, .mistral),
            ("Mixtral-8x7B-v0.1.config.json", 46_702_792_704, .mixtral),
            ("Qwen3-30B-A3B.config.json", 30_532_122_624, .qwen3MoE),
            ("gpt-oss-20b.config.json", 20_914_757_184, .gptOss),
        ])
    func sharedConfigs(file: String, expected: Int, family: ModelFamily) throws {
        let model = try ModelSource.load(SharedData.path("data/model-configs/" + file))
        #expect(model.parameters == expected)
        #expect(model.dimensions.family == family)
    }

    /// Smaller members with tied embeddings (the LM head shares the embedding matrix).
    @Test func tiedEmbeddings() throws {
        // Qwen/Qwen2.5-0.5B: 494,032,768 (torch numel sum; GGUF general.parameter_count).
        let q05 = #"{"architectures": ["Qwen2ForCausalLM"], "hidden_act": "silu", "hidden_size": 896, "intermediate_size": 4864, "max_window_layers": 21, "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2, "sliding_window": 32768, "tie_word_embeddings": true, "use_sliding_window": false, "vocab_size": 151936}"#
        // Qwen/Qwen3-0.6B: 596,049,920 (torch numel sum over model.parameters()).
        let q06 = #"{"architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "head_dim": 128, "hidden_act": "silu", "hidden_size": 1024, "intermediate_size": 3072, "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 8, "tie_word_embeddings": true, "vocab_size": 151936}"#
        let a = try ConfigReader.read(Array(q05.utf8), file: "q05.json")
        let b = try ConfigReader.read(Array(q06.utf8), file: "q06.json")
        #expect(a.parameters == 494_032_768)
        #expect(b.parameters == 596_049_920)
        #expect(a.dimensions.lmHeadParameters == 0)
    }

    /// Active parameters per token: total minus the experts a token skips (embeddings and LM head counted).
    @Test func activeParameters() throws {
        // Mixtral model card: 12.9B active; Qwen3-30B-A3B: 3.3B activated.
        #expect(try #require(BuiltinModels.architecture("mixtral-8x7b")).activeParameters == 12_879_925_248)
        #expect(try #require(BuiltinModels.architecture("qwen3-30b-a3b")).activeParameters == 3_353_032_704)
        // OpenAI's 3.61B / 5.13B active leave out the input embedding (V x d = 201,088 x 2,880).
        let g20 = try #require(BuiltinModels.architecture("gpt-oss-20b"))
        let g120 = try #require(BuiltinModels.architecture("gpt-oss-120b"))
        #expect(g20.activeParameters == 4_187_440_704)
        #expect(g20.activeParameters - 201_088 * 2_880 == 3_608_307_264)
        #expect(g120.activeParameters - 201_088 * 2_880 == 5_132_849_472)
        // Dense models: every parameter is active.
        let q = try #require(BuiltinModels.architecture("qwen3-8b"))
        #expect(q.activeParameters == q.parameters)
    }

    /// Per-layer terms derived by hand from the HF modules.
    @Test func handDerivedLayers() throws {
        // Qwen2.5-7B: d 3584, h 28, k 4, e 128. q 3584x3584 + bias 3584, k/v 3584x512 + bias 512 each,
        // o 3584x3584 (no bias), input norm 3584.
        let q2 = try #require(BuiltinModels.architecture("qwen2.5-7b")).dimensions
        #expect(q2.parameters(of: .gqa(kvHeads: 4)) == 2 * 3584 * 3584 + 2 * 3584 * 512 + 3584 + 3584 + 2 * 512)
        // Qwen3-32B: head_dim 128 with hidden 5120 and 64 heads (q width 8192 != hidden); q/k norms 128 each.
        let q3 = try #require(BuiltinModels.architecture("qwen3-32b")).dimensions
        #expect(q3.queryWidth == 8192)
        #expect(q3.parameters(of: .gqa(kvHeads: 8)) == 2 * 5120 * 8192 + 2 * 5120 * 1024 + 5120 + 2 * 128)
        // gpt-oss-20b attention: q/k/v/o biases (4096 + 2 x 512 + 2880), 64 sinks, norm 2880.
        let g = try #require(BuiltinModels.architecture("gpt-oss-20b")).dimensions
        #expect(g.parameters(of: .gqa(kvHeads: 8)) == 2 * 2880 * 4096 + 2 * 2880 * 512 + 2880 + (4096 + 1024 + 2880) + 64)
        // gpt-oss-20b MoE: 32 experts x (3 x 2880 x 2880 + 2 x 2880 + 2880 biases) + router 2880 x 32 + 32 + norm.
        #expect(g.parameters(of: .moe(experts: 32, topK: 4)) == 32 * (3 * 2880 * 2880 + 3 * 2880) + 2880 * 32 + 32 + 2880)
        #expect(g.activeParameters(of: .moe(experts: 16, topK: 4)) == 4 * (3 * 2880 * 2880 + 3 * 2880) + 2880 * 16 + 16 + 2880)
        // Keeping fewer experts than top-k caps the experts a token uses.
        #expect(g.activeParameters(of: .moe(experts: 2, topK: 2)) == 2 * (3 * 2880 * 2880 + 3 * 2880) + 2880 * 2 + 2 + 2880)
    }

    /// gpt-oss stores experts as MXFP4 (4.25 bits); everything else BF16: 13,761,264,768 bytes.
    @Test func mxfp4Bytes() throws {
        let g = try #require(BuiltinModels.architecture("gpt-oss-20b"))
        #expect(g.dimensions.moe?.storage == .mxfp4)
        #expect(g.expertMatrixParameters == 24 * 32 * 3 * 2880 * 2880)
        #expect(g.weightBytes(.bf16) == Double(20_914_757_184 - 19_110_297_600) * 2 + 19_110_297_600 * 0.53125)
        #expect(try #require(BuiltinModels.architecture("mixtral-8x7b")).weightBytes(.bf16) == 2 * 46_702_792_704)
    }
}

/// What each family reads: windows, layer types, dense and sparse layers.
@Suite struct FamilyReadingTests {
    func read(_ text: String) throws -> Architecture { try ConfigReader.read(Array(text.utf8), file: "f.json") }

    @Test func mistralWindows() throws {
        let v01 = try #require(BuiltinModels.architecture("mistral-7b"))
        #expect(v01.dimensions.family == .mistral)
        #expect(v01.layers.allSatisfy { $0.attention == .slidingWindow(kvHeads: 8, window: 4096) })
        let v03 = try #require(BuiltinModels.architecture("mistral-7b-v0.3"))
        #expect(v03.layers.allSatisfy { $0.attention == .gqa(kvHeads: 8) })
        // Aliases as calibration files spell them.
        #expect(BuiltinModels.architecture("Mistral-7B-v0.1")?.name == "mistral-7b")
        #expect(BuiltinModels.architecture("Mixtral-8x7B-v0.1")?.name == "mixtral-8x7b")
    }

    @Test func gptOssLayerTypes() throws {
        let g = try #require(BuiltinModels.architecture("gpt-oss-20b"))
        #expect(g.layers[0].attention == .slidingWindow(kvHeads: 8, window: 128))
        #expect(g.layers[1].attention == .gqa(kvHeads: 8))
        #expect(g.layers.filter { $0.attention.window == 128 }.count == 12)
        // KV of one 1,000-token sequence: 12 full layers x 1000 + 12 sliding x 128 tokens, 2 x 8 x 64 each.
        #expect(g.kvCacheBytes(sequenceTokens: 1000, .bf16) == Double(12 * 1000 + 12 * 128) * 2 * 8 * 64 * 2)
    }

    @Test func qwenSlidingOnlyWhenEnabled() throws {
        let off = try #require(BuiltinModels.architecture("qwen2.5-7b"))  // sliding_window 131072, use_sliding_window false
        #expect(off.layers.allSatisfy { $0.attention.window == nil })
        let text = try #require(BuiltinModels.configText("qwen2.5-7b"))
            .replacingOccurrences("\"use_sliding_window\": false", "\"use_sliding_window\": true")
            .replacingOccurrences("\"max_window_layers\": 28", "\"max_window_layers\": 20")
        let on = try read(text)
        #expect(on.layers[19].attention == .gqa(kvHeads: 4))
        #expect(on.layers[20].attention == .slidingWindow(kvHeads: 4, window: 131072))
    }

    @Test func qwen3MoEDenseLayers() throws {
        let base = try #require(BuiltinModels.configText("qwen3-30b-a3b"))
        let sparse = try read(base.replacingOccurrences("\"decoder_sparse_step\": 1", "\"decoder_sparse_step\": 2")
            .replacingOccurrences("\"mlp_only_layers\": []", "\"mlp_only_layers\": [3]"))
        // transformers: MoE when (i + 1) % step == 0 and i not in mlp_only_layers.
        #expect(sparse.layers[0].ffn == .swiGLU(intermediateSize: 6144))
        #expect(sparse.layers[1].ffn == .moe(experts: 128, topK: 8))
        #expect(sparse.layers[3].ffn == .swiGLU(intermediateSize: 6144))
        #expect(sparse.layers.filter { $0.ffn.experts > 0 }.count == 23)
    }

    @Test func anyModelChildRoundTrip() throws {
        let parent = try #require(BuiltinModels.architecture("gpt-oss-20b"))
        var blocks = parent.layers.map { ($0.attention, $0.ffn) }
        blocks[0] = (.gqa(kvHeads: 4), .moe(experts: 16, topK: 4))  // sliding -> full, half the experts
        blocks[1] = (.slidingWindow(kvHeads: 8, window: 128), .swiGLU(intermediateSize: 5760))
        blocks[2] = (.noOp, .noOp)
        let child = parent.replacingLayers(blocks, name: "child")
        let config = ConfigWriter.childConfig(child)
        #expect(config["architectures"]?.arrayValue?.first?.stringValue == "GptOssForCausalLM")
        let types = try #require(config["layer_types"]?.arrayValue).map { $0.stringValue ?? "" }
        #expect(Array(types.prefix(3)) == ["full_attention", "sliding_attention", "sliding_attention"])
        let block0 = try #require(config["block_configs"]?.arrayValue?.first)
        #expect(block0["attention"]?["num_key_value_heads"] == 4)
        #expect(block0["ffn"]?["moe"]?["num_local_experts"] == 16)
        #expect(block0["ffn"]?["moe"]?["expert_intermediate_dim"] == 2880)
        #expect(block0["ffn"]?["intermediate_size"] == .null)
        let again = try ConfigReader.read(JSONReader(file: "child.json", value: config))
        #expect(again.hasSameBlocks(as: child))
        #expect(again.parameters == child.parameters)
    }
}

/// Every integer from a config is range-checked: a DataError naming the field and the limit.
@Suite struct ConfigLimitTests {
    func error(_ text: String) -> DataError? {
        do {
            _ = try ConfigReader.read(Array(text.utf8), file: "huge.json")
            return nil
        } catch { return error }
    }

    @Test(arguments: [
        ("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 1000000000", "num_hidden_layers", "16384"),
        ("\"hidden_size\": 4096", "\"hidden_size\": 1000000000", "hidden_size", "1048576"),
        ("\"vocab_size\": 32000", "\"vocab_size\": 99999999999", "vocab_size", "16777216"),
        ("\"intermediate_size\": 14336", "\"intermediate_size\": 1e15", "intermediate_size", "16777216"),
        ("\"num_local_experts\": 8", "\"num_local_experts\": 100000", "num_local_experts", "4096"),
        ("\"num_experts_per_tok\": 2", "\"num_experts_per_tok\": 9", "num_experts_per_tok", "8"),
        ("\"num_attention_heads\": 32", "\"num_attention_heads\": -4", "num_attention_heads", "-4"),
    ])
    func mixtralFields(original: String, replacement: String, field: String, fragment: String) throws {
        let text = try #require(BuiltinModels.configText("mixtral-8x7b")).replacingOccurrences(original, replacement)
        let e = try #require(error(text))
        #expect(e.file == "huge.json")
        #expect(e.location == field)
        #expect(e.message.contains(fragment), "\(e)")
    }

    @Test func blockAndListFields() throws {
        let deci = BadConfigTests.good.replacingOccurrences("\"ffn_mult\": 2.0", "\"ffn_mult\": 1e300")
        #expect(error(deci)?.location == "block_configs[0].ffn.ffn_mult")
        let moe = try #require(BuiltinModels.configText("qwen3-30b-a3b")).replacingOccurrences("\"mlp_only_layers\": []", "\"mlp_only_layers\": [48]")
        let e = try #require(error(moe))
        #expect(e.location == "mlp_only_layers[0]")
        #expect(e.message.contains("47"))
        let types = try #require(BuiltinModels.configText("gpt-oss-20b")).replacingOccurrences("\"num_hidden_layers\": 24", "\"num_hidden_layers\": 25")
        #expect(error(types)?.location == "layer_types")
        let window = try #require(BuiltinModels.configText("gpt-oss-20b")).replacingOccurrences("\"sliding_window\": 128", "\"sliding_window\": 1e12")
        #expect(error(window)?.location == "sliding_window")
    }

    @Test func unsupportedFamiliesAndKeys() throws {
        let deepseek = #"{"architectures": ["DeepseekV3ForCausalLM"], "hidden_size": 7168}"#
        #expect(error(deepseek)?.location == "architectures[0]")
        let qwenMLPBias = try #require(BuiltinModels.configText("qwen3-8b")).replacingOccurrences("\"attention_bias\": false", "\"mlp_bias\": true")
        #expect(error(qwenMLPBias)?.location == "mlp_bias")
        let fp8 = try #require(BuiltinModels.configText("gpt-oss-20b")).replacingOccurrences("\"quant_method\": \"mxfp4\"", "\"quant_method\": \"awq\"")
        #expect(error(fp8)?.location == "quantization_config.quant_method")
    }
}
