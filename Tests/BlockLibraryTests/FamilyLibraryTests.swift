import Foundation
import ModelArchitecture
import PuzzleCore
import Testing
@testable import BlockLibraries

/// Candidate spaces, demo libraries and variant names for the non-Llama families.
@Suite struct FamilyLibraryTests {
    /// Dense families: p x n rounded up to 256 (no ffn_mult in their configs). Qwen2.5-72B:
    /// 29568 x 0.87 = 25724.2 -> 25856, x 0.2 = 5913.6 -> 6144.
    @Test(arguments: [
        ("qwen3-32b", [25600, 22272, 19200, 12800, 6400, 5120, 2560]),
        ("qwen2.5-72b", [29568, 25856, 22272, 14848, 7424, 6144, 3072]),
        ("qwen2.5-7b", [18944, 16640, 14336, 9472, 4864, 3840, 2048]),
    ])
    func denseFamilySizes(model: String, sizes: [Int]) throws {
        let parent = try #require(BuiltinModels.architecture(model))
        let space = CandidateSpace.paper(parent: parent)
        #expect(space.ffn == sizes.map { .swiGLU(intermediateSize: $0) } + [.linear, .noOp])
        try space.library(parent: parent).validate(file: "init")
    }

    /// Mistral-7B-v0.1 slides over 4096 tokens in every layer: its GQA candidates keep the window.
    @Test func mistralCandidatesKeepTheWindow() throws {
        let parent = try #require(BuiltinModels.architecture("mistral-7b"))
        let library = CandidateSpace.paper(parent: parent).library(parent: parent)
        try library.validate(file: "init")
        #expect(library.layers[0].groups[0].map(\.name) == ["gqa:8/w4096", "gqa:4/w4096", "gqa:2/w4096", "gqa:1/w4096", "linear", "noop"])
        // A CSV that names plain KV heads means the layer's own (sliding) attention.
        let csv = "layer,subblock,variant,metric,value\n0,attention,num_key_value_heads=4,kl_div,0.1\n0,ffn,ffn:7168,kl_div,0.2\n"
        let imported = try parse(csv, parent: "mistral-7b")
        #expect(imported.layers[0].groups[0][0].attention == .slidingWindow(kvHeads: 4, window: 4096))
        // A window other than the model's is refused, naming it.
        let bad = "layer,subblock,variant,metric,value\n0,attention,gqa:4/w1024,kl_div,0.1\n"
        let e = try #require(parseError(bad, parent: "mistral-7b", complete: false))
        #expect(e.message.contains("1024") && e.message.contains("4096"))
    }

