/// The exact LP bound of a branch-and-bound node, by a primal simplex in generalised-upper-bound
/// (GUB) form, for the multipliers λ at which `NodeBound`'s coordinate ascent stalls.
///
/// Node LP over the open levels (their alive candidates j, coefficients `a_j`, costs `c_j`):
/// `min sum_j c_j x_j` s.t. `sum_{j in level} x_j = 1`, `sum_j a_j x_j + s - z = residual`,
/// `x, s, z >= 0` (slack s, artificial z per constraint). A basis holds one *key* candidate per
/// open level plus m *extras* (non-key candidates, slacks or artificials); with
/// `x_key = 1 - sum(extras of its level)` the m constraint rows reduce to the m x m working basis
/// `B` whose columns are `a_j - a_key(level j)` (candidates), `e_r` (slacks), `-e_r`
/// (artificials): `B x_E = residual - sum_levels a_key`, and the multipliers solve
/// `B^T λ = -(c_j - c_key)` (0 for slacks; artificials cost 1 in phase 1). The reduced cost of a
/// candidate is `c_j + λ·a_j - (c_key + λ·a_key)`.
///
/// B is rebuilt and factorised from scratch at every pivot (m is small: O(m^3) is cheaper than
/// tracking key changes), so no error accumulates across pivots. The simplex only proposes λ: the
/// caller evaluates the Lagrangian bound `L(λ)` itself, so any floating-point error can only
/// weaken a bound, never invalidate it. An infeasibility claim is accepted only with a Farkas
/// certificate checked on the data (`sum_levels min_j y·a_j - y·residual > 0` for the phase-1
/// duals y >= 0: then `L(λ + t y)` grows without bound).
/// - Complexity: O(n m + G m + m^3) per pivot over n open candidates and G open levels; a start
///   from the parent's multipliers typically needs a few pivots per constraint.
struct NodeLP {
    let m: Int
    let levelStart: [Int]
    let cost: [Double]
    let a: [Double]
    /// Level of every candidate.
    let levelOf: [Int]
    /// Pivot-size and reduced-cost tolerances (rows are scaled to magnitude 1 by `Model`).
    let pivotTolerance = 1e-9
    let reducedTolerance: Double
    var maxPivots = 60

    // Workspace.
    private var key: [Int]
    /// Extra position of a candidate, or -1.
    private var extraPos: [Int]
    /// Per position: candidate index >= 0, or `-1 - r` (slack r), or `-1 - m - r` (artificial r).
    private var extra: [Int]
    private var xE: [Double]
    private var lu: [Double]
    private var piv: [Int]
    private var keySum: [Double]
    private var col: [Double]
    private var w: [Double]
    private var cd: [Double]
    private var rate: [Double]
    /// Pricing multipliers of the current basis.
    private var lambda: [Double]
    private(set) var pivots = 0
    /// Stops the pivoting (with the current multipliers) when it passes.
    var deadline = Deadline.none

    init(nodeBound nb: NodeBound, costScale: Double) {
        m = nb.m
        levelStart = nb.levelStart
        cost = nb.cost
        a = nb.a
        var lo = [Int](repeating: 0, count: nb.cost.count)
        for k in 0..<(nb.levelStart.count - 1) { for j in nb.levelStart[k]..<nb.levelStart[k + 1] { lo[j] = k } }
        levelOf = lo
        reducedTolerance = 1e-12 * costScale
        key = [Int](repeating: 0, count: nb.levelStart.count - 1)
        extraPos = [Int](repeating: -1, count: nb.cost.count)
        extra = [Int](repeating: 0, count: nb.m)
        xE = [Double](repeating: 0, count: nb.m)
        lu = [Double](repeating: 0, count: nb.m * nb.m)
        piv = [Int](repeating: 0, count: nb.m)
        keySum = [Double](repeating: 0, count: nb.m)
        col = [Double](repeating: 0, count: nb.m)
        w = [Double](repeating: 0, count: nb.m)
        cd = [Double](repeating: 0, count: nb.m)
        rate = [Double](repeating: 0, count: nb.levelStart.count - 1)
        lambda = [Double](repeating: 0, count: nb.m)
    }

