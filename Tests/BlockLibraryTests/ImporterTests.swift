import ModelArchitecture
import Foundation
import PuzzleCore
import Testing
@testable import BlockLibraries

@Suite struct ImporterTests {
    let d8 = BuiltinModels.architecture("llama-3.1-8b")!.dimensions

    @Test func variantSpellings() {
        let d = d8
        #expect(VariantNames.attention("gqa:4", dimensions: d) == .gqa(kvHeads: 4))
        #expect(VariantNames.attention("num_key_value_heads=2", dimensions: d) == .gqa(kvHeads: 2))
        #expect(VariantNames.attention("num_key_value_heads: 2", dimensions: d) == .gqa(kvHeads: 2))
        #expect(VariantNames.attention("num_key_value_heads_1", dimensions: d) == .gqa(kvHeads: 1))
        #expect(VariantNames.attention("n_heads_in_group=8", dimensions: d) == .gqa(kvHeads: 4))  // 32 / 8
        #expect(VariantNames.attention("attention = 8 kv heads (parent * 100%)", dimensions: d) == .gqa(kvHeads: 8))
        #expect(VariantNames.attention("attention = no_op (parent * 0%)", dimensions: d) == .noOp)
        #expect(VariantNames.attention("replace_with_linear", dimensions: d) == .linear)
        #expect(VariantNames.attention("sparse", dimensions: d) == nil)
        #expect(VariantNames.ffn("ffn:7168", dimensions: d) == .swiGLU(intermediateSize: 7168))
        #expect(VariantNames.ffn("intermediate_size=11520", dimensions: d) == .swiGLU(intermediateSize: 11520))
        #expect(VariantNames.ffn("ffn_mult=1.0", dimensions: d) == .swiGLU(intermediateSize: 2816))  // int(2*4096/3)=2730 -> 2816
        #expect(VariantNames.ffn("ffn = intermediate size 14336 (parent * 100%)", dimensions: d) == .swiGLU(intermediateSize: 14336))
        #expect(VariantNames.ffn("no_op", dimensions: d) == .noOp)
        #expect(VariantNames.ffn("gqa:8", dimensions: d) == nil)
        #expect(VariantNames.block("gqa:8+ffn:14336", dimensions: d)! == (.gqa(kvHeads: 8), .swiGLU(intermediateSize: 14336)))
        #expect(VariantNames.block("num_key_value_heads=4,intermediate_size=3072", dimensions: d)! == (.gqa(kvHeads: 4), .swiGLU(intermediateSize: 3072)))
        #expect(VariantNames.block("noop+noop", dimensions: d)! == (.noOp, .noOp))
        #expect(VariantNames.block("attention = no_op\t&&\tffn = intermediate size 7168", dimensions: d)! == (.noOp, .swiGLU(intermediateSize: 7168)))
        #expect(VariantNames.block("gqa:8", dimensions: d) == nil)
    }

    @Test func csvWithReorderedHeaderQuotesAndStats() throws {
        let text = """
            # scored by job 7
            value,metric,variant,subblock,layer
            0,kl_div,"gqa:8",attention,0
            0.25,kl_div,noop,attention,0
            1.5,runtime_ms,noop,attention,0
            0,kl_div,ffn:14336,ffn,0
            0.125,kl_div,"intermediate_size=7168",ffn,0
            42,stat:flops_per_token,"intermediate_size=7168",ffn,0
            """
        let library = try parse(text, parent: "llama-3.1-8b")
        #expect(library.metrics == [Metric("kl_div", direction: .lower)])
        let layer = try #require(library.layer(0))
        #expect(layer.groupNames == ["attention", "ffn"])
        #expect(layer.groups[0].map(\.name) == ["gqa:8", "noop"])
        #expect(layer.groups[0][1].stats == ["runtime_ms": 1.5])
        #expect(layer.groups[1][1].name == "intermediate_size=7168")  // kept verbatim
        #expect(layer.groups[1][1].ffn == .swiGLU(intermediateSize: 7168))
        #expect(layer.groups[1][1].scores == ["kl_div": 0.125])
        #expect(layer.groups[1][1].stats == ["flops_per_token": 42])
    }

