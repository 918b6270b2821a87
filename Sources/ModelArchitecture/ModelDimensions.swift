import PuzzleCore

/// The global shape of a Llama-style dense decoder: what every layer shares.
///
/// `kvHeads` and `intermediateSize` are the parent's per-layer values; a heterogeneous child
/// overrides them layer by layer.
public struct ModelDimensions: Sendable, Hashable {
    /// Residual stream width d (elements).
    public var hiddenSize: Int
    /// Query heads per attention layer.
    public var attentionHeads: Int
    /// The parent's key/value heads per attention layer.
    public var kvHeads: Int
    /// Elements per head (usually hiddenSize / attentionHeads).
    public var headDim: Int
    /// The parent's SwiGLU intermediate size.
    public var intermediateSize: Int
    /// Decoder layers of the parent.
    public var layers: Int
    /// Tokens in the vocabulary.
    public var vocabSize: Int
    /// Whether the LM head shares the embedding matrix.
    public var tiedEmbeddings: Bool

    public init(
        hiddenSize: Int, attentionHeads: Int, kvHeads: Int, headDim: Int? = nil, intermediateSize: Int,
        layers: Int, vocabSize: Int, tiedEmbeddings: Bool = false
    ) {
        self.hiddenSize = hiddenSize
        self.attentionHeads = attentionHeads
        self.kvHeads = kvHeads
        self.headDim = headDim ?? hiddenSize / max(attentionHeads, 1)
        self.intermediateSize = intermediateSize
        self.layers = layers
        self.vocabSize = vocabSize
        self.tiedEmbeddings = tiedEmbeddings
    }

    /// Query projection width: heads x headDim.
    public var queryWidth: Int { attentionHeads * headDim }
}
