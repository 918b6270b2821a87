import Foundation

/// Diverse children on groups that share coefficient vectors: Lagrangian bands.
///
/// A diversity row against an earlier solution s ("at most G - d groups take s's item") is a
/// *counter*: its coefficient is `unit` on s's item and 0 elsewhere. Counting it per DP state (as
/// extra digits of the count-vector key) multiplies the states by the counters' combinations, so
/// instead:
///
/// 1. The root LP's multipliers μ of the counter rows move into the costs:
///    `c'(i) = c(i) + sum_j μ_j a_j(i)`. For every choice meeting the counter rows,
///    `c(x) >= c'(x) - μ·cap` (μ >= 0, matches <= cap).
/// 2. The count-vector DP without counters on `c'` (`ClassDP.run` on the resource rows) gives the
///    exact least `m' = min c'` over the choices that meet the resource rows, hence the bound
///    `L_div = m' - μ·cap`: the Lagrangian bound of the diversity rows with the resource rows kept
///    integral, far stronger than the LP (NVlabs library, 4th diverse child: LP gap 1.7e-3,
///    L_div gap 2.4e-4). When its choice also meets the counter rows at cost <= L_div + tol it is
///    optimal at once.
/// 3. Otherwise a *band* w: every choice x meeting all rows with `c(x) <= L_div + w` has
///    `c'(x) <= m' + w`, and its partial choice of a class lies within w (in c') of the best partial
///    choice with the same count vector, and of the best one that uses no more of every resource
///    row (`DominanceFloor`, two resource rows): else swapping in that one would meet the resource
///    rows and beat m'. (The second test, round 11: 70B demo (c') children 2 and 3, 61,383 and
///    143,107 -> 41,956 and 80,521 states, same optima.) So a DP
///    whose states are the count vectors, each holding every partial choice within w of its best
///    with its own match counts (minus those no cheaper in c with no more differences, counted up
///    to the need, than another; in fresh bands, while it pays, also minus those that an entry of
///    another count vector with the same differences beats on both resource rows and in c,
///    `ResumableBand.dominatedAcrossKeys`), enumerates all of them; the join keeps the counter
///    rows as rows.
///    A choice found with `c <= L_div + w` is optimal; otherwise w grows (`bandGrowth`: x1.5 to x4,
///    by how fast the last bands' states grew with w; x2 after a fresh band that `steepGrowth`
///    finds steep) up to `UB - L_div`, from a quarter of that
///    gap (from a sixteenth, 6 diverse instances of 4 demo libraries and NVlabs spent 2-13% more
///    instructions: the narrow first band rarely settles a child). With several classes a band up
///    to twice as wide as the last one resumes it (`ResumableBand`) instead of starting afresh.
/// 4. Pass 1 and every band prune partial choices by **exact one-row completions** in c'
///    (`classCompletions`: per class, the backward Pareto fronts of the resource row with the
///    largest `λ_r |cap_r - base_r|`, the other rows relaxed, over the class's remaining levels
///    and then the other classes'), computed once at the widest limit needed and shared (with
///    several classes pass 1 builds them at that limit at once, `completionLimit`: the bands
///    always follow there, and one build costs less than pass 1's narrow ones plus a wide one:
///    70B demo (c') children 2/3 261 M / 557 M -> 243 M / 469 M instructions with the switch
///    costs below computed once per child). Any x of the band has
///    `c'(x) <= m' + w` and meets the resource rows, so a partial choice whose best completion
///    meeting the kept row already costs more cannot be part of one. NVlabs d = 20, 5th child:
///    band states > 400,000 per level -> 9,173 in all.
///    Once 1,000 states are spent, the same fronts on the true costs (counters relaxed
///    entirely) also cut a partial choice whose true cost plus best completion reaches
///    `min(UB, L_div + w)` (5th child: 9,173 -> 6,184 states); with several classes, only in the
///    class with the most count vectors (a build costs every class the same, the saving grows with
///    the class's menu).
///    With several classes the work is split over two cores (`Parallel`): each class's c' fronts
///    (a build over every open level) beside the other's, the true-cost fronts beside pass 1's DP,
///    each band's class menus side by side, x1's repair beside the bands' switch costs; the answer
///    and states are the sequential run's. The bands, fronts and switch costs are freed on another
///    thread once the answer is known.
/// 5. A first incumbent when x1 misses the counters: `swapRepair` (types exchanged between groups
///    of one class keep every resource row's sum).
/// - Complexity: pass 1 as a plain `ClassDP.run`; per band, O(sum_k S_k n_k v) for a class (S_k
///   count vectors, v variants each) plus the join.
extension ClassDP {
    static func runBanded(model: Model, levels: [[Int]], groups: [Int], baseCost: Double, base: [Double], lambda: [Double],
                          ub: Double, tol: Double, maxStates: Int, deadline: Deadline,
                          classes: [[Int]], typeOf: [Int], vectors: [[Double]], counters: [Counter],
                          trueFrontsAfter: Int = 1_000, schedule: BandSchedule = BandSchedule()) -> Outcome? {
        BandedChild(model: model, levels: levels, groups: groups, baseCost: baseCost, base: base, lambda: lambda, ub: ub, tol: tol,
                    maxStates: maxStates, deadline: deadline, classes: classes, typeOf: typeOf, vectors: vectors,
                    counters: counters, trueFrontsAfter: trueFrontsAfter, schedule: schedule).run()
    }

