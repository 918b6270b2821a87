import ModelArchitecture

extension CostModel {
    /// Iteration time of the GEMMs etc. of an attention variant at M tokens with g decode tokens
    /// (no all-reduce, no prefill attention): see the type's doc comment.
    func attentionIterationSeconds(_ v: AttentionVariant, _ d: ModelDimensions, tokens m: Double, generated g: Double,
        context c: Double) -> Double
    {
        let wb = weightElementBytes
        let hidden = Double(d.hiddenSize)
        switch v {
        case .gqa(let k):
            let kvh = Double(kvHeadsPerGPU(k))
            let qWidth = Double(d.attentionHeads) / Double(tp) * Double(d.headDim)
            let qkv = roofline.gemmSeconds(tokens: m, rows: hidden, cols: qWidth + 2 * kvh * Double(d.headDim), weightBytes: wb)
            let o = roofline.gemmSeconds(tokens: m, rows: qWidth, cols: hidden, weightBytes: wb)
            return qkv + o + 2 * gpu.kernelFloorSeconds + decodeAttentionSeconds(d, kvHeads: k, generated: g, context: c)
        case .linear:
            return roofline.gemmSeconds(tokens: m, rows: hidden, cols: hidden / Double(tp), weightBytes: wb) + gpu.kernelFloorSeconds
        case .noOp:
            return 0
        }
    }

    /// Iteration time of an FFN variant at M tokens (no all-reduce).
    func ffnIterationSeconds(_ v: FFNVariant, _ d: ModelDimensions, tokens m: Double) -> Double {
        let wb = weightElementBytes
        let hidden = Double(d.hiddenSize)
        switch v {
        case .swiGLU(let n):
            let shard = Double(n) / Double(tp)
            return roofline.gemmSeconds(tokens: m, rows: hidden, cols: 2 * shard, weightBytes: wb)
                + roofline.gemmSeconds(tokens: m, rows: shard, cols: hidden, weightBytes: wb) + 2 * gpu.kernelFloorSeconds
        case .linear:
            return roofline.gemmSeconds(tokens: m, rows: hidden, cols: hidden / Double(tp), weightBytes: wb) + gpu.kernelFloorSeconds
        case .noOp:
            return 0
        }
    }

    /// Weight bytes of an attention variant on one GPU: (2 d h e / TP + 2 d k' e) wb + d x 2 (norm).
    public func weightBytes(of v: AttentionVariant, dimensions d: ModelDimensions) -> Double {
        let hidden = Double(d.hiddenSize)
        switch v {
        case .gqa(let k):
            let q = 2 * hidden * Double(d.queryWidth) / Double(tp)
            let kv = 2 * hidden * Double(kvHeadsPerGPU(k) * d.headDim)
            return (q + kv) * weightElementBytes + hidden * Self.normBytes
        case .linear: return hidden * hidden / Double(tp) * weightElementBytes + hidden * Self.normBytes
        case .noOp: return 0
        }
    }

    /// Weight bytes of an FFN variant on one GPU: 3 d n / TP wb + d x 2 (norm); linear d^2 / TP wb + 2 d.
    public func weightBytes(of v: FFNVariant, dimensions d: ModelDimensions) -> Double {
        let hidden = Double(d.hiddenSize)
        switch v {
        case .swiGLU(let n): return 3 * hidden * Double(n) / Double(tp) * weightElementBytes + hidden * Self.normBytes
        case .linear: return hidden * hidden / Double(tp) * weightElementBytes + hidden * Self.normBytes
        case .noOp: return 0
        }
    }

    /// KV bytes one context token adds on one GPU: 2 k' e kvBytes (0 for linear and no-op).
    public func kvBytesPerToken(of v: AttentionVariant, dimensions d: ModelDimensions) -> Double {
        Double(2 * kvHeadsPerGPU(v.kvHeads) * d.headDim) * kvDtype.bytes
    }

    /// All additive costs of one attention subblock at a fixed scenario and batch.
    /// - Complexity: O(1).
    public func costs(of v: AttentionVariant, dimensions d: ModelDimensions, scenario s: Scenario, batch: Int) -> SubblockCost {
        costs(of: v, dimensions: d, scenario: s, plan: plan(scenario: s, batch: batch))
    }

    /// As `costs(of:dimensions:scenario:batch:)` with a precomputed plan (cheap batch sweeps).
    public func costs(of v: AttentionVariant, dimensions d: ModelDimensions, scenario s: Scenario, plan p: BatchPlan) -> SubblockCost {
        if v == .noOp { return .zero }
        let iter = attentionIterationSeconds(v, d, tokens: p.tokensPerIteration, generated: p.generatedPerIteration,
            context: p.meanContextTokens)
        let ar = allReduceSeconds(tokens: p.tokensPerIteration, hidden: d.hiddenSize)
        var prefillAttention = 0.0
        if case .gqa = v { prefillAttention = prefillAttentionSeconds(d, length: s.inputTokens) }
        let cycle = p.iterations * (iter + ar) + Double(p.batch) * prefillAttention
        // One sequence's step: everyone's decode tokens and the other B - 1 prompts.
        let step = attentionIterationSeconds(v, d, tokens: p.decodeStepTokens, generated: p.generatedPerIteration,
            context: p.meanContextTokens) + allReduceSeconds(tokens: p.decodeStepTokens, hidden: d.hiddenSize)
            + Double(p.batch - 1) * prefillAttention / p.iterations
        let isl = Double(s.inputTokens)
        let ttft = attentionIterationSeconds(v, d, tokens: isl, generated: 0, context: 0) + prefillAttention
            + allReduceSeconds(tokens: isl, hidden: d.hiddenSize)
        let w = weightBytes(of: v, dimensions: d)
        let kv = kvBytesPerToken(of: v, dimensions: d)
        return SubblockCost(weightBytes: w, kvBytesPerToken: kv, prefillSeconds: ttft, decodeStepSeconds: step,
            cycleSeconds: cycle, allReduceSeconds: p.iterations * ar,
            memoryRowBytes: gpu.kvCacheMemoryFraction * w + Double(p.batch) * kvTokensPerSequence(s) * kv)
    }