    enum Outcome {
        /// Multipliers to evaluate (the LP optimum's, or the last ones when stopped early).
        case multipliers([Double])
        /// The node's constraints cannot be met (certificate checked).
        case infeasible
        /// Numerical trouble (singular basis): use another bound.
        case failed
    }

    /// The LP relaxation of a whole model (every group open, capacities `cap`), started from the
    /// least-reduced-cost item per group under `start`, with a pivot budget of 50 per row.
    static func root(_ model: Model, start: [Double], deadline: Deadline = .none) -> Outcome {
        let G = model.groupCount
        let all = NodeBound(levels: (0..<G).map { Array(model.start[$0]..<model.start[$0 + 1]) }, model: model)
        var lp = NodeLP(nodeBound: all, costScale: model.costScale)
        lp.deadline = deadline
        lp.maxPivots = 50 * (G + model.m)
        return lp.solve(open: Array(0..<G)[...], residual: model.cap, start: start,
                        deadAt: [Int](repeating: .max, count: all.cost.count), depth: 0)
    }

    /// Column of extra `e` into `col`.
    @inline(__always) private mutating func loadColumn(_ e: Int) {
        if e >= 0 {
            let k = key[levelOf[e]]
            for r in 0..<m { col[r] = a[e * m + r] - a[k * m + r] }
        } else {
            for r in 0..<m { col[r] = 0 }
            let r = -1 - e
            if r < m { col[r] = 1 } else { col[r - m] = -1 }
        }
    }

    /// LU factorisation with partial pivoting of the working basis; false when singular.
    private mutating func factorize() -> Bool {
        for p in 0..<m {
            loadColumn(extra[p])
            for r in 0..<m { lu[r * m + p] = col[r] }
        }
        for k in 0..<m {
            var best = k, bv = abs(lu[k * m + k])
            for r in (k + 1)..<m where abs(lu[r * m + k]) > bv { best = r; bv = abs(lu[r * m + k]) }
            if bv < 1e-12 { return false }
            piv[k] = best
            if best != k { for c in 0..<m { lu.swapAt(k * m + c, best * m + c) } }
            let d = lu[k * m + k]
            for r in (k + 1)..<m {
                let f = lu[r * m + k] / d
                lu[r * m + k] = f
                if f != 0 { for c in (k + 1)..<m { lu[r * m + c] -= f * lu[k * m + c] } }
            }
        }
        return true
    }

    /// Solves `B v = v` in place with the factors `lu`, `piv` of an m x m basis.
    private static func luSolve(_ v: inout [Double], lu: [Double], piv: [Int], m: Int) {
        for k in 0..<m where piv[k] != k { v.swapAt(k, piv[k]) }
        for r in 0..<m { var s = v[r]; for c in 0..<r { s -= lu[r * m + c] * v[c] }; v[r] = s }
        for r in stride(from: m - 1, through: 0, by: -1) {
            var s = v[r]
            for c in (r + 1)..<m { s -= lu[r * m + c] * v[c] }
            v[r] = s / lu[r * m + r]
        }
    }

    /// Solves `B^T v = v` in place with the factors `lu`, `piv` of an m x m basis.
    private static func luSolveTransposed(_ v: inout [Double], lu: [Double], piv: [Int], m: Int) {
        // B = P^T L U  =>  B^T = U^T L^T P; solve U^T y = v, L^T z = y, then v = P^T z.
        for c in 0..<m {
            var s = v[c]
            for r in 0..<c { s -= lu[r * m + c] * v[r] }
            v[c] = s / lu[c * m + c]
        }
        for c in stride(from: m - 1, through: 0, by: -1) {
            var s = v[c]
            for r in (c + 1)..<m { s -= lu[r * m + c] * v[r] }
            v[c] = s
        }
        for k in stride(from: m - 1, through: 0, by: -1) where piv[k] != k { v.swapAt(k, piv[k]) }
    }

