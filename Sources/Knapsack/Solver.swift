import Foundation

/// Exact multiple-choice knapsack solving: `solve`, `solveDiverse` and `sweep`.
///
/// Pipeline per solve: build the `Model` (pins, `<=` form, redundant rows dropped, dominance),
/// maximise the Lagrangian dual (`LagrangianDual`), find a first solution by greedy repair,
/// then prove optimality by branch and bound with reduced-cost fixing (`BranchAndBound`).
/// Every returned solution is checked by `verify` against the original problem.
public enum Solver {
    /// Warm-start state carried across related solves (a sweep).
    struct Warm {
        var lambda: [Double]?
        /// Candidate solutions (original item index per group) to seed the incumbent.
        var candidates: [[Int]] = []
    }

    /// Solves `problem` to proven optimality (or until `options.timeLimitSeconds`).
    /// - Throws: `ProblemError` when the problem is malformed.
    public static func solve(_ problem: Problem, options: SolveOptions = SolveOptions()) throws(ProblemError) -> Solution {
        try problem.validate()
        var warm = Warm()
        return run(problem, rowMax: problem.rows.map(\.max), earlier: [], minDifferent: 0, options: options, warm: &warm)
    }

    /// `count` solutions in sequence, each the optimum among choices that differ from every
    /// earlier one in at least `minDifferent` groups (Puzzle's multi-solution search). Stops
    /// early after the first non-solution (infeasible/unknown), which is included.
    public static func solveDiverse(_ problem: Problem, count: Int, minDifferent: Int,
                                    options: SolveOptions = SolveOptions(),
                                    each: ((Int, Solution) -> Void)? = nil) throws(ProblemError) -> [Solution] {
        try problem.validate()
        guard count >= 1 else { return [] }
        guard minDifferent >= 0 else { throw ProblemError(path: "diversity.minDifferent", "expected a non-negative integer") }
        var result: [Solution] = []
        var earlier: [[Int]] = []
        for _ in 0..<count {
            var warm = Warm()
            let s = run(problem, rowMax: problem.rows.map(\.max), earlier: earlier, minDifferent: minDifferent,
                        options: options, warm: &warm)
            result.append(s)
            each?(result.count - 1, s)
            guard s.hasSolution else { break }
            earlier.append(s.choices)
        }
        return result
    }

    /// Solves the problem once for every `maxValues[k]` as the `max` of row `row`, in the
    /// given order, reusing work: capacities are processed from largest to smallest, an
    /// optimum that still fits the next capacity is optimal there too (the feasible set only
    /// shrank), and multipliers and solutions warm-start the next solve.
    /// - Throws: `ProblemError` when the problem is malformed or `row` is out of range.
    public static func sweep(_ problem: Problem, row: Int, maxValues: [Double],
                             options: SolveOptions = SolveOptions()) throws(ProblemError) -> [Solution] {
        try problem.validate()
        guard row >= 0, row < problem.rows.count else {
            throw ProblemError(path: "sweep.row", "row index \(row) out of range 0..<\(problem.rows.count)")
        }
        for (k, v) in maxValues.enumerated() where v.isNaN || v == -.infinity || (problem.rows[row].min.map { v < $0 } ?? false) {
            throw ProblemError(path: "sweep.max[\(k)]", "expected a number >= the row's min, found \(v)")
        }
        let order = maxValues.indices.sorted { maxValues[$0] > maxValues[$1] || (maxValues[$0] == maxValues[$1] && $0 < $1) }
        var out = [Solution?](repeating: nil, count: maxValues.count)
        var warm = Warm()
        var previous: Solution?
        for k in order {
            var rowMax = problem.rows.map(\.max)
            rowMax[row] = maxValues[k]
            var p = problem
            p.rows[row].max = maxValues[k]
            let clock = DispatchTime.now().uptimeNanoseconds
            if let prev = previous, prev.status == .optimal, (try? verify(prev, against: p, options: options)) != nil {
                var s = prev
                s.nodes = 0
                s.seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
                out[k] = s
                continue
            }
            let s = run(p, rowMax: rowMax, earlier: [], minDifferent: 0, options: options, warm: &warm)
            out[k] = s
            previous = s
            if s.hasSolution { warm.candidates = [s.choices] }
        }
        return out.compactMap { $0 }
    }

