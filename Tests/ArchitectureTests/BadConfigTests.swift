import PuzzleCore
import Testing

@testable import ModelArchitecture

/// Bad configs give one DataError naming the file and the field.
@Suite struct BadConfigTests {
    static let good = """
        {"architectures": ["DeciLMForCausalLM"], "hidden_size": 4096, "num_attention_heads": 32,
         "num_hidden_layers": 2, "vocab_size": 1000,
         "block_configs": [
           {"attention": {"n_heads_in_group": 4, "no_op": false, "replace_with_linear": false},
            "ffn": {"ffn_mult": 2.0, "no_op": false, "replace_with_linear": false}},
           {"attention": {"n_heads_in_group": null, "no_op": true, "replace_with_linear": false},
            "ffn": {"ffn_mult": 1.0, "no_op": false, "replace_with_linear": false}}]}
        """

    func error(_ text: String) -> DataError? {
        do {
            _ = try ConfigReader.read(Array(text.utf8), file: "bad.json")
            return nil
        } catch {
            return error
        }
    }

    @Test func goodParses() throws {
        let a = try ConfigReader.read(Array(Self.good.utf8), file: "good.json")
        #expect(a.layers.map(\.attention) == [.gqa(kvHeads: 8), .noOp])
        #expect(a.layers.map(\.ffn) == [.swiGLU(intermediateSize: 5632), .swiGLU(intermediateSize: 2816)])
    }

    @Test func truncated() throws {
        let e = try #require(error(String(Self.good.prefix(120))))
        #expect(e.file == "bad.json")
        #expect(e.location.hasPrefix("line "))
        #expect(e.message.contains("truncated"))
    }

    @Test func missingHiddenSize() throws {
        let e = try #require(error(Self.good.replacingOccurrences("\"hidden_size\": 4096,", "")))
        #expect(e.location == "hidden_size")
        #expect(e.message.contains("missing"))
    }

    @Test func headsInGroupMustDivide() throws {
        let e = try #require(error(Self.good.replacingOccurrences("\"n_heads_in_group\": 4", "\"n_heads_in_group\": 5")))
        #expect(e.location == "block_configs[0].attention.n_heads_in_group")
        #expect(e.message.contains("does not divide"))
    }

    @Test func negativeFFNMult() throws {
        let e = try #require(error(Self.good.replacingOccurrences("\"ffn_mult\": 2.0", "\"ffn_mult\": -2.0")))
        #expect(e.location == "block_configs[0].ffn.ffn_mult")
        #expect(e.message.contains("positive"))
    }

    @Test func shortBlockConfigs() throws {
        let e = try #require(error(Self.good.replacingOccurrences("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3")))
        #expect(e.location == "block_configs")
        #expect(e.message.contains("2 entries"))
    }

    @Test func mathChangingKeysRefused() throws {
        let e = try #require(error(Self.good.replacingOccurrences("\"n_heads_in_group\": 4,", "\"n_heads_in_group\": 4, \"window_length\": 4096,")))
        #expect(e.location == "block_configs[0].attention.window_length")
        // ...but null values of the newer keys are kept.
        let ok = Self.good.replacingOccurrences("\"n_heads_in_group\": 4,", "\"n_heads_in_group\": 4, \"window_length\": null, \"custom\": 7,")
        let a = try ConfigReader.read(Array(ok.utf8), file: "ok.json")
        #expect(a.layers[0].attentionExtras["custom"] == 7)
        #expect(a.layers[0].attentionExtras["window_length"] == .null)
    }

    @Test func newerSchema() throws {
        let text = """
            {"hidden_size": 4096, "num_attention_heads": 32, "num_hidden_layers": 1, "vocab_size": 1000,
             "block_configs": [{"attention": {"num_key_value_heads": 2, "no_op": false},
                                "ffn": {"intermediate_size": 3000, "no_op": false}}]}
            """
        let a = try ConfigReader.read(Array(text.utf8), file: "m.json")
        #expect(a.layers[0].attention == .gqa(kvHeads: 2))
        #expect(a.layers[0].ffn == .swiGLU(intermediateSize: 3000))
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        precondition(contains(target), "test fixture lacks \(target)")
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
