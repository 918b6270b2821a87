import ModelArchitecture
import PuzzleCore

/// The roofline + in-flight-batching cost model for one (GPU, dtype, KV dtype, TP).
///
/// Per subblock and iteration of M tokens (g of them decode tokens with mean context c), per GPU:
/// - GQA attention (h query heads, k KV heads, head dim e, hidden d, k' = ceil(k / TP)):
///   GEMM(d -> (h/TP + 2k') e) + GEMM(h e / TP -> d) + 2 kernel floors (norm, attention kernel)
///   + decode attention reading g c 2 k' e kvBytes of KV at e_attn x HBM bandwidth + all-reduce(M);
///   per cycle add batch x prefill attention 4 (h/TP) e ISL^2 / 2 FLOPs at e_pf peak ISL/(ISL+L½).
/// - linear attention / linear FFN: GEMM(d -> d/TP) + floor + all-reduce(M).
/// - SwiGLU FFN (size n): GEMM(d -> 2n/TP) + GEMM(n/TP -> d) + 2 floors + all-reduce(M).
/// - no-op: nothing.
/// - outside the layers: the LM head GEMM(d -> V/TP) over the g decode tokens (BF16 weights when the
///   model is FP8, as in TensorRT-LLM FP8 checkpoints) + the per-iteration host overhead.
/// All-reduce of M tokens, payload P = M d 2 bytes (BF16): TensorRT-LLM's one-shot kernel when
/// P <= 256 KiB, t_1shot + (TP-1) P / (link e_ar); two-shot up to 2 MiB, t_1shot + 2 (TP-1)/TP P / (link e_ar);
/// else the ring, t_ar + 2 (TP-1)/TP P / (link e_ar) (see `allReduceSeconds`).
/// cycle = iterations x iteration time + batch x prefill attention (see `BatchPlan`).
/// Memory: the KV pool is kvFraction x (capacity - weights - reserve), reserve = base +
/// tokenBudget x 2 (d + 3 n_widest / TP) bytes of activations; a sequence holds the KV of
/// `kvBytesHeldPerSequence` (the scheduler policy's tokens, window-capped).
public struct CostModel: Sendable {
    public let gpu: GPUProfile
    /// Weights and activations.
    public let dtype: DType
    public let kvDtype: DType
    public let tp: Int
    /// How the runtime admits sequences into the KV pool (decides the largest batch).
    public let scheduler: SchedulerPolicy
    /// Whether sliding windows cap the KV cache and attention reads (`.model`, default) or the
    /// runtime attends over the whole sequence (`.fullAttention`: TensorRT-LLM unless its
    /// `max_attention_window_size` is set; trtllm-bench leaves it at the sequence length).
    public var attentionWindows: AttentionWindowPolicy = .model
    let roofline: Roofline
    let headRoofline: Roofline

    /// The dtypes the model handles, for weights/activations and for the KV cache.
    public static let supportedDTypes: [DType] = [.bf16, .fp16, .fp8]

    /// - Throws: `CostModelError` when the GPU has no tensor cores for `dtype`, a dtype is not one
    ///   of bf16/fp16/fp8, or TP < 1.
    public init(gpu: GPUProfile, dtype: DType, kvDtype: DType? = nil, tp: Int, scheduler: SchedulerPolicy = .guaranteedNoEvict)
        throws(CostModelError)
    {
        guard Self.supportedDTypes.contains(dtype) else { throw .unsupportedDType(dtype, role: .weights) }
        let kv = kvDtype ?? dtype
        guard Self.supportedDTypes.contains(kv) else { throw .unsupportedDType(kv, role: .kvCache) }
        guard tp >= 1 else { throw .invalidTP(tp) }
        guard let peak = gpu.peakFlopsPerSecond(dtype) else { throw .noTensorCores(gpu: gpu.name, dtype: dtype) }
        self.gpu = gpu
        self.dtype = dtype
        self.kvDtype = kv
        self.tp = tp
        self.scheduler = scheduler
        let bw = gpu.hbmBytesPerSecond * gpu.hbmEfficiency
        roofline = Roofline(peakFlopsPerSecond: peak, gemmEfficiency: gpu.gemmEfficiency, gemmHalfTokens: gpu.gemmHalfTokens,
            hbmBytesPerSecond: bw, kernelFloorSeconds: gpu.kernelFloorSeconds)
        let head: DType = dtype == .fp8 ? .bf16 : dtype
        headRoofline = Roofline(peakFlopsPerSecond: gpu.peakFlopsPerSecond(head) ?? peak, gemmEfficiency: gpu.gemmEfficiency,
            gemmHalfTokens: gpu.gemmHalfTokens, hbmBytesPerSecond: bw, kernelFloorSeconds: gpu.kernelFloorSeconds)
    }

