import Foundation
import Testing

/// End-to-end serving features: search --margin, plot serving, bands, --scheduler, latency CSVs.
@Suite(.serialized) struct ServingCLITests {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// `search --margin 10%`: the child still meets --speedup 2.2 when its throughput is lowered
    /// by 10%, re-costed from its manifest; it is no better than the child without a margin.
    @Test func marginSearchHoldsWhenThroughputIsTenPercentLower() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.json").path
        let r = try CLIRunner.run(["search", "--library", "demo", "--speedup", "2.2", "--margin", "10%", "--format", "json",
            "--no-timing", "--quiet", "-o", path])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try #require(try json(r.stdout) as? [String: Any])
        let predicted = try #require(manifest["predicted"] as? [[String: Any]])
        let parents = try #require(manifest["parentPredicted"] as? [[String: Any]])
        #expect(predicted.count == parents.count && !predicted.isEmpty)
        for (p, q) in zip(predicted, parents) {
            let child = try #require(p["throughputPerGPU"] as? Double)
            let parent = try #require(q["throughputPerGPU"] as? Double)
            #expect(child * 0.9 >= 2.2 * parent * (1 - 1e-9), "child \(child) x 0.9 < 2.2 x parent \(parent)")
        }
        let constraints = try #require(manifest["constraints"] as? [[String: Any]])
        for c in constraints {
            #expect(c["satisfied"] as? Bool == true)
            let achieved = try #require(c["achieved"] as? Double)
            let atMargin = try #require(c["achievedAtMargin"] as? Double)
            #expect(abs(atMargin - achieved * 0.9) <= 1e-9 * achieved && atMargin >= 2.2 * (1 - 1e-9))
        }
        let costs = try #require(manifest["costs"] as? [String: Any])
        let margin = try #require(costs["margin"] as? [String: Any])
        #expect(margin["throughput"] as? Double == 0.1 && margin["spec"] as? String == "10%")

        // Re-costed from the manifest (its GPU, TP and batch): 10% lower still beats 2.2x the parent.
        let cost = try CLIRunner.run(["cost", path, "--format", "json"])
        #expect(cost.status == 0, "\(cost.stderr)")
        let costed = try #require(try json(cost.stdout) as? [String: Any])
        let perGPU = try #require(costed["throughputPerGPU"] as? Double)
        let parent = try CLIRunner.run(["cost", "llama-3.1-70b", "--format", "json"])
        let parentPerGPU = try #require((try json(parent.stdout) as? [String: Any])?["throughputPerGPU"] as? Double)
        #expect(perGPU * 0.9 >= 2.2 * parentPerGPU * (1 - 1e-9))
        let band = try #require(costed["band"] as? [String: Any])
        let low = try #require((band["throughputPerGPU"] as? [Double])?.first)
        #expect(low < perGPU)

