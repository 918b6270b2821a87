import ModelArchitecture
import BlockLibraries
import Foundation
import Knapsack
import PuzzleCore

/// One TP x batch setting the search solves a knapsack for (both nil with measured costs).
struct Configuration: Sendable, Hashable {
    var tp: Int?
    /// The batch of the first scenario (all scenarios' batches come from the provider).
    var batch: Int?
    /// The batch-ladder step, when the batch is searched.
    var ladder: Int? = nil
}

/// Where the rows of a configuration come from: the cost model, or nothing but measured stats.
protocol RowProvider: Sendable {
    /// Every configuration to solve, in order of preference for ties.
    func configurations() throws -> [Configuration]
    /// The cost-model rows of one configuration (measured-stat rows are added by the searcher).
    func rows(_ configuration: Configuration, groups: [SearchGroup], constraints: [Constraint]) throws -> [LinearRow]
    /// Predicted serving numbers of an architecture in every scenario at a configuration.
    func predictions(_ architecture: Architecture, _ configuration: Configuration) throws -> [ScenarioPrediction]
    /// The parent's predictions at its own best batch and TP.
    var parentPredictions: [ScenarioPrediction] { get }
}

/// No cost model: only measured-stat and parameter rows.
struct MeasuredOnly: RowProvider {
    func configurations() -> [Configuration] { [Configuration(tp: nil, batch: nil)] }
    func rows(_ configuration: Configuration, groups: [SearchGroup], constraints: [Constraint]) -> [LinearRow] { [] }
    func predictions(_ architecture: Architecture, _ configuration: Configuration) -> [ScenarioPrediction] { [] }
    var parentPredictions: [ScenarioPrediction] { [] }
}

/// `puzzle search`: library + costs + budgets -> knapsack problems (one per TP x batch) -> the
/// best child, proven optimal over every configuration searched.
public enum Searcher {
    /// Runs the search. `progress` receives short status lines (the CLI shows them on a terminal).
    ///
    /// With measured costs (`request.model == nil`) every budget is bounded by the library's
    /// stats (`MeasuredRows`; a TPOT budget becomes puzzletron's request latency,
    /// `Constraint.forMeasuredCosts`); budgets they cannot express throw `MeasuredCostError`.
    public static func run(_ request: SearchRequest, progress: (@Sendable (String) -> Void)? = nil) throws -> SearchOutcome {
        let request = try normalized(request)
        let provider: RowProvider = try request.model.map { try ModelRows(settings: $0, request: request) } ?? MeasuredOnly()
        return try run(request, provider: provider, progress: progress)
    }

    /// The request with its budgets as its cost source bounds them.
    static func normalized(_ request: SearchRequest) throws(MeasuredCostError) -> SearchRequest {
        var request = request
        if request.model == nil {
            request.constraints = request.constraints.map(\.forMeasuredCosts)
        } else if let c = request.constraints.first(where: { if case .maxLatencySeconds = $0 { return true } else { return false } }) {
            throw MeasuredCostError.needsMeasuredCosts(constraint: c.key)
        }
        return request
    }

    /// Rows of the budgets the cost model does not bound (all of them with measured costs).
    static func measuredRows(_ request: SearchRequest, constraints: [Constraint], groups: [SearchGroup]) throws -> [LinearRow] {
        try MeasuredRows.rows(constraints: constraints, groups: groups, parent: request.library.parent,
            measurement: request.library.measurement, include: { request.model == nil || !$0.needsCostModel })
    }

