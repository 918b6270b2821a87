import ModelArchitecture
import PuzzleCore
import Testing
@testable import BlockLibraries

@Suite struct DemoLibraryTests {
    @Test func splitMix64ReferenceValues() {
        // Reference outputs of SplitMix64 seeded with 1234567 (Vigna's splitmix64.c).
        var g = SplitMix64(seed: 1_234_567)
        #expect(g.next() == 6_457_827_717_110_365_317)
        #expect(g.next() == 3_203_168_211_198_807_973)
        #expect(g.next() == 9_817_491_932_198_370_423)
    }

    @Test(arguments: ["llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "llama-3.3-70b"])
    func validDeterministicAndSynthetic(model: String) throws {
        let parent = try #require(BuiltinModels.architecture(model))
        let a = DemoLibrary.generate(parent: parent, seed: 7)
        try a.validate(file: "demo")
        #expect(a.isSynthetic)
        #expect(a.metrics.map(\.name) == ["kl_div", "mmlu"])
        #expect(a.metrics[1].direction == .higher)
        #expect(a.layers.count == parent.layers.count)
        #expect(a.layers.allSatisfy { $0.groups.map(\.count) == [6, 9] })
        #expect(DemoLibrary.generate(parent: parent, seed: 7) == a)
        #expect(DemoLibrary.generate(parent: parent, seed: 8) != a)
    }

    @Test func scoresGrowAsCapacityIsRemoved() throws {
        let lib = DemoLibrary.generate(parent: try #require(BuiltinModels.architecture("llama-3.1-70b")), seed: 1)
        for layer in lib.layers {
            for group in layer.groups {
                let kl = group.map { $0.scores["kl_div"] ?? -1 }
                let mmlu = group.map { $0.scores["mmlu"] ?? 1 }
                #expect(kl[0] == 0 && mmlu[0] == 0)  // the parent's subblock
                #expect(zip(kl, kl.dropFirst()).allSatisfy { $0 < $1 })
                #expect(zip(mmlu, mmlu.dropFirst()).allSatisfy { $0 > $1 })
            }
        }
    }

    @Test func layerSensitivityFollowsPublishedMixes() throws {
        // Averaged over seeds: the first layers' attention matters much more than mid-depth
        // attention (which Nemotron-51B / Super-49B drop), and the first and last FFNs are essential.
        let parent = try #require(BuiltinModels.architecture("llama-3.1-70b"))
        var noopAttention = [Double](repeating: 0, count: 80)
        var noopFFN = [Double](repeating: 0, count: 80)
        for seed in UInt64(1)...8 {
            let lib = DemoLibrary.generate(parent: parent, seed: seed)
            for layer in lib.layers {
                noopAttention[layer.index] += (layer.groups[0].last?.scores["kl_div"] ?? 0) / 8
                noopFFN[layer.index] += (layer.groups[1].last?.scores["kl_div"] ?? 0) / 8
            }
        }
        let early = noopAttention[1...5].reduce(0, +) / 5
        let mid = noopAttention[40...70].reduce(0, +) / 31
        #expect(noopAttention[0] > 10 * early)
        #expect(early > 3 * mid)
        #expect(noopFFN[0] > 10 * noopFFN[40])
        #expect(noopFFN[79] > 5 * noopFFN[40])
        // Cheapest attention removals are mid-depth: the 20 lowest no-op scores all lie in layers 30-78.
        let cheapest = noopAttention.enumerated().sorted { $0.element < $1.element }.prefix(20).map(\.offset)
        #expect(cheapest.allSatisfy { (30...78).contains($0) })
    }

    @Test func numParamsStatsAreExact() throws {
        let parent = try #require(BuiltinModels.architecture("llama-3.1-8b"))
        let lib = DemoLibrary.generate(parent: parent, seed: 1)
        let a = lib.layers[0].groups[0]
        // 8B GQA-8: 2*4096*4096 + 2*4096*1024 + 4096 = 41,947,136; linear 4096^2 + 4096.
        #expect(a[0].stats["num_params"] == 41_947_136)
        #expect(a[4].stats["num_params"] == 16_781_312)
        #expect(a[5].stats["num_params"] == 0)
    }
}
