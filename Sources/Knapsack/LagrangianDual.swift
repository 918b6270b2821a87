/// The Lagrangian dual of the resource constraints of a `Model`.
///
/// For multipliers λ ≥ 0 (one per constraint),
/// `L(λ) = sum_g min_i (c_i + λ·a_i) - λ·cap`
/// is a lower bound on every feasible total cost: for feasible x,
/// `cost(x) = sum_g (c + λ·a)_{x_g} - λ·(A x) >= L(λ) + sum_g δ_{x_g}`, where the reduced cost
/// `δ_i = (c_i + λ·a_i) - min_{j in g}(c_j + λ·a_j) >= 0`. `max_λ L(λ)` equals the LP
/// relaxation's bound (multiple-choice constraints are an integral polytope per group).
///
/// `L` is maximised by coordinate ascent with exact line searches: along one multiplier the
/// function is concave and piecewise linear; its breakpoints are the vertices of each group's
/// lower envelope of lines `t -> α_i + t β_i`, found by a walk over the group's items.
struct LagrangianDual {
    let model: Model
    /// Current multipliers.
    var lambda: [Double]
    /// `c_i + λ·a_i` for every item, kept in sync with `lambda`.
    var reduced: [Double]
    /// Line-search workspace.
    private var alpha: [Double]
    private var beta: [Double]
    private var envelope = EnvelopeLineSearch()
    /// Ascent stops (keeping the best multipliers so far) once it passes.
    var deadline = Deadline.none

    init(model: Model, warm: [Double]? = nil) {
        self.model = model
        let m = model.m
        var l = [Double](repeating: 0, count: m)
        if let warm, warm.count == m { l = warm.map { Swift.max(0, $0) } }
        lambda = l
        reduced = model.cost
        for i in 0..<model.cost.count {
            var s = model.cost[i]
            for r in 0..<m { s += l[r] * model.a[i * m + r] }
            reduced[i] = s
        }
        alpha = reduced
        beta = reduced
    }

    /// `L(λ)` at the current multipliers.
    /// - Complexity: O(N + m).
    func value() -> Double {
        var total = 0.0
        // After every pass, over all items: through buffer pointers, as in `lineSearch`.
        model.start.withUnsafeBufferPointer { start in
        reduced.withUnsafeBufferPointer { reduced in
        for g in 0..<model.groupCount {
            var best = Double.infinity
            for i in start[g]..<start[g + 1] where reduced[i] < best { best = reduced[i] }
            total += best
        }
        }
        }
        for r in 0..<model.m { total -= lambda[r] * model.cap[r] }
        return total
    }

    /// The maximiser t ≥ 0 of `sum_g min_i (α_i + t β_i) - t * cap` with `α = reduced - λ_r a_r`,
    /// `β = a_r` (the shared `EnvelopeLineSearch`), or nil when the function is unbounded (then
    /// `sum_g min β > cap`: infeasible).
    /// - Complexity: O(sum_g n_g h_g + E), h_g the envelope size, E the breakpoints.
    mutating func lineSearch(_ r: Int) -> Double? {
        let m = model.m
        let lr = lambda[r]
        // Runs before every line search, over all items: through buffer pointers (no bounds or
        // uniqueness checks per item).
        model.a.withUnsafeBufferPointer { a in
        reduced.withUnsafeBufferPointer { reduced in
        alpha.withUnsafeMutableBufferPointer { alpha in
        beta.withUnsafeMutableBufferPointer { beta in
        for i in 0..<reduced.count {
            let ai = a[i * m + r]
            alpha[i] = reduced[i] - lr * ai
            beta[i] = ai
        }
        }
        }
        }
        }
        return envelope.maximiser(levels: 0..<model.groupCount, start: model.start, alpha: alpha, beta: beta,
                                  slope0: -model.cap[r], tMax: .infinity)
    }

    /// Sets multiplier r to t, updating the reduced costs.
    mutating func set(_ r: Int, _ t: Double) {
        let d = t - lambda[r]
        guard d != 0 else { return }
        let m = model.m
        // After every line search, over all items: through buffer pointers, as in `lineSearch`.
        model.a.withUnsafeBufferPointer { a in
        reduced.withUnsafeMutableBufferPointer { reduced in
        for i in 0..<reduced.count { reduced[i] += d * a[i * m + r] }
        }
        }
        lambda[r] = t
    }

