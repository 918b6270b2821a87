/// Primal heuristics: a first feasible choice by greedy repair of the Lagrangian choice.
extension BranchAndBound {
    /// Greedy repair of the Lagrangian choice (or of `start`): while some row is violated, the
    /// single change with the least increase of reduced cost per unit of violation removed;
    /// then improving single swaps that keep feasibility. nil when repair gets stuck or the
    /// deadline passes first.
    /// - Complexity: O(steps * N * m), steps <= 4 G + 100 for each phase.
    func heuristic(reduced: [Double], from start: [Int]? = nil) -> [Int]? {
        let m = model.m, G = model.groupCount
        var x = start ?? (0..<G).map { g -> Int in
            var b = model.start[g]
            for i in model.start[g]..<model.start[g + 1] where reduced[i] < reduced[b] { b = i }
            return b
        }
        var used = [Double](repeating: 0, count: m)
        for i in x { for r in 0..<m { used[r] += model.a[i * m + r] } }
        var scale = [Double](repeating: 1, count: m)
        for r in 0..<m { scale[r] = Swift.max(1e-300, abs(model.cap[r])) }
        func violation(_ u: [Double]) -> Double {
            var v = 0.0
            for r in 0..<m where u[r] > model.cap[r] { v += (u[r] - model.cap[r]) / scale[r] }
            return v
        }
        var steps = 0
        var current = violation(used)
        var trial = used
        while current > 0 {
            steps += 1
            if steps > 4 * G + 100 || deadline.expired { return nil }
            var bestScore = Double.infinity, bg = -1, bi = -1, bestViolation = current
            for g in 0..<G {
                let old = x[g]
                for i in model.start[g]..<model.start[g + 1] where i != old {
                    for r in 0..<m { trial[r] = used[r] - model.a[old * m + r] + model.a[i * m + r] }
                    let v = violation(trial)
                    let gain = current - v
                    guard gain > 0 else { continue }
                    let score = (reduced[i] - reduced[old]) / gain
                    if score < bestScore { bestScore = score; bg = g; bi = i; bestViolation = v }
                }
            }
            if bg < 0 { return nil }
            for r in 0..<m { used[r] += model.a[bi * m + r] - model.a[x[bg] * m + r] }
            x[bg] = bi
            current = bestViolation
        }
        return feasible(x) ? improveBySwaps(x) : nil
    }

    /// Best-improvement single swaps that keep every row feasible, until none improves (at most
    /// 4 G + 100 rounds, or the deadline).
    /// - Complexity: O(rounds * N * m).
    func improveBySwaps(_ start: [Int]) -> [Int] {
        let m = model.m, G = model.groupCount
        var x = start
        var used = [Double](repeating: 0, count: m)
        for i in x { for r in 0..<m { used[r] += model.a[i * m + r] } }
        var rounds = 0
        while rounds < 4 * G + 100 && !deadline.expired {
            rounds += 1
            var bestDelta = 0.0, bg = -1, bi = -1
            for g in 0..<G {
                let old = x[g]
                for i in model.start[g]..<model.start[g + 1] where i != old {
                    let d = model.cost[i] - model.cost[old]
                    guard d < bestDelta else { continue }
                    var ok = true
                    for r in 0..<m where used[r] - model.a[old * m + r] + model.a[i * m + r] > model.cap[r] { ok = false; break }
                    if ok { bestDelta = d; bg = g; bi = i }
                }
            }
            guard bg >= 0 else { break }
            for r in 0..<m { used[r] += model.a[bi * m + r] - model.a[x[bg] * m + r] }
            x[bg] = bi
        }
        return feasible(x) ? x : start
    }
}
