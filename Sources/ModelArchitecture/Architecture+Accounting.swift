/// Exact parameter and byte accounting of the supported decoder families (RMSNorm weights counted).
///
/// Per layer, with d = hidden size, h = query heads, k = KV heads, e = head dim, n = FFN size:
/// - GQA attention (full or sliding window): q (d x h e) + k, v (d x k e each) + o (h e x d)
///   + input RMSNorm (d) = 2 d h e + 2 d k e + d, plus the family's terms:
///   q/k/v biases h e + 2 k e (Qwen2; + d for an o bias as well: gpt-oss), q/k RMSNorms 2 e (Qwen3),
///   attention sinks h (gpt-oss: one logit per query head)
/// - linear attention: d x d + input RMSNorm (d); no-op attention: 0 (its norm goes too)
/// - SwiGLU FFN: gate, up (d x n each) + down (n x d) + post-attention RMSNorm (d) = 3 d n + d
/// - mixture of E experts of size m (top-k): E x (3 d m [+ 2 m + d expert biases]) + router d E
///   [+ E router bias] + post-attention RMSNorm d
/// - linear FFN: d x d + d; no-op FFN: 0
/// Outside the layers: embeddings (V x d), LM head (V x d unless tied), final RMSNorm (d).
///
/// Active parameters per token: the same with only min(k, E) experts of each MoE layer counted
/// (everything else, embeddings and LM head included, is active). This is the convention of the
/// Mixtral (12.9B of 46.7B) and Qwen3-30B-A3B (3.3B of 30.5B) model cards; OpenAI's gpt-oss figures
/// (3.6B of 20.9B, 5.1B of 116.8B) leave out the input embedding matrix: subtract V x d.
///
/// These reproduce the published counts exactly (Llama-3.1-8B 8,030,261,248; Nemotron-Super-49B
/// 49,867,145,216; Qwen2.5-7B 7,615,616,512; Qwen3-8B 8,190,735,360; Mistral-7B-v0.3 7,248,023,552;
/// Mixtral-8x7B 46,702,792,704; Qwen3-30B-A3B 30,532,122,624; gpt-oss-20b 20,914,757,184; tests
/// assert them).
extension ModelDimensions {
    /// Parameters of one attention subblock.
    public func parameters(of attention: AttentionVariant) -> Int {
        let d = hiddenSize
        switch attention {
        case .gqa(let k), .slidingWindow(let k, _):
            var p = 2 * d * queryWidth + 2 * d * k * headDim + d
            switch attentionBias {
            case .none: break
            case .qkv: p += queryWidth + 2 * k * headDim
            case .qkvo: p += queryWidth + 2 * k * headDim + d
            }
            if qkNorm { p += 2 * headDim }
            if attentionSinks { p += attentionHeads }
            return p
        case .linear: return d * d + d
        case .noOp: return 0
        }
    }

    /// Parameters of one routed expert: 3 d m (gate, up, down) plus 2 m + d biases where the family has them.
    public var expertParameters: Int {
        guard let moe else { return 0 }
        let m = moe.expertIntermediateSize
        return 3 * hiddenSize * m + (moe.expertBias ? 2 * m + hiddenSize : 0)
    }

    /// Parameters of the router of a layer keeping `experts` experts: d E (+ E bias).
    public func routerParameters(experts: Int) -> Int {
        hiddenSize * experts + (moe?.routerBias == true ? experts : 0)
    }

    /// Parameters of one FFN subblock.
    public func parameters(of ffn: FFNVariant) -> Int {
        let d = hiddenSize
        switch ffn {
        case .moe(let e, _): return e * expertParameters + routerParameters(experts: e) + d
        case .swiGLU(let n): return 3 * d * n + d
        case .linear: return d * d + d
        case .noOp: return 0
        }
    }

    /// Parameters one token uses in an FFN subblock: for a mixture of E experts with top-k, only
    /// min(k, E) experts (plus the router and norm); every other variant uses all of its own.
    public func activeParameters(of ffn: FFNVariant) -> Int {
        if case .moe(let e, let k) = ffn {
            return min(k, e) * expertParameters + routerParameters(experts: e) + hiddenSize
        }
        return parameters(of: ffn)
    }

