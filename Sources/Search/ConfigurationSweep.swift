import Foundation
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
    /// The candidates' scores of `metric` (`Searcher.values`), shared by every solve.
    let values: [[Double]]
    let sense: Problem.Sense
    let options: SolveOptions
    var states: [State]
    var solves = 0
    var nodes = 0

    /// Whether a round's configurations run on several cores (same answer either way).
    var concurrent = true

    init(groups: [SearchGroup], metric: String, sense: Problem.Sense, options: SolveOptions, count: Int, concurrent: Bool = true) {
        self.concurrent = concurrent
        self.groups = groups
        self.metric = metric
        values = Searcher.values(groups: groups, metric: metric)
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

    /// Configurations solved side by side in one round once an incumbent exists. Fixed, whatever
    /// the machine: every configuration of a round is solved with the cutoff known when the round
    /// starts, so the answer depends on this number and never on how many cores run the round or
    /// in what order they finish (deterministic output, identical on 1 core or 64).
    static let roundSize = 2

    /// One pass: visits the configurations in `order`, building rows with `rows(c)`, in rounds of
    /// `roundSize` solved concurrently (see there).
    mutating func pass(order: [Int], rows: @escaping @Sendable (Int) throws -> [LinearRow]) throws -> Pass {
        var best: Int?
        var incumbentCost = Double.infinity
        func tolerance(_ cost: Double) -> Double { options.objectiveTolerance * Swift.max(1, abs(cost)) }
        var proven = true
        var next = 0
        /// What one configuration of a round came to: its rows, and the kept optimum or the solve.
        struct Outcome: Sendable {
            var rows: [LinearRow] = []
            var reuse: Solution?
            var problem: Problem?
            var solution: Solution?
        }
        while next < order.count {
            // The round: up to roundSize configurations not settled by the incumbent at its start.
            // Until an incumbent exists a round holds one configuration: the first solve gives the
            // cutoff every later one needs (the order puts the most promising first).
            var round: [Int] = []
            let size = best == nil ? 1 : Self.roundSize
            while round.count < size && next < order.count {
                let c = order[next]
                next += 1
                states[c].settled = false
                if states[c].infeasible {
                    states[c].settled = true
                    continue
                }
                if best != nil, states[c].bound >= incumbentCost - tolerance(incumbentCost) { continue }
                round.append(c)
            }
            // Rows, problems and solves of the round, side by side; results land by position.
            let cutoff: Double? = best != nil ? sign * incumbentCost : nil
            let picked = round
            let lasts = round.map { states[$0].last }
            let (groups, values, sense, options) = (self.groups, self.values, self.sense, self.options)
            var outcomes = [Result<Outcome, Error>?](repeating: nil, count: round.count)
            outcomes.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let results = buffer
                let work: @Sendable (Int) -> Void = { k in
                    do {
                        var o = Outcome()
                        o.rows = try rows(picked[k])
                        if let last = lasts[k], last.status == .optimal, Frontier.satisfies(last.choices, rows: o.rows) {
                            var reused = last
                            reused.nodes = 0
                            o.reuse = reused
                        } else {
                            let problem = Searcher.makeProblem(groups: groups, values: values, rows: o.rows, sense: sense)
                            var solveOptions = options
                            solveOptions.cutoff = cutoff
                            o.problem = problem
                            o.solution = try Searcher.solve(problem, options: solveOptions)
                        }
                        results[k] = .success(o)
                    } catch {
                        results[k] = .failure(error)
                    }
                }
                if concurrent && round.count > 1 {
                    DispatchQueue.concurrentPerform(iterations: round.count) { k in work(k) }
                } else {
                    for k in round.indices { work(k) }
                }
            }
            var resolved: [Outcome] = []
            for r in outcomes {
                switch r {
                case .success(let o)?: resolved.append(o)
                case .failure(let e)?: throw e
                case nil: throw SearchError.internalProblemRejected("a configuration of the round was not solved")
                }
            }
            let entries = round.enumerated().map { k, c in
                (c: c, rows: resolved[k].rows, reuse: resolved[k].reuse, problem: resolved[k].problem, cutoff: cutoff,
                    solution: resolved[k].solution)
            }
            // Merge in round order: strictly better replaces the incumbent, so ties keep the
            // earlier configuration.
            for entry in entries {
                let c = entry.c
                states[c].rows = entry.rows
                var solution: Solution
                if let reused = entry.reuse {
                    solution = reused
                    states[c].problem = nil
                } else {
                    guard let solved = entry.solution else {
                        throw SearchError.internalProblemRejected("configuration \(c) was not solved")
                    }
                    solution = solved
                    solves += 1
                    nodes += solution.nodes
                    states[c].problem = entry.problem
                    switch solution.status {
                    case .infeasible:
                        // A cutoff stop carries the finite root bound; a real infeasibility proof
                        // has none (and stays true as budgets tighten).
                        if entry.cutoff == nil || !solution.bound.isFinite {
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
