import Foundation
import PuzzleCore
import Testing

/// End-to-end: search, export, inspect, cost, compare, frontier, plot through the binary.
@Suite(.serialized) struct SearchCLITests {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// The 51B-style and 40B-style demo children, exported as DeciLM configs, re-read by
    /// `inspect` and costed by `cost`, agree with what the search predicted.
    @Test(arguments: [("51b", "2.2"), ("40b", "3.2")])
    func demoChildRoundTrip(name: String, speedup: String) throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifestPath = dir.appendingPathComponent("child.json").path
        let configPath = dir.appendingPathComponent("config.json").path
        let r = try CLIRunner.run(["search", "--library", "demo", "--gpu", "h100-sxm", "--dtype", "fp8", "--scenario", "128/1024",
            "--speedup", speedup, "--format", "json", "-o", manifestPath, "--export-decilm", configPath])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try #require(try json(r.stdout) as? [String: Any])
        #expect(manifest["status"] as? String == "optimal")
        #expect(manifest["kind"] as? String == "puzzle-manifest")
        let predicted = try #require((manifest["predicted"] as? [[String: Any]])?.first)
        let speedupAchieved = try #require(predicted["speedup"] as? Double)
        #expect(speedupAchieved >= Double(speedup)! * (1 - 1e-9))
        let constraints = try #require(manifest["constraints"] as? [[String: Any]])
        #expect(constraints.allSatisfy { $0["satisfied"] as? Bool == true })
        let solver = try #require(manifest["solver"] as? [String: Any])
        #expect(solver["gap"] as? Double == 0)
        let library = try #require(manifest["library"] as? [String: Any])
        #expect((library["sha256"] as? String)?.count == 64)
        // Of the generated native JSON (docs/formats.md), which the search now writes and hashes
        // only for the manifest: the same bytes `puzzle library demo` prints.
        let native = try CLIRunner.run(["library", "demo"])
        #expect(native.status == 0, "\(native.stderr)")
        #expect(library["sha256"] as? String == SHA256.hex(Array(native.stdout.utf8)))
        #expect(library["synthetic"] as? Bool == true)
        // The file written with -o is the same manifest.
        let written = try String(contentsOfFile: manifestPath, encoding: .utf8)
        #expect(written == r.stdout)

        // inspect: the exported config has the manifest's parameters and KV heads.
        let inspect = try CLIRunner.run(["inspect", configPath, "--format", "json"])
        #expect(inspect.status == 0)
        let inspected = try #require(try json(inspect.stdout) as? [String: Any])
        #expect(inspected["parameters"] as? Int == manifest["parameters"] as? Int)
        #expect(inspected["kvHeads"] as? Int == manifest["kvHeads"] as? Int)
        // The manifest itself is a MODEL too.
        let inspectManifest = try CLIRunner.run(["inspect", manifestPath, "--format", "json"])
        #expect((try json(inspectManifest.stdout) as? [String: Any])?["parameters"] as? Int == manifest["parameters"] as? Int)

