import ModelArchitecture
import PuzzleCore
import Search

/// The table view of a search for a person.
enum SearchReport {
    static func table(_ outcome: SearchOutcome, costs: CostInputs?, perLayer: Bool = false, timing: Bool = true) -> String {
        let request = outcome.request
        var out = costs.map { "settings: \($0.summary)\n" } ?? "settings: measured costs (the library's stats)\n"
        if let inf = outcome.infeasibility {
            out += "status: infeasible\n\(BudgetFlags.infeasible(inf))\n"
            return out
        }
        if outcome.children.isEmpty { return "status: infeasible (no child meets the budgets)\n" }
        for (k, child) in outcome.children.enumerated() {
            if outcome.children.count > 1 { out += "\n=== child \(k + 1) of \(outcome.children.count)\n" }
            let a = child.architecture
            let parent = request.library.parent
            out += "child \(a.name): status \(child.solver.status.rawValue), \(request.objective.name) = \(Format.fixed(child.objective, 4))"
            if child.solver.status != .optimal {
                out += " (bound \(Format.fixed(child.solver.bound, 4)), gap \(Format.fixed(100 * child.solver.gap, 3))%)"
            }
            out += "\n"
            out += "solver: \(child.solver.solves) knapsack solve(s), \(child.solver.nodes) nodes"
                + (timing ? ", \(Format.fixed(child.solver.seconds * 1000, 1)) ms\n" : "\n")
            out += "parameters: \(Format.count(Double(a.parameters))) (parent \(Format.count(Double(parent.parameters)))), KV heads \(a.kvHeadsTotal) (parent \(parent.kvHeadsTotal))\n"
            if request.library.isSynthetic { out += "note: the library is synthetic (demo): scores are generated, not measured\n" }
            if !child.predictions.isEmpty {
                var t = TextTable(["scenario", "tok/s/GPU", "band (80%)", "speedup", "batch", "TP", "memory", "TTFT", "TPOT"])
                func band(_ p: ScenarioPrediction) -> String {
                    p.band.map { Format.fixed($0.throughputPerGPU.low, 0) + "-" + Format.fixed($0.throughputPerGPU.high, 0) } ?? "-"
                }
                for (i, p) in child.predictions.enumerated() {
                    t.add([p.scenarioName, Format.fixed(p.throughputPerGPU, 0), band(p), p.speedup.map { Format.fixed($0, 2) + "x" } ?? "-",
                        String(p.batchSize), String(p.tp), Format.bytes(p.memoryBytes), Format.seconds(p.ttftSeconds),
                        Format.seconds(p.tpotSeconds)])
                    if i < outcome.parentPredictions.count {
                        let q = outcome.parentPredictions[i]
                        t.add(["  parent", Format.fixed(q.throughputPerGPU, 0), band(q), "1.00x", String(q.batchSize), String(q.tp),
                            Format.bytes(q.memoryBytes), Format.seconds(q.ttftSeconds), Format.seconds(q.tpotSeconds)])
                    }
                }
                out += "\n" + t.render()
            }
            if !child.constraints.isEmpty {
                out += "\nconstraints:\n"
                for c in child.constraints {
                    let scenario = c.scenario.map { " [\($0)]" } ?? ""
                    let atMargin = request.margin != nil && c.achievedAtMargin != c.achieved
                        ? " (at margin \(request.margin?.label ?? ""): \(Infeasibility.format(c.achievedAtMargin, c.constraint)))" : ""
                    out += "  \(c.satisfied ? "ok  " : "FAIL") \(BudgetFlags.flag(c.constraint))\(scenario) \(c.constraint.isUpperBound ? "<=" : ">=") \(Infeasibility.format(c.constraint.budget, c.constraint)): achieved \(Infeasibility.format(c.achieved, c.constraint))\(atMargin)\n"
                }
            }
            if !child.measuredStats.isEmpty {
                out += "measured sums: " + child.measuredStats.sorted { $0.key < $1.key }.map { "\($0.key) \(Format.fixed($0.value, 3))" }.joined(separator: ", ") + "\n"
            }
            out += "\nlayer mix:\n"
            for m in a.layerMix {
                out += "  \(String(m.count).leftPad(4)) x  attention \(m.attention.name.padding(8)) ffn \(m.ffn.name)\n"
            }
            guard perLayer else {
                out += "(per-layer choices: --layers, or the manifest's \"layers\")\n"
                continue
            }
            var t = TextTable(["layer", "attention", "ffn", "variant"])
            for (i, layer) in a.layers.enumerated() {
                let variants = child.groups.indices.filter { child.groups[$0].layer == i }.map { child.candidate($0).name }
                t.add([String(i), layer.attention.name, layer.ffn.name,
                    variants.joined(separator: " + ").split(separator: "\t").joined(separator: " ")])
            }
            out += "\n" + t.render()
        }
        return out
    }
}
