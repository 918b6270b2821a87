import ModelArchitecture
import PuzzleCore
import Testing
@testable import BlockLibraries

@Suite struct CandidateSpaceTests {
    // Hand-derived: p x n rounded up to a multiple of 256 (the DeciLM mapping of the scaled
    // ffn_mult), 100% the parent's own size.
    @Test(arguments: [
        ("llama-3.1-70b", [28672, 25088, 21504, 14336, 7168, 5888, 3072]),
        ("llama-3.1-8b", [14336, 12544, 10752, 7168, 3584, 3072, 1536]),
        ("llama-3.1-405b", [53248, 46336, 39936, 26624, 13312, 10752, 5376]),
    ])
    func paperSpace(model: String, sizes: [Int]) throws {
        let parent = try #require(BuiltinModels.architecture(model))
        let space = CandidateSpace.paper(parent: parent)
        #expect(space.attention == [.gqa(kvHeads: 8), .gqa(kvHeads: 4), .gqa(kvHeads: 2), .gqa(kvHeads: 1), .linear, .noOp])
        #expect(space.ffn == sizes.map { .swiGLU(intermediateSize: $0) } + [.linear, .noOp])
        #expect(space.combinations == 54)
        let library = space.library(parent: parent)
        #expect(library.layers.count == parent.layers.count)
        for layer in library.layers {
            #expect(layer.groups.map(\.count) == [6, 9])
        }
        try library.validate(file: "init")
        // num_params stats are exact: GQA-8 attention of the 70B is 2*8192*8192 + 2*8192*1024 + 8192.
        if model == "llama-3.1-70b" {
            #expect(library.layers[0].groups[0][0].stats["num_params"] == 151_003_136)
            #expect(library.layers[0].groups[1][0].stats["num_params"] == Double(3 * 8192 * 28672 + 8192))
        }
    }

    @Test func customSpaces() throws {
        let parent = try #require(BuiltinModels.architecture("llama-3.1-70b"))
        #expect(try CandidateSpace.parseAttention(["noop,8", "num_key_value_heads=2"], parent: parent) == [.gqa(kvHeads: 8), .gqa(kvHeads: 2), .noOp])
        #expect(try CandidateSpace.parseFFN(["50%", "ffn:7168", "100", "noop", "intermediate_size=5632"], parent: parent)
            == [.swiGLU(intermediateSize: 28672), .swiGLU(intermediateSize: 14336), .swiGLU(intermediateSize: 7168), .swiGLU(intermediateSize: 5632), .noOp])
        #expect(throws: CandidateSpaceError.self) { try CandidateSpace.parseAttention(["3"], parent: parent) }  // 3 does not divide 64
        #expect(throws: CandidateSpaceError.self) { try CandidateSpace.parseFFN(["huge"], parent: parent) }
    }

    @Test func csvTemplateRoundTripsThroughTheImporter() throws {
        let parent = try #require(BuiltinModels.architecture("llama-3.1-8b"))
        let space = CandidateSpace.paper(parent: parent)
        let template = space.csvTemplate(parent: parent, metrics: ["kl_div"])
        let lines = template.split(separator: "\n")
        #expect(lines.count == 1 + 32 * 15)
        // Unfilled: the first value is missing, named by line.
        let e = parseError(template, parent: "llama-3.1-8b")
        #expect(e?.location == "line 2: value")
        // Filled with any numbers it imports into the same space.
        var filled = ""
        for (k, line) in lines.enumerated() { filled += k == 0 ? line + "\n" : line + "\(k % 7).5\n" }
        let library = try parse(filled, parent: "llama-3.1-8b")
        try library.validate()
        #expect(library.layers.allSatisfy { $0.groups.map(\.count) == [6, 9] })
    }
}
