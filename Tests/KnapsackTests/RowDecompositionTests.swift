import Testing
@testable import Knapsack

/// Decomposition bounds (one row kept exactly, the others relaxed) against exhaustive
/// enumeration: every item's bound is at most the cost of every feasible choice that takes it,
/// the global bound is at most the optimum and at least the Lagrangian bound at the same
/// multipliers (on feasible instances).
@Suite struct RowDecompositionTests {
    /// Every choice (one model item per group) that meets every row, with its cost.
    static func feasibleChoices(_ model: Model) -> [(choice: [Int], cost: Double)] {
        var feasible: [(choice: [Int], cost: Double)] = []
        var x = [Int](repeating: 0, count: model.groupCount)
        func visit(_ g: Int) {
            if g == model.groupCount {
                for r in 0..<model.m {
                    var s = 0.0
                    for i in x { s += model.a[i * model.m + r] }
                    if s > model.cap[r] { return }
                }
                var c = 0.0
                for i in x { c += model.cost[i] }
                feasible.append((x, c))
                return
            }
            for i in model.start[g]..<model.start[g + 1] { x[g] = i; visit(g + 1) }
        }
        visit(0)
        return feasible
    }

    @Test func boundsNeverExceedBruteForce() throws {
        var rng = SplitMix(seed: 3030)
        var checked = 0, stronger = 0
        for n in 0..<700 {
            let p = NodeLPTests.make(&rng, maxGroups: 6)
            guard let model = NodeLPTests.model(p) else { continue }
            var dual = LagrangianDual(model: model)
            guard dual.maximize() != nil else { continue }
            let lambda = dual.lambda
            let lagrangian = dual.value()
            let levels = (0..<model.groupCount).map { Array(model.start[$0]..<model.start[$0 + 1]) }
            // Least cost of a feasible choice taking each model item (model costs = values here).
            var best = [Double](repeating: .infinity, count: model.cost.count)
            var optimum = Double.infinity
            for (x, c) in Self.feasibleChoices(model) {
                optimum = min(optimum, c)
                for i in x { best[i] = min(best[i], c) }
            }
            // Infeasible instances drive the multipliers to huge values: nothing to compare.
            guard optimum < .infinity else { continue }
            for r in 0..<model.m {
                guard let (bound, items) = RowDecomposition.itemBounds(model: model, levels: levels, fixedItems: [], lambda: lambda,
                                                                        row: r, ub: .infinity, tol: 0, maxStates: 100_000,
                                                                        deadline: .none) else {
                    Issue.record("instance \(n) row \(r): gave up")
                    continue
                }
                let slack = 1e-9 * max(model.costScale, abs(lagrangian))
                #expect(bound <= optimum + slack, "instance \(n) row \(r): bound \(bound) above the optimum \(optimum)")
                #expect(bound >= lagrangian - slack, "instance \(n) row \(r): bound \(bound) below the Lagrangian \(lagrangian)")
                if bound > lagrangian + slack { stronger += 1 }
                for (i, b) in items {
                    #expect(b <= best[i] + slack, "instance \(n) row \(r) item \(i): bound \(b) above \(best[i])")
                }
                checked += 1
            }
        }
        #expect(checked > 300)
        #expect(stronger > 30)
    }

    /// A random instance for the completion tests (nil when it has one row, no dual or no feasible
    /// choice): the dual's multipliers and value, one level per group, every feasible choice, and
    /// a limit a little above the optimum, which the fronts are pruned against.
    static func completionInstance(_ rng: inout SplitMix) -> (model: Model, lambda: [Double], lagrangian: Double, levels: [[Int]],
                                                             feasible: [(choice: [Int], cost: Double)], optimum: Double, ub: Double)? {
        let p = NodeLPTests.make(&rng, maxGroups: 6)
        guard let model = NodeLPTests.model(p), model.m >= 2 else { return nil }
        var dual = LagrangianDual(model: model)
        guard dual.maximize() != nil else { return nil }
        let levels = (0..<model.groupCount).map { Array(model.start[$0]..<model.start[$0 + 1]) }
        let feasible = Self.feasibleChoices(model)
        guard let optimum = feasible.map(\.cost).min() else { return nil }
        return (model, dual.lambda.map { max(0, $0) }, dual.value(), levels, feasible, optimum,
                optimum + 0.25 * max(1e-9, abs(optimum)))
    }

    /// Calls `body(k, c, u)` for k in 0...G with the cost and usage of `choice`'s first k levels.
    static func forEachPrefix(of choice: [Int], _ model: Model, _ body: (Int, Double, [Double]) -> Void) {
        var c = 0.0
        var u = [Double](repeating: 0, count: model.m)
        for k in 0...model.groupCount {
            body(k, c, u)
            if k < model.groupCount {
                let i = choice[k]
                c += model.cost[i]
                for q in 0..<model.m { u[q] += model.a[i * model.m + q] }
            }
        }
    }

