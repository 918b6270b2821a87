/// Depth-first branch and bound over the open levels of a `BranchAndBound.Reduction`, with its
/// workspace stored per depth (as HiGHS's `HighsSearch` keeps its node stack).
///
/// Every node bounds its open subproblem (the open levels must fit the residual capacities):
/// up to two rows, one pass of coordinate ascent plus a subgradient line search (`NodeBound`);
/// three or more, the node LP by the GUB simplex (`NodeLP`) started from the parent's
/// multipliers. A node is pruned when its bound reaches `UB - tol`; its children are tried in
/// increasing reduced cost under its own multipliers, so later siblings are cut as soon as one
/// reaches the bound, and a child is skipped when some row cannot be met even with the least
/// coefficients of the levels still open. With `BranchAndBound.nodeDecompositionRow` set (the
/// cost windows, after their first decomposition), every node also removes the candidates whose
/// one-row decomposition bound reaches UB (`decompose`).
///
/// Branching: with the node LP, among the `strongBranching` most ambiguous levels (smallest gap
/// between their two best reduced costs: the LP's fractional groups) the one whose two cheapest
/// children raise the LP bound most (product of the increases); a child whose LP already reaches
/// UB is removed from the subtree. Without it, the static spread order of the reduction.
/// Node-level reduced-cost fixing removes, for the node's subtree, every candidate whose reduced
/// cost above its level's least reaches `UB - bound`; removals are undone on return to that depth.
/// - Complexity: O(n m) per node for the bound's setup plus the LP pivots (O(n m + G m + m^3)
///   each) or ascent line searches; exponential in the number of open levels in the worst case.
struct DepthFirstSearch {
    /// What evaluating a node found.
    enum NodeOutcome {
        /// The node's bound reaches the incumbent, or no child is left.
        case pruned
        /// The node branches on this level (children prepared in increasing reduced cost).
        case branch(level: Int)
    }

    /// Why the depth-first loop ended.
    enum Stop {
        case complete, nodeLimit, deadline
    }

    let model: Model
    let m: Int
    /// Open levels.
    let D: Int
    let levelGroup: [Int]
    let fixedItems: [Int]
    let fixedGroups: [Int]
    let tol: Double
    let deadline: Deadline
    let rootLambda: [Double]
    let nodePasses: Int
    /// Levels tried by strong branching (0 without the node LP).
    let strongBranching: Int
    /// Least coefficient per row of every level: `levelMin[level * m + r]`.
    let levelMin: [Double]
    /// Stride of the per-depth child lists.
    let maxChildren: Int

    var nodeBound: NodeBound
    var nodeLP: NodeLP?

    private(set) var ub: Double
    private(set) var best: [Int]?
    private(set) var nodes = 0
    /// Row kept exactly by the node decomposition bound (-1: none) and its workspace.
    let decompRow: Int
    private let fronts = FrontBuffers()
    /// Set when a node's fronts exceeded `FrontBuffers.maxStates`: no more node decomposition in
    /// this search (on Khan-style 10-row instances one node's fronts took most of a second).
    private var decompOff = false

    // Per depth k (the node at depth k has levels perm[k..<D] open).
    private var perm: [Int]
    private var used: [Double]
    private var accCost: [Double]
    private var nodeL: [Double]
    private var lambdas: [Double]
    private var pos: [Int]
    private var chosen: [Int]
    private var restMin: [Double]
    private var childCount: [Int]
    private var childItem: [Int]
    private var childDelta: [Double]
    /// `deadAt[j]`: depth of the node whose fixing removed candidate j (Int.max: alive);
    /// `killed[k]` lists the candidates removed at depth k, revived on re-entry.
    private var deadAt: [Int]
    private var killed: [[Int]]
    // Scratch.
    private var residual: [Double]
    private var lambda: [Double]
    private var reduced: [Double]
    private var open: [Int] = []
    private var childResidual: [Double]
    private var childLambda: [Double]
    private var childReduced: [Double]
    private var childOpen: [Int] = []
    private var ambiguity: [(gap: Double, position: Int)] = []
    private var order: [Int] = []

