import ModelArchitecture
import Foundation
import PuzzleCore
import Testing
@testable import BlockLibraries

@Suite struct NVlabsImportTests {
    @Test(.enabled(if: Shared.nvlabsLibrary != nil, "skipping: ../shared/data/nvlabs-puzzle-llama-3.3-70b is absent"))
    func importsWithoutLoss() throws {
        let path = try #require(Shared.nvlabsLibrary)
        let library = try BlockLibrary.load(path, format: .auto)
        #expect(library.parent.name == "llama-3.3-70b")
        #expect(library.layers.count == 80)
        #expect(library.metrics == [Metric("kl_div", direction: .lower), Metric("lm_loss", direction: .lower)])
        #expect(library.measurement?.batchSize == 256)
        #expect(library.measurement?.sequenceLength == 1200)
        #expect(library.measurement?.dtype == "fp8")
        #expect(library.measurement?.gpu == "NVIDIA H100 80GB HBM3")

        // Independent reading of the source: its pretty-printed lines, numbers through strtod
        // (`Double(String)`). (Foundation's JSONSerialization on Linux misreads the last digit of
        // some of these numbers, so it cannot serve as the reference.)
        let source = try prettyPrintedNVlabs(path)
        #expect(source.count == 80)
        var compared = 0
        for l in 0..<80 {
            let layer = try #require(library.layer(l))
            #expect(layer.groups.count == 1)
            let candidates = layer.groups[0]
            let sourceLayer = try #require(source["layer_\(l)"])
            #expect(candidates.count == 16)
            #expect(sourceLayer.count == 16)
            for c in candidates {
                let s = try #require(sourceLayer[c.name])
                #expect(c.scores == s["metrics"])
                #expect(c.stats == s["stats"])
                #expect(c.stats.count == 11)
                #expect(c.scores.count == 2)
                // Typed variants agree with the stats.
                let kv = try #require(s["stats"]?["num_kv_heads"])
                let n = try #require(s["stats"]?["ffn_intermediate_size"])
                #expect(c.attention == (kv > 0 ? .gqa(kvHeads: Int(kv)) : .noOp))
                #expect(c.ffn == (n > 0 ? .swiGLU(intermediateSize: Int(n)) : .noOp))
                compared += 1
            }
        }
        #expect(compared == 1280)
        // The file writes no-ops as `no_op`: 8 of 16 variants drop attention, 2 drop the FFN.
        let layer0 = try #require(library.layer(0)).groups[0]
        #expect(layer0.filter { $0.attention == .noOp }.count == 8)
        #expect(layer0.filter { $0.ffn == .noOp }.count == 2)
    }

    /// layer -> variant -> ("stats" | "metrics") -> name -> value, from the file's lines.
    func prettyPrintedNVlabs(_ path: String) throws -> [String: [String: [String: [String: Double]]]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result: [String: [String: [String: [String: Double]]]] = [:]
        var layer = "", variant = "", section = ""
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("\""), let close = line.dropFirst().firstIndex(of: "\"") else { continue }
            let key = String(line[line.index(after: line.startIndex)..<close])
                .replacingOccurrences(of: "\\t", with: "\t")
            let rest = line[line.index(after: close)...].dropFirst().trimmingCharacters(in: .whitespaces)
            if rest == "{" {
                if key.hasPrefix("layer_") { layer = key } else if key == "stats" || key == "metrics" { section = key } else { variant = key }
                continue
            }
            let number = rest.hasSuffix(",") ? String(rest.dropLast()) : rest
            guard let value = Double(number) else { throw DataError(file: path, location: key, "not a number: \(number)") }
            result[layer, default: [:]][variant, default: [:]][section, default: [:]][key] = value
        }
        return result
    }

    @Test(.enabled(if: Shared.nvlabsLibrary != nil, "skipping: ../shared/data/nvlabs-puzzle-llama-3.3-70b is absent"))
    func nativeRoundTripIsIdentical() throws {
        let path = try #require(Shared.nvlabsLibrary)
        let library = try BlockLibrary.load(path)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("native.json").path
        try library.write(to: out)
        let again = try BlockLibrary.load(out)
        #expect(again == library)
        // And writing again gives the same bytes (deterministic).
        #expect(again.nativeJSON == library.nativeJSON)
    }

    @Test(.enabled(if: Shared.nvlabsLibrary != nil, "skipping: ../shared/data/nvlabs-puzzle-llama-3.3-70b is absent"))
    func parentIsGuessedOrGiven() throws {
        let path = try #require(Shared.nvlabsLibrary)
        let given = try BlockLibrary.load(path, format: .nvlabs, options: ImportOptions(parent: BuiltinModels.architecture("llama-3.1-70b")))
        #expect(given.parent.name == "llama-3.1-70b")
        // An 8B parent does not fit 80 layers.
        #expect(throws: DataError.self) {
            try BlockLibrary.load(path, format: .nvlabs, options: ImportOptions(parent: BuiltinModels.architecture("llama-3.1-8b")))
        }
        // Guessing from stats alone (path without a model name): a 70B with 80 layers.
        let bytes = try FileIO.read(path)
        let guessed = try BlockLibrary.parse(bytes, file: "x.json", path: "-", format: .auto)
        #expect(guessed.parent.layers.count == 80)
        #expect(guessed.parent.dimensions.intermediateSize == 28672)
        #expect(guessed.measurement == nil)  // stdin: nothing beside it
    }

    @Test func smallNVlabsLayoutWithLinearAndExactNames() throws {
        let text = """
            {"layer_0": {
              "attention = 8 kv heads (parent * 100%)\\t&&\\tffn = intermediate size 28672 (parent * 100%)": {"metrics": {"kl_div": 0.0}},
              "attention = linear (parent * 0%)\\t&&\\tffn = no_op (parent * 0%)": {"stats": {"num_kv_heads": 0, "ffn_intermediate_size": 0}, "metrics": {"kl_div": 1.5}}
            },
             "layer_1": {
              "attention = 8 kv heads\\t&&\\tffn = intermediate size 28672": {"metrics": {"kl_div": 0.0}}
            }}
            """
        let library = try parse(text, parent: "llama-3.1-70b")
        let c = library.layers[0].groups[0]
        #expect(c[0].attention == .gqa(kvHeads: 8) && c[0].ffn == .swiGLU(intermediateSize: 28672))
        #expect(c[1].attention == .linear && c[1].ffn == .noOp)
        #expect(library.layers.count == 2)
        // Rounded names without stats are refused, naming the variant.
        let rounded = """
            {"layer_0": {"attention = 8 kv heads\\t&&\\tffn = intermediate size 29e3": {"metrics": {"kl_div": 0.0}}}}
            """
        let e = parseError(rounded, complete: false)
        #expect(e?.location.hasPrefix("layer_0.") == true)
        #expect(e?.message.contains("FFN size") == true)
    }
}