    /// One diverse child's bands (`runBanded`): what steps 1, 2 and 4 fix before pass 1 (μ in the
    /// costs, the resource rows' model and multipliers, the classes' DP orders, the early repair, the
    /// reachable states), then pass 1 and the first incumbents (`run`) and the bands (`widen`).
    struct BandedChild {
        let model: Model, levels: [[Int]], groups: [Int], baseCost: Double, base: [Double]
        let ub: Double, tol: Double, maxStates: Int, deadline: Deadline
        let classes: [[Int]], typeOf: [Int], vectors: [[Double]], counters: [Counter]
        let trueFrontsAfter: Int, schedule: BandSchedule
        /// The bands' and the join's cap on active entries per class level (`BandSchedule.statesFactor`).
        let bandMaxStates: Int
        /// The resource rows (those that are not counters).
        let resRows: [Int]
        /// c' of every item, and μ·cap, μ·base of the counter rows.
        let costP: [Double], muCap: Double, muBase: Double
        /// The resource rows' model in c', its fixed part and its multipliers re-optimised for c'.
        let resModel: Model, resBase: [Double], resLambda: [Double]
        /// Reduced costs in c', their least per level and the Lagrangian bound of the open part.
        let reducedP: [Double], leastP: [Double], lResP: Double
        /// Each class's levels in DP order, and the class that gets the true-cost fronts.
        let orders: [[Int]], largestSpace: [Bool]
        /// The true-cost model of the resource rows and its multipliers.
        let trueModel: Model, trueLambda: [Double]
        /// The earliest earlier solution repaired (`swapRepair`) when it beats `ub`, the incumbent
        /// before pass 1, and the fronts' widest limit.
        let early: (choice: [Int], cost: Double)?, ubStart: Double, widestLimit: Double
        /// Per class, a bound on its states after each of its levels (several classes only).
        let reachable: [[Double]]?