    init(_ bb: BranchAndBound, _ reduction: BranchAndBound.Reduction, lambda rootLambda: [Double], ub: Double,
         best: [Int]?, tol: Double) {
        let model = bb.model
        let m = model.m
        let levels = reduction.levels
        let D = levels.count
        self.model = model
        self.m = m
        self.D = D
        levelGroup = levels.map(\.group)
        fixedItems = reduction.fixedItems
        fixedGroups = reduction.fixedItems.map(bb.groupOf)
        self.tol = tol
        deadline = bb.deadline
        self.rootLambda = rootLambda
        nodePasses = m == 0 ? 0 : bb.nodePasses
        let nb = NodeBound(levels: levels.map(\.items), model: model)
        nodeBound = nb
        // With 3+ constraints coordinate ascent stalls at kinks well below the node LP; the GUB
        // simplex gives the node LP's multipliers (two rows: ascent is as good and cheaper).
        if m >= bb.nodeLPRows {
            var lp = NodeLP(nodeBound: nb, costScale: model.costScale)
            lp.deadline = bb.deadline
            nodeLP = lp
        }
        strongBranching = m >= bb.nodeLPRows ? bb.strongBranchingCandidates : 0
        decompRow = m >= bb.nodeLPRows ? (bb.nodeDecompositionRow ?? -1) : -1
        var levelMin = [Double](repeating: 0, count: D * m)
        for k in 0..<D {
            for r in 0..<m {
                var lo = Double.infinity
                for i in levels[k].items { lo = Swift.min(lo, model.a[i * m + r]) }
                levelMin[k * m + r] = lo
            }
        }
        self.levelMin = levelMin
        maxChildren = levels.map(\.items.count).max() ?? 0
        self.ub = ub
        self.best = best
        let n = nb.cost.count
        perm = Array(0..<D)
        used = [Double](repeating: 0, count: (D + 1) * m)
        for r in 0..<m { used[r] = reduction.base[r] }
        accCost = [Double](repeating: 0, count: D + 1)
        accCost[0] = reduction.baseCost
        nodeL = [Double](repeating: 0, count: D + 1)
        lambdas = [Double](repeating: 0, count: (D + 1) * m)
        pos = [Int](repeating: 0, count: D + 1)
        chosen = [Int](repeating: -1, count: D)
        restMin = [Double](repeating: 0, count: (D + 1) * m)
        childCount = [Int](repeating: 0, count: D)
        childItem = [Int](repeating: 0, count: D * maxChildren)
        childDelta = [Double](repeating: 0, count: D * maxChildren)
        deadAt = [Int](repeating: Int.max, count: n)
        killed = [[Int]](repeating: [], count: D + 1)
        residual = [Double](repeating: 0, count: m)
        lambda = rootLambda
        reduced = [Double](repeating: 0, count: n)
        childResidual = residual
        childLambda = rootLambda
        childReduced = reduced
    }

    /// Searches until complete, `nodeLimit` nodes, or the deadline. The result's bound is the
    /// least bound of the open subtrees when stopped (at least `lagrangian`).
    mutating func run(nodeLimit: Int, lagrangian: Double) -> BranchAndBound.Result {
        var stop = Stop.complete
        var depth = 0
        if D == 0 {
            recordLeaf()
        } else if case .branch = evaluate(0) {
            (stop, depth) = descend(nodeLimit: nodeLimit)
        }
        var bound = ub
        if stop != .complete { bound = Swift.min(ub, Swift.max(lagrangian, openBound(depth: depth))) }
        return BranchAndBound.Result(best: best, bestCost: ub, bound: bound, nodes: nodes, complete: stop == .complete,
                                     timedOut: stop == .deadline)
    }