    /// All additive costs of one FFN subblock at a fixed scenario and batch.
    /// - Complexity: O(1).
    public func costs(of v: FFNVariant, dimensions d: ModelDimensions, scenario s: Scenario, batch: Int) -> SubblockCost {
        costs(of: v, dimensions: d, scenario: s, plan: plan(scenario: s, batch: batch))
    }

    /// As `costs(of:dimensions:scenario:batch:)` with a precomputed plan.
    public func costs(of v: FFNVariant, dimensions d: ModelDimensions, scenario s: Scenario, plan p: BatchPlan) -> SubblockCost {
        if v == .noOp { return .zero }
        let iter = ffnIterationSeconds(v, d, tokens: p.tokensPerIteration)
        let ar = allReduceSeconds(tokens: p.tokensPerIteration, hidden: d.hiddenSize)
        let cycle = p.iterations * (iter + ar)
        let step = ffnIterationSeconds(v, d, tokens: p.decodeStepTokens) + allReduceSeconds(tokens: p.decodeStepTokens, hidden: d.hiddenSize)
        let isl = Double(s.inputTokens)
        let ttft = ffnIterationSeconds(v, d, tokens: isl) + allReduceSeconds(tokens: isl, hidden: d.hiddenSize)
        let w = weightBytes(of: v, dimensions: d)
        return SubblockCost(weightBytes: w, kvBytesPerToken: 0, prefillSeconds: ttft, decodeStepSeconds: step,
            cycleSeconds: cycle, allReduceSeconds: p.iterations * ar, memoryRowBytes: gpu.kvCacheMemoryFraction * w)
    }

    /// Weight bytes outside the layers on one GPU: embeddings and LM head (vocab-parallel, at the head
    /// dtype) + final norm.
    public func nonLayerWeightBytes(dimensions d: ModelDimensions) -> Double {
        let matrices = Double(d.embeddingParameters + d.lmHeadParameters) / Double(tp) * headDtype.bytes
        return matrices + Double(d.hiddenSize) * Self.normBytes
    }

    /// Costs outside the layers: embeddings/LM-head weights, the LM head GEMM over the decode tokens
    /// of each iteration (one token for TTFT), the final norm and the per-iteration host overhead.
    /// Its `memoryRowBytes` holds kvFraction x these weights.
    public func nonLayerCosts(dimensions d: ModelDimensions, scenario s: Scenario, batch: Int) -> SubblockCost {
        nonLayerCosts(dimensions: d, scenario: s, plan: plan(scenario: s, batch: batch))
    }

    /// As `nonLayerCosts(dimensions:scenario:batch:)` with a precomputed plan.
    public func nonLayerCosts(dimensions d: ModelDimensions, scenario s: Scenario, plan p: BatchPlan) -> SubblockCost {
        let vocabShard = Double(d.vocabSize) / Double(tp)
        let hidden = Double(d.hiddenSize)
        let hb = headDtype.bytes
        let iter = headRoofline.gemmSeconds(tokens: p.generatedPerIteration, rows: hidden, cols: vocabShard, weightBytes: hb)
            + gpu.iterationOverheadSeconds
        let ttft = headRoofline.gemmSeconds(tokens: 1, rows: hidden, cols: vocabShard, weightBytes: hb) + gpu.iterationOverheadSeconds
        let w = nonLayerWeightBytes(dimensions: d)
        return SubblockCost(weightBytes: w, kvBytesPerToken: 0, prefillSeconds: ttft, decodeStepSeconds: iter,
            cycleSeconds: p.iterations * iter, allReduceSeconds: 0, memoryRowBytes: gpu.kvCacheMemoryFraction * w)
    }

    /// The right-hand side of the linear memory row at a fixed batch:
    /// sum over parts of memoryRowBytes <= kvFraction x (capacity - reserve), which is
    /// batch kvTokensPerSequence kvPerToken <= kvFraction (capacity - weights - reserve), TensorRT-LLM's
    /// rule (the KV pool is kvFraction of what weights and the runtime reserve leave free). The
    /// reserve at the batch is `reserveBytes(activationBytesPerToken:scenario:batch:)`.
    public func memoryRowCapacityBytes(reserveBytes: Double) -> Double {
        gpu.kvCacheMemoryFraction * (gpu.memoryBytes - reserveBytes)
    }
}

extension CostModel {
    /// One iteration of an attention subblock that carries `tokens` tokens, `generated` of them decode
    /// tokens attending to `contextTokens` each, including its all-reduce (seconds). A pure decode
    /// step at batch B and context c is `tokens = generated = B`.
    public func iterationSeconds(of v: AttentionVariant, dimensions d: ModelDimensions, tokens: Double, generated: Double,
        contextTokens: Double) -> Double
    {
        if v == .noOp { return 0 }
        return attentionIterationSeconds(v, d, tokens: tokens, generated: generated, context: contextTokens)
            + allReduceSeconds(tokens: tokens, hidden: d.hiddenSize)
    }

    /// One iteration of an FFN subblock over `tokens` tokens, including its all-reduce (seconds).
    public func iterationSeconds(of v: FFNVariant, dimensions d: ModelDimensions, tokens: Double) -> Double {
        if v == .noOp { return 0 }
        return ffnIterationSeconds(v, d, tokens: tokens) + allReduceSeconds(tokens: tokens, hidden: d.hiddenSize)
    }
}
