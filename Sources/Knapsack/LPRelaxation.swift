/// The exact LP relaxation of a `Model`, solved by a revised primal simplex with an explicit
/// dense basis inverse; its row duals are the optimal Lagrangian multipliers.
///
/// LP: `min sum_i c_i x_i` s.t. `sum_{i in g} x_i = 1` (one convexity row per group),
/// `sum_i a_ri x_i + s_r - z_r = cap_r` (one row per constraint, slack `s_r >= 0`, artificial
/// `z_r >= 0`), `x >= 0`. The optimal duals `π_r <= 0` of the constraint rows give
/// `λ_r = -π_r`, and `max_λ L(λ) = L(λ*)` equals the LP optimum (strong duality; the
/// convexity polytope of each group is integral). The caller evaluates `L(λ*)` itself, so
/// floating-point error in the simplex can only loosen the bound, never invalidate it.
///
/// Start: the item of least reduced cost per group (from the coordinate-ascent multipliers)
/// plus, per row, its slack when that choice fits, else its artificial (block-triangular
/// basis, inverted in closed form). Phase 1 minimises the sum of artificials, phase 2 the
/// cost with artificials fixed at 0. Dantzig pricing, Bland's rule after a run of degenerate
/// pivots (no cycling).
/// - Complexity: O(n^2 + N m) per pivot with n = G + m rows and N items; the warm start
///   typically needs O(G) pivots.
struct LPRelaxation {
    /// An optimal basic solution: multipliers λ (length m) and the primal values x per model
    /// item (a certificate: `sum c x = L(λ)` with x feasible proves both optimal).
    struct Optimum {
        var lambda: [Double]
        var x: [Double]
    }

    /// Optimal multipliers λ (length m), or nil when the LP is infeasible or the simplex hit its
    /// iteration limit.
    static func multipliers(model: Model, start chosen: [Int], deadline: Deadline = .none) -> [Double]? {
        solve(model: model, start: chosen, deadline: deadline)?.lambda
    }

    /// The LP optimum (see the type's documentation), nil when infeasible or not reached.
    static func solve(model: Model, start chosen: [Int], deadline: Deadline = .none) -> Optimum? {
        let G = model.groupCount, m = model.m, N = model.cost.count
        guard m > 0, chosen.count == G else { return nil }
        let n = G + m
        var groupOf = [Int](repeating: 0, count: N)
        for g in 0..<G { for i in model.start[g]..<model.start[g + 1] { groupOf[i] = g } }
        // Columns: items 0..<N, slacks N..<N+m, artificials N+m..<N+2m.
        let slack0 = N, art0 = N + m, total = N + 2 * m
        var binv = [Double](repeating: 0, count: n * n)
        var basis = [Int](repeating: 0, count: n)
        var xB = [Double](repeating: 1, count: n)
        var isBasic = [Bool](repeating: false, count: total)
        for g in 0..<G {
            binv[g * n + g] = 1
            basis[g] = chosen[g]
            isBasic[chosen[g]] = true
        }
        var anyArtificial = false
        for r in 0..<m {
            var used = 0.0
            for g in 0..<G { used += model.a[chosen[g] * m + r] }
            let resid = model.cap[r] - used
            let d: Double = resid >= 0 ? 1 : -1
            for g in 0..<G { binv[(G + r) * n + g] = -d * model.a[chosen[g] * m + r] }
            binv[(G + r) * n + G + r] = d
            basis[G + r] = resid >= 0 ? slack0 + r : art0 + r
            isBasic[basis[G + r]] = true
            xB[G + r] = abs(resid)
            if resid < 0 { anyArtificial = true }
        }
        let scale = model.costScale
        var phase = anyArtificial ? 1 : 2
        func cost(_ j: Int) -> Double {
            if phase == 1 { return j >= art0 ? 1 : 0 }
            return j < N ? model.cost[j] : 0
        }
        var y = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: n)
        var degenerateRun = 0
        let maxIterations = 50 * (n + N)
        var iteration = 0
        while iteration < maxIterations {
            iteration += 1
            if iteration & 7 == 0 && deadline.expired { return nil }
            // Duals y = c_B B^-1.
            for j in 0..<n { y[j] = 0 }
            for k in 0..<n {
                let ck = cost(basis[k])
                if ck == 0 { continue }
                let row = k * n
                for j in 0..<n { y[j] += ck * binv[row + j] }
            }
            // Pricing.
            let bland = degenerateRun > 30
            let tol = phase == 1 ? 1e-11 : 1e-12 * scale
            var q = -1, best = -tol
            for j in 0..<(phase == 1 ? total : art0) where !isBasic[j] {
                var d = cost(j)
                if j < N {
                    d -= y[groupOf[j]]
                    for r in 0..<m { d -= y[G + r] * model.a[j * m + r] }
                } else if j < art0 {
                    d -= y[G + j - slack0]
                } else {
                    d += y[G + j - art0]
                }
                if d < best {
                    q = j
                    if bland { break }
                    best = d
                }
            }
            if q < 0 {
                if phase == 1 {
                    var infeasibility = 0.0
                    for k in 0..<n where basis[k] >= art0 { infeasibility += xB[k] }
                    if infeasibility > 1e-9 * Swift.max(1, model.cap.map(abs).max() ?? 1) { return nil }
                    phase = 2
                    degenerateRun = 0
                    continue
                }
                break
            }
            // w = B^-1 a_q.
            if q < N {
                let g = groupOf[q]
                for k in 0..<n {
                    let row = k * n
                    var s = binv[row + g]
                    for r in 0..<m { s += binv[row + G + r] * model.a[q * m + r] }
                    w[k] = s
                }
            } else {
                let col = G + (q < art0 ? q - slack0 : q - art0)
                let sign: Double = q < art0 ? 1 : -1
                for k in 0..<n { w[k] = sign * binv[k * n + col] }
            }
            // Ratio test (artificials are fixed at 0 in phase 2).
            var p = -1, ratio = Double.infinity, pivot = 0.0
            for k in 0..<n {
                let wk = w[k]
                var t: Double
                if wk > 1e-9 {
                    t = Swift.max(0, xB[k]) / wk
                } else if phase == 2 && basis[k] >= art0 && wk < -1e-9 {
                    t = 0
                } else { continue }
                if t < ratio || (t == ratio && (bland ? basis[k] < basis[p] : abs(wk) > abs(pivot))) {
                    p = k; ratio = t; pivot = wk
                }
            }
            guard p >= 0 else { return nil }  // unbounded: impossible for a valid model
            degenerateRun = ratio <= 1e-14 ? degenerateRun + 1 : 0
            for k in 0..<n where k != p { xB[k] -= ratio * w[k] }
            xB[p] = ratio
            let prow = p * n
            let inv = 1 / pivot
            for j in 0..<n { binv[prow + j] *= inv }
            for k in 0..<n where k != p {
                let f = w[k]
                if f == 0 { continue }
                let row = k * n
                for j in 0..<n { binv[row + j] -= f * binv[prow + j] }
            }
            isBasic[basis[p]] = false
            isBasic[q] = true
            basis[p] = q
        }
        if iteration >= maxIterations { return nil }
        var x = [Double](repeating: 0, count: N)
        for k in 0..<n where basis[k] < N { x[basis[k]] = Swift.max(0, xB[k]) }
        return Optimum(lambda: (0..<m).map { Swift.max(0, -y[G + $0]) }, x: x)
    }
}