    /// The depth-first loop from an evaluated root; returns why it stopped and at which depth.
    private mutating func descend(nodeLimit: Int) -> (Stop, Int) {
        // Nodes with LP bounds cost far more than a clock read: check each of them.
        let clockMask = strongBranching > 0 || nodeLP != nil ? 0 : 15
        var d = 0
        while true {
            if d == D {
                recordLeaf()
                d -= 1
                pos[d] += 1
                continue
            }
            var advanced = false
            while pos[d] < childCount[d] {
                let slot = d * maxChildren + pos[d]
                if nodeL[d] + childDelta[slot] >= ub - tol { pos[d] = childCount[d]; break }
                let i = childItem[slot]
                if !fits(i, depth: d) { pos[d] += 1; continue }
                nodes += 1
                if nodes >= nodeLimit { return (.nodeLimit, d) }
                if nodes & clockMask == 0 && deadline.expired { return (.deadline, d) }
                for r in 0..<m { used[(d + 1) * m + r] = used[d * m + r] + model.a[i * m + r] }
                accCost[d + 1] = accCost[d] + model.cost[i]
                chosen[d] = i
                if d + 1 < D, case .pruned = evaluate(d + 1) {
                    pos[d] += 1
                    continue
                }
                // A node evaluated past the deadline (cheaper bound, no strong branching) is not
                // entered: the search stops with it open.
                if clockMask == 0 && deadline.expired { return (.deadline, d) }
                d += 1
                pos[d] = 0
                advanced = true
                break
            }
            if advanced { continue }
            if d == 0 { return (.complete, 0) }
            d -= 1
            pos[d] += 1
        }
    }

    /// Whether item i at depth d leaves every row satisfiable by the least coefficients below.
    @inline(__always) private func fits(_ i: Int, depth d: Int) -> Bool {
        for r in 0..<m where used[d * m + r] + model.a[i * m + r] + restMin[(d + 1) * m + r] > model.cap[r] { return false }
        return true
    }

    /// The least bound over the untried children of every node on the current path.
    private func openBound(depth d: Int) -> Double {
        var lo = Double.infinity
        for k in 0...Swift.min(d, D - 1) {
            let next = k < d ? pos[k] + 1 : pos[k]
            if next < childCount[k] { lo = Swift.min(lo, nodeL[k] + childDelta[k * maxChildren + next]) }
        }
        return lo
    }

    private mutating func recordLeaf() {
        var x = [Int](repeating: 0, count: model.groupCount)
        for (g, i) in zip(fixedGroups, fixedItems) { x[g] = i }
        for k in 0..<D { x[levelGroup[perm[k]]] = chosen[k] }
        let m = model.m
        for r in 0..<m {
            var s = 0.0
            for i in x { s += model.a[i * m + r] }
            if s > model.cap[r] { return }
        }
        var c = 0.0
        for i in x { c += model.cost[i] }
        if c < ub { ub = c; best = x }
    }

    /// Evaluates the node at depth k (its `used` and `accCost` set): bound, branching level,
    /// reduced-cost fixing for its subtree, children in increasing reduced cost.
    private mutating func evaluate(_ k: Int) -> NodeOutcome {
        for r in 0..<m {
            residual[r] = model.cap[r] - used[k * m + r]
            lambda[r] = k == 0 ? rootLambda[r] : lambdas[(k - 1) * m + r]
        }
        revive(from: k)
        open.removeAll(keepingCapacity: true)
        for p in k..<D { open.append(perm[p]) }
        let l = accCost[k] + Self.bound(&nodeBound, &nodeLP, open: open, residual: residual, lambda: &lambda,
                                        reduced: &reduced, deadAt: deadAt, depth: k, passes: nodePasses)
        if l >= ub - tol { return .pruned }
        nodeL[k] = l
        for r in 0..<m { lambdas[k * m + r] = lambda[r] }
        if decompRow >= 0 && !decompOff && !decompose(k) { return .pruned }
        perm.swapAt(k, selectLevel(k, bound: l))
        fixByReducedCost(k, bound: l)
        for r in 0..<m {
            var s = 0.0
            for p in (k + 1)..<D { s += levelMin[perm[p] * m + r] }
            restMin[(k + 1) * m + r] = s
        }
        return orderChildren(k) ? .branch(level: perm[k]) : .pruned
    }

