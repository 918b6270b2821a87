/// The largest sizes a model may declare. Every integer read from a config, a library or an
/// option is checked against these before any arithmetic or allocation, so that exact parameter
/// sums stay far below `Int.max` (2^63) and an absurd config is a clear error, not a trap or a
/// huge allocation.
///
/// With these caps one layer holds at most about 2^46 parameters (a mixture of experts no more than
/// the largest dense FFN, by `expertWidth`) (2 d h e + 2 d k e + 3 d n with
/// d <= 2^20, h e <= 2^22, n <= 2^24), so 2^14 layers sum to at most about 2^60.
public enum ModelLimits {
    /// Hidden size d (residual width): 2^20.
    public static let hiddenSize = 1 << 20
    /// Query or KV heads per layer: 2^16.
    public static let heads = 1 << 16
    /// Elements per head: 2^16.
    public static let headDim = 1 << 16
    /// Query width h x e: 2^22.
    public static let queryWidth = 1 << 22
    /// FFN intermediate size n: 2^24.
    public static let intermediateSize = 1 << 24
    /// Decoder layers: 2^14.
    public static let layers = 1 << 14
    /// Vocabulary size: 2^24.
    public static let vocabSize = 1 << 24
    /// Routed experts per mixture-of-experts layer: 2^12.
    public static let experts = 1 << 12
    /// Experts x expert size of one layer: 2^24, so that a mixture of experts holds at most as many
    /// parameters as the largest dense FFN (Qwen3-235B-A22B: 128 x 1536 = 196,608).
    public static let expertWidth = 1 << 24
    /// Sliding-window length in tokens: 2^30.
    public static let slidingWindow = 1 << 30
}
