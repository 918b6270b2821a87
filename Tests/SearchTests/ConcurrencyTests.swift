import BlockLibraries
import CostModel
import ModelArchitecture
import PuzzleCore
import Testing

@testable import Search

/// Configurations solved on several cores give the same answer, byte for byte, as one after
/// another: rounds take their cutoff from the incumbent at their start, never from whichever
/// solve finished first.
@Suite struct ConcurrencyTests {
    func request(_ parent: String, _ constraints: [Constraint], concurrent: Bool, scenarios: [Scenario]) throws -> SearchRequest {
        let library = DemoLibrary.generate(parent: try #require(BuiltinModels.architecture(parent)))
        let gpu = try #require(GPUProfile.builtin(named: "h100-sxm"))
        var r = SearchRequest(library: library, libraryPath: "demo:\(parent)", librarySHA256: "", objective: library.metrics[0],
            model: ModelCostSettings(gpu: gpu, dtype: .fp8, scenarios: scenarios), constraints: constraints)
        r.concurrent = concurrent
        return r
    }

    @Test(arguments: [("llama-3.1-8b", 1.7), ("llama-3.1-70b", 2.2)])
    func searchIsIdenticalOnOneOrManyCores(parent: String, speedup: Double) throws {
        let scenarios = [Scenario(inputTokens: 128, outputTokens: 1024), Scenario(inputTokens: 2048, outputTokens: 128)]
        var texts: [String] = []
        for concurrent in [false, true] {
            let outcome = try Searcher.run(try request(parent, [.speedup(speedup)], concurrent: concurrent, scenarios: scenarios))
            let child = try #require(outcome.children.first)
            #expect(child.solver.status == .optimal)
            texts.append(JSONWriter.string(Manifest.json(outcome, child: child, timing: false)))
        }
        #expect(texts[0] == texts[1])
    }

    @Test func frontierIsIdenticalOnOneOrManyCores() throws {
        var texts: [String] = []
        for concurrent in [false, true] {
            let r = try request("llama-3.1-8b", [], concurrent: concurrent, scenarios: [Scenario(inputTokens: 128, outputTokens: 1024)])
            let result = try Frontier.run(r, sweep: .speedup(1), values: stride(from: 1.0, through: 2.4, by: 0.2).map { $0 })
            texts.append(result.points.map { p in
                "\(p.budget) \(p.child.map { "\($0.objective) \($0.choices) \($0.solver.nodes) \($0.tp ?? 0) \($0.batchSize ?? 0)" } ?? "none")"
            }.joined(separator: "\n"))
        }
        #expect(texts[0] == texts[1])
        #expect(texts[0].split(separator: "\n").count == 8)
    }
}