        init(model: Model, levels: [[Int]], groups: [Int], baseCost: Double, base: [Double], lambda: [Double],
             ub: Double, tol: Double, maxStates: Int, deadline: Deadline,
             classes: [[Int]], typeOf: [Int], vectors: [[Double]], counters: [Counter],
             trueFrontsAfter: Int, schedule: BandSchedule) {
            let m = model.m
            // The bands' and the join's cap on active entries per class level (`BandSchedule.statesFactor`).
            let (scaled, overflow) = maxStates.multipliedReportingOverflow(by: Swift.max(1, schedule.statesFactor))
            let bandMaxStates = overflow ? Int.max : scaled
            let isCounter = (0..<m).map { r in counters.contains { $0.row == r } }
            let resRows = (0..<m).filter { !isCounter[$0] }
            let mr = resRows.count
            // μ moves into the costs of the open items.
            var mu = [Double](repeating: 0, count: m)
            for c in counters { mu[c.row] = Swift.max(0, lambda[c.row]) }
            var costP = model.cost
            for items in levels { for i in items { for c in counters { costP[i] += mu[c.row] * model.a[i * m + c.row] } } }
            var muCap = 0.0, muBase = 0.0
            for c in counters {
                muCap += mu[c.row] * model.cap[c.row]
                muBase += mu[c.row] * base[c.row]
            }
            var aRes = [Double](repeating: 0, count: model.cost.count * mr)
            for i in 0..<model.cost.count { for (q, r) in resRows.enumerated() { aRes[i * mr + q] = model.a[i * m + r] } }
            let resModel = Model(groupCount: model.groupCount, m: mr, start: model.start, original: model.original, cost: costP,
                                 a: aRes, cap: resRows.map { model.cap[$0] }, source: resRows.map { model.source[$0] },
                                 costScale: model.costScale)
            let resBase = resRows.map { base[$0] }
            // Resource multipliers re-optimised for c' (the root LP's were optimal with the counter
            // rows as rows): the LP of the open part with μ in the costs.
            let resLambda = ClassDP.resourceMultipliers(resModel, levels: levels, base: resBase, start: resRows.map { lambda[$0] },
                                                        deadline: deadline)
            // Reduced costs in c' under the resource multipliers, and each class's levels in DP order
            // (pass 1 orders them the same way; the completion fronts follow that order, then the
            // other classes' levels).
            var reducedP = [Double](repeating: 0, count: model.cost.count)
            var leastP = [Double](repeating: 0, count: levels.count)
            var lResP = baseCost + muBase
            for (k, items) in levels.enumerated() {
                var lo = Double.infinity
                for i in items {
                    var s = costP[i]
                    for (q, r) in resRows.enumerated() { s += resLambda[q] * model.a[i * m + r] }
                    reducedP[i] = s
                    lo = Swift.min(lo, s)
                }
                leastP[k] = lo
                lResP += lo
            }
            for (q, r) in resRows.enumerated() { lResP -= resLambda[q] * (model.cap[r] - base[r]) }
            let orders = classes.map { ClassDP.dearestFirst($0, levels: levels, reduced: reducedP, least: leastP) }
            // True-cost fronts only for the class with the most count vectors (the largest product of
            // its key's radices): a build runs over every open level whichever class it serves, so it
            // costs each class the same, while what it saves grows with the class's menu. Whole diverse
            // solves: demo (c') 745 -> 698 M instructions, 70B at 1.6x 713 -> 706 M, 405B 1,307 ->
            // 1,280 M, qwen3-32b 221 -> 217 M, mistral-7b and NVlabs (one class) unchanged; fronts for
            // the other class only (the smaller key space) cost the 405B +27%.
            let space = orders.map { cls in
                ClassDP.classTypes(cls, levels: levels, typeOf: typeOf).radices.reduce(0.0) { $0 + log(Double($1)) }
            }
            let largest = space.indices.max { space[$0] < space[$1] || (space[$0] == space[$1] && $0 > $1) } ?? 0
            let largestSpace = orders.indices.map { $0 == largest }
            // True-cost completions (μ = 0: the counters relaxed entirely; the root multipliers on the
            // resource rows): a partial choice with few matches so far is weakly bounded in c' (its
            // μ-penalty is still to come) but may already cost too much. The bands use them once pass 1
            // and the bands have spent `trueFrontsAfter` states (they cost more than they save on
            // children that a few hundred states settle).
            let trueModel = Model(groupCount: model.groupCount, m: mr, start: model.start, original: model.original,
                                  cost: model.cost, a: aRes, cap: resRows.map { model.cap[$0] },
                                  source: resRows.map { model.source[$0] }, costScale: model.costScale)
            let trueLambda = resRows.map { Swift.max(0, lambda[$0]) }
            // With several classes pass 1 builds its fronts at the bands' widest limit at once
            // (`completionLimit`): built first in `run`, one class's fronts beside the other's, and then
            // the true-cost fronts beside pass 1's DP. They are pruned against the best incumbent known
            // before pass 1 (the bands run below it, and m' lies below it in c': it meets the counter
            // rows, so its c' is at most its cost plus μ·cap): the caller's UB, or the earliest earlier
            // solution (the cheapest) repaired by moves that keep every class's count vector
            // (`swapRepair`) when that is better. (c') child 3: the caller's 9.95042 against the
            // repair's 9.93935 (optimum 9.93569); the fronts take ~40% less time, same states, and the
            // child 37.7 -> 33.9 ms (medians of 31 paired runs). An entry that only a lower limit
            // drops bounds every partial choice through it at or above that limit, so the bands cut
            // the same states whichever limit at or above theirs the fronts were pruned against.
            // (The same limit as pass 1's `completionLimit`, so that pass 1 finds them in the cache.)
            var early: (choice: [Int], cost: Double)?
            if classes.count > 1, let counter = counters.first {
                let start = levels.indices.map { k in
                    levels[k].first { model.a[$0 * m + counter.row] != 0 }
                        ?? levels[k].min { reducedP[$0] < reducedP[$1] || (reducedP[$0] == reducedP[$1] && $0 < $1) }!
                }
                if let y = ClassDP.swapRepair(start, model: model, levels: levels, classes: classes, typeOf: typeOf,
                                              counters: counters, base: base, tol: tol, deadline: deadline) {
                    let c = ClassDP.trueCost(y, model: model, baseCost: baseCost)
                    if c < ub { early = (y, c) }
                }
            }
            let ubStart = early?.cost ?? ub
            let widestLimit = ubStart + muCap + tol
            // Per class, a bound on the states after each of its levels (pass 1 and the bands keep
            // δ'-sums within the widest gap): with several classes, the fronts of a class's first
            // levels, which few states query, are not built (ClassDP+ReachableStates.swift). With one
            // class (NVlabs) every front is built: skipping them took (c)'s 5th child from 2,790 to
            // 6,300-18,826 states at factors 1/4-8 (its fronts are the only completion bound, and
            // they cut at every level).
            let reachable = classes.count > 1 ? orders.map {
                ClassDP.reachableStates($0, levels: levels, reduced: reducedP, least: leastP, gap: widestLimit - lResP,
                                        cap: ClassDP.frontStatesPerEntry * Double(ClassDP.frontMaxEntries))
            } : nil
            self.model = model; self.levels = levels; self.groups = groups; self.baseCost = baseCost; self.base = base
            self.ub = ub; self.tol = tol; self.maxStates = maxStates; self.deadline = deadline
            self.classes = classes; self.typeOf = typeOf; self.vectors = vectors; self.counters = counters
            self.trueFrontsAfter = trueFrontsAfter; self.schedule = schedule
            self.bandMaxStates = bandMaxStates; self.resRows = resRows; self.costP = costP; self.muCap = muCap; self.muBase = muBase
            self.resModel = resModel; self.resBase = resBase; self.resLambda = resLambda
            self.reducedP = reducedP; self.leastP = leastP; self.lResP = lResP
            self.orders = orders; self.largestSpace = largestSpace; self.trueModel = trueModel; self.trueLambda = trueLambda
            self.early = early; self.ubStart = ubStart; self.widestLimit = widestLimit; self.reachable = reachable
        }

