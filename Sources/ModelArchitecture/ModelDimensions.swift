import PuzzleCore

/// Which projections of an attention subblock carry a bias vector.
public enum AttentionBias: String, Sendable, Hashable {
    /// No biases (Llama, Mistral, Qwen3, Mixtral, Qwen3-MoE).
    case none
    /// q, k and v carry biases, o does not (Qwen2 / Qwen2.5).
    case qkv
    /// q, k, v and o carry biases (gpt-oss; Qwen3 with `attention_bias: true`).
    case qkvo
}

/// How a checkpoint stores the routed experts' weight matrices.
public enum ExpertStorage: String, Sendable, Hashable {
    /// Like every other matrix (the serving dtype).
    case dense
    /// MXFP4 (OCP microscaling): 4-bit values in blocks of 32 sharing one 8-bit scale,
    /// 4.25 bits = 0.53125 bytes per parameter (gpt-oss `*_blocks` + `*_scales`).
    case mxfp4

    /// Bytes per parameter in this storage, or nil when the serving dtype decides.
    public var bytesPerParameter: Double? {
        switch self {
        case .dense: return nil
        case .mxfp4: return 0.5 + 1.0 / 32
        }
    }
}

/// The routed-expert shape of a mixture-of-experts family (one per model; a layer's variant says
/// how many experts it keeps and how many a token uses).
public struct MoEShape: Sendable, Hashable {
    /// Routed experts per MoE layer in the parent (Mixtral 8, Qwen3-30B-A3B 128, gpt-oss-20b 32).
    public var experts: Int
    /// Experts each token uses in the parent (Mixtral 2, Qwen3-MoE 8, gpt-oss 4).
    public var topK: Int
    /// SwiGLU intermediate size of one expert (Mixtral 14336, Qwen3-30B-A3B 768, gpt-oss 2880).
    public var expertIntermediateSize: Int
    /// Whether the router (gate) has a bias vector (gpt-oss).
    public var routerBias: Bool
    /// Whether each expert's gate/up (2 n) and down (d) projections carry biases (gpt-oss).
    public var expertBias: Bool
    /// How the checkpoint stores the expert matrices.
    public var storage: ExpertStorage

    public init(experts: Int, topK: Int, expertIntermediateSize: Int, routerBias: Bool = false, expertBias: Bool = false,
        storage: ExpertStorage = .dense)
    {
        self.experts = experts
        self.topK = topK
        self.expertIntermediateSize = expertIntermediateSize
        self.routerBias = routerBias
        self.expertBias = expertBias
        self.storage = storage
    }
}

/// The global shape of a decoder: what every layer shares, and the family-specific terms that
/// change parameter counts and costs (biases, q/k norms, attention sinks, expert shape).
///
/// `kvHeads` and `intermediateSize` are the parent's per-layer values; a heterogeneous child
/// overrides them layer by layer. For mixture-of-experts parents `intermediateSize` is the dense
/// reference width a dense FFN replacement is sized against: Qwen3-MoE's `intermediate_size` (its
/// dense layers), else top-k x the expert size (the FLOPs a token spends in the experts).
public struct ModelDimensions: Sendable, Hashable {
    /// The family the config came from (reading, variants, writing; see `FamilyDescriptor`).
    public var family: ModelFamily
    /// Residual stream width d (elements).
    public var hiddenSize: Int
    /// Query heads per attention layer.
    public var attentionHeads: Int
    /// The parent's key/value heads per attention layer.
    public var kvHeads: Int
    /// Elements per head (hiddenSize / attentionHeads unless the config says otherwise).
    public var headDim: Int
    /// The parent's SwiGLU intermediate size (see the type's note for MoE parents).
    public var intermediateSize: Int
    /// Decoder layers of the parent.
    public var layers: Int
    /// Tokens in the vocabulary.
    public var vocabSize: Int
    /// Whether the LM head shares the embedding matrix.
    public var tiedEmbeddings: Bool
    /// Bias vectors on the attention projections.
    public var attentionBias: AttentionBias
    /// Per-head RMSNorm on queries and keys (Qwen3: `q_norm`, `k_norm`, e weights each).
    public var qkNorm: Bool
    /// One learned attention-sink logit per query head (gpt-oss `self_attn.sinks`).
    public var attentionSinks: Bool
    /// The model's sliding window (`sliding_window`), when some layer uses one; a layer's variant
    /// says whether it does (`AttentionVariant.slidingWindow`).
    public var slidingWindow: Int?
    /// The routed-expert shape, for mixture-of-experts families.
    public var moe: MoEShape?

    public init(
        hiddenSize: Int, attentionHeads: Int, kvHeads: Int, headDim: Int? = nil, intermediateSize: Int,
        layers: Int, vocabSize: Int, tiedEmbeddings: Bool = false, family: ModelFamily = .llama,
        attentionBias: AttentionBias = .none, qkNorm: Bool = false, attentionSinks: Bool = false,
        slidingWindow: Int? = nil, moe: MoEShape? = nil
    ) {
        self.family = family
        self.hiddenSize = hiddenSize
        self.attentionHeads = attentionHeads
        self.kvHeads = kvHeads
        self.headDim = headDim ?? hiddenSize / max(attentionHeads, 1)
        self.intermediateSize = intermediateSize
        self.layers = layers
        self.vocabSize = vocabSize
        self.tiedEmbeddings = tiedEmbeddings
        self.attentionBias = attentionBias
        self.qkNorm = qkNorm
        self.attentionSinks = attentionSinks
        self.slidingWindow = slidingWindow
        self.moe = moe
    }

    /// Query projection width: heads x headDim.
    public var queryWidth: Int { attentionHeads * headDim }
}
