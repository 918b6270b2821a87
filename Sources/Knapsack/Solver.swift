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
        ProblemDump.dumpIfRequested(problem, diversity: (count, minDifferent))
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

    /// One solve with diversity constraints against `earlier` solutions (`SingleSolve`).
    static func run(_ problem: Problem, rowMax: [Double], earlier: [[Int]], minDifferent: Int,
                    options: SolveOptions, warm: inout Warm) -> Solution {
        SingleSolve(problem: problem, rowMax: rowMax, earlier: earlier, minDifferent: minDifferent, options: options)
            .run(warm: &warm)
    }

    /// Model item index of (group, original item), nil when pruned.
    static func modelIndex(_ model: Model) -> [[Int: Int]] {
        (0..<model.groupCount).map { g in
            var d: [Int: Int] = [:]
            // Sized up front: growing rehashes every entry (the callers only look keys up).
            d.reserveCapacity(model.start[g + 1] - model.start[g])
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
    /// The auxiliary solves share what is left of `deadline`; nil when it passes first.
    static func explainJoint(_ problem: Problem, rowMax: [Double], earlier: [[Int]], minDifferent: Int,
                             options: SolveOptions, deadline: Deadline = .none) -> Solution.Infeasibility? {
        var auxOptions = options
        auxOptions.explainInfeasibility = false
        for (r, row) in problem.rows.enumerated() {
            for isMin in [false, true] {
                if deadline.expired { return nil }
                if deadline.nanoseconds != nil { auxOptions.timeLimitSeconds = deadline.secondsLeft }
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
