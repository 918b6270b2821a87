import ModelArchitecture
import BlockLibraries
import Foundation
import PuzzleCore
import TestSupport

enum Fixtures {
    static let repository = SharedData.repository
    static let nvlabsPath = SharedData.path("data/nvlabs-puzzle-llama-3.3-70b/block_library.json")
    static var nvlabsAvailable: Bool { SharedData.available("data/nvlabs-puzzle-llama-3.3-70b/block_library.json") }
    static var scipyAvailable: Bool { SharedData.scipyAvailable }

    static func nvlabs() throws -> BlockLibrary {
        var options = ImportOptions()
        options.parent = BuiltinModels.architecture("llama-3.3-70b")
        return try BlockLibrary.load(nvlabsPath, format: .nvlabs, options: options)
    }

    /// A small decoupled library over a tiny parent with random scores and stats.
    static func random(layers: Int, seed: UInt64) -> BlockLibrary {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let dims = ModelDimensions(hiddenSize: 256, attentionHeads: 8, kvHeads: 4, intermediateSize: 768, layers: layers,
            vocabSize: 1000)
        let parent = Architecture.uniform(name: "tiny", dimensions: dims)
        let attention: [AttentionVariant] = [.gqa(kvHeads: 4), .gqa(kvHeads: 2), .linear, .noOp]
        let ffn: [FFNVariant] = [.swiGLU(intermediateSize: 768), .swiGLU(intermediateSize: 512), .swiGLU(intermediateSize: 256), .noOp]
        var out: [LayerCandidates] = []
        for l in 0..<layers {
            let a = attention.enumerated().map { k, v in
                Candidate(name: v.name, attention: v, ffn: nil, scores: ["kl_div": k == 0 ? 0 : uniform() + Double(k) * 0.1, "acc": 1 - uniform()],
                    stats: ["runtime_ms": Double(3 - k) * 2 + uniform(), "memory_mib": Double(dims.parameters(of: v)) / 1e4])
            }
            let f = ffn.enumerated().map { k, v in
                Candidate(name: v.name, attention: nil, ffn: v, scores: ["kl_div": k == 0 ? 0 : uniform() + Double(k) * 0.2, "acc": 1 - uniform()],
                    stats: ["runtime_ms": Double(3 - k) * 3 + uniform(), "memory_mib": Double(dims.parameters(of: v)) / 1e4])
            }
            out.append(LayerCandidates(index: l, layout: .decoupled(attention: a, ffn: f)))
        }
        return BlockLibrary(parent: parent, metrics: [Metric("kl_div", direction: .lower), Metric("acc", direction: .higher)],
            layers: out)
    }
}
