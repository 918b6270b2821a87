import ModelArchitecture
import CostModel
import PuzzleCore

/// The cost-model side of a search: GPU, dtypes, TP choices, scenarios and batch.
public struct ModelCostSettings: Sendable {
    public var gpu: GPUProfile
    public var dtype: DType
    /// The KV-cache dtype (nil: the same as `dtype`).
    public var kvDtype: DType?
    /// A fixed TP, or nil for auto (1, 2, 4, 8).
    public var tp: Int?
    public var scenarios: [Scenario]
    /// A fixed batch, or nil for auto (searched).
    public var batch: Int?
    /// How the runtime admits sequences into the KV pool.
    public var scheduler: SchedulerPolicy

    /// Whether sliding windows cap KV and reads (`.model`, default) or the runtime attends fully
    /// (`.fullAttention`, TensorRT-LLM's default; see `AttentionWindowPolicy`).
    public var attentionWindows: AttentionWindowPolicy = .model

    public init(gpu: GPUProfile, dtype: DType, kvDtype: DType? = nil, tp: Int? = nil, scenarios: [Scenario], batch: Int? = nil,
        scheduler: SchedulerPolicy = .guaranteedNoEvict)
    {
        self.gpu = gpu
        self.dtype = dtype
        self.kvDtype = kvDtype
        self.tp = tp
        self.scenarios = scenarios
        self.batch = batch
        self.scheduler = scheduler
    }

    /// A cost model of these settings at `tp`.
    func model(tp: Int) throws(CostModelError) -> CostModel {
        var model = try CostModel(gpu: gpu, dtype: dtype, kvDtype: kvDtype, tp: tp, scheduler: scheduler)
        model.attentionWindows = attentionWindows
        return model
    }

    /// The manifest's `costs` object; a GPU profile that is not a built-in one is embedded whole
    /// (`gpuProfile`), so that the manifest can be re-costed without the file it came from.
    var json: JSONValue {
        var o = JSONObject([
            ("source", "model"), ("gpu", .string(gpu.name)), ("dtype", .string(dtype.rawValue)),
            ("kvDtype", .string((kvDtype ?? dtype).rawValue)), ("tp", tp.map { .number($0) } ?? "auto"),
            ("batch", batch.map { .number($0) } ?? "auto"), ("scenarios", .array(scenarios.map { .string($0.description) })),
            ("scheduler", .string(scheduler.rawValue)),
        ])
        if !gpu.isBuiltin { o["gpuProfile"] = gpu.json }
        if attentionWindows != .model { o["attentionWindows"] = .string(attentionWindows.rawValue) }
        return .object(o)
    }
}

/// Knapsack rows from the cost model.
///
/// A configuration is a TP and a batch ladder step k. With several scenarios each scenario s gets
/// its own batch `b_s = round(m_k x base_s)`: `base_s` is the parent's largest batch for s at that
/// TP and `m_k = 2^(k/4)` runs from 1/4 to 64 (19% steps), so that "k" means "this much more KV
/// room than the parent" in every scenario at once. Batches above the runtime's cap are clipped.
///
/// Rows per scenario (all linear at a fixed configuration, the costs outside the layers taken off
/// the budget first):
/// - memory: sum (weights + b s kvPerToken / kvFraction) <= M - reserve(b) - outside weights,
///   M = min(--max-memory / (1 + margin), capacity), s the KV tokens a sequence holds under the
///   scheduler policy (ISL + OSL, or ISL + OSL/2; window-capped): TensorRT-LLM's pool rule (the KV pool is
///   kvFraction of what weights and the reserve leave free); the reserve's activations are sized
///   for the parent's widest FFN (an upper bound for every child);
/// - throughput (`--min-throughput T` or `--speedup X` as T = X x parent's): sum cycleSeconds <=
///   b OSL / (T' x TP) - outside cycle, T' = T / (1 - margin);
/// - TPOT: sum decodeStepSeconds <= budget / (1 + margin) - outside; TTFT: sum prefillSeconds <=
///   budget / (1 + margin) - outside (`Margin`; margin 0 without `--margin`).
struct ModelRows: RowProvider {
    let settings: ModelCostSettings
    let request: SearchRequest
    let parent: Architecture
    let models: [Int: CostModel]
    let tps: [Int]
    /// Per TP, per scenario: the parent's largest batch (the ladder's base).
    let bases: [Int: [Double]]
    let parentPredictions: [ScenarioPrediction]
    let multipliers: [Double]