    /// The dtype of embeddings and LM head: BF16 when the model is FP8 (TensorRT-LLM keeps them
    /// unquantised), else the model's dtype.
    public var headDtype: DType { dtype == .fp8 ? .bf16 : dtype }
    /// Bytes per weight element.
    var weightElementBytes: Double { dtype.bytes }
    /// Norm weights stay 16-bit.
    static let normBytes: Double = 2
    /// Activations between kernels and all-reduce payloads are 16-bit.
    static let activationBytes: Double = 2

    /// The attention variant this model costs: `v`, or `v` without its window under `.fullAttention`.
    public func effective(_ v: AttentionVariant) -> AttentionVariant {
        attentionWindows == .fullAttention ? v.withWindow(nil) : v
    }

    // MARK: batch plan

    /// trtllm-bench's token budget for a batch: raw = min(batch (1 + ISL/OSL), maxNumTokens), rounded
    /// up to 256 (min 2048) below 4096, to 512 below 8192, else to 1024.
    public func tokenBudget(scenario s: Scenario, batch: Int) -> Int {
        let raw = min(Double(batch) * (1 + Double(s.inputTokens) / Double(s.outputTokens)), Double(gpu.maxNumTokens))
        func up(_ x: Double, _ q: Double) -> Int { Int((x / q).rounded(.up) * q) }
        let budget: Int
        if raw < 4096 {
            budget = max(2048, up(raw, 256))
        } else if raw < 8192 {
            budget = up(raw, 512)
        } else {
            budget = up(raw, 1024)
        }
        return min(budget, max(gpu.maxNumTokens, 2048))
    }

    /// The in-flight iteration structure of a cycle at `batch` (see `BatchPlan`).
    /// - Complexity: O(1).
    public func plan(scenario s: Scenario, batch: Int) -> BatchPlan {
        let b = Double(max(batch, 1))
        let isl = Double(s.inputTokens), osl = Double(s.outputTokens)
        let budget = tokenBudget(scenario: s, batch: batch)
        let iterations = max(osl, b * (isl + osl) / Double(budget))
        return BatchPlan(batch: max(batch, 1), tokenBudget: budget, iterations: iterations,
            tokensPerIteration: b * (isl + osl) / iterations, generatedPerIteration: b * osl / iterations,
            meanContextTokens: isl + osl / 2, decodeStepTokens: (b * osl + (b - 1) * isl) / iterations)
    }

    // MARK: primitives

    // MARK: memory

    /// Activation bytes one token of an iteration holds at the forward pass's peak on one GPU (the
    /// FFN of the widest layer: residual d, gate/up 2w/TP and activated w/TP values, 16-bit):
    /// 2 (d + 3 w / TP), w the widest FFN (its intermediate size; d for a linear FFN; 0 without FFN).
    public func activationBytesPerToken(hidden: Int, widestFFN: Int) -> Double {
        2 * (Double(hidden) + 3 * Double(max(widestFFN, 0)) / Double(tp))
    }

    /// `activationBytesPerToken(hidden:widestFFN:)` of an architecture's widest FFN.
    public func activationBytesPerToken(_ a: Architecture) -> Double {
        activationBytesPerToken(hidden: a.dimensions.hiddenSize, widestFFN: Self.widestFFN(a))
    }

    /// The widest FFN of an architecture: the largest intermediate size, d for a linear FFN, k m for
    /// a mixture of experts (each token's k' = min(k, E') experts of size m), 0 when every FFN is a no-op.
    public static func widestFFN(_ a: Architecture) -> Int {
        a.layers.reduce(0) { w, layer in
            switch layer.ffn {
            case .moe(let experts, let topK):
                let size = a.dimensions.moe?.expertIntermediateSize ?? 0
                return max(w, min(topK, experts) * size)
            case .swiGLU(let n): return max(w, n)
            case .linear: return max(w, a.dimensions.hiddenSize)
            case .noOp: return w
            }
        }
    }

    /// Memory the runtime keeps outside the KV pool at a batch: the base reserve (CUDA context,
    /// workspaces, graphs) + tokenBudget(batch) x activation bytes per token (TensorRT-LLM sizes
    /// its activations for the engine's max num tokens).
    public func reserveBytes(activationBytesPerToken a: Double, scenario s: Scenario, batch: Int) -> Double {
        gpu.runtimeReserveBytes + Double(tokenBudget(scenario: s, batch: batch)) * a
    }


    // MARK: primitives

    /// KV heads one GPU holds: ceil(k / TP) (heads are replicated when TP exceeds k).
    public func kvHeadsPerGPU(_ kvHeads: Int) -> Int { kvHeads <= 0 ? 0 : (kvHeads + tp - 1) / tp }

