import Foundation
import Testing

/// End-to-end through the binary: a puzzletron run directory (Tests/Fixtures/puzzletron/run,
/// hand-made in upstream's schema; README.md there) imported, searched with its measured costs,
/// exported back as puzzletron's solutions.json and sweep CSV.
@Suite(.serialized) struct PuzzletronCLITests {
    static let run = "Tests/Fixtures/puzzletron/run"

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func importValidateShow() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("lib.json").path
        let r = try CLIRunner.run(["library", "import", Self.run, "--from", "puzzletron", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let validate = try CLIRunner.run(["library", "validate", out, "--format", "json"])
        #expect(validate.status == 0, "\(validate.stderr)")
        let v = try #require((try json(validate.stdout) as? [[String: Any]])?.first)
        #expect(v["layers"] as? Int == 4 && v["candidates"] as? Int == 24)
        // Detected without --from; a scenario chosen with --stats-args.
        let show = try CLIRunner.run(["library", "show", Self.run, "--stats-args", "batch_size=64,weights_dtype=torch.bfloat16",
            "--format", "json"])
        #expect(show.status == 0, "\(show.stderr)")
        let s = try #require(try json(show.stdout) as? [String: Any])
        #expect((s["measurement"] as? [String: Any])?["batch_size"] as? Int == 64)
        // Ambiguous scenario: exit 65 naming the file and the choices.
        let bad = try CLIRunner.run(["library", "import", Self.run, "--stats-args", "batch_size=64"])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("subblock_stats.json") && bad.stderr.contains("2 measurement scenarios match"))
        let malformed = try CLIRunner.run(["library", "import", Self.run, "--stats-args", "batch_size"])
        #expect(malformed.status == 64)
        // The old record format has its own name; a directory is not records.
        let records = try CLIRunner.run(["library", "import", Self.run, "--from", "records"])
        #expect(records.status == 65 && records.stderr.contains("directory"))
    }

