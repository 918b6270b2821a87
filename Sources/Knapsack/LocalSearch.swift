/// Improvement of a feasible choice by pairs of moves (two groups change item at once), the
/// neighbourhood that single swaps miss when every row is tight: one move lowers the cost and
/// overloads a row, the other frees that row for less than the saving.
extension BranchAndBound {
    /// Best-improvement pair search over the moves to items with reduced cost `δ <= window`
    /// (the only ones that can be part of a better solution when `window = UB - L`). The window
    /// shrinks by what each round gains (the incumbent is now that much cheaper), so later rounds
    /// scan fewer moves; the moves it drops could only make a dearer choice (its cost is at least
    /// L plus its items' δ), so every round picks the move it picked before (same scan order):
    /// (c')'s 3rd child 885 moves in the first round, then fewer. `window` must be at least
    /// `cost(start) - L` for `delta` taken at the multipliers of L (the callers pass exactly that).
    /// - Complexity: O(rounds * M^2 * m), M the number of eligible moves.
    func pairImprove(_ start: [Int], delta: [Double], window: Double, maxRounds: Int = 50) -> [Int] {
        let m = model.m, G = model.groupCount
        var x = start
        var used = [Double](repeating: 0, count: m)
        for i in x { for r in 0..<m { used[r] += model.a[i * m + r] } }
        var eligible: [(g: Int, i: Int)] = []
        for g in 0..<G {
            for i in model.start[g]..<model.start[g + 1] where delta[i] <= window { eligible.append((g, i)) }
        }
        let tol = 1e-12 * model.costScale
        var gained = 0.0
        for round in 0..<maxRounds {
            if deadline.expired { break }
            if round > 0 {
                // A margin for the rounding of the gains' sum and of δ.
                let limit = window - gained + 1e-9 * Swift.max(model.costScale, abs(window))
                eligible.removeAll { delta[$0.i] > limit }
            }
            var bestGain = tol, b1 = -1, b2 = -1
            var single = -1
            // Moves as (cost change, coefficient change) relative to the current choice.
            let dc = eligible.map { model.cost[$0.i] - model.cost[x[$0.g]] }
            var dw = [Double](repeating: 0, count: eligible.count * m)
            for (k, e) in eligible.enumerated() {
                for r in 0..<m { dw[k * m + r] = model.a[e.i * m + r] - model.a[x[e.g] * m + r] }
            }
            // The pair scan tests the gain first (most pairs fail it), then the groups, through
            // buffer pointers; the same pairs pass as with the tests in any order.
            let group = eligible.map(\.g)
            let current = eligible.map { $0.i == x[$0.g] }
            dc.withUnsafeBufferPointer { dc in
            dw.withUnsafeBufferPointer { dw in
            group.withUnsafeBufferPointer { group in
            current.withUnsafeBufferPointer { current in
            model.cap.withUnsafeBufferPointer { cap in
            for k in 0..<eligible.count where !current[k] {
                var fits = true
                for r in 0..<m where used[r] + dw[k * m + r] > cap[r] { fits = false; break }
                if fits && -dc[k] > bestGain { bestGain = -dc[k]; single = k; b1 = -1 }
                guard dc[k] < 0 || !fits else { continue }
                if k & 63 == 63 && deadline.expired { break }
                let gk = group[k], dck = dc[k]
                for l in (k + 1)..<eligible.count {
                    let gain = -(dck + dc[l])
                    guard gain > bestGain, group[l] != gk, !current[l] else { continue }
                    var ok = true
                    for r in 0..<m where used[r] + dw[k * m + r] + dw[l * m + r] > cap[r] { ok = false; break }
                    if ok { bestGain = gain; b1 = k; b2 = l; single = -1 }
                }
            }
            }
            }
            }
            }
            }
            if single >= 0 {
                let e = eligible[single]
                for r in 0..<m { used[r] += dw[single * m + r] }
                x[e.g] = e.i
                gained += bestGain
            } else if b1 >= 0 {
                gained += bestGain
                for k in [b1, b2] {
                    let e = eligible[k]
                    for r in 0..<m { used[r] += dw[k * m + r] }
                    x[e.g] = e.i
                }
            } else {
                break
            }
        }
        return feasible(x) ? x : start
    }
}
