import ModelArchitecture
import PuzzleCore

/// Memory of one GPU of the TP group (bytes).
public struct MemoryEstimate: Sendable, Hashable {
    /// Weights held by one GPU.
    public var weightsBytes: Double
    /// KV cache the batch occupies: batch x what a sequence holds (`kvBytesHeldPerSequence`: ISL + OSL
    /// tokens under guaranteed-no-evict, ISL + OSL/2 under max-utilization, window-capped).
    public var kvCacheBytes: Double
    /// The KV pool the runtime allocates: kvFraction x (capacity - weights - reserve).
    public var kvPoolBytes: Double
    /// Kept outside the pool at this batch: base (CUDA context, workspaces, graphs) + the
    /// activations of the token budget (`CostModel.reserveBytes`).
    public var reserveBytes: Double
    /// The GPU's memory.
    public var capacityBytes: Double
}

/// Per layer: the attention and FFN parts of the estimate.
public struct LayerCost: Sendable, Hashable {
    public var index: Int
    public var attention: AttentionVariant
    public var ffn: FFNVariant
    public var attentionCost: SubblockCost
    public var ffnCost: SubblockCost
}

/// A whole model served on one TP group: the sum of its parts.
public struct ServingEstimate: Sendable, Hashable {
    public var scenario: Scenario
    public var tp: Int
    public var batch: Int
    public var plan: BatchPlan
    /// nonLayer + sum over layers of attention + FFN.
    public var total: SubblockCost
    public var nonLayer: SubblockCost
    public var layers: [LayerCost]
    public var memory: MemoryEstimate
    /// Largest batch that fits (after the runtime's batch cap).
    public var maxBatch: Int

    /// Output tokens per second of the whole TP group: batch x OSL / cycleSeconds.
    public var throughputTokensPerSecond: Double { Double(batch * scenario.outputTokens) / total.cycleSeconds }
    /// Output tokens per second per GPU: throughput / TP.
    public var throughputPerGPUTokensPerSecond: Double { throughputTokensPerSecond / Double(tp) }
    /// Time to first token of one request on an idle engine (s).
    public var ttftSeconds: Double { total.prefillSeconds }
    /// Time per output token at the batch (s): one steady-state iteration.
    public var tpotSeconds: Double { total.decodeStepSeconds }
}

extension CostModel {
    /// The KV pool one GPU gets with `weightBytes` of weights and `reserveBytes` outside it:
    /// kvFraction x (capacity - weights - reserve).
    public func kvPoolBytes(weightBytes: Double, reserveBytes: Double) -> Double {
        gpu.kvCacheMemoryFraction * (gpu.memoryBytes - weightBytes - reserveBytes)
    }

    /// Checks TP against the model: the query heads must split evenly.
    func checkTP(_ a: Architecture) throws(CostModelError) {
        guard a.dimensions.attentionHeads % tp == 0 else {
            throw .tpDoesNotDivideHeads(tp: tp, heads: a.dimensions.attentionHeads, model: a.name)
        }
    }

    /// Per-GPU weight and KV bytes per token of a whole model (additive over layers; sliding-window
    /// layers counted per token of context, see `kvBytesPerSequence` for their cap).
    public func weightAndKV(_ a: Architecture) -> (weightBytes: Double, kvBytesPerToken: Double) {
        var w = nonLayerWeightBytes(dimensions: a.dimensions)
        var kv = 0.0
        for layer in a.layers {
            w += weightBytes(of: layer.attention, dimensions: a.dimensions) + weightBytes(of: layer.ffn, dimensions: a.dimensions)
            kv += kvBytesPerToken(of: layer.attention, dimensions: a.dimensions)
        }
        return (w, kv)
    }

    /// Per-GPU KV bytes of one sequence of ISL + OSL tokens at its longest: sum over layers of
    /// 2 k' e kvBytes x min(ISL + OSL, window).
    public func kvBytesPerSequence(_ a: Architecture, scenario s: Scenario) -> Double {
        a.layers.reduce(0.0) { $0 + kvBytesPerSequence(of: $1.attention, dimensions: a.dimensions, scenario: s) }
    }

    /// Per-GPU KV bytes one sequence holds for the pool's accounting under the scheduler policy:
    /// `kvBytesHeldPerSequence(of:dimensions:scenario:)` summed over layers.
    public func kvBytesHeldPerSequence(_ a: Architecture, scenario s: Scenario) -> Double {
        a.layers.reduce(0.0) { $0 + kvBytesHeldPerSequence(of: $1.attention, dimensions: a.dimensions, scenario: s) }
    }

    /// Whether `batch` sequences fit: batch x heldPerSequence <= kvFraction (capacity - weights -
    /// reserve(batch)).
    func batchFits(_ batch: Int, weightBytes w: Double, heldPerSequence: Double, activationBytesPerToken act: Double,
        scenario s: Scenario) -> Bool
    {
        let pool = kvPoolBytes(weightBytes: w, reserveBytes: reserveBytes(activationBytesPerToken: act, scenario: s, batch: batch))
        return pool > 0 && Double(batch) * heldPerSequence <= pool
    }

