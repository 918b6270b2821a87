import ModelArchitecture
import BlockLibraries
import PuzzleCore

/// The search manifest (JSON; documented in docs/formats.md): what was chosen, why it is optimal,
/// what it is predicted to do, and the child as its family's config (DeciLM or AnyModel) under `architecture` (so that
/// `puzzle inspect`/`cost`/`compare` accept a manifest as MODEL).
public enum Manifest {
    public static let version = 1

    /// The manifest of one child (nil: the infeasible answer). `timing: false` leaves out the
    /// solver's seconds, so that repeated runs print identical bytes.
    public static func json(_ outcome: SearchOutcome, child: Child?, timing: Bool = true) -> JSONValue {
        let request = outcome.request
        var m = JSONObject()
        m["kind"] = "puzzle-manifest"
        m["version"] = .number(version)
        m["name"] = .optional(child?.architecture.name)
        m["status"] = .string(child?.solver.status.rawValue ?? "infeasible")
        if let child {
            m["objective"] = [
                "metric": .string(request.objective.name), "direction": .string(request.objective.direction.rawValue),
                "value": .number(child.objective),
            ]
        } else {
            m["objective"] = ["metric": .string(request.objective.name), "direction": .string(request.objective.direction.rawValue), "value": nil]
        }
        if let inf = outcome.infeasibility {
            m["infeasible"] = [
                "constraint": .string(inf.constraint.key), "budget": .number(inf.constraint.budget),
                "bestAchievable": .number(inf.bestAchievable), "unit": .string(inf.constraint.unit),
                "scenario": .optional(inf.scenario), "message": .string(inf.description),
            ]
        }
        let parent = request.library.parent
        m["parent"] = [
            "name": .string(parent.name), "family": .string(parent.dimensions.family.rawValue), "parameters": .number(parent.parameters),
            "activeParameters": .number(parent.activeParameters), "kvHeads": .number(parent.kvHeadsTotal),
        ]
        if let child {
            m["parameters"] = .number(child.architecture.parameters)
            m["activeParameters"] = .number(child.architecture.activeParameters)
            m["kvHeads"] = .number(child.architecture.kvHeadsTotal)
            m["layers"] = .array(layers(child))
            m["predicted"] = .array(child.predictions.map(prediction))
            m["constraints"] = .array(child.constraints.map(constraint))
            m["measured"] = .object(JSONObject(child.measuredStats.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }))
            m["solver"] = [
                "status": .string(child.solver.status.rawValue), "objective": .number(child.solver.objective),
                "bound": .number(child.solver.bound), "gap": .number(child.solver.gap), "nodes": .number(child.solver.nodes),
                "seconds": .number(child.solver.seconds), "solves": .number(child.solver.solves),
            ]
            if !timing, case .object(var solver)? = m["solver"] {
                solver["seconds"] = nil
                m["solver"] = .object(solver)
            }
        } else {
            m["layers"] = []
            m["predicted"] = []
            m["constraints"] = []
        }
        m["parentPredicted"] = .array(outcome.parentPredictions.map(prediction))
        m["library"] = [
            "path": .string(request.libraryPath), "sha256": .string(request.librarySHA256),
            "synthetic": .bool(request.library.isSynthetic), "layers": .number(request.library.layers.count),
        ]
        m["costs"] = costs(request)
        if let child { m["architecture"] = ConfigWriter.childConfig(child.architecture) }
        return .object(m)
    }

    static func layers(_ child: Child) -> [JSONValue] {
        let d = child.architecture.dimensions
        var byLayer: [Int: [(SearchGroup, Candidate)]] = [:]
        for (g, group) in child.groups.enumerated() { byLayer[group.layer, default: []].append((group, child.candidate(g))) }
        return child.architecture.layers.enumerated().map { index, layer in
            let picks = byLayer[index] ?? []
            var o = JSONObject()
            o["index"] = .number(index)
            o["attention"] = .string(layer.attention.name)
            o["ffn"] = .string(layer.ffn.name)
            o["kvHeads"] = .number(layer.attention.kvHeads)
            o["intermediateSize"] = .number(layer.ffn.intermediateSize)
            if let w = layer.attention.window { o["slidingWindow"] = .number(w) }
            if case .moe(let e, let k) = layer.ffn {
                o["experts"] = .number(e)
                o["topK"] = .number(k)
            }
            o["variant"] = picks.isEmpty ? "parent" : .string(picks.map { $0.1.name }.joined(separator: " + "))
            o["parameters"] = .number(d.parameters(of: layer))
            o["activeParameters"] = .number(d.activeParameters(of: layer))
            o["scores"] = .object(JSONObject(scoreSums(picks.map(\.1)).map { ($0.key, .number($0.value)) }))
            return .object(o)
        }
    }

    static func scoreSums(_ candidates: [Candidate]) -> [(key: String, value: Double)] {
        var sums: [String: Double] = [:]
        for c in candidates { for (k, v) in c.scores { sums[k, default: 0] += v } }
        return sums.sorted { $0.key < $1.key }
    }

    public static func prediction(_ p: ScenarioPrediction) -> JSONValue {
        var o = JSONObject()
        o["scenario"] = .string(p.scenarioName)
        o["inputTokens"] = .number(p.inputTokens)
        o["outputTokens"] = .number(p.outputTokens)
        o["throughputPerGPU"] = .number(p.throughputPerGPU)
        o["throughput"] = .number(p.throughput)
        o["batchSize"] = .number(p.batchSize)
        o["tp"] = .number(p.tp)
        o["memoryBytes"] = .number(p.memoryBytes)
        o["weightsBytes"] = .number(p.weightsBytes)
        o["kvCacheBytes"] = .number(p.kvCacheBytes)
        o["capacityBytes"] = .number(p.capacityBytes)
        o["ttftSeconds"] = .number(p.ttftSeconds)
        o["tpotSeconds"] = .number(p.tpotSeconds)
        o["speedup"] = p.speedup.map { .number($0) } ?? .null
        if let b = p.band { o["band"] = band(b) }
        return .object(o)
    }

    /// `{"quantiles": [0.1, 0.9], "throughputPerGPU": [low, high], ...}`.
    public static func band(_ b: PredictedRanges) -> JSONValue {
        func pair(_ r: ValueRange) -> JSONValue { .array([.number(r.low), .number(r.high)]) }
        return [
            "quantiles": .array([.number(b.lowerQuantile), .number(b.upperQuantile)]),
            "throughputPerGPU": pair(b.throughputPerGPU), "throughput": pair(b.throughput),
            "tpotSeconds": pair(b.tpotSeconds), "ttftSeconds": pair(b.ttftSeconds), "memoryBytes": pair(b.memoryBytes),
        ]
    }

    static func constraint(_ r: ConstraintReport) -> JSONValue {
        [
            "name": .string(r.constraint.key), "bound": .string(r.constraint.isUpperBound ? "max" : "min"),
            "budget": .number(r.constraint.budget), "achieved": .number(r.achieved),
            "achievedAtMargin": .number(r.achievedAtMargin), "unit": .string(r.constraint.unit),
            "scenario": .optional(r.scenario), "satisfied": .bool(r.satisfied),
        ]
    }

    static func costs(_ request: SearchRequest) -> JSONValue {
        guard let s = request.model else {
            // The scenario the library's stats were measured in, when it says.
            guard let m = request.library.measurement else { return ["source": "measured"] }
            return ["source": "measured", "measurement": m.json]
        }
        guard case .object(var o) = s.json else { return s.json }
        if let m = request.margin {
            o["margin"] = [
                "spec": .string(m.label), "throughput": .number(m.throughput), "tpot": .number(m.tpot),
                "ttft": .number(m.ttft), "memory": .number(m.memory),
            ]
        }
        return .object(o)
    }
}
