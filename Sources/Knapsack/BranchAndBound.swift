import Foundation

/// Exact search on a `Model` once the root multipliers λ are known.
///
/// With `L = L(λ)`, every feasible x costs at least `L + sum_g δ_{x_g}` (see `LagrangianDual`).
/// Items with `L + δ >= UB - tol` can never improve the incumbent UB and are removed (reduced-cost
/// fixing); groups left with one item are fixed. The open groups are then searched either by
/// `ParetoDP` (up to `dpMaxRows` constraints) or by depth-first branch and bound: every node
/// re-optimises the multipliers of its open subproblem (`NodeBound` coordinate ascent for up to
/// two constraints, the exact node LP by `NodeLP` for more), is pruned when that bound
/// reaches `UB - tol` or when some constraint cannot be met with the least remaining coefficients,
/// and tries its children in increasing reduced cost under its own multipliers (later siblings are
/// cut as soon as one reaches the bound, since they are sorted).
/// - Complexity: O(N log N + N m) setup; worst case exponential in the number of open groups,
///   in practice the few groups whose reduced costs lie inside the duality gap.
struct BranchAndBound {
    struct Result {
        /// Best choice (model item index per group), nil when none was found.
        var best: [Int]?
        var bestCost: Double
        /// Proven lower bound (minimisation).
        var bound: Double
        var nodes: Int
        /// True when the search finished (optimal or proven infeasible).
        var complete: Bool
        /// True when the deadline (not the node limit) stopped the search.
        var timedOut: Bool = false
    }

    let model: Model
    /// Absolute deadline in `DispatchTime` uptime nanoseconds.
    var deadline: UInt64?
    /// Coordinate-ascent passes per node.
    var nodePasses = 1
    /// With 3+ constraints (node LP bounds): levels tried by strong branching per node, among
    /// the most ambiguous ones.
    var strongBranchingCandidates = 3
    /// Try `ParetoDP` before depth-first search.
    var useDP = true
    /// Rows up to which `ParetoDP` runs (its dominance test is exact for two).
    var dpMaxRows = 2
    /// Try `ClassDP` first (cleared once it has given up on a problem).
    var useClassDP = true

    /// Cost of a full choice (model item indices), summed in group order.
    func cost(_ x: [Int]) -> Double {
        var s = 0.0
        for i in x { s += model.cost[i] }
        return s
    }

    func feasible(_ x: [Int]) -> Bool {
        let m = model.m
        for r in 0..<m {
            var s = 0.0
            for i in x { s += model.a[i * m + r] }
            if s > model.cap[r] { return false }
        }
        return true
    }

    /// Greedy repair of the Lagrangian choice followed by improving single swaps.
    /// - Complexity: O(steps * N * m).
    func heuristic(reduced: [Double], from start: [Int]? = nil) -> [Int]? {
        let m = model.m, G = model.groupCount
        var x = start ?? (0..<G).map { g -> Int in
            var b = model.start[g]
            for i in model.start[g]..<model.start[g + 1] where reduced[i] < reduced[b] { b = i }
            return b
        }
        var used = [Double](repeating: 0, count: m)
        for i in x { for r in 0..<m { used[r] += model.a[i * m + r] } }
        var scale = [Double](repeating: 1, count: m)
        for r in 0..<m { scale[r] = Swift.max(1e-300, abs(model.cap[r])) }
        func violation(_ u: [Double]) -> Double {
            var v = 0.0
            for r in 0..<m where u[r] > model.cap[r] { v += (u[r] - model.cap[r]) / scale[r] }
            return v
        }
        var steps = 0
        var current = violation(used)
        while current > 0 {
            steps += 1
            if steps > 4 * G + 100 { return nil }
            var bestScore = Double.infinity, bg = -1, bi = -1, bestViolation = current
            var trial = used
            for g in 0..<G {
                let old = x[g]
                for i in model.start[g]..<model.start[g + 1] where i != old {
                    for r in 0..<m { trial[r] = used[r] - model.a[old * m + r] + model.a[i * m + r] }
                    let v = violation(trial)
                    let gain = current - v
                    guard gain > 0 else { continue }
                    let score = (reduced[i] - reduced[old]) / gain
                    if score < bestScore { bestScore = score; bg = g; bi = i; bestViolation = v }
                }
            }
            if bg < 0 { return nil }
            for r in 0..<m { used[r] += model.a[bi * m + r] - model.a[x[bg] * m + r] }
            x[bg] = bi
            current = bestViolation
        }
        // Improving swaps that keep feasibility.
        var improved = true
        var rounds = 0
        while improved && rounds < 4 * G + 100 {
            improved = false
            rounds += 1
            var bestDelta = 0.0, bg = -1, bi = -1
            for g in 0..<G {
                let old = x[g]
                for i in model.start[g]..<model.start[g + 1] where i != old {
                    let d = model.cost[i] - model.cost[old]
                    guard d < bestDelta else { continue }
                    var ok = true
                    for r in 0..<m where used[r] - model.a[old * m + r] + model.a[i * m + r] > model.cap[r] { ok = false; break }
                    if ok { bestDelta = d; bg = g; bi = i }
                }
            }
            if bg >= 0 {
                for r in 0..<m { used[r] += model.a[bi * m + r] - model.a[x[bg] * m + r] }
                x[bg] = bi
                improved = true
            }
        }
        return feasible(x) ? x : nil
    }

