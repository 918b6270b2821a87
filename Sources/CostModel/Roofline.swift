/// The roofline primitives every subblock cost is built from. Units: seconds, bytes, FLOPs.
struct Roofline: Sendable {
    var peakFlopsPerSecond: Double
    var gemmEfficiency: Double
    var gemmHalfTokens: Double
    var hbmBytesPerSecond: Double
    var kernelFloorSeconds: Double

    /// A GEMM of `tokens` rows through a `rows x cols` weight matrix stored at `weightBytes` per
    /// element, activations at `activationBytes`:
    /// FLOPs = 2 M K N; bytes = K N wb + M (K + N) ab;
    /// t = max(FLOPs / (peak e M / (M + M½)), bytes / (BW e_hbm)) + floor; 0 when M = 0.
    /// - Complexity: O(1).
    func gemmSeconds(tokens m: Double, rows k: Double, cols n: Double, weightBytes wb: Double, activationBytes ab: Double = 2) -> Double {
        guard m > 0, k > 0, n > 0 else { return 0 }
        let flops = 2 * m * k * n
        let efficiency = gemmEfficiency * m / (m + gemmHalfTokens)
        let bytes = k * n * wb + m * (k + n) * ab
        return max(flops / (peakFlopsPerSecond * efficiency), bytes / hbmBytesPerSecond) + kernelFloorSeconds
    }

    /// FLOPs of a GEMM: 2 M K N.
    static func gemmFlops(tokens m: Double, rows k: Double, cols n: Double) -> Double { 2 * m * k * n }

    /// Bytes a GEMM moves: K N wb (weights) + M (K + N) ab (activations in and out).
    static func gemmBytes(tokens m: Double, rows k: Double, cols n: Double, weightBytes wb: Double, activationBytes ab: Double) -> Double {
        k * n * wb + m * (k + n) * ab
    }
}