    /// The entering candidate of least reduced cost `c_j + λ·a_j - (c_key + λ·a_key)` (phase 1:
    /// without the costs) among the alive non-basic candidates of the open levels, and that
    /// reduced cost; (-1, -tolerance) when none is below it. Bland: the first one below it.
    /// - Complexity: O(n m) over the open candidates (the hot loop of the node LP).
    private func price<Open: Collection>(_ open: Open, phase1: Bool, bland: Bool, deadAt: [Int], depth: Int) -> (Int, Double)
        where Open.Element == Int {
        let m = self.m
        var enter = -1, enterD = -reducedTolerance
        a.withUnsafeBufferPointer { A in
            cost.withUnsafeBufferPointer { C in
                extraPos.withUnsafeBufferPointer { E in
                    deadAt.withUnsafeBufferPointer { dead in
                        lambda.withUnsafeBufferPointer { L in
                            for lv in open {
                                let k = key[lv]
                                var u = phase1 ? 0 : C[k]
                                for r in 0..<m { u += L[r] * A[k * m + r] }
                                let hi = levelStart[lv + 1]
                                var j = levelStart[lv]
                                while j < hi {
                                    defer { j += 1 }
                                    guard j != k && E[j] < 0 && dead[j] >= depth else { continue }
                                    var d = (phase1 ? 0 : C[j]) - u
                                    for r in 0..<m { d += L[r] * A[j * m + r] }
                                    if d < enterD { enterD = d; enter = j; if bland { break } }
                                }
                                if bland && enter >= 0 { break }
                            }
                        }
                    }
                }
            }
        }
        return (enter, enterD)
    }

