import ModelArchitecture
import BlockLibraries
import Foundation
import Knapsack
import PuzzleCore

/// `puzzle frontier`: the optimal child at every budget of a sweep of one constraint
/// (e.g. `speedup=1.0:4.0:40`), reusing work between budgets.
///
/// Budgets are visited from the loosest to the tightest. Per TP x batch configuration the last
/// optimum is kept: when it still meets a tighter budget it is optimal there too (the feasible
/// set only shrank), and a configuration proven infeasible stays infeasible. Only the remaining
/// configurations are re-solved.
public enum Frontier {
    public struct Point: Sendable {
        public var budget: Double
        /// The best child at this budget, or nil when none meets it.
        public var child: Child?
        public var infeasibility: Infeasibility?
    }

    /// The points in the order of `values`, and the parent's predictions per scenario.
    public struct Result: Sendable {
        public var points: [Point]
        public var parentPredictions: [ScenarioPrediction]
    }

    public static func run(_ base: SearchRequest, sweep template: Constraint, values: [Double],
        progress: (@Sendable (String) -> Void)? = nil) throws -> Result
    {
        // The swept constraint goes last; every other budget holds at every point.
        var request = try Searcher.normalized(base)
        let template = request.model == nil ? template.forMeasuredCosts : template
        request.constraints = request.constraints.filter { $0.key != template.key } + [template]
        request = try Searcher.normalized(request)
        request.diverseCount = 1
        let sweptIndex = request.constraints.count - 1
        let provider: RowProvider = try request.model.map { try ModelRows(settings: $0, request: request) } ?? MeasuredOnly()
        let groups = try GroupBuilder.groups(request.library, metric: request.objective.name, engine: request.engine,
            pins: request.pins, forbids: request.forbids)
        let sense: Problem.Sense = request.objective.direction == .lower ? .minimize : .maximize
        let configurations = try provider.configurations()

        // Loosest first: for an upper bound (memory, latency) large budgets are loose.
        let order = values.indices.sorted {
            template.isUpperBound ? values[$0] > values[$1] : values[$0] < values[$1]
        }
        // Budgets are split into `chunks` runs of consecutive budgets (loosest first within each),
        // solved side by side, each with its own reuse state. The split depends on the number of
        // budgets alone, so the answer is the same on one core or many.
        let chunkCount = order.count >= Self.chunkThreshold ? Self.chunks : 1
        let chunkSize = (order.count + chunkCount - 1) / chunkCount
        let slices = stride(from: 0, to: order.count, by: Swift.max(chunkSize, 1)).map { Array(order[$0..<Swift.min($0 + chunkSize, order.count)]) }
        let clock = DispatchTime.now().uptimeNanoseconds
        let context = Context(request: request, template: template, sweptIndex: sweptIndex, values: values, provider: provider,
            groups: groups, sense: sense, configurations: configurations, clock: clock, progress: progress,
            chunked: slices.count > 1)
        var results = [Swift.Result<[(Int, Point)], Error>?](repeating: nil, count: slices.count)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            let work: @Sendable (Int) -> Void = { i in
                do { out[i] = .success(try context.solve(slices[i])) } catch { out[i] = .failure(error) }
            }
            if request.concurrent && slices.count > 1 {
                DispatchQueue.concurrentPerform(iterations: slices.count) { work($0) }
            } else {
                for i in slices.indices { work(i) }
            }
        }
        var points = [Point?](repeating: nil, count: values.count)
        for r in results {
            switch r {
            case .success(let list)?: for (k, p) in list { points[k] = p }
            case .failure(let e)?: throw e
            case nil: break
            }
        }
        return Result(points: points.compactMap { $0 }, parentPredictions: provider.parentPredictions)
    }

    /// Budgets at or above this count are split into `chunks` runs solved side by side.
    static let chunkThreshold = 16
    static let chunks = 2

    /// Everything one run of budgets needs; `solve` visits its budgets loosest first with its own
    /// configuration states (an optimum that still meets a tighter budget stays optimal there).
    struct Context: Sendable {
        var request: SearchRequest
        var template: Constraint
        var sweptIndex: Int
        var values: [Double]
        var provider: RowProvider
        var groups: [SearchGroup]
        var sense: Problem.Sense
        var configurations: [Configuration]
        var clock: UInt64
        var progress: (@Sendable (String) -> Void)?
        /// Whether runs of budgets go side by side (then each run solves its rounds on one core:
        /// the cores are busy with the runs; the answer is the same either way).
        var chunked = false

        func solve(_ order: [Int]) throws -> [(Int, Point)] {
            var request = self.request
            var sweep = ConfigurationSweep(groups: groups, metric: request.objective.name, sense: sense,
                options: SolveOptions(timeLimitSeconds: request.timeLimitSeconds, explainInfeasibility: false),
                count: configurations.count, concurrent: request.concurrent && !chunked)
            var points: [(Int, Point)] = []
            var previousBest: Int?
            for (step, k) in order.enumerated() {
                if step % 20 == 0 { progress?("frontier: budget \(template.key) \(values[k]) (\(step + 1) of \(order.count) in this run)") }
                request.constraints[sweptIndex] = template.withBudget(values[k])
                let constraints = request.constraints
                // The last budget's winner first (it often still wins), then by proven bound.
                var visit = configurations.indices.sorted { sweep.states[$0].bound < sweep.states[$1].bound }
                if let p = previousBest, let at = visit.firstIndex(of: p) { visit.remove(at: at); visit.insert(p, at: 0) }
                let statRows = try Searcher.measuredRows(request, constraints: constraints, groups: groups)
                let pass = try sweep.pass(order: visit) { c in
                    try provider.rows(configurations[c], groups: groups, constraints: constraints) + statRows
                }
                guard let b = pass.best, let solution = sweep.states[b].last else {
                    var explainOptions = SolveOptions(timeLimitSeconds: request.timeLimitSeconds)
                    explainOptions.explainInfeasibility = true
                    var attempts: [([LinearRow], Solution)] = []
                    // Explaining every configuration is costly on long sweeps: the first few suffice.
                    for c in configurations.indices.prefix(8) {
                        let rows = try provider.rows(configurations[c], groups: groups, constraints: constraints) + statRows
                        let problem = Searcher.makeProblem(groups: groups, metric: request.objective.name, rows: rows, sense: sense)
                        attempts.append((rows, try Searcher.solve(problem, options: explainOptions)))
                    }
                    points.append((k, Point(budget: values[k], child: nil, infeasibility: Searcher.explain(attempts: attempts, request: request))))
                    previousBest = nil
                    continue
                }
                previousBest = b
                let architecture = GroupBuilder.architecture(parent: request.library.parent, groups: groups,
                    choices: solution.choices, name: request.childName ?? ChildName.make(request))
                let predictions = try provider.predictions(architecture, configurations[b])
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
                let report = SolverReport(status: pass.proven ? .optimal : .feasible, objective: solution.objective,
                    bound: pass.bound, gap: abs(solution.objective - pass.bound) / Swift.max(1, abs(solution.objective)),
                    nodes: sweep.nodes, seconds: seconds, solves: sweep.solves)
                let child = Searcher.makeChild(architecture, groups: groups, choices: solution.choices, objective: solution.objective,
                    solver: report, configuration: configurations[b], predictions: predictions, rows: sweep.states[b].rows,
                    request: request)
                points.append((k, Point(budget: values[k], child: child, infeasibility: nil)))
            }
            return points
        }
    }

    /// Whether `choices` meet every row (with the solver's feasibility tolerance).
    static func satisfies(_ choices: [Int], rows: [LinearRow]) -> Bool {
        for row in rows {
            let s = row.sum(choices)
            let tolerance = 1e-9 * Swift.max(1, abs(row.max.isFinite ? row.max : 0))
            if s > row.max + tolerance { return false }
            if let m = row.min, s < m - 1e-9 * Swift.max(1, abs(m)) { return false }
        }
        return true
    }
}
