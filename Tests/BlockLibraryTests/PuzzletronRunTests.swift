import ModelArchitecture
import Foundation
import PuzzleCore
import Testing

@testable import BlockLibraries

/// The hand-made puzzletron run in Tests/Fixtures/puzzletron/run (see its README.md: which
/// upstream function writes each file). Expected values are derived by hand from upstream's
/// formulas: the tiny Llama of upstream's GPU tests (hidden 256, 32 heads, 8 KV heads, head dim 8,
/// FFN 512, vocabulary 9728, 4 layers).
enum PuzzletronFixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let run = repository.appendingPathComponent("Tests/Fixtures/puzzletron/run").path

    /// A copy of the run in a scratch directory, for tests that break a file.
    static func copy() throws -> URL {
        let target = temporaryDirectory().appendingPathComponent("run")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: run), to: target)
        return target
    }

    // Hand-derived costs (calc_subblock_params_and_memory.py): parameters per subblock with its norm.
    static let attentionParams = 256 * 256 * 2 + 256 * 64 * 2 + 256  // q, o: 256x256; k, v: 256x64; norm
    static let ffnParams = 3 * 256 * 512 + 256
    static let nonBlockParams = 9728 * 256 * 2 + 256
    /// KV cache of one attention layer at batch 96, 4096 + 4096 tokens, bf16: tokens x 2 x 8 heads x 8 dims x 2 bytes.
    static let kvCacheMiB = Double(8192 * 96 * 2 * 8 * 8 * 2) / 1_048_576
}

@Suite struct PuzzletronRunTests {
    func load(_ path: String = PuzzletronFixture.run, options: ImportOptions = ImportOptions()) throws -> BlockLibrary {
        try BlockLibrary.load(path, options: options)
    }

    func error(_ body: () throws -> Void) -> DataError? {
        do { try body(); return nil } catch let e as DataError { return e } catch { return nil }
    }

    func importError(_ body: () throws -> Void) -> LibraryImportError? {
        do { try body(); return nil } catch let e as LibraryImportError { return e } catch { return nil }
    }