    /// The bound of the open levels `open` against capacities `residual` (candidates dead before
    /// `depth` excluded): the node LP's `L(λ)` with 3+ constraints (coordinate ascent when the
    /// simplex fails numerically), else coordinate ascent from `lambda`. Updates `lambda` and the
    /// reduced costs of the open candidates; +infinity proves the node empty.
    private static func bound(_ nodeBound: inout NodeBound, _ nodeLP: inout NodeLP?, open: [Int], residual: [Double],
                              lambda: inout [Double], reduced: inout [Double], deadAt: [Int], depth: Int,
                              passes: Int) -> Double {
        var passes = passes
        if nodeLP != nil {
            if nodeLP!.deadline.expired { passes = 0 }
            switch nodeLP!.solve(open: open, residual: residual, start: lambda, deadAt: deadAt, depth: depth) {
            case .multipliers(let lp): lambda = lp; passes = 0
            case .infeasible: return .infinity
            case .failed: break
            }
        }
        return nodeBound.bound(open: open, residual: residual, lambda: &lambda, passes: passes, reduced: &reduced,
                               deadAt: deadAt, depth: depth)
    }

    /// Revives the candidates fixed out in earlier subtrees at depth k or deeper.
    private mutating func revive(from k: Int) {
        for k2 in k..<D where !killed[k2].isEmpty {
            for j in killed[k2] { deadAt[j] = Int.max }
            killed[k2].removeAll(keepingCapacity: true)
        }
    }

    /// Removes candidate j for the subtree of the node at depth k.
    private mutating func kill(_ j: Int, at k: Int) {
        deadAt[j] = k
        killed[k].append(j)
    }

    /// The position (in `perm`) of the level to branch on at depth k: the most ambiguous open
    /// level, or with strong branching the best of the most ambiguous ones; the static order
    /// (position k) without the node LP.
    private mutating func selectLevel(_ k: Int, bound l: Double) -> Int {
        guard strongBranching > 0 else { return k }
        var pick = k, pickScore = Double.infinity
        ambiguity.removeAll(keepingCapacity: true)
        for p in k..<D {
            let lv = perm[p]
            var b1 = Double.infinity, b2 = Double.infinity
            for j in nodeBound.levelStart[lv]..<nodeBound.levelStart[lv + 1] {
                let v = reduced[j]
                if v < b1 { b2 = b1; b1 = v } else if v < b2 { b2 = v }
            }
            if b2 - b1 < pickScore { pickScore = b2 - b1; pick = p }
            if b2 < .infinity { ambiguity.append((b2 - b1, p)) }
        }
        guard D - k > 1, !deadline.expired else { return pick }
        ambiguity.sort { $0.gap < $1.gap || ($0.gap == $1.gap && $0.position < $1.position) }
        var bestScore = -1.0
        for c in 0..<Swift.min(strongBranching, ambiguity.count) where c == 0 || !deadline.expired {
            let p = ambiguity[c].position
            let score = strongBranchScore(k, position: p, bound: l)
            if score > bestScore { bestScore = score; pick = p }
        }
        return pick
    }

    /// Product of the LP bound increases of the two cheapest alive children of the level at
    /// position p; a child whose LP reaches UB is removed from the subtree on the way.
    private mutating func strongBranchScore(_ k: Int, position p: Int, bound l: Double) -> Double {
        let lv = perm[p]
        childOpen.removeAll(keepingCapacity: true)
        for q in k..<D where q != p { childOpen.append(perm[q]) }
        var c1 = -1, c2 = -1
        for j in nodeBound.levelStart[lv]..<nodeBound.levelStart[lv + 1] where reduced[j] < .infinity {
            if c1 < 0 || reduced[j] < reduced[c1] { c2 = c1; c1 = j } else if c2 < 0 || reduced[j] < reduced[c2] { c2 = j }
        }
        var score = 1.0
        for which in 0..<2 {
            let j = which == 0 ? c1 : c2
            guard j >= 0 else { continue }
            for r in 0..<m {
                childResidual[r] = residual[r] - nodeBound.a[j * m + r]
                childLambda[r] = lambda[r]
            }
            let childL = accCost[k] + nodeBound.cost[j]
                + Self.bound(&nodeBound, &nodeLP, open: childOpen, residual: childResidual, lambda: &childLambda,
                             reduced: &childReduced, deadAt: deadAt, depth: k + 1, passes: nodePasses)
            // A child whose LP reaches UB cannot improve it anywhere in this subtree.
            if childL >= ub - tol && deadAt[j] >= k {
                kill(j, at: k)
                reduced[j] = .infinity
            }
            score *= Swift.max(1e-12, childL - l)
        }
        return score
    }