    static func run(_ request: SearchRequest, provider: RowProvider, progress: (@Sendable (String) -> Void)?) throws
        -> SearchOutcome
    {
        let clock = DispatchTime.now().uptimeNanoseconds
        let library = request.library
        let metric = request.objective
        let groups = try GroupBuilder.groups(library, metric: metric.name, engine: request.engine, pins: request.pins,
            forbids: request.forbids)
        let statRows = try measuredRows(request, constraints: request.constraints, groups: groups)
        let configurations = try provider.configurations()
        let sense: Problem.Sense = metric.direction == .lower ? .minimize : .maximize
        // Infeasible configurations are common (too small a batch for a throughput target, too
        // large for memory); their explanation costs extra solves and is only needed when every
        // configuration fails (then they are re-solved with it).
        let options = SolveOptions(timeLimitSeconds: request.timeLimitSeconds, explainInfeasibility: false)

        var sweep = ConfigurationSweep(groups: groups, metric: metric.name, sense: sense, options: options,
            count: configurations.count, concurrent: request.concurrent)
        progress?("search: \(configurations.count) configurations (TP x batch)")
        let pass = try sweep.pass(order: promisingFirst(configurations)) { c in
            try provider.rows(configurations[c], groups: groups, constraints: request.constraints) + statRows
        }

        guard let bestIndex = pass.best, let bestSolution = sweep.states[bestIndex].last else {
            // Every configuration failed: explain with the rows the user wrote.
            var explainOptions = options
            explainOptions.explainInfeasibility = true
            var explained: [([LinearRow], Solution)] = []
            for (c, state) in sweep.states.enumerated() {
                let rows = state.rows.isEmpty
                    ? try provider.rows(configurations[c], groups: groups, constraints: request.constraints) + statRows : state.rows
                let problem = makeProblem(groups: groups, metric: metric.name, rows: rows, sense: sense)
                explained.append((rows, try solve(problem, options: explainOptions)))
            }
            let infeasibility = explain(attempts: explained, request: request)
            return SearchOutcome(children: [], infeasibility: infeasibility, parentPredictions: provider.parentPredictions,
                request: request)
        }
        let bound = pass.bound
        let allProven = pass.proven
        // The first child's own work: the whole configuration sweep.
        let firstNodes = sweep.nodes
        let firstSeconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
        let chosenRows = sweep.states[bestIndex].rows
        let chosenProblem = makeProblem(groups: groups, metric: metric.name, rows: chosenRows, sense: sense)
        var solutions = [bestSolution]
        if request.diverseCount > 1 {
            progress?("search: \(request.diverseCount) diverse children" + (options.timeLimitSeconds == nil
                ? " (each solve unlimited unless a time limit is set)" : ""))
            solutions = try solveDiverse(chosenProblem, count: request.diverseCount, minDifferent: request.minDifferent,
                options: options) { k, s in
                    let what = s.hasSolution ? "\(s.status) \(s.objective)" : "\(s.status)"
                    progress?("search: diverse child \(k + 1)/\(request.diverseCount): \(what) in \(String(format: "%.2f", s.seconds)) s")
                }
        }
        var children: [Child] = []
        for (k, solution) in solutions.enumerated() where solution.hasSolution {
            let name = request.childName ?? ChildName.make(request)
            let architecture = GroupBuilder.architecture(parent: library.parent, groups: groups, choices: solution.choices,
                name: solutions.count > 1 ? "\(name)-\(k + 1)" : name)
            // Ties between configurations are cut off during the solve; the child is served at
            // the configuration where it meets every budget with the highest throughput.
            let (configuration, rowsAtConfiguration, predictions) = try bestConfiguration(for: solution.choices,
                architecture: architecture, configurations: configurations, fallback: bestIndex, provider: provider,
                groups: groups, request: request, statRows: statRows, chosenRows: chosenRows)
            let proven = solution.status == .optimal && (k > 0 || allProven)
            let objective = solution.objective
            let childBound = k == 0 ? bound : solution.bound
            let report = SolverReport(status: proven ? .optimal : .feasible, objective: objective, bound: childBound,
                gap: abs(objective - childBound) / Swift.max(1, abs(objective)), nodes: k == 0 ? firstNodes : solution.nodes,
                seconds: k == 0 ? firstSeconds : solution.seconds, solves: k == 0 ? sweep.solves : 1)
            children.append(makeChild(architecture, groups: groups, choices: solution.choices, objective: objective,
                solver: report, configuration: configuration, predictions: predictions, rows: rowsAtConfiguration,
                request: request))
        }
        return SearchOutcome(children: children, infeasibility: nil, parentPredictions: provider.parentPredictions,
            request: request)
    }