    /// Optimal node multipliers, starting from the keys of least reduced cost under `start`.
    /// Candidates with `deadAt[j] < depth` (fixed out at an ancestor) are excluded.
    mutating func solve<Open: Collection>(open: Open, residual: [Double], start: [Double], deadAt: [Int], depth: Int) -> Outcome
        where Open.Element == Int {
        @inline(__always) func alive(_ j: Int) -> Bool { deadAt[j] >= depth }
        guard m > 0 else { return .multipliers([]) }
        for r in 0..<m { keySum[r] = 0 }
        for lv in open {
            var b = -1, bv = Double.infinity
            for j in levelStart[lv]..<levelStart[lv + 1] where alive(j) {
                var s = cost[j]
                for r in 0..<m { s += start[r] * a[j * m + r] }
                if s < bv { bv = s; b = j }
            }
            if b < 0 { return .infeasible }  // cannot happen: every level keeps a candidate
            key[lv] = b
            for r in 0..<m { keySum[r] += a[b * m + r] }
        }
        var phase1 = false
        for r in 0..<m {
            if residual[r] - keySum[r] >= 0 { extra[r] = -1 - r } else { extra[r] = -1 - m - r; phase1 = true }
        }
        for r in 0..<m { lambda[r] = 0 }
        var degenerate = 0
        defer { for p in 0..<m where extra[p] >= 0 { extraPos[extra[p]] = -1 } }
        for p in 0..<m where extra[p] >= 0 { extraPos[extra[p]] = p }
        pivots = 0
        while true {
            guard factorize() else { return .failed }
            for r in 0..<m { xE[r] = residual[r] - keySum[r] }
            Self.luSolve(&xE, lu: lu, piv: piv, m: m)
            if phase1 {
                // Phase 2 as soon as no artificial is positive (those left basic stay at zero).
                var stillPositive = false
                for p in 0..<m where extra[p] < 0 && -1 - extra[p] >= m && xE[p] > 1e-12 { stillPositive = true }
                if !stillPositive { phase1 = false; degenerate = 0 }
            }
            for p in 0..<m {
                let e = extra[p]
                if e >= 0 { cd[p] = phase1 ? 0 : cost[e] - cost[key[levelOf[e]]] }
                else { cd[p] = (-1 - e >= m && phase1) ? 1 : 0 }
            }
            // B^T λ = -cd; for an artificial (column -e_r, phase-1 cost 1): -λ_r = -1, so λ_r = 1.
            for p in 0..<m { lambda[p] = -cd[p] }
            Self.luSolveTransposed(&lambda, lu: lu, piv: piv, m: m)
            // Pricing (Dantzig; Bland's smallest index after a run of degenerate pivots).
            let bland = degenerate > 2 * m + 5
            var (enter, enterD) = price(open, phase1: phase1, bland: bland, deadAt: deadAt, depth: depth)
            if enter < 0 || !bland {
                for r in 0..<m where lambda[r] < enterD && !extra.contains(-1 - r) {
                    if bland && enter >= 0 { break }
                    enterD = lambda[r]; enter = -1 - r
                }
            }
            if enterD >= -reducedTolerance {
                // Optimal for this phase.
                if phase1 {
                    var infeasibility = 0.0
                    for p in 0..<m where extra[p] < 0 && -1 - extra[p] >= m { infeasibility += Swift.max(0, xE[p]) }
                    if infeasibility > 1e-9 {
                        // Farkas: the phase-1 duals y = λ >= 0 must prove it on the data.
                        let y = lambda.map { Swift.max(0, $0) }
                        var f = 0.0
                        for lv in open {
                            var lo = Double.infinity
                            for j in levelStart[lv]..<levelStart[lv + 1] where alive(j) {
                                var s = 0.0
                                for r in 0..<m { s += y[r] * a[j * m + r] }
                                lo = Swift.min(lo, s)
                            }
                            f += lo
                        }
                        for r in 0..<m { f -= y[r] * residual[r] }
                        if f > 1e-12 { return .infeasible }
                        return .failed
                    }
                    phase1 = false
                    degenerate = 0
                    continue
                }
                return .multipliers(lambda.map { Swift.max(0, $0) })
            }
            pivots += 1
            if pivots > maxPivots || (pivots & 7 == 0 && deadline.expired) { return phase1 ? .failed : .multipliers(lambda.map { Swift.max(0, $0) }) }
            // Direction: B w = column(enter); x_E -= θ w, keys move by θ * rate.
            loadColumn(enter)
            for r in 0..<m { w[r] = col[r] }
            Self.luSolve(&w, lu: lu, piv: piv, m: m)
            for lv in open { rate[lv] = 0 }
            for p in 0..<m where extra[p] >= 0 { rate[levelOf[extra[p]]] += w[p] }
            if enter >= 0 { rate[levelOf[enter]] -= 1 }
            var theta = Double.infinity, leaveExtra = -1, leaveLevel = -1, leaveSize = 0.0
            for p in 0..<m {
                let isArtificial = extra[p] < 0 && -1 - extra[p] >= m
                if w[p] > pivotTolerance {
                    let t = Swift.max(0, xE[p]) / w[p]
                    if t < theta || (t == theta && w[p] > leaveSize) { theta = t; leaveExtra = p; leaveLevel = -1; leaveSize = w[p] }
                } else if isArtificial && !phase1 && w[p] < -pivotTolerance {
                    // An artificial left at zero in phase 2 may not grow.
                    if 0 < theta || (0 == theta && -w[p] > leaveSize) { theta = 0; leaveExtra = p; leaveLevel = -1; leaveSize = -w[p] }
                }
            }
            for lv in open where rate[lv] < -pivotTolerance {
                var x = 1.0
                for p in 0..<m where extra[p] >= 0 && levelOf[extra[p]] == lv { x -= xE[p] }
                let t = Swift.max(0, x) / -rate[lv]
                if t < theta || (t == theta && -rate[lv] > leaveSize) { theta = t; leaveExtra = -1; leaveLevel = lv; leaveSize = -rate[lv] }
            }
            if theta == .infinity { return .failed }  // unbounded: impossible for this LP
            degenerate = theta <= 1e-12 ? degenerate + 1 : 0
            if leaveExtra >= 0 {
                if extra[leaveExtra] >= 0 { extraPos[extra[leaveExtra]] = -1 }
                extra[leaveExtra] = enter
                if enter >= 0 { extraPos[enter] = leaveExtra }
            } else {
                let lv = leaveLevel
                let old = key[lv]
                if enter >= 0 && levelOf[enter] == lv {
                    key[lv] = enter
                } else {
                    // Another basic candidate of the level becomes its key; the entering one takes its place.
                    var p = -1
                    for q in 0..<m where extra[q] >= 0 && levelOf[extra[q]] == lv && (p < 0 || abs(w[q]) > abs(w[p])) { p = q }
                    if p < 0 { return .failed }
                    key[lv] = extra[p]
                    extraPos[extra[p]] = -1
                    extra[p] = enter
                    if enter >= 0 { extraPos[enter] = p }
                }
                for r in 0..<m { keySum[r] += a[key[lv] * m + r] - a[old * m + r] }
            }
        }
    }
}
