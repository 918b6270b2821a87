import Foundation
import Plot
import PuzzleCore
import Search

/// `puzzle frontier`: every optimal child along a budget sweep.
enum FrontierCommand {
    static let help = """
        usage: puzzle frontier --library LIB --sweep NAME=START:STOP:COUNT [search options]
                               [--format table|csv|json] [--svg FILE] [--export-puzzletron CSV]

        Solves the search at COUNT budgets of one constraint, evenly spaced from START to STOP, and
        prints the optimal child at each: NAME is speedup (2.2 or 2.2x), throughput (tokens/s/GPU),
        memory (60GiB), latency (TPOT: 40ms), ttft (2s), params (52B), active-params (3B), max:STAT or min:STAT (the
        stat's own unit); START and STOP take the units of the matching search budget. Every other
        budget and option of `puzzle search` applies at every point (except --diverse).
        Work is reused between budgets (loosest first; an optimum that still fits stays optimal).

        --format csv prints budget,status,objective,throughputPerGPU,speedup,parameters,kvHeads,batch,tp,
        throughputPerGPULow,throughputPerGPUHigh (first scenario; low/high: the prediction's 80% band,
        docs/cost-model.md); json an array of {budget, status, objective, parameters, kvHeads,
        predicted [...], infeasible}. --svg FILE draws the objective against throughput per GPU
        with the parent marked. --export-puzzletron CSV writes puzzletron's mip_sweep_results.csv
        (compression_rate, target/actual/teacher memory in MiB, num_params; its accuracy columns,
        which puzzletron measures on realized models, stay empty).

        """