        /// The true-cost fronts (step 4) pruned against `limit`.
        func buildTrueCompletions(limit: Double) -> [[RowDecomposition.Completion]] {
            ClassDP.classCompletions(model: trueModel, levels: levels, orders: orders, baseCost: baseCost, base: resBase,
                                     lambda: trueLambda, ub: limit, tol: tol, deadline: deadline, heaviestRowOnly: true,
                                     only: largestSpace, reachable: reachable)
        }

        /// Pass 1: the exact least c' over the choices meeting the resource rows. With several
        /// classes its windows start at a quarter of the gap to `ub + μ·cap` (not a 64th as for
        /// plain problems): m' lay at 0.16-0.88 of that gap on all 27 diverse children of 12 demo
        /// knapsacks (8B-405B), so a first window of an eighth always failed and the windows from a
        /// quarter on are the same (round 17: 0.6% fewer states in all, (c') child 3 33,150 ->
        /// 32,591, the same choices). One class (NVlabs) keeps a 64th: its pass 1 often settles a
        /// child in the first window (a 4th child at 30 layers: 340 -> 3,786 states).
        func passOne(_ cache: CompletionCache) -> Outcome? {
            ClassDP.run(model: resModel, levels: levels, groups: groups, baseCost: baseCost + muBase, base: resBase,
                        lambda: resLambda, ub: ub + muCap, tol: tol, maxStates: maxStates, deadline: deadline,
                        completionCache: cache,
                        typing: (classes, typeOf, vectors.map { v in resRows.map { v[$0] } }),
                        heaviestCompletionRow: true,
                        completionLimit: classes.count > 1 ? widestLimit : nil,
                        reachable: reachable,
                        firstWindow: classes.count > 1 ? 1.0 / 4 : 1.0 / 64)
        }

