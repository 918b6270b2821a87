import ModelArchitecture
import PuzzleCore
import Testing
@testable import BlockLibraries

@Suite struct MergeTests {
    let demo = DemoLibrary.generate(parent: BuiltinModels.architecture("llama-3.1-8b")!, seed: 11)

    func only(layers: Range<Int>, metric: String? = nil) -> BlockLibrary {
        var l = demo
        l.layers = l.layers.filter { layers.contains($0.index) }
        if let metric {
            l.metrics = l.metrics.filter { $0.name == metric }
            for k in l.layers.indices {
                if case .decoupled(var a, var f) = l.layers[k].layout {
                    for i in a.indices { a[i].scores = a[i].scores.filter { $0.key == metric } }
                    for i in f.indices { f[i].scores = f[i].scores.filter { $0.key == metric } }
                    l.layers[k].layout = .decoupled(attention: a, ffn: f)
                }
            }
        }
        return l
    }

    @Test func layerShardsMergeBack() throws {
        var merged = only(layers: 16..<32)
        try merged.merge(only(layers: 0..<16), file: "b")
        #expect(merged.layers == demo.layers)
        try merged.validate()
    }

    @Test func metricShardsMergeBack() throws {
        var merged = only(layers: 0..<32, metric: "kl_div")
        try merged.validate()  // one metric, complete on its own
        try merged.merge(only(layers: 0..<32, metric: "mmlu"), file: "b")
        #expect(merged.layers == demo.layers)
        #expect(merged.metrics == demo.metrics)
    }

    @Test func conflictingDuplicatesAreAnError() throws {
        var other = only(layers: 3..<4)
        if case .decoupled(let a, var f) = other.layers[0].layout {
            f[2].scores["kl_div"] = (f[2].scores["kl_div"] ?? 0) + 0.5
            other.layers[0].layout = .decoupled(attention: a, ffn: f)
        }
        var merged = demo
        #expect(throws: DataError.self) { try merged.merge(other, file: "job2.csv") }
        do {
            try merged.merge(other, file: "job2.csv")
        } catch {
            #expect(error.file == "job2.csv")
            #expect(error.location == "layer 3.ffn[\(demo.layers[3].groups[1][2].name)].scores.kl_div")
            #expect(error.message.contains("conflicting duplicate"))
        }
        // Identical duplicates are fine.
        var same = demo
        try same.merge(only(layers: 3..<4), file: "x")
        #expect(same == demo)
    }

    @Test func differentParentsOrDirectionsAreRefused() throws {
        var a = demo
        let other = DemoLibrary.generate(parent: BuiltinModels.architecture("llama-3.1-70b")!, seed: 1)
        #expect(throws: DataError.self) { try a.merge(other, file: "x") }
        var flipped = demo
        flipped.metrics[0].direction = .higher
        #expect(throws: DataError.self) { try a.merge(flipped, file: "x") }
        var joint = only(layers: 0..<1)
        joint.layers[0].layout = .joint([Candidate(name: "gqa:8+ffn:14336", attention: .gqa(kvHeads: 8), ffn: .swiGLU(intermediateSize: 14336))])
        #expect(throws: DataError.self) { try a.merge(joint, file: "x") }
    }
}
