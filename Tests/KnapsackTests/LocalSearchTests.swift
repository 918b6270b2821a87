import Testing
@testable import Knapsack

/// Pair moves (`pairImprove`) against a plain reference of the same best-improvement search
/// without the shrinking window: the same choice on random instances (values on a 0.001 grid, so
/// equal gains occur and the scan order decides), no single move left that improves it.
@Suite struct LocalSearchTests {
    /// The best-improvement pair search as first written: every move to an item with δ <=
    /// `window` in every round; the first strictly best candidate in scan order (single k before
    /// the pairs (k, l > k); no pairs from a move k that fits alone and does not lower the
    /// cost). Returns the choice and the rounds that moved.
    static func reference(_ bb: BranchAndBound, _ start: [Int], delta: [Double], window: Double) -> (choice: [Int], moves: Int) {
        let model = bb.model, m = model.m
        var x = start
        var eligible: [(g: Int, i: Int)] = []
        for g in 0..<model.groupCount {
            for i in model.start[g]..<model.start[g + 1] where delta[i] <= window { eligible.append((g, i)) }
        }
        func fits(_ changes: [(g: Int, i: Int)]) -> Bool {
            var y = x
            for c in changes { y[c.g] = c.i }
            return bb.feasible(y)
        }
        let tol = 1e-12 * model.costScale
        var moves = 0
        for _ in 0..<50 {
            var best = tol
            var chosen: [(g: Int, i: Int)] = []
            for (k, e) in eligible.enumerated() where e.i != x[e.g] {
                let dk = model.cost[e.i] - model.cost[x[e.g]]
                let alone = fits([e])
                if -dk > best && alone { best = -dk; chosen = [e] }
                if dk >= 0 && alone { continue }
                for f in eligible[(k + 1)...] where f.g != e.g && f.i != x[f.g] {
                    let gain = -(dk + model.cost[f.i] - model.cost[x[f.g]])
                    if gain > best && fits([e, f]) { best = gain; chosen = [e, f] }
                }
            }
            if chosen.isEmpty { break }
            for c in chosen { x[c.g] = c.i }
            moves += 1
        }
        return (bb.feasible(x) ? x : start, moves)
    }

    @Test func sameMovesAsWithoutTheShrinkingWindow() {
        var rng = SplitMix(seed: 8080)
        var compared = 0, improved = 0
        for _ in 0..<600 {
            let p = NodeLPTests.make(&rng, maxGroups: 14)
            guard let model = NodeLPTests.model(p) else { continue }
            var dual = LagrangianDual(model: model)
            guard dual.maximize() != nil else { continue }
            // Reduced costs and bound recomputed at the multipliers (as the solver's root does).
            let root = LagrangianDual(model: model, warm: dual.lambda)
            let bb = BranchAndBound(model: model)
            guard var start = bb.heuristic(reduced: root.reduced) else { continue }
            // A worse feasible start (random changes that keep every row), so that several rounds move.
            for _ in 0..<(2 * model.groupCount) {
                let g = Int.random(in: 0..<model.groupCount, using: &rng)
                var y = start
                y[g] = Int.random(in: model.start[g]..<model.start[g + 1], using: &rng)
                if bb.feasible(y) { start = y }
            }
            let delta = bb.deltas(root.reduced)
            let window = bb.cost(start) - root.value()
            let got = bb.pairImprove(start, delta: delta, window: window)
            let want = Self.reference(bb, start, delta: delta, window: window)
            #expect(got == want.choice)
            #expect(bb.feasible(got))
            compared += 1
            if want.moves > 1 { improved += 1 }
            // No single move is left that lowers the cost (any item, whatever its δ).
            let tol = 1e-9 * model.costScale
            for g in 0..<model.groupCount {
                for i in model.start[g]..<model.start[g + 1] {
                    var y = got
                    y[g] = i
                    if bb.feasible(y) { #expect(bb.cost(y) >= bb.cost(got) - tol) }
                }
            }
        }
        #expect(compared > 200)
        #expect(improved > 60)
    }
}