    /// Elements of the expert weight matrices of an FFN subblock (3 d m per expert, biases excluded):
    /// what `ExpertStorage` applies to.
    public func expertMatrixParameters(of ffn: FFNVariant) -> Int {
        guard case .moe(let e, _) = ffn, let moe else { return 0 }
        return e * 3 * hiddenSize * moe.expertIntermediateSize
    }

    /// Parameters of one layer.
    public func parameters(of layer: LayerBlock) -> Int {
        parameters(of: layer.attention) + parameters(of: layer.ffn)
    }

    /// Parameters one token uses in a layer.
    public func activeParameters(of layer: LayerBlock) -> Int {
        parameters(of: layer.attention) + activeParameters(of: layer.ffn)
    }

    /// Embedding matrix parameters (V x d).
    public var embeddingParameters: Int { vocabSize * hiddenSize }
    /// LM head parameters (V x d, or 0 when tied to the embeddings).
    public var lmHeadParameters: Int { tiedEmbeddings ? 0 : vocabSize * hiddenSize }
    /// Final RMSNorm parameters (d).
    public var finalNormParameters: Int { hiddenSize }
    /// Everything outside the decoder layers.
    public var nonLayerParameters: Int { embeddingParameters + lmHeadParameters + finalNormParameters }

    /// KV-cache elements one token adds to an attention subblock: 2 (K and V) x k x e.
    public func kvElementsPerToken(of attention: AttentionVariant) -> Int {
        2 * attention.kvHeads * headDim
    }

    /// Tokens of a sequence of `sequenceTokens` an attention subblock keeps in its KV cache:
    /// all of them, or at most its sliding window (0 for linear and no-op).
    public func cachedTokens(of attention: AttentionVariant, sequenceTokens: Int) -> Int {
        guard attention.isAttention else { return 0 }
        if let w = attention.window { return min(w, sequenceTokens) }
        return sequenceTokens
    }
}

extension Architecture {
    /// Parameters of every layer, in order.
    public var layerParameters: [Int] { layers.map { dimensions.parameters(of: $0) } }

    /// Total parameters: layers plus embeddings, LM head and final norm.
    public var parameters: Int { layerParameters.reduce(0, +) + dimensions.nonLayerParameters }

    /// Parameters one token uses: total minus the experts each MoE layer keeps but a token skips
    /// (equal to `parameters` for dense models). See the accounting note on `ModelDimensions`.
    public var activeParameters: Int {
        layers.reduce(0) { $0 + dimensions.activeParameters(of: $1) } + dimensions.nonLayerParameters
    }

    /// Elements of routed-expert weight matrices over all layers (stored per `MoEShape.storage`).
    public var expertMatrixParameters: Int { layers.reduce(0) { $0 + dimensions.expertMatrixParameters(of: $1.ffn) } }

    /// Weight bytes with every matrix stored at `dtype`, except routed-expert matrices kept in a
    /// narrower checkpoint storage (gpt-oss MXFP4: 0.53125 bytes each).
    public func weightBytes(_ dtype: DType) -> Double {
        let experts = expertMatrixParameters
        let expertBytes = min(dimensions.moe?.storage.bytesPerParameter ?? dtype.bytes, dtype.bytes)
        return Double(parameters - experts) * dtype.bytes + Double(experts) * expertBytes
    }

    /// KV-cache bytes per token of context over all layers at `dtype`: sum over layers of 2 k e x
    /// bytes (sliding-window layers included; see `kvCacheBytes(sequenceTokens:_:)` for their cap).
    public func kvCacheBytesPerToken(_ dtype: DType) -> Double {
        Double(kvHeadsTotal * 2 * dimensions.headDim) * dtype.bytes
    }

    /// KV-cache bytes of one sequence of `sequenceTokens` tokens: sum over layers of
    /// 2 k e x min(tokens, window) x bytes.
    public func kvCacheBytes(sequenceTokens: Int, _ dtype: DType) -> Double {
        layers.reduce(0.0) { total, layer in
            total + Double(dimensions.kvElementsPerToken(of: layer.attention))
                * Double(dimensions.cachedTokens(of: layer.attention, sequenceTokens: sequenceTokens)) * dtype.bytes
        }
    }

    /// Sum over layers of KV heads (a no-op or linear attention contributes 0).
    public var kvHeadsTotal: Int { layers.reduce(0) { $0 + $1.attention.kvHeads } }
}
