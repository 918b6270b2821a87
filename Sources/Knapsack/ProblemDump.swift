import Foundation

/// A diagnostic hook for benchmarks: when the environment variable `PUZZLE_KNAPSACK_DUMP` names a
/// file, `Solver.solveDiverse` writes its problem there (overwriting it) in the `puzzle solve`
/// JSON format, with its `diversity` request. This is how `bench/solver_bench.py` obtains the
/// knapsack behind `puzzle search --diverse` (the demo library's cost-model rows) without
/// reimplementing the cost model. Nothing is written when the variable is unset; a write that
/// fails is ignored (it is a diagnostic, never part of an answer).
enum ProblemDump {
    static let variable = "PUZZLE_KNAPSACK_DUMP"

    static func dumpIfRequested(_ problem: Problem, diversity: (solutions: Int, minDifferent: Int)?) {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else { return }
        try? Data(json(problem, diversity: diversity).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The problem as `puzzle solve` JSON (numbers in Swift's shortest round-trip form).
    static func json(_ p: Problem, diversity: (solutions: Int, minDifferent: Int)?) -> String {
        func string(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }
        var out = "{\"sense\":\(string(p.sense.rawValue)),\"rows\":["
        out += p.rows.map { row in
            var fields = ["\"name\":\(string(row.name))"]
            if row.max.isFinite { fields.append("\"max\":\(row.max)") }
            if let lo = row.min, lo.isFinite { fields.append("\"min\":\(lo)") }
            return "{" + fields.joined(separator: ",") + "}"
        }.joined(separator: ",")
        out += "],\"groups\":["
        out += p.groups.map { g in
            "{\"name\":\(string(g.name)),\"items\":[" + g.items.map { item in
                "{\"name\":\(string(item.name)),\"value\":\(item.value),\"weights\":[" + item.weights.map { "\($0)" }.joined(separator: ",") + "]}"
            }.joined(separator: ",") + "]}"
        }.joined(separator: ",")
        out += "]"
        func choices(_ list: [Problem.Choice]) -> String {
            "[" + list.map { "{\"group\":\($0.group),\"item\":\($0.item)}" }.joined(separator: ",") + "]"
        }
        if !p.pins.isEmpty { out += ",\"pins\":" + choices(p.pins) }
        if !p.forbidden.isEmpty { out += ",\"forbidden\":" + choices(p.forbidden) }
        if let d = diversity { out += ",\"diversity\":{\"solutions\":\(d.solutions),\"minDifferent\":\(d.minDifferent)}" }
        return out + "}\n"
    }
}
