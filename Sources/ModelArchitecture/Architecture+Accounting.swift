/// Exact parameter and byte accounting of Llama-style decoders (no biases, RMSNorm weights counted).
///
/// Per layer, with d = hidden size, h = query heads, k = KV heads, e = head dim, n = FFN size:
/// - GQA attention: q (d x h e) + k, v (d x k e each) + o (h e x d) + input RMSNorm (d)
///   = 2 d h e + 2 d k e + d
/// - linear attention: d x d + input RMSNorm (d); no-op attention: 0 (its norm goes too)
/// - SwiGLU FFN: gate, up (d x n each) + down (n x d) + post-attention RMSNorm (d) = 3 d n + d
/// - linear FFN: d x d + d; no-op FFN: 0
/// Outside the layers: embeddings (V x d), LM head (V x d unless tied), final RMSNorm (d).
/// These reproduce the published counts exactly (Llama-3.1-8B 8,030,261,248; Nemotron-Super-49B
/// 49,867,145,216; tests assert them).
extension ModelDimensions {
    /// Parameters of one attention subblock.
    public func parameters(of attention: AttentionVariant) -> Int {
        let d = hiddenSize
        switch attention {
        case .gqa(let k): return 2 * d * queryWidth + 2 * d * k * headDim + d
        case .linear: return d * d + d
        case .noOp: return 0
        }
    }

    /// Parameters of one FFN subblock.
    public func parameters(of ffn: FFNVariant) -> Int {
        let d = hiddenSize
        switch ffn {
        case .swiGLU(let n): return 3 * d * n + d
        case .linear: return d * d + d
        case .noOp: return 0
        }
    }

    /// Parameters of one layer.
    public func parameters(of layer: LayerBlock) -> Int {
        parameters(of: layer.attention) + parameters(of: layer.ffn)
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
}

extension Architecture {
    /// Parameters of every layer, in order.
    public var layerParameters: [Int] { layers.map { dimensions.parameters(of: $0) } }

    /// Total parameters: layers plus embeddings, LM head and final norm.
    public var parameters: Int { layerParameters.reduce(0, +) + dimensions.nonLayerParameters }

    /// Weight bytes with every matrix stored at `dtype`.
    public func weightBytes(_ dtype: DType) -> Double { Double(parameters) * dtype.bytes }

    /// KV-cache bytes per token of context over all layers at `dtype`: sum over layers of 2 k e x bytes.
    public func kvCacheBytesPerToken(_ dtype: DType) -> Double {
        Double(kvHeadsTotal * 2 * dimensions.headDim) * dtype.bytes
    }

    /// Sum over layers of KV heads (a no-op or linear attention contributes 0).
    public var kvHeadsTotal: Int { layers.reduce(0) { $0 + $1.attention.kvHeads } }
}