    /// Reduced-cost fixing on the levels below depth k for the node's subtree: a candidate whose
    /// reduced cost above its level's minimum reaches `UB - l` cannot improve UB.
    private mutating func fixByReducedCost(_ k: Int, bound l: Double) {
        for p in (k + 1)..<D {
            let lv = perm[p]
            let lo0 = nodeBound.levelStart[lv], hi0 = nodeBound.levelStart[lv + 1]
            var lo = Double.infinity
            for j in lo0..<hi0 { lo = Swift.min(lo, reduced[j]) }
            for j in lo0..<hi0 where deadAt[j] >= k && reduced[j] < .infinity && l + (reduced[j] - lo) >= ub - tol {
                kill(j, at: k)
            }
        }
    }

    /// The children of the node at depth k (level perm[k]) in increasing reduced cost (ties by
    /// index), with their reduced cost above the least; false when no candidate is alive.
    private mutating func orderChildren(_ k: Int) -> Bool {
        let lv = perm[k]
        let lo = nodeBound.levelStart[lv], hi = nodeBound.levelStart[lv + 1]
        order.removeAll(keepingCapacity: true)
        var minimum = Double.infinity
        for j in lo..<hi {
            minimum = Swift.min(minimum, reduced[j])
            // Insertion sort: levels hold few candidates.
            var x = order.count
            order.append(j)
            while x > 0 && reduced[order[x - 1]] > reduced[j] {
                order[x] = order[x - 1]
                x -= 1
            }
            order[x] = j
        }
        guard minimum < .infinity else { return false }
        childCount[k] = hi - lo
        for (x, j) in order.enumerated() {
            childDelta[k * maxChildren + x] = Swift.max(0, reduced[j] - minimum)
            childItem[k * maxChildren + x] = nodeBound.item[j]
        }
        return true
    }

