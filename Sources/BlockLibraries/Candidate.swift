import ModelArchitecture

/// One option the search may pick: a whole block (joint) or one subblock (decoupled).
///
/// A decoupled attention candidate has `ffn == nil`, a decoupled FFN candidate `attention == nil`;
/// a joint candidate has both. Scores and stats of decoupled candidates are per subblock and
/// **add** to give the block's: score(block) = score(attention) + score(FFN).
public struct Candidate: Sendable, Hashable {
    /// The library's own variant name (kept verbatim from the source, e.g. an NVlabs name).
    public var name: String
    public var attention: AttentionVariant?
    public var ffn: FFNVariant?
    /// Score per metric name (finite).
    public var scores: [String: Double]
    /// Measured or computed numbers by name (`runtime_ms`, `memory_mib`, `num_params`, ...), finite.
    public var stats: [String: Double]

    public init(name: String, attention: AttentionVariant?, ffn: FFNVariant?, scores: [String: Double] = [:],
        stats: [String: Double] = [:])
    {
        self.name = name
        self.attention = attention
        self.ffn = ffn
        self.scores = scores
        self.stats = stats
    }

    /// The canonical name of the typed variant: `gqa:8`, `ffn:14336`, or `gqa:8+ffn:14336` for a pair.
    public var canonicalName: String {
        switch (attention, ffn) {
        case let (a?, f?): return a.name + "+" + f.name
        case let (a?, nil): return a.name
        case let (nil, f?): return f.name
        case (nil, nil): return name
        }
    }

    /// A key identifying the variant within its group (typed, so `kv8` and `gqa:8` collide).
    var variantKey: String { canonicalName }
}
