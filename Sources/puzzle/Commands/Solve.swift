import Foundation
import Knapsack
import PuzzleCore

/// `puzzle solve FILE|- [--format json|table] [--time-limit SECONDS] [-o FILE]`
enum SolveCommand {
    static let help = """
        usage: puzzle solve FILE|- [--format json|table] [--time-limit T] [--no-timing] [-o FILE]

        Solves a multiple-choice knapsack problem exactly: one item per group, every row's
        weight sum within [min, max], minimising (or maximising) the total value.
        Input (JSON; see docs/solver.md):
          {"sense": "minimize",
           "groups": [{"name": "layer_0", "items": [{"name": "a", "value": 0.5, "weights": [10.0, 3.5]}]}],
           "rows": [{"name": "memory", "max": 80000}, {"name": "runtime", "min": 0, "max": 51200}],
           "diversity": {"solutions": 3, "minDifferent": 20},
           "pins": [{"group": "layer_0", "item": "a"}], "forbidden": [{"group": 0, "item": 1}],
           "sweep": {"row": "memory", "max": [60000, 70000, 80000]},
           "timeLimitSeconds": 60}
        diversity, pins, forbidden, sweep, timeLimitSeconds, sense and a row's min/max are optional
        (no max: unbounded). A JSON array of such problems is solved one by one (batch mode).

        Output (--format json, the default): {"status": "optimal"|"feasible"|"infeasible"|"unknown",
        "objective", "bound", "gap", "choices": [item index per group], "choiceNames", "rowSums":
        {row: sum}, "nodes", "seconds"}; infeasible answers add "infeasibleRow" and
        "leastAchievable" (or "greatestAchievable" for a min) and "message". With diversity:
        {"solutions": [...]}; with a sweep: {"sweep": [{"max": value, ...answer}]}; batch: an array.
        --time-limit overrides timeLimitSeconds (10, 500ms; at most 10^6 s); --no-timing leaves "seconds" out
        so repeated runs print identical bytes. Exit 0 for every answer, 65 for a malformed problem.

        """

    static func run(_ args: inout Arguments) throws {
        try args.help(help)
        // JSON is the default here (the answer is data); --format table prints one line per answer.
        let format = try OutputFormat.parse(&args, allowed: [.json, .table], default: .json)
        let timeLimit = try args.option("--time-limit").map { (t: String) throws(UsageError) in try Budgets.timeLimit(t) }
        let outPath = try args.option("-o", "--output")
        let timing = !(try args.flag("--no-timing"))
        let path = try args.single("FILE")
        let file = FileIO.displayName(path)
        let reader = try JSONReader.parse(try FileIO.read(path), file: file)
        let answers: JSONValue
        var text = ""
        if reader.value.arrayValue != nil {
            var out: [JSONValue] = []
            for r in try reader.array {
                let (json, t) = try answer(r, timeLimit: timeLimit, timing: timing)
                out.append(json)
                text += t
            }
            answers = .array(out)
        } else {
            (answers, text) = try answer(reader, timeLimit: timeLimit, timing: timing)
        }
        let output = format == .json ? JSONWriter.string(answers) + "\n" : text
        try Output.emit(output, to: outPath)
    }

    /// Solves one problem object; returns its JSON answer and a human summary.
    static func answer(_ r: JSONReader, timeLimit: Double?, timing: Bool = true) throws -> (JSONValue, String) {
        let request = try ProblemJSON.request(r)
        let problem = request.problem
        let options = SolveOptions(timeLimitSeconds: timeLimit ?? request.timeLimitSeconds)
        do {
            if let d = request.diversity {
                let list = try Solver.solveDiverse(problem, count: d.solutions, minDifferent: d.minDifferent, options: options)
                try check(list, problem, options, file: r.file)
                let text = list.enumerated().map { "solution \($0.offset + 1): " + summary($0.element, problem, timing: timing) }.joined()
                return (["solutions": .array(list.map { ProblemJSON.json($0, problem: problem, timing: timing) })], text)
            }
            if let s = request.sweep {
                let list = try Solver.sweep(problem, row: s.row, maxValues: s.max, options: options)
                var out: [JSONValue] = []
                var text = ""
                for (k, sol) in list.enumerated() {
                    var p = problem
                    p.rows[s.row].max = s.max[k]
                    try check([sol], p, options, file: r.file)
                    var o = JSONObject([("max", .number(s.max[k]))])
                    if case .object(let rest) = ProblemJSON.json(sol, problem: problem, timing: timing) {
                        for (key, value) in rest { o[key] = value }
                    }
                    out.append(.object(o))
                    text += "\(problem.rows[s.row].name) <= \(JSONWriter.number(s.max[k])): " + summary(sol, problem, timing: timing)
                }
                return (["sweep": .array(out)], text)
            }
            let s = try Solver.solve(problem, options: options)
            try check([s], problem, options, file: r.file)
            return (ProblemJSON.json(s, problem: problem, timing: timing), summary(s, problem, timing: timing))
        } catch let e as ProblemError {
            throw DataError(file: r.file, location: r.path.isEmpty ? e.path : "\(r.path).\(e.path)", e.message)
        }
    }

    /// Every answer is verified against the original data before it is printed.
    static func check(_ list: [Solution], _ problem: Problem, _ options: SolveOptions, file: String) throws {
        for s in list {
            do {
                try verify(s, against: problem, options: options)
            } catch {
                throw CommandFailure("\(file): internal error: the solver's answer failed verification against the problem: \(error)")
            }
        }
    }

    static func summary(_ s: Solution, _ p: Problem, timing: Bool = true) -> String {
        switch s.status {
        case .infeasible:
            return "infeasible: \(s.infeasibility?.message ?? "")\n"
        case .unknown:
            return "unknown: time limit reached without a solution (bound \(JSONWriter.number(s.bound)))\n"
        case .optimal, .feasible:
            let sums = zip(p.rows, s.rowSums).map { "\($0.name) \(JSONWriter.number($1))" }.joined(separator: ", ")
            return "\(s.status.rawValue): objective \(JSONWriter.number(s.objective)), bound \(JSONWriter.number(s.bound)), gap \(JSONWriter.number(s.gap)), \(s.nodes) nodes\(timing ? ", \(String(format: "%.6f", s.seconds)) s" : ""); \(sums)\n"
        }
    }
}