        /// Pass 1 beside the true-cost fronts, x1 and its repair, then the bands (`widen`).
        func run() -> Outcome? {
            // Exact one-row completions (c', resource rows) for pass 1 and the bands.
            let cache = CompletionCache()
            var speculativeTrue: [[RowDecomposition.Completion]]?
            if classes.count > 1 {
                _ = ClassDP.classCompletions(model: resModel, levels: levels, orders: orders, baseCost: baseCost + muBase,
                                             base: resBase, lambda: resLambda, ub: widestLimit, tol: tol, deadline: deadline,
                                             cache: cache, heaviestRowOnly: true, reachable: reachable)
            }
            let passed: Outcome?
            if classes.count > 1 && ub < .infinity {
                (passed, speculativeTrue) = Parallel.both({ passOne(cache) }, { buildTrueCompletions(limit: ubStart + tol) })
            } else {
                passed = passOne(cache)
            }
            guard let first = passed else { return nil }
            let states = first.states
            if first.timedOut {
                return Outcome(choice: early?.choice, cost: ubStart, bound: Swift.min(ubStart, first.bound - muCap), states: states,
                               complete: false, timedOut: true)
            }
            guard let x1 = first.choice else {
                // No choice meeting the resource rows has c' < ub + μ·cap: none meeting every row beats ub.
                return Outcome(choice: early?.choice, cost: ubStart, bound: ubStart, states: states, complete: true, timedOut: false)
            }
            let mPrime = first.cost
            let lDiv = mPrime - muCap
            var ubCur = ubStart
            var best = early?.choice
            var tookX1 = false
            if ClassDP.meetsAll(x1, model: model, base: base) {
                let c = ClassDP.trueCost(x1, model: model, baseCost: baseCost)
                if c < ubCur { ubCur = c; best = x1; tookX1 = true }
            }
            // The repair of x1 beside the switch costs of the bands (computed in vain when the repair
            // settles the child).
            let (repaired, switching) = Parallel.both({
                tookX1 ? nil : ClassDP.swapRepair(x1, model: model, levels: levels, classes: classes, typeOf: typeOf,
                                                  counters: counters, base: base, tol: tol, deadline: deadline)
            }, {
                // Per class: the least δ' of the switches the groups left must make (the same in every band).
                orders.map {
                    ClassDP.switchCosts(model: model, levels: levels, cls: $0, counters: counters, reduced: reducedP, least: leastP)
                }
            })
            if let y = repaired {
                let c = ClassDP.trueCost(y, model: model, baseCost: baseCost)
                if c < ubCur { ubCur = c; best = y }
            }
            if lDiv >= ubCur - tol {
                return Outcome(choice: best, cost: ubCur, bound: ubCur, states: states, complete: true, timedOut: false)
            }
            return widen(mPrime: mPrime, ubCur: ubCur, best: best, states: states, cache: consume cache,
                         speculativeTrue: consume speculativeTrue, switching: consume switching)
        }

