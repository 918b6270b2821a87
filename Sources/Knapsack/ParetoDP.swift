import Foundation

/// Dynamic programming over the open groups with Pareto dominance and Lagrangian bounding.
///
/// States after the first k open groups are partial choices `(cost C, usage U)`. A state is
/// dropped when (1) some row cannot be met even with the least coefficients of the remaining
/// groups, (2) its bound `C + sum_{rest} min_i (c_i + λ·a_i) - λ·(cap - U) >= UB - tol`, or
/// (3) another state has cost ≤ C and usage ≤ U in every row (it can be completed the same way
/// for no more). Unlike depth-first search, (3) merges the many partial choices that differ
/// only by near-ties. Dominance is found with a staircase for one or two rows and a scan otherwise.
/// - Complexity: O(sum_k S_k n_k log(S_k n_k)) for m ≤ 2 (S_k the states after group k);
///   the scan makes it O(S^2 m) per group for m ≥ 3, so it gives up above `maxStates`.
struct ParetoDP {
    struct Outcome {
        /// Best completion found (model item per open level), nil when none beats UB.
        var choice: [Int]?
        var cost: Double
        /// Valid lower bound over every choice (the least state bound when stopped).
        var bound: Double
        var states: Int
        var complete: Bool
        var timedOut: Bool
        /// Diversity bands that resumed a narrower one instead of starting afresh (`ClassDP.runBanded`).
        var resumedBands = 0
        /// Band candidates cut by dominance across keys (`ClassDP.ResumableBand.dominatedAcrossKeys`).
        var crossKeyCuts = 0
    }

    /// Runs the DP. `levels[k]` are model items; `baseCost`/`base` the fixed groups' totals.
    /// `completions`: exact one-row completion bounds over the same levels (`RowDecomposition`),
    /// checked for every new state besides the Lagrangian bound.
    static func run(model: Model, levels: [[Int]], baseCost: Double, base: [Double], lambda: [Double],
                    ub: Double, tol: Double, maxStates: Int, deadline: Deadline,
                    completions: [RowDecomposition.Completion] = []) -> Outcome? {
        let m = model.m
        let D = levels.count
        // restMinReduced[k]: sum over levels >= k of min_i (c + λ·a); restMinA[k*m+r] likewise for a.
        var reducedMin = [Double](repeating: 0, count: D + 1)
        var restA = [Double](repeating: 0, count: (D + 1) * m)
        for k in stride(from: D - 1, through: 0, by: -1) {
            var lo = Double.infinity
            for i in levels[k] {
                var s = model.cost[i]
                for r in 0..<m { s += lambda[r] * model.a[i * m + r] }
                lo = Swift.min(lo, s)
            }
            reducedMin[k] = reducedMin[k + 1] + lo
            for r in 0..<m {
                var least = Double.infinity
                for i in levels[k] { least = Swift.min(least, model.a[i * m + r]) }
                restA[k * m + r] = restA[(k + 1) * m + r] + least
            }
        }
        // The two rows that bind most (largest λ_r * cap_r) carry the dominance staircase.
        let weight: [Double] = (0..<m).map { abs(lambda[$0] * model.cap[$0]) }
        let byWeight = (0..<m).sorted { (x: Int, y: Int) -> Bool in weight[x] > weight[y] || (weight[x] == weight[y] && x < y) }
        let rowP = m > 0 ? byWeight[0] : 0
        let rowQ = m > 1 ? byWeight[1] : rowP
        var lambdaCap = 0.0
        for r in 0..<m { lambdaCap += lambda[r] * model.cap[r] }
        var cost: [Double] = [baseCost]
        var usage: [Double] = base
        var parents: [[Int32]] = []
        var items: [[Int32]] = []
        var totalStates = 1
        var ub = ub
        func bound(_ c: Double, _ u: ArraySlice<Double>, _ k: Int) -> Double {
            var s = c + reducedMin[k] - lambdaCap
            var j = u.startIndex
            for r in 0..<m { s += lambda[r] * u[j]; j += 1 }
            return s
        }
        var next = [Double](repeating: 0, count: m)
        for k in 0..<D {
            if deadline.expired {
                var lo = Double.infinity
                for s in 0..<cost.count { lo = Swift.min(lo, bound(cost[s], usage[(s * m)..<(s * m + m)], k)) }
                return Outcome(choice: nil, cost: ub, bound: Swift.min(ub, lo), states: totalStates, complete: false, timedOut: true)
            }
            // Candidates of the next stage.
            var cc: [Double] = []
            var cu: [Double] = []
            var cp: [Int32] = []
            var ci: [Int32] = []
            let S = cost.count
            for s in 0..<S {
                for i in levels[k] {
                    let c = cost[s] + model.cost[i]
                    var ok = true
                    for r in 0..<m where usage[s * m + r] + model.a[i * m + r] + restA[(k + 1) * m + r] > model.cap[r] {
                        ok = false
                        break
                    }
                    guard ok else { continue }
                    var b = c + reducedMin[k + 1] - lambdaCap
                    for r in 0..<m { b += lambda[r] * (usage[s * m + r] + model.a[i * m + r]) }
                    guard b < ub - tol else { continue }
                    for r in 0..<m { next[r] = usage[s * m + r] + model.a[i * m + r] }
                    var alive = true
                    for completion in completions where completion.bound(next: k + 1, cost: c, usage: next[...]) >= ub - tol {
                        alive = false
                        break
                    }
                    guard alive else { continue }
                    cc.append(c)
                    cu.append(contentsOf: next)
                    cp.append(Int32(s))
                    ci.append(Int32(i))
                }
            }
            totalStates += cc.count
            let keep = nondominated(cost: cc, usage: cu, m: m, rowP: rowP, rowQ: rowQ)
            if keep.count > maxStates { return nil }
            cost = keep.map { cc[$0] }
            usage = []
            usage.reserveCapacity(keep.count * m)
            for x in keep { for r in 0..<m { usage.append(cu[x * m + r]) } }
            parents.append(keep.map { cp[$0] })
            items.append(keep.map { ci[$0] })
            if cost.isEmpty { break }
        }
        guard cost.count > 0, parents.count == D else {
            return Outcome(choice: nil, cost: ub, bound: ub, states: totalStates, complete: true, timedOut: false)
        }
        // The cheapest final state (all are feasible: the rest-minimum check was exact at the end).
        var best = 0
        for s in 1..<cost.count where cost[s] < cost[best] { best = s }
        guard cost[best] < ub else {
            return Outcome(choice: nil, cost: ub, bound: ub, states: totalStates, complete: true, timedOut: false)
        }
        ub = cost[best]
        var choice = [Int](repeating: 0, count: D)
        var s = best
        for k in stride(from: D - 1, through: 0, by: -1) {
            choice[k] = Int(items[k][s])
            s = Int(parents[k][s])
        }
        return Outcome(choice: choice, cost: ub, bound: ub, states: totalStates, complete: true, timedOut: false)
    }

