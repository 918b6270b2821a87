import ModelArchitecture

/// Inference engines and the block variants each can run (reference/puzzle.md section 6):
/// TensorRT-LLM runs every variant; llama.cpp's `deci` architecture runs linear attention and
/// no-ops but has no linear FFN; vLLM's `nemotron_nas` runs no-ops but has no linear replacement.
public enum Engine: String, Sendable, CaseIterable {
    case trtllm, vllm, llamacpp

    public init?(name: String) {
        switch name.lowercased() {
        case "trtllm", "tensorrt-llm", "tensorrt_llm", "trt-llm": self = .trtllm
        case "vllm": self = .vllm
        case "llamacpp", "llama.cpp", "llama-cpp": self = .llamacpp
        default: return nil
        }
    }

    public func supports(_ attention: AttentionVariant) -> Bool {
        switch (self, attention) {
        case (.vllm, .linear): return false
        default: return true
        }
    }

    public func supports(_ ffn: FFNVariant) -> Bool {
        switch (self, ffn) {
        case (.vllm, .linear), (.llamacpp, .linear): return false
        default: return true
        }
    }
}
