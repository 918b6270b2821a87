import Foundation

/// Dynamic programming for groups that share their coefficient vectors ("classes").
///
/// Cost-model rows give every layer of one shape the same coefficients: the 126 attention groups
/// of a Llama-3.1-405B library choose among the same few coefficient vectors and differ only in
/// value. Two partial choices of a class that use every vector equally often (the same count
/// vector N) use exactly the same capacity, so only the cheaper one can be part of an optimum.
/// Per class, a DP over its groups keyed by N finds the least cost of every count vector (the
/// min-cost assignment of the class's groups to its vectors with counts N), where depth-first
/// search would enumerate up to n! / prod_t N_t! assignments of each N.
///
/// Pruning: with multipliers λ, every completion x of the open groups costs at least
/// `L + sum_k δ(x_k)` (`δ`: reduced cost above the group's least, `L` the Lagrangian bound of
/// the open part), so a class keeps only the count vectors whose δ-sum stays below the limit
/// minus L (its menu). The menus are then combined class by class: capacity checked against the
/// least usage of the classes still to come, Pareto dominance between partial combinations
/// (`ParetoDP.nondominated`), and the last class scanned in increasing true cost for each
/// combination, cheapest combinations first.
///
/// The limit grows geometrically (L + gap/64, x2, ... up to UB): a solution found below the
/// limit is optimal (every cheaper one would have been kept), so instances whose optimum lies
/// close to the bound never build the large menus.
///
/// Floating point: a count vector's usage is summed in one canonical order; the caller
/// re-checks the returned choice with sums in group order against the capacities (which carry
/// the feasibility tolerance).
/// - Complexity: per class O(sum_k S_k n_k) hash operations (S_k the count vectors kept after
///   its k-th group); the join O(S M m) per class (M its menu), plus the dominance sorts.
struct ClassDP {
    /// The same outcome as the Pareto DP's: best completion, bound, states, completion flags.
    typealias Outcome = ParetoDP.Outcome

    /// A class's count vectors (or a single group's items) with their δ-sum, cost and usage.
    struct Menu {
        /// Levels of the class, in DP order.
        var levels: [Int]
        var delta: [Double] = []
        var cost: [Double] = []
        /// `usage[e * m + r]`.
        var usage: [Double] = []
        /// Final DP state of each entry (for the choice's reconstruction).
        var state: [Int32] = []
        /// Per class level: parent state and model item of every state after that level.
        var parent: [[Int32]] = []
        var item: [[Int32]] = []
        /// Instead of `parent` and `item`: the model items per class level of a final state, read
        /// from where the states live (a diversity band's levels: copying their parents and items
        /// cost the band a pass over every entry it ever made, for the one entry the join takes).
        /// Valid until that band runs again (the join that takes the menu reads it first).
        var trail: ResumableBand?

        var count: Int { delta.count }

        /// Model item per class level of entry `e`.
        func choice(_ e: Int) -> [Int] {
            if let trail { return trail.choice(Int(state[e])) }
            var out = [Int](repeating: 0, count: levels.count)
            var s = Int(state[e])
            for k in stride(from: levels.count - 1, through: 0, by: -1) {
                out[k] = Int(item[k][s])
                s = Int(parent[k][s])
            }
            return out
        }
    }

    /// Whether grouping by coefficient vectors merges enough to be worth it: some class holds
    /// at least two groups and the classes are at most half as many as the groups.
    /// Counter rows (`counterRows`) are left out of the types and counted per state instead, so
    /// that a class's groups stay one class whatever the earlier solutions chose in them.
    /// `typeOf[i]`: the type (index into `vectors`) of model item i, -1 for the items of groups
    /// outside `groups`.
    static func classes(model: Model, levels: [[Int]], groups: [Int])
        -> (classes: [[Int]], typeOf: [Int], vectors: [[Double]], counters: [Counter])? {
        let m = model.m
        guard m > 0, levels.count >= 4 else { return nil }
        let counters = counterRows(model: model, levels: levels, groups: groups)
        let typed = (0..<m).filter { r in !counters.contains { $0.row == r } }
        // Quick exit when no coefficient vector occurs in two groups (hashes: a collision can only
        // let the exact typing below run).
        var firstGroup: [UInt64: Int] = [:]
        var shared = false
        scan: for k in levels.indices {
            for i in model.start[groups[k]]..<model.start[groups[k] + 1] {
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for r in typed { h = (h ^ model.a[i * m + r].bitPattern) &* 0x100_0000_01b3 }
                if let g = firstGroup[h] { if g != k { shared = true; break scan } } else { firstGroup[h] = k }
            }
        }
        guard shared else { return nil }
        var typeIndex: [[UInt64]: Int] = [:]
        var vectors: [[Double]] = []
        var typeOf = [Int](repeating: -1, count: model.cost.count)
        var signatures: [[Int]] = []
        for (k, items) in levels.enumerated() {
            var types: [Int] = []
            // Types of all the group's items (before reduced-cost fixing), so that fixing does not
            // split a class; the DP itself only uses the open items (a subset of them).
            let all = model.start[groups[k]]..<model.start[groups[k] + 1]
            assert(items.allSatisfy { all.contains($0) }, "level \(k) holds an item of another group")
            for i in all {
                let key = typed.map { model.a[i * m + $0].bitPattern }
                let t: Int
                if let known = typeIndex[key] { t = known } else {
                    t = vectors.count
                    typeIndex[key] = t
                    var v = [Double](repeating: 0, count: m)
                    for r in typed { v[r] = model.a[i * m + r] }
                    vectors.append(v)
                }
                typeOf[i] = t
                types.append(t)
            }
            signatures.append(Array(Set(types)).sorted())
        }
        // A class per maximal type set; a group joins the first class whose set contains its own
        // (reduced-cost fixing and dominance leave some groups with a subset of their class).
        let bySize = levels.indices.sorted { x, y in
            if signatures[x].count != signatures[y].count { return signatures[x].count > signatures[y].count }
            if signatures[x] != signatures[y] { return signatures[x].lexicographicallyPrecedes(signatures[y]) }
            return x < y
        }
        var classSets: [Set<Int>] = []
        var members: [[Int]] = []
        for k in bySize {
            if let c = classSets.firstIndex(where: { $0.isSuperset(of: signatures[k]) }) {
                members[c].append(k)
            } else {
                classSets.append(Set(signatures[k]))
                members.append([k])
            }
        }
        let classes = members.map { $0.sorted() }
        guard classes.contains(where: { $0.count >= 2 }), 2 * classes.count <= levels.count else { return nil }
        return (classes, typeOf, vectors, counters)
    }

