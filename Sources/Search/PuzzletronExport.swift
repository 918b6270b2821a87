import ModelArchitecture
import BlockLibraries
import PuzzleCore

/// Why a child cannot be written in puzzletron's formats.
public enum PuzzletronExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The chosen candidate has no puzzletron replacement (weights) in the library: it was not
    /// imported from a puzzletron run, so puzzletron's realize step could not build it.
    case noReplacement(layer: Int, candidate: String)
    /// The library does not cover the layer, so the child has no replacement for it.
    case layerNotCovered(layer: Int)

    public var description: String {
        switch self {
        case .noReplacement(let layer, let candidate):
            return "layer \(layer) candidate '\(candidate)' has no puzzletron replacement (weight paths): only libraries imported from a puzzletron run can be realized by puzzletron"
        case .layerNotCovered(let layer):
            return "layer \(layer) is not in the library, so the child has no replacement for it"
        }
    }
}

/// Writes a searched child in the formats of NVIDIA Model-Optimizer's puzzletron
/// (`modelopt/torch/puzzletron`, schema as of commit a2fbac7b):
///
/// - `solutions(_:)`: the `solutions.json` that `run_single_puzzle_config`
///   (`mip/run_puzzle.py`) writes and that the realize step reads
///   (`validate_puzzle_solutions` -> `load_puzzle_solutions` and
///   `_extract_layer_replacements_from_puzzle_solution` in
///   `tools/validate_puzzle_with_multi_replacements.py`: per chosen replacement its
///   `layer_replacement` = `{parent_layer_indices, child_block_configs, weight_paths}`). A list
///   with one solution; `[]` when no child meets the budgets, as upstream writes then.
/// - `sweepCSV(_:request:sweep:)`: `mip_sweep_results.csv` as `write_results_to_csv`
///   (`mip/sweep.py`) writes it, one row per budget of a frontier.
public enum PuzzletronExport {
    /// The replacement a library imported from a puzzletron run keeps for each candidate
    /// (`metadata.puzzletron.replacements`), by "layer|variant".
    struct Provenance {
        var blockConfig: JSONValue
        var layerReplacement: JSONValue
        var isTeacher: Bool
    }

    static func provenance(_ library: BlockLibrary) -> [String: Provenance] {
        var out: [String: Provenance] = [:]
        for entry in library.metadata["puzzletron"]?["replacements"]?.arrayValue ?? [] {
            guard let layer = entry["layer"]?.intValue, let name = entry["variant"]?.stringValue,
                let config = entry["block_config"], let replacement = entry["layer_replacement"]
            else { continue }
            out["\(layer)|\(name)"] = Provenance(blockConfig: config, layerReplacement: replacement,
                isTeacher: entry["is_teacher"]?.boolValue ?? false)
        }
        return out
    }

    /// `solutions.json` of the outcome's first child (`[]` when infeasible).
    public static func solutions(_ outcome: SearchOutcome) throws(PuzzletronExportError) -> JSONValue {
        guard let child = outcome.children.first else { return [] }
        return .array([try solution(child, request: outcome.request)])
    }

    /// The file's text: `solutions(_:)` pretty-printed, ending with a newline.
    public static func solutionsText(_ outcome: SearchOutcome) throws(PuzzletronExportError) -> String {
        JSONWriter.string(try solutions(outcome)) + "\n"
    }