    /// The node's one-row decomposition bound (row `decompRow` kept exactly, the others relaxed at
    /// the node LP's multipliers: `c' = c + sum_{s != r} λ_s a_s`), used to fix candidates at the
    /// node at depth k (before its branching level is chosen; `RowDecomposition.itemBounds` at a
    /// node). Pareto fronts of (usage of r, c') forward over the open levels in their current order,
    /// stored, then backward; states are dropped when they overfill the row with the least usage
    /// of the levels left, when their c' plus the least c' left reaches the incumbent, or when
    /// their Lagrangian bound with the row's own multiplier does (so the fronts stay small near
    /// the bound). For every alive candidate, the forward front before its level merged with the
    /// backward front after it gives the exact decomposition bound of the choices through it (at
    /// the same multipliers at least the node LP's with the candidate fixed); a candidate whose
    /// bound reaches UB is removed for the subtree. False when the node is empty; true without
    /// (further) fixing when a front exceeds `FrontBuffers.maxStates` or the deadline passes
    /// (then no later node of this search decomposes).
    private mutating func decompose(_ k: Int) -> Bool {
        let r = decompRow
        var constant = accCost[k]
        for s in 0..<m where s != r { constant -= Swift.max(0, lambda[s]) * residual[s] }
        // A hair of slack on the kept row: its sums run in another order than `verify`'s.
        let cap = residual[r] + 1e-12 * Swift.max(1, abs(model.cap[r]))
        let limit = ub - tol - constant
        let slope = Swift.max(0, lambda[r])
        let start = nodeBound.levelStart
        let nbA = nodeBound.a, nbC = nodeBound.cost
        let buf = fronts
        buf.reserve(levels: D + 1, candidates: nbC.count)
        // c' of every alive candidate (+infinity: not alive); least c', usage and c' + slope·usage
        // per level, summed over the levels after each position (sufX) and before it (preX).
        for p in k..<D {
            let lv = perm[p]
            var lc = Double.infinity, lu = Double.infinity, lf = Double.infinity
            for j in start[lv]..<start[lv + 1] {
                guard deadAt[j] >= k && reduced[j] < .infinity else { buf.cp[j] = .infinity; continue }
                var c = nbC[j]
                for s in 0..<m where s != r { c += Swift.max(0, lambda[s]) * nbA[j * m + s] }
                buf.cp[j] = c
                let u = nbA[j * m + r]
                lc = Swift.min(lc, c); lu = Swift.min(lu, u); lf = Swift.min(lf, c + slope * u)
            }
            if lc == .infinity { return false }
            buf.lvC[p] = lc; buf.lvU[p] = lu; buf.lvF[p] = lf
        }
        buf.sufC[D] = 0; buf.sufU[D] = 0; buf.sufF[D] = 0
        for p in stride(from: D - 1, through: k, by: -1) {
            buf.sufC[p] = buf.sufC[p + 1] + buf.lvC[p]
            buf.sufU[p] = buf.sufU[p + 1] + buf.lvU[p]
            buf.sufF[p] = buf.sufF[p + 1] + buf.lvF[p]
        }
        buf.preC[k] = 0; buf.preU[k] = 0; buf.preF[k] = 0
        for p in k..<D {
            buf.preC[p + 1] = buf.preC[p] + buf.lvC[p]
            buf.preU[p + 1] = buf.preU[p] + buf.lvU[p]
            buf.preF[p + 1] = buf.preF[p] + buf.lvF[p]
        }
        let alive: (Int) -> Bool = { buf.cp[$0] < .infinity }
        let costP: (Int) -> Double = { buf.cp[$0] }
        let usage: (Int) -> Double = { nbA[$0 * m + r] }
        // Forward fronts F[p] (levels k..<p), stored for p < D.
        buf.count = 1
        buf.fU[0] = 0
        buf.fC[0] = 0
        buf.storeClear()
        buf.store(at: k)
        for p in k..<D {
            let lv = perm[p]
            guard !deadline.expired, buf.extend(items: start[lv]..<start[lv + 1], alive: alive, costP: costP, usage: usage,
                                                capacity: cap - buf.sufU[p + 1], limit: limit - buf.sufC[p + 1],
                                                slope: slope, sloped: limit + slope * cap - buf.sufF[p + 1])
            else { decompOff = true; return true }
            if buf.count == 0 { return false }
            if p + 1 < D { buf.store(at: p + 1) }
        }
        // Backward: B[p + 1] (levels p+1..<D) in the working front while level p's candidates
        // are bounded, then extended by level p (without the candidates just removed).
        buf.count = 1
        buf.fU[0] = 0
        buf.fC[0] = 0
        for p in stride(from: D - 1, through: k, by: -1) {
            let lv = perm[p]
            var any = false
            for j in start[lv]..<start[lv + 1] where buf.cp[j] < .infinity {
                if buf.cp[j] + buf.mergeStored(p, capacity: cap - nbA[j * m + r]) >= limit {
                    kill(j, at: k)
                    reduced[j] = .infinity
                    buf.cp[j] = .infinity
                } else {
                    any = true
                }
            }
            if !any { return false }
            if p == k { break }
            guard !deadline.expired, buf.extend(items: start[lv]..<start[lv + 1], alive: alive, costP: costP, usage: usage,
                                                capacity: cap - buf.preU[p], limit: limit - buf.preC[p],
                                                slope: slope, sloped: limit + slope * cap - buf.preF[p])
            else { decompOff = true; return true }
            if buf.count == 0 { return false }
        }
        return true
    }
}

