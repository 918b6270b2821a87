import Foundation
import Testing

/// End-to-end for the non-Llama families (issues 12 and 14): demo searches exported as their
/// family's AnyModel config, re-read by `inspect` with identical counts and re-costed by `cost`
/// with identical predictions.
@Suite(.serialized) struct FamilyCLITests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// (library, budget flags, scenario, whether some layer must keep fewer experts)
    @Test(arguments: [
        ("demo:qwen3-32b", ["--max-latency", "14ms"], "128/1024", false),
        ("demo:mistral-7b", ["--speedup", "1.4"], "2048/2048", false),
        ("demo:qwen3-30b-a3b", ["--speedup", "1.5"], "128/1024", true),
        ("demo:mixtral-8x7b", ["--tp", "1", "--max-memory", "40GiB"], "128/1024", true),
    ])
    func searchExportInspectCost(library: String, budget: [String], scenario: String, fewerExperts: Bool) throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifestPath = dir.appendingPathComponent("child.json").path
        let configPath = dir.appendingPathComponent("config.json").path
        let r = try CLIRunner.run(["search", "--library", library, "--gpu", "h100-sxm", "--dtype", "fp8", "--scenario", scenario]
            + budget + ["--format", "json", "-o", manifestPath, "--export", configPath])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try json(r.stdout)
        #expect(manifest["status"] as? String == "optimal")
        #expect((manifest["solver"] as? [String: Any])?["gap"] as? Double == 0)
        let constraints = try #require(manifest["constraints"] as? [[String: Any]])
        #expect(constraints.allSatisfy { $0["satisfied"] as? Bool == true })
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        let parent = try #require(manifest["parent"] as? [String: Any])
        if fewerExperts {
            let parentExperts = try json(try CLIRunner.run(["inspect", String(library.dropFirst(5)), "--format", "json"]).stdout)
            let full = try #require((parentExperts["dimensions"] as? [String: Any])?["experts"] as? Int)
            #expect(layers.contains { ($0["experts"] as? Int ?? full) < full }, "no layer keeps fewer than \(full) experts")
            #expect((manifest["activeParameters"] as? Int ?? 0) < (manifest["parameters"] as? Int ?? 0))
        }
        #expect(parent["family"] as? String != "llama")

        // The export is the family's own config (AnyModel), not DeciLM.
        let config = try json(try String(contentsOfFile: configPath, encoding: .utf8))
        let architectures = try #require(config["architectures"] as? [String])
        #expect(architectures.first != "DeciLMForCausalLM")
        #expect((config["block_configs"] as? [Any])?.count == layers.count)

        // inspect: the same total and active parameters and KV heads, from the config and the manifest.
        for path in [configPath, manifestPath] {
            let inspected = try json(try CLIRunner.run(["inspect", path, "--format", "json"]).stdout)
            #expect(inspected["parameters"] as? Int == manifest["parameters"] as? Int)
            #expect(inspected["activeParameters"] as? Int == manifest["activeParameters"] as? Int)
            #expect(inspected["kvHeads"] as? Int == manifest["kvHeads"] as? Int)
        }

        // cost at the search's TP and batch: the same throughput, TPOT and memory.
        let predicted = try #require((manifest["predicted"] as? [[String: Any]])?.first)
        let tp = try #require(predicted["tp"] as? Int)
        let batch = try #require(predicted["batchSize"] as? Int)
        let cost = try CLIRunner.run(["cost", configPath, "--gpu", "h100-sxm", "--dtype", "fp8", "--scenario", scenario,
            "--tp", String(tp), "--batch", String(batch), "--format", "json"])
        #expect(cost.status == 0, "\(cost.stderr)")
        let costed = try json(cost.stdout)
        for key in ["throughputPerGPU", "tpotSeconds", "ttftSeconds"] {
            let a = try #require(costed[key] as? Double)
            let b = try #require(predicted[key] as? Double)
            #expect(abs(a - b) <= 1e-9 * b, "\(key): cost \(a), search \(b)")
        }
    }

    @Test func libraryInitAndDemoPerFamily() throws {
        let initRun = try CLIRunner.run(["library", "init", "--parent", "qwen3-32b"])
        #expect(initRun.status == 0, "\(initRun.stderr)")
        let space = try json(initRun.stdout)
        let first = try #require((space["layers"] as? [[String: Any]])?.first)
        let ffn = try #require(first["ffn"] as? [[String: Any]]).compactMap { $0["variant"] as? String }
        #expect(ffn == ["ffn:25600", "ffn:22272", "ffn:19200", "ffn:12800", "ffn:6400", "ffn:5120", "ffn:2560", "linear", "noop"])
        let demo = try CLIRunner.run(["library", "demo", "--parent", "mistral-7b"])
        #expect(demo.status == 0)
        let attention = try #require((try json(demo.stdout)["layers"] as? [[String: Any]])?.first?["attention"] as? [[String: Any]])
        #expect(attention.first?["variant"] as? String == "gqa:8/w4096")
        // --ffn on a MoE parent: percentages keep experts; a window the model does not have is refused.
        let moe = try CLIRunner.run(["library", "init", "--parent", "mixtral-8x7b", "--ffn", "75%,moe:2/top1,ffn:4096"])
        #expect(moe.status == 0, "\(moe.stderr)")
        let moeFFN = try #require((try json(moe.stdout)["layers"] as? [[String: Any]])?.first?["ffn"] as? [[String: Any]])
        #expect(moeFFN.compactMap { $0["variant"] as? String } == ["moe:6/top2", "moe:2/top1", "ffn:4096"])
        let bad = try CLIRunner.run(["library", "init", "--parent", "qwen3-32b", "--attention", "gqa:4/w128"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("no sliding window"))
    }

    @Test func exportDeciLMIsForLlamaOnly() throws {
        let r = try CLIRunner.run(["search", "--library", "demo:mistral-7b", "--speedup", "1.1", "--export-decilm", "/dev/null"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--export"))
    }

    @Test func maxActiveParams() throws {
        let r = try CLIRunner.run(["search", "--library", "demo:qwen3-30b-a3b", "--costs", "measured", "--max-active-params", "3B",
            "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try json(r.stdout)
        #expect(manifest["status"] as? String == "optimal")
        let active = try #require(manifest["activeParameters"] as? Int)
        #expect(active <= 3_000_000_000)
        let constraint = try #require((manifest["constraints"] as? [[String: Any]])?.first)
        #expect(constraint["name"] as? String == "activeParameters")
        #expect(constraint["achieved"] as? Double == Double(active))
        let noUnit = try CLIRunner.run(["search", "--library", "demo:qwen3-30b-a3b", "--max-active-params", "3"])
        #expect(noUnit.status == 64)
    }
}