        /// Pass 2: bands of growing width from the Lagrangian bound `m' - μ·cap` up to the incumbent
        /// (step 3). Owns the fronts, the speculative true-cost fronts and the switch costs: they are
        /// freed with the bands on another thread once the answer is known.
        func widen(mPrime: Double, ubCur: Double, best: [Int]?, states: Int, cache: consuming CompletionCache,
                   speculativeTrue: consuming [[RowDecomposition.Completion]]?, switching: consuming [[[[Double]]]]) -> Outcome? {
            let m = model.m
            let lDiv = mPrime - muCap
            var ubCur = ubCur, best = best, states = states
            var speculativeTrue = consume speculativeTrue
            let capOpen = (0..<m).map { model.cap[$0] - base[$0] }
            let resCapOpen = resRows.map { capOpen[$0] }
            var w = Swift.max((ubCur - tol - lDiv) * schedule.firstFraction, tol)
            var proven = lDiv
            // The true-cost completions the bands use (from `trueFrontsAfter` states on; with one class
            // built then, pruned against the incumbent of that moment).
            var trueCompletions: [[RowDecomposition.Completion]]?
            // The last band that did not settle the child: its width, the states it took and the
            // incumbent it ran against (states under another UB are pruned differently: no exponent).
            var previousBand: (w: Double, states: Int, ub: Double)?
            // The last band of each class (a wider one may resume it).
            var bands: [ResumableBand]?
            var resumed = 0
            // Candidates the bands cut by dominance across keys (bands replaced by fresh ones counted here).
            var crossCuts = 0
            func cutsAcrossKeys() -> Int { crossCuts + (bands ?? []).reduce(0) { $0 + $1.crossCut } }
            // The bands, fronts and switch costs (thousands of arrays: ~0.4 ms of frees on (c')'s
            // children 2 and 3, by timers) are freed on another thread, after the answer is returned.
            defer {
                Parallel.releaseLater([bands as Any, cache, trueCompletions as Any, speculativeTrue as Any, switching])
                bands = nil
                trueCompletions = nil
                speculativeTrue = nil
            }
            while true {
                if trueCompletions == nil && states >= trueFrontsAfter {
                    trueCompletions = speculativeTrue ?? buildTrueCompletions(limit: ubCur + tol)
                }
                let final = lDiv + w >= ubCur - tol
                if final { w = ubCur - tol - lDiv }
                let statesBefore = states, ubBefore = ubCur
                let limitP = mPrime + w
                /// The cut-offs of a band of width `width` against the incumbent of now.
                func limits(_ width: Double) -> BandLimits {
                    BandLimits(budget: mPrime + width - lResP, band: width, completionLimit: mPrime + width + tol,
                               trueLimit: Swift.min(ubCur - tol, lDiv + width + tol) - baseCost,
                               trueLimitUncapped: lDiv + width + tol - baseCost, familyLimit: mPrime + width)
                }
                let current = limits(w)
                // Fronts pruned against the widest band's limit, computed once (unless pass 1 did).
                if cache.limit < limitP + tol {
                    _ = ClassDP.classCompletions(model: resModel, levels: levels, orders: orders, baseCost: baseCost + muBase,
                                                 base: resBase, lambda: resLambda, ub: mPrime + (ubCur - lDiv) + tol, tol: tol,
                                                 deadline: deadline, cache: cache, heaviestRowOnly: true, reachable: reachable)
                }
                let completions = ClassDP.classCompletions(model: resModel, levels: levels, orders: orders,
                                                           baseCost: baseCost + muBase, base: resBase, lambda: resLambda,
                                                           ub: limitP + tol, tol: tol, deadline: deadline, cache: cache,
                                                           heaviestRowOnly: true, reachable: reachable)
                // A band no wider than what the last one recorded resumes it (step 3); otherwise each
                // class's band is built afresh, recording what a band twice as wide would keep (up to
                // the final width: a final band records nothing).
                let resuming = bands.map { $0.allSatisfy { $0.canResume(to: w) } } ?? false
                if resuming { resumed += 1 }
                if !resuming {
                    let family = Family(model: resModel, levels: levels, lambda: resLambda, capOpen: resCapOpen,
                                        baseCost: baseCost + muBase, limit: limitP, gap: current.budget)
                    let made = orders.indices.map { ci in
                        ResumableBand(model: model, levels: levels, cls: orders[ci], typeOf: typeOf, vectors: vectors,
                                      counters: counters, resRows: resRows, costP: costP, reducedP: reducedP, leastP: leastP,
                                      family: family, completions: completions[ci], completionBase: (baseCost + muBase, resBase),
                                      trueCompletions: trueCompletions?[ci] ?? [], switching: switching[ci],
                                      maxStates: bandMaxStates, packedChain: schedule.packedChain)
                    }
                    // A count vector that does not fit 64 bits: the bands do not apply.
                    guard made.allSatisfy({ $0 != nil }) else { return nil }
                    crossCuts = cutsAcrossKeys()
                    bands = made.compactMap { $0 }
                }
                let classBands = bands ?? []
                // One class (NVlabs) builds every band afresh: its bands grow x1.5 and their states like
                // w^3, and resuming doubled its 5th child's states in bench (c) (2,790 -> 5,663).
                let park = limits(final || classes.count == 1 ? w : Swift.min(ubCur - tol - lDiv, schedule.parkFactor * w))
                // The classes' menus are independent (each reads only the shared fronts): side by side.
                let built = Parallel.map(orders.count) { ci -> (menu: Menu?, states: Int) in
                    var spent = 0
                    let menu = resuming ? classBands[ci].resume(current, deadline: deadline, states: &spent)
                        : classBands[ci].run(current, park: park, deadline: deadline, states: &spent)
                    return (menu, spent)
                }
                for b in built { states += b.states }
                let menus = built.compactMap(\.menu)
                if menus.count < built.count {
                    if deadline.expired {
                        return Outcome(choice: best, cost: ubCur, bound: Swift.min(ubCur, proven), states: states, complete: false,
                                       timedOut: true, resumedBands: resumed, crossKeyCuts: cutsAcrossKeys())
                    }
                    return nil
                }
                var found: ([Int], Double)?
                if menus.count == classes.count && !menus.contains(where: { $0.count == 0 }) {
                    guard let attempt = ClassDP.join(menus, m: m, capOpen: capOpen, baseCost: baseCost, budget: current.budget,
                                                     levelCount: levels.count, maxStates: bandMaxStates,
                                                     deadline: deadline, states: &states) else { return nil }
                    if attempt.timedOut {
                        return Outcome(choice: best, cost: ubCur, bound: Swift.min(ubCur, proven), states: states, complete: false,
                                       timedOut: true, resumedBands: resumed, crossKeyCuts: cutsAcrossKeys())
                    }
                    found = attempt.best
                }
                if let (choice, c) = found, c < ubCur { best = choice; ubCur = c }
                if final || ubCur <= lDiv + w {
                    return Outcome(choice: best, cost: ubCur, bound: ubCur, states: states, complete: true, timedOut: false,
                                   resumedBands: resumed, crossKeyCuts: cutsAcrossKeys())
                }
                // Nothing meeting every row costs L_div + w or less.
                proven = lDiv + w
                let spent = states - statesBefore
                let comparable = previousBand.flatMap { $0.ub == ubBefore ? (w: $0.w, states: $0.states) : nil }
                var growth = ClassDP.bandGrowth(previous: comparable, width: w, states: spent, classCount: classes.count)
                // A fresh band with nothing to measure its growth against that recorded many entries
                // for its park width grows steeply: the next band resumes it at that width instead of
                // starting afresh four times as wide (`steepGrowth`).
                if comparable == nil && !resuming && classes.count > 1, let classBands = bands {
                    let counts = classBands.map(\.recorded)
                    if ClassDP.steepGrowth(active: counts.reduce(0) { $0 + $1.active },
                                           parked: counts.reduce(0) { $0 + $1.parked }, threshold: schedule.steepRecorded) {
                        growth = schedule.parkFactor
                    }
                }
                previousBand = (w: w, states: spent, ub: ubBefore)
                w *= growth
            }
        }
    }

