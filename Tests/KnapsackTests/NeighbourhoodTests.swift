import Testing
@testable import Knapsack

/// Large-neighbourhood search on a core (`Neighbourhoods.swift`) against exhaustive enumeration:
/// from a feasible start it returns a feasible choice no worse than the start and never below
/// the optimum; on these small instances every movable group fits one sub-problem, so once the
/// core has widened to the whole window `UB - L` it has searched everything and returns the
/// optimum.
@Suite struct NeighbourhoodTests {
    @Test func neverWorseThanStartAndOptimalOnSmallInstances() {
        var rng = SplitMix(seed: 1616)
        var checked = 0, improved = 0
        for n in 0..<800 {
            let p = NodeLPTests.make(&rng, maxGroups: 7)
            guard let model = NodeLPTests.model(p) else { continue }
            var dual = LagrangianDual(model: model)
            guard dual.maximize() != nil else { continue }
            let bb = BranchAndBound(model: model)
            guard let start = bb.heuristic(reduced: dual.reduced) else { continue }
            var optimum = Double.infinity
            var x = [Int](repeating: 0, count: model.groupCount)
            func visit(_ g: Int) {
                if g == model.groupCount {
                    if bb.feasible(x) { optimum = min(optimum, bb.cost(x)) }
                    return
                }
                for i in model.start[g]..<model.start[g + 1] { x[g] = i; visit(g + 1) }
            }
            visit(0)
            let found = bb.improveByNeighbourhoods(start, reduced: dual.reduced, lagrangian: dual.value(), lambda: dual.lambda,
                                                   maxRounds: .max, nodeLimit: BranchAndBound.lnsNodes)
            let slack = 1e-9 * model.costScale
            #expect(bb.feasible(found), "instance \(n): infeasible answer")
            #expect(bb.cost(found) <= bb.cost(start) + slack, "instance \(n): worse than the start")
            #expect(bb.cost(found) >= optimum - slack, "instance \(n): below the optimum")
            #expect(bb.cost(found) <= optimum + slack, "instance \(n): \(bb.cost(found)) but the optimum is \(optimum)")
            if bb.cost(found) < bb.cost(start) - slack { improved += 1 }
            checked += 1
        }
        #expect(checked > 200)
        #expect(improved > 5, "improved \(improved) of \(checked)")
    }
}
