/// How far the engine may land from a prediction: empirical quantiles of
/// r = measured / predicted - 1 over published measurements (docs/cost-model.md, "Uncertainty").
public struct ErrorBand: Sendable, Hashable {
    /// The `lowerQuantile`-th quantile of r (negative: the engine can be slower / smaller).
    public var lower: Double
    /// The `upperQuantile`-th quantile of r.
    public var upper: Double
    /// Measurements the quantiles come from.
    public var rows: Int

    public init(lower: Double, upper: Double, rows: Int) {
        self.lower = lower
        self.upper = upper
        self.rows = rows
    }

    /// The band around a predicted value x: [x (1 + lower), x (1 + upper)].
    public func interval(_ x: Double) -> (low: Double, high: Double) { (x * (1 + lower), x * (1 + upper)) }

    /// Nearest-rank quantiles of r = measured / predicted - 1 (the q-th of n sorted values is the
    /// ceil(q n)-th, at least the first).
    /// - Complexity: O(n log n).
    public init(ratios r: [Double], lowerQuantile: Double = PredictionBands.lowerQuantile,
        upperQuantile: Double = PredictionBands.upperQuantile)
    {
        let sorted = r.sorted()
        func rank(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let k = Int((q * Double(sorted.count)).rounded(.up))
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, k - 1))]
        }
        self.init(lower: rank(lowerQuantile), upper: rank(upperQuantile), rows: sorted.count)
    }
}

/// One band per predicted quantity, from the published measurements that quantity was compared
/// with. Every prediction (`cost`, `compare`, manifests) carries these; `search --margin p90`
/// requires each budget to hold at the band's edge.
public struct PredictionBands: Sendable, Hashable {
    /// The quantiles the bands span (an 80% band).
    public static let lowerQuantile = 0.10
    public static let upperQuantile = 0.90

    /// Output tokens/s (per GPU and in total): the 20 calibration rows
    /// (shared/data/calibration/trtllm-h100-fp8.csv) and the 60 out-of-sample rows of
    /// bench/data/trtllm-v1.0-perf-overview-fp8.csv, all offline max-throughput runs.
    public var throughput: ErrorBand
    /// Time per output token at batch 1-16: the tpot_ms rows with concurrency <= 16 of
    /// bench/data/small-batch-latency.csv.
    public var tpot: ErrorBand
    /// Time to first token: only two published TTFTs (the ttft_ms rows of
    /// bench/data/small-batch-latency.csv), so pooled with the TPOT rows: every small-batch latency
    /// row with concurrency <= 16 (the same kernels at small token counts).
    public var ttft: ErrorBand
    /// Memory per GPU (weights + KV + reserve): weights and KV are exact accounting; the band is
    /// the base reserve's range of +-0.5 GiB (reserve grid 3.8-4.3 GiB keeps the calibration within
    /// a point of its best) over an 80 GiB device.
    public var memory: ErrorBand

    public init(throughput: ErrorBand, tpot: ErrorBand, ttft: ErrorBand, memory: ErrorBand) {
        self.throughput = throughput
        self.tpot = tpot
        self.ttft = ttft
        self.memory = memory
    }

    /// The bands of the built-in constants (H100, TensorRT-LLM, FP8), used for every GPU.
    /// Recomputed from the data files by `bench/bench_cost.sh` and checked by
    /// `BandTests.bandsMatchTheData` (values rounded to 0.1%).
    public static let calibrated = PredictionBands(
        throughput: ErrorBand(lower: -0.083, upper: 0.097, rows: 80),
        tpot: ErrorBand(lower: -0.131, upper: 0.096, rows: 5),
        ttft: ErrorBand(lower: -0.131, upper: 0.096, rows: 7),
        memory: ErrorBand(lower: -0.0063, upper: 0.0063, rows: 0))
}