    /// Search under a memory and a throughput budget with measured costs, export for puzzletron,
    /// and check the file against the run's own MIP solution.
    @Test func searchAndExport() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let solutions = dir.appendingPathComponent("solutions.json").path
        let r = try CLIRunner.run(["search", "--library", Self.run, "--costs", "measured", "--max-memory", "600MiB",
            "--format", "json", "--export-puzzletron", solutions, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try #require(try json(r.stdout) as? [String: Any])
        #expect(manifest["status"] as? String == "optimal")
        #expect((manifest["objective"] as? [String: Any])?["value"] as? Double == 0.04)
        // With measured costs a TPOT budget is searched as puzzletron's request latency (the manifest
        // names it so), and a library file's digest (of its bytes, read with the library) is the
        // same in every manifest.
        let timed = try CLIRunner.run(["search", "--library", Self.run, "--costs", "measured", "--max-latency", "5000ms",
            "--format", "json", "--quiet"])
        #expect(timed.status == 0, "\(timed.stderr)")
        let timedManifest = try #require(try json(timed.stdout) as? [String: Any])
        let timedConstraints = try #require(timedManifest["constraints"] as? [[String: Any]])
        #expect(timedConstraints.map { $0["name"] as? String } == ["latency"])
        #expect((timedManifest["library"] as? [String: Any])?["sha256"] as? String
            == (manifest["library"] as? [String: Any])?["sha256"] as? String)
        #expect(((manifest["costs"] as? [String: Any])?["measurement"] as? [String: Any])?["batch_size"] as? Int == 96)
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        #expect(layers.map { $0["attention"] as? String } == ["gqa:8", "gqa:8", "noop", "gqa:8"])
        let exported = try #require(try json(String(contentsOfFile: solutions, encoding: .utf8)) as? [[String: Any]])
        let upstream = try #require(try json(String(contentsOfFile: CLIRunner.repository.appendingPathComponent(
            Self.run + "/mip/puzzle_solutions/target_memory_600MiB/solutions.json").path, encoding: .utf8)) as? [[String: Any]])
        #expect(exported[0]["solution_repr"] as? String == upstream[0]["solution_repr"] as? String)
        let costs = try #require(exported[0]["total_costs"] as? [String: Double])
        #expect(costs["stats.memory_mib"] == 589.44140625)
        let chosen = try #require(exported[0]["chosen_replacements"] as? [[String: Any]])
        let paths = chosen.compactMap { ($0["layer_replacement"] as? [String: Any])?["weight_paths"] as? [String] }
        #expect(paths.count == 4 && paths[2] == ["/workspace/puzzle_dir/ckpts/teacher/subblocks_safetensors/block_2_ffn.safetensors"])

        // Memory and throughput together; the achieved throughput is puzzletron's formula.
        let both = try CLIRunner.run(["search", "--library", Self.run, "--costs", "measured", "--max-memory", "500MiB",
            "--min-throughput", "45000", "--format", "json", "--quiet"])
        #expect(both.status == 0, "\(both.stderr)")
        let m = try #require(try json(both.stdout) as? [String: Any])
        let constraints = try #require(m["constraints"] as? [[String: Any]])
        #expect(constraints.count == 2 && constraints.allSatisfy { $0["satisfied"] as? Bool == true })
        let runtime = try #require((m["measured"] as? [String: Any])?["runtime_ms"] as? Double)
        let throughput = try #require(constraints.first { $0["name"] as? String == "throughput" }?["achieved"] as? Double)
        #expect(abs(throughput - 1000.0 * 96 * 4096 / (runtime + 2200)) <= 1e-9 * throughput)
        // A file of the run names the run, too.
        let viaFile = try CLIRunner.run(["search", "--library", Self.run + "/subblock_stats.json", "--costs", "measured",
            "--max-memory", "600MiB", "--format", "json", "--quiet"])
        #expect(viaFile.status == 0, "\(viaFile.stderr)")
        #expect(((try json(viaFile.stdout) as? [String: Any])?["objective"] as? [String: Any])?["value"] as? Double == 0.04)
    }

    @Test func measuredErrors() throws {
        // TTFT: prefill runtimes are not measured (null) in the run: bad data, exit 65.
        let ttft = try CLIRunner.run(["search", "--library", Self.run, "--costs", "measured", "--max-ttft", "2s", "--quiet"])
        #expect(ttft.status == 65)
        #expect(ttft.stderr.contains("prefill_runtime_ms"))
        // Speed-up has no measured analogue: a usage error.
        let speedup = try CLIRunner.run(["search", "--library", Self.run, "--costs", "measured", "--speedup", "2", "--quiet"])
        #expect(speedup.status == 64)
        // Memory with measured costs on a library without puzzletron's scenario.
        let demo = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--costs", "measured", "--max-memory", "10GiB", "--quiet"])
        #expect(demo.status == 65 && demo.stderr.contains("puzzletron"))
        // Export of a child puzzletron cannot realize.
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let export = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "--quiet",
            "--export-puzzletron", dir.appendingPathComponent("s.json").path])
        #expect(export.status == 65 && export.stderr.contains("--export-puzzletron"))
        // Infeasible: the search says so, the export is an empty list.
        let empty = dir.appendingPathComponent("empty.json").path
        let infeasible = try CLIRunner.run(["search", "--library", Self.run, "--costs", "measured", "--max-memory", "5MiB",
            "--quiet", "--export-puzzletron", empty])
        #expect(infeasible.status == 0)
        #expect(infeasible.stdout.contains("infeasible"))
        #expect(try String(contentsOfFile: empty, encoding: .utf8) == "[]\n")
    }

    /// A memory frontier (max:memory_mib, whole-model MiB) exported as mip_sweep_results.csv.
    @Test func frontierSweepCSV() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("mip_sweep_results.csv").path
        let r = try CLIRunner.run(["frontier", "--library", Self.run, "--costs", "measured",
            "--sweep", "max:memory_mib=390.877197265625:781.75439453125:3", "--format", "csv", "--export-puzzletron", csv, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let rows = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
        #expect(rows.first == ["compression_rate", "target_memory_mib", "actual_memory_mib", "teacher_memory_mib", "num_params",
            "lm_loss", "token_accuracy_top_1", "token_accuracy_top_5", "token_accuracy_top_10"])
        #expect(rows.count == 4)
        // Teacher memory: 4 x 193.0634765625 + 9.50048828125 MiB; the loosest budget keeps the teacher.
        #expect(rows[1][3] == "781.75439453125")
        #expect(rows[3][0] == "1.0" && rows[3][2] == "781.75439453125" && rows[3][4] == "7211264")
        #expect(rows[1][0] == "0.5" && rows[1][2] == "204.8154296875")
    }
}