        // cost at the search's TP and batch predicts exactly what the search did.
        let tp = try #require(predicted["tp"] as? Int)
        let batch = try #require(predicted["batchSize"] as? Int)
        let cost = try CLIRunner.run(["cost", configPath, "--gpu", "h100-sxm", "--dtype", "fp8", "--scenario", "128/1024",
            "--tp", String(tp), "--batch", String(batch), "--format", "json"])
        #expect(cost.status == 0, "\(cost.stderr)")
        let costed = try #require(try json(cost.stdout) as? [String: Any])
        let a = try #require(costed["throughputPerGPU"] as? Double)
        let b = try #require(predicted["throughputPerGPU"] as? Double)
        #expect(abs(a - b) <= 1e-9 * b)
        #expect(abs((costed["tpotSeconds"] as? Double ?? 0) - (predicted["tpotSeconds"] as? Double ?? 1)) <= 1e-9)
    }

    @Test func infeasibleBudget() throws {
        let r = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "500", "--format", "json"])
        #expect(r.status == 0)
        let manifest = try #require(try json(r.stdout) as? [String: Any])
        #expect(manifest["status"] as? String == "infeasible")
        let inf = try #require(manifest["infeasible"] as? [String: Any])
        #expect(inf["constraint"] as? String == "speedup")
        let best = try #require(inf["bestAchievable"] as? Double)
        #expect(best > 1 && best < 500)
        let table = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "500"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("cannot be met"))
    }

    @Test(.enabled(if: CLIRunner.sharedAvailable, "../shared absent: skipping the NVlabs search"))
    func nvlabsMeasured() throws {
        let r = try CLIRunner.run(["search", "--library", CLIRunner.sharedFile("data/nvlabs-puzzle-llama-3.3-70b/block_library.json"),
            "--costs", "measured", "--objective", "kl_div", "--max", "memory_mib=80000", "--max", "runtime_ms=51200", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try #require(try json(r.stdout) as? [String: Any])
        #expect(manifest["status"] as? String == "optimal")
        let objective = try #require((manifest["objective"] as? [String: Any])?["value"] as? Double)
        #expect(abs(objective - 6.8615) < 5e-5)
        let measured = try #require(manifest["measured"] as? [String: Double])
        #expect(measured["memory_mib"]! <= 80_000 && measured["runtime_ms"]! <= 51_200)
    }

    @Test func frontierAndCompareAndPlot() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("frontier.svg").path
        let f = try CLIRunner.run(["frontier", "--library", "demo:llama-3.1-8b", "--sweep", "speedup=1.0:2.0:5", "--format", "csv",
            "--svg", svg])
        #expect(f.status == 0, "\(f.stderr)")
        let lines = f.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[0] == "budget,status,objective,throughputPerGPU,speedup,parameters,kvHeads,batch,tp,throughputPerGPULow,throughputPerGPUHigh")
        // Each point's band brackets its prediction.
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if let x = Double(f[3]), let low = Double(f[9]), let high = Double(f[10]) { #expect(low < x && x < high) }
        }
        // Objectives worsen (never improve) as the speed-up target grows.
        let objectives = lines.dropFirst().compactMap { Double($0.split(separator: ",")[2]) }
        #expect(objectives.count == 5)
        #expect(zip(objectives, objectives.dropFirst()).allSatisfy { $0 <= $1 + 1e-12 })
        let svgText = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(svgText.hasPrefix("<?xml") && svgText.contains("parent") && svgText.contains("</svg>"))

        let manifest = dir.appendingPathComponent("m.json").path
        let s = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "-o", manifest, "--quiet"])
        #expect(s.status == 0, "\(s.stderr)")
        let c = try CLIRunner.run(["compare", "llama-3.1-8b", manifest, "--format", "json"])
        #expect(c.status == 0, "\(c.stderr)")
        let compared = try #require(try json(c.stdout) as? [String: Any])
        let models = try #require(compared["models"] as? [[String: Any]])
        #expect(models.count == 2)
        #expect(models[0]["parameters"] as? Int == 8_030_261_248)
        #expect((compared["differences"] as? [Any])?.isEmpty == false)

        let plotPath = dir.appendingPathComponent("runtime.svg").path
        let p = try CLIRunner.run(["plot", "runtime", manifest, "--svg", plotPath])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(try String(contentsOfFile: plotPath, encoding: .utf8).contains("child attention"))
    }

    @Test func usageErrors() throws {
        for args in [["search"], ["search", "--library", "demo", "--speedup", "fast"], ["search", "--library", "demo", "--bogus"],
            ["search", "--library", "demo", "--max", "nonsense"], ["frontier", "--library", "demo"],
            ["frontier", "--library", "demo", "--sweep", "speedup=1:2"], ["search", "--library", "demo", "--costs", "measured", "--speedup", "2"],
            ["compare", "llama-3.1-8b"], ["plot", "pie", "x"]]
        {
            let r = try CLIRunner.run(args)
            #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        let missing = try CLIRunner.run(["search", "--library", "/nonexistent.json"])
        #expect(missing.status == 65)
    }
}