    /// Indices of the states not found dominated, in increasing cost: a state is dropped when an
    /// earlier (cheaper, or equally cheap and lexicographically smaller) kept state uses no more
    /// of every row. Exact for up to two rows (a staircase on rows `rowP`, `rowQ`); for more rows a
    /// sound partial test (every dropped state is dominated, some dominated ones are kept).
    /// - Complexity: O(S log S + S h), h the staircase length.
    static func nondominated(cost cc: [Double], usage cu: [Double], m: Int, rowP: Int, rowQ: Int) -> [Int] {
        let order = cc.indices.sorted { x, y in
            if cc[x] != cc[y] { return cc[x] < cc[y] }
            for r in 0..<m where cu[x * m + r] != cu[y * m + r] { return cu[x * m + r] < cu[y * m + r] }
            return x < y
        }
        var keep: [Int] = []
        keep.reserveCapacity(order.count)
        if m == 0 {
            if let f = order.first { keep = [f] }
        } else if m == 1 {
            var least = Double.infinity
            for x in order where cu[x] < least { least = cu[x]; keep.append(x) }
        } else {
            // Staircase on rows (p, q), u_p ascending and u_q strictly descending; a state is
            // dropped when the staircase point to its left also covers every other row.
            var sp: [Double] = [], sq: [Double] = [], sx: [Int] = []
            for x in order {
                let up = cu[x * m + rowP], uq = cu[x * m + rowQ]
                var lo = 0, hi = sp.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if sp[mid] <= up { lo = mid + 1 } else { hi = mid }
                }
                if lo > 0 && sq[lo - 1] <= uq {
                    let y = sx[lo - 1]
                    var covers = true
                    if m > 2 {
                        for r in 0..<m where cu[y * m + r] > cu[x * m + r] { covers = false; break }
                    }
                    if covers { continue }
                    keep.append(x)
                    continue
                }
                keep.append(x)
                var end = lo
                while end < sp.count && sq[end] >= uq { end += 1 }
                sp.replaceSubrange(lo..<end, with: [up])
                sq.replaceSubrange(lo..<end, with: [uq])
                sx.replaceSubrange(lo..<end, with: [x])
            }
        }
        return keep
    }
}
