import ModelArchitecture
import BlockLibraries
import Foundation
import PuzzleCore
import Testing
import TestSupport

@testable import Search

@Suite struct MeasuredSearchTests {
    func request(_ library: BlockLibrary, metric: String = "kl_div", _ constraints: [Constraint], pins: [VariantRule] = [],
        forbids: [VariantRule] = [], engine: Engine? = nil) -> SearchRequest
    {
        SearchRequest(library: library, libraryPath: "<test>", librarySHA256: "", objective: library.metric(named: metric)!,
            model: nil, constraints: constraints, pins: pins, forbids: forbids, engine: engine)
    }

    /// NVlabs' notebook scenario: memory <= 80,000 MiB, runtime <= 51,200 ms -> sum KL 6.8615 at
    /// 79,994.6 MiB and 46,980 ms (reference/puzzle.md section 4).
    @Test(.enabled(if: Fixtures.nvlabsAvailable, "../shared NVlabs library absent: skipping"))
    func notebookScenario() throws {
        let library = try Fixtures.nvlabs()
        let outcome = try Searcher.run(request(library, [.maxStat("memory_mib", 80_000), .maxStat("runtime_ms", 51_200)]))
        let child = try #require(outcome.children.first)
        #expect(child.solver.status == .optimal)
        #expect(abs(child.objective - 6.8615) < 5e-5)
        #expect(abs(child.measuredStats["memory_mib"]! - 79_994.6) < 0.05)
        #expect(abs(child.measuredStats["runtime_ms"]! - 46_980) < 0.5)
        #expect(child.constraints.allSatisfy { $0.satisfied })
        // The manifest names the library's own variant per layer and embeds a readable config.
        let manifest = Manifest.json(outcome, child: child)
        #expect(manifest["status"] == "optimal")
        let layers = try #require(manifest["layers"]?.arrayValue)
        #expect(layers.count == 80)
        #expect(layers[0]["variant"]?.stringValue?.contains("kv heads") == true)
        let config = try #require(manifest["architecture"])
        let reread = try ConfigReader.read(JSONReader(file: "<manifest>", value: config))
        #expect(reread.hasSameBlocks(as: child.architecture))
    }

    /// The same problem over a sweep of budgets agrees with HiGHS (scipy milp, mip_rel_gap=0).
    @Test(.enabled(if: Fixtures.nvlabsAvailable && Fixtures.scipyAvailable, "../shared or scipy absent: skipping the HiGHS comparison"))
    func agreesWithHiGHS() throws {
        let library = try Fixtures.nvlabs()
        let budgets: [(Double, Double)] = [(80_000, 51_200), (70_000, 45_000), (60_000, 40_000), (50_000, 36_000), (90_000, 60_000), (40_000, 30_000)]
        let run = try ProcessRunner.run("/usr/bin/env",
            ["python3", Fixtures.repository.appendingPathComponent("bench/highs_nvlabs.py").path, Fixtures.nvlabsPath]
                + budgets.map { "\($0.0):\($0.1)" }, timeoutSeconds: 600)
        let data = Data(run.stdout.utf8)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ") }
            .filter { $0.count == 5 && Double($0[0]) != nil }
        #expect(lines.count == budgets.count)
        for (line, budget) in zip(lines, budgets) {
            let outcome = try Searcher.run(request(library, [.maxStat("memory_mib", budget.0), .maxStat("runtime_ms", budget.1)]))
            if line[2] == "infeasible" {
                #expect(outcome.children.isEmpty)
                #expect(outcome.infeasibility != nil)
                continue
            }
            #expect(line[2] == "optimal")
            let highs = try #require(Double(line[3]))
            let child = try #require(outcome.children.first)
            #expect(child.solver.status == .optimal)
            #expect(abs(child.objective - highs) <= 1e-9 * max(1, abs(highs)), "budget \(budget): ours \(child.objective) HiGHS \(highs)")
        }
    }