    /// The largest batch whose KV cache (what a sequence holds under the scheduler policy, at most
    /// the window of a sliding-window layer) fits the pool, capped by the runtime's maxBatchSize.
    /// The reserve grows with the token budget, which grows with the batch, so fitting is monotone
    /// in the batch and a bisection finds the largest.
    /// - Throws: `CostModelError.doesNotFit` with how many bytes the model misses when not even one
    ///   sequence fits.
    /// - Complexity: O(log maxBatchSize).
    public func maxBatch(_ a: Architecture, scenario s: Scenario) throws(CostModelError) -> Int {
        let w = weightAndKV(a).weightBytes
        let held = kvBytesHeldPerSequence(a, scenario: s)
        let act = activationBytesPerToken(a)
        guard batchFits(1, weightBytes: w, heldPerSequence: held, activationBytesPerToken: act, scenario: s) else {
            let reserve = reserveBytes(activationBytesPerToken: act, scenario: s, batch: 1)
            // needed: weights + reserve + one sequence's KV / fraction
            let short = w + reserve + held / gpu.kvCacheMemoryFraction - gpu.memoryBytes
            throw .doesNotFit(CostModelError.DoesNotFit(model: a.name, gpu: gpu.name, tp: tp, dtype: dtype, scenario: s,
                shortBytes: short, weightsBytesPerGPU: w, reserveBytes: reserve, capacityBytes: gpu.memoryBytes))
        }
        let cap = max(gpu.maxBatchSize, 1)
        if batchFits(cap, weightBytes: w, heldPerSequence: held, activationBytesPerToken: act, scenario: s) { return cap }
        var lo = 1, hi = cap  // fits(lo), !fits(hi)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if batchFits(mid, weightBytes: w, heldPerSequence: held, activationBytesPerToken: act, scenario: s) { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The whole model at a batch: nonLayer + sum over layers, with each distinct variant's cost
    /// computed once (layers share variants).
    /// - Complexity: O(layers) dictionary look-ups + O(distinct variants) cost evaluations.
    public func evaluate(_ a: Architecture, scenario s: Scenario, batch choice: BatchChoice) throws(CostModelError) -> ServingEstimate {
        try checkTP(a)
        let maxB = try maxBatch(a, scenario: s)
        let batch: Int
        switch choice {
        case .max: batch = maxB
        case .fixed(let n):
            guard n >= 1 else { throw .invalidBatch(n) }
            guard n <= maxB else {
                let w = weightAndKV(a).weightBytes
                let need = Double(n) * kvBytesHeldPerSequence(a, scenario: s)
                let pool = kvPoolBytes(weightBytes: w, reserveBytes: reserveBytes(activationBytesPerToken: activationBytesPerToken(a),
                    scenario: s, batch: n))
                if n > gpu.maxBatchSize && need <= pool {
                    throw .batchAboveRuntimeCap(batch: n, cap: gpu.maxBatchSize, gpu: gpu.name)
                }
                throw .batchDoesNotFit(CostModelError.BatchDoesNotFit(batch: n, model: a.name, gpu: gpu.name, tp: tp, scenario: s,
                    neededBytes: need, poolBytes: pool, largestBatch: maxB))
            }
            batch = n
        }
        let p = plan(scenario: s, batch: batch)
        let d = a.dimensions
        var attentionCache: [AttentionVariant: SubblockCost] = [:]
        var ffnCache: [FFNVariant: SubblockCost] = [:]
        let nonLayer = nonLayerCosts(dimensions: d, scenario: s, plan: p)
        var total = nonLayer
        var layers: [LayerCost] = []
        layers.reserveCapacity(a.layers.count)
        for (index, layer) in a.layers.enumerated() {
            let ac: SubblockCost
            if let c = attentionCache[layer.attention] {
                ac = c
            } else {
                ac = costs(of: layer.attention, dimensions: d, scenario: s, plan: p)
                attentionCache[layer.attention] = ac
            }
            let fc: SubblockCost
            if let c = ffnCache[layer.ffn] {
                fc = c
            } else {
                fc = costs(of: layer.ffn, dimensions: d, scenario: s, plan: p)
                ffnCache[layer.ffn] = fc
            }
            total += ac
            total += fc
            layers.append(LayerCost(index: index, attention: layer.attention, ffn: layer.ffn, attentionCost: ac, ffnCost: fc))
        }
        let reserve = reserveBytes(activationBytesPerToken: activationBytesPerToken(a), scenario: s, batch: batch)
        let memory = MemoryEstimate(weightsBytes: total.weightBytes, kvCacheBytes: Double(batch) * kvBytesHeldPerSequence(a, scenario: s),
            kvPoolBytes: kvPoolBytes(weightBytes: total.weightBytes, reserveBytes: reserve), reserveBytes: reserve,
            capacityBytes: gpu.memoryBytes)
        return ServingEstimate(scenario: s, tp: tp, batch: batch, plan: p, total: total, nonLayer: nonLayer, layers: layers,
            memory: memory, maxBatch: maxB)
    }

    /// `--tp auto`: among TP 1, 2, 4, 8 that divide the heads and fit, the one with the best
    /// throughput per GPU (ties: smaller TP).
    /// - Throws: the TP 8 (or largest tried) failure when no TP fits.
    public static func bestTP(_ a: Architecture, gpu: GPUProfile, dtype: DType, kvDtype: DType?, scenario s: Scenario,
        batch: BatchChoice, scheduler: SchedulerPolicy = .guaranteedNoEvict, attentionWindows: AttentionWindowPolicy = .model)
        throws(CostModelError) -> (model: CostModel, estimate: ServingEstimate)
    {
        var best: (CostModel, ServingEstimate)?
        var lastError: CostModelError?
        for tp in [1, 2, 4, 8] where a.dimensions.attentionHeads % tp == 0 {
            var model = try CostModel(gpu: gpu, dtype: dtype, kvDtype: kvDtype, tp: tp, scheduler: scheduler)
            model.attentionWindows = attentionWindows
            do {
                let e = try model.evaluate(a, scenario: s, batch: batch)
                if e.throughputPerGPUTokensPerSecond > (best?.1.throughputPerGPUTokensPerSecond ?? -1) {
                    best = (model, e)
                }
            } catch {
                lastError = error
            }
        }
        if let best { return best }
        throw lastError ?? .noTPDividesHeads(heads: a.dimensions.attentionHeads, model: a.name)
    }
}