        // Without the margin the optimum is at least as good (kl_div: lower is better).
        let plain = try CLIRunner.run(["search", "--library", "demo", "--speedup", "2.2", "--format", "json", "--no-timing", "--quiet"])
        let plainManifest = try #require(try json(plain.stdout) as? [String: Any])
        let withMargin = try #require((manifest["objective"] as? [String: Any])?["value"] as? Double)
        let without = try #require((plainManifest["objective"] as? [String: Any])?["value"] as? Double)
        #expect(without <= withMargin + 1e-9)
    }

    /// plot serving: one curve per model from batch 1 to the largest that fits; tokens/s per GPU
    /// grows and tokens/s per user falls with the batch; the SVG names every model and its axes.
    @Test func plotServing() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("serving.svg").path
        let n51 = CLIRunner.repository.appendingPathComponent("bench/data/llama-3.1-nemotron-51b.config.json").path
        let r = try CLIRunner.run(["plot", "serving", n51, "llama-3.1-70b", "--svg", svg, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let curves = try #require(try json(r.stdout) as? [[String: Any]])
        #expect(curves.count == 2)
        for c in curves {
            let points = try #require(c["points"] as? [[String: Any]])
            let maxBatch = try #require(c["maxBatch"] as? Int)
            #expect(points.first?["batch"] as? Int == 1 && points.last?["batch"] as? Int == maxBatch)
            let perGPU = points.compactMap { $0["throughputPerGPU"] as? Double }
            let perUser = points.compactMap { $0["tokensPerSecondPerUser"] as? Double }
            #expect(zip(perGPU, perGPU.dropFirst()).allSatisfy { $0 < $1 })
            #expect(zip(perUser, perUser.dropFirst()).allSatisfy { $0 >= $1 })
            for p in points {
                let tpot = try #require(p["tpotSeconds"] as? Double)
                #expect(abs((p["tokensPerSecondPerUser"] as? Double ?? 0) * tpot - 1) < 1e-12)
            }
        }
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("llama-3.1-70b (TP ") && text.contains("output tokens/s per GPU")
            && text.contains("output tokens/s per user (1 / TPOT)") && text.contains("<polyline"))
        let csv = try CLIRunner.run(["plot", "serving", "llama-3.1-8b", "--format", "csv", "--tp", "1"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "model,tp,batch,throughputPerGPU,throughputPerGPULow,throughputPerGPUHigh,tokensPerSecondPerUser,tpotSeconds")
        #expect(lines.count > 8 && lines.dropFirst().allSatisfy { $0.hasPrefix("llama-3.1-8b,1,") })
        let usage = try CLIRunner.run(["plot", "serving", "llama-3.1-8b", "--batch", "4"])
        #expect(usage.status == 64)
    }

    /// --scheduler max-utilization admits the Nemotron-51B batch of 256 on one H100 that the
    /// guaranteed-no-evict default does not; a bad policy or margin is a usage error.
    @Test func schedulerAndUsageErrors() throws {
        let n51 = CLIRunner.repository.appendingPathComponent("bench/data/llama-3.1-nemotron-51b.config.json").path
        let strict = try CLIRunner.run(["cost", n51, "--tp", "1", "--batch", "256"])
        #expect(strict.status == 64 && strict.stderr.contains("largest batch"))
        let staggered = try CLIRunner.run(["cost", n51, "--tp", "1", "--batch", "256", "--scheduler", "max-utilization", "--format", "json"])
        #expect(staggered.status == 0, "\(staggered.stderr)")
        let settings = try #require((try json(staggered.stdout) as? [String: Any])?["settings"] as? [String: Any])
        #expect((settings["scheduler"] as? [String: Any])?["value"] as? String == "max-utilization")
        #expect(try CLIRunner.run(["cost", n51, "--scheduler", "greedy"]).status == 64)
        #expect(try CLIRunner.run(["search", "--library", "demo", "--speedup", "2", "--margin", "150%"]).status == 64)
        #expect(try CLIRunner.run(["search", "--library", "demo", "--speedup", "2", "--margin", "p50"]).status == 64)
        // An impossible budget reports its best value at the margin: 10% below the plain search's.
        let plain = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "30", "--quiet"])
        let margin = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "30", "--margin", "10%", "--quiet"])
        func best(_ text: String) -> Double? {
            guard let r = text.range(of: "the best achievable is ") else { return nil }
            return Double(text[r.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        let b0 = try #require(best(plain.stdout)), b1 = try #require(best(margin.stdout))
        #expect(margin.stdout.contains("at --margin 10%") && abs(b1 - 0.9 * b0) <= 0.002)
    }

    @Test func latencyCalibrationCSV() throws {
        let csv = CLIRunner.repository.appendingPathComponent("bench/data/small-batch-latency.csv").path
        let r = try CLIRunner.run(["cost", "--calibration", csv, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try json(r.stdout) as? [String: Any])
        #expect((doc["rows"] as? [Any])?.count == 8)
        #expect(((doc["summary"] as? [[String: Any]]) ?? []).contains { $0["metric"] as? String == "tpot (batch 1-16)" })
    }
}