    /// Brute force over every child of small random libraries: objective, pins, forbids,
    /// parameter and stat budgets, both directions.
    @Test func bruteForce() throws {
        for seed in 1...60 {
            let library = Fixtures.random(layers: 3, seed: UInt64(seed))
            let d = library.parent.dimensions
            let metric = seed % 3 == 0 ? "acc" : "kl_div"
            let direction = library.metric(named: metric)!.direction
            let runtimeBudget = 18.0 + Double(seed % 7) * 3
            let paramsBudget = Double(library.parent.parameters) * (0.6 + 0.05 * Double(seed % 5))
            var constraints: [Constraint] = [.maxStat("runtime_ms", runtimeBudget), .maxParameters(paramsBudget)]
            if seed % 4 == 0 { constraints.append(.minStat("memory_mib", 40)) }
            let forbids = seed % 5 == 0 ? [VariantRule(kind: .forbid, layers: [1...1], variant: "noop", text: "1=noop")] : []
            let pins = seed % 6 == 0 ? [VariantRule(kind: .pin, layers: [0...0], variant: "gqa:2", text: "0=gqa:2")] : []
            let outcome = try Searcher.run(request(library, metric: metric, constraints, pins: pins, forbids: forbids))

            // Brute force: 4^6 combinations.
            var best: Double?
            let groups = library.layers.flatMap(\.groups)
            var choice = [Int](repeating: 0, count: groups.count)
            while true {
                var score = 0.0, runtime = 0.0, memory = 0.0
                var params = d.nonLayerParameters
                var allowed = true
                for (g, c) in choice.enumerated() {
                    let cand = groups[g][c]
                    score += cand.scores[metric]!
                    runtime += cand.stats["runtime_ms"]!
                    memory += cand.stats["memory_mib"]!
                    params += (cand.attention.map { d.parameters(of: $0) } ?? 0) + (cand.ffn.map { d.parameters(of: $0) } ?? 0)
                    // "noop" names both subblocks' no-op candidates: the rule drops both in layer 1.
                    if !forbids.isEmpty, g == 2 || g == 3, cand.attention == .noOp || cand.ffn == .noOp { allowed = false }
                    if !pins.isEmpty, g == 0, cand.attention != .gqa(kvHeads: 2) { allowed = false }
                }
                let memoryOK = seed % 4 != 0 || memory >= 40
                if allowed, runtime <= runtimeBudget, Double(params) <= paramsBudget, memoryOK {
                    if best == nil || (direction == .lower ? score < best! : score > best!) { best = score }
                }
                var k = 0
                while k < choice.count {
                    choice[k] += 1
                    if choice[k] < groups[k].count { break }
                    choice[k] = 0
                    k += 1
                }
                if k == choice.count { break }
            }
            if let best {
                let child = try #require(outcome.children.first, "seed \(seed)")
                #expect(abs(child.objective - best) < 1e-9, "seed \(seed)")
                #expect(child.constraints.allSatisfy { $0.satisfied })
            } else {
                #expect(outcome.children.isEmpty, "seed \(seed)")
            }
        }
    }

    @Test func engineFiltersVariants() throws {
        let library = Fixtures.random(layers: 4, seed: 9)
        let outcome = try Searcher.run(request(library, [.maxStat("runtime_ms", 10)], engine: .vllm))
        for child in outcome.children {
            #expect(!child.architecture.layers.contains { $0.attention == .linear || $0.ffn == .linear })
        }
        let groups = try GroupBuilder.groups(library, metric: "kl_div", engine: .llamacpp, pins: [], forbids: [])
        #expect(groups.allSatisfy { g in g.candidates.allSatisfy { $0.ffn != .linear } })
        #expect(groups.contains { g in g.candidates.contains { $0.attention == .linear } })
    }

    @Test func infeasibleNamesTheBudget() throws {
        let library = Fixtures.random(layers: 3, seed: 4)
        let outcome = try Searcher.run(request(library, [.maxStat("runtime_ms", 0.5)]))
        #expect(outcome.children.isEmpty)
        let inf = try #require(outcome.infeasibility)
        #expect(inf.constraint.key == "max:runtime_ms")
        // The least achievable runtime: every group at its fastest candidate.
        let least = library.layers.flatMap(\.groups).reduce(0.0) { $0 + $1.map { $0.stats["runtime_ms"]! }.min()! }
        #expect(abs(inf.bestAchievable - least) < 1e-9)
    }

    /// Pins and forbids that cannot mean anything are errors, never silently ignored; ranges are
    /// checked before they are expanded (a huge range answers at once).
    @Test func variantRules() throws {
        let library = Fixtures.random(layers: 3, seed: 2)
        func run(pins: [VariantRule] = [], forbids: [VariantRule] = []) throws {
            _ = try Searcher.run(request(library, [.maxStat("runtime_ms", 1e9)], pins: pins, forbids: forbids))
        }
        let huge = VariantRule(kind: .pin, layers: [0...99_999_999_999], variant: "gqa:2", text: "0-99999999999=gqa:2")
        #expect(throws: SearchError.ruleLayerOutOfRange(huge, layerCount: 3)) { try run(pins: [huge]) }
        let banana = VariantRule(kind: .pin, layers: [1...1], variant: "banana", text: "1=banana")
        #expect(throws: SearchError.ruleMatchesNothing(banana, layer: 1)) { try run(pins: [banana]) }
        let nowhere = VariantRule(kind: .forbid, layers: nil, variant: "gqa:3", text: "gqa:3")
        #expect(throws: SearchError.ruleMatchesNothing(nowhere, layer: nil)) { try run(forbids: [nowhere]) }
        // A pin that matches keeps only its candidate in its layers.
        let pin = VariantRule(kind: .pin, layers: [0...1], variant: "gqa:2", text: "0-1=gqa:2")
        let outcome = try Searcher.run(request(library, [.maxStat("runtime_ms", 1e9)], pins: [pin]))
        let child = try #require(outcome.children.first)
        #expect(child.architecture.layers[0].attention == .gqa(kvHeads: 2))
        #expect(child.architecture.layers[1].attention == .gqa(kvHeads: 2))
    }
}
