import Foundation
import Testing

/// End-to-end: the `puzzle inspect` command and the exit-code contract.
@Suite struct InspectCLITests {
    @Test func jsonKeys() throws {
        let r = try CLIRunner.run(["inspect", "llama-3.1-70b", "--format", "json"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["parameters"] as? Int == 70_553_706_496)
        #expect(object["kvHeads"] as? Int == 640)
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(layers.count == 80)
        #expect(layers[0]["attention"] as? String == "gqa:8")
        #expect(layers[0]["ffn"] as? String == "ffn:28672")
        #expect(layers[0]["parameters"] as? Int == 855_654_400)
    }

    @Test func tableAndStdin() throws {
        let config = try String(contentsOf: CLIRunner.repository.appendingPathComponent("configs/models/llama-3.1-8b.json"), encoding: .utf8)
        let r = try CLIRunner.run(["inspect", "-"], stdin: config)
        #expect(r.status == 0)
        #expect(r.stdout.contains("8,030,261,248"))
        #expect(r.stderr.isEmpty)
    }

    @Test(.enabled(if: CLIRunner.sharedAvailable, "../shared is absent: skipping the Nemotron config"))
    func nemotronSuper() throws {
        let r = try CLIRunner.run(["inspect", CLIRunner.sharedFile("data/model-configs/Llama-3_3-Nemotron-Super-49B-v1.config.json"), "--format", "json"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"parameters\": 49867145216"))
    }

    /// Each bad config: exit 65, exactly one line on stderr naming the file and the field, nothing on stdout.
    @Test(arguments: [
        ("{\"hidden_size\": 4096, \"num_attention_heads\": 32", "line "),
        ("{\"num_attention_heads\": 32, \"num_hidden_layers\": 1, \"vocab_size\": 10, \"intermediate_size\": 10}", "hidden_size"),
        ("{\"hidden_size\": 64, \"num_attention_heads\": 8, \"num_hidden_layers\": 1, \"vocab_size\": 10, \"block_configs\": [{\"attention\": {\"n_heads_in_group\": 3}, \"ffn\": {\"ffn_mult\": 1.0}}]}", "block_configs[0].attention.n_heads_in_group"),
        ("{\"hidden_size\": 64, \"num_attention_heads\": 8, \"num_hidden_layers\": 1, \"vocab_size\": 10, \"block_configs\": [{\"attention\": {\"n_heads_in_group\": 2}, \"ffn\": {\"ffn_mult\": -1.0}}]}", "block_configs[0].ffn.ffn_mult"),
        ("{\"hidden_size\": 64, \"num_attention_heads\": 8, \"num_hidden_layers\": 2, \"vocab_size\": 10, \"block_configs\": [{\"attention\": {\"n_heads_in_group\": 2}, \"ffn\": {\"ffn_mult\": 1.0}}]}", "block_configs"),
    ])
    func badConfigs(text: String, field: String) throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("config.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["inspect", file.path])
        #expect(r.status == 65)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(r.stderr.contains(file.path))
        #expect(r.stderr.contains(field))
    }

    @Test func usageErrors() throws {
        #expect(try CLIRunner.run(["inspect"]).status == 64)
        #expect(try CLIRunner.run(["inspect", "llama-3.1-8b", "--format", "xml"]).status == 64)
        #expect(try CLIRunner.run(["inspect", "llama-3.1-8b", "--bogus"]).status == 64)
        #expect(try CLIRunner.run(["frobnicate"]).status == 64)
        #expect(try CLIRunner.run(["inspect", "/nonexistent/config.json"]).status == 65)
        let help = try CLIRunner.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("inspect"))
    }
}