    @Test func importsTheRun() throws {
        let library = try load()
        // The parent: the teacher checkpoint's config.
        #expect(library.parent.layers.count == 4)
        #expect(library.parent.dimensions.hiddenSize == 256)
        #expect(library.parent.parameters == 4 * (PuzzletronFixture.attentionParams + PuzzletronFixture.ffnParams) + PuzzletronFixture.nonBlockParams)
        #expect(library.parent.parameters == 7_211_264)
        // Joint layers, the teacher block first, then the 5 scored replacements.
        #expect(library.layers.count == 4)
        for layer in library.layers {
            guard case .joint(let c) = layer.layout else { Issue.record("layer \(layer.index) is not joint"); continue }
            #expect(c.map(\.name) == ["attention kv_heads_8 ffn intermediate_512", "attention kv_heads_8 ffn intermediate_256",
                "attention kv_heads_8 ffn no_op", "attention no_op ffn intermediate_512", "attention no_op ffn intermediate_256",
                "attention no_op ffn no_op"])
            #expect(c[0].attention == .gqa(kvHeads: 8) && c[0].ffn == .swiGLU(intermediateSize: 512))
            #expect(c[5].attention == .noOp && c[5].ffn == .noOp)
        }
        // Metrics: upstream's names; the run's MIP objective first.
        #expect(library.metrics.count == 21)
        #expect(library.metrics.first == Metric("cosine_embedding_loss_hidden_states", direction: .lower))
        #expect(library.metric(named: "lm_loss")?.direction == .lower)
        #expect(library.metric(named: "token_accuracy_top_10")?.direction == .higher)
        #expect(library.metric(named: "greedy_teacher_prediction_in_student_top_1")?.direction == .higher)
        #expect(library.metric(named: "tv_dist")?.direction == .lower)
        #expect(library.metric(named: "kl_div--top_p_None--clip_epsilon_NO_CLIP--epsilon_factor_None")?.direction == .lower)
        // Scores: the replacement's avg; the teacher's from teacher.json, 0 where it has none.
        let l0 = try #require(library.layer(0)?.allCandidates)
        #expect(l0[5].scores["cosine_embedding_loss_hidden_states"] == 0.76)  // 0.30 + 0.40 + 0.5 x 0.30 x 0.40
        #expect(l0[0].scores["cosine_embedding_loss_hidden_states"] == 0)
        #expect(l0[0].scores["lm_loss"] == 4.830112)
        #expect(l0[0].scores["kl_div"] == 0)
        let l2 = try #require(library.layer(2)?.allCandidates)
        #expect(l2[3].scores["cosine_embedding_loss_hidden_states"] == 0.04)
        #expect(l2[3].scores["lm_loss"] == 4.930112)  // 4.830112 + 2.5 x 0.04
    }

    /// Stats as run_puzzle._get_block_stats adds them, in the scenario the run's MIP used
    /// (batch 96, bf16), checked against hand-derived values and upstream's own regression figures.
    @Test func measuredCosts() throws {
        let library = try load()
        let m = try #require(library.measurement)
        #expect(m.batchSize == 96 && m.prefillLength == 4096 && m.generationLength == 4096)
        #expect(m.gpu == "NVIDIA H100 80GB HBM3" && m.dtype == "bf16")
        let costs = try #require(m.puzzletron)
        #expect(costs.batchSize == 96 && costs.generationLength == 4096)
        #expect(costs.nonBlock["runtime_ms"] == 2200)
        #expect(costs.nonBlock["num_params"] == Double(PuzzletronFixture.nonBlockParams))
        #expect(costs.nonBlock["memory_mib"] == Double(PuzzletronFixture.nonBlockParams * 2) / 1_048_576)
        #expect(costs.args["kv_cache_dtype"] == "torch.bfloat16")

        let teacher = try #require(library.layer(1)?.allCandidates.first)
        let attentionMiB = PuzzletronFixture.kvCacheMiB + Double(PuzzletronFixture.attentionParams * 2) / 1_048_576
        let ffnMiB = Double(PuzzletronFixture.ffnParams * 2) / 1_048_576
        #expect(PuzzletronFixture.kvCacheMiB == 192)
        #expect(teacher.stats["memory_mib"] == attentionMiB + ffnMiB)
        #expect(teacher.stats["attention_memory_mib"] == attentionMiB)
        #expect(teacher.stats["ffn_memory_mib"] == ffnMiB)
        #expect(teacher.stats["kv_cache_memory_mib"] == 192)
        #expect(teacher.stats["num_params"] == Double(PuzzletronFixture.attentionParams + PuzzletronFixture.ffnParams))
        #expect(teacher.stats["runtime_ms"] == 1450 + 610.5)
        #expect(teacher.stats["num_kv_heads"] == 8 && teacher.stats["has_attention"] == 1 && teacher.stats["has_ffn"] == 1)
        #expect(teacher.stats["prefill_runtime_ms"] == nil)  // null upstream: not measured
        #expect(teacher.stats["parent_layer_index"] == nil)  // an index, not a cost
        let noop = try #require(library.layer(1)?.allCandidates.last)
        #expect(noop.stats["memory_mib"] == 0 && noop.stats["runtime_ms"] == 0 && noop.stats["not_no_op"] == 0)
        #expect(noop.stats["num_kv_heads"] == 0 && noop.stats["has_attention"] == 0)

        // Upstream's regression figures for this model with 2 layers (test_puzzletron.py:
        // EXPECTED_TEACHER_MEMORY_MIB 395.63, EXPECTED_TEACHER_NUM_PARAMS 6,096,128).
        let twoLayerMemory = 2 * (teacher.stats["memory_mib"] ?? 0) + (costs.nonBlock["memory_mib"] ?? 0)
        #expect(abs(twoLayerMemory - 395.63) < 0.005)
        #expect(2 * (teacher.stats["num_params"] ?? 0) + (costs.nonBlock["num_params"] ?? 0) == 6_096_128)
    }

    @Test func scenarioSelection() throws {
        // Explicit: batch 64 in int8 weights (runtimes not measured there, as upstream).
        let int8 = try load(options: ImportOptions(statsArgs: [("batch_size", "64"), ("weights_dtype", "torch.int8")]))
        #expect(int8.measurement?.batchSize == 64 && int8.measurement?.dtype == "int8")
        let teacher = try #require(int8.layer(0)?.allCandidates.first)
        #expect(teacher.stats["runtime_ms"] == nil)
        let kv64 = Double(8192 * 64 * 2 * 8 * 8 * 2) / 1_048_576  // KV cache stays bf16
        #expect(teacher.stats["memory_mib"] == kv64 + Double(PuzzletronFixture.attentionParams + PuzzletronFixture.ffnParams) / 1_048_576)
        #expect(int8.measurement?.puzzletron?.unmeasuredNonBlock == ["runtime_ms"])
        // Ambiguous: two scenarios have batch 64.
        let e = error { _ = try load(options: ImportOptions(statsArgs: [("batch_size", "64")])) }
        #expect(e?.file.hasSuffix("subblock_stats.json") == true)
        #expect(e?.message.contains("2 measurement scenarios match batch_size=64") == true)
        #expect(e?.message.contains("weights_dtype=torch.int8") == true)
        // None.
        let none = error { _ = try load(options: ImportOptions(statsArgs: [("batch_size", "7")])) }
        #expect(none?.message.contains("no measurement scenario matches batch_size=7") == true)
        // Without the MIP's solutions.json, four scenarios and no choice: an error listing them.
        let dir = try PuzzletronFixture.copy()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("mip"))
        let unchosen = error { _ = try load(dir.path) }
        #expect(unchosen?.message.contains("has 4 measurement scenarios; choose one") == true)
        #expect(try load(dir.path, options: ImportOptions(statsArgs: [("batch_size", "96"), ("weights_dtype", "torch.bfloat16")]))
            .measurement?.batchSize == 96)
        // Without the MIP, the upstream examples' objective comes first anyway.
        #expect(try load(dir.path, options: ImportOptions(statsArgs: [("batch_size", "96"), ("weights_dtype", "torch.bfloat16")]))
            .metrics.first?.name == "cosine_embedding_loss_hidden_states")
    }

    /// Native JSON written and read back is the same library; a file of the run names the run.
    @Test func roundTripAndPaths() throws {
        let library = try load()
        let reread = try BlockLibrary.parse(Array(library.nativeJSON.utf8), file: "native.json")
        #expect(reread.nativeJSON == library.nativeJSON)
        #expect(reread.layers == library.layers && reread.metrics == library.metrics && reread.measurement == library.measurement)
        #expect(reread.parent.hasSameBlocks(as: library.parent))
        let viaFile = try load(PuzzletronFixture.run + "/replacement_library.json")
        #expect(viaFile.nativeJSON == library.nativeJSON)
        #expect(LibraryFormat.detect(Array(try FileIO.read(PuzzletronFixture.run + "/replacement_library.json"))) == .puzzletron)
        #expect(LibraryFormat.detect(Array(try FileIO.read(PuzzletronFixture.run + "/subblock_stats.json"))) == .puzzletron)
        // The digest covers every file read: stable, and it moves when a score moves.
        let a = try BlockLibrary.loadWithDigest(PuzzletronFixture.run)
        let b = try BlockLibrary.loadWithDigest(PuzzletronFixture.run)
        #expect(a.sha256 == b.sha256 && a.sha256.count == 64)
        let dir = try PuzzletronFixture.copy()
        let teacherFile = dir.appendingPathComponent("single_sequence_replacement_solutions--validation/teacher.json")
        let text = try String(contentsOf: teacherFile, encoding: .utf8).replacingOccurrences(of: "4.830112", with: "4.830113")
        try text.write(to: teacherFile, atomically: true, encoding: .utf8)
        #expect(try BlockLibrary.loadWithDigest(dir.path).sha256 != a.sha256)
        // A directory that is not a run.
        let empty = temporaryDirectory()
        #expect(error { _ = try load(empty.path) }?.message.contains("is not a puzzletron run directory") == true)
        // A parent given on the command line must agree with the teacher.
        let wrong = error { _ = try load(options: ImportOptions(parent: BuiltinModels.architecture("llama-3.1-8b"))) }
        #expect(wrong?.location == "block_configs")
    }

    /// Without the teacher's config the parent comes from the caller.
    @Test func parentFromCaller() throws {
        let dir = try PuzzletronFixture.copy()
        let config = dir.appendingPathComponent("ckpts/teacher/config.json")
        let bytes = try FileIO.read(config.path)
        try FileManager.default.removeItem(at: config)
        #expect(importError { _ = try load(dir.path) } == .parentRequired(file: "\(dir.path) (no ckpts/teacher/config.json)", format: "puzzletron"))
        let parent = try ConfigReader.read(bytes, file: "config.json", name: "tiny")
        let library = try load(dir.path, options: ImportOptions(parent: parent))
        #expect(library.parent.name == "tiny")
        #expect(library.candidateCount == 24)
    }

    /// Each broken file is named with its field, and files from other versions say so.
    @Test func errorsNameFileAndField() throws {
        func broken(_ relative: String, _ change: (String) -> String, options: ImportOptions = ImportOptions()) throws -> DataError? {
            let dir = try PuzzletronFixture.copy()
            let url = dir.appendingPathComponent(relative)
            let text = try String(contentsOf: url, encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "the edit of \(relative) changed nothing")
            try changed.write(to: url, atomically: true, encoding: .utf8)
            return error { _ = try load(dir.path, options: options) }
        }
        let validation = "single_sequence_replacement_solutions--validation"

        // subblock_stats.json from another version: not a list; args without a version marker.
        var e = try broken("subblock_stats.json") { "{\"scenarios\": \($0)}" }
        #expect(e?.file.hasSuffix("subblock_stats.json") == true)
        #expect(e?.message.contains("version this reader does not read") == true)
        e = try broken("subblock_stats.json") { $0.replacingOccurrences(of: "\"runtime_stats\"", with: "\"measure_runtime\"") }
        #expect(e?.location == "[0].args" && e?.message.contains("runtime_stats") == true)
        // The 2026-04 version (is_calc_runtime, benchmark_iterations) is read.
        let older = try broken("subblock_stats.json") {
            $0.replacingOccurrences(of: "\"runtime_stats\": true", with: "\"is_calc_runtime\": false, \"benchmark_iterations\": null")
                .replacingOccurrences(of: "\"runtime_stats\": false", with: "\"is_calc_runtime\": false, \"benchmark_iterations\": null")
        }
        #expect(older == nil)
        // A negative memory, a string where a number belongs.
        e = try broken("subblock_stats.json") { $0.replacingOccurrences(of: "\"memory_mib\": 0.75048828125", with: "\"memory_mib\": -0.75") }
        #expect(e?.message.contains("non-negative") == true && e?.location.hasSuffix("memory_mib") == true)
        e = try broken("subblock_stats.json") { $0.replacingOccurrences(of: "\"num_params\": 393472", with: "\"num_params\": \"393472\"") }
        #expect(e?.location.hasSuffix("num_params") == true)
        // DeciLM-era and unknown block-config fields; MoE.
        e = try broken("\(validation)/solution_0.json") { $0.replacingOccurrences(of: "\"num_key_value_heads\": 8", with: "\"n_heads_in_group\": 4") }
        #expect(e?.file.hasSuffix("solution_0.json") == true)
        #expect(e?.location.hasSuffix("attention.n_heads_in_group") == true)
        #expect(e?.message.contains("DeciLM-era") == true)
        e = try broken("replacement_library.json") { $0.replacingOccurrences(of: "\"parallel_blocks\": null", with: "\"parallel_blocks\": null, \"foo\": 1") }
        #expect(e?.location.hasSuffix(".foo") == true && e?.message.contains("unknown BlockConfig field") == true)
        e = try broken("\(validation)/solution_0.json") { $0.replacingOccurrences(of: "\"moe\": null", with: "\"moe\": {\"num_local_experts\": 8}") }
        #expect(e?.message.contains("mixture-of-experts") == true)
        // A layer beyond the parent; KV heads that do not divide the query heads.
        e = try broken("\(validation)/solution_0.json") { $0.replacingOccurrences(of: "\"parent_layer_indices\": [\n        0\n      ]", with: "\"parent_layer_indices\": [\n        7\n      ]") }
        #expect(e?.message.contains("beyond the parent") == true)
        e = try broken("\(validation)/solution_1.json") { $0.replacingOccurrences(of: "\"num_key_value_heads\": 8", with: "\"num_key_value_heads\": 5") }
        #expect(e?.message.contains("do not divide") == true)
        // A NaN score (Python's json writes NaN): the JSON error names the member.
        e = try broken("\(validation)/solution_2.json") { $0.replacingOccurrences(of: "\"avg\": ", with: "\"avg\": NaN, \"x\": ") }
        #expect(e?.message.contains("(field \"avg\")") == true)
        // The old single-block scoring layout.
        e = try broken("\(validation)/solution_3.json") { $0.replacingOccurrences(of: "\"single_sequence_replacement\"", with: "\"single_block_replacement\"") }
        #expect(e?.message.contains("single-block scoring layout") == true)
        // A metric whose direction nobody knows, unless the caller says.
        let wibble = try PuzzletronFixture.copy()
        let url0 = wibble.appendingPathComponent("\(validation)/solution_0.json")
        try String(contentsOf: url0, encoding: .utf8).replacingOccurrences(of: "\"lm_loss\"", with: "\"wibble\": {\"avg\": 1}, \"lm_loss\"")
            .write(to: url0, atomically: true, encoding: .utf8)
        #expect(importError { _ = try load(wibble.path) }
            == .unknownMetricDirection(file: wibble.appendingPathComponent(validation).path, location: "metrics", metric: "wibble"))
        // Given a direction, the import goes on (and stops at the candidates that lack the metric).
        #expect(error { _ = try load(wibble.path, options: ImportOptions(directions: ["wibble": .lower])) }?
            .message.contains("metric \"wibble\" missing") == true)
        // A missing teacher.json names it.
        let dir = try PuzzletronFixture.copy()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("\(validation)/teacher.json"))
        #expect(error { _ = try load(dir.path) }?.file.hasSuffix("teacher.json") == true)
    }

    /// A score every other candidate lacks is a validation error naming the candidate.
    @Test func incompleteScores() throws {
        let dir = try PuzzletronFixture.copy()
        let url = dir.appendingPathComponent("single_sequence_replacement_solutions--validation/solution_0.json")
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "\"lm_loss\"", with: "\"perplexity_delta\": {\"avg\": 1}, \"lm_loss\"")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let e = error { _ = try load(dir.path) }
        #expect(e?.message.contains("metric \"perplexity_delta\" missing") == true)
    }
}