    @Test func jsonLinesAndCSVGiveTheSameLibrary() throws {
        let csv = smallCSV()
        var jsonl = ""
        for line in csv.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            jsonl += "{\"layer\": \(f[0]), \"subblock\": \"\(f[1])\", \"variant\": \"\(f[2])\", \"metric\": \"\(f[3])\", \"value\": \(f[4])}\n"
        }
        #expect(LibraryFormat.detect(Array(jsonl.utf8)) == .jsonl)
        #expect(LibraryFormat.detect(Array(csv.utf8)) == .csv)
        var a = try parse(csv, parent: "llama-3.1-8b")
        var b = try parse(jsonl, parent: "llama-3.1-8b")
        a.metadata = JSONObject()
        b.metadata = JSONObject()
        #expect(a == b)
        try a.validate()
        #expect(a.layers.count == 32)
        // Score of layer 5's noop attention: 5 * 0.01 + 0.5.
        #expect(a.layer(5)?.groups[0][1].scores["kl_div"] == 0.55)
    }

    @Test func records() throws {
        let text = """
            [
              {"layer": 0, "attention": {"num_key_value_heads": 8}, "scores": {"kl_div": 0}},
              {"layer": 0, "attention": {"no_op": true}, "scores": {"kl_div": 0.4}, "stats": {"runtime_ms": 0}},
              {"layer": 0, "ffn": {"intermediate_size": 14336}, "scores": {"kl_div": 0}},
              {"block_idx": 0, "ffn": {"intermediate_size": 8704}, "variant": "ffn-60pct", "metrics": {"kl_div": 0.2}},
              {"layer": 1, "attention": {"num_key_value_heads": 8}, "ffn": {"intermediate_size": 14336}, "scores": {"kl_div": 0}},
              {"layer": 1, "attention": {"replace_with_linear": true}, "ffn": {"no_op": true}, "scores": {"kl_div": 3}}
            ]
            """
        #expect(LibraryFormat.detect(Array(text.utf8)) == .records)
        let library = try parse(text, parent: "llama-3.1-8b")
        let l0 = try #require(library.layer(0))
        #expect(l0.groups.map { $0.map(\.name) } == [["num_key_value_heads=8", "no_op"], ["intermediate_size=14336", "ffn-60pct"]])
        #expect(l0.groups[1][1].ffn == .swiGLU(intermediateSize: 8704))
        #expect(l0.groups[0][1].stats == ["runtime_ms": 0])
        let l1 = try #require(library.layer(1))
        #expect(l1.groups.count == 1)
        #expect(l1.groups[0][1].attention == .linear && l1.groups[0][1].ffn == .noOp)
        // Errors point at the record.
        let bad = "[{\"layer\": 0, \"attention\": {\"num_key_value_heads\": 3}, \"scores\": {\"kl_div\": 0}}]"
        let e = parseError(bad, parent: "llama-3.1-8b", complete: false)
        #expect(e?.location == "[0]: variant")
        #expect(e?.message.contains("3 KV heads do not divide") == true)
    }

    /// Decoupled and joint layers feed the same solver-facing API: groups of candidates with
    /// scores and costs; a block's score is the sum over its groups' picks.
    @Test func decoupledAndJointShareTheSolverView() throws {
        let text = """
            layer,subblock,variant,metric,value
            0,attention,gqa:8,kl_div,0
            0,attention,noop,kl_div,0.5
            0,ffn,ffn:14336,kl_div,0
            0,ffn,ffn:7168,kl_div,0.25
            0,attention,noop,runtime_ms,0
            1,block,gqa:8+ffn:14336,kl_div,0
            1,block,noop+ffn:7168,kl_div,0.8
            1,block,noop+ffn:7168,runtime_ms,3
            """
        let library = try parse(text, parent: "llama-3.1-8b")
        let l0 = try #require(library.layer(0))
        let l1 = try #require(library.layer(1))
        #expect(l0.groups.count == 2 && l1.groups.count == 1)
        for group in l0.groups + l1.groups {
            for c in group { #expect(c.scores["kl_div"] != nil) }
        }
        // Whole-block options: 2 x 2 decoupled sums, 2 joint.
        let options0 = l0.blockOptions(metric: "kl_div")
        #expect(options0.count == 4)
        #expect(options0.first { $0.attention == .noOp && $0.ffn == .swiGLU(intermediateSize: 7168) }?.score == 0.75)
        #expect(l1.blockOptions(metric: "kl_div").map(\.score) == [0, 0.8])
        #expect(l1.groups[0][1].stats["runtime_ms"] == 3)
        #expect(l0.groups[0][1].attention == .noOp && l0.groups[0][1].ffn == nil)
        #expect(l0.groups[1][1].attention == nil && l0.groups[1][1].ffn == .swiGLU(intermediateSize: 7168))
        // The parent's own block is found in both layouts.
        #expect(l0.parentPicks(d8) == [0, 0])
        #expect(l1.parentPicks(d8) == [0])
        var noParent = l1
        noParent.layout = .joint([l1.groups[0][1]])
        #expect(noParent.parentPicks(d8) == [nil])
    }

    @Test func unscoredInitLibraryRoundTrips() throws {
        let parent = try #require(BuiltinModels.architecture("llama-3.1-70b"))
        let library = CandidateSpace.paper(parent: parent).library(parent: parent)
        let again = try BlockLibrary.parse(Array(library.nativeJSON.utf8), file: "x")
        #expect(again == library)
    }

    @Test func embeddedParentConfig() throws {
        var parent = try #require(BuiltinModels.architecture("llama-3.1-8b"))
        parent.name = "my-8b"
        parent.layers = Array(parent.layers.prefix(2))
        parent.dimensions.layers = 2
        let space = CandidateSpace(attention: [.gqa(kvHeads: 8), .noOp], ffn: [.swiGLU(intermediateSize: 14336), .noOp])
        let library = space.library(parent: parent)
        let text = library.nativeJSON
        #expect(text.contains("\"block_configs\""))
        let again = try BlockLibrary.parse(Array(text.utf8), file: "x")
        #expect(again.parent.hasSameBlocks(as: parent))
        #expect(again.parent.name == "my-8b")
        #expect(again.layers == library.layers)
    }
}