    /// Runs the search from multipliers with reduced costs `reduced` and bound `lagrangian`.
    /// Only choices of cost below `cutoff` (minimisation form) are searched for and returned.
    func run(reduced: [Double], lagrangian: Double, lambda rootLambda: [Double], incumbent: [Int]?,
             nodeLimit: Int = .max, allowDP: Bool = true, cutoff: Double = .infinity) -> Result {
        let m = model.m, G = model.groupCount
        let tol = 1e-9 * model.costScale
        var best = incumbent
        var ub = incumbent.map(cost) ?? .infinity
        // Only choices cheaper than `cutoff` are wanted: it acts as the incumbent's cost.
        if ub >= cutoff { best = nil; ub = cutoff }
        // Reduced costs relative to each group's minimum.
        var delta = reduced
        for g in 0..<G {
            var lo = Double.infinity
            for i in model.start[g]..<model.start[g + 1] { lo = Swift.min(lo, reduced[i]) }
            for i in model.start[g]..<model.start[g + 1] { delta[i] = Swift.max(0, reduced[i] - lo) }
        }
        if lagrangian >= ub - tol {
            return Result(best: best, bestCost: ub, bound: Swift.min(ub, lagrangian), nodes: 0, complete: true)
        }
        // Reduced-cost fixing and the branching order.
        var fixedItems: [Int] = []
        var open: [(group: Int, items: [Int])] = []
        for g in 0..<G {
            var items = Array(model.start[g]..<model.start[g + 1]).filter { lagrangian + delta[$0] < ub - tol }
            if items.isEmpty { items = [model.start[g]] }  // cannot happen: the minimum has δ = 0
            items.sort { delta[$0] < delta[$1] || (delta[$0] == delta[$1] && $0 < $1) }
            if items.count == 1 { fixedItems.append(items[0]) } else { open.append((g, items)) }
        }
        // Branch first on the groups whose coefficients spread the most (relative to the caps).
        func spread(_ items: [Int]) -> Double {
            var s = 0.0
            for r in 0..<m {
                var lo = Double.infinity, hi = -Double.infinity
                for i in items { lo = Swift.min(lo, model.a[i * m + r]); hi = Swift.max(hi, model.a[i * m + r]) }
                s += (hi - lo) / Swift.max(1e-300, abs(model.cap[r]))
            }
            return s
        }
        let spreads = open.map { spread($0.items) }
        let order = open.indices.sorted { spreads[$0] > spreads[$1] || (spreads[$0] == spreads[$1] && $0 < $1) }
        let levels = order.map { open[$0] }
        let D = levels.count
        // Least coefficient per constraint of every level; restMin[d] sums them over the levels
        // still open below depth d.
        var levelMin = [Double](repeating: 0, count: D * m)
        for k in 0..<D {
            for r in 0..<m {
                var lo = Double.infinity
                for i in levels[k].items { lo = Swift.min(lo, model.a[i * m + r]) }
                levelMin[k * m + r] = lo
            }
        }
        var restMin = [Double](repeating: 0, count: (D + 1) * m)
        var perm = Array(0..<D)
        var base = [Double](repeating: 0, count: m)
        var baseCost = 0.0
        for i in fixedItems {
            for r in 0..<m { base[r] += model.a[i * m + r] }
            baseCost += model.cost[i]
        }
        let dpLevels = levels
        /// A DP's choice (model item per open level) with the fixed groups filled in.
        func fullChoice(_ choice: [Int]) -> [Int] {
            var x = [Int](repeating: 0, count: G)
            for i in fixedItems { x[groupOf(i)] = i }
            for (k, lvl) in dpLevels.enumerated() { x[lvl.group] = choice[k] }
            return x
        }
        // Groups sharing their coefficient vectors (cost-model rows): DP over count vectors.
        if useDP && useClassDP && D > 0, let dp = ClassDP.run(model: model, levels: dpLevels.map(\.items), groups: dpLevels.map(\.group), baseCost: baseCost, base: base,
                                                        lambda: rootLambda, ub: ub, tol: tol, maxStates: 400_000, deadline: deadline) {
            var trusted = true
            if let choice = dp.choice {
                let x = fullChoice(choice)
                // A choice feasible only in the canonical summation order is not trusted.
                if feasible(x) { if cost(x) < ub { best = x; ub = cost(x) } } else { trusted = false }
            }
            if trusted {
                return Result(best: best, bestCost: ub, bound: dp.complete ? ub : dp.bound, nodes: dp.states,
                              complete: dp.complete, timedOut: dp.timedOut)
            }
        }
        // Few rows: dynamic programming with dominance merges the near-tied partial choices that
        // depth-first search would enumerate one by one; it gives up (nil) when states explode.
        if useDP && allowDP && m <= dpMaxRows && D > 0, let dp = ParetoDP.run(model: model, levels: dpLevels.map(\.items), baseCost: baseCost, base: base,
                                        lambda: rootLambda, ub: ub, tol: tol, maxStates: 200_000, deadline: deadline) {
            if let choice = dp.choice {
                let x = fullChoice(choice)
                if feasible(x) && cost(x) < ub { best = x; ub = cost(x) }
            }
            return Result(best: best, bestCost: ub, bound: dp.complete ? ub : dp.bound, nodes: dp.states,
                          complete: dp.complete, timedOut: dp.timedOut)
        }
        // Node bounds re-optimise the multipliers on the open groups (warm-started per depth).
        let nodeBound = NodeBound(levels: levels.map(\.items), model: model)
        // With 3+ constraints coordinate ascent stalls at kinks well below the node LP; the GUB
        // simplex gives the node LP's multipliers (two rows: ascent is as good and cheaper).
        let nodeLP: NodeLP? = m >= 3 ? NodeLP(nodeBound: nodeBound, costScale: model.costScale) : nil
        // With the node LP: branch on the most ambiguous levels, chosen by strong branching.
        let ambiguous = nodeLP != nil
        let sbCount = nodeLP != nil ? strongBranchingCandidates : 0
        var sbCand: [(Double, Int)] = []
        var openTmp: [Int] = []
        var residual2 = [Double](repeating: 0, count: m)
        var scratch2 = [Double](repeating: 0, count: nodeBound.cost.count)
        var lambdas = [Double](repeating: 0, count: (D + 1) * m)
        for r in 0..<m { lambdas[r] = rootLambda[r] }
        var lambdaScratch = rootLambda
        var residual = [Double](repeating: 0, count: m)
        var scratch = [Double](repeating: 0, count: nodeBound.cost.count)
        // deadAt[j] = depth of the node whose reduced-cost fixing removed candidate j (Int.max:
        // alive); killed[k] lists the candidates removed at depth k, revived on re-entry.
        var deadAt = [Int](repeating: Int.max, count: nodeBound.cost.count)
        var killed = [[Int]](repeating: [], count: D + 1)
        var events: [(t: Double, dSlope: Double)] = []
        var accCost = [Double](repeating: 0, count: D + 1)
        accCost[0] = baseCost
        // Depth-first search with explicit stacks. Every node re-optimises the multipliers of
        // its open subproblem (`NodeBound`), prunes on that bound, and orders its children by
        // their reduced cost under the node's multipliers: child i of node d costs at least
        // `nodeL[d] + δ_d(i)`.
        var used = [Double](repeating: 0, count: (D + 1) * m)
        for r in 0..<m { used[r] = base[r] }
        var pos = [Int](repeating: 0, count: D + 1)
        var chosen = [Int](repeating: -1, count: D)
        var nodeL = [Double](repeating: 0, count: D + 1)
        var childDelta = [[Double]](repeating: [], count: D)
        var childItem = [[Int]](repeating: [], count: D)
        var nodes = 0
        var d = 0
        var stopped = false
        var timedOut = false
        func expired() -> Bool {
            guard let deadline else { return false }
            return DispatchTime.now().uptimeNanoseconds >= deadline
        }
        func recordLeaf() {
            var x = [Int](repeating: 0, count: G)
            for i in fixedItems { x[groupOf(i)] = i }
            for k in 0..<D { x[levels[perm[k]].group] = chosen[k] }
            guard feasible(x) else { return }
            let c = cost(x)
            if c < ub { ub = c; best = x }
        }
        /// The bound of the open levels `open` against capacities `res` (candidates dead before
        /// `depth` excluded): the node LP's `L(λ)` with 3+ constraints (coordinate ascent when the
        /// simplex fails numerically), else coordinate ascent from `lambda`. Updates `lambda` and
        /// the reduced costs `reduced` of the open candidates; +infinity proves the node empty.
        func openBound(_ open: ArraySlice<Int>, _ res: [Double], _ lambda: inout [Double], _ reduced: inout [Double],
                       depth: Int) -> Double {
            var passes = m == 0 ? 0 : nodePasses
            if let nodeLP {
                switch nodeLP.solve(open: open, residual: res, start: lambda, deadAt: deadAt, depth: depth) {
                case .multipliers(let lp): lambda = lp; passes = 0
                case .infeasible: return .infinity
                case .failed: break
                }
            }
            return nodeBound.bound(open: open, residual: res, lambda: &lambda, passes: passes, reduced: &reduced,
                                   events: &events, deadAt: deadAt, depth: depth)
        }
        /// Evaluates node `k` (its `used` and `accCost` set); false when it is pruned. Picks the
        /// open level to branch on (`perm[k]`). With the node LP (3+ constraints): among the
        /// `strongBranchingCandidates` most ambiguous levels (whose two best reduced costs are
        /// closest: the LP's fractional groups), the one whose two cheapest children raise the LP
        /// bound most (product of the increases); a child whose LP reaches UB is removed from the
        /// subtree on the way. Two rows or fewer: the static spread order.
        func enter(_ k: Int) -> Bool {
            for r in 0..<m {
                residual[r] = model.cap[r] - used[k * m + r]
                lambdaScratch[r] = k == 0 ? rootLambda[r] : lambdas[(k - 1) * m + r]
            }
            let open = perm[k..<D]
            // Revive the candidates fixed out in earlier subtrees at this depth or deeper.
            for k2 in k..<D where !killed[k2].isEmpty {
                for j in killed[k2] { deadAt[j] = Int.max }
                killed[k2].removeAll(keepingCapacity: true)
            }
            let sub = openBound(open, residual, &lambdaScratch, &scratch, depth: k)
            let l = accCost[k] + sub
            if l >= ub - tol { return false }
            nodeL[k] = l
            for r in 0..<m { lambdas[k * m + r] = lambdaScratch[r] }
            // Ambiguity of every open level: the gap between its two best reduced costs.
            var pick = k, pickScore = Double.infinity
            sbCand.removeAll(keepingCapacity: true)
            for p in k..<D {
                let lv = perm[p]
                var b1 = Double.infinity, b2 = Double.infinity
                for j in nodeBound.levelStart[lv]..<nodeBound.levelStart[lv + 1] {
                    let v = scratch[j]
                    if v < b1 { b2 = b1; b1 = v } else if v < b2 { b2 = v }
                }
                let score = ambiguous ? (b2 - b1) : Double(p)
                if score < pickScore { pickScore = score; pick = p }
                if sbCount > 0 && b2 < .infinity { sbCand.append((b2 - b1, p)) }
            }
            if sbCount > 0 && D - k > 1 {
                // Strong branching: among the sbCount most ambiguous levels, the one whose two
                // cheapest children raise the LP bound most (product of the increases).
                sbCand.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                var bestScore = -1.0
                for (_, p) in sbCand.prefix(sbCount) {
                    let lv = perm[p]
                    openTmp.removeAll(keepingCapacity: true)
                    for q in k..<D where q != p { openTmp.append(perm[q]) }
                    // The two cheapest alive children.
                    var c1 = -1, c2 = -1
                    for j in nodeBound.levelStart[lv]..<nodeBound.levelStart[lv + 1] where scratch[j] < .infinity {
                        if c1 < 0 || scratch[j] < scratch[c1] { c2 = c1; c1 = j } else if c2 < 0 || scratch[j] < scratch[c2] { c2 = j }
                    }
                    var score = 1.0
                    for j in [c1, c2] where j >= 0 {
                        for r in 0..<m { residual2[r] = residual[r] - nodeBound.a[j * m + r] }
                        var lam = lambdaScratch
                        let childL = accCost[k] + nodeBound.cost[j] + openBound(openTmp[...], residual2, &lam, &scratch2, depth: k + 1)
                        // A child whose LP reaches UB cannot improve it anywhere in this subtree.
                        if childL >= ub - tol && deadAt[j] >= k { deadAt[j] = k; killed[k].append(j); scratch[j] = .infinity }
                        score *= Swift.max(1e-12, childL - l)
                    }
                    if score > bestScore { bestScore = score; pick = p }
                }
            }
            perm.swapAt(k, pick)
            // Reduced-cost fixing on the other open levels for this node's subtree: a candidate
            // whose reduced cost above its level's minimum reaches UB - l cannot improve UB.
            for p in (k + 1)..<D {
                let lv = perm[p]
                var lo = Double.infinity
                for j in nodeBound.levelStart[lv]..<nodeBound.levelStart[lv + 1] { lo = Swift.min(lo, scratch[j]) }
                for j in nodeBound.levelStart[lv]..<nodeBound.levelStart[lv + 1]
                    where deadAt[j] >= k && scratch[j] < .infinity && l + (scratch[j] - lo) >= ub - tol {
                    deadAt[j] = k
                    killed[k].append(j)
                }
            }
            let lv = perm[k]
            for r in 0..<m {
                var s = 0.0
                for p in (k + 1)..<D { s += levelMin[perm[p] * m + r] }
                restMin[(k + 1) * m + r] = s
            }
            let lo = nodeBound.levelStart[lv], hi = nodeBound.levelStart[lv + 1]
            var minimum = Double.infinity
            for j in lo..<hi { minimum = Swift.min(minimum, scratch[j]) }
            var order = Array(lo..<hi)
            order.sort { scratch[$0] < scratch[$1] || (scratch[$0] == scratch[$1] && $0 < $1) }
            childDelta[k] = order.map { Swift.max(0, scratch[$0] - minimum) }
            childItem[k] = order.map { levels[lv].items[$0 - lo] }
            return true
        }
        if D == 0 {
            recordLeaf()
        } else if enter(0) {
            search: while true {
                if d == D {
                    recordLeaf()
                    d -= 1
                    pos[d] += 1
                    continue
                }
                let items = childItem[d]
                var advanced = false
                while pos[d] < items.count {
                    let i = items[pos[d]]
                    if nodeL[d] + childDelta[d][pos[d]] >= ub - tol { pos[d] = items.count; break }
                    var ok = true
                    for r in 0..<m where used[d * m + r] + model.a[i * m + r] + restMin[(d + 1) * m + r] > model.cap[r] {
                        ok = false
                        break
                    }
                    if !ok { pos[d] += 1; continue }
                    nodes += 1
                    if nodes >= nodeLimit { stopped = true; break search }
                    if nodes & 1023 == 0 && expired() { stopped = true; timedOut = true; break search }
                    for r in 0..<m { used[(d + 1) * m + r] = used[d * m + r] + model.a[i * m + r] }
                    accCost[d + 1] = accCost[d] + model.cost[i]
                    chosen[d] = i
                    if d + 1 < D && !enter(d + 1) {
                        pos[d] += 1
                        continue
                    }
                    d += 1
                    pos[d] = 0
                    advanced = true
                    break
                }
                if advanced { continue }
                if d == 0 { break search }
                d -= 1
                pos[d] += 1
            }
        }
        var bound = ub
        if stopped {
            // Open subtrees: the untried children of every node on the current path.
            var lo = Double.infinity
            for k in 0...d where k < D {
                let next = k < d ? pos[k] + 1 : pos[k]
                if next < childDelta[k].count { lo = Swift.min(lo, nodeL[k] + childDelta[k][next]) }
            }
            bound = Swift.min(ub, Swift.max(lagrangian, lo))
        }
        return Result(best: best, bestCost: ub, bound: bound, nodes: nodes, complete: !stopped, timedOut: timedOut)
    }

    func groupOf(_ item: Int) -> Int {
        // Binary search in `start`.
        var lo = 0, hi = model.groupCount
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if model.start[mid] <= item { lo = mid } else { hi = mid }
        }
        return lo
    }
}
