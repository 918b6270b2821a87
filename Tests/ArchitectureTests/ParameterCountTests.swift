import Foundation
import PuzzleCore
import Testing
import TestSupport

@testable import ModelArchitecture

/// Published parameter counts (model cards; reference/puzzle.md section 7).
@Suite struct ParameterCountTests {
    @Test(arguments: [
        ("llama-3.1-8b", 8_030_261_248),
        ("llama-3.1-70b", 70_553_706_496),
        ("llama-3.1-405b", 405_853_388_800),
        ("llama-3.3-70b", 70_553_706_496),
    ])
    func builtinParents(name: String, expected: Int) throws {
        let model = try #require(BuiltinModels.architecture(name))
        #expect(model.parameters == expected)
    }

    @Test func hand_derived_8B_layer() throws {
        // d = 4096, h = 32, k = 8, e = 128, n = 14336:
        // attention 2*4096*4096 + 2*4096*1024 + 4096 = 41,947,136; FFN 3*4096*14336 + 4096 = 176,164,864.
        let d = try #require(BuiltinModels.architecture("llama-3.1-8b")).dimensions
        #expect(d.parameters(of: .gqa(kvHeads: 8)) == 41_947_136)
        #expect(d.parameters(of: .swiGLU(intermediateSize: 14336)) == 176_164_864)
        #expect(d.parameters(of: .linear as AttentionVariant) == 4096 * 4096 + 4096)
        #expect(d.parameters(of: .noOp as FFNVariant) == 0)
        #expect(d.nonLayerParameters == 2 * 128_256 * 4096 + 4096)
        // KV cache: 2 x 8 heads x 128 x 32 layers = 65,536 elements per token; 131,072 bytes at bf16.
        let model = try #require(BuiltinModels.architecture("llama-3.1-8b"))
        #expect(model.kvCacheBytesPerToken(.bf16) == 131_072)
        #expect(model.kvCacheBytesPerToken(.fp8) == 65_536)
    }

    @Test func nvlabsAttentionParameters() throws {
        // The NVlabs library's measured attention_num_params for Llama-3.3-70B: 151,003,136.
        let d = try #require(BuiltinModels.architecture("llama-3.3-70b")).dimensions
        #expect(d.parameters(of: .gqa(kvHeads: 8)) == 151_003_136)
        #expect(d.parameters(of: .swiGLU(intermediateSize: 28672)) == 704_651_264)
    }

    @Test(.enabled(if: SharedData.available("data/model-configs"), "../shared/data/model-configs is absent: skipping the Nemotron counts"),
        arguments: [
            ("Llama-3_3-Nemotron-Super-49B-v1.config.json", 49_867_145_216),
            ("Llama-3_1-Nemotron-Ultra-253B-v1.config.json", 253_401_268_224),
        ])
    func nemotronChildren(file: String, expected: Int) throws {
        let path = SharedData.path("data/model-configs/" + file)
        let model = try ModelSource.load(path)
        #expect(model.parameters == expected)
    }

    @Test(.enabled(if: SharedData.available("data/model-configs"), "../shared/data/model-configs is absent: skipping"))
    func superLayerMix() throws {
        let model = try ModelSource.load(SharedData.path("data/model-configs/Llama-3_3-Nemotron-Super-49B-v1.config.json"))
        #expect(model.layers.count == 80)
        #expect(model.layers.filter { $0.attention == .noOp }.count == 31)
        #expect(model.layers.filter { $0.attention == .gqa(kvHeads: 8) }.count == 49)
        #expect(model.dimensions.kvHeads == 8)
        #expect(model.dimensions.intermediateSize == 28672)
    }
}