    /// Coordinate ascent until a pass improves `L` by less than `1e-12 * scale`, at most
    /// `maxPasses` passes. Returns nil when some line search proves infeasibility.
    /// - Complexity: O(maxPasses * m * (N h + E)).
    mutating func maximize(maxPasses: Int = 60) -> Double? {
        if model.m == 0 { return value() }
        // Coordinate ascent can stall at a kink depending on where it starts: run it from the
        // current (warm or zero) multipliers and from the best single-row optimum; keep the best.
        let first = lambda
        var bestStart = lambda, bestStartValue = -Double.infinity
        for r in 0..<model.m where !deadline.expired {
            for s in 0..<model.m { set(s, 0) }
            guard let t = lineSearch(r) else { return nil }
            set(r, t)
            let v = value()
            if v > bestStartValue { bestStartValue = v; bestStart = lambda }
        }
        var bestValue = -Double.infinity, bestLambda = first
        for start in [first, bestStart] where bestValue == -.infinity || !deadline.expired {
            for s in 0..<model.m { set(s, start[s]) }
            guard let v = ascend(maxPasses: maxPasses) else { return nil }
            if v > bestValue { bestValue = v; bestLambda = lambda }
        }
        for s in 0..<model.m { set(s, bestLambda[s]) }
        return bestValue
    }

    /// Coordinate passes from the current multipliers until a pass gains < 1e-12 * scale.
    mutating func ascend(maxPasses: Int) -> Double? {
        var best = value()
        for _ in 0..<maxPasses where !deadline.expired {
            for r in 0..<model.m {
                guard let t = lineSearch(r) else { return nil }
                set(r, t)
            }
            let v = value()
            if v <= best + 1e-12 * model.costScale {
                best = Swift.max(best, v)
                break
            }
            best = v
        }
        return best
    }

    /// Two rows: `φ(t) = max_{λ2 ≥ 0} L(t, λ2)` is concave in t (a partial maximum of a jointly
    /// concave function), the inner maximum is one exact line search, and a golden-section
    /// search on t over a bracket that is doubled until φ decreases finds the joint maximum to
    /// ~1e-9 of the bracket (coordinate ascent alone stalls at kinks where both rows bind).
    /// Keeps the better of the result and the current multipliers. Returns nil when infeasible.
    /// - Complexity: O(iterations * (N h + E)).
    mutating func maximizeTwoRows(iterations: Int = 44) -> Double? {
        guard model.m == 2 else { return value() }
        let start = lambda, startValue = value()
        func phi(_ t: Double) -> Double? {
            set(0, t)
            guard let s = lineSearch(1) else { return nil }
            set(1, s)
            return value()
        }
        set(1, 0)
        guard let t0 = lineSearch(0) else { return nil }
        var hi = Swift.max(Swift.max(start[0], t0), 1e-300) * 2
        guard var fHi = phi(hi), var fHalf = phi(hi / 2) else { return nil }
        var doublings = 0
        while fHi > fHalf && doublings < 60 && !deadline.expired {
            hi *= 2
            fHalf = fHi
            guard let f = phi(hi) else { return nil }
            fHi = f
            doublings += 1
        }
        var a = 0.0, b = hi
        let ratio = (5.0.squareRoot() - 1) / 2
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        guard var fc = phi(c), var fd = phi(d) else { return nil }
        var bestT = fc >= fd ? c : d
        for _ in 0..<iterations where !deadline.expired {
            if fc >= fd {
                b = d; d = c; fd = fc
                c = b - ratio * (b - a)
                guard let f = phi(c) else { return nil }
                fc = f
            } else {
                a = c; c = d; fc = fd
                d = a + ratio * (b - a)
                guard let f = phi(d) else { return nil }
                fd = f
            }
            bestT = fc >= fd ? c : d
        }
        guard let best = phi(bestT) else { return nil }
        if best < startValue {
            set(0, start[0])
            set(1, start[1])
            return startValue
        }
        return best
    }
}
