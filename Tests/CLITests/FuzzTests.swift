import Foundation
import Testing
import TestSupport

/// Every command against a generated corpus of malformed inputs (FuzzCorpus): no signal (no Swift
/// trap, no SIGPIPE), no hang, no exit status outside 0/1/64/65, every failure exactly one line of
/// reasonable length starting with `puzzle`, and no `-o` file touched by a failed run.
@Suite struct FuzzTests {
    /// A tiny Llama-shaped parent: every cost-model search over it takes milliseconds.
    static let tinyConfig = """
        {"_name_or_path": "tiny", "architectures": ["LlamaForCausalLM"], "hidden_size": 256, "num_attention_heads": 8,
         "num_key_value_heads": 4, "intermediate_size": 768, "num_hidden_layers": 2, "vocab_size": 1000,
         "hidden_act": "silu", "tie_word_embeddings": false, "rms_norm_eps": 1e-05}
        """

    /// A tiny Qwen3-MoE parent (8 experts, top-2) and a tiny gpt-oss parent (biases, sinks,
    /// alternating sliding/full attention, MXFP4 experts).
    static let tinyMoEConfig = """
        {"_name_or_path": "tiny-moe", "architectures": ["Qwen3MoeForCausalLM"], "hidden_size": 256, "num_attention_heads": 8,
         "num_key_value_heads": 4, "head_dim": 32, "intermediate_size": 512, "moe_intermediate_size": 128, "num_experts": 8,
         "num_experts_per_tok": 2, "decoder_sparse_step": 1, "mlp_only_layers": [], "num_hidden_layers": 2, "vocab_size": 1000,
         "hidden_act": "silu", "tie_word_embeddings": false, "attention_bias": false, "sliding_window": null, "use_sliding_window": false}
        """
    static let tinyGptOssConfig = """
        {"_name_or_path": "tiny-gptoss", "architectures": ["GptOssForCausalLM"], "hidden_size": 256, "num_attention_heads": 8,
         "num_key_value_heads": 4, "head_dim": 32, "intermediate_size": 256, "num_local_experts": 4, "num_experts_per_tok": 2,
         "experts_per_token": 2, "num_hidden_layers": 2, "vocab_size": 1000, "hidden_act": "silu", "tie_word_embeddings": false,
         "attention_bias": true, "sliding_window": 16, "layer_types": ["sliding_attention", "full_attention"],
         "quantization_config": {"quant_method": "mxfp4"}}
        """

    static let problem = """
        {"sense": "minimize",
         "groups": [{"name": "a", "items": [{"name": "x", "value": 0.5, "weights": [10.0, 3.5]}, {"name": "y", "value": 1, "weights": [4, 1]}]},
                    {"name": "b", "items": [{"name": "x", "value": 0.25, "weights": [7, 2]}, {"name": "y", "value": 2, "weights": [1, 1]}]}],
         "rows": [{"name": "memory", "max": 15}, {"name": "runtime", "min": 0, "max": 5}],
         "diversity": {"solutions": 2, "minDifferent": 1}, "timeLimitSeconds": 10}
        """

    static let calibration = """
        model,gpu,precision,tp,isl,osl,total_output_tokens_per_s
        llama-3.1-8b,h100-sxm,fp8,1,128,128,27000
        llama-3.1-8b,h100-sxm,fp8,2,2048,128,4000
        """

    static let csvLibrary = """
        layer,subblock,variant,metric,value
        0,attention,gqa:4,kl_div,0
        0,attention,noop,kl_div,0.5
        0,ffn,ffn:768,kl_div,0
        0,ffn,ffn:256,kl_div,0.2
        1,attention,gqa:4,kl_div,0
        1,attention,gqa:2,kl_div,0.1
        1,ffn,ffn:768,kl_div,0
        1,ffn,noop,kl_div,0.9
        """