    /// Mixtral: keep 8, 6, 4, 2, 1 of 8 experts (top-2 capped at 1), dense 2 x 14336 and halves.
    @Test func mixtralSpace() throws {
        let parent = try #require(BuiltinModels.architecture("mixtral-8x7b"))
        let space = CandidateSpace.paper(parent: parent)
        #expect(space.ffn == [.moe(experts: 8, topK: 2), .moe(experts: 6, topK: 2), .moe(experts: 4, topK: 2), .moe(experts: 2, topK: 2),
            .moe(experts: 1, topK: 1), .swiGLU(intermediateSize: 28672), .swiGLU(intermediateSize: 14336),
            .swiGLU(intermediateSize: 7168), .linear, .noOp])
        let library = space.library(parent: parent)
        try library.validate(file: "init")
        let moe6 = try #require(library.layers[0].groups[1].first { $0.name == "moe:6/top2" })
        // 6 x 3 x 4096 x 14336 + router 4096 x 6 + norm 4096; a token uses 2 experts.
        #expect(moe6.stats["num_params"] == Double(6 * 3 * 4096 * 14336 + 4096 * 6 + 4096))
        #expect(moe6.stats["num_active_params"] == Double(2 * 3 * 4096 * 14336 + 4096 * 6 + 4096))
    }

    /// gpt-oss: every KV-head count both full and over the 128-token window; 100 combinations.
    @Test func gptOssSpace() throws {
        let parent = try #require(BuiltinModels.architecture("gpt-oss-20b"))
        let space = CandidateSpace.paper(parent: parent)
        #expect(space.attention.count == 10)
        #expect(space.attention.contains(.slidingWindow(kvHeads: 2, window: 128)))
        #expect(space.ffn.prefix(5) == [.moe(experts: 32, topK: 4), .moe(experts: 24, topK: 4), .moe(experts: 16, topK: 4),
            .moe(experts: 8, topK: 4), .moe(experts: 4, topK: 4)])
        #expect(space.combinations == 100)
        try space.library(parent: parent).validate(file: "init")
        // Native names are exact: gqa:8 on a sliding layer is full attention.
        let lib = DemoLibrary.generate(parent: parent, seed: 3)
        let reread = try BlockLibrary.parse(Array(lib.nativeJSON.utf8), file: "demo.json", path: "demo.json")
        #expect(reread == lib)
        #expect(reread.layers[0].groups[0].contains { $0.attention == .gqa(kvHeads: 8) })
        #expect(reread.layers[0].groups[0].contains { $0.attention == .slidingWindow(kvHeads: 8, window: 128) })
    }

    /// Qwen3-MoE layers listed in mlp_only_layers are dense: no expert candidates there.
    @Test func qwen3MoEDenseLayersGetNoExperts() throws {
        let text = try #require(BuiltinModels.configText("qwen3-30b-a3b")).replacingOccurrences(of: "\"mlp_only_layers\": []",
            with: "\"mlp_only_layers\": [0]")
        let parent = try ConfigReader.read(Array(text.utf8), file: "q.json")
        let library = DemoLibrary.generate(parent: parent)
        try library.validate(file: "demo")
        #expect(library.layers[0].groups[1].allSatisfy { $0.ffn?.experts == 0 })
        #expect(library.layers[0].groups[1].first?.ffn == .swiGLU(intermediateSize: 6144))
        #expect(library.layers[1].groups[1].first?.ffn == .moe(experts: 128, topK: 8))
    }

    @Test(arguments: ["qwen2.5-7b", "qwen3-32b", "mistral-7b", "mixtral-8x7b", "qwen3-30b-a3b", "gpt-oss-20b"])
    func demoLibrariesValidDeterministicMonotone(model: String) throws {
        let parent = try #require(BuiltinModels.architecture(model))
        let a = DemoLibrary.generate(parent: parent, seed: 5)
        try a.validate(file: "demo")
        #expect(DemoLibrary.generate(parent: parent, seed: 5) == a)
        for layer in a.layers {
            for group in layer.groups {
                // The parent's own subblock scores 0 (and on gpt-oss sliding layers full attention,
                // which only adds context); every other candidate more, and distinct.
                let kl = group.map { $0.scores["kl_div"] ?? -1 }
                #expect(kl.filter { $0 == 0 }.count >= 1)
                let positive = kl.filter { $0 > 0 }
                #expect(Set(positive).count == positive.count)
                #expect(kl.filter { $0 == 0 }.count <= (model == "gpt-oss-20b" ? 2 : 1))
            }
            let picks = layer.parentPicks(parent.layers[layer.index])
            #expect(picks.allSatisfy { $0 != nil })
        }
    }

    /// Expert removal in the demo: the first experts removed from a fine-grained MoE cost little.
    @Test func expertDamageShape() {
        let q = DemoLibrary.ffnFraction(.moe(experts: 96, topK: 8), parent: .moe(experts: 128, topK: 8),
            dimensions: ModelDimensions(hiddenSize: 1, attentionHeads: 1, kvHeads: 1, intermediateSize: 1, layers: 1, vocabSize: 1))
        let m = DemoLibrary.ffnFraction(.moe(experts: 6, topK: 2), parent: .moe(experts: 8, topK: 2),
            dimensions: ModelDimensions(hiddenSize: 1, attentionHeads: 1, kvHeads: 1, intermediateSize: 1, layers: 1, vocabSize: 1))
        #expect(abs(q - 0.6 * pow(0.25, 2.75)) < 1e-12)
        #expect(abs(m - 0.6 * pow(0.25, 1.75)) < 1e-12)
    }

    /// Every importer reads expert and window spellings.
    @Test func importerSpellings() throws {
        let d = try #require(BuiltinModels.architecture("gpt-oss-20b")).dimensions
        #expect(VariantNames.ffn("moe:16/top4", dimensions: d) == .moe(experts: 16, topK: 4))
        #expect(VariantNames.ffn("num_local_experts=16", dimensions: d) == .moe(experts: 16, topK: 4))
        #expect(VariantNames.ffn("experts: 2", dimensions: d) == .moe(experts: 2, topK: 2))
        #expect(VariantNames.attention("num_key_value_heads=4/w128", dimensions: d) == .slidingWindow(kvHeads: 4, window: 128))
        #expect(VariantNames.attention("kv4/sliding", dimensions: d) == .slidingWindow(kvHeads: 4, window: 128))
        #expect(VariantNames.attention("gqa:4/full", dimensions: d) == .gqa(kvHeads: 4))
        let block = try #require(VariantNames.block("gqa:4/w128+moe:8/top4", dimensions: d))
        #expect(block.0 == .slidingWindow(kvHeads: 4, window: 128) && block.1 == .moe(experts: 8, topK: 4))
        // Puzzletron records: a MoE block and a layer type.
        let records = """
            {"layer": 0, "ffn": {"moe": {"num_local_experts": 24, "num_experts_per_tok": 4}}, "scores": {"kl_div": 0.1}}
            {"layer": 0, "attention": {"num_key_value_heads": 4, "layer_type": "full_attention"}, "scores": {"kl_div": 0.2}}
            {"layer": 0, "attention": {"num_key_value_heads": 4}, "scores": {"kl_div": 0.3}}
            """
        let lib = try parse(records, format: .records, parent: "gpt-oss-20b")
        #expect(lib.layers[0].groups[1][0].ffn == .moe(experts: 24, topK: 4))
        // Layer 0 slides: the explicit full_attention record is full, the plain one keeps the window.
        #expect(lib.layers[0].groups[0].map(\.attention) == [.gqa(kvHeads: 4), .slidingWindow(kvHeads: 4, window: 128)])
        // More experts than the parent has, or experts in a dense model, are refused.
        let tooMany = "layer,subblock,variant,metric,value\n0,ffn,moe:64/top4,kl_div,0.1\n"
        #expect(parseError(tooMany, parent: "gpt-oss-20b", complete: false)?.message.contains("1...32") == true)
        let dense = "layer,subblock,variant,metric,value\n0,ffn,moe:4/top2,kl_div,0.1\n"
        #expect(parseError(dense, parent: "llama-3.1-8b", complete: false)?.message.contains("no experts") == true)
    }
}
