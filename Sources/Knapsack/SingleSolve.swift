import Foundation

/// One solve of a problem (with diversity rows against earlier solutions), phase by phase:
/// model, root bound, first incumbent, exact search, verified answer. Every phase checks the
/// deadline (`SolveOptions.timeLimitSeconds` from the start of the solve).
struct SingleSolve {
    let problem: Problem
    let rowMax: [Double]
    let earlier: [[Int]]
    let minDifferent: Int
    let options: SolveOptions
    /// Start (uptime nanoseconds).
    let clock: UInt64
    let deadline: Deadline
    /// +1 to minimise, -1 to maximise (the model always minimises `sign * value`).
    let sign: Double

    init(problem: Problem, rowMax: [Double], earlier: [[Int]], minDifferent: Int, options: SolveOptions) {
        self.problem = problem
        self.rowMax = rowMax
        self.earlier = earlier
        self.minDifferent = minDifferent
        self.options = options
        clock = Deadline.now
        deadline = Deadline(seconds: options.timeLimitSeconds, from: clock)
        sign = problem.sense == .minimize ? 1.0 : -1.0
    }

    /// Root multipliers, their reduced costs `c + λ·a` and the bound `L(λ)`.
    struct Root {
        var lambda: [Double]
        var reduced: [Double]
        var lagrangian: Double
    }

    var elapsed: Double { Double(Deadline.now - clock) / 1e9 }

    func infeasible(_ why: Solution.Infeasibility, nodes: Int = 0) -> Solution {
        Solution(status: .infeasible, objective: .nan, bound: .nan, gap: .nan, choices: [], nodes: nodes,
                 seconds: elapsed, infeasibility: why)
    }