    /// How much wider the next band is than the one (of width `width`, `states` states) that just
    /// failed to settle the child. A band's cost grows with its width at a rate that differs between libraries:
    /// with one class the exact one-row completions leave almost only partial choices within w of
    /// the optimum, and the states grow like w^3 (NVlabs library, 5th child with d = 20: 83 states
    /// at w = 1.4e-4, 4,276 at 5.7e-4), so a x4 step overshoots an optimum just above the band
    /// (that child's optimum lies at 3.0e-4); with several classes the count vectors that each
    /// class keeps for the join dominate and hardly depend on w (70B demo, 2nd child with d = 10:
    /// 18,396 and 20,647 states at w = 3.9e-5 and 1.6e-4), so small steps only repeat that work.
    /// So the step aims at a next band of about four times this one's cost: with the growth
    /// exponent p measured between the last two bands (states ∝ w^p), the factor is 4^(1/p),
    /// clamped to [1.5, 4]; after the first band, 1.5 with one class and 4 with several (the caller
    /// steps by the park factor instead when the band it just ran grew steeply, `steepGrowth`).
    static func bandGrowth(previous: (w: Double, states: Int)?, width: Double, states: Int, classCount: Int) -> Double {
        guard let previous, previous.states > 0, states > 0, width > previous.w else { return classCount == 1 ? 1.5 : 4 }
        let p = log(Double(states) / Double(previous.states)) / log(width / previous.w)
        guard p.isFinite, p > 1 else { return 4 }
        return Swift.min(4, Swift.max(1.5, pow(4, 1 / p)))
    }

    /// Whether a fresh band that recorded `parked` entries and candidates for its park width
    /// beside the `active` ones it kept grows steeply with its width (states ∝ w^p, p > 1), so
    /// that the next band should resume it at the park width (x2) rather than start afresh at x4.
    /// After a first band nothing measures p (`bandGrowth` then steps x4, right where the states
    /// hardly grow: the count vectors each class keeps for the join dominate), but what the band
    /// recorded for twice its width is a direct sample of its growth: at least `threshold`
    /// (`BandSchedule.steepRecorded`, 0.4) per entry kept. On 93 diverse demo knapsacks (8B to
    /// 405B, 1.4x to 3.5x, 3 children at d = 10 and 4 at d = 15) the first bands that failed
    /// recorded 0 to 0.39 per entry except on five (0.42-0.60, four of them the 405B at 2.8x and
    /// 3.5x): there the next band x4 took 480,729 / 1.4 M / 377,326 states (405B at 2.8x, 3rd
    /// child: 433,267 in that band, 261 ms) and resuming at x2 115,257 / 640,595 / 205,113
    /// (101 ms), the optimum lying within x2. Below the threshold resuming first paid as often as
    /// not (only when the optimum lies within x2; the 405B at 1.4x: 330,244 -> 372,995 states).
    static func steepGrowth(active: Int, parked: Int, threshold: Double) -> Bool {
        active > 0 && Double(parked) >= threshold * Double(active)
    }

