/// The DeciLM / nemotron-nas mapping between `ffn_mult` and SwiGLU intermediate sizes, and between
/// `n_heads_in_group` and KV heads.
public enum DeciLMMapping {
    /// `int(2 * ffn_mult * hidden / 3)` rounded **up** to a multiple of 256, evaluated in the same
    /// order and precision (IEEE double) as the reference Python: 5.25 at hidden 8192 -> 28672,
    /// 1.0 -> 5632 (5461 rounded up).
    /// Nil when the multiplier is not finite and positive or the size would exceed
    /// `ModelLimits.intermediateSize`.
    public static func intermediateSize(ffnMult: Double, hiddenSize: Int) -> Int? {
        let raw = 2 * ffnMult * Double(hiddenSize) / 3
        guard raw.isFinite, raw >= 0, raw <= Double(ModelLimits.intermediateSize) else { return nil }
        let truncated = Int(raw)
        return (truncated + 255) / 256 * 256
    }

    /// An `ffn_mult` that maps back to `intermediateSize` exactly, or nil when no multiplier can
    /// (sizes that are not multiples of 256). Prefers the shortest decimal (`3 n / 2 d`).
    public static func ffnMult(intermediateSize: Int, hiddenSize: Int) -> Double? {
        guard intermediateSize > 0, intermediateSize % 256 == 0 else { return nil }
        let exact = 3 * Double(intermediateSize) / (2 * Double(hiddenSize))
        if self.intermediateSize(ffnMult: exact, hiddenSize: hiddenSize) == intermediateSize { return exact }
        // Nudge upwards until truncation lands in the right 256-block.
        var candidate = exact
        for _ in 0..<64 {
            candidate = candidate.nextUp
            if self.intermediateSize(ffnMult: candidate, hiddenSize: hiddenSize) == intermediateSize { return candidate }
        }
        return nil
    }
}
