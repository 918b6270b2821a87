import BlockLibraries
import Foundation
import ModelArchitecture
import PuzzleCore
import Testing

@testable import Search

/// A puzzletron run of a mixture-of-experts parent (Tests/Fixtures/puzzletron/run-moe, a tiny
/// gpt-oss written by make_fixture_moe.py in the schema of upstream's gpt-oss converter and expert
/// removal): imported with its MoE block configs, searched with the measured costs against brute
/// force over all 6^4 children, and exported as upstream's solutions.json.
@Suite struct PuzzletronMoETests {
    static let run = Fixtures.repository.appendingPathComponent("Tests/Fixtures/puzzletron/run-moe").path
    static let mipSolutions = run + "/mip/puzzle_solutions/target_memory_600MiB/solutions.json"

    func library() throws -> BlockLibrary { try BlockLibrary.load(Self.run, options: ImportOptions()) }

    func request(_ library: BlockLibrary, _ constraints: [Constraint]) -> SearchRequest {
        SearchRequest(library: library, libraryPath: Self.run, librarySHA256: "", objective: library.metrics[0], model: nil,
            constraints: constraints)
    }

    /// Candidates carry the experts they keep, the parent's windows, and upstream's MoE stats.
    @Test func importsExpertVariants() throws {
        let library = try library()
        #expect(library.parent.dimensions.moe?.experts == 4)
        #expect(library.layers.count == 4)
        for layer in library.layers {
            let candidates = layer.allCandidates
            #expect(candidates.count == 6)
            // The teacher first: the parent's block (sliding layers keep their window).
            #expect(candidates[0].attention == library.parent.layers[layer.index].attention)
            #expect(candidates[0].ffn == .moe(experts: 4, topK: 2))
            #expect(Set(candidates.compactMap(\.ffn).map(\.name)) == ["moe:4/top2", "moe:2/top2", "noop"])
            for c in candidates {
                let experts: Double
                if case .moe(let e, _)? = c.ffn { experts = Double(e) } else { experts = 0 }
                #expect(c.stats["has_moe"] == (experts > 0 ? 1 : 0))
                #expect(c.stats["num_local_experts"] == experts)
            }
        }
        #expect(library.parent.layers[0].attention == .slidingWindow(kvHeads: 2, window: 128))
        #expect(library.parent.layers[1].attention == .gqa(kvHeads: 2))
        // Upstream's block_config_to_str names a mixture's FFN `moe ...`.
        #expect(library.layers[0].allCandidates[0].name
            == "attention kv_heads_2 moe num_experts_4 expert_intermediate_dim_256 shared_expert_intermediate_dim_8192 num_experts_per_tok_2")
    }

    /// The search's child equals the brute-force optimum over every child under memory budgets
    /// from the teacher's 1,554 MiB down to infeasible, and some optimum removes experts.
    @Test func bruteForce() throws {
        let library = try library()
        let metric = library.metrics[0].name
        let children = try PuzzletronSearchTests().everyChild(library, metric: metric)
        var removedExperts = false
        for memoryMiB in [1600.0, 1400, 1200, 1000, 900, 800, 700, 600, 500, 450, 400, 300, 100] {
            let feasible = children.filter { $0.memoryMiB <= memoryMiB }
            let outcome = try Searcher.run(request(library, [.maxMemoryBytes(memoryMiB * 1_048_576)]))
            guard let best = feasible.min(by: { $0.objective < $1.objective }) else {
                #expect(outcome.children.isEmpty && outcome.infeasibility != nil, "\(memoryMiB) MiB")
                continue
            }
            let child = try #require(outcome.children.first, "\(memoryMiB) MiB")
            #expect(child.solver.status == .optimal)
            #expect(abs(child.objective - best.objective) <= 1e-12, "\(memoryMiB) MiB: \(child.objective) vs \(best.objective)")
            let mine = try #require(children.first { $0.choices == child.choices })
            #expect(mine.memoryMiB <= memoryMiB)
            for g in 0..<child.groups.count {
                if case .moe(let e, _)? = child.candidate(g).ffn, e < 4 { removedExperts = true }
            }
        }
        #expect(removedExperts, "no budget's optimum removes experts: the fixture no longer exercises expert removal")
    }

    /// At the run's own MIP budget the child is the fixture's solutions.json (found by brute force
    /// in Python), and the export reproduces upstream's block_repr of MoE blocks.
    @Test func exportMatchesUpstreamSolution() throws {
        let library = try library()
        let outcome = try Searcher.run(request(library, [.maxMemoryBytes(600 * 1_048_576)]))
        let exported = try JSONParser.parse(Array(try PuzzletronExport.solutionsText(outcome).utf8))
        let upstream = try JSONParser.parse(Array(try FileIO.read(Self.mipSolutions)))
        let ours = try #require(exported.arrayValue?.first)
        let theirs = try #require(upstream.arrayValue?.first)
        #expect(PuzzletronSearchTests.same(ours["total_value"], theirs["total_value"]))
        #expect(ours["solution_repr"] == theirs["solution_repr"])
        #expect(PuzzletronSearchTests.same(ours["chosen_block_configs"], theirs["chosen_block_configs"]))
        for (a, b) in zip(try #require(ours["chosen_replacements"]?.arrayValue), try #require(theirs["chosen_replacements"]?.arrayValue)) {
            #expect(a["block_repr"] == b["block_repr"])
            for key in ["has_moe", "num_local_experts", "memory_mib", "num_params"] {
                #expect(a["stats"]?[key]?.doubleValue == b["stats"]?[key]?.doubleValue, "stats.\(key)")
            }
        }
        let memory = try #require(ours["total_costs"]?["stats.memory_mib"]?.doubleValue)
        let theirMemory = try #require(theirs["total_costs"]?["stats.memory_mib"]?.doubleValue)
        #expect(abs(memory - theirMemory) <= 1e-9 * theirMemory)
    }

    /// MoE block configs that cannot be read name the field: in a dense parent's run, and with an
    /// expert size other than the parent's.
    @Test func refusesWhatItCannotModel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("puzzle-moe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.run), to: dir)
        let file = dir.appendingPathComponent("replacement_library.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"expert_intermediate_dim\": 256", with: "\"expert_intermediate_dim\": 384")
            .write(to: file, atomically: true, encoding: .utf8)
        #expect {
            _ = try BlockLibrary.load(dir.path, options: ImportOptions())
        } throws: { error in
            let message = "\(error)"
            return message.contains("replacement_library.json") && message.contains("expert_intermediate_dim")
                && message.contains("384") && message.contains("256")
        }
        // The dense run's parent with a MoE block: refused with the field named.
        let dense = Fixtures.repository.appendingPathComponent("Tests/Fixtures/puzzletron/run").path
        let denseCopy = dir.appendingPathComponent("dense")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: dense), to: denseCopy)
        let denseFile = denseCopy.appendingPathComponent("replacement_library.json")
        let denseText = try String(contentsOf: denseFile, encoding: .utf8)
        let moe = "\"moe\": {\"num_local_experts\": 2, \"num_experts_per_tok\": 1, \"expert_intermediate_dim\": 512}"
        guard let range = denseText.range(of: "\"moe\": null") else { Issue.record("fixture changed"); return }
        try denseText.replacingCharacters(in: range, with: moe).write(to: denseFile, atomically: true, encoding: .utf8)
        #expect {
            _ = try BlockLibrary.load(denseCopy.path, options: ImportOptions())
        } throws: { error in
            let message = "\(error)"
            return message.contains("replacement_library.json") && message.contains("moe") && message.contains("dense parent")
        }
    }
}