    static func run(_ args: inout Arguments) throws {
        try args.help(help)
        let format = try OutputFormat.parse(&args, allowed: [.table, .csv, .json])
        let progress = try Progress.options(&args)
        let svgPath = try args.option("--svg")
        let puzzletronPath = try args.option("--export-puzzletron")
        guard let sweepText = try args.option("--sweep") else {
            throw UsageError("missing --sweep NAME=START:STOP:COUNT (e.g. speedup=1.0:4.0:40)")
        }
        let parsed = try SearchOptions.request(&args, allowDiverse: false)
        let request = parsed.request
        try args.noPositionals()
        let (template, values) = try Budgets.sweep(sweepText, stats: request.library.statNames)
        if let same = request.constraints.first(where: { $0.key == template.key }) {
            throw UsageError("\(BudgetFlags.flag(same)) is the swept budget; drop it (the sweep gives its values)")
        }
        if svgPath != nil && request.model == nil {
            throw UsageError("--svg needs predicted throughput; drop --costs measured")
        }
        let result = try Frontier.run(request, sweep: template, values: values.map(Format.clean), progress: progress.reporter())
        let points = result.points
        let parentPrediction = result.parentPredictions
        if let puzzletronPath {
            try FileIO.writeAtomically(PuzzletronExport.sweepCSV(result, request: request, sweep: template), to: puzzletronPath)
        }

        switch format {
        case .json:
            Output.json(.array(points.map { json($0) }))
        case .csv:
            var out = "budget,status,objective,throughputPerGPU,speedup,parameters,kvHeads,batch,tp,throughputPerGPULow,throughputPerGPUHigh\n"
            for p in points {
                if let c = p.child {
                    let q = c.predictions.first
                    let low: String = q?.band.map { Format.csv($0.throughputPerGPU.low) } ?? ""
                    let high: String = q?.band.map { Format.csv($0.throughputPerGPU.high) } ?? ""
                    var fields: [String] = [Format.csv(p.budget), c.solver.status.rawValue, Format.csv(c.objective)]
                    fields += [q.map { Format.csv($0.throughputPerGPU) } ?? "", q?.speedup.map(Format.csv) ?? ""]
                    fields += [String(c.architecture.parameters), String(c.architecture.kvHeadsTotal),
                        c.batchSize.map(String.init) ?? "", c.tp.map(String.init) ?? "", low, high]
                    out += fields.joined(separator: ",") + "\n"
                } else {
                    out += "\(Format.csv(p.budget)),infeasible,,,,,,,,,\n"
                }
            }
            Output.out(out)
        default:
            var t = TextTable(["budget", "status", request.objective.name, "tok/s/GPU", "band (80%)", "speedup", "params", "KV heads", "batch", "TP"])
            for p in points {
                if let c = p.child {
                    let q = c.predictions.first
                    let band: String = q?.band.map { Format.fixed($0.throughputPerGPU.low, 0) + "-" + Format.fixed($0.throughputPerGPU.high, 0) } ?? "-"
                    t.add([Format.fixed(p.budget, 4), c.solver.status.rawValue, Format.fixed(c.objective, 4),
                        q.map { Format.fixed($0.throughputPerGPU, 0) } ?? "-", band,
                        q?.speedup.map { Format.fixed($0, 2) + "x" } ?? "-",
                        Format.count(Double(c.architecture.parameters)), String(c.architecture.kvHeadsTotal),
                        c.batchSize.map(String.init) ?? "-", c.tp.map(String.init) ?? "-"])
                } else {
                    t.add([Format.fixed(p.budget, 4), "infeasible", "-", "-", "-", "-", "-", "-", "-", "-"])
                }
            }
            Output.out(t.render())
            if let last = points.last(where: { $0.child == nil }), let inf = last.infeasibility {
                Output.out("tightest infeasible budget: \(BudgetFlags.infeasible(inf))\n")
            }
        }

        if let svgPath {
            let chartPoints = points.compactMap { p -> FrontierChart.Point? in
                guard let c = p.child, let q = c.predictions.first else { return nil }
                return FrontierChart.Point(throughput: q.throughputPerGPU, objective: c.objective,
                    label: "\(template.key) \(Format.fixed(p.budget, 3)): \(request.objective.name) \(Format.fixed(c.objective, 4))")
            }
            guard !chartPoints.isEmpty else {
                throw CommandFailure("--svg: no budget of the sweep has a child; wrote nothing to \(svgPath)")
            }
            let parent = parentPrediction.first.map {
                FrontierChart.Point(throughput: $0.throughputPerGPU, objective: request.library.parentObjective(request.objective.name), label: "parent")
            }
            let scenario = parentPrediction.first.map { "\($0.scenarioName)" } ?? ""
            let chart = FrontierChart(title: "\(request.library.parent.name): optimal children along \(template.key)",
                subtitle: request.model.map { "\($0.gpu.name), \($0.dtype.rawValue), ISL/OSL \(scenario); \(points.count) budgets" },
                throughputTitle: "output tokens/s per GPU (\(scenario))", objectiveTitle: "\(request.objective.name) (sum over blocks, \(request.objective.direction == .lower ? "lower" : "higher") is better)",
                points: chartPoints, parent: parent)
            try FileIO.writeAtomically(chart.svg(), to: svgPath)
        }
    }

    static func json(_ p: Frontier.Point) -> JSONValue {
        var o = JSONObject()
        o["budget"] = .number(p.budget)
        if let c = p.child {
            o["status"] = .string(c.solver.status.rawValue)
            o["objective"] = .number(c.objective)
            o["parameters"] = .number(c.architecture.parameters)
            o["kvHeads"] = .number(c.architecture.kvHeadsTotal)
            o["batchSize"] = c.batchSize.map { .number($0) } ?? .null
            o["tp"] = c.tp.map { .number($0) } ?? .null
            o["predicted"] = .array(c.predictions.map(Manifest.prediction))
            o["layers"] = .array(c.architecture.layers.map { ["attention": .string($0.attention.name), "ffn": .string($0.ffn.name)] })
        } else {
            o["status"] = "infeasible"
            o["objective"] = .null
            o["infeasible"] = p.infeasibility.map { .string(BudgetFlags.infeasible($0)) } ?? .null
        }
        return .object(o)
    }
}