    func infeasible(_ message: String, nodes: Int = 0) -> Solution {
        infeasible(Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil, message: message), nodes: nodes)
    }

    func run(warm: inout Solver.Warm) -> Solution {
        let model: Model
        switch buildModel() {
        case .success(let m): model = m
        case .failure(let answer): return answer.solution
        }
        guard let root = rootBound(model, warm: warm.lambda) else {
            // A line search proved a constraint unmeetable; build() normally catches this first.
            return infeasible("the rows cannot be met together")
        }
        warm.lambda = root.lambda
        if let cutoff = options.cutoff, let pruned = rootMeetsCutoff(cutoff, root) { return pruned }
        // The cutoff in minimisation form, also applied inside branch and bound.
        let cutoffCost = options.cutoff.map { sign * $0 } ?? .infinity
        let bb = BranchAndBound(model: model, deadline: deadline)
        let incumbent = firstIncumbent(bb, root, candidates: warm.candidates)
        let r = search(bb, root, incumbent: incumbent, cutoff: cutoffCost)
        return answer(r, bb, root)
    }

    /// An early answer wrapped as an error (so `buildModel` can return it).
    struct EarlyAnswer: Error { var solution: Solution }

    /// The model with one 0/1 row per earlier solution, or the infeasibility found while building.
    func buildModel() -> Result<Model, EarlyAnswer> {
        let G = problem.groups.count
        let extras: [Model.Extra] = earlier.enumerated().map { k, prev in
            Model.Extra(solution: prev, cap: Double(G - minDifferent), source: .diversity(k))
        }
        let built = Model.build(problem, costOf: { g, i in sign * problem.groups[g].items[i].value }, rowMax: rowMax,
                                extras: extras, feasibilityTolerance: options.feasibilityTolerance)
        switch built {
        case .emptyGroup(let g):
            return .failure(EarlyAnswer(solution: infeasible("group '\(problem.groups[g].name)' has no allowed item (pins/forbidden)")))
        case .infeasibleConstraint(let source, let least):
            return .failure(EarlyAnswer(solution: infeasible(Solver.explain(source, least: least, problem: problem, rowMax: rowMax,
                                                                              earlier: earlier, minDifferent: minDifferent))))
        case .model(let m):
            return .success(m)
        }
    }

    /// The root bound: coordinate ascent (exact for one row), then with 2+ constraints the exact
    /// LP multipliers by the GUB simplex (fallbacks when it fails numerically: more ascent and the
    /// golden-section search for two rows, the dense simplex for more). nil when a line search
    /// proves the rows unmeetable.
    func rootBound(_ model: Model, warm: [Double]?) -> Root? {
        var dual = LagrangianDual(model: model, warm: warm)
        dual.deadline = deadline
        // With 2+ constraints the exact LP below sets the multipliers: a few passes give its start.
        guard dual.maximize(maxPasses: model.m >= 2 ? 2 : 60) != nil else { return nil }
        var polished = dual.lambda
        if model.m >= 2 && !deadline.expired {
            var exact: [Double]?
            if case .multipliers(let lp) = NodeLP.root(model, start: polished, deadline: deadline) {
                exact = lp
            } else if deadline.expired {
                exact = nil
            } else if model.m == 2 {
                _ = dual.maximize(maxPasses: 60)
                _ = dual.maximizeTwoRows()
                polished = dual.lambda
            } else {
                var chosen: [Int] = []
                for g in 0..<model.groupCount {
                    var b = model.start[g]
                    for i in model.start[g]..<model.start[g + 1] where dual.reduced[i] < dual.reduced[b] { b = i }
                    chosen.append(b)
                }
                exact = LPRelaxation.multipliers(model: model, start: chosen, deadline: deadline)
            }
            if let lp = exact, LagrangianDual(model: model, warm: lp).value() > dual.value() { polished = lp }
        }
        let fresh = LagrangianDual(model: model, warm: polished)  // reduced costs without drift
        return Root(lambda: polished, reduced: fresh.reduced, lagrangian: fresh.value())
    }

    /// The answer when the root bound already proves that nothing beats `cutoff`, else nil.
    func rootMeetsCutoff(_ cutoff: Double, _ root: Root) -> Solution? {
        var scale = 1.0
        for group in problem.groups { scale += group.items.map { abs($0.value) }.max() ?? 0 }
        guard root.lagrangian >= sign * cutoff - options.objectiveTolerance * Swift.max(1, scale - 1) else { return nil }
        var pruned = infeasible("no choice is better than the cutoff \(cutoff) (root bound \(sign * root.lagrangian))")
        pruned.bound = sign * root.lagrangian
        pruned.rootBound = sign * root.lagrangian
        return pruned
    }

    /// The heuristic's choice, or a warm candidate (repaired) when better, improved by pair moves.
    func firstIncumbent(_ bb: BranchAndBound, _ root: Root, candidates: [[Int]]) -> [Int]? {
        let model = bb.model, G = model.groupCount
        var incumbent = bb.heuristic(reduced: root.reduced)
        let index = Solver.modelIndex(model)
        for cand in candidates where cand.count == G {
            var x: [Int] = []
            for g in 0..<G {
                guard let i = index[g][cand[g]] else { break }
                x.append(i)
            }
            guard x.count == G, let y = bb.feasible(x) ? x : bb.heuristic(reduced: root.reduced, from: x) else { continue }
            if incumbent.map({ bb.cost(y) < bb.cost($0) }) ?? true { incumbent = y }
        }
        guard let x = incumbent else { return nil }
        return bb.pairImprove(x, delta: bb.deltas(root.reduced), window: bb.cost(x) - root.lagrangian)
    }

    /// The exact search. Three or more rows: cost windows (`windowSearch`). Otherwise restarts:
    /// reduced-cost fixing depends on the incumbent, so a search that improved it is restarted
    /// with the tighter fixing; without improvement the node limit grows. The first attempt is a
    /// short depth-first search (often enough, and cheaper than the DP when the bound is tight);
    /// later attempts may use the DP (up to two rows).
    func search(_ bb: BranchAndBound, _ root: Root, incumbent start: [Int]?, cutoff: Double) -> BranchAndBound.Result {
        var incumbent = start
        if deadline.expired {
            let ub = incumbent.map(bb.cost) ?? .infinity
            return BranchAndBound.Result(best: ub < cutoff ? incumbent : nil, bestCost: Swift.min(ub, cutoff),
                                         bound: Swift.min(root.lagrangian, ub, cutoff), nodes: 0, complete: false, timedOut: true)
        }
        var limit = 1000
        var totalNodes = 0
        var attempt = 0
        var r: BranchAndBound.Result
        while true {
            if bb.model.m > bb.dpMaxRows, let x = incumbent {
                r = windowSearch(bb, root, incumbent: x, cutoff: cutoff, nodes: &totalNodes)
                break
            }
            r = bb.run(reduced: root.reduced, lagrangian: root.lagrangian, lambda: root.lambda, incumbent: incumbent,
                       nodeLimit: limit, allowDP: attempt > 0, cutoff: cutoff)
            attempt += 1
            totalNodes += r.nodes
            if r.complete || r.timedOut || deadline.expired { break }
            if let b = r.best, incumbent.map({ bb.cost(b) < bb.cost($0) }) ?? true {
                incumbent = bb.pairImprove(b, delta: bb.deltas(root.reduced), window: bb.cost(b) - root.lagrangian)
            } else {
                limit = limit > Int.max / 8 ? Int.max : limit * 8
            }
        }
        r.nodes = totalNodes
        return r
    }

    /// Iterative deepening on the objective: depth-first searches for a choice of cost below
    /// `L + w`, `w` growing by x1.25 from `(UB - L) / 64`, until one is found (then it is
    /// optimal: every cheaper choice lay in the window just searched) or the window reaches the
    /// incumbent. A poor incumbent then costs a search of the optimum's window, not of its own;
    /// each completed empty window proves `L + w` as a lower bound. Reduced-cost fixing is done
    /// against the window's edge, so narrow windows are searched on few open groups.
    func windowSearch(_ bb: BranchAndBound, _ root: Root, incumbent: [Int], cutoff: Double,
                      nodes: inout Int) -> BranchAndBound.Result {
        let lagrangian = root.lagrangian
        // The count-vector DP first (it does its own widening); when it does not apply or gives
        // up, depth-first windows without it.
        let first = bb.run(reduced: root.reduced, lagrangian: lagrangian, lambda: root.lambda, incumbent: incumbent,
                           nodeLimit: 1, allowDP: false, cutoff: cutoff)
        nodes += first.nodes
        if first.complete || first.timedOut { return first }
        var bb = bb
        bb.useClassDP = false
        let finalDeadline = bb.deadline
        var w = Windows(lagrangian: lagrangian, ub: Swift.min(bb.cost(incumbent), cutoff),
                        keep: bb.cost(incumbent) < cutoff ? incumbent : nil)
        if finalDeadline.nanoseconds != nil, w.keep != nil {
            // Under a time limit: windows first, no new window after a tenth of it and none
            // running past a quarter (a window interrupted is searched again from its start
            // later: jittered 4-row seeds 30 and 31, proven in about 1 s of a 10 s limit, lost
            // 0.3-0.6 s when the windows stopped at a tenth); when they have not finished,
            // large-neighbourhood search for a better incumbent gets up to half of what is left
            // (the windows raise the bound but never the incumbent, which is what a time-limited
            // answer returns), and gives the time back after 4 rounds without improvement; then
            // the windows go on.
            let soft = finalDeadline.portion(0.1)
            bb.deadline = finalDeadline.portion(0.25)
            if let done = runWindows(&bb, root, &w, nodes: &nodes, soft: soft) { bb.deadline = finalDeadline; return done }
            if !w.reachedIncumbent, let x = w.keep {
                var lns = bb
                lns.deadline = finalDeadline.portion(0.5)
                // The sub-problems' nodes are cheap LPs without strong branching: no node
                // decomposition there (Khan 100 x 10 x 10 at 10 s: 6,719 with it, as before without).
                lns.nodeDecompositionRow = nil
                let better = lns.improveByNeighbourhoods(x, reduced: root.reduced, lagrangian: lagrangian, lambda: root.lambda,
                                                         maxRounds: .max, nodeLimit: BranchAndBound.lnsNodes)
                if bb.cost(better) < w.ub { w.keep = better; w.ub = bb.cost(better) }
            }
        }
        // The windows get three quarters of what is left: empty windows raise the bound but never
        // the incumbent, so the rest goes to a search against the incumbent.
        bb.deadline = finalDeadline.portion(0.75)
        if !w.reachedIncumbent, let done = runWindows(&bb, root, &w, nodes: &nodes) { return done }
        // The window reached the incumbent (or the windows' time is up): search below it.
        bb.deadline = finalDeadline
        var r = bb.run(reduced: root.reduced, lagrangian: lagrangian, lambda: root.lambda, incumbent: w.keep, nodeLimit: .max,
                       allowDP: false, cutoff: cutoff)
        nodes += r.nodes
        // Every choice costs at least `proven` (the empty windows), whatever this search reached.
        if !r.complete { r.bound = Swift.min(r.bestCost, Swift.max(w.proven, r.bound)) }
        return r
    }

    /// The state of the cost windows: the proven bound, where the windows start and how wide the
    /// next is, the incumbent.
    struct Windows {
        var proven: Double
        var start: Double
        var width: Double
        var ub: Double
        var keep: [Int]?
        var nodes = 0
        /// Decomposition bounds are exact below this (-infinity: none yet, the incumbent's cost:
        /// not computed again).
        var decomposedTo = -Double.infinity
        /// The next window would reach the incumbent: only the search below it is left.
        var reachedIncumbent = false

        init(lagrangian: Double, ub: Double, keep: [Int]?) {
            proven = lagrangian
            start = lagrangian
            width = (ub - lagrangian) / 64
            self.ub = ub
            self.keep = keep
        }
    }

    /// Runs windows until one holds a choice (its result: optimal), nothing can beat the incumbent
    /// (the result too), the next window would reach the incumbent (nil, `reachedIncumbent`), or
    /// `bb.deadline` passes (nil; a choice found below the interrupted window becomes the incumbent);
    /// no new window starts once `soft` has passed (nil).
    func runWindows(_ bb: inout BranchAndBound, _ root: Root, _ w: inout Windows, nodes: inout Int,
                    soft: Deadline = .none) -> BranchAndBound.Result? {
        let tol = 1e-9 * bb.model.costScale
        while !bb.deadline.expired && !soft.expired {
            if w.nodes > 0 && w.start + w.width >= w.decomposedTo - tol {
                // Once a window has branched: decomposition bounds (one row kept exactly, the
                // others relaxed at the root multipliers) give a stronger global bound to continue
                // from, item fixing in every later window, and the row the node decomposition
                // keeps (`DepthFirstSearch.decompose`). They are computed against a limit about
                // three windows ahead (the fronts grow with it: against the incumbent they took
                // 0.44 s on jittered seed 24, 0.1 s on seed 28), exact below it, and again when
                // the windows pass it.
                let limit = Swift.min(w.ub, w.start + 2 * w.width)
                w.decomposedTo = w.ub
                if let (found, items, row) = decomposition(bb, root, ub: limit) {
                    // Every choice costs at least `bound`; item bounds at or above the limit are
                    // only known to reach it.
                    let bound = Swift.min(found, limit)
                    w.decomposedTo = limit
                    bb.itemBound = items.map { Swift.min($0, limit) }
                    bb.nodeDecompositionRow = row
                    if bound >= w.ub - tol {
                        // Nothing beats the incumbent.
                        return BranchAndBound.Result(best: w.keep, bestCost: w.ub, bound: w.ub, nodes: nodes, complete: true)
                    }
                    if bound > w.proven {
                        // Windows restart from the bound, narrow again.
                        w.proven = bound
                        w.start = bound
                        w.width = (w.ub - bound) / 64
                    }
                }
            }
            let target = w.start + w.width
            if target >= w.ub - tol { w.reachedIncumbent = true; return nil }
            let r = bb.run(reduced: root.reduced, lagrangian: root.lagrangian, lambda: root.lambda, incumbent: nil,
                           nodeLimit: .max, allowDP: false, cutoff: target)
            nodes += r.nodes
            w.nodes += r.nodes
            if r.complete && r.best != nil { return r }
            if !r.complete {
                // Out of time; a choice found below the window is the better incumbent.
                if let b = r.best, r.bestCost < w.ub { w.keep = b; w.ub = r.bestCost }
                return nil
            }
            w.proven = Swift.max(w.proven, target)
            w.width *= 1.25
        }
        return nil
    }

    /// Decomposition bounds (`RowDecomposition`) for each row with a positive root multiplier, on
    /// the groups left open by reduced-cost fixing against `ub`: the best global bound and, per
    /// model item, the largest bound over the kept rows (-infinity for items not evaluated).
    func decomposition(_ bb: BranchAndBound, _ root: Root, ub: Double) -> (Double, [Double], Int)? {
        let model = bb.model, m = model.m
        let tol = 1e-9 * model.costScale
        let reduction = bb.reduce(delta: bb.deltas(root.reduced), lagrangian: root.lagrangian, ub: ub, tol: tol)
        let levels = reduction.levels.map(\.items)
        guard !levels.isEmpty else { return nil }
        var items = [Double](repeating: -.infinity, count: model.cost.count)
        var best = -Double.infinity, bestRow = 0
        for r in 0..<m where root.lambda[r] > 0 && !deadline.expired {
            guard let (bound, perItem) = RowDecomposition.itemBounds(model: model, levels: levels, fixedItems: reduction.fixedItems,
                                                                    lambda: root.lambda, row: r, ub: ub, tol: tol,
                                                                    maxStates: 100_000, deadline: deadline.portion(0.25)) else { continue }
            if bound > best { best = bound; bestRow = r }
            for (i, b) in perItem { items[i] = Swift.max(items[i], b) }
        }
        return best > -.infinity ? (best, items, bestRow) : nil
    }

    /// The verified answer for a search result.
    func answer(_ r: BranchAndBound.Result, _ bb: BranchAndBound, _ root: Root) -> Solution {
        let model = bb.model, G = model.groupCount
        guard let best = r.best else {
            if r.complete, let cutoff = options.cutoff {
                var pruned = infeasible("no choice that meets every row is better than the cutoff \(cutoff)", nodes: r.nodes)
                pruned.bound = cutoff  // every solution, if any, is no better than the cutoff
                return pruned
            }
            if r.complete {
                var why = Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil,
                                                 message: "no choice meets every row together")
                if options.explainInfeasibility {
                    why = Solver.explainJoint(problem, rowMax: rowMax, earlier: earlier, minDifferent: minDifferent,
                                              options: options, deadline: deadline) ?? why
                }
                return infeasible(why, nodes: r.nodes)
            }
            var s = Solution(status: .unknown, objective: .nan, bound: sign * r.bound, gap: .nan, choices: [], nodes: r.nodes,
                             seconds: elapsed)
            s.rootBound = sign * root.lagrangian
            return s
        }
        var choices = [Int](repeating: 0, count: G)
        for i in best { choices[bb.groupOf(i)] = model.original[i] }
        let objective = Solver.objectiveOf(problem, choices)
        let bound = r.complete ? objective : sign * r.bound
        let gap = r.complete ? 0 : abs(objective - bound) / Swift.max(abs(objective), 1e-300)
        var s = Solution(status: r.complete ? .optimal : .feasible, objective: objective, bound: bound, gap: gap,
                         choices: choices, nodes: r.nodes, seconds: 0, rowSums: Solver.rowSums(problem, choices))
        if let failure = (Result { () throws(VerificationError) in try verify(s, against: problem, options: options) }).failure {
            // Never expected: the search only records feasible leaves. Reported, not trapped.
            s.status = .unknown
            s.infeasibility = Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil,
                                                     message: "internal verification failed: \(failure)")
        }
        s.rootBound = sign * root.lagrangian
        s.seconds = elapsed
        return s
    }
}