    /// One solution object: `chosen_replacements`, `total_value`, `total_costs`, `puzzle_args`,
    /// `subblock_stats`, `chosen_block_configs`, `solution_repr`.
    static func solution(_ child: Child, request: SearchRequest) throws(PuzzletronExportError) -> JSONValue {
        let library = request.library
        let known = provenance(library)
        let costs = library.measurement?.puzzletron
        let metricOrder = library.metrics.map(\.name)
        // The chosen candidate(s) of every layer (one for joint layers, attention + FFN otherwise).
        var byLayer: [Int: [Candidate]] = [:]
        for (g, group) in child.groups.enumerated() { byLayer[group.layer, default: []].append(child.candidate(g)) }

        var chosen: [JSONValue] = []
        var blockConfigs: [JSONValue] = []
        var repr = ""
        for layer in 0..<library.parent.layers.count {
            guard let picks = byLayer[layer], !picks.isEmpty else { throw PuzzletronExportError.layerNotCovered(layer: layer) }
            guard picks.count == 1, let candidate = picks.first, let p = known["\(layer)|\(candidate.name)"] else {
                throw PuzzletronExportError.noReplacement(layer: layer, candidate: picks.map(\.name).joined(separator: " + "))
            }
            var e = JSONObject()
            e["block_config"] = p.blockConfig
            if p.isTeacher { e["block_idx"] = .number(layer) }
            e["parent_layer_indices"] = [.number(layer)]
            var metrics = JSONObject()
            for name in metricOrder { if let v = candidate.scores[name] { metrics[name] = .number(v) } }
            e["metrics"] = .object(metrics)
            e["layer_replacement"] = p.layerReplacement
            e["is_teacher"] = .bool(p.isTeacher)
            e["stats"] = .object(JSONObject(candidate.stats.sorted { $0.key < $1.key }.map { ($0.key, number($0.value)) }))
            e["block_repr"] = .string(blockRepr(p.blockConfig))
            // run_mip: `cr["child_block_configs"] = cr["block_config"]` (a single config here).
            e["child_block_configs"] = p.blockConfig
            chosen.append(.object(e))
            blockConfigs.append(p.blockConfig)
            repr += "block_\(layer):".padding(toLength: max(9, "block_\(layer):".count), withPad: " ", startingAt: 0) + blockRepr(p.blockConfig) + "\n"
        }

        let objectiveKey = "metrics.\(request.objective.name)"
        var solution = JSONObject()
        solution["chosen_replacements"] = .array(chosen)
        solution["total_value"] = .object(JSONObject([(objectiveKey, .number(child.objective))]))
        solution["total_costs"] = .object(totalCosts(child, request: request))
        solution["puzzle_args"] = puzzleArgs(request)
        solution["subblock_stats"] = costs.map { .object($0.args) } ?? .null
        solution["chosen_block_configs"] = .array(blockConfigs)
        solution["solution_repr"] = .string(repr)
        return .object(solution)
    }

    /// `stats.X` = the chosen blocks' X plus the non-block X, for every stat all chosen blocks
    /// carry (the budgets' stats first), and `throughput` = 1000 b g / `stats.runtime_ms`, as
    /// `run_single_puzzle_config` reports them.
    static func totalCosts(_ child: Child, request: SearchRequest) -> JSONObject {
        let costs = request.library.measurement?.puzzletron
        let sums = child.measuredStats
        var order: [String] = []
        for c in request.constraints {
            if let stat = statName(c), sums[stat] != nil, !order.contains(stat) { order.append(stat) }
        }
        for stat in sums.keys.sorted() where !order.contains(stat) { order.append(stat) }
        var out = JSONObject()
        for stat in order {
            guard let sum = sums[stat] else { continue }
            out["stats.\(stat)"] = number(sum + (costs?.nonBlockCost(stat) ?? 0))
        }
        if let costs, let runtime = out["stats.runtime_ms"]?.doubleValue, runtime > 0 {
            out["throughput"] = .number(1000 * Double(costs.batchSize) * Double(costs.generationLength) / runtime)
        }
        return out
    }

    /// The stat a budget bounds with measured puzzletron costs.
    static func statName(_ c: Constraint) -> String? {
        switch c {
        case .maxMemoryBytes: return "memory_mib"
        case .minThroughputPerGPU, .maxLatencySeconds, .maxTPOTSeconds: return "runtime_ms"
        case .maxTTFTSeconds: return "prefill_runtime_ms"
        case .maxParameters: return "num_params"
        case .maxStat(let s, _), .minStat(let s, _): return s
        case .speedup, .maxActiveParameters: return nil
        }
    }

