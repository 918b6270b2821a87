/// The solver's internal form of a `Problem`: minimisation, every requirement written as
/// `sum_g a(g, x_g) <= cap`, pins and forbidden items removed, redundant constraints dropped and
/// dominated items pruned. Items are stored flat: group g owns `start[g] ..< start[g+1]`.
struct Model: Sendable {
    /// Where a constraint came from.
    enum Source: Sendable, Equatable {
        /// `rows[row].max` (isMin false) or `rows[row].min` written as `-sum <= -min` (isMin true).
        case row(Int, isMin: Bool)
        /// "share at most G - d choices with an earlier solution".
        case diversity(Int)
        /// An auxiliary objective row (infeasibility explanations); never a constraint.
        case other
    }

    var groupCount: Int
    /// Number of constraints m.
    var m: Int
    var start: [Int]
    /// Original item index (within its group) of every stored item.
    var original: [Int]
    /// Minimisation cost of every item.
    var cost: [Double]
    /// Constraint coefficients, item-major: `a[item * m + r]`.
    var a: [Double]
    /// Capacities with the feasibility tolerance already added. Every constraint (its
    /// coefficients and capacity) is divided by its magnitude `max(|cap|, sum_g max_i |a|)`.
    var cap: [Double]
    var source: [Source]
    /// Objective scale for the pruning tolerance: `max(1, sum_g max_i |cost|)`.
    var costScale: Double

    /// Result of building: a model, or a proof of infeasibility found while building.
    enum Built {
        case model(Model)
        /// A group lost all its items to pins/forbidden items.
        case emptyGroup(Int)
        /// Constraint k cannot be met even taking the least coefficient in every group.
        case infeasibleConstraint(Source, least: Double)
    }

    /// A constraint given explicitly: coefficient 1 on item `solution[g]` of every group g
    /// (a diversity row against an earlier solution), 0 elsewhere.
    struct Extra {
        var solution: [Int]
        var cap: Double
        var source: Source
    }

