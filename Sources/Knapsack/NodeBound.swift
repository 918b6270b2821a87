/// The Lagrangian bound of a branch-and-bound node's open subproblem, re-optimised at the node.
///
/// The open groups (a list of level ids `open`) (their remaining candidate items) must fit in the residual
/// capacities `cap - used`. For λ ≥ 0 their cost is at least
/// `sum_{k>=d} min_{i in level k} (c_i + λ·a_i) - λ·(cap - used)`; one pass of coordinate
/// ascent with exact line searches (as in `LagrangianDual`), warm-started from the parent's
/// multipliers, tightens it. An unbounded line search proves the node infeasible.
struct NodeBound {
    let m: Int
    /// Level k owns candidates `levelStart[k] ..< levelStart[k+1]`.
    let levelStart: [Int]
    let cost: [Double]
    /// `a[candidate * m + r]`.
    let a: [Double]

    init(levels: [[Int]], model: Model) {
        m = model.m
        var ls = [0], c: [Double] = [], w: [Double] = []
        for items in levels {
            for i in items {
                c.append(model.cost[i])
                for r in 0..<model.m { w.append(model.a[i * model.m + r]) }
            }
            ls.append(c.count)
        }
        levelStart = ls
        cost = c
        a = w
    }

    /// The maximiser t in [0, tMax] of `sum_k min_i (reduced_i + t β_i) - t (dir·residual)` with
    /// `β_i = dir·a_i` (concave, piecewise linear; breakpoints from each group's lower envelope),
    /// or nil when it is unbounded (the residual capacities cannot be met).
    func lineSearch(_ open: ArraySlice<Int>, _ residual: [Double], _ dir: [Double], tMax: Double,
                    _ reduced: inout [Double], _ events: inout [(t: Double, dSlope: Double)]) -> Double? {
        events.removeAll(keepingCapacity: true)
        var slope = 0.0
        for r in 0..<m { slope -= dir[r] * residual[r] }
        @inline(__always) func beta(_ i: Int) -> Double {
            var s = 0.0
            for r in 0..<m where dir[r] != 0 { s += dir[r] * a[i * m + r] }
            return s
        }
        for k in open {
            let lo = levelStart[k], hi = levelStart[k + 1]
            var p = lo
            var pa = reduced[lo], pb = beta(lo)
            for i in (lo + 1)..<hi {
                let ai = reduced[i], bi = beta(i)
                if ai < pa || (ai == pa && bi < pb) { p = i; pa = ai; pb = bi }
            }
            slope += pb
            var t = 0.0
            while true {
                var q = -1, qt = Double.infinity, qa = 0.0, qb = 0.0
                for i in lo..<hi where i != p {
                    let bi = beta(i)
                    guard bi < pb else { continue }
                    let ai = reduced[i]
                    let ti = Swift.max(t, (ai - pa) / (pb - bi))
                    if ti < qt || (ti == qt && bi < qb) { q = i; qt = ti; qa = ai; qb = bi }
                }
                if q < 0 || qt >= tMax { break }
                events.append((qt, qb - pb))
                p = q; pa = qa; pb = qb; t = qt
            }
        }
        if slope <= 0 { return 0 }
        events.sort { $0.t < $1.t }
        for e in events {
            slope += e.dSlope
            if slope <= 0 { return e.t }
        }
        return tMax < .infinity ? tMax : nil
    }

    /// The bound on the open part's cost (levels ≥ d), updating `lambda` in place; +infinity
    /// when the residual capacities cannot be met.
    /// - Complexity: O(passes * m * (n h + E log E)) over the open candidates.
    /// Candidates j with `deadAt[j] < depth` (fixed out by reduced-cost fixing at an ancestor)
    /// are excluded (their reduced cost is +infinity).
    func bound(open: ArraySlice<Int>, residual: [Double], lambda: inout [Double], passes: Int, reduced: inout [Double],
               events: inout [(t: Double, dSlope: Double)], deadAt: [Int] = [], depth: Int = 0) -> Double {
        if open.isEmpty { return 0 }
        for k in open {
        for i in levelStart[k]..<levelStart[k + 1] {
            var s = cost[i]
            for r in 0..<m { s += lambda[r] * a[i * m + r] }
            reduced[i] = s
            if !deadAt.isEmpty && deadAt[i] < depth { reduced[i] = .infinity }
        }
        }
        func value() -> Double {
            var total = 0.0
            for k in open {
                var best = Double.infinity
                for i in levelStart[k]..<levelStart[k + 1] where reduced[i] < best { best = reduced[i] }
                total += best
            }
            for r in 0..<m { total -= lambda[r] * residual[r] }
            return total
        }
        var best = value()
        var direction = [Double](repeating: 0, count: m)
        for _ in 0..<passes {
            for r in 0..<m {
                // Up along e_r; when that does not move, down along -e_r (not below 0).
                for s in 0..<m { direction[s] = s == r ? 1 : 0 }
                guard var t = lineSearch(open, residual, direction, tMax: .infinity, &reduced, &events) else { return .infinity }
                if t == 0 && lambda[r] > 0 {
                    direction[r] = -1
                    t = -(lineSearch(open, residual, direction, tMax: lambda[r], &reduced, &events) ?? 0)
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
                if any, let t = lineSearch(open, residual, direction, tMax: tMax, &reduced, &events), t > 0 {
                    for k in open { for i in levelStart[k]..<levelStart[k + 1] {
                        var s = 0.0
                        for r in 0..<m { s += direction[r] * a[i * m + r] }
                        reduced[i] += t * s
                    } }
                    for r in 0..<m { lambda[r] = Swift.max(0, lambda[r] + t * direction[r]) }
                }
            }
            best = value()
        }
        return best
    }
}