    /// The backward completion fronts (built level by level through one shared `Workspace`, whose
    /// buffers grow as the fronts do): for every feasible choice below the limit and every split
    /// point k, the bound read after its first k levels is at most its cost; and read before any
    /// level it often beats the Lagrangian bound (it is not vacuous).
    @Test func completionFrontsNeverExceedBruteForce() throws {
        var rng = SplitMix(seed: 4141)
        var checked = 0, stronger = 0
        for n in 0..<600 {
            guard let (model, lambda, lagrangian, levels, feasible, optimum, ub) = Self.completionInstance(&rng) else { continue }
            for r in 0..<model.m {
                guard let completion = RowDecomposition.completion(model: model, levels: levels, baseCost: 0,
                                                                   base: [Double](repeating: 0, count: model.m), lambda: lambda,
                                                                   row: r, ub: ub, tol: 0, maxStates: 100_000,
                                                                   deadline: .none) else {
                    Issue.record("instance \(n) row \(r): gave up")
                    continue
                }
                let slack = 1e-9 * max(model.costScale, abs(optimum))
                for (choice, cost) in feasible where cost < ub {
                    Self.forEachPrefix(of: choice, model) { k, c, u in
                        let b = completion.bound(next: k, cost: c, usage: u[...])
                        #expect(b <= cost + slack, "instance \(n) row \(r) split \(k): bound \(b) above the choice's cost \(cost)")
                    }
                }
                // Not vacuous: read before any level, the bound beats the Lagrangian (LP) bound.
                if completion.bound(next: 0, cost: 0, usage: [Double](repeating: 0, count: model.m)[...]) > lagrangian + slack {
                    stronger += 1
                }
                checked += 1
            }
        }
        #expect(checked > 200)
        #expect(stronger > 20)
    }

    /// A build told to stop (`worthBuilding` false at level k) keeps the fronts after k exactly as
    /// the whole build has them and cuts nothing before: its bound is the whole build's at every
    /// level from `firstLevel` on and -infinity before it. One told which level is the last
    /// queried (`lastQueried`, as the class DPs build theirs) keeps the fronts up to it exactly and
    /// drops the later ones (their memory).
    @Test func partialCompletionBuildsKeepTheWholeBuildsFronts() throws {
        var rng = SplitMix(seed: 4242)
        var checked = 0, stopped = 0, dropped = 0
        for n in 0..<400 {
            guard let (model, lambda, _, levels, feasible, _, ub) = Self.completionInstance(&rng) else { continue }
            let stop = Int.random(in: 0...model.groupCount, using: &rng)
            let last = Int.random(in: stop...model.groupCount + 1, using: &rng)
            let base = [Double](repeating: 0, count: model.m)
            for r in 0..<model.m {
                guard let whole = RowDecomposition.completion(model: model, levels: levels, baseCost: 0, base: base, lambda: lambda,
                                                              row: r, ub: ub, tol: 0, maxStates: 100_000, deadline: .none),
                      let part = RowDecomposition.completion(model: model, levels: levels, baseCost: 0, base: base, lambda: lambda,
                                                             row: r, ub: ub, tol: 0, maxStates: 100_000, deadline: .none,
                                                             worthBuilding: { k, _ in k >= stop }, lastQueried: last) else {
                    Issue.record("instance \(n) row \(r): gave up")
                    continue
                }
                #expect(whole.firstLevel == 0)
                #expect(part.firstLevel == stop, "instance \(n) row \(r)")
                #expect(part.lastLevel == min(last, model.groupCount), "instance \(n) row \(r)")
                if stop > 0 { stopped += 1 }
                // The fronts after the last queried level are gone.
                for k in part.backward.indices where k > last {
                    #expect(part.backward[k].usage.isEmpty, "instance \(n) row \(r) level \(k)")
                    dropped += 1
                }
                // Queries along every feasible choice, up to the last queried level.
                for (choice, _) in feasible {
                    Self.forEachPrefix(of: choice, model) { k, c, u in
                        guard k <= last else { return }
                        let b = part.bound(next: k, cost: c, usage: u[...])
                        if k < stop {
                            #expect(b == -.infinity, "instance \(n) row \(r) level \(k): \(b)")
                        } else {
                            #expect(b == whole.bound(next: k, cost: c, usage: u[...]), "instance \(n) row \(r) level \(k)")
                        }
                    }
                }
                checked += 1
            }
        }
        #expect(checked > 200)
        #expect(stopped > 100)
        #expect(dropped > 100)
    }