    /// Writes the valid base files the corpus mutates.
    static func prepare() throws -> URL {
        let dir = try SharedData.scratch("puzzle-fuzz")
        func write(_ name: String, _ text: String) throws {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("tiny.json", tinyConfig)
        try write("tiny-moe.json", tinyMoEConfig)
        try write("tiny-gptoss.json", tinyGptOssConfig)
        try write("problem.json", problem)
        try write("calibration.csv", calibration)
        try write("lib.csv", csvLibrary)
        let tiny = dir.appendingPathComponent("tiny.json").path
        let lib = dir.appendingPathComponent("lib.json").path
        let steps: [[String]] = [
            ["library", "demo", "--parent", tiny, "-o", lib],
            ["library", "demo", "--parent", dir.appendingPathComponent("tiny-moe.json").path, "-o", dir.appendingPathComponent("lib-moe.json").path],
            ["inspect", dir.appendingPathComponent("tiny-gptoss.json").path],
            ["search", "--library", lib, "--speedup", "1.1", "--quiet", "-o", dir.appendingPathComponent("manifest.json").path],
            ["cost", "--gpu", "h100-sxm", "--show-profile", "-o", dir.appendingPathComponent("gpu.json").path],
        ]
        for args in steps {
            let r = try CLIRunner.run(args)
            guard r.status == 0 else { throw CLIError(message: "preparing \(args): \(r.stderr)") }
        }
        return dir
    }

    struct CLIError: Error { var message: String }

    @Test func malformedInputCorpus() throws {
        let dir = try Self.prepare()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = try FuzzCorpus.cases(files: dir)
        #expect(cases.count >= 1500, Comment(rawValue: "the corpus has \(cases.count) cases"))

        let lock = NSLock()
        nonisolated(unsafe) var failures: [String] = []
        nonisolated(unsafe) var statuses: [Int32: Int] = [:]
        let binary = CLIRunner.binary
        let workers = 4
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: cases.count, by: workers) {
                let c = cases[index]
                let (problem, status) = Self.check(c, binary: binary, directory: dir)
                lock.lock()
                if let problem { failures.append(problem) }
                statuses[status, default: 0] += 1
                lock.unlock()
            }
        }
        print("fuzz corpus: \(cases.count) cases; exit statuses \(statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
        for f in failures.prefix(25) { Issue.record(Comment(rawValue: f)) }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(cases.count) cases failed"))
    }

    /// Runs one case; nil when it behaved, else what went wrong.
    static func check(_ c: FuzzCase, binary: String, directory: URL) -> (String?, Int32) {
        let r: ProcessRunner.Result
        do {
            r = try ProcessRunner.run(binary, c.arguments, stdin: c.stdin, directory: directory, timeoutSeconds: 30)
        } catch {
            return ("\(c.name): could not run: \(error)", -1)
        }
        return (verdict(c, r), r.signaled ? -1000 - r.status : r.status)
    }

    static func verdict(_ c: FuzzCase, _ r: ProcessRunner.Result) -> String? {
        let shown = "\(c.name) [puzzle \(c.arguments.map { String($0.prefix(60)) }.joined(separator: " "))]"
        if r.timedOut { return "\(shown): hung (killed after 30 s)" }
        if r.signaled { return "\(shown): killed by signal \(r.status); stderr: \(r.stderr.prefix(300))" }
        guard [0, 1, 64, 65].contains(r.status) else { return "\(shown): exit \(r.status); stderr: \(r.stderr.prefix(300))" }
        if r.status != 0 {
            let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            guard r.stderr.hasSuffix("\n"), lines.count == 2 else {
                return "\(shown): exit \(r.status) with \(lines.count - 1) stderr lines: \(r.stderr.prefix(300))"
            }
            guard r.stderr.hasPrefix("puzzle"), r.stderr.count <= 700 else {
                return "\(shown): malformed error line (\(r.stderr.count) characters): \(r.stderr.prefix(300))"
            }
            if let output = c.output, (try? String(contentsOfFile: output, encoding: .utf8)) != FuzzCorpus.sentinel {
                return "\(shown): failed (exit \(r.status)) but touched \(output)"
            }
        }
        return nil
    }
}
