import ModelArchitecture
import PuzzleCore

/// What the cost model cannot do, with the data to explain it. The `puzzle` executable turns
/// each case into a one-line message and an exit code; nothing here names a command-line flag.
public enum CostModelError: Error, Sendable, Hashable {
    /// What a dtype is used for.
    public enum DTypeRole: String, Sendable, Hashable { case weights, kvCache }

    /// The cost model handles bf16, fp16 and fp8 only.
    case unsupportedDType(DType, role: DTypeRole)
    /// The GPU's profile gives no tensor-core peak for that dtype (an A100 has no FP8).
    case noTensorCores(gpu: String, dtype: DType)
    /// TP must be at least 1.
    case invalidTP(Int)
    /// TP must divide the query heads.
    case tpDoesNotDivideHeads(tp: Int, heads: Int, model: String)
    /// None of TP 1, 2, 4, 8 divides the query heads.
    case noTPDividesHeads(heads: Int, model: String)
    /// Not even one sequence fits: weights + reserve + one sequence's KV exceed the device.
    case doesNotFit(DoesNotFit)
    /// A fixed batch must be at least 1.
    case invalidBatch(Int)
    /// A fixed batch above the runtime's cap on concurrent sequences.
    case batchAboveRuntimeCap(batch: Int, cap: Int, gpu: String)
    /// A fixed batch whose KV cache does not fit the pool.
    case batchDoesNotFit(BatchDoesNotFit)

    /// The data of `doesNotFit`.
    public struct DoesNotFit: Sendable, Hashable {
        public var model: String
        public var gpu: String
        public var tp: Int
        public var dtype: DType
        public var scenario: Scenario
        /// Bytes missing per GPU.
        public var shortBytes: Double
        public var weightsBytesPerGPU: Double
        public var reserveBytes: Double
        public var capacityBytes: Double
    }

    /// The data of `batchDoesNotFit`.
    public struct BatchDoesNotFit: Sendable, Hashable {
        public var batch: Int
        public var model: String
        public var gpu: String
        public var tp: Int
        public var scenario: Scenario
        /// KV-cache bytes the batch needs per GPU, and what the pool holds.
        public var neededBytes: Double
        public var poolBytes: Double
        /// The largest batch that fits.
        public var largestBatch: Int
    }
}