    /// The prefix envelopes against the LP dual computed independently: for every prefix and
    /// room R at or above its least usage, g(R) = max over s >= 0 of P(s) - s·R with
    /// P(s) = sum over the prefix's levels of the least c' + s·u (the maximum lies at s = 0 or at
    /// a slope where two items of one level tie).
    @Test func prefixEnvelopesMatchTheLPDual() throws {
        var rng = SplitMix(seed: 5252)
        var checked = 0
        for _ in 0..<300 {
            let D = Int.random(in: 1...6, using: &rng)
            // Usages on a coarse grid (ties and collinear points occur), costs of both signs.
            let ua = (0..<D).map { _ in (0..<Int.random(in: 1...5, using: &rng)).map { _ in Double(Int.random(in: 0...8, using: &rng)) } }
            let cp = ua.map { $0.map { _ in Double(Int.random(in: -20...20, using: &rng)) / 4 } }
            let envelopes = RowDecomposition.PrefixEnvelope.prefixes(cost: cp, usage: ua)
            #expect(envelopes.count == D + 1)
            for k in 0...D {
                var slopes: Set<Double> = [0]
                for l in 0..<k {
                    for x in ua[l].indices {
                        for y in ua[l].indices where ua[l][y] > ua[l][x] && cp[l][y] < cp[l][x] {
                            slopes.insert((cp[l][x] - cp[l][y]) / (ua[l][y] - ua[l][x]))
                        }
                    }
                }
                func dual(_ R: Double) -> Double {
                    slopes.map { s in
                        var p = 0.0
                        for l in 0..<k { p += zip(cp[l], ua[l]).map { $0 + s * $1 }.min()! }
                        return p - s * R
                    }.max()!
                }
                let least = (0..<k).reduce(0.0) { $0 + ua[$1].min()! }
                for step in 0...(8 * k + 2) {
                    let R = least + Double(step) / 2
                    let g = envelopes[k].value(room: R)
                    #expect(abs(g - dual(R)) <= 1e-9 * (1 + abs(g)), "prefix \(k) room \(R): envelope \(g), dual \(dual(R))")
                    checked += 1
                }
                #expect(envelopes[k].value(room: least - 0.5) == .infinity)
            }
        }
        #expect(checked > 3000)
    }

    /// A front extended with an envelope is the front extended without one, less the entries with
    /// `c' + g(room - usage) >= limit` (whether the envelope drops them before the merge or
    /// after, since a dominated entry fails whenever its dominator does).
    @Test func envelopeDropsExactlyTheEntriesItBounds() throws {
        var rng = SplitMix(seed: 6363)
        var dropped = 0, kept = 0
        for _ in 0..<300 {
            // A Pareto front (usage ascending, c' strictly descending).
            var front = RowDecomposition.Front()
            var u = 0.0, c = 10.0
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                u += Double(Int.random(in: 1...4, using: &rng)) / 2
                c -= Double(Int.random(in: 1...6, using: &rng)) / 4
                front.usage.append(u); front.cost.append(c)
            }
            let n = Int.random(in: 1...4, using: &rng)
            let itemUsage = (0..<n).map { _ in Double(Int.random(in: 0...6, using: &rng)) / 2 }
            let itemCost = (0..<n).map { _ in Double(Int.random(in: -8...8, using: &rng)) / 4 }
            let prefixUsage = (0..<3).map { _ in (0..<3).map { _ in Double(Int.random(in: 0...6, using: &rng)) } }
            let prefixCost = prefixUsage.map { $0.map { _ in Double(Int.random(in: -12...12, using: &rng)) / 4 } }
            let g = RowDecomposition.PrefixEnvelope.prefixes(cost: prefixCost, usage: prefixUsage)[3]
            let room = Double(Int.random(in: 20...40, using: &rng)), limit = Double(Int.random(in: -10...10, using: &rng))
            guard let plain = RowDecomposition.extend(front, cost: itemCost, usage: itemUsage, capacity: .infinity, limit: .infinity,
                                                      maxStates: 100_000),
                  let enveloped = RowDecomposition.extend(front, cost: itemCost, usage: itemUsage, capacity: .infinity, limit: .infinity,
                                                          maxStates: 100_000, envelope: (g, room, limit)) else {
                Issue.record("gave up")
                continue
            }
            let expected = plain.usage.indices.filter { plain.cost[$0] + g.value(room: room - plain.usage[$0]) < limit }
            #expect(enveloped.usage == expected.map { plain.usage[$0] })
            #expect(enveloped.cost == expected.map { plain.cost[$0] })
            dropped += plain.usage.count - expected.count
            kept += expected.count
        }
        #expect(dropped > 500 && kept > 500)
    }
}