    /// Builds the model.
    /// - Parameters:
    ///   - costOf: the minimisation cost of (group, original item).
    ///   - rowMax: per problem row, the `max` to use (a sweep overrides one row).
    ///   - dropRows: problem rows to ignore completely (their `max` and `min`).
    ///   - dropMin: problem rows whose `min` is ignored.
    /// - Complexity: O(sum_g n_g^2 * m) for dominance, O(N * m) otherwise.
    static func build(_ p: Problem, costOf: (Int, Int) -> Double, rowMax: [Double], dropRows: Set<Int> = [],
                      dropMin: Set<Int> = [], dropMax: Set<Int> = [], extras: [Extra], feasibilityTolerance: Double) -> Built {
        let G = p.groups.count
        // Allowed items per group after pins and forbidden items.
        var allowed: [[Int]] = p.groups.map { Array(0..<$0.items.count) }
        var forbidden = Set<Problem.Choice>(p.forbidden)
        for pin in p.pins {
            for i in 0..<p.groups[pin.group].items.count where i != pin.item {
                forbidden.insert(Problem.Choice(group: pin.group, item: i))
            }
        }
        if !forbidden.isEmpty {
            for g in 0..<G { allowed[g].removeAll { forbidden.contains(Problem.Choice(group: g, item: $0)) } }
        }
        for g in 0..<G where allowed[g].isEmpty { return .emptyGroup(g) }
        // Flat original items: group g owns first[g] ..< first[g + 1].
        var first = [0]
        for group in p.groups { first.append(first[first.count - 1] + group.items.count) }
        let total = first[G]
        // Every item's weights, flat (`weights[j * R + r]`, j the flat original item): each item is
        // read once here rather than once per row (a read of a `Problem.Item` retains its name and
        // weights, which dominated this loop).
        let R = p.rows.count
        var weights = [Double](repeating: 0, count: total * R)
        for (g, group) in p.groups.enumerated() {
            for (i, item) in group.items.enumerated() {
                for r in 0..<Swift.min(R, item.weights.count) { weights[(first[g] + i) * R + r] = item.weights[r] }
            }
        }
        // Constraints as flat coefficient tables over the original items.
        var coefs: [[Double]] = []
        var caps: [Double] = []
        var sources: [Source] = []
        for (r, row) in p.rows.enumerated() where !dropRows.contains(r) {
            let hasMax = rowMax[r] < .infinity && !dropMax.contains(r)
            let hasMin = row.min.map { $0 > -.infinity } ?? false && !dropMin.contains(r)
            guard hasMax || hasMin else { continue }
            var w = [Double](repeating: 0, count: total)
            for j in 0..<total { w[j] = weights[j * R + r] }
            if hasMax {
                coefs.append(w)
                caps.append(rowMax[r])
                sources.append(.row(r, isMin: false))
            }
            if hasMin, let lo = row.min {
                coefs.append(w.map { -$0 })
                caps.append(-lo)
                sources.append(.row(r, isMin: true))
            }
        }
        for e in extras {
            var w = [Double](repeating: 0, count: total)
            for g in 0..<G where e.solution[g] >= 0 && e.solution[g] < p.groups[g].items.count { w[first[g] + e.solution[g]] = 1 }
            coefs.append(w)
            caps.append(e.cap)
            sources.append(e.source)
        }
        // Keep the constraints that can bind; fail on those that cannot be met.
        var keptCoefs: [[Double]] = []
        var keptCaps: [Double] = []
        var keptSources: [Source] = []
        for k in 0..<coefs.count {
            let w = coefs[k]
            var least = 0.0, most = 0.0, scale = 0.0
            for g in 0..<G {
                var lo = Double.infinity, hi = -Double.infinity, big = 0.0
                for i in allowed[g] {
                    let v = w[first[g] + i]
                    lo = Swift.min(lo, v)
                    hi = Swift.max(hi, v)
                }
                for j in first[g]..<first[g + 1] { big = Swift.max(big, abs(w[j])) }
                least += lo
                most += hi
                scale += big
            }
            let capWithTol = caps[k] + feasibilityTolerance * Swift.max(abs(caps[k]), scale)
            if least > capWithTol { return .infeasibleConstraint(sources[k], least: least) }
            if most <= capWithTol { continue }
            // Rows are stored divided by their magnitude (bytes next to milliseconds would leave
            // the LP and the multipliers badly conditioned); scaling a row changes no choice.
            let magnitude = Swift.max(abs(caps[k]), scale)
            let unit = magnitude > 0 && magnitude.isFinite ? magnitude : 1
            keptCoefs.append(w.map { $0 / unit })
            keptCaps.append(capWithTol / unit)
            keptSources.append(sources[k])
        }
        let m = keptCoefs.count
        var start = [0]
        var original: [Int] = []
        var cost: [Double] = []
        var a: [Double] = []
        var costScale = 0.0
        // Kept coefficients item-major over all original items (`flatA[j * m + r]`), and per-group
        // workspaces sized for the largest group seen: the loop below runs once per group of every
        // model built, and per-element appends and fresh arrays (uniqueness checks, allocations)
        // dominated it.
        var flatA = [Double](repeating: 0, count: total * m)
        for r in 0..<m { for j in 0..<total { flatA[j * m + r] = keptCoefs[r][j] } }
        a.reserveCapacity(total * m)
        // Per group: costs, and coefficients item-major (j * m + r); only the first n (n * m) are used.
        var c: [Double] = [], w: [Double] = [], keep: [Bool] = []
        for g in 0..<G {
            let items = allowed[g]
            let n = items.count
            if c.count < n {
                c = [Double](repeating: 0, count: n)
                w = [Double](repeating: 0, count: n * m)
                keep = [Bool](repeating: true, count: n)
            }
            for (j, i) in items.enumerated() {
                c[j] = costOf(g, i)
                for r in 0..<m { w[j * m + r] = flatA[(first[g] + i) * m + r] }
                keep[j] = true
            }
            // Dominance: j is dropped when some k is no worse in cost and every coefficient, and
            // strictly better somewhere or identical with a smaller index.
            for j in 0..<n {
                for k in 0..<n where k != j && keep[k] {
                    guard c[k] <= c[j] else { continue }
                    var allLE = true, strict = c[k] < c[j]
                    for r in 0..<m {
                        let wk = w[k * m + r], wj = w[j * m + r]
                        if wk > wj { allLE = false; break }
                        if wk < wj { strict = true }
                    }
                    if allLE && (strict || k < j) {
                        keep[j] = false
                        break
                    }
                }
            }
            var big = 0.0
            for j in 0..<n where keep[j] {
                original.append(items[j])
                cost.append(c[j])
                for r in 0..<m { a.append(w[j * m + r]) }
                big = Swift.max(big, abs(c[j]))
            }
            costScale += big
            start.append(original.count)
        }
        return .model(Model(groupCount: G, m: m, start: start, original: original, cost: cost, a: a,
                            cap: keptCaps, source: keptSources, costScale: Swift.max(1, costScale)))
    }
}
