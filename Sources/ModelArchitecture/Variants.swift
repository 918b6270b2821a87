/// The attention subblock of one layer.
public enum AttentionVariant: Sendable, Hashable, Comparable {
    /// Grouped-query attention over the whole context with `kvHeads` key/value heads (the query
    /// heads are the model's).
    case gqa(kvHeads: Int)
    /// Grouped-query attention over a sliding window: each token attends to (and the KV cache
    /// holds) at most the last `window` tokens (Mistral-7B-v0.1's 4096, gpt-oss's 128).
    case slidingWindow(kvHeads: Int, window: Int)
    /// The whole attention replaced by one `hidden x hidden` matrix (a token attends only to itself).
    case linear
    /// The subblock removed; the residual stream passes through.
    case noOp

    /// Key/value heads this variant caches per token (0 for linear and no-op).
    public var kvHeads: Int {
        switch self {
        case .gqa(let k), .slidingWindow(let k, _): return k
        case .linear, .noOp: return 0
        }
    }

    /// The sliding window in tokens, or nil for full attention, linear and no-op.
    public var window: Int? {
        if case .slidingWindow(_, let w) = self { return w }
        return nil
    }

    /// Whether this is real attention with a KV cache (GQA, full or windowed).
    public var isAttention: Bool { kvHeads > 0 }

    /// The same kind of attention with `kvHeads` KV heads (linear and no-op unchanged).
    public func withKVHeads(_ k: Int) -> AttentionVariant {
        switch self {
        case .gqa: return .gqa(kvHeads: k)
        case .slidingWindow(_, let w): return .slidingWindow(kvHeads: k, window: w)
        case .linear, .noOp: return self
        }
    }

    /// The same KV heads with a window (nil: full attention); linear and no-op unchanged.
    public func withWindow(_ window: Int?) -> AttentionVariant {
        switch self {
        case .gqa(let k), .slidingWindow(let k, _):
            if let window { return .slidingWindow(kvHeads: k, window: window) }
            return .gqa(kvHeads: k)
        case .linear, .noOp: return self
        }
    }

    /// A short stable name: `gqa:8`, `gqa:8/w4096` (sliding window), `linear`, `noop`.
    public var name: String {
        switch self {
        case .gqa(let k): return "gqa:\(k)"
        case .slidingWindow(let k, let w): return "gqa:\(k)/w\(w)"
        case .linear: return "linear"
        case .noOp: return "noop"
        }
    }

    /// Parses `gqa:8`, `kv8`, `8`, `gqa:8/w4096`, `8/w128`, `linear`, `noop`/`no-op`/`no_op`.
    public init?(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "linear": self = .linear
        case "noop", "no-op", "no_op": self = .noOp
        default:
            var digits = Substring(lower)
            for prefix in ["gqa:", "gqa", "kv:", "kv"] where digits.hasPrefix(prefix) {
                digits = digits.dropFirst(prefix.count)
                break
            }
            var window: Int?
            if let slash = digits.firstIndex(of: "/") {
                var w = digits[digits.index(after: slash)...]
                guard w.hasPrefix("w") else { return nil }
                w = w.dropFirst()
                guard let value = Int(w), value > 0, value <= ModelLimits.slidingWindow else { return nil }
                window = value
                digits = digits[..<slash]
            }
            guard let k = Int(digits), k > 0, k <= ModelLimits.heads else { return nil }
            self = window.map { .slidingWindow(kvHeads: k, window: $0) } ?? .gqa(kvHeads: k)
        }
    }

    /// Order: more KV heads first (full attention before a window, wider windows first), then
    /// linear, then no-op (from most to least capacity).
    public static func < (a: AttentionVariant, b: AttentionVariant) -> Bool {
        func rank(_ v: AttentionVariant) -> (Int, Int, Int, Int) {
            switch v {
            case .gqa(let k): return (0, -k, 0, 0)
            case .slidingWindow(let k, let w): return (0, -k, 1, -w)
            case .linear: return (1, 0, 0, 0)
            case .noOp: return (2, 0, 0, 0)
            }
        }
        return rank(a) < rank(b)
    }
}

/// The feed-forward subblock of one layer.
public enum FFNVariant: Sendable, Hashable, Comparable {
    /// A mixture of experts keeping `experts` of the parent's routed experts (each a SwiGLU of the
    /// model's expert size), of which every token uses `topK` (at most `experts`).
    case moe(experts: Int, topK: Int)
    /// A SwiGLU MLP (gate, up: hidden -> n; down: n -> hidden) with intermediate size n.
    case swiGLU(intermediateSize: Int)
    /// The MLP replaced by one `hidden x hidden` matrix.
    case linear
    /// The subblock removed.
    case noOp

    /// The dense SwiGLU size (0 for mixtures of experts, linear and no-op).
    public var intermediateSize: Int {
        if case .swiGLU(let n) = self { return n }
        return 0
    }

    /// Routed experts kept (0 unless a mixture of experts).
    public var experts: Int {
        if case .moe(let e, _) = self { return e }
        return 0
    }

    /// Experts each token uses (0 unless a mixture of experts).
    public var topK: Int {
        if case .moe(_, let k) = self { return k }
        return 0
    }

    /// A short stable name: `moe:8/top2`, `ffn:28672`, `linear`, `noop`.
    public var name: String {
        switch self {
        case .moe(let e, let k): return "moe:\(e)/top\(k)"
        case .swiGLU(let n): return "ffn:\(n)"
        case .linear: return "linear"
        case .noOp: return "noop"
        }
    }

    /// Parses `moe:8/top2` (also `moe:8/2`), `ffn:14336`, `14336`, `linear`, `noop`.
    public init?(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "linear": self = .linear
        case "noop", "no-op", "no_op": self = .noOp
        default:
            if lower.hasPrefix("moe:") || lower.hasPrefix("experts:") {
                let body = lower.drop { $0 != ":" }.dropFirst()
                let parts = body.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count == 2, let e = Int(parts[0]), e > 0, e <= ModelLimits.experts else { return nil }
                var k = parts[1]
                if k.hasPrefix("top") { k = k.dropFirst(3) }
                guard let topK = Int(k), topK > 0, topK <= e else { return nil }
                self = .moe(experts: e, topK: topK)
                return
            }
            var digits = Substring(lower)
            for prefix in ["ffn:", "ffn", "swiglu:"] where digits.hasPrefix(prefix) {
                digits = digits.dropFirst(prefix.count)
                break
            }
            guard let n = Int(digits), n > 0, n <= ModelLimits.intermediateSize else { return nil }
            self = .swiGLU(intermediateSize: n)
        }
    }

    /// Order: mixtures of experts (more experts, then more per token, first), then larger MLPs,
    /// then linear, then no-op.
    public static func < (a: FFNVariant, b: FFNVariant) -> Bool {
        func rank(_ v: FFNVariant) -> (Int, Int, Int) {
            switch v {
            case .moe(let e, let k): return (0, -e, -k)
            case .swiGLU(let n): return (1, -n, 0)
            case .linear: return (2, 0, 0)
            case .noOp: return (3, 0, 0)
            }
        }
        return rank(a) < rank(b)
    }
}