    /// A 0/1 row counted per state: its coefficients are 0 or `unit`.
    struct Counter {
        var row: Int
        var unit: Double
        /// Differences from the earlier solution still needed over the open groups.
        var need = 0
    }

    /// Runs the DP on the open `levels` (model items, after reduced-cost fixing) with fixed
    /// choices of total `baseCost` and usage `base`. `reduced[i] = c_i + λ·a_i`. Returns nil when
    /// the classes do not pay off or a menu or the join exceeds `maxStates`. With a
    /// `completionCache`, exact one-row completions prune the menus once the attempts have spent
    /// `frontsAfter` states (before that, building them costs more than they save). With a
    /// `completionLimit`, the fronts are pruned against that limit in every window (the diversity
    /// bands' widest, so that one build serves pass 1 and the bands); the caller knows a choice
    /// below it (a cheaper optimum keeps every partial choice through it, whose bounds lie below
    /// its cost). The first cost window's width is
    /// `firstWindow` times the gap `ub - L`; each failed window doubles it.
    static func run(model: Model, levels: [[Int]], groups: [Int], baseCost: Double, base: [Double], lambda: [Double],
                    ub: Double, tol: Double, maxStates: Int, deadline: Deadline, completionCache: CompletionCache? = nil,
                    trueFrontsAfter: Int = 1_000, frontsAfter: Int = 0,
                    typing: (classes: [[Int]], typeOf: [Int], vectors: [[Double]])? = nil,
                    heaviestCompletionRow: Bool = false, completionLimit: Double? = nil, reachable: [[Double]]? = nil,
                    firstWindow: Double = 1.0 / 64,
                    bandSchedule: BandSchedule = BandSchedule()) -> Outcome? {
        // `typing`: the classes of a model with the same levels and typed rows (the diversity
        // bands' pass 1 reuses its caller's instead of typing every item again).
        let typed = typing.flatMap { model.m > 0 && levels.count >= 4 ? ($0.classes, $0.typeOf, $0.vectors, [Counter]()) : nil }
            ?? classes(model: model, levels: levels, groups: groups)
        guard let (classes, typeOf, vectors, found) = typed else { return nil }
        let m = model.m
        if !found.isEmpty {
            // Diversity rows: Lagrangian bands (ClassDiversity.swift).
            let counters = found.map { c -> Counter in
                var c = c
                let allowed = ((model.cap[c.row] - base[c.row]) / c.unit + 1e-6).rounded(.down)
                c.need = Swift.max(0, levels.count - Int(Swift.max(-1, Swift.min(Double(levels.count), allowed))))
                return c
            }
            return runBanded(model: model, levels: levels, groups: groups, baseCost: baseCost, base: base, lambda: lambda, ub: ub,
                             tol: tol, maxStates: maxStates, deadline: deadline, classes: classes, typeOf: typeOf, vectors: vectors,
                             counters: counters, trueFrontsAfter: trueFrontsAfter, schedule: bandSchedule)
        }
        let counters = found
        // Reduced costs and the Lagrangian bound of the open part.
        var reduced = [Double](repeating: 0, count: model.cost.count)
        var least = [Double](repeating: 0, count: levels.count)
        var lOpen = baseCost
        for (k, items) in levels.enumerated() {
            var lo = Double.infinity
            for i in items {
                var s = model.cost[i]
                for r in 0..<m { s += lambda[r] * model.a[i * m + r] }
                reduced[i] = s
                lo = Swift.min(lo, s)
            }
            least[k] = lo
            lOpen += lo
        }
        for r in 0..<m { lOpen -= lambda[r] * (model.cap[r] - base[r]) }
        var capOpen = [Double](repeating: 0, count: m)
        for r in 0..<m { capOpen[r] = model.cap[r] - base[r] }
        if lOpen >= ub - tol {
            return Outcome(choice: nil, cost: ub, bound: ub, states: 0, complete: true, timedOut: false)
        }
        let orders = classes.map { dearestFirst($0, levels: levels, reduced: reduced, least: least) }
        var states = 0
        var ub = ub
        var incumbent: [Int]?
        var gap = (ub - tol - lOpen) * firstWindow
        if !gap.isFinite { gap = Swift.max(1, abs(lOpen)) * 1e-3 }
        // Every completion costs at least `proven` (no attempt found one below its limit).
        var proven = lOpen
        while true {
            let limit = Swift.min(ub - tol, lOpen + gap)
            let final = limit >= ub - tol
            // Fronts pruned against this attempt's limit while it is low (the first attempts often
            // end the search); from an eighth of the gap on, against UB at once, so that one set
            // serves every later attempt (and the bands).
            let frontLimit = completionLimit ?? ((limit - lOpen) * 8 >= ub - lOpen ? Swift.max(limit, ub) + tol : limit + tol)
            let useFronts = states >= frontsAfter
            let completions = (useFronts ? completionCache : nil).map {
                classCompletions(model: model, levels: levels, orders: orders, baseCost: baseCost, base: base, lambda: lambda,
                                 ub: frontLimit, tol: tol, deadline: deadline, cache: $0, heaviestRowOnly: heaviestCompletionRow,
                                 reachable: reachable)
            } ?? []
            guard let attempt = runOnce(model: model, levels: levels, classes: orders, typeOf: typeOf, vectors: vectors, counters: counters,
                                        reduced: reduced, least: least, lOpen: lOpen, capOpen: capOpen, baseCost: baseCost,
                                        lambda: lambda, limit: limit, maxStates: maxStates, deadline: deadline, states: &states,
                                        completions: completions, base: base, tol: tol) else {
                return nil
            }
            if attempt.timedOut {
                return Outcome(choice: incumbent, cost: ub, bound: Swift.min(ub, proven), states: states, complete: false, timedOut: true)
            }
            if let (choice, cost) = attempt.best, cost < ub {
                // Below the limit: every cheaper completion was considered, so it is optimal.
                if cost < limit || final {
                    return Outcome(choice: choice, cost: cost, bound: cost, states: states, complete: true, timedOut: false)
                }
                incumbent = choice
                ub = cost
            }
            if final || limit >= ub - tol {
                return Outcome(choice: incumbent, cost: ub, bound: ub, states: states, complete: true, timedOut: false)
            }
            proven = limit
            gap *= 2
        }
    }

