import Knapsack
import PuzzleCore

/// Solving one knapsack per TP x batch configuration and keeping the best, with the work shared
/// between configurations and (for frontiers) between budgets.
///
/// Costs are handled internally as `cost = sign x objective` (sign -1 when maximising), so that
/// "better" is always "smaller". Per configuration the state keeps a proven lower bound on its
/// cost: the optimum when solved, the root bound when a cutoff stopped it. Such bounds stay valid
/// when budgets only tighten (the feasible set only shrinks), so a configuration whose bound
/// cannot beat the incumbent is skipped without a solve; one proven infeasible without a cutoff
/// stays infeasible; an optimum that still meets the tightened rows stays optimal.
struct ConfigurationSweep {
    struct State {
        var rows: [LinearRow] = []
        var problem: Problem?
        var last: Solution?
        /// Lower bound on this configuration's cost (internal units).
        var bound = -Double.infinity
        var infeasible = false
        /// Whether the last visit settled the configuration (solved, proven infeasible, or
        /// pruned by its bound against the final incumbent).
        var settled = true
    }

    let groups: [SearchGroup]
    let metric: String
    let sense: Problem.Sense
    let options: SolveOptions
    var states: [State]
    var solves = 0
    var nodes = 0

    init(groups: [SearchGroup], metric: String, sense: Problem.Sense, options: SolveOptions, count: Int) {
        self.groups = groups
        self.metric = metric
        self.sense = sense
        self.options = options
        states = [State](repeating: State(), count: count)
    }

    var sign: Double { sense == .minimize ? 1 : -1 }

    /// The result of one pass over the configurations.
    struct Pass {
        /// The configuration holding the best child, or nil when none has one.
        var best: Int?
        /// Whether the best is proven optimal over every configuration.
        var proven: Bool
        /// The proven bound (objective units) over every configuration.
        var bound: Double
    }

    /// One pass: visits the configurations in `order`, building rows with `rows(c)`.
    mutating func pass(order: [Int], rows: (Int) throws -> [LinearRow]) throws -> Pass {
        var best: Int?
        var incumbentCost = Double.infinity
        func tolerance(_ cost: Double) -> Double { options.objectiveTolerance * Swift.max(1, abs(cost)) }
        var proven = true
        for c in order {
            states[c].settled = false
            if states[c].infeasible {
                states[c].settled = true
                continue
            }
            if best != nil, states[c].bound >= incumbentCost - tolerance(incumbentCost) { continue }
            let r = try rows(c)
            states[c].rows = r
            var solution: Solution
            if let last = states[c].last, last.status == .optimal, Frontier.satisfies(last.choices, rows: r) {
                solution = last
                solution.nodes = 0
                states[c].problem = nil
            } else {
                let problem = Searcher.makeProblem(groups: groups, metric: metric, rows: r, sense: sense)
                var o = options
                if best != nil { o.cutoff = sign * incumbentCost }
                solution = try Searcher.solve(problem, options: o)
                solves += 1
                nodes += solution.nodes
                states[c].problem = problem
                switch solution.status {
                case .infeasible:
                    // A cutoff stop carries the finite root bound; a real infeasibility proof
                    // has none (and stays true as budgets tighten).
                    if o.cutoff == nil || !solution.bound.isFinite {
                        states[c].infeasible = true
                    } else {
                        states[c].bound = Swift.max(states[c].bound, sign * solution.bound)
                    }
                    states[c].last = nil
                case .optimal:
                    states[c].bound = sign * solution.objective
                    states[c].last = solution
                case .feasible, .unknown:
                    if solution.bound.isFinite { states[c].bound = Swift.max(states[c].bound, sign * solution.bound) }
                    states[c].last = solution.hasSolution ? solution : nil
                    proven = false
                }
            }
            states[c].settled = true
            if solution.hasSolution, sign * solution.objective < incumbentCost {
                incumbentCost = sign * solution.objective
                best = c
            }
        }
        guard let b = best else { return Pass(best: nil, proven: proven, bound: .nan) }
        // Bound over all configurations: the least lower bound among those not proven infeasible.
        var lower = incumbentCost
        for s in states where !s.infeasible { lower = Swift.min(lower, s.bound) }
        if states[b].last?.status != .optimal { proven = false }
        let boundObjective = sign * Swift.max(lower, -Double.greatestFiniteMagnitude)
        let gapProven = lower >= incumbentCost - tolerance(incumbentCost)
        return Pass(best: b, proven: proven && gapProven, bound: gapProven ? sign * incumbentCost : boundObjective)
    }
}