    /// The configuration at which `choices` meet every row with the highest throughput (the
    /// geometric mean over scenarios of throughput relative to the parent's), with its rows and
    /// predictions.
    static func bestConfiguration(for choices: [Int], architecture: Architecture, configurations: [Configuration],
        fallback: Int, provider: RowProvider, groups: [SearchGroup], request: SearchRequest, statRows: [LinearRow],
        chosenRows: [LinearRow]) throws -> (Configuration, [LinearRow], [ScenarioPrediction])
    {
        var best = (configurations[fallback], chosenRows, try provider.predictions(architecture, configurations[fallback]))
        guard configurations.count > 1 else { return best }
        func score(_ p: [ScenarioPrediction]) -> Double {
            let parents = provider.parentPredictions
            var logSum = 0.0
            for (i, q) in p.enumerated() {
                let reference = i < parents.count ? parents[i].throughputPerGPU : 1
                logSum += log(Swift.max(q.throughputPerGPU, 1e-300) / reference)
            }
            return logSum
        }
        var bestScore = score(best.2)
        // Every other configuration's rows and predictions, side by side; then the choice in
        // configuration order (the same on one core or many).
        var found = [(rows: [LinearRow], predictions: [ScenarioPrediction])??](repeating: nil, count: configurations.count)
        var failure: Error?
        let lock = NSLock()
        found.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            nonisolated(unsafe) var firstError: Error?
            let work: @Sendable (Int) -> Void = { c in
                guard c != fallback else { return }
                do {
                    let rows = try provider.rows(configurations[c], groups: groups, constraints: request.constraints) + statRows
                    guard Frontier.satisfies(choices, rows: rows), let p = try? provider.predictions(architecture, configurations[c]) else {
                        out[c] = .some(nil)
                        return
                    }
                    out[c] = (rows, p)
                } catch {
                    lock.lock()
                    if firstError == nil { firstError = error }
                    lock.unlock()
                }
            }
            if request.concurrent {
                DispatchQueue.concurrentPerform(iterations: configurations.count) { work($0) }
            } else {
                for c in configurations.indices { work(c) }
            }
            failure = firstError
        }
        if let failure { throw failure }
        for (c, entry) in found.enumerated() where c != fallback {
            guard case .some(.some(let hit)) = entry else { continue }
            let value = score(hit.predictions)
            if value > bestScore + 1e-12 {
                best = (configurations[c], hit.rows, hit.predictions)
                bestScore = value
            }
        }
        return best
    }

    /// Configurations in a good order to find a strong incumbent early: every fourth ladder step
    /// first (a coarse scan), then the rest.
    static func promisingFirst(_ configurations: [Configuration]) -> [Int] {
        let coarse = configurations.indices.filter { (configurations[$0].ladder ?? 0) % 4 == 0 }
        let fine = configurations.indices.filter { (configurations[$0].ladder ?? 0) % 4 != 0 }
        return coarse + fine
    }

    /// Rows without those implied by another: row B (a `<=` row) is implied by row A when A's
    /// coefficient is at least B's for every candidate and A's budget at most B's. With several
    /// scenarios the memory rows differ only in the KV term's factor b x (ISL + OSL), so the
    /// largest implies the others exactly.
    /// - Complexity: O(R^2 x candidates).
    static func withoutImpliedRows(_ rows: [LinearRow]) -> [LinearRow] {
        var keep = [Bool](repeating: true, count: rows.count)
        for b in rows.indices where rows[b].min == nil {
            for a in rows.indices where a != b && keep[a] && rows[a].min == nil && rows[a].max <= rows[b].max {
                var implies = true
                outer: for (ca, cb) in zip(rows[a].coefficients, rows[b].coefficients) {
                    for (x, y) in zip(ca, cb) where x < y {
                        implies = false
                        break outer
                    }
                }
                if implies {
                    keep[b] = false
                    break
                }
            }
        }
        return rows.indices.filter { keep[$0] }.map { rows[$0] }
    }

    /// The knapsack of `groups` under `rows`. Rows whose coefficients are stored per shape (the
    /// cost model's) give every group of a shape the same weight arrays, built once.
    /// - Complexity: O(groups x candidates x rows), with one weight array per shape and candidate
    ///   when every row is per shape.
    static func makeProblem(groups: [SearchGroup], metric: String, rows allRows: [LinearRow], sense: Problem.Sense) -> Problem {
        makeProblem(groups: groups, values: values(groups: groups, metric: metric), rows: allRows, sense: sense)
    }

    /// Every candidate's `metric` score (0 when missing), by group and candidate: the part of a
    /// knapsack that no configuration changes, looked up once per search instead of per solve.
    static func values(groups: [SearchGroup], metric: String) -> [[Double]] {
        groups.map { group in group.candidates.map { $0.scores[metric] ?? 0 } }
    }

    /// `makeProblem` with the candidates' scores given (`values(groups:metric:)`).
    static func makeProblem(groups: [SearchGroup], values: [[Double]], rows allRows: [LinearRow], sense: Problem.Sense) -> Problem {
        let rows = withoutImpliedRows(allRows)
        var shapeWeights: [[[Double]]]?
        if !rows.isEmpty, rows.allSatisfy({ $0.shapeCoefficients != nil }) {
            let shapeCount = (groups.map(\.shape).max() ?? -1) + 1
            shapeWeights = (0..<shapeCount).map { shape in
                let count = rows[0].shapeCoefficients?[shape].count ?? 0
                return (0..<count).map { i in rows.map { $0.shapeCoefficients?[shape][i] ?? 0 } }
            }
        }
        var knapsackGroups: [Problem.Group] = []
        knapsackGroups.reserveCapacity(groups.count)
        for (g, group) in groups.enumerated() {
            var items: [Problem.Item] = []
            items.reserveCapacity(group.candidates.count)
            // By index: a candidate copied out of the array would retain its name, variants, scores
            // and stats for every item of every configuration's knapsack.
            for i in group.candidates.indices {
                let weights = shapeWeights?[group.shape][i] ?? rows.map { $0.coefficients[g][i] }
                items.append(Problem.Item(name: group.candidates[i].name, value: values[g][i], weights: weights))
            }
            knapsackGroups.append(Problem.Group(name: group.name, items: items))
        }
        return Problem(sense: sense, groups: knapsackGroups,
            rows: rows.map { Problem.Row(name: $0.name, max: $0.max, min: $0.min) })
    }

    static func solve(_ problem: Problem, options: SolveOptions) throws -> Solution {
        do {
            return try Solver.solve(problem, options: options)
        } catch {
            throw SearchError.internalProblemRejected("\(error)")
        }
    }

    static func solveDiverse(_ problem: Problem, count: Int, minDifferent: Int, options: SolveOptions,
                             each: ((Int, Solution) -> Void)? = nil) throws -> [Solution] {
        do {
            return try Solver.solveDiverse(problem, count: count, minDifferent: minDifferent, options: options, each: each)
        } catch {
            throw SearchError.internalProblemRejected("\(error)")
        }
    }

    /// A child with its measured-stat sums and the achieved value of every budget at `rows`.
    static func makeChild(_ architecture: Architecture, groups: [SearchGroup], choices: [Int], objective: Double,
        solver: SolverReport, configuration: Configuration, predictions: [ScenarioPrediction], rows: [LinearRow],
        request: SearchRequest) -> Child
    {
        // The objective recomputed from the scores with a compensated sum: the same value as the
        // solver's up to rounding, printed without float noise (0.41894, not 0.4189399999999999).
        let metric = request.objective.name
        let exact = accurateSum(zip(groups, choices).map { $0.candidates[$1].scores[metric] ?? 0 })
        let value = abs(exact - objective) <= 1e-9 * Swift.max(1, abs(objective)) ? exact : objective
        var report = solver
        report.objective = value
        var child = Child(architecture: architecture, groups: groups, choices: choices, objective: value, solver: report,
            tp: configuration.tp, batchSize: configuration.batch, predictions: predictions, constraints: [],
            measuredStats: MeasuredRows.statSums(groups: groups, choices: choices))
        child.constraints = reports(child: child, rows: rows, request: request)
        return child
    }

    /// The achieved value of every user constraint, checked against its budget.
    static func reports(child: Child, rows: [LinearRow], request: SearchRequest) -> [ConstraintReport] {
        var out: [ConstraintReport] = []
        for row in rows {
            guard let index = row.constraint else { continue }
            let constraint = request.constraints[index]
            let achieved = row.toConstraintUnit(row.sum(child.choices))
            let atMargin = achieved * (request.margin?.factor(constraint) ?? 1)
            let tolerance = 1e-9 * Swift.max(1, abs(constraint.budget))
            let ok = constraint.isUpperBound ? atMargin <= constraint.budget + tolerance : atMargin >= constraint.budget - tolerance
            let scenario = row.scenario.map { child.predictions.indices.contains($0) ? child.predictions[$0].scenarioName : nil } ?? nil
            out.append(ConstraintReport(constraint: constraint, scenario: scenario, achieved: achieved, achievedAtMargin: atMargin,
                satisfied: ok))
        }
        return out
    }

    /// Why no configuration has a solution: the row the solver names, turned back into the
    /// user's constraint and unit, with the best value reached over all configurations.
    static func explain(attempts: [([LinearRow], Solution)], request: SearchRequest) -> Infeasibility? {
        var found: [Infeasibility] = []
        for (rows, solution) in attempts {
            // Implied rows are dropped before solving: find the solver's row by name.
            guard let info = solution.infeasibility, let name = info.rowName, let achievable = info.achievable,
                let row = rows.first(where: { $0.name == name })
            else {
                continue
            }
            let constraint: Constraint = row.constraint.map { request.constraints[$0] } ?? .maxMemoryBytes(row.toConstraintUnit(row.max))
            // A user budget's best value is reported at the search's margin (the device row is not scaled).
            let margin = row.constraint == nil ? nil : request.margin
            found.append(Infeasibility(constraint: constraint,
                scenario: row.scenario.map { request.model?.scenarios[$0].description ?? "" },
                bestAchievable: row.toConstraintUnit(achievable) * (margin?.factor(constraint) ?? 1), margin: margin?.label))
        }
        // Name a user budget rather than the device's memory when one is at fault somewhere, and
        // report the best value any configuration reached for it.
        let userKeys = Set(request.constraints.map(\.key))
        let pool = found.contains { userKeys.contains($0.constraint.key) } ? found.filter { userKeys.contains($0.constraint.key) } : found
        guard let first = pool.first else { return nil }
        let same = pool.filter { $0.constraint.key == first.constraint.key }
        return same.min { a, b in
            a.constraint.isUpperBound ? a.bestAchievable < b.bestAchievable : a.bestAchievable > b.bestAchievable
        }
    }
}