    /// Per class (levels in `orders[c]`, the other classes' levels after them): exact one-row
    /// completions (`RowDecomposition.completion`) of each row with a positive multiplier, the
    /// others relaxed at `lambda`, pruned against `ub` (so they serve every lower limit). Two or
    /// more rows only; a row whose fronts exceed 100,000 states is left out.
    /// With `heaviestRowOnly`, only the row with the largest `λ_r |cap_r - base_r|` (its share of
    /// the Lagrangian bound) is kept exactly: the diversity bands' choice (round 9: on the demo
    /// libraries' diverse knapsacks the second row's fronts cost more than the 2-4% more states
    /// without them: 70B (c') 1,835 M -> 1,667 M instructions; on the plain 4-row shared-cost
    /// seeds of part (e) it went both ways, +18% and -12%, so plain problems keep every row).
    /// With `only`, classes marked false get no fronts (an empty list: nothing is pruned by them).
    /// With `reachable` (per class, `reachableStates` of its order), a class's fronts start at the
    /// first of its levels where the states that may query them number at least
    /// `frontStatesPerEntry` times the entries of the front after it (none cut before it).
    static func classCompletions(model: Model, levels: [[Int]], orders: [[Int]], baseCost: Double, base: [Double], lambda: [Double],
                                 ub: Double, tol: Double, deadline: Deadline, cache: CompletionCache? = nil,
                                 heaviestRowOnly: Bool = false, only: [Bool]? = nil,
                                 reachable: [[Double]]? = nil) -> [[RowDecomposition.Completion]] {
        if let cache, cache.limit >= ub { return cache.value }
        let value = classCompletions(model: model, levels: levels, orders: orders, baseCost: baseCost, base: base, lambda: lambda,
                                     ub: ub, tol: tol, deadline: deadline, heaviestRowOnly: heaviestRowOnly, only: only,
                                     reachable: reachable)
        if let cache, !deadline.expired { cache.limit = ub; cache.value = value }
        return value
    }

    /// A class's front build gives up (that row gets no fronts) when a front exceeds this many entries.
    static let frontMaxEntries = 100_000

    /// Completions computed once serve every lower limit (same model, levels, orders, multipliers).
    final class CompletionCache {
        var limit = -Double.infinity
        var value: [[RowDecomposition.Completion]] = []
    }

    private static func classCompletions(model: Model, levels: [[Int]], orders: [[Int]], baseCost: Double, base: [Double],
                                         lambda: [Double], ub: Double, tol: Double, deadline: Deadline,
                                         heaviestRowOnly: Bool, only: [Bool]?,
                                         reachable: [[Double]]?) -> [[RowDecomposition.Completion]] {
        var rows = (0..<model.m).filter { lambda[$0] > 0 }
        if heaviestRowOnly, let heaviest = rows.max(by: { x, y in
            let wx = lambda[x] * abs(model.cap[x] - base[x]), wy = lambda[y] * abs(model.cap[y] - base[y])
            return wx < wy || (wx == wy && x > y)
        }) {
            rows = [heaviest]
        }
        // Each class's fronts are a build of their own: side by side on two cores.
        return Parallel.map(orders.count) { c in
            let cls = orders[c]
            guard model.m >= 2, ub < .infinity, only?[c] ?? true else { return [] }
            let inClass = Set(cls)
            let sequence = (cls + levels.indices.filter { !inClass.contains($0) }).map { levels[$0] }
            // With `reachable` (a bound on the class's states per level, ClassDP+ReachableStates.swift),
            // the fronts of the class's first levels are built only where enough states may query them.
            let worthBuilding = reachable.map { bounds -> (Int, Int) -> Bool in
                let states = bounds[c]
                return { k, entriesAfter in k >= cls.count || states[k] >= frontStatesPerEntry * Double(entriesAfter) }
            }
            return rows.compactMap { r in
                RowDecomposition.completion(model: model, levels: sequence, baseCost: baseCost, base: base, lambda: lambda, row: r,
                                            ub: ub, tol: tol, maxStates: frontMaxEntries, deadline: deadline,
                                            worthBuilding: worthBuilding, lastQueried: cls.count)
            }
        }
    }

    /// Multiplier vectors whose Lagrangian bounds also prune class states (member 0 is λ itself,
    /// whose bound is the δ test): λ raised or lowered along each row, so that a partial choice
    /// that overuses (or wastes) a row is cut before the other classes are combined.
    struct Family {
        /// `lambdas[j * m + r]`.
        var lambdas: [Double]
        /// `levelMin[k * J + j]`: least `c + λ_j·a` of open level k.
        var levelMin: [Double]
        /// Sum of `levelMin` over all open levels, per j.
        var openMin: [Double]
        var capOpen: [Double]
        var baseCost: Double
        var limit: Double

        init(model: Model, levels: [[Int]], lambda: [Double], capOpen: [Double], baseCost: Double, limit: Double, gap: Double) {
            let m = model.m
            var ls = lambda
            for r in 0..<m {
                let scale = Swift.max(1e-300, abs(capOpen[r]))
                for fraction in [0.002, 0.02] {
                    let mu = gap / (fraction * scale)
                    var up = lambda
                    up[r] += mu
                    ls.append(contentsOf: up)
                    if lambda[r] > 0 {
                        var down = lambda
                        down[r] = Swift.max(0, lambda[r] - mu)
                        ls.append(contentsOf: down)
                    }
                }
            }
            let J = ls.count / Swift.max(1, m)
            var levelMin = [Double](repeating: .infinity, count: levels.count * J)
            var openMin = [Double](repeating: 0, count: J)
            for (k, items) in levels.enumerated() {
                for j in 0..<J {
                    var lo = Double.infinity
                    for i in items {
                        var v = model.cost[i]
                        for r in 0..<m { v += ls[j * m + r] * model.a[i * m + r] }
                        lo = Swift.min(lo, v)
                    }
                    levelMin[k * J + j] = lo
                    openMin[j] += lo
                }
            }
            lambdas = ls
            self.levelMin = levelMin
            self.openMin = openMin
            self.capOpen = capOpen
            self.baseCost = baseCost
            self.limit = limit
        }
    }

    struct Attempt {
        var best: ([Int], Double)?
        var timedOut = false
    }