    /// The LP multipliers of the open levels' resource rows (capacities less `base`) by the GUB
    /// simplex from `start`; `start` when it fails or does not improve the Lagrangian bound.
    static func resourceMultipliers(_ model: Model, levels: [[Int]], base: [Double], start: [Double], deadline: Deadline) -> [Double] {
        guard model.m > 0 else { return start }
        var nb = NodeBound(levels: levels, model: model)
        var lp = NodeLP(nodeBound: nb, costScale: model.costScale)
        lp.deadline = deadline
        lp.maxPivots = 50 * (levels.count + model.m)
        let residual = (0..<model.m).map { model.cap[$0] - base[$0] }
        let dead = [Int](repeating: .max, count: nb.cost.count)
        guard case .multipliers(let found) = lp.solve(open: 0..<levels.count, residual: residual, start: start, deadAt: dead, depth: 0)
        else { return start }
        var reduced = [Double](repeating: 0, count: nb.cost.count)
        var a = start, b = found
        let valueStart = nb.bound(open: 0..<levels.count, residual: residual, lambda: &a, passes: 0, reduced: &reduced)
        let valueFound = nb.bound(open: 0..<levels.count, residual: residual, lambda: &b, passes: 0, reduced: &reduced)
        return valueFound > valueStart ? found : start
    }

    /// `switching[c][t]`: prefix sums (from 0) of the sorted switch costs of the open groups left
    /// after the first t levels of the class (the rest of the class and every other class) whose
    /// least-δ' item is earlier solution c's: the least extra δ' of taking another item there.
    /// Entry q is the least δ' of switching q of them.
    /// - Complexity: O(C (P log P + n P)) for n levels in the class and P in all.
    static func switchCosts(model: Model, levels: [[Int]], cls: [Int], counters: [Counter], reduced: [Double],
                            least: [Double]) -> [[[Double]]] {
        let m = model.m
        func cost(_ k: Int, _ counter: Counter) -> Double? {
            var cheapestMatches = false, other = Double.infinity
            for i in levels[k] {
                let d = reduced[i] - least[k]
                if model.a[i * m + counter.row] != 0 { if d <= 0 { cheapestMatches = true } } else { other = Swift.min(other, d) }
            }
            guard cheapestMatches else { return nil }
            return Swift.max(0, other)
        }
        let inClass = Set(cls)
        return counters.map { counter in
            let others = levels.indices.filter { !inClass.contains($0) }.compactMap { cost($0, counter) }
            let mine = cls.map { cost($0, counter) }
            // The pool after t levels: the sorted pool of all of them less the class's first t
            // switch costs, each removed at an equal value (the same sorted values as sorting anew).
            var pool = (others + mine.compactMap { $0 }).sorted()
            var result: [[Double]] = []
            result.reserveCapacity(cls.count + 1)
            for t in 0...cls.count {
                if t > 0, let gone = mine[t - 1] {
                    var lo = 0, hi = pool.count
                    while lo < hi {
                        let mid = (lo + hi) >> 1
                        if pool[mid] < gone { lo = mid + 1 } else { hi = mid }
                    }
                    pool.remove(at: lo)
                }
                var prefix = [Double](repeating: 0, count: pool.count + 1)
                for (j, v) in pool.enumerated() { prefix[j + 1] = prefix[j] + v }
                result.append(prefix)
            }
            return result
        }
    }

    /// The cost of a choice of the open levels plus the fixed part's `baseCost` (in level order).
    static func trueCost(_ choice: [Int], model: Model, baseCost: Double) -> Double {
        var c = baseCost
        for i in choice { c += model.cost[i] }
        return c
    }

    /// Whether a choice of the open levels meets every row (sums in level order, plus `base`).
    static func meetsAll(_ choice: [Int], model: Model, base: [Double]) -> Bool {
        let m = model.m
        for r in 0..<m {
            var s = base[r]
            for i in choice { s += model.a[i * m + r] }
            if s > model.cap[r] { return false }
        }
        return true
    }

    /// A class's levels with the dearest second-least reduced cost first (the states multiply late).
    static func dearestFirst(_ unordered: [Int], levels: [[Int]], reduced: [Double], least: [Double]) -> [Int] {
        func secondLeast(_ k: Int) -> Double {
            var lo = Double.infinity
            for i in levels[k] where reduced[i] - least[k] > 0 { lo = Swift.min(lo, reduced[i] - least[k]) }
            return lo
        }
        let key = unordered.map(secondLeast)
        return unordered.indices.sorted { key[$0] > key[$1] || (key[$0] == key[$1] && $0 < $1) }.map { unordered[$0] }
    }
}
