import ModelArchitecture
import BlockLibraries
import Foundation
import PuzzleCore
import Testing

@testable import Search

/// Search with puzzletron's measured costs on the hand-made run in Tests/Fixtures/puzzletron/run
/// (README.md there), and export in puzzletron's formats. The oracles: brute force over all
/// 6^4 children of the same imported numbers with run_puzzle.py's formulas, and the fixture's own
/// MIP solution (found by brute force in Python by make_fixture.py).
@Suite struct PuzzletronSearchTests {
    static let run = Fixtures.repository.appendingPathComponent("Tests/Fixtures/puzzletron/run").path
    static let mipSolutions = run + "/mip/puzzle_solutions/target_memory_600MiB/solutions.json"

    func library(_ options: ImportOptions = ImportOptions()) throws -> BlockLibrary {
        try BlockLibrary.load(Self.run, options: options)
    }

    func request(_ library: BlockLibrary, _ constraints: [Constraint], metric: String? = nil) -> SearchRequest {
        SearchRequest(library: library, libraryPath: Self.run, librarySHA256: "", objective: metric.flatMap { library.metric(named: $0) } ?? library.metrics[0],
            model: nil, constraints: constraints)
    }

    func json(_ path: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) }
    func json(_ value: JSONValue) throws -> Any { try JSONSerialization.jsonObject(with: Data(JSONWriter.string(value).utf8)) }

    /// Every child of the library with its objective and whole-model totals, computed here from
    /// the candidates' stats with puzzletron's formulas (non_block added).
    struct Brute {
        var choices: [Int]
        var objective: Double
        var memoryMiB: Double
        var runtimeMs: Double
    }

    func everyChild(_ library: BlockLibrary, metric: String) throws -> [Brute] {
        let costs = try #require(library.measurement?.puzzletron)
        let layers = library.layers.map { $0.allCandidates }
        var out: [Brute] = []
        var index = [Int](repeating: 0, count: layers.count)
        while true {
            var b = Brute(choices: index, objective: 0, memoryMiB: costs.nonBlock["memory_mib"] ?? 0,
                runtimeMs: costs.nonBlock["runtime_ms"] ?? 0)
            for (l, k) in index.enumerated() {
                let c = layers[l][k]
                b.objective += c.scores[metric] ?? .nan
                b.memoryMiB += c.stats["memory_mib"] ?? .nan
                b.runtimeMs += c.stats["runtime_ms"] ?? .nan
            }
            out.append(b)
            var l = 0
            while l < index.count {
                index[l] += 1
                if index[l] < layers[l].count { break }
                index[l] = 0
                l += 1
            }
            if l == index.count { break }
        }
        #expect(out.count == 6 * 6 * 6 * 6)
        return out
    }

    /// The search's child equals the brute-force optimum under memory, throughput and latency
    /// budgets (and their combinations), objective, choices and totals.
    @Test func bruteForce() throws {
        let library = try library()
        let metric = library.metrics[0].name
        let children = try everyChild(library, metric: metric)
        let b = 96.0, g = 4096.0
        let budgets: [(memoryMiB: Double?, tokensPerSecond: Double?, latencySeconds: Double?)] = [
            (600, nil, nil), (400, nil, nil), (250, nil, nil), (100, nil, nil), (10, nil, nil),
            (nil, 40_000, nil), (nil, 45_000, nil), (nil, 50_000, nil), (nil, 60_000, nil), (nil, 90_000, nil), (nil, 200_000, nil),
            (nil, nil, 9), (nil, nil, 7.5), (600, 45_000, nil), (400, 50_000, 8), (800, 38_000, 11),
        ]
        for budget in budgets {
            var constraints: [Constraint] = []
            if let m = budget.memoryMiB { constraints.append(.maxMemoryBytes(m * 1_048_576)) }
            if let t = budget.tokensPerSecond { constraints.append(.minThroughputPerGPU(t)) }
            if let s = budget.latencySeconds { constraints.append(.maxTPOTSeconds(s)) }  // measured: request latency
            let feasible = children.filter { c in
                (budget.memoryMiB.map { c.memoryMiB <= $0 } ?? true)
                    && (budget.tokensPerSecond.map { 1000 * b * g / c.runtimeMs >= $0 * (1 - 1e-12) } ?? true)
                    && (budget.latencySeconds.map { c.runtimeMs <= 1000 * $0 } ?? true)
            }
            let outcome = try Searcher.run(request(library, constraints))
            guard let best = feasible.min(by: { $0.objective < $1.objective }) else {
                #expect(outcome.children.isEmpty, "budget \(budget): brute force has no child")
                #expect(outcome.infeasibility != nil)
                continue
            }
            let child = try #require(outcome.children.first, "budget \(budget)")
            #expect(child.solver.status == .optimal)
            #expect(abs(child.objective - best.objective) <= 1e-12, "budget \(budget): \(child.objective) vs \(best.objective)")
            let ties = feasible.filter { abs($0.objective - best.objective) <= 1e-12 }
            if ties.count == 1 { #expect(child.choices == best.choices, "budget \(budget)") }
            let mine = try #require(children.first { $0.choices == child.choices })
            // Totals as the manifest reports them: every budget met, achieved = brute-force totals.
            for report in child.constraints {
                #expect(report.satisfied)
                switch report.constraint {
                case .maxMemoryBytes: #expect(abs(report.achieved - mine.memoryMiB * 1_048_576) <= 1e-6)
                case .minThroughputPerGPU: #expect(abs(report.achieved - 1000 * b * g / mine.runtimeMs) <= 1e-9 * report.achieved)
                case .maxLatencySeconds: #expect(abs(report.achieved - mine.runtimeMs / 1000) <= 1e-12)
                default: Issue.record("unexpected constraint \(report.constraint)")
                }
            }
            #expect(child.constraints.map(\.constraint.key) == constraints.map(\.forMeasuredCosts.key))
        }
    }

    /// JSON equality as Python's `==` sees it: objects regardless of key order, 1 == 1.0.
    static func same(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (.object(x)?, .object(y)?):
            return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { same(x[$0], y[$0]) }
        case let (.array(x)?, .array(y)?):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (x?, y?):
            if let u = x.doubleValue, let v = y.doubleValue { return u == v }
            return x == y
        default: return false
        }
    }

    func parsed(_ path: String) throws -> JSONValue { try JSONParser.parse(Array(try FileIO.read(path))) }

    /// Under the run's own MIP budget (target_memory 600 MiB, batch 96, bf16) the child is the
    /// fixture's solutions.json, and our export re-reads field by field as upstream's.
    @Test func exportMatchesUpstreamSolution() throws {
        let library = try library()
        let outcome = try Searcher.run(request(library, [.maxMemoryBytes(600 * 1_048_576)]))
        // Read back from the text we write, as puzzletron would.
        let exported = try JSONParser.parse(Array(try PuzzletronExport.solutionsText(outcome).utf8))
        let upstream = try parsed(Self.mipSolutions)
        #expect(exported.arrayValue?.count == 1 && upstream.arrayValue?.count == 1)
        let ours = try #require(exported.arrayValue?.first?.objectValue)
        let theirs = try #require(upstream.arrayValue?.first?.objectValue)
        #expect(Set(ours.keys) == Set(theirs.keys))
        #expect(ours.keys == ["chosen_replacements", "total_value", "total_costs", "puzzle_args", "subblock_stats",
            "chosen_block_configs", "solution_repr"])
        #expect(Self.same(ours["total_value"], theirs["total_value"]))
        #expect(ours["total_value"]?["metrics.cosine_embedding_loss_hidden_states"]?.doubleValue == 0.04)
        // Every cost upstream reports, with the same value (ours has more: every stat).
        let ourCosts = try #require(ours["total_costs"]?.objectValue)
        for (key, value) in try #require(theirs["total_costs"]?.objectValue) {
            let mine = try #require(ourCosts[key]?.doubleValue, "total_costs.\(key)")
            let v = try #require(value.doubleValue)
            #expect(abs(mine - v) <= 1e-9 * max(1, abs(v)), "total_costs.\(key): \(mine) vs \(v)")
        }
        #expect(ourCosts["stats.memory_mib"]?.doubleValue == 589.44140625)
        #expect(ourCosts["stats.num_params"] == 7_047_168)
        #expect(Self.same(ours["subblock_stats"], theirs["subblock_stats"]))
        #expect(Self.same(ours["chosen_block_configs"], theirs["chosen_block_configs"]))
        #expect(ours["solution_repr"] == theirs["solution_repr"])
        for key in ["objective", "bigger_is_better", "subblock_stats_args", "human_constraints", "mip_constraints"] {
            #expect(Self.same(ours["puzzle_args"]?[key], theirs["puzzle_args"]?[key]), "puzzle_args.\(key)")
        }

        // The chosen replacements, field by field.
        let ourChosen = try #require(ours["chosen_replacements"]?.arrayValue)
        let theirChosen = try #require(theirs["chosen_replacements"]?.arrayValue)
        #expect(ourChosen.count == 4 && theirChosen.count == 4)
        for (a, b) in zip(ourChosen, theirChosen) {
            let layer = b["parent_layer_indices"].map { JSONWriter.string($0, pretty: false) } ?? "?"
            #expect(Set(try #require(a.objectValue).keys) == Set(try #require(b.objectValue).keys), "layer \(layer)")
            for key in ["block_config", "block_idx", "parent_layer_indices", "layer_replacement", "is_teacher", "block_repr",
                "child_block_configs"]
            {
                #expect(Self.same(a[key], b[key]), "\(key) of layer \(layer)")
            }
            // Metrics: upstream's values for every name we write (it also lists one_minus_ copies).
            let ourMetrics = try #require(a["metrics"]?.objectValue)
            #expect(ourMetrics.count == 21)
            for (k, v) in ourMetrics { #expect(v.doubleValue == b["metrics"]?[k]?.doubleValue, "metrics.\(k)") }
            // Stats: the same numbers (upstream also has nulls and summed layer indices).
            let ourStats = try #require(a["stats"]?.objectValue)
            for (k, v) in ourStats { #expect(v.doubleValue == b["stats"]?[k]?.doubleValue, "stats.\(k)") }
            for (k, v) in try #require(b["stats"]?.objectValue) where !k.contains("parent_layer_index") && !v.isNull {
                #expect(ourStats[k] != nil, "stats.\(k) missing")
            }
        }
        let solution = try #require(try JSONSerialization.jsonObject(with: Data(try PuzzletronExport.solutionsText(outcome).utf8)) as? [[String: Any]])
        try checkRealizeSchema(solution[0])
    }

    /// What puzzletron's realize step reads (validate_puzzle_solutions -> parse_layer_replacement
    /// -> BlockConfig(**d)): per chosen replacement a `layer_replacement` with integer layer
    /// indices, block configs with only BlockConfig's fields (an unknown top-level field is a
    /// TypeError there), subblock configs with only their dataclass fields, string weight paths.
    func checkRealizeSchema(_ solution: [String: Any]) throws {
        let chosen = try #require(solution["chosen_replacements"] as? [[String: Any]])
        var layers: [Int] = []
        for c in chosen {
            let r = try #require(c["layer_replacement"] as? [String: Any])
            let indices = try #require(r["parent_layer_indices"] as? [Int])
            layers += indices
            let configs = try #require(r["child_block_configs"] as? [[String: Any]])
            #expect(configs.count == 1)
            for config in configs {
                #expect(Set(config.keys).isSubset(of: ["attention", "ffn", "parallel_blocks"]))
                let attention = try #require(config["attention"] as? [String: Any])
                #expect(Set(attention.keys).isSubset(of: ["no_op", "replace_with_linear", "sparsify", "weights_precision",
                    "num_key_value_heads", "llama4", "mamba"]))
                let ffn = try #require(config["ffn"] as? [String: Any])
                #expect(Set(ffn.keys).isSubset(of: ["no_op", "replace_with_linear", "sparsify", "weights_precision", "moe",
                    "intermediate_size"]))
                if attention["no_op"] as? Bool != true { #expect(attention["num_key_value_heads"] is Int) }
                if ffn["no_op"] as? Bool != true { #expect(ffn["intermediate_size"] is Int) }
            }
            let paths = try #require(r["weight_paths"] as? [String])
            #expect(paths.allSatisfy { $0.hasSuffix(".safetensors") })
        }
        #expect(layers == [0, 1, 2, 3])
    }

    /// A throughput budget: the export reports puzzletron's throughput and the MIP row it means.
    @Test func throughputExport() throws {
        let library = try library()
        let outcome = try Searcher.run(request(library, [.maxMemoryBytes(500 * 1_048_576), .minThroughputPerGPU(45_000)]))
        let child = try #require(outcome.children.first)
        let solution = try #require((try json(try PuzzletronExport.solutions(outcome)) as? [[String: Any]])?.first)
        let costs = try #require(solution["total_costs"] as? [String: Double])
        let runtime = try #require(costs["stats.runtime_ms"])
        #expect(runtime == (child.measuredStats["runtime_ms"] ?? 0) + 2200)
        #expect(abs(try #require(costs["throughput"]) - 1000 * 96 * 4096 / runtime) <= 1e-9 * runtime)
        #expect(try #require(costs["throughput"]) >= 45_000)
        let args = try #require(solution["puzzle_args"] as? [String: Any])
        let mip = try #require(args["mip_constraints"] as? [String: Double])
        #expect(abs(try #require(mip["stats.runtime_ms"]) - 1000.0 * 96 * 4096 / 45_000) <= 1e-9)
        #expect(mip["stats.memory_mib"] == 500)
        try checkRealizeSchema(solution)
        // Infeasible: upstream writes an empty list.
        let none = try Searcher.run(request(library, [.maxMemoryBytes(5 * 1_048_576)]))
        #expect(none.children.isEmpty)
        #expect(try PuzzletronExport.solutions(none) == [])
        #expect(try PuzzletronExport.solutionsText(none) == "[]\n")
    }

    /// Budgets the stats cannot express are typed errors naming what is missing.
    @Test func typedErrors() throws {
        let library = try library()
        // TTFT: prefill_runtime_ms is null upstream (not measured).
        #expect(throws: MeasuredCostError.missingStat(constraint: "ttft", stat: "prefill_runtime_ms", layer: 0, role: .block,
            candidate: "attention kv_heads_8 ffn intermediate_512")) {
            _ = try Searcher.run(request(library, [.maxTTFTSeconds(1)]))
        }
        #expect(throws: SearchError.needsCostModel(.speedup(2))) {
            _ = try Searcher.run(request(library, [.speedup(2)]))
        }
        // int8 weights: no runtimes measured, for the blocks nor outside them.
        let int8 = try self.library(ImportOptions(statsArgs: [("batch_size", "96"), ("weights_dtype", "torch.int8")]))
        #expect(throws: MeasuredCostError.missingStat(constraint: "throughput", stat: "runtime_ms", layer: 0, role: .block,
            candidate: "attention kv_heads_8 ffn intermediate_512")) {
            _ = try Searcher.run(request(int8, [.minThroughputPerGPU(1000)]))
        }
        // ...but its memory budget works, with int8 weights' costs.
        let child = try #require(try Searcher.run(request(int8, [.maxMemoryBytes(600 * 1_048_576)])).children.first)
        #expect(child.constraints.first?.satisfied == true)
        // A null non-block runtime with block runtimes present.
        var noNonBlock = library
        var m = try #require(noNonBlock.measurement)
        m.extras["non_block"] = ["runtime_ms": nil, "memory_mib": 9.5, "num_params": 4_980_992]
        noNonBlock.measurement = m
        #expect(throws: MeasuredCostError.missingNonBlock(constraint: "throughput", stat: "runtime_ms")) {
            _ = try Searcher.run(request(noNonBlock, [.minThroughputPerGPU(1000)]))
        }
        // A library without puzzletron's scenario (the demo library) has no measured memory.
        let demo = DemoLibrary.generate(parent: BuiltinModels.architecture("llama-3.1-8b")!)
        #expect(throws: MeasuredCostError.noPuzzletronScenario(constraint: "memory")) {
            _ = try Searcher.run(request(demo, [.maxMemoryBytes(1e9)]))
        }
        // Exporting a child of a library that was not imported from puzzletron.
        let demoChild = try Searcher.run(request(demo, [.maxParameters(7e9)]))
        #expect(throws: PuzzletronExportError.self) { _ = try PuzzletronExport.solutions(demoChild) }
    }

    /// `--max STAT` on a puzzletron library bounds the whole model (non_block included), as
    /// puzzletron's mip_constraints do; it agrees with the memory budget in MiB.
    @Test func statBudgetsIncludeNonBlock() throws {
        let library = try library()
        let a = try #require(try Searcher.run(request(library, [.maxStat("memory_mib", 600)])).children.first)
        let b = try #require(try Searcher.run(request(library, [.maxMemoryBytes(600 * 1_048_576)])).children.first)
        #expect(a.choices == b.choices)
        #expect(a.constraints[0].achieved == 589.44140625)
        // num_params: 7,047,168 in total for that child (the fixture MIP's stats.num_params).
        let c = try #require(try Searcher.run(request(library, [.maxStat("num_params", 7_047_168)])).children.first)
        #expect(c.constraints[0].achieved <= 7_047_168)
    }

    /// Import -> native JSON -> re-import: the same child and the same export; the exported
    /// solutions.json placed in a run copy is read back as the run's own MIP choice.
    @Test func roundTrip() throws {
        let library = try library()
        let constraints: [Constraint] = [.maxMemoryBytes(450 * 1_048_576), .minThroughputPerGPU(42_000)]
        let first = try Searcher.run(request(library, constraints))
        let native = try BlockLibrary.parse(Array(library.nativeJSON.utf8), file: "native.json")
        let second = try Searcher.run(request(native, constraints))
        #expect(first.children.first?.choices == second.children.first?.choices)
        let text = try PuzzletronExport.solutionsText(first)
        #expect(try PuzzletronExport.solutionsText(second) == text)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("puzzletron-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.run), to: dir)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("mip"))
        let target = dir.appendingPathComponent("mip/puzzle_solutions/batch_size_96/ours")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try text.write(to: target.appendingPathComponent("solutions.json"), atomically: true, encoding: .utf8)
        let reread = try BlockLibrary.load(dir.path)
        #expect(reread.measurement?.batchSize == 96)
        #expect(reread.metrics[0].name == library.metrics[0].name)
        #expect(reread.layers == library.layers)
    }

    /// A memory frontier as puzzletron's mip_sweep_results.csv equals the fixture's (written by
    /// make_fixture.py with upstream's write_results_to_csv columns) in every filled cell.
    @Test func sweepCSV() throws {
        let library = try library()
        let teacherMiB = 781.75439453125  // 4 x 193.0634765625 + 9.50048828125 (hand-derived, README)
        let rates = [0.5, 0.75, 1.0]
        let result = try Frontier.run(request(library, []), sweep: .maxMemoryBytes(0),
            values: rates.map { $0 * teacherMiB * 1_048_576 })
        let csv = PuzzletronExport.sweepCSV(result, request: request(library, []), sweep: .maxMemoryBytes(0))
        let expected = try String(contentsOfFile: Self.run + "/mip_sweep_results.csv", encoding: .utf8)
        func rows(_ text: String) -> [[String]] {
            text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) } }
        }
        let ours = rows(csv)
        let theirs = rows(expected)
        #expect(ours.count == 4 && theirs.count == 4)
        #expect(ours.first == theirs.first)
        #expect(ours.first == PuzzletronExport.sweepColumns)
        for (a, b) in zip(ours.dropFirst(), theirs.dropFirst()) {
            #expect(a.count == 9)
            for (x, y) in zip(a, b) {
                if y.isEmpty { #expect(x.isEmpty); continue }
                let u = try #require(Double(x), "cell \(x)")
                let v = try #require(Double(y))
                #expect(abs(u - v) <= 1e-12 * max(1, abs(v)), "\(x) vs \(y)")
            }
            // Counts are integers as Python writes them.
            #expect(!a[4].contains("."))
        }
        #expect(csv.hasSuffix("\r\n") && csv.contains(",,,,\r\n"))
    }
}