    /// One pass with a fixed limit: every completion with `lOpen + δ-sum < limit` is considered.
    static func runOnce(model: Model, levels: [[Int]], classes: [[Int]], typeOf: [Int], vectors: [[Double]], counters: [Counter],
                        reduced: [Double], least: [Double], lOpen: Double, capOpen: [Double], baseCost: Double,
                        lambda: [Double], limit: Double, maxStates: Int, deadline: Deadline, states: inout Int,
                        completions: [[RowDecomposition.Completion]] = [], base: [Double] = [], tol: Double = 0) -> Attempt? {
        let m = model.m
        let budget = limit - lOpen
        func expired() -> Bool { deadline.expired }
        // Menus.
        let family = Family(model: model, levels: levels, lambda: lambda, capOpen: capOpen, baseCost: baseCost,
                            limit: limit, gap: budget)
        var menus: [Menu] = []
        // Classes with the fewest types (then groups) first: their menus are small, and each
        // built menu bounds the classes after it exactly (`builtMenus`).
        let typeCounts = classes.map { classTypes($0, levels: levels, typeOf: typeOf).types.count }
        let buildOrder = classes.indices.sorted {
            (typeCounts[$0], classes[$0].count, $0) < (typeCounts[$1], classes[$1].count, $1)
        }
        let J = family.lambdas.count / Swift.max(1, m)
        // Per family member j: what the built classes add to the bound of every later partial
        // choice beyond the least `c + λ_j·a` of their levels (the family's default for them).
        var builtMenus = [Double](repeating: 0, count: J)
        for ci in buildOrder {
            // `classes` come in DP order (`dearestFirst`: the states multiply late).
            let cls = classes[ci]
            guard let menu = classMenu(model: model, levels: levels, cls: cls, typeOf: typeOf, vectors: vectors, counters: counters,
                                       reduced: reduced, least: least, budget: budget, family: family, maxStates: maxStates,
                                       deadline: deadline, states: &states,
                                       completions: ci < completions.count ? completions[ci] : [],
                                       completionBase: (baseCost, base, limit + tol), builtMenus: builtMenus) else {
                // Out of time inside a menu: report the time-out, not a give-up.
                return expired() ? Attempt(best: nil, timedOut: true) : nil
            }
            if menu.count == 0 { return Attempt(best: nil) }
            menus.append(menu)
            if expired() { return Attempt(best: nil, timedOut: true) }
            // Every completion below the limit takes one of this class's entries (its count vector
            // at its least cost, or a dearer assignment of it): at least the menu's least
            // `c + λ_j·u` for the class, instead of the sum of its levels' least `c + λ_j·a`.
            for j in 1..<Swift.max(1, J) {
                var lo = Double.infinity
                for e in 0..<menu.count {
                    var v = menu.cost[e]
                    for r in 0..<m { v += family.lambdas[j * m + r] * menu.usage[e * m + r] }
                    lo = Swift.min(lo, v)
                }
                var levelsMin = 0.0
                for k in cls { levelsMin += family.levelMin[k * J + j] }
                builtMenus[j] += Swift.max(0, lo - levelsMin)
            }
        }
        return join(menus, m: m, capOpen: capOpen, baseCost: baseCost, budget: budget, levelCount: levels.count,
                    maxStates: maxStates, deadline: deadline, states: &states)
    }

    /// `menu`'s entries (δ, true cost, usage) in increasing true cost (ties by entry), with each
    /// one's original entry.
    /// - Complexity: O(n log n) for n entries.
    static func costOrdered(_ menu: Menu, m: Int) -> (menu: Menu, original: [Int]) {
        let order = menu.cost.indices.sorted { menu.cost[$0] < menu.cost[$1] || (menu.cost[$0] == menu.cost[$1] && $0 < $1) }
        var sorted = Menu(levels: menu.levels)
        sorted.delta = order.map { menu.delta[$0] }
        sorted.cost = order.map { menu.cost[$0] }
        sorted.usage.reserveCapacity(menu.usage.count)
        for e in order { for r in 0..<m { sorted.usage.append(menu.usage[e * m + r]) } }
        return (sorted, order)
    }

    /// The join's operands as buffers: the partial combinations (δ, cost, usage) and one menu's
    /// entries, for the pair loops (no bounds checks or retains per pair).
    struct PairBuffers {
        var sDelta, sCost, sUsage: UnsafeBufferPointer<Double>
        var delta, cost, usage: UnsafeBufferPointer<Double>
    }

