import ModelArchitecture

extension CostModel {
    /// Iteration time of the GEMMs etc. of an attention variant at M tokens with g decode tokens
    /// attending to `context` cached tokens each (no all-reduce, no prefill attention): see the
    /// type's doc comment. Families add: q/k RMSNorms (Qwen3) as one elementwise pass over the q and
    /// k activations, M (h/TP + k') e x 2 bytes read and written at HBM x e_hbm (fused with RoPE, no
    /// extra kernel). Biases and attention sinks cost bytes (`weightBytes`), not time.
    func attentionIterationSeconds(_ v: AttentionVariant, _ d: ModelDimensions, tokens m: Double, generated g: Double,
        context c: Double) -> Double
    {
        let wb = weightElementBytes
        let hidden = Double(d.hiddenSize)
        switch v {
        case .gqa(let k), .slidingWindow(let k, _):
            let kvh = Double(kvHeadsPerGPU(k))
            let qWidth = Double(d.attentionHeads) / Double(tp) * Double(d.headDim)
            let qkv = roofline.gemmSeconds(tokens: m, rows: hidden, cols: qWidth + 2 * kvh * Double(d.headDim), weightBytes: wb)
            let o = roofline.gemmSeconds(tokens: m, rows: qWidth, cols: hidden, weightBytes: wb)
            var t = qkv + o + 2 * gpu.kernelFloorSeconds
            if d.qkNorm {
                t += 2 * m * (qWidth + kvh * Double(d.headDim)) * Self.activationBytes / roofline.hbmBytesPerSecond
            }
            let cached = v.window.map { min(c, Double($0)) } ?? c
            return t + decodeAttentionSeconds(d, kvHeads: k, generated: g, context: cached)
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
        case .moe(let e, let k):
            return moeIterationSeconds(d, experts: e, topK: k, tokens: m)
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

    /// Expected number of distinct experts M tokens touch when each picks k of E uniformly:
    /// E (1 - (1 - k/E)^M) (k = E: all of them; 0 tokens: none).
    public static func expectedExpertsTouched(experts e: Int, topK k: Int, tokens m: Double) -> Double {
        guard e > 0, m > 0 else { return 0 }
        let kk = Double(min(k, e)), ee = Double(e)
        if kk >= ee { return ee }
        return ee * (1 - _pow(1 - kk / ee, m))
    }

    /// Bytes per expert weight element on one GPU: the checkpoint's expert storage (MXFP4 0.53125)
    /// when narrower than the serving dtype, else the dtype.
    func expertElementBytes(_ d: ModelDimensions) -> Double {
        min(d.moe?.storage.bytesPerParameter ?? weightElementBytes, weightElementBytes)
    }

    /// One iteration of a mixture of E experts (top-k, k' = min(k, E)) over M tokens on one GPU,
    /// experts tensor-parallel (each expert's intermediate size m split over the TP group, as
    /// TensorRT-LLM does by default: moe_tp_size = TP; no expert parallelism):
    /// - router GEMM d -> E (16-bit weights, replicated) over M tokens;
    /// - R = M k' routed rows over T = E (1 - (1 - k'/E)^M) touched experts, r = R / T rows each;
    /// - two grouped GEMMs (d -> 2m/TP, m/TP -> d): FLOPs 2 R d (2m/TP) and 2 R (m/TP) d at the
    ///   grouped-GEMM efficiency e_gemm e_moe r / (r + M½moe) (many small per-expert problems reach
    ///   less of the peak than one dense GEMM, and need more rows per expert to get there); bytes =
    ///   the touched experts' weights T (d x 2m/TP, resp. m/TP x d) wbE + activations
    ///   R (K + N) x 2; each max(compute, memory) plus a kernel floor;
    /// - the token permutation and weighted un-permutation: 2 passes over R x d x 2 bytes read
    ///   and written;
    /// - 8 more kernels (floors): post-attention norm, top-k softmax, a two-pass radix sort of the
    ///   routed tokens by expert, expert offsets, expand (permute), SwiGLU activation, finalize
    ///   (un-permute and weight).
    func moeIterationSeconds(_ d: ModelDimensions, experts e: Int, topK k: Int, tokens m: Double) -> Double {
        guard m > 0, e > 0, let shape = d.moe else { return 0 }
        let hidden = Double(d.hiddenSize)
        let kk = Double(min(k, e))
        let shard = Double(shape.expertIntermediateSize) / Double(tp)
        let routed = m * kk
        let touched = Self.expectedExpertsTouched(experts: e, topK: k, tokens: m)
        let rowsPerExpert = routed / max(touched, 1)
        let wbE = expertElementBytes(d)
        let efficiency = gpu.gemmEfficiency * gpu.moeGemmEfficiency * rowsPerExpert / (rowsPerExpert + gpu.moeGemmHalfTokens)
        let peak = roofline.peakFlopsPerSecond * efficiency
        let ab = Self.activationBytes
        func grouped(rows kIn: Double, cols nOut: Double) -> Double {
            let flops = 2 * routed * kIn * nOut
            let bytes = touched * kIn * nOut * wbE + routed * (kIn + nOut) * ab
            return max(flops / peak, bytes / roofline.hbmBytesPerSecond) + gpu.kernelFloorSeconds
        }
        let router = headRoofline.gemmSeconds(tokens: m, rows: hidden, cols: Double(e), weightBytes: Self.normBytes)
        let permute = 2 * (2 * routed * hidden * ab) / roofline.hbmBytesPerSecond
        return router + grouped(rows: hidden, cols: 2 * shard) + grouped(rows: shard, cols: hidden) + permute
            + Double(Self.moeAuxiliaryKernels) * gpu.kernelFloorSeconds
    }

    /// Kernels of a mixture-of-experts layer besides the router GEMM and the two grouped GEMMs.
    static let moeAuxiliaryKernels = 8

    /// Weight bytes of an attention variant on one GPU: (2 d h e / TP + 2 d k' e) wb + d x 2 (norm),
    /// plus the family's 16-bit vectors: biases (h e / TP + 2 k' e, + d for o), q/k norms (2 e),
    /// sinks (h / TP).
    public func weightBytes(of v: AttentionVariant, dimensions d: ModelDimensions) -> Double {
        let hidden = Double(d.hiddenSize)
        switch v {
        case .gqa(let k), .slidingWindow(let k, _):
            let kvWidth = Double(kvHeadsPerGPU(k) * d.headDim)
            let qWidth = Double(d.queryWidth) / Double(tp)
            let q = 2 * hidden * qWidth
            let kv = 2 * hidden * kvWidth
            var vectors = hidden
            switch d.attentionBias {
            case .none: break
            case .qkv: vectors += qWidth + 2 * kvWidth
            case .qkvo: vectors += qWidth + 2 * kvWidth + hidden
            }
            if d.qkNorm { vectors += 2 * Double(d.headDim) }
            if d.attentionSinks { vectors += Double(d.attentionHeads) / Double(tp) }
            return (q + kv) * weightElementBytes + vectors * Self.normBytes
        case .linear: return hidden * hidden / Double(tp) * weightElementBytes + hidden * Self.normBytes
        case .noOp: return 0
        }
    }

    /// Weight bytes of an FFN variant on one GPU: 3 d n / TP wb + d x 2 (norm); linear d^2 / TP wb + 2 d;
    /// a mixture of E experts: E x 3 d m / TP at the expert storage (MXFP4 or the dtype) + expert biases
    /// E (2 m / TP + d) x 2 + router d E (+ E) x 2 + norm d x 2.
    public func weightBytes(of v: FFNVariant, dimensions d: ModelDimensions) -> Double {
        let hidden = Double(d.hiddenSize)
        switch v {
        case .moe(let e, _):
            guard let shape = d.moe else { return 0 }
            let ee = Double(e), m = Double(shape.expertIntermediateSize)
            let matrices = ee * 3 * hidden * m / Double(tp) * expertElementBytes(d)
            var vectors = hidden + Double(d.routerParameters(experts: e))
            if shape.expertBias { vectors += ee * (2 * m / Double(tp) + hidden) }
            return matrices + vectors * Self.normBytes
        case .swiGLU(let n): return 3 * hidden * Double(n) / Double(tp) * weightElementBytes + hidden * Self.normBytes
        case .linear: return hidden * hidden / Double(tp) * weightElementBytes + hidden * Self.normBytes
        case .noOp: return 0
        }
    }

    /// KV bytes one context token adds on one GPU: 2 k' e kvBytes (0 for linear and no-op); a
    /// sliding-window layer holds at most its window of such tokens.
    public func kvBytesPerToken(of v: AttentionVariant, dimensions d: ModelDimensions) -> Double {
        Double(2 * kvHeadsPerGPU(v.kvHeads) * d.headDim) * kvDtype.bytes
    }

    /// KV bytes one sequence of scenario `s` holds on one GPU at its longest:
    /// 2 k' e kvBytes x min(ISL + OSL, window).
    public func kvBytesPerSequence(of v: AttentionVariant, dimensions d: ModelDimensions, scenario s: Scenario) -> Double {
        kvBytesPerToken(of: v, dimensions: d) * Double(d.cachedTokens(of: effective(v), sequenceTokens: s.sequenceTokens))
    }

    /// KV bytes one sequence holds on one GPU for the pool's accounting under the scheduler policy:
    /// guaranteed-no-evict, at its longest (`kvBytesPerSequence`); max-utilization, on average over
    /// its OSL steps (staggered sequences), 2 k' e kvBytes x the mean of min(ISL + t, window)
    /// (`meanCachedContext`: ISL + OSL/2 without a window).
    public func kvBytesHeldPerSequence(of v: AttentionVariant, dimensions d: ModelDimensions, scenario s: Scenario) -> Double {
        switch scheduler {
        case .guaranteedNoEvict: return kvBytesPerSequence(of: v, dimensions: d, scenario: s)
        case .maxUtilization: return kvBytesPerToken(of: v, dimensions: d) * Self.meanCachedContext(s, window: effective(v).window)
        }
    }

    /// All additive costs of one attention subblock at a fixed scenario and batch.
    /// - Complexity: O(1).
    public func costs(of v: AttentionVariant, dimensions d: ModelDimensions, scenario s: Scenario, batch: Int) -> SubblockCost {
        costs(of: v, dimensions: d, scenario: s, plan: plan(scenario: s, batch: batch))
    }

    /// As `costs(of:dimensions:scenario:batch:)` with a precomputed plan (cheap batch sweeps).
    /// A sliding window W caps what decode steps read (the mean of min(ISL + t, W) over the steps)
    /// and the KV the layer holds; `kvBytesPerToken` is then the per-token average over the
    /// sequence, kv x min(ISL + OSL, W) / (ISL + OSL), so that batch x (ISL + OSL) x it is the
    /// layer's KV memory.
    public func costs(of variant: AttentionVariant, dimensions d: ModelDimensions, scenario s: Scenario, plan p: BatchPlan) -> SubblockCost {
        if variant == .noOp { return .zero }
        let v = effective(variant)
        let context = v.window == nil ? p.meanContextTokens : Self.meanCachedContext(s, window: v.window)
        let iter = attentionIterationSeconds(v, d, tokens: p.tokensPerIteration, generated: p.generatedPerIteration,
            context: context)
        let ar = allReduceSeconds(tokens: p.tokensPerIteration, hidden: d.hiddenSize)
        var prefillAttention = 0.0
        if v.isAttention { prefillAttention = prefillAttentionSeconds(d, length: s.inputTokens, window: v.window) }
        let cycle = p.iterations * (iter + ar) + Double(p.batch) * prefillAttention
        // One sequence's step: everyone's decode tokens and the other B - 1 prompts.
        let step = attentionIterationSeconds(v, d, tokens: p.decodeStepTokens, generated: p.generatedPerIteration,
            context: context) + allReduceSeconds(tokens: p.decodeStepTokens, hidden: d.hiddenSize)
            + Double(p.batch - 1) * prefillAttention / p.iterations
        let isl = Double(s.inputTokens)
        let ttft = attentionIterationSeconds(v, d, tokens: isl, generated: 0, context: 0) + prefillAttention
            + allReduceSeconds(tokens: isl, hidden: d.hiddenSize)
        let w = weightBytes(of: v, dimensions: d)
        let perSequence = kvBytesPerSequence(of: v, dimensions: d, scenario: s)
        let kv = s.sequenceTokens > 0 ? perSequence / Double(s.sequenceTokens) : 0
        return SubblockCost(weightBytes: w, kvBytesPerToken: kv, prefillSeconds: ttft, decodeStepSeconds: step,
            cycleSeconds: cycle, allReduceSeconds: p.iterations * ar,
            memoryRowBytes: gpu.kvCacheMemoryFraction * w + Double(p.batch) * kvBytesHeldPerSequence(of: v, dimensions: d, scenario: s))
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
    /// batch x held KV per sequence <= kvFraction (capacity - weights - reserve), TensorRT-LLM's
    /// rule (the KV pool is kvFraction of what weights and the runtime reserve leave free). The
    /// reserve at the batch is `reserveBytes(activationBytesPerToken:scenario:batch:)`.
    public func memoryRowCapacityBytes(reserveBytes: Double) -> Double {
        gpu.kvCacheMemoryFraction * (gpu.memoryBytes - reserveBytes)
    }
}

extension CostModel {
    /// One iteration of an attention subblock that carries `tokens` tokens, `generated` of them decode
    /// tokens attending to `contextTokens` each (at most the window of a sliding-window layer),
    /// including its all-reduce (seconds). A pure decode step at batch B and context c is
    /// `tokens = generated = B`.
    public func iterationSeconds(of v: AttentionVariant, dimensions d: ModelDimensions, tokens: Double, generated: Double,
        contextTokens: Double) -> Double
    {
        if v == .noOp { return 0 }
        return attentionIterationSeconds(effective(v), d, tokens: tokens, generated: generated, context: contextTokens)
            + allReduceSeconds(tokens: tokens, hidden: d.hiddenSize)
    }

    /// One iteration of an FFN subblock over `tokens` tokens, including its all-reduce (seconds).
    public func iterationSeconds(of v: FFNVariant, dimensions d: ModelDimensions, tokens: Double) -> Double {
        if v == .noOp { return 0 }
        return ffnIterationSeconds(v, d, tokens: tokens) + allReduceSeconds(tokens: tokens, hidden: d.hiddenSize)
    }
}