/// Preallocated Pareto-front buffers for `DepthFirstSearch.decompose` (a class: the search is a
/// value type, the buffers are scratch).
final class FrontBuffers {
    static let maxStates = 20_000
    var fU: UnsafeMutablePointer<Double>
    var fC: UnsafeMutablePointer<Double>
    var nU: UnsafeMutablePointer<Double>
    var nC: UnsafeMutablePointer<Double>
    var sU: UnsafeMutablePointer<Double>
    var sC: UnsafeMutablePointer<Double>
    var oU: UnsafeMutablePointer<Double>
    var oC: UnsafeMutablePointer<Double>
    var count = 0
    var sufC: [Double] = []
    var sufU: [Double] = []
    var sufF: [Double] = []
    var lvC: [Double] = []
    var lvU: [Double] = []
    var lvF: [Double] = []
    var preC: [Double] = []
    var preU: [Double] = []
    var preF: [Double] = []
    /// c' per candidate at the current node, +infinity when not alive.
    var cp: [Double] = []
    /// Stored fronts: front p at `storeStart[p] ..< storeEnd[p]` of `stU`/`stC`.
    var stU: [Double] = []
    var stC: [Double] = []
    var storeStart: [Int] = []
    var storeEnd: [Int] = []

    func storeClear() {
        stU.removeAll(keepingCapacity: true)
        stC.removeAll(keepingCapacity: true)
    }

    func store(at p: Int) {
        if storeStart.count <= p {
            storeStart += [Int](repeating: 0, count: p + 1 - storeStart.count)
            storeEnd += [Int](repeating: 0, count: p + 1 - storeEnd.count)
        }
        storeStart[p] = stU.count
        stU.append(contentsOf: UnsafeBufferPointer(start: fU, count: count))
        stC.append(contentsOf: UnsafeBufferPointer(start: fC, count: count))
        storeEnd[p] = stU.count
    }

    /// min over f in stored front p and b in the current front with usage sum <= capacity of
    /// their c' sum (+infinity when none).
    func mergeStored(_ p: Int, capacity: Double) -> Double {
        let lo = storeStart[p], hi = storeEnd[p]
        guard hi > lo, count > 0 else { return .infinity }
        return stU.withUnsafeBufferPointer { su in
            stC.withUnsafeBufferPointer { sc in
                RowDecomposition.mergeMin(su.baseAddress! + lo, sc.baseAddress! + lo, hi - lo, fU, fC, count, capacity: capacity)
            }
        }
    }

    init() {
        let n = Self.maxStates
        fU = .allocate(capacity: n); fC = .allocate(capacity: n)
        nU = .allocate(capacity: n); nC = .allocate(capacity: n)
        sU = .allocate(capacity: n); sC = .allocate(capacity: n)
        oU = .allocate(capacity: n); oC = .allocate(capacity: n)
    }

    deinit {
        fU.deallocate(); fC.deallocate(); nU.deallocate(); nC.deallocate(); sU.deallocate(); sC.deallocate()
        oU.deallocate(); oC.deallocate()
    }

    func reserve(levels n: Int, candidates: Int) {
        if sufC.count < n {
            sufC = [Double](repeating: 0, count: n)
            sufU = sufC
            sufF = sufC
            lvC = sufC
            lvU = sufC
            lvF = sufC
            preC = sufC
            preU = sufC
            preF = sufC
        }
        if cp.count < candidates { cp = [Double](repeating: 0, count: candidates) }
    }

    /// The front after one more level (its alive candidates), states over `capacity`, at or above
    /// `limit` in c', or with `c' + slope·usage >= sloped` dropped, then the dominated ones. False
    /// above `maxStates`.
    @inline(__always)
    func extend(items: Range<Int>, alive: (Int) -> Bool, costP: (Int) -> Double, usage: (Int) -> Double,
                capacity: Double, limit: Double, slope: Double, sloped: Double) -> Bool {
        let S = count
        var na = 0
        for j in items where alive(j) {
            let ns = RowDecomposition.shift(usage: fU, cost: fC, count: S, by: usage(j), costP(j), capacity: capacity, limit: limit,
                                            slope: slope, sloped: sloped, into: sU, sC)
            if ns == 0 { continue }
            if na + ns > Self.maxStates { return false }
            // Merge the running result (nU/nC, na) with the shifted list into oU/oC, then swap.
            na = RowDecomposition.mergePareto(nU, nC, na, sU, sC, ns, into: oU, oC)
            swap(&nU, &oU)
            swap(&nC, &oC)
        }
        swap(&fU, &nU)
        swap(&fC, &nC)
        count = na
        return true
    }
}