    init(settings: ModelCostSettings, request: SearchRequest) throws {
        self.settings = settings
        self.request = request
        parent = request.library.parent
        guard !settings.scenarios.isEmpty else { throw SearchError.noScenario }
        let heads = parent.dimensions.attentionHeads
        let candidates = settings.tp.map { [$0] } ?? [1, 2, 4, 8]
        tps = candidates.filter { heads % $0 == 0 }
        guard !tps.isEmpty else { throw SearchError.noTPDividesHeads(tps: candidates, heads: heads) }
        var models: [Int: CostModel] = [:]
        for tp in Set(tps + [1, 2, 4, 8].filter { heads % $0 == 0 }) {
            do {
                models[tp] = try settings.model(tp: tp)
            } catch {
                throw SearchError.costModel(error)
            }
        }
        self.models = models

        // The parent at its own best batch and TP per scenario (the speedup reference).
        var predictions: [ScenarioPrediction] = []
        // All scenarios or none: a partial list would pair scenario i with another's prediction.
        var unfit: Scenario?
        for s in settings.scenarios {
            if let (_, e) = try? CostModel.bestTP(parent, gpu: settings.gpu, dtype: settings.dtype, kvDtype: settings.kvDtype,
                scenario: s, batch: .max, scheduler: settings.scheduler, attentionWindows: settings.attentionWindows)
            {
                predictions.append(ModelRows.prediction(e, parentThroughput: nil))
            } else if unfit == nil {
                unfit = s
            }
        }
        if let unfit {
            if request.constraints.contains(where: { $0.key == "speedup" }) {
                throw SearchError.parentDoesNotFit(parent: parent.name, gpu: settings.gpu.name, dtype: settings.dtype, scenario: unfit)
            }
            predictions = []
        }
        parentPredictions = predictions

        // Ladder bases: the parent's largest batch per TP; where it does not fit, scale from the
        // smallest TP where it does (KV room grows roughly with the GPUs), else 64.
        let reference = request.library.parent
        var bases: [Int: [Double]] = [:]
        for tp in tps {
            var perScenario: [Double] = []
            scenarios: for s in settings.scenarios {
                if let m = models[tp], let b = try? m.maxBatch(reference, scenario: s) {
                    perScenario.append(Double(b))
                    continue
                }
                for larger in [1, 2, 4, 8] where larger > tp && heads % larger == 0 {
                    if let m = models[larger], let b = try? m.maxBatch(reference, scenario: s) {
                        perScenario.append(Swift.max(1, Double(b) * Double(tp) / Double(larger)))
                        continue scenarios
                    }
                }
                perScenario.append(64)
            }
            bases[tp] = perScenario
        }
        self.bases = bases
        multipliers = (-8...24).map { pow2(Double($0) / 4) }
    }

    func configurations() throws -> [Configuration] {
        var out: [Configuration] = []
        for tp in tps {
            if let b = settings.batch {
                out.append(Configuration(tp: tp, batch: b, ladder: nil))
                continue
            }
            var seen = Set<[Int]>()
            for (k, _) in multipliers.enumerated() {
                let batches = batchesFor(tp: tp, step: k)
                if seen.insert(batches).inserted { out.append(Configuration(tp: tp, batch: batches.first, ladder: k)) }
            }
        }
        return out
    }

    /// The batch of every scenario at a configuration.
    func batches(_ c: Configuration) -> [Int] {
        guard let tp = c.tp else { return [] }
        if let k = c.ladder { return batchesFor(tp: tp, step: k) }
        return settings.scenarios.map { _ in c.batch ?? 1 }
    }

    func batchesFor(tp: Int, step k: Int) -> [Int] {
        let cap = settings.gpu.maxBatchSize
        return (bases[tp] ?? []).map { base in Swift.min(cap, Swift.max(1, Int((multipliers[k] * base).rounded()))) }
    }