    /// One solve with diversity constraints against `earlier` solutions.
    static func run(_ problem: Problem, rowMax: [Double], earlier: [[Int]], minDifferent: Int,
                    options: SolveOptions, warm: inout Warm) -> Solution {
        let clock = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9 }
        let G = problem.groups.count
        let sign = problem.sense == .minimize ? 1.0 : -1.0
        let extras: [Model.Extra] = earlier.enumerated().map { k, prev in
            Model.Extra(coefficient: { g, i in i == prev[g] ? 1 : 0 }, cap: Double(G - minDifferent), source: .diversity(k))
        }
        let built = Model.build(problem, costOf: { g, i in sign * problem.groups[g].items[i].value }, rowMax: rowMax,
                                extras: extras, feasibilityTolerance: options.feasibilityTolerance)
        func infeasible(_ why: Solution.Infeasibility, nodes: Int = 0) -> Solution {
            Solution(status: .infeasible, objective: .nan, bound: .nan, gap: .nan, choices: [], nodes: nodes,
                     seconds: elapsed(), infeasibility: why)
        }
        let model: Model
        switch built {
        case .emptyGroup(let g):
            return infeasible(Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil,
                message: "group '\(problem.groups[g].name)' has no allowed item (pins/forbidden)"))
        case .infeasibleConstraint(let source, let least):
            return infeasible(explain(source, least: least, problem: problem, rowMax: rowMax, earlier: earlier, minDifferent: minDifferent))
        case .model(let m):
            model = m
        }
        var dual = LagrangianDual(model: model, warm: warm.lambda)
        // With 2+ constraints the exact LP below sets the multipliers: a few passes give its start.
        guard let _ = dual.maximize(maxPasses: model.m >= 2 ? 2 : 60) else {
            // A line search proved a constraint unmeetable; build() normally catches this first.
            return infeasible(Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil,
                message: "the rows cannot be met together"))
        }
        // Exact LP multipliers (2+ constraints: coordinate ascent stops short of the LP value at
        // kinks) by the GUB simplex over all groups, started from the least-reduced-cost choice at
        // the ascent's multipliers. Fallbacks when it fails numerically: more ascent and the
        // golden-section search for two rows, the dense simplex for more.
        var polished = dual.lambda
        if model.m >= 2 {
            var exact: [Double]?
            if case .multipliers(let lp) = NodeLP.root(model, start: polished) {
                exact = lp
            } else if model.m == 2 {
                _ = dual.maximize(maxPasses: 60)
                _ = dual.maximizeTwoRows()
                polished = dual.lambda
            } else {
                var chosen: [Int] = []
                for g in 0..<G {
                    var b = model.start[g]
                    for i in model.start[g]..<model.start[g + 1] where dual.reduced[i] < dual.reduced[b] { b = i }
                    chosen.append(b)
                }
                exact = LPRelaxation.multipliers(model: model, start: chosen)
            }
            if let lp = exact, LagrangianDual(model: model, warm: lp).value() > dual.value() { polished = lp }
        }
        warm.lambda = polished
        let fresh = LagrangianDual(model: model, warm: polished)  // reduced costs without drift
        let lagrangian = fresh.value()
        if let cutoff = options.cutoff {
            var scale = 1.0
            for group in problem.groups { scale += group.items.map { abs($0.value) }.max() ?? 0 }
            if lagrangian >= sign * cutoff - options.objectiveTolerance * Swift.max(1, scale - 1) {
                var pruned = infeasible(Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil,
                    message: "no choice is better than the cutoff \(cutoff) (root bound \(sign * lagrangian))"))
                pruned.bound = sign * lagrangian
                pruned.rootBound = sign * lagrangian
                return pruned
            }
        }
        // The cutoff in minimisation form, also applied inside branch and bound.
        let cutoffCost = options.cutoff.map { sign * $0 } ?? .infinity
        let deadline = options.timeLimitSeconds.map { clock + UInt64(Swift.min(1e12, Swift.max(0, $0)) * 1e9) }
        let bb = BranchAndBound(model: model, deadline: deadline)
        // Incumbent: the heuristic, or a warm candidate when better.
        var incumbent = bb.heuristic(reduced: fresh.reduced)
        let index = modelIndex(model)
        for cand in warm.candidates {
            guard cand.count == G else { continue }
            var x: [Int] = []
            for g in 0..<G {
                guard let i = index[g][cand[g]] else { break }
                x.append(i)
            }
            guard x.count == G, let y = bb.feasible(x) ? x : bb.heuristic(reduced: fresh.reduced, from: x) else { continue }
            if incumbent.map({ bb.cost(y) < bb.cost($0) }) ?? true { incumbent = y }
        }
        var delta = fresh.reduced
        for g in 0..<G {
            var lo = Double.infinity
            for i in model.start[g]..<model.start[g + 1] { lo = Swift.min(lo, fresh.reduced[i]) }
            for i in model.start[g]..<model.start[g + 1] { delta[i] = fresh.reduced[i] - lo }
        }
        if let x = incumbent {
            let improved = bb.pairImprove(x, delta: delta, window: bb.cost(x) - lagrangian)
            incumbent = improved
        }
        // Restarts: reduced-cost fixing depends on the incumbent, so a search that improved it
        // is restarted with the tighter fixing; without improvement the node limit grows.
        // The first attempt is a short depth-first search (often enough, and cheaper than the DP
        // when the bound is tight); later attempts may use the DP (up to two rows).
        var limit = 1000
        var totalNodes = 0
        var attempt = 0
        var r: BranchAndBound.Result
        while true {
            // Depth-first search only (no ParetoDP): widen a cost window from the bound.
            if model.m > bb.dpMaxRows, let x = incumbent {
                r = windowSearch(bb, reduced: fresh.reduced, lagrangian: lagrangian, lambda: fresh.lambda, incumbent: x,
                                 cutoff: cutoffCost, nodes: &totalNodes)
                break
            }
            r = bb.run(reduced: fresh.reduced, lagrangian: lagrangian, lambda: fresh.lambda, incumbent: incumbent,
                       nodeLimit: limit, allowDP: attempt > 0, cutoff: cutoffCost)
            attempt += 1
            totalNodes += r.nodes
            if r.complete || r.timedOut { break }
            if let b = r.best, incumbent.map({ bb.cost(b) < bb.cost($0) }) ?? true {
                incumbent = bb.pairImprove(b, delta: delta, window: bb.cost(b) - lagrangian)
            } else {
                limit = limit > Int.max / 8 ? Int.max : limit * 8
            }
        }
        r.nodes = totalNodes
        guard let best = r.best else {
            if r.complete, let cutoff = options.cutoff {
                var pruned = infeasible(Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil,
                    message: "no choice that meets every row is better than the cutoff \(cutoff)"), nodes: r.nodes)
                pruned.bound = cutoff  // every solution, if any, is no better than the cutoff
                return pruned
            }
            if r.complete {
                var why = Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil,
                                                 message: "no choice meets every row together")
                if options.explainInfeasibility {
                    why = explainJoint(problem, rowMax: rowMax, earlier: earlier, minDifferent: minDifferent, options: options) ?? why
                }
                return infeasible(why, nodes: r.nodes)
            }
            return Solution(status: .unknown, objective: .nan, bound: sign * r.bound, gap: .nan, choices: [], nodes: r.nodes,
                            seconds: elapsed())
        }
        var choices = [Int](repeating: 0, count: G)
        for i in best { choices[bb.groupOf(i)] = model.original[i] }
        let objective = objectiveOf(problem, choices)
        let bound = r.complete ? objective : sign * r.bound
        let gap = r.complete ? 0 : abs(objective - bound) / Swift.max(abs(objective), 1e-300)
        var s = Solution(status: r.complete ? .optimal : .feasible, objective: objective, bound: bound, gap: gap,
                         choices: choices, nodes: r.nodes, seconds: 0, rowSums: rowSums(problem, choices))
        if let failure = (Result { () throws(VerificationError) in try verify(s, against: problem, options: options) }).failure {
            // Never expected: the search only records feasible leaves. Reported, not trapped.
            s.status = .unknown
            s.infeasibility = Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil,
                                                     message: "internal verification failed: \(failure)")
        }
        s.rootBound = sign * lagrangian
        s.seconds = elapsed()
        return s
    }

    /// Iterative deepening on the objective: depth-first searches for a choice of cost below
    /// `L + w`, `w` growing by x1.25 from `(UB - L) / 64`, until one is found (then it is
    /// optimal: every cheaper choice lay in the window just searched) or the window reaches the
    /// incumbent. A poor incumbent then costs a search of the optimum's window, not of its own;
    /// each completed empty window proves `L + w` as a lower bound. Reduced-cost fixing is done
    /// against the window's edge, so narrow windows are searched on few open groups.
    static func windowSearch(_ bb: BranchAndBound, reduced: [Double], lagrangian: Double, lambda: [Double], incumbent: [Int],
                             cutoff: Double, nodes: inout Int) -> BranchAndBound.Result {
        // The count-vector DP first (it does its own widening); when it does not apply or gives
        // up, depth-first windows without it.
        let first = bb.run(reduced: reduced, lagrangian: lagrangian, lambda: lambda, incumbent: incumbent, nodeLimit: 1,
                           allowDP: false, cutoff: cutoff)
        nodes += first.nodes
        if first.complete || first.timedOut { return first }
        var bb = bb
        bb.useClassDP = false
        // Under a time limit the windows get three quarters of what is left: empty windows raise
        // the bound but never the incumbent, so the rest goes to a search against the incumbent.
        let finalDeadline = bb.deadline
        if let deadline = bb.deadline {
            let now = DispatchTime.now().uptimeNanoseconds
            bb.deadline = now + (deadline > now ? (deadline - now) / 4 * 3 : 0)
        }
        let ub = Swift.min(bb.cost(incumbent), cutoff)
        var keep: [Int]? = bb.cost(incumbent) < cutoff ? incumbent : nil
        let tol = 1e-9 * bb.model.costScale
        let growth = 1.25
        var width = (ub - lagrangian) / 64
        var proven = lagrangian
        while true {
            let target = lagrangian + width
            if target >= ub - tol { break }
            let r = bb.run(reduced: reduced, lagrangian: lagrangian, lambda: lambda, incumbent: nil, nodeLimit: .max,
                           allowDP: false, cutoff: target)
            nodes += r.nodes
            if r.complete && r.best != nil { return r }
            if !r.complete {
                // Out of the windows' time; a choice found below the window is the better incumbent.
                if let b = r.best { keep = b }
                break
            }
            proven = target
            width *= growth
        }
        // The window reached the incumbent (or the windows' time is up): search below it.
        bb.deadline = finalDeadline
        var r = bb.run(reduced: reduced, lagrangian: lagrangian, lambda: lambda, incumbent: keep, nodeLimit: .max,
                       allowDP: false, cutoff: cutoff)
        nodes += r.nodes
        // Every choice costs at least `proven` (the empty windows), whatever this search reached.
        if !r.complete { r.bound = Swift.min(r.bestCost, Swift.max(proven, r.bound)) }
        return r
    }

    /// Model item index of (group, original item), nil when pruned.
    static func modelIndex(_ model: Model) -> [[Int: Int]] {
        (0..<model.groupCount).map { g in
            var d: [Int: Int] = [:]
            for i in model.start[g]..<model.start[g + 1] { d[model.original[i]] = i }
            return d
        }
    }

    /// `sum_g value(g, choices[g])` in group order.
    static func objectiveOf(_ p: Problem, _ choices: [Int]) -> Double {
        var s = 0.0
        for (g, i) in choices.enumerated() { s += p.groups[g].items[i].value }
        return s
    }

    static func rowSums(_ p: Problem, _ choices: [Int]) -> [Double] {
        (0..<p.rows.count).map { r in
            var s = 0.0
            for (g, i) in choices.enumerated() { s += p.groups[g].items[i].weights[r] }
            return s
        }
    }

    /// The infeasibility record of a single constraint proven unmeetable while building.
    static func explain(_ source: Model.Source, least: Double, problem: Problem, rowMax: [Double],
                        earlier: [[Int]], minDifferent: Int) -> Solution.Infeasibility {
        switch source {
        case .row(let r, let isMin):
            let name = problem.rows[r].name
            if isMin {
                return Solution.Infeasibility(row: r, rowName: name, isMinimum: true, achievable: -least,
                    message: "row '\(name)': the greatest achievable sum \(-least) is below its min \(problem.rows[r].min ?? 0)")
            }
            return Solution.Infeasibility(row: r, rowName: name, isMinimum: false, achievable: least,
                message: "row '\(name)': the least achievable sum \(least) exceeds its max \(rowMax[r])")
        case .diversity(let k):
            return Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil,
                message: "cannot differ from earlier solution \(k + 1) in \(minDifferent) groups")
        case .other:
            return Solution.Infeasibility(row: nil, rowName: nil, isMinimum: false, achievable: nil, message: "infeasible")
        }
    }

    /// For a jointly infeasible problem, the first row whose best achievable sum subject to
    /// every other requirement misses its limit (one auxiliary exact solve per row limit).
    static func explainJoint(_ problem: Problem, rowMax: [Double], earlier: [[Int]], minDifferent: Int,
                             options: SolveOptions) -> Solution.Infeasibility? {
        var auxOptions = options
        auxOptions.explainInfeasibility = false
        for (r, row) in problem.rows.enumerated() {
            for isMin in [false, true] {
                if isMin && (row.min == nil || row.min == -.infinity) { continue }
                if !isMin && rowMax[r] == .infinity { continue }
                // Objective: the row's weights (minimised for max, maximised for min);
                // constraints: every other limit.
                var aux = problem
                aux.sense = isMin ? .maximize : .minimize
                for g in aux.groups.indices {
                    for i in aux.groups[g].items.indices { aux.groups[g].items[i].value = problem.groups[g].items[i].weights[r] }
                }
                var auxMax = rowMax
                if isMin { aux.rows[r].min = nil } else { auxMax[r] = .infinity; aux.rows[r].max = .infinity }
                var warm = Warm()
                let s = run(aux, rowMax: auxMax, earlier: earlier, minDifferent: minDifferent, options: auxOptions, warm: &warm)
                guard s.status == .optimal else { continue }
                let tol = options.feasibilityTolerance * Swift.max(1, abs(s.objective))
                if isMin, let lo = row.min, s.objective < lo - tol {
                    return Solution.Infeasibility(row: r, rowName: row.name, isMinimum: true, achievable: s.objective,
                        message: "row '\(row.name)': the greatest achievable sum with the other rows met is \(s.objective), below its min \(lo)")
                }
                if !isMin, s.objective > rowMax[r] + tol {
                    return Solution.Infeasibility(row: r, rowName: row.name, isMinimum: false, achievable: s.objective,
                        message: "row '\(row.name)': the least achievable sum with the other rows met is \(s.objective), above its max \(rowMax[r])")
                }
            }
        }
        return nil
    }
}

/// Free-function forms of the solver (same semantics as `Solver`).
public func solve(_ problem: Problem, options: SolveOptions = SolveOptions()) throws(ProblemError) -> Solution {
    try Solver.solve(problem, options: options)
}

public func solveDiverse(_ problem: Problem, count: Int, minDifferent: Int,
                         options: SolveOptions = SolveOptions()) throws(ProblemError) -> [Solution] {
    try Solver.solveDiverse(problem, count: count, minDifferent: minDifferent, options: options)
}

public func sweep(_ problem: Problem, row: Int, maxValues: [Double],
                  options: SolveOptions = SolveOptions()) throws(ProblemError) -> [Solution] {
    try Solver.sweep(problem, row: row, maxValues: maxValues, options: options)
}