    /// Runs `body` with the partial combinations' and `menu`'s arrays as `PairBuffers`.
    @inline(__always)
    static func withPairBuffers<R>(_ sDelta: [Double], _ sCost: [Double], _ sUsage: [Double], _ menu: Menu,
                                   _ body: (PairBuffers) -> R) -> R {
        sDelta.withUnsafeBufferPointer { sDelta in
            sCost.withUnsafeBufferPointer { sCost in
                sUsage.withUnsafeBufferPointer { sUsage in
                    menu.delta.withUnsafeBufferPointer { delta in
                        menu.cost.withUnsafeBufferPointer { cost in
                            menu.usage.withUnsafeBufferPointer { usage in
                                body(PairBuffers(sDelta: sDelta, sCost: sCost, sUsage: sUsage, delta: delta, cost: cost, usage: usage))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Combines the class menus: partial combinations (smallest menus first) are checked against
    /// the capacities with the least usage of the classes still to come and filtered by Pareto
    /// dominance; the last menu is scanned in increasing true cost per combination (the first
    /// entry that fits is the combination's best). Entries carry their δ (pruning: the δ-sum
    /// stays below `budget`), true cost and usage.
    static func join(_ menus: [Menu], m: Int, capOpen: [Double], baseCost: Double, budget: Double,
                     levelCount: Int, maxStates: Int, deadline: Deadline, states: inout Int) -> Attempt? {
        func expired() -> Bool { deadline.expired }
        // Join order: small menus first, the largest is scanned last.
        let order = menus.indices.sorted { menus[$0].count < menus[$1].count || (menus[$0].count == menus[$1].count && $0 < $1) }
        let C = order.count
        // restMin[j * m + r]: least usage of row r over the classes order[j...].
        var restMin = [Double](repeating: 0, count: (C + 1) * m)
        for j in stride(from: C - 1, through: 0, by: -1) {
            let menu = menus[order[j]]
            for r in 0..<m {
                var lo = Double.infinity
                for e in 0..<menu.count { lo = Swift.min(lo, menu.usage[e * m + r]) }
                restMin[j * m + r] = restMin[(j + 1) * m + r] + lo
            }
        }
        // Rows carrying the dominance staircase: the two tightest relative to capacity.
        let rowsByTightness = (0..<m).sorted { x, y in
            let tx = restMin[x] / Swift.max(1e-300, abs(capOpen[x])), ty = restMin[y] / Swift.max(1e-300, abs(capOpen[y]))
            return tx > ty || (tx == ty && x < y)
        }
        let rowP = rowsByTightness[0], rowQ = m > 1 ? rowsByTightness[1] : rowsByTightness[0]
        // Partial combinations of the classes order[0..<j].
        var sDelta: [Double] = [0], sCost: [Double] = [baseCost], sUsage = [Double](repeating: 0, count: m)
        var trace: [[(parent: Int32, entry: Int32)]] = []
        for j in 0..<(C - 1) {
            let menu = menus[order[j]]
            var nd: [Double] = [], nc: [Double] = [], nu: [Double] = []
            var nt: [(parent: Int32, entry: Int32)] = []
            var work = 0
            // The s × e loop is the join's hot loop: the partial combinations, the menu and the
            // capacities are read through buffer pointers (no bounds checks or retains per pair).
            enum Stop { case none, timedOut, tooMany }
            let stop = withPairBuffers(sDelta, sCost, sUsage, menu) { buffers in
            restMin.withUnsafeBufferPointer { restMin in
            capOpen.withUnsafeBufferPointer { capOpen -> Stop in
            let sDelta = buffers.sDelta, sCost = buffers.sCost, sUsage = buffers.sUsage
            let menuDelta = buffers.delta, menuCost = buffers.cost, menuUsage = buffers.usage
            for s in 0..<sDelta.count {
                for e in 0..<menuDelta.count {
                    work &+= 1
                    if work & 0xFFFF == 0 && expired() { return .timedOut }
                    let d = sDelta[s] + menuDelta[e]
                    if d >= budget { break }  // the menu is sorted by δ
                    var ok = true
                    for r in 0..<m where sUsage[s * m + r] + menuUsage[e * m + r] + restMin[(j + 1) * m + r] > capOpen[r] {
                        ok = false
                        break
                    }
                    guard ok else { continue }
                    nd.append(d)
                    nc.append(sCost[s] + menuCost[e])
                    for r in 0..<m { nu.append(sUsage[s * m + r] + menuUsage[e * m + r]) }
                    nt.append((Int32(s), Int32(e)))
                }
                if nd.count > 4 * maxStates { return .tooMany }
            }
            return .none
            }
            }
            }
            switch stop {
            case .timedOut: return Attempt(best: nil, timedOut: true)
            case .tooMany: return nil
            case .none: break
            }
            states += nd.count
            let keep = ParetoDP.nondominated(cost: nc, usage: nu, m: m, rowP: rowP, rowQ: rowQ)
            if keep.count > maxStates { return nil }
            sDelta = keep.map { nd[$0] }
            sCost = keep.map { nc[$0] }
            var u: [Double] = []
            u.reserveCapacity(keep.count * m)
            for x in keep { for r in 0..<m { u.append(nu[x * m + r]) } }
            sUsage = u
            trace.append(keep.map { nt[$0] })
            if sDelta.isEmpty { return Attempt(best: nil) }
            if expired() { return Attempt(best: nil, timedOut: true) }
        }
        // The last class: its entries in increasing true cost, so the first one that fits a
        // combination is that combination's best, and the combinations in increasing cost, so
        // the scan ends once the cheapest entry cannot beat the best found. (In increasing δ, as
        // before, a combination had to read every entry within the budget: the cheap entries
        // use the most capacity, and on the 70B demo library's diverse children 2.2 M of the
        // 2.8 M pairs were read.) The entries and pairs considered are the same: the best is.
        let last = Self.costOrdered(menus[order[C - 1]], m: m)
        let combinations = sCost.indices.sorted { sCost[$0] < sCost[$1] || (sCost[$0] == sCost[$1] && $0 < $1) }
        var bestCost = Double.infinity, bestS = -1, bestE = -1
        var work = 0
        // Blocks of `blockSize` entries in cost order with their least δ and usage per row: a
        // combination skips a block that no entry of it could complete (over the δ budget or a
        // capacity with the block's least), so the scan reads mostly entries that may fit (the
        // cheap entries use the most capacity: on the 70B demo's 3rd diverse child, 87% of the
        // pairs read failed a capacity). The first fitting entry in cost order is the same.
        let blockSize = 16
        let lastCount = last.menu.count
        let blockCount = (lastCount + blockSize - 1) / blockSize
        var blockDelta = [Double](repeating: .infinity, count: blockCount)
        var blockUsage = [Double](repeating: .infinity, count: blockCount * m)
        let lastDeltas = last.menu.delta, lastUsages = last.menu.usage
        for e in 0..<lastCount {
            let b = e / blockSize
            blockDelta[b] = Swift.min(blockDelta[b], lastDeltas[e])
            for r in 0..<m { blockUsage[b * m + r] = Swift.min(blockUsage[b * m + r], lastUsages[e * m + r]) }
        }
        // The scan visits up to every combination × entry: it reads through buffer pointers (no
        // bounds checks or retains per pair).
        let timedOut = withPairBuffers(sDelta, sCost, sUsage, last.menu) { buffers in
        capOpen.withUnsafeBufferPointer { capOpen -> Bool in
        blockDelta.withUnsafeBufferPointer { blockDelta -> Bool in
        blockUsage.withUnsafeBufferPointer { blockUsage -> Bool in
        let sDelta = buffers.sDelta, sCost = buffers.sCost, sUsage = buffers.sUsage
        let lastDelta = buffers.delta, lastCost = buffers.cost, lastUsage = buffers.usage
        guard let leastLast = lastCost.first else { return false }
        for s in combinations {
            if sCost[s] + leastLast >= bestCost { break }
            scan: for b in 0..<blockCount {
                let first = b * blockSize
                if sCost[s] + lastCost[first] >= bestCost { break }
                if sDelta[s] + blockDelta[b] >= budget { continue }
                for r in 0..<m where sUsage[s * m + r] + blockUsage[b * m + r] > capOpen[r] { continue scan }
                for e in first..<Swift.min(first + blockSize, lastCount) {
                    work &+= 1
                    if work & 0xFFFF == 0 && expired() { return true }
                    let c = sCost[s] + lastCost[e]
                    if c >= bestCost { break scan }
                    if sDelta[s] + lastDelta[e] >= budget { continue }
                    var ok = true
                    for r in 0..<m where sUsage[s * m + r] + lastUsage[e * m + r] > capOpen[r] { ok = false; break }
                    guard ok else { continue }
                    bestCost = c; bestS = s; bestE = last.original[e]
                    break scan
                }
            }
        }
        return false
        }
        }
        }
        }
        if timedOut { return Attempt(best: nil, timedOut: true) }
        states += sDelta.count
        guard bestS >= 0 else { return Attempt(best: nil) }
        // Reconstruction: entries per class, then items per level.
        var entries = [Int](repeating: 0, count: C)
        entries[C - 1] = bestE
        var s = bestS
        for j in stride(from: C - 2, through: 0, by: -1) {
            entries[j] = Int(trace[j][s].entry)
            s = Int(trace[j][s].parent)
        }
        var choice = [Int](repeating: -1, count: levelCount)
        for j in 0..<C {
            let menu = menus[order[j]]
            for (k, i) in zip(menu.levels, menu.choice(entries[j])) { choice[k] = i }
        }
        return Attempt(best: (choice, bestCost))
    }

    /// The rows counted per state instead of typed: "at most cap of the groups take their marked
    /// item", each group marking at most one item, every mark the same positive coefficient.
    /// Diversity rows are such rows (the mark: the earlier solution's item). So is a problem row
    /// written the same way (a user's own "differ from this child in at least d layers" as 0/1
    /// weights), but only when typing it would split types that the other rows share (its marks
    /// fall on items of the same vector as unmarked ones): a row that marks whole types (say, the
    /// no-op layer of every group) costs the typing nothing and stays typed. (c') child 3 written
    /// with its two diversity rows as problem rows: not proven in 10 s (gap 4.6e-4; each earlier
    /// choice its own type) -> proven in milliseconds on the bands.
    /// - Complexity: O(n m) for n items, plus O(n m) per candidate problem row.
    static func counterRows(model: Model, levels: [[Int]], groups: [Int]) -> [Counter] {
        let m = model.m
        var counters: [Counter] = [], candidates: [Counter] = []
        for r in 0..<m {
            let isDiversity: Bool
            switch model.source[r] {
            case .diversity: isDiversity = true
            case .row(_, isMin: false): isDiversity = false
            default: continue
            }
            var unit = 0.0, uniform = true
            for i in 0..<model.cost.count where model.a[i * m + r] != 0 {
                if unit == 0 { unit = model.a[i * m + r] } else if model.a[i * m + r] != unit { uniform = false; break }
            }
            guard uniform && unit > 0 else { continue }
            if isDiversity { counters.append(Counter(row: r, unit: unit)); continue }
            var single = true
            for g in 0..<model.groupCount {
                var marks = 0
                for i in model.start[g]..<model.start[g + 1] where model.a[i * m + r] != 0 { marks += 1 }
                if marks > 1 { single = false; break }
            }
            if single { candidates.append(Counter(row: r, unit: unit)) }
        }
        guard !candidates.isEmpty else { return counters }
        /// Distinct coefficient vectors over `rows` among the levels' groups' items.
        func typeCount(_ rows: [Int]) -> Int {
            var seen = Set<[UInt64]>()
            for g in groups {
                for i in model.start[g]..<model.start[g + 1] { seen.insert(rows.map { model.a[i * m + $0].bitPattern }) }
            }
            return seen.count
        }
        let others = (0..<m).filter { r in !counters.contains { $0.row == r } }
        let all = typeCount(others)
        for c in candidates where typeCount(others.filter { $0 != c.row }) < all { counters.append(c) }
        return counters.sorted { $0.row < $1.row }
    }

    /// The types of a class's levels in first-seen order, each type's digit (its position;
    /// `digit[t]`, -1 or past the end for a type the class does not offer) and radix (1 + the
    /// number of the class's levels with an open item of that type, the most its count can
    /// reach): the digits of the class's count-vector keys. `typeOf[i]`: the type of model item i.
    /// - Complexity: O(items of the class's levels).
    static func classTypes(_ cls: [Int], levels: [[Int]], typeOf: [Int]) -> (types: [Int], digit: [Int], radices: [UInt64]) {
        var types: [Int] = []
        var digit: [Int] = []
        // Per type: in how many of the class's levels it has an open item (its count's maximum).
        var levelsWith: [UInt64] = []
        var seen: [Int] = []
        for k in cls {
            for i in levels[k] {
                let t = typeOf[i]
                if t >= digit.count { digit.append(contentsOf: repeatElement(-1, count: t + 1 - digit.count)) }
                if digit[t] < 0 {
                    digit[t] = types.count
                    types.append(t)
                    levelsWith.append(0)
                    seen.append(-1)
                }
                let d = digit[t]
                if seen[d] != k { seen[d] = k; levelsWith[d] += 1 }
            }
        }
        return (types, digit, levelsWith.map { $0 + 1 })
    }

    /// Place values of a mixed-radix key whose digit t runs over `0..<radices[t]` (at least one
    /// digit), or nil when the largest key would not fit 64 bits (UInt64.max itself is the hash
    /// table's empty mark, so the product of the radices must not exceed it).
    /// Per-type radices (1 + the levels that offer the type) instead of n + 1 for every type: the
    /// NVlabs library's 14 types over 45 open levels did not fit 46^14 > 2^64 (the 5th diverse
    /// child at memory 80 GB, runtime 45 s, d = 30 fell back to the cost windows: 46 ms).
    static func placeValues(radices: [UInt64]) -> [UInt64]? {
        var power = [UInt64](repeating: 1, count: Swift.max(1, radices.count))
        var product: UInt64 = 1
        for (t, r) in radices.enumerated() {
            power[t] = product
            let (p, overflow) = product.multipliedReportingOverflow(by: Swift.max(1, r))
            if overflow { return nil }
            product = p
        }
        return power
    }

    /// Keeps, in order, the states x of a class level with `keep[x]` in its parallel arrays (`usage`:
    /// m entries per state), moving the survivors down in place.
    /// - Complexity: O(S m) for S states.
    static func compactStates(keep: [Bool], m: Int, keys: inout [UInt64], delta: inout [Double], cost: inout [Double],
                              parent: inout [Int32], item: inout [Int32], usage: inout [Double]) {
        var w = 0
        for x in 0..<keys.count where keep[x] {
            if w != x {
                keys[w] = keys[x]; delta[w] = delta[x]; cost[w] = cost[x]; parent[w] = parent[x]; item[w] = item[x]
                for r in 0..<m { usage[w * m + r] = usage[x * m + r] }
            }
            w += 1
        }
        keys.removeLast(keys.count - w); delta.removeLast(delta.count - w); cost.removeLast(cost.count - w)
        parent.removeLast(parent.count - w); item.removeLast(item.count - w); usage.removeLast(usage.count - w * m)
    }

    /// Adds a count-vector key's canonical usage to `usage[offset + r]` for each r of `rows`: the
    /// first `typeVectors.count` digits are the types' counts (digit t in `0..<radices[t]`), each
    /// times its type's coefficient vector, summed in digit order. Returns the key's remaining
    /// digits (the counters' in `classMenu`). One decoder for `classMenu` (every row, then the
    /// counter digits) and `bandedMenu` (the resource rows), so both sum in the same order.
    /// - Complexity: O(types × rows).
    @inline(__always)
    static func addCountVectorUsage(_ key: UInt64, radices: [UInt64], typeVectors: [[Double]], rows: [Int],
                                    into usage: inout [Double], at offset: Int) -> UInt64 {
        var rest = key
        for t in 0..<typeVectors.count {
            let n = Double(rest % radices[t])
            rest /= radices[t]
            if n > 0 { for r in rows { usage[offset + r] += n * typeVectors[t][r] } }
        }
        return rest
    }

    /// The menu of one class: every count vector whose least δ-sum is below `budget`, sorted by
    /// δ, less (two rows, no counters) those that cost no less and use no less of both rows than
    /// another (`DominanceFloor`; round 11: the 70B demo's plain knapsack 12,913 -> 6,974 states,
    /// the 100-point demo frontier 9,030 M -> 8,145 M instructions, same output). Count vectors
    /// are keys in mixed radix (n + 1)^t; nil when a key does not fit 64 bits or the states
    /// exceed `maxStates`.
    static func classMenu(model: Model, levels: [[Int]], cls: [Int], typeOf: [Int], vectors: [[Double]], counters: [Counter],
                          reduced: [Double], least: [Double], budget: Double, family: Family, maxStates: Int,
                          deadline: Deadline = .none, states: inout Int, completions: [RowDecomposition.Completion] = [],
                          completionBase: (cost: Double, usage: [Double], limit: Double) = (0, [], 0),
                          builtMenus: [Double] = []) -> Menu? {
        let m = model.m
        let J = family.lambdas.count / Swift.max(1, m)
        // Least reduced cost under each family member of the levels still unassigned (classes
        // whose menus are built: their menus' least, `builtMenus`).
        var unassigned = family.openMin
        for j in builtMenus.indices { unassigned[j] += builtMenus[j] }
        let (localTypes, local, typeRadices) = classTypes(cls, levels: levels, typeOf: typeOf)
        // Digits: the K type counts, then one per counter row (how many of the class's groups took
        // the earlier solution's item).
        let K = localTypes.count, C = counters.count
        let radices = typeRadices + [UInt64](repeating: UInt64(cls.count + 1), count: C)
        guard let power = placeValues(radices: radices) else { return nil }
        var menu = Menu(levels: cls)
        var keys: [UInt64] = [0]
        var delta: [Double] = [0]
        var cost: [Double] = [0]
        var usage = [Double](repeating: 0, count: m)
        var table = CountTable(capacity: 16)
        var nk: [UInt64] = [], nd: [Double] = [], nc: [Double] = [], nu: [Double] = []
        for k in cls {
            if deadline.expired { return nil }
            // The level's items by increasing δ: the expansion stops at the budget.
            let items = levels[k].sorted { (reduced[$0], $0) < (reduced[$1], $1) }
            for j in 0..<J { unassigned[j] -= family.levelMin[k * J + j] }
            let itemDelta = items.map { reduced[$0] - least[k] }
            let itemCost = items.map { model.cost[$0] }
            let step = items.map { i -> UInt64 in
                var st = power[local[typeOf[i]]]
                for (c, counter) in counters.enumerated() where model.a[i * m + counter.row] != 0 { st &+= power[K + c] }
                return st
            }
            var itemA = [Double](repeating: 0, count: items.count * m)
            for (x, i) in items.enumerated() { for r in 0..<m { itemA[x * m + r] = model.a[i * m + r] } }
            nk.removeAll(keepingCapacity: true); nd.removeAll(keepingCapacity: true)
            nc.removeAll(keepingCapacity: true); nu.removeAll(keepingCapacity: true)
            var np: [Int32] = [], ni: [Int32] = []
            np.reserveCapacity(keys.count); ni.reserveCapacity(keys.count)
            table.reset(capacity: Swift.max(16, keys.count * Swift.min(items.count, 4)))
            // The expansion is the DP's hot loop: the read-only arrays (the states and the level's
            // items) are read through buffer pointers, so that the loop pays no bounds checks,
            // uniqueness checks or retains per item. Same order of work as the plain loop.
            let gaveUp = keys.withUnsafeBufferPointer { keys in
            delta.withUnsafeBufferPointer { delta in
            cost.withUnsafeBufferPointer { cost in
            usage.withUnsafeBufferPointer { usage in
            items.withUnsafeBufferPointer { items in
            itemDelta.withUnsafeBufferPointer { itemDelta in
            itemCost.withUnsafeBufferPointer { itemCost in
            step.withUnsafeBufferPointer { step in
            itemA.withUnsafeBufferPointer { itemA in
            for s in 0..<keys.count {
                if s & 4095 == 4095 {
                    // Give up early (before the family's pruning) rather than grow far past the limit.
                    if nk.count > 4 * maxStates { return true }
                    if deadline.expired { return true }
                }
                let ds = delta[s], cs = cost[s], ks = keys[s]
                for x in 0..<items.count {
                    let d = ds + itemDelta[x]
                    if d >= budget { break }
                    let key = ks &+ step[x]
                    let slot = table.slot(for: key)
                    if let at = table.value(at: slot) {
                        if d < nd[at] { nd[at] = d; nc[at] = cs + itemCost[x]; np[at] = Int32(s); ni[at] = Int32(items[x]) }
                    } else {
                        table.set(slot, key: key, value: Int32(nk.count))
                        nk.append(key); nd.append(d); nc.append(cs + itemCost[x]); np.append(Int32(s)); ni.append(Int32(items[x]))
                        for r in 0..<m { nu.append(usage[s * m + r] + itemA[x * m + r]) }
                    }
                }
            }
            return false
            }
            }
            }
            }
            }
            }
            }
            }
            }
            if gaveUp { return nil }
            // Dominance across keys (two rows, no counters): a count vector that costs no less and
            // uses no less of either row than another is never part of a better completion.
            if C == 0 && m == 2 {
                let floor = DominanceFloor.twoRows(cost: nc, usage: nu)
                compactStates(keep: nc.indices.map { floor[$0] > nc[$0] }, m: m, keys: &nk, delta: &nd, cost: &nc, parent: &np,
                              item: &ni, usage: &nu)
            }
            // The family's bounds: cost + λ_j·u + (least reduced costs of the unassigned levels)
            // - λ_j·cap must stay below the limit for every j.
            if !completions.isEmpty {
                // Exact one-row completions (the level's states are final: one per key).
                let t = menu.parent.count + 1
                var absolute = completionBase.usage
                var keep = [Bool](repeating: true, count: nk.count)
                for x in 0..<nk.count {
                    for r in 0..<m { absolute[r] = completionBase.usage[r] + nu[x * m + r] }
                    for completion in completions
                    where completion.bound(next: t, cost: completionBase.cost + nc[x], usage: absolute[...]) >= completionBase.limit {
                        keep[x] = false
                        break
                    }
                }
                compactStates(keep: keep, m: m, keys: &nk, delta: &nd, cost: &nc, parent: &np, item: &ni, usage: &nu)
            }
            if J > 1 {
                var threshold = [Double](repeating: 0, count: J)
                for j in 1..<J {
                    var t = family.limit - family.baseCost - unassigned[j]
                    for r in 0..<m { t += family.lambdas[j * m + r] * family.capOpen[r] }
                    threshold[j] = t
                }
                // The filter visits every new state with every family member: it reads and compacts
                // through buffer pointers (no bounds or uniqueness checks per state); survivors move
                // down in place, in order, as before.
                let w = family.lambdas.withUnsafeBufferPointer { lambdas in
                threshold.withUnsafeBufferPointer { threshold in
                nk.withUnsafeMutableBufferPointer { nk in
                nd.withUnsafeMutableBufferPointer { nd in
                nc.withUnsafeMutableBufferPointer { nc in
                np.withUnsafeMutableBufferPointer { np in
                ni.withUnsafeMutableBufferPointer { ni in
                nu.withUnsafeMutableBufferPointer { nu -> Int in
                var w = 0
                for x in 0..<nk.count {
                    var alive = true
                    for j in 1..<J {
                        var b = nc[x]
                        for r in 0..<m { b += lambdas[j * m + r] * nu[x * m + r] }
                        if b >= threshold[j] { alive = false; break }
                    }
                    guard alive else { continue }
                    if w != x {
                        nk[w] = nk[x]; nd[w] = nd[x]; nc[w] = nc[x]; np[w] = np[x]; ni[w] = ni[x]
                        for r in 0..<m { nu[w * m + r] = nu[x * m + r] }
                    }
                    w += 1
                }
                return w
                }
                }
                }
                }
                }
                }
                }
                }
                nk.removeLast(nk.count - w); nd.removeLast(nd.count - w); nc.removeLast(nc.count - w)
                np.removeLast(np.count - w); ni.removeLast(ni.count - w); nu.removeLast(nu.count - w * m)
            }
            states += nk.count
            if nk.count > maxStates { return nil }
            swap(&keys, &nk); swap(&delta, &nd); swap(&cost, &nc); swap(&usage, &nu)
            menu.parent.append(np)
            menu.item.append(ni)
            if keys.isEmpty { break }
        }
        guard menu.parent.count == cls.count else { return menu }
        // The comparator reads through buffer pointers (it runs O(S log S) times per menu).
        let order = delta.withUnsafeBufferPointer { delta in
            keys.withUnsafeBufferPointer { keys in
                (0..<keys.count).sorted { delta[$0] < delta[$1] || (delta[$0] == delta[$1] && keys[$0] < keys[$1]) }
            }
        }
        menu.delta.reserveCapacity(order.count)
        menu.cost.reserveCapacity(order.count)
        menu.state.reserveCapacity(order.count)
        // Usage summed in place (no array per entry), in the same order as before.
        menu.usage = [Double](repeating: 0, count: order.count * m)
        let typeVectors = localTypes.map { vectors[$0] }
        let allRows = Array(0..<m)
        for (e, s) in order.enumerated() {
            menu.delta.append(delta[s])
            menu.cost.append(cost[s])
            menu.state.append(Int32(s))
            // Canonical usage of the count vector, then the counter digits.
            var rest = addCountVectorUsage(keys[s], radices: radices, typeVectors: typeVectors, rows: allRows,
                                           into: &menu.usage, at: e * m)
            for (c, counter) in counters.enumerated() {
                menu.usage[e * m + counter.row] = Double(rest % radices[K + c]) * counter.unit
                rest /= radices[K + c]
            }
        }
        return menu
    }
}

/// Open-addressing hash table from count-vector keys to state indices (linear probing). A slot
/// holds its key and value side by side, so that a probe reads one cache line (with keys and
/// values in two arrays, a lookup that found its key read a second line for the value).
struct CountTable {
    private struct Slot {
        var key: UInt64
        var value: Int32
    }
    private var slots: [Slot] = []
    private var mask = 0
    /// The keys stored.
    private(set) var count = 0
    private static let empty = UInt64.max

    init(capacity: Int) { reset(capacity: capacity) }

    mutating func reset(capacity: Int) {
        count = 0
        var size = 16
        while size < 2 * capacity { size *= 2 }
        if slots.count == size {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: Slot(key: Self.empty, value: 0)) }
        } else {
            slots = [Slot](repeating: Slot(key: Self.empty, value: 0), count: size)
        }
        mask = size - 1
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// The slot holding `key`, or the empty slot where it belongs.
    @inline(__always) func slot(for key: UInt64) -> Int {
        var h = slot(key)
        while slots[h].key != Self.empty && slots[h].key != key { h = (h + 1) & mask }
        return h
    }

    /// The value at `slot`, nil when the slot is empty.
    @inline(__always) func value(at slot: Int) -> Int? {
        let s = slots[slot]
        return s.key == Self.empty ? nil : Int(s.value)
    }

    /// Replaces the value stored at an occupied `slot`.
    @inline(__always) mutating func replace(_ slot: Int, value: Int32) {
        slots[slot].value = value
    }

    /// Stores `key` at an empty `slot` (from `slot(for:)`); doubles the table past half full
    /// (which moves the slots).
    @inline(__always) mutating func set(_ slot: Int, key: UInt64, value: Int32) {
        slots[slot] = Slot(key: key, value: value)
        count += 1
        if 2 * count > mask { grow() }
    }

    private mutating func grow() {
        let old = slots
        let size = 2 * (mask + 1)
        slots = [Slot](repeating: Slot(key: Self.empty, value: 0), count: size)
        mask = size - 1
        for s in old where s.key != Self.empty {
            slots[slot(for: s.key)] = s
        }
    }
}