    /// The MIP arguments this solution corresponds to, in `run_puzzle`'s names.
    static func puzzleArgs(_ request: SearchRequest) -> JSONValue {
        let costs = request.library.measurement?.puzzletron
        var human = JSONObject()
        var mip = JSONObject()
        var runtimeBudgets: [Double] = []
        for c in request.constraints {
            switch c {
            case .maxMemoryBytes(let bytes):
                human["target_memory"] = .number(bytes / 1_048_576)
                mip["stats.memory_mib"] = .number(bytes / 1_048_576)
            case .minThroughputPerGPU(let t):
                human["target_throughput"] = .number(t)
                if let costs { runtimeBudgets.append(Double(costs.batchSize) * Double(costs.generationLength) / t) }
            case .maxLatencySeconds(let s), .maxTPOTSeconds(let s):
                human["target_latency_seconds"] = .number(s)
                runtimeBudgets.append(s)
            case .maxTTFTSeconds(let s):
                human["target_time_to_first_token"] = .number(s)
                mip["stats.prefill_runtime_ms"] = .number(1000 * s)
            case .maxParameters(let n):
                human["num_params"] = .number(n)
                mip["stats.num_params"] = .number(n)
            case .maxStat(let s, let v):
                mip["stats.\(s)"] = .number(v)
            case .minStat(let s, let v):
                mip["stats.\(s)"] = [.number(v), .null]
            case .speedup, .maxActiveParameters:
                continue
            }
        }
        if let least = runtimeBudgets.min() { mip["stats.runtime_ms"] = .number(1000 * least) }
        var args = JSONObject()
        args["objective"] = .string("metrics.\(request.objective.name)")
        args["bigger_is_better"] = .bool(request.objective.direction == .higher)
        if let a = costs?.args {
            var selected = JSONObject()
            for key in ["batch_size", "weights_dtype", "activations_dtype", "kv_cache_dtype"] { if let v = a[key] { selected[key] = v } }
            args["subblock_stats_args"] = .object(selected)
        } else {
            args["subblock_stats_args"] = .null
        }
        args["human_constraints"] = human.isEmpty ? .null : .object(human)
        args["mip_constraints"] = .object(mip)
        args["max_seconds_per_solution"] = request.timeLimitSeconds.map { .number($0) } ?? .null
        args["solver"] = "puzzle: exact multiple-choice knapsack (branch and bound), proven optimal unless a time limit stopped it"
        return .object(args)
    }

    /// upstream `block_config_to_str`: `  attention  kv_heads_8  ffn  intermediate_14336`.
    static func blockRepr(_ config: JSONValue) -> String {
        func sub(_ name: String, _ value: String) -> String {
            let v = "  \(value)"
            return "  \(name)" + v.padding(toLength: max(8, v.count), withPad: " ", startingAt: 0)
        }
        // Python's str() of a JSON scalar as upstream formats it (None for null).
        func py(_ v: JSONValue?) -> String {
            guard let v, !v.isNull else { return "None" }
            if let i = v.intValue { return String(i) }
            return v.stringValue ?? JSONWriter.string(v)
        }
        func describe(_ s: JSONValue?, _ kind: String) -> String {
            guard let s, s.objectValue != nil else { return sub(kind, "?") }
            var name = kind
            if kind == "attention", let m = s["mamba"], !m.isNull { name = "mamba" }
            if kind == "ffn", let m = s["moe"], !m.isNull { name = "moe" }
            if s["no_op"]?.boolValue == true { return sub(name, "no_op") }
            if s["replace_with_linear"]?.boolValue == true { return sub(name, "linear") }
            switch name {
            case "ffn": return sub(name, "intermediate_\(py(s["intermediate_size"]))")
            case "attention": return sub(name, "kv_heads_\(py(s["num_key_value_heads"]))")
            case "moe":
                let m = s["moe"]
                return sub(name, "num_experts_\(py(m?["num_local_experts"]))  expert_intermediate_dim_\(py(m?["expert_intermediate_dim"]))"
                    + "  shared_expert_intermediate_dim_\(py(m?["shared_expert_intermediate_dim"]))  num_experts_per_tok_\(py(m?["num_experts_per_tok"]))")
            default: return sub(name, "?")
            }
        }
        return describe(config["attention"], "attention") + describe(config["ffn"], "ffn")
    }

