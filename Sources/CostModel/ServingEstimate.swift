import ModelArchitecture
import PuzzleCore

/// Memory of one GPU of the TP group (bytes).
public struct MemoryEstimate: Sendable, Hashable {
    /// Weights held by one GPU.
    public var weightsBytes: Double
    /// KV cache the batch occupies at its longest: batch x (ISL + OSL) x kvBytesPerToken.
    public var kvCacheBytes: Double
    /// The KV pool the runtime allocates: kvFraction x (capacity - weights - reserve).
    public var kvPoolBytes: Double
    /// Activations, workspaces and runtime (CUDA context, graphs) kept outside the pool.
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
    /// The KV pool one GPU gets with `weightBytes` of weights: kvFraction x (capacity - weights - reserve).
    public func kvPoolBytes(weightBytes: Double) -> Double {
        gpu.kvCacheMemoryFraction * (gpu.memoryBytes - weightBytes - gpu.runtimeReserveBytes)
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

    /// Per-GPU KV bytes of one sequence of ISL + OSL tokens: sum over layers of
    /// 2 k' e kvBytes x min(ISL + OSL, window).
    public func kvBytesPerSequence(_ a: Architecture, scenario s: Scenario) -> Double {
        a.layers.reduce(0.0) { $0 + kvBytesPerSequence(of: $1.attention, dimensions: a.dimensions, scenario: s) }
    }

    /// The largest batch whose KV cache (ISL + OSL tokens per sequence, at most the window of a
    /// sliding-window layer) fits the pool, capped by the runtime's maxBatchSize:
    /// min(floor(pool / perSequence), maxBatchSize).
    /// - Throws: `CostModelError.doesNotFit` with how many bytes the model misses when not even one
    ///   sequence fits.
    public func maxBatch(_ a: Architecture, scenario s: Scenario) throws(CostModelError) -> Int {
        let w = weightAndKV(a).weightBytes
        let pool = kvPoolBytes(weightBytes: w)
        let perSequence = kvBytesPerSequence(a, scenario: s)
        guard pool >= perSequence, pool > 0 else {
            // needed: weights + reserve + one sequence's KV / fraction
            let short = w + gpu.runtimeReserveBytes + perSequence / gpu.kvCacheMemoryFraction - gpu.memoryBytes
            throw .doesNotFit(CostModelError.DoesNotFit(model: a.name, gpu: gpu.name, tp: tp, dtype: dtype, scenario: s,
                shortBytes: short, weightsBytesPerGPU: w, reserveBytes: gpu.runtimeReserveBytes, capacityBytes: gpu.memoryBytes))
        }
        if perSequence <= 0 { return gpu.maxBatchSize }
        return Int(min((pool / perSequence).rounded(.down), Double(gpu.maxBatchSize)))
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
                let need = Double(n) * kvBytesPerSequence(a, scenario: s)
                let pool = kvPoolBytes(weightBytes: w)
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
        let memory = MemoryEstimate(weightsBytes: total.weightBytes, kvCacheBytes: Double(batch) * Double(s.sequenceTokens) * total.kvBytesPerToken,
            kvPoolBytes: kvPoolBytes(weightBytes: total.weightBytes), reserveBytes: gpu.runtimeReserveBytes, capacityBytes: gpu.memoryBytes)
        return ServingEstimate(scenario: s, tp: tp, batch: batch, plan: p, total: total, nonLayer: nonLayer, layers: layers,
            memory: memory, maxBatch: maxB)
    }

    /// `--tp auto`: among TP 1, 2, 4, 8 that divide the heads and fit, the one with the best
    /// throughput per GPU (ties: smaller TP).
    /// - Throws: the TP 8 (or largest tried) failure when no TP fits.
    public static func bestTP(_ a: Architecture, gpu: GPUProfile, dtype: DType, kvDtype: DType?, scenario s: Scenario,
        batch: BatchChoice, attentionWindows: AttentionWindowPolicy = .model) throws(CostModelError) -> (model: CostModel, estimate: ServingEstimate)
    {
        var best: (CostModel, ServingEstimate)?
        var lastError: CostModelError?
        for tp in [1, 2, 4, 8] where a.dimensions.attentionHeads % tp == 0 {
            var model = try CostModel(gpu: gpu, dtype: dtype, kvDtype: kvDtype, tp: tp)
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
