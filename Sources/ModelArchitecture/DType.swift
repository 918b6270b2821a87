/// A number format for weights, activations or the KV cache.
public enum DType: String, Sendable, Hashable, CaseIterable {
    case fp32, bf16, fp16, fp8, int8, int4

    /// Storage per element in bytes (int4: 0.5).
    public var bytes: Double {
        switch self {
        case .fp32: return 4
        case .bf16, .fp16: return 2
        case .fp8, .int8: return 1
        case .int4: return 0.5
        }
    }

    /// Parses `bf16`, `bfloat16`, `fp16`, `float16`, `half`, `fp8`, `float8`, `e4m3`, `int8`, `int4`, `fp32`, `float32`.
    public init?(name: String) {
        switch name.lowercased() {
        case "fp32", "float32", "float": self = .fp32
        case "bf16", "bfloat16": self = .bf16
        case "fp16", "float16", "half": self = .fp16
        case "fp8", "float8", "e4m3", "fp8_e4m3": self = .fp8
        case "int8", "w8a8": self = .int8
        case "int4", "w4a16": self = .int4
        default: return nil
        }
    }
}
