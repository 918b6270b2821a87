/// The Lagrangian bound of a branch-and-bound node's open subproblem, re-optimised at the node.
///
/// The open groups `levels[d..<D]` (their remaining candidate items) must fit in the residual
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

    /// The bound on the open part's cost (levels ≥ d), updating `lambda` in place; +infinity
    /// when the residual capacities cannot be met.
    /// - Complexity: O(passes * m * (n h + E log E)) over the open candidates.
    func bound(from d: Int, residual: [Double], lambda: inout [Double], passes: Int, reduced: inout [Double],
               events: inout [(t: Double, dSlope: Double)]) -> Double {
        let D = levelStart.count - 1
        let lo0 = levelStart[d], hi0 = levelStart[D]
        if lo0 == hi0 { return 0 }
        for i in lo0..<hi0 {
            var s = cost[i]
            for r in 0..<m { s += lambda[r] * a[i * m + r] }
            reduced[i] = s
        }
        func value() -> Double {
            var total = 0.0
            for k in d..<D {
                var best = Double.infinity
                for i in levelStart[k]..<levelStart[k + 1] where reduced[i] < best { best = reduced[i] }
                total += best
            }
            for r in 0..<m { total -= lambda[r] * residual[r] }
            return total
        }
        var best = value()
        for _ in 0..<passes {
            for r in 0..<m {
                events.removeAll(keepingCapacity: true)
                var slope = -residual[r]
                let lr = lambda[r]
                for k in d..<D {
                    let lo = levelStart[k], hi = levelStart[k + 1]
                    var p = lo
                    var pa = reduced[lo] - lr * a[lo * m + r], pb = a[lo * m + r]
                    for i in (lo + 1)..<hi {
                        let ai = reduced[i] - lr * a[i * m + r], bi = a[i * m + r]
                        if ai < pa || (ai == pa && bi < pb) { p = i; pa = ai; pb = bi }
                    }
                    slope += pb
                    var t = 0.0
                    while true {
                        var q = -1, qt = Double.infinity, qa = 0.0, qb = 0.0
                        for i in lo..<hi where i != p {
                            let bi = a[i * m + r]
                            guard bi < pb else { continue }
                            let ai = reduced[i] - lr * a[i * m + r]
                            let ti = Swift.max(t, (ai - pa) / (pb - bi))
                            if ti < qt || (ti == qt && bi < qb) { q = i; qt = ti; qa = ai; qb = bi }
                        }
                        if q < 0 { break }
                        events.append((qt, qb - pb))
                        p = q; pa = qa; pb = qb; t = qt
                    }
                }
                var tStar = 0.0
                if slope > 0 {
                    events.sort { $0.t < $1.t }
                    var found = false
                    for e in events {
                        slope += e.dSlope
                        if slope <= 0 { tStar = e.t; found = true; break }
                    }
                    if !found { return .infinity }
                }
                let delta = tStar - lr
                if delta != 0 {
                    for i in lo0..<hi0 { reduced[i] += delta * a[i * m + r] }
                    lambda[r] = tStar
                }
            }
            best = Swift.max(best, value())
        }
        return best
    }
}