    func rows(_ c: Configuration, groups: [SearchGroup], constraints: [Constraint]) throws -> [LinearRow] {
        guard let tp = c.tp, let model = models[tp] else { return [] }
        let d = parent.dimensions
        let covered = Set(groups.map(\.layer))
        let margin = request.margin
        let memoryIndex = constraints.firstIndex { $0.key == "memory" }
        // A user memory budget must hold with the margin; the device's capacity is the engine's rule.
        let userMemory = memoryIndex.map { constraints[$0].budget / (margin?.factor(constraints[$0]) ?? 1) } ?? .infinity
        let memoryBudget = Swift.min(userMemory, settings.gpu.memoryBytes)
        let kvFraction = settings.gpu.kvCacheMemoryFraction
        // Activations are sized for the parent's widest FFN: no child is wider, so the reserve is
        // an upper bound for every candidate.
        let activation = model.activationBytesPerToken(parent)
        var rows: [LinearRow] = []
        for (si, s) in settings.scenarios.enumerated() {
            let batch = batches(c)[si]
            let plan = model.plan(scenario: s, batch: batch)
            let reserve = model.reserveBytes(activationBytesPerToken: activation, scenario: s, batch: batch)
            var attentionCache: [AttentionVariant: SubblockCost] = [:]
            var ffnCache: [FFNVariant: SubblockCost] = [:]
            func cost(_ cand: (attention: AttentionVariant?, ffn: FFNVariant?)) -> SubblockCost {
                var total = SubblockCost.zero
                if let a = cand.attention {
                    if let hit = attentionCache[a] { total += hit } else {
                        let v = model.costs(of: a, dimensions: d, scenario: s, plan: plan)
                        attentionCache[a] = v
                        total += v
                    }
                }
                if let f = cand.ffn {
                    if let hit = ffnCache[f] { total += hit } else {
                        let v = model.costs(of: f, dimensions: d, scenario: s, plan: plan)
                        ffnCache[f] = v
                        total += v
                    }
                }
                return total
            }
            // Everything outside the searched groups: embeddings/LM head/overhead, plus parent
            // layers the library does not cover.
            var outside = model.nonLayerCosts(dimensions: d, scenario: s, plan: plan)
            for (i, layer) in parent.layers.enumerated() where !covered.contains(i) { outside += cost((layer.attention, layer.ffn)) }
            // Costs once per shape (groups of the same variants share them); every row's
            // coefficients are then arrays shared between the groups of a shape.
            let shapeCount = (groups.map(\.shape).max() ?? -1) + 1
            var representative = [Int](repeating: -1, count: shapeCount)
            for (g, group) in groups.enumerated() where representative[group.shape] < 0 { representative[group.shape] = g }
            let shapeCosts: [[SubblockCost]] = representative.map { g in groups[g].candidates.map { cost(($0.attention, $0.ffn)) } }
            func row(_ name: String, _ value: (SubblockCost) -> Double, max: Double, constraint: Int?,
                _ unit: @escaping @Sendable (Double) -> Double) -> LinearRow
            {
                let perShape = shapeCosts.map { $0.map(value) }
                return LinearRow(name: name, coefficients: groups.map { perShape[$0.shape] }, max: max, min: nil,
                    constraint: constraint, scenario: si, toConstraintUnit: unit, shapeCoefficients: perShape)
            }
            let outsideMemory = outside.memoryRowBytes / kvFraction
            rows.append(row("memory[\(s)]", { $0.memoryRowBytes / kvFraction }, max: memoryBudget - reserve - outsideMemory,
                constraint: memoryIndex, { $0 + outsideMemory + reserve }))
            for (ci, constraint) in constraints.enumerated() {
                let factor = margin?.factor(constraint) ?? 1
                switch constraint {
                case .minThroughputPerGPU, .speedup:
                    var target = constraint.budget
                    if case .speedup(let x) = constraint {
                        guard si < parentPredictions.count else { continue }
                        target = x * parentPredictions[si].throughputPerGPU
                    }
                    // predicted x (1 - m) >= target  <=>  predicted >= target / (1 - m)
                    target /= factor
                    let tokens = Double(batch * s.outputTokens)
                    let outsideCycle = outside.cycleSeconds
                    let reference = si < parentPredictions.count ? parentPredictions[si].throughputPerGPU : 1
                    let isSpeedup = constraint.key == "speedup"
                    rows.append(row("\(constraint.key)[\(s)]", \.cycleSeconds, max: tokens / (target * Double(tp)) - outsideCycle,
                        constraint: ci, { cycle in
                            let perGPU = tokens / ((cycle + outsideCycle) * Double(tp))
                            return isSpeedup ? perGPU / reference : perGPU
                        }))
                case .maxTPOTSeconds(let budget):
                    let o = outside.decodeStepSeconds
                    rows.append(row("tpot[\(s)]", \.decodeStepSeconds, max: budget / factor - o, constraint: ci, { $0 + o }))
                case .maxTTFTSeconds(let budget):
                    let o = outside.prefillSeconds
                    rows.append(row("ttft[\(s)]", \.prefillSeconds, max: budget / factor - o, constraint: ci, { $0 + o }))
                default:
                    continue
                }
            }
        }
        return rows
    }