    /// Integral stats (counts) as integers, the rest as reals.
    static func number(_ v: Double) -> JSONValue {
        if v == v.rounded(), abs(v) < 9.0e15 { return .int(Int64(v)) }
        return .number(v)
    }

    // MARK: sweep CSV

    /// The columns of `write_results_to_csv` (`mip/sweep.py`).
    public static let sweepColumns = ["compression_rate", "target_memory_mib", "actual_memory_mib", "teacher_memory_mib",
        "num_params", "lm_loss", "token_accuracy_top_1", "token_accuracy_top_5", "token_accuracy_top_10"]

    /// `mip_sweep_results.csv` for a frontier: per budget, the memory target (the swept memory
    /// budget, else a fixed one), the child's total `memory_mib` and `num_params` (non-block
    /// included), the teacher's memory (the parent's blocks plus non-block, as
    /// `get_teacher_memory_from_subblock_stats`) and `compression_rate` = target / teacher.
    /// Upstream fills `lm_loss` and the token accuracies by validating each realized model; a
    /// search has no such measurement, so they stay empty (as upstream writes `None`). An
    /// infeasible budget keeps its target and teacher columns and leaves the child's empty.
    public static func sweepCSV(_ result: Frontier.Result, request: SearchRequest, sweep template: Constraint) -> String {
        let library = request.library
        let costs = library.measurement?.puzzletron
        let nbMemory = costs?.nonBlockCost("memory_mib") ?? 0
        let nbParams = costs?.nonBlockCost("num_params") ?? 0
        // The teacher's memory: per layer the candidate that keeps the parent's block.
        let known = provenance(library)
        var teacherMemory: Double? = nbMemory
        for layer in library.layers {
            let candidates = layer.allCandidates
            var teacher: [Candidate] = []
            if case .joint(let c) = layer.layout, let t = c.first(where: { known["\(layer.index)|\($0.name)"]?.isTeacher == true }) {
                teacher = [t]
            } else {
                teacher = zip(layer.groups, layer.parentPicks(library.parent.dimensions)).compactMap { g, i in i.map { g[$0] } }
                if teacher.count != layer.groups.count { teacher = [] }
            }
            if teacher.isEmpty || candidates.isEmpty { teacherMemory = nil; break }
            for t in teacher {
                guard let m = t.stats["memory_mib"], let total = teacherMemory else { teacherMemory = nil; break }
                teacherMemory = total + m
            }
        }
        if library.layers.count != library.parent.layers.count { teacherMemory = nil }

        // Python's csv module ends rows with \r\n.
        var out = sweepColumns.joined(separator: ",") + "\r\n"
        for point in result.points {
            var target: Double?
            switch template {
            case .maxMemoryBytes: target = point.budget / 1_048_576
            case .maxStat("memory_mib", _): target = point.budget
            default:
                for c in request.constraints {
                    if case .maxMemoryBytes(let b) = c { target = b / 1_048_576 }
                    if case .maxStat("memory_mib", let v) = c { target = v }
                }
            }
            let compression = target.flatMap { t in teacherMemory.map { t / $0 } }
            var actual: String = ""
            var parameters: String = ""
            if let child = point.child {
                actual = child.measuredStats["memory_mib"].map { python($0 + nbMemory) } ?? ""
                parameters = child.measuredStats["num_params"].map { pythonCount($0 + nbParams) } ?? String(child.architecture.parameters)
            }
            let row = [compression.map(python) ?? "", target.map(python) ?? "", actual, teacherMemory.map(python) ?? "", parameters,
                "", "", "", ""]
            out += row.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// A real as Python's `str(float)` writes it (shortest round trip: `390.877197265625`, `600.0`).
    static func python(_ v: Double) -> String { "\(v)" }

    /// A count as Python writes an `int` (no fraction), or as a real when it has one.
    static func pythonCount(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 9.0e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
