import PuzzleCore

/// Upper bounds on every integer read from a model config, so that no field can make the
/// accounting overflow or an allocation explode (a `num_hidden_layers` of 10^9 is a `DataError`
/// naming the field and the limit, never a trap or an 80 GB array).
///
/// With these bounds the largest possible subblock (a mixture of 1,024 experts of size 2^20 at
/// hidden 2^17: 3 x 2^47 parameters) times 2,048 layers stays below 2^60, far from Int.max.
public enum ConfigLimits {
    public static let hiddenSize = 131_072
    public static let attentionHeads = 4_096
    public static let headDim = 4_096
    public static let intermediateSize = 1_048_576
    public static let layers = 2_048
    public static let vocabSize = 16_777_216
    public static let experts = 1_024
    public static let slidingWindow = 1 << 30
    /// `ffn_mult` (DeciLM) above this cannot describe a real model.
    public static let ffnMult = 1_000.0
}

extension JSONReader {
    /// A positive integer not above `limit`; the error names the field and the limit.
    func boundedInt(_ limit: Int, minimum: Int = 1) throws(DataError) -> Int {
        let value = try int
        guard value >= minimum else {
            throw fail(minimum == 1 ? "expected a positive integer, found \(value)" : "expected an integer >= \(minimum), found \(value)")
        }
        guard value <= limit else { throw fail("\(value) exceeds the limit \(limit) this tool accepts") }
        return value
    }

    /// The optional member `key` as a bounded positive integer.
    func optionalBounded(_ key: String, _ limit: Int) throws(DataError) -> Int? {
        try optional(key)?.boundedInt(limit)
    }

    /// The required member `key` as a bounded positive integer.
    func requiredBounded(_ key: String, _ limit: Int) throws(DataError) -> Int {
        try required(key).boundedInt(limit)
    }
}