    func predictions(_ architecture: Architecture, _ c: Configuration) throws -> [ScenarioPrediction] {
        guard let tp = c.tp, let model = models[tp] else { return [] }
        let batches = batches(c)
        return try settings.scenarios.enumerated().map { si, s in
            let e = try model.evaluate(architecture, scenario: s, batch: .fixed(batches[si]))
            return ModelRows.prediction(e, parentThroughput: si < parentPredictions.count ? parentPredictions[si].throughputPerGPU : nil)
        }
    }

    static func prediction(_ e: ServingEstimate, parentThroughput: Double?) -> ScenarioPrediction {
        ScenarioPrediction(e, parentThroughputPerGPU: parentThroughput)
    }
}

extension ScenarioPrediction {
    /// The prediction of a cost-model estimate with its band (`bands`); `speedup` relative to
    /// `parentThroughputPerGPU`.
    public init(_ e: ServingEstimate, parentThroughputPerGPU: Double?, bands: PredictionBands = .calibrated) {
        let perGPU = e.throughputPerGPUTokensPerSecond
        let memory = e.memory.weightsBytes + e.memory.reserveBytes + e.memory.kvCacheBytes
        self.init(inputTokens: e.scenario.inputTokens, outputTokens: e.scenario.outputTokens,
            throughputPerGPU: perGPU, throughput: e.throughputTokensPerSecond, batchSize: e.batch, tp: e.tp,
            memoryBytes: memory, weightsBytes: e.memory.weightsBytes, kvCacheBytes: e.memory.kvCacheBytes,
            capacityBytes: e.memory.capacityBytes, ttftSeconds: e.ttftSeconds, tpotSeconds: e.tpotSeconds,
            speedup: parentThroughputPerGPU.map { perGPU / $0 },
            band: PredictedRanges(bands, throughputPerGPU: perGPU, throughput: e.throughputTokensPerSecond,
                tpotSeconds: e.tpotSeconds, ttftSeconds: e.ttftSeconds, memoryBytes: memory))
    }
}

extension PredictedRanges {
    /// Each value's band: value x (1 + lower) to value x (1 + upper) of its quantity's `ErrorBand`.
    public init(_ bands: PredictionBands, throughputPerGPU: Double, throughput: Double, tpotSeconds: Double, ttftSeconds: Double,
        memoryBytes: Double)
    {
        func range(_ band: ErrorBand, _ x: Double) -> ValueRange {
            let (lo, hi) = band.interval(x)
            return ValueRange(low: lo, high: hi)
        }
        self.init(lowerQuantile: PredictionBands.lowerQuantile, upperQuantile: PredictionBands.upperQuantile,
            throughputPerGPU: range(bands.throughput, throughputPerGPU), throughput: range(bands.throughput, throughput),
            tpotSeconds: range(bands.tpot, tpotSeconds), ttftSeconds: range(bands.ttft, ttftSeconds),
            memoryBytes: range(bands.memory, memoryBytes))
    }
}

private func pow2(_ x: Double) -> Double {
    var result = 1.0
    var e = x
    // exp2 without Foundation: integer part by doubling, fraction by the 4th roots used here.
    while e >= 1 { result *= 2; e -= 1 }
    while e < 0 { result /= 2; e += 1 }
    let quarter = 1.189_207_115_002_721  // 2^(1/4)
    while e > 1e-12 { result *= quarter; e -= 0.25 }
    return result
}
