import Foundation
import PuzzleCore
import Testing
import TestSupport

@testable import ModelArchitecture

/// parse -> write the family's child config (DeciLM for Llama, AnyModel otherwise) -> parse is the identity.
@Suite struct RoundTripTests {
    func roundTrip(_ a: Architecture) throws -> Architecture {
        let text = ConfigWriter.childConfigText(a)
        return try ConfigReader.read(Array(text.utf8), file: "<written>", name: a.name)
    }

    @Test(.enabled(if: SharedData.available("data/model-configs"), "../shared/data/model-configs is absent: skipping"),
        arguments: ["Llama-3_3-Nemotron-Super-49B-v1.config.json", "Llama-3_1-Nemotron-Ultra-253B-v1.config.json"])
    func sharedConfigs(file: String) throws {
        let original = try ConfigReader.read(try FileIO.read(SharedData.path("data/model-configs/" + file)), file: file)
        let again = try roundTrip(original)
        // Already DeciLM: everything, globals and extras included, comes back equal.
        #expect(again == original)
        // And the raw top-level fields are exactly the source's.
        let source = try JSONParser.parse(try FileIO.read(SharedData.path("data/model-configs/" + file)))
        let written = try JSONParser.parse(ConfigWriter.decilmConfigText(original))
        for (key, value) in try #require(source.objectValue) where key != "block_configs" {
            #expect(written[key] == value, "global field \(key) changed")
        }
        // Every block entry carries the same keys and values as the source.
        #expect(blockEntries(written) == blockEntries(source))
    }

    private func blockEntries(_ config: JSONValue) -> [[String: [String: JSONValue]]] {
        (config["block_configs"]?.arrayValue ?? []).map { entry in
            var out: [String: [String: JSONValue]] = [:]
            for sub in ["attention", "ffn"] {
                var fields: [String: JSONValue] = [:]
                for (k, v) in entry[sub]?.objectValue ?? JSONObject() { fields[k] = v }
                out[sub] = fields
            }
            return out
        }
    }

    @Test func parentsRoundTripInTheirFamilyFormat() throws {
        for name in BuiltinModels.names {
            let parent = try #require(BuiltinModels.architecture(name))
            let again = try roundTrip(parent)
            #expect(again.hasSameBlocks(as: parent), "\(name)")
            #expect(again.parameters == parent.parameters)
            #expect(again.activeParameters == parent.activeParameters)
            // Global fields survive unchanged except the ones the child formats own.
            let owned = ["architectures", "model_type", "num_hidden_layers", "layer_types", "mlp_only_layers"]
            for (key, value) in parent.config where !owned.contains(key) {
                #expect(again.config[key] == value, "\(name): \(key)")
            }
            // Llama parents become DeciLM; the others keep their own architecture (AnyModel).
            let written = ConfigWriter.childConfig(parent)
            let expected = parent.dimensions.family == .llama ? "DeciLMForCausalLM" : parent.config["architectures"]?.arrayValue?.first?.stringValue
            #expect(written["architectures"]?.arrayValue?.first?.stringValue == expected)
        }
    }

    /// Property: random heterogeneous architectures over every built-in parent survive the trip.
    @Test func randomArchitectures() throws {
        var rng = SplitMix64(seed: 0x5EED)
        for trial in 0..<300 {
            let parent = try #require(BuiltinModels.architecture(BuiltinModels.names[trial % BuiltinModels.names.count]))
            let d = parent.dimensions
            let divisors = (1...d.attentionHeads).filter { d.attentionHeads % $0 == 0 }
            var blocks: [(AttentionVariant, FFNVariant)] = []
            for index in 0..<d.layers {
                var attention: AttentionVariant
                switch rng.next() % 4 {
                case 0: attention = .noOp
                case 1: attention = .linear
                default: attention = .gqa(kvHeads: divisors[Int(rng.next() % UInt64(divisors.count))])
                }
                // gpt-oss may switch any layer between sliding and full; other families keep the
                // parent layer's window.
                if d.family == .gptOss, rng.next() % 2 == 0 {
                    attention = attention.withWindow(d.slidingWindow)
                } else {
                    attention = parent.resolveAttention(attention, layer: index, windowSpelled: false)
                }
                let ffn: FFNVariant
                switch rng.next() % 6 {
                case 0: ffn = .noOp
                case 1: ffn = .linear
                case 2: ffn = .swiGLU(intermediateSize: Int(1 + rng.next() % 20_000))  // arbitrary sizes too
                case 3:
                    if let moe = d.moe {
                        let e = Int(1 + rng.next() % UInt64(moe.experts))
                        ffn = .moe(experts: e, topK: Int(1 + rng.next() % UInt64(e)))
                    } else {
                        ffn = .swiGLU(intermediateSize: 128 * Int(1 + rng.next() % 500))
                    }
                default: ffn = .swiGLU(intermediateSize: 256 * Int(1 + rng.next() % 250))
                }
                blocks.append((attention, ffn))
            }
            let child = parent.replacingLayers(blocks, name: "random-\(trial)")
            let again = try roundTrip(child)
            #expect(again.hasSameBlocks(as: child), "trial \(trial)")
            #expect(again.parameters == child.parameters)
            #expect(again.activeParameters == child.activeParameters)
        }
    }
}

/// A small seedable generator (Swift's default RNG is not seedable).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
