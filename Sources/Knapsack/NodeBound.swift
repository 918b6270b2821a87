/// The Lagrangian bound of a branch-and-bound node's open subproblem, re-optimised at the node.
///
/// The open levels `open` (their remaining candidate items) must fit in the residual capacities
/// `cap - used`. For λ ≥ 0 their cost is at least
/// `sum_{k open} min_{i in level k} (c_i + λ·a_i) - λ·(cap - used)`; passes of coordinate ascent
/// with exact line searches (the `EnvelopeLineSearch` the root dual uses too) plus a projected
/// subgradient line search, warm-started from the parent's multipliers, tighten it. An unbounded
/// line search proves the node infeasible.
struct NodeBound {
    let m: Int
    /// Level k owns candidates `levelStart[k] ..< levelStart[k+1]`.
    let levelStart: [Int]
    let cost: [Double]
    /// `a[candidate * m + r]`.
    let a: [Double]
    /// Model item of every candidate.
    let item: [Int]

    // Workspace.
    private var beta: [Double]
    private var direction: [Double]
    private var envelope = EnvelopeLineSearch()

    init(levels: [[Int]], model: Model) {
        m = model.m
        var ls = [0], c: [Double] = [], w: [Double] = [], it: [Int] = []
        for items in levels {
            for i in items {
                c.append(model.cost[i])
                it.append(i)
                for r in 0..<model.m { w.append(model.a[i * model.m + r]) }
            }
            ls.append(c.count)
        }
        levelStart = ls
        cost = c
        a = w
        item = it
        beta = [Double](repeating: 0, count: c.count)
        direction = [Double](repeating: 0, count: model.m)
    }

    /// The maximiser t in [0, tMax] along `direction` (reduced costs as α, `direction·a` as β),
    /// nil when unbounded.
    private mutating func lineSearch<Open: Collection>(_ open: Open, _ residual: [Double], tMax: Double,
                                                       _ reduced: [Double]) -> Double? where Open.Element == Int {
        var slope0 = 0.0
        for r in 0..<m { slope0 -= direction[r] * residual[r] }
        for k in open {
            for i in levelStart[k]..<levelStart[k + 1] {
                var s = 0.0
                for r in 0..<m where direction[r] != 0 { s += direction[r] * a[i * m + r] }
                beta[i] = s
            }
        }
        return envelope.maximiser(levels: open, start: levelStart, alpha: reduced, beta: beta, slope0: slope0, tMax: tMax)
    }

    /// `sum_open min reduced - λ·residual`.
    private func value<Open: Collection>(_ open: Open, _ residual: [Double], _ lambda: [Double], _ reduced: [Double]) -> Double
        where Open.Element == Int {
        var total = 0.0
        for k in open {
            var best = Double.infinity
            for i in levelStart[k]..<levelStart[k + 1] where reduced[i] < best { best = reduced[i] }
            total += best
        }
        for r in 0..<m { total -= lambda[r] * residual[r] }
        return total
    }

    /// The bound on the open part's cost, updating `lambda` in place and the reduced costs
    /// `c + λ·a` of the open candidates; +infinity when the residual capacities cannot be met.
    /// Candidates j with `deadAt[j] < depth` (fixed out by reduced-cost fixing at an ancestor)
    /// are excluded (their reduced cost is +infinity).
    /// - Complexity: O(passes * m * (n h + E)) over the open candidates.
    mutating func bound<Open: Collection>(open: Open, residual: [Double], lambda: inout [Double], passes: Int,
                                          reduced: inout [Double], deadAt: [Int] = [], depth: Int = 0) -> Double
        where Open.Element == Int {
        if open.isEmpty { return 0 }
        for k in open {
            var alive = false
            for i in levelStart[k]..<levelStart[k + 1] {
                var s = cost[i]
                for r in 0..<m { s += lambda[r] * a[i * m + r] }
                if !deadAt.isEmpty && deadAt[i] < depth { s = .infinity } else { alive = true }
                reduced[i] = s
            }
            if !alive { return .infinity }
        }
        var best = value(open, residual, lambda, reduced)
        for _ in 0..<passes {
            for r in 0..<m {
                // Up along e_r; when that does not move, down along -e_r (not below 0).
                for s in 0..<m { direction[s] = s == r ? 1 : 0 }
                guard var t = lineSearch(open, residual, tMax: .infinity, reduced) else { return .infinity }
                if t == 0 && lambda[r] > 0 {
                    direction[r] = -1
                    t = -(lineSearch(open, residual, tMax: lambda[r], reduced) ?? 0)
                }
                if t != 0 {
                    for k in open { for i in levelStart[k]..<levelStart[k + 1] { reduced[i] += t * a[i * m + r] } }
                    lambda[r] = Swift.max(0, lambda[r] + t)
                }
            }
            // Then along the projected subgradient (escapes the kinks where coordinate moves stall).
            if m > 1 {
                for r in 0..<m { direction[r] = -residual[r] }
                for k in open {
                    var b = levelStart[k]
                    for i in levelStart[k]..<levelStart[k + 1] where reduced[i] < reduced[b] { b = i }
                    for r in 0..<m { direction[r] += a[b * m + r] }
                }
                var tMax = Double.infinity
                var any = false
                for r in 0..<m {
                    if lambda[r] <= 0 && direction[r] < 0 { direction[r] = 0 }
                    if direction[r] < 0 { tMax = Swift.min(tMax, lambda[r] / -direction[r]) }
                    if direction[r] != 0 { any = true }
                }
                if any, let t = lineSearch(open, residual, tMax: tMax, reduced), t > 0 {
                    for k in open { for i in levelStart[k]..<levelStart[k + 1] {
                        var s = 0.0
                        for r in 0..<m { s += direction[r] * a[i * m + r] }
                        reduced[i] += t * s
                    } }
                    for r in 0..<m { lambda[r] = Swift.max(0, lambda[r] + t * direction[r]) }
                }
            }
            best = value(open, residual, lambda, reduced)
        }
        return best
    }
}