    /// All-reduce of `tokens` rows of width d at 16 bits (payload P = tokens d 2 bytes), by the kernel
    /// TensorRT-LLM picks for the size:
    /// - P <= allReduceOneShotMaxBytes: one-shot (every rank reads its TP - 1 peers' payloads),
    ///   t_1shot + (TP - 1) P / (link e_ar);
    /// - P <= allReduceTwoShotMaxBytes: two-shot (reduce-scatter + all-gather), t_1shot + 2 (TP - 1)/TP P / (link e_ar);
    /// - else the ring (NCCL), t_ar + 2 (TP - 1) / TP P / (link e_ar).
    /// 0 at TP 1 or 0 tokens.
    public func allReduceSeconds(tokens: Double, hidden: Int) -> Double {
        guard tp > 1, tokens > 0 else { return 0 }
        let payload = allReducePayloadBytes(tokens: tokens, hidden: hidden)
        let bandwidth = gpu.linkBytesPerSecond * gpu.allReduceEfficiency
        if payload <= gpu.allReduceOneShotMaxBytes {
            return gpu.allReduceOneShotLatencySeconds + payload * Double(tp - 1) / bandwidth
        }
        let ring = payload * 2 * Double(tp - 1) / Double(tp) / bandwidth
        if payload <= gpu.allReduceTwoShotMaxBytes { return gpu.allReduceOneShotLatencySeconds + ring }
        return gpu.allReduceLatencySeconds + ring
    }

    /// The all-reduce payload: tokens x d x 2 bytes.
    public func allReducePayloadBytes(tokens: Double, hidden: Int) -> Double {
        tokens * Double(hidden) * Self.activationBytes
    }

    /// Causal prefill attention of one sequence of L tokens on one GPU: 4 (h/TP) e x P FLOPs, where
    /// P = sum over query positions of the keys each attends to = L^2 / 2 (full attention) or, with a
    /// sliding window W < L, W^2 / 2 + (L - W) W; at peak x e_pf x S / (S + L½) with S = min(L, W) the
    /// span a query attends to (seconds). No kernel floor: one kernel serves every prompt of an
    /// iteration, and its launch is already counted among the attention subblock's floors.
    func prefillAttentionSeconds(_ d: ModelDimensions, length: Int, window: Int? = nil) -> Double {
        let l = Double(length)
        guard l > 0 else { return 0 }
        let span = window.map { min(Double($0), l) } ?? l
        let pairs = span >= l ? l * l / 2 : span * span / 2 + (l - span) * span
        let flops = 4 * Double(d.attentionHeads) / Double(tp) * Double(d.headDim) * pairs
        let eff = gpu.attentionPrefillEfficiency * span / (span + gpu.attentionHalfLengthTokens)
        return flops / (roofline.peakFlopsPerSecond * eff)
    }

    /// Decode attention of `generated` tokens with mean cached context `context` reading their KV
    /// (2 k' e kvBytes per cached token) at HBM x e_attn (seconds).
    func decodeAttentionSeconds(_ d: ModelDimensions, kvHeads: Int, generated: Double, context: Double) -> Double {
        guard generated > 0 else { return 0 }
        let bytes = generated * context * Double(2 * kvHeadsPerGPU(kvHeads) * d.headDim) * kvDtype.bytes
        return bytes / (gpu.hbmBytesPerSecond * gpu.attentionDecodeEfficiency)
    }

    /// The mean number of cached tokens a decode step of scenario `s` attends to under a sliding
    /// window W: the mean over the OSL steps of min(ISL + t, W), t from 0 to OSL (continuous):
    /// ISL + OSL/2 when W >= ISL + OSL, W when W <= ISL, else
    /// ((W^2 - ISL^2) / 2 + (ISL + OSL - W) W) / OSL. Without a window: ISL + OSL/2.
    public static func meanCachedContext(_ s: Scenario, window: Int?) -> Double {
        let isl = Double(s.inputTokens), osl = Double(s.outputTokens)
        guard let window else { return isl + osl / 2 }
        let w = Double(window)
        if w >= isl + osl { return isl + osl / 2 }
        if w <= isl { return w }
        return ((w * w - isl * isl) / 2 + (isl + osl - w) * w) / osl
    }
}

/// How a runtime treats a model's sliding windows.
public enum AttentionWindowPolicy: String, Sendable, Hashable, CaseIterable {
    /// Each sliding-window layer holds and reads at most its window of KV (the model's definition;
    /// vLLM, TensorRT-LLM with `max_attention_window_size` per layer).
    case model
    /// Every layer caches and attends over the whole sequence (TensorRT-LLM's default: the
    /// attention window is the maximum sequence length unless configured; trtllm-bench does not
    /// configure it, which the Mistral-7B-v0.1 calibration rows confirm: 20000/2000 is predicted
    /// +5% this way and +183% with the 4096 window).
    case fullAttention = "full"
}
