import ModelArchitecture
import Foundation
import PuzzleCore
import Testing
@testable import BlockLibraries

/// Each bad input gives one DataError naming the file, the layer or line, and the field.
@Suite struct BadInputTests {
    static func native(layers: [String], metrics: String = #"[{"name": "kl_div", "direction": "lower"}]"#, parent: String = "\"llama-3.1-8b\"") -> String {
        #"{"format": "puzzle-block-library", "version": 1, "parent": \#(parent), "metrics": \#(metrics), "layers": [\#(layers.joined(separator: ","))]}"#
    }

    static func layer(_ index: Int, attention: String = #"{"variant": "gqa:8", "scores": {"kl_div": 0}}, {"variant": "noop", "scores": {"kl_div": 0.5}}"#,
        ffn: String = #"{"variant": "ffn:14336", "scores": {"kl_div": 0}}"#) -> String
    {
        #"{"layer": \#(index), "layout": "decoupled", "attention": [\#(attention)], "ffn": [\#(ffn)]}"#
    }

    static func complete(_ replace: Int? = nil, with text: String = "") -> String {
        native(layers: (0..<32).map { $0 == replace ? text : layer($0) })
    }

    @Test func goodBaseline() throws {
        #expect(parseError(Self.complete(), parent: nil) == nil)
    }

    @Test func nanAndInfiniteScores() throws {
        // JSON has no NaN: the parser names the line.
        let nan = Self.complete(3, with: Self.layer(3, ffn: #"{"variant": "ffn:14336", "scores": {"kl_div": NaN}}"#))
        let e1 = parseError(nan, parent: nil)
        #expect(e1?.file == "test.lib")
        #expect(e1?.location.hasPrefix("line 1, column") == true)
        #expect(e1?.message.contains("NaN") == true)
        #expect(e1?.message.hasSuffix("(field \"kl_div\")") == true)
        // A number beyond Double's range would be infinite: the parser refuses it by line and column.
        let inf = Self.complete(3, with: Self.layer(3, ffn: #"{"variant": "ffn:14336", "scores": {"kl_div": 1e999}}"#))
        let e2 = parseError(inf, parent: nil)
        #expect(e2?.location.hasPrefix("line 1, column") == true)
        #expect(e2?.message.contains("out of range") == true)
        // A library built in code with an infinite score fails validation, naming the field.
        var library = try #require(try? parse(Self.complete(), parent: "llama-3.1-8b"))
        if case .decoupled(let a, var f) = library.layers[3].layout {
            f[0].scores["kl_div"] = .infinity
            library.layers[3].layout = .decoupled(attention: a, ffn: f)
        }
        #expect(throws: DataError(file: "x", location: "layer 3.ffn[ffn:14336].scores.kl_div", "expected a finite number, found inf")) {
            try library.validate(file: "x")
        }
        // CSV: nan and inf are read by name and refused by line.
        let e3 = parseError(smallCSV().replacingOccurrences(of: "3,ffn,ffn:7168,kl_div,", with: "3,ffn,ffn:7168,kl_div,nan,"), parent: "llama-3.1-8b")
        #expect(e3?.location == "line 17")  // nan plus the old value: 6 columns
        let e5 = parseError(smallCSV().replacingOccurrences(of: "0,attention,noop,kl_div,0.5", with: "0,attention,noop,kl_div,nan"), parent: "llama-3.1-8b")
        #expect(e5?.location == "line 3: value")
        #expect(e5?.message == "expected a finite number, found \"nan\"")
        let e4 = parseError(smallCSV().replacingOccurrences(of: "0,attention,noop,kl_div,0.5", with: "0,attention,noop,kl_div,-inf"), parent: "llama-3.1-8b")
        #expect(e4?.location == "line 3: value")
    }

    @Test func missingLayer() {
        let text = Self.native(layers: (0..<32).filter { $0 != 17 }.map { Self.layer($0) })
        let e = parseError(text, parent: nil)
        #expect(e?.location == "layer 17")
        #expect(e?.message.contains("missing") == true)
        let csv = parseError(smallCSV(layers: 0..<31), parent: "llama-3.1-8b")
        #expect(csv?.location == "layer 31")
    }

    @Test func layerBeyondParent() {
        let text = Self.native(layers: (0..<33).map { Self.layer($0) })
        let e = parseError(text, parent: nil)
        #expect(e?.location == "layer 32")
        #expect(e?.message.contains("beyond") == true)
        let csv = parseError(smallCSV() + "32,ffn,ffn:7168,kl_div,0.2\n", parent: "llama-3.1-8b")
        #expect(csv?.location == "line 130: layer")
        #expect(csv?.message.contains("32 layers") == true)
    }

    @Test func unknownVariant() {
        let text = Self.complete(5, with: Self.layer(5, attention: #"{"variant": "gqa:8", "scores": {"kl_div": 0}}, {"variant": "sparse", "scores": {"kl_div": 0.5}}"#))
        let e = parseError(text, parent: nil)
        #expect(e?.location == "layer 5.attention[sparse]")
        #expect(e?.message.contains("unknown attention variant") == true)
        let csv = parseError(smallCSV().replacingOccurrences(of: "2,ffn,ffn:7168", with: "2,ffn,half"), parent: "llama-3.1-8b")
        #expect(csv?.location == "line 13: variant")
    }

    @Test func kvHeadsMustDivideQueryHeads() {
        // llama-3.1-8b has 32 query heads: 3 does not divide them.
        let text = Self.complete(4, with: Self.layer(4, attention: #"{"variant": "gqa:8", "scores": {"kl_div": 0}}, {"variant": "gqa:3", "scores": {"kl_div": 0.5}}"#))
        let e = parseError(text, parent: nil)
        #expect(e?.location == "layer 4.attention[gqa:3].attention")
        #expect(e?.message.contains("do not divide") == true)
        let csv = parseError(smallCSV() + "7,attention,num_key_value_heads=5,kl_div,0.3\n", parent: "llama-3.1-8b")
        #expect(csv?.location == "line 130: variant")
        #expect(csv?.message.contains("5 KV heads do not divide") == true)
    }

    @Test func duplicateCandidates() {
        // Same variant spelled twice differently.
        let text = Self.complete(6, with: Self.layer(6, attention: #"{"variant": "gqa:8", "scores": {"kl_div": 0}}, {"variant": "kv8", "scores": {"kl_div": 0.5}}"#))
        let e = parseError(text, parent: nil)
        #expect(e?.location == "layer 6.attention[kv8]")
        #expect(e?.message.contains("duplicate") == true)
        let csv = parseError(smallCSV() + "9,ffn,ffn:7168,kl_div,0.3\n", parent: "llama-3.1-8b")
        #expect(csv?.location == "line 130")
        #expect(csv?.message.contains("already given on line 41") == true)
        let spelled = parseError(smallCSV() + "9,ffn,intermediate_size=7168,kl_div,0.3\n", parent: "llama-3.1-8b")
        #expect(spelled?.message.contains("duplicate candidate") == true)
    }

    @Test func metricMissingFromSomeCandidates() {
        let text = Self.complete(8, with: Self.layer(8, ffn: #"{"variant": "ffn:14336", "scores": {}}"#))
        let e = parseError(text, parent: nil)
        #expect(e?.location == "layer 8.ffn[ffn:14336].scores")
        #expect(e?.message.contains("metric \"kl_div\" missing") == true)
        let csv = parseError(smallCSV(skipMetricAt: 12) + "12,attention,noop,lm_loss,2.5\n", parent: "llama-3.1-8b")
        // layer 0's candidates lack lm_loss: named with the candidate.
        #expect(csv?.location == "layer 0.attention[gqa:8].scores")
        #expect(csv?.message.contains("\"lm_loss\" missing") == true)
    }

    @Test func csvWrongColumnCount() {
        let e = parseError(smallCSV().replacingOccurrences(of: "1,ffn,ffn:7168,kl_div,", with: "1,ffn,ffn:7168,"), parent: "llama-3.1-8b")
        #expect(e?.location == "line 9")
        #expect(e?.message == "expected 5 columns (layer,subblock,variant,metric,value), found 4")
        let header = parseError("layer,variant,value\n0,gqa:8,0\n", format: .csv, parent: "llama-3.1-8b")
        #expect(header?.location == "line 1")
    }

    static var smallCSVText: String { smallCSV() }

    @Test func otherStructuralErrors() {
        #expect(parseError(#"{"format": "puzzle-block-library", "version": 2}"#, parent: nil)?.location == "version")
        #expect(parseError(Self.native(layers: [], parent: "\"llama-9\""), parent: nil)?.location == "parent")
        #expect(parseError(Self.native(layers: [], metrics: #"[{"name": "kl_div", "direction": "up"}]"#), parent: nil)?.location == "metrics[0].direction")
        // What the user must supply is a typed error (the CLI names the option): no parent, a
        // metric without a known direction.
        #expect(throws: LibraryImportError.parentRequired(file: "test.lib", format: "csv")) {
            _ = try BlockLibrary.parse(Array(Self.smallCSVText.utf8), file: "test.lib", format: .csv)
        }
        #expect(throws: LibraryImportError.unknownMetricDirection(file: "test.lib", location: "line 1: metric", metric: "novel_metric")) {
            _ = try BlockLibrary.parse(Array("0,attention,gqa:8,novel_metric,0\n".utf8), file: "test.lib", format: .csv,
                options: ImportOptions(parent: BuiltinModels.architecture("llama-3.1-8b")))
        }
        let mixed = smallCSV() + "3,block,gqa:8+ffn:7168,kl_div,0.1\n"
        #expect(parseError(mixed, parent: "llama-3.1-8b")?.message.contains("decoupled or joint") == true)
        let jsonl = "{\"layer\": 0, \"subblock\": \"ffn\", \"variant\": \"ffn:7168\", \"metric\": \"kl_div\", \"value\": 0.1}\n{\"layer\": 0, \"subblock\": \"ffn\"\n"
        #expect(parseError(jsonl, parent: "llama-3.1-8b")?.location == "line 2")
    }

    @Test func nothingHalfWrittenOnFailure() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("out.json").path
        try "old contents".write(toFile: target, atomically: false, encoding: .utf8)
        let library = DemoLibrary.generate(parent: try #require(BuiltinModels.architecture("llama-3.1-8b")), seed: 3)
        try library.write(to: target)
        #expect(try BlockLibrary.load(target) == library)
        // No temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
        // A write into a missing directory fails without creating anything.
        #expect(throws: WriteError.self) { try library.write(to: dir.appendingPathComponent("missing/out.json").path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
    }
}
