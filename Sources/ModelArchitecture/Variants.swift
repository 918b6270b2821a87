/// The attention subblock of one layer.
public enum AttentionVariant: Sendable, Hashable, Comparable {
    /// Grouped-query attention with `kvHeads` key/value heads (the query heads are the model's).
    case gqa(kvHeads: Int)
    /// The whole attention replaced by one `hidden x hidden` matrix (a token attends only to itself).
    case linear
    /// The subblock removed; the residual stream passes through.
    case noOp

    /// Key/value heads this variant caches per token (0 for linear and no-op).
    public var kvHeads: Int {
        if case .gqa(let k) = self { return k }
        return 0
    }

    /// A short stable name: `gqa:8`, `linear`, `noop`.
    public var name: String {
        switch self {
        case .gqa(let k): return "gqa:\(k)"
        case .linear: return "linear"
        case .noOp: return "noop"
        }
    }

    /// Parses `gqa:8`, `kv8`, `8`, `linear`, `noop`/`no-op`/`no_op`.
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
            guard let k = Int(digits), k > 0, k <= ModelLimits.heads else { return nil }
            self = .gqa(kvHeads: k)
        }
    }

    /// Order: more KV heads first, then linear, then no-op (from most to least capacity).
    public static func < (a: AttentionVariant, b: AttentionVariant) -> Bool {
        func rank(_ v: AttentionVariant) -> (Int, Int) {
            switch v {
            case .gqa(let k): return (0, -k)
            case .linear: return (1, 0)
            case .noOp: return (2, 0)
            }
        }
        return rank(a) < rank(b)
    }
}

/// The feed-forward subblock of one layer.
public enum FFNVariant: Sendable, Hashable, Comparable {
    /// A SwiGLU MLP (gate, up: hidden -> n; down: n -> hidden) with intermediate size n.
    case swiGLU(intermediateSize: Int)
    /// The MLP replaced by one `hidden x hidden` matrix.
    case linear
    /// The subblock removed.
    case noOp

    public var intermediateSize: Int {
        if case .swiGLU(let n) = self { return n }
        return 0
    }

    /// A short stable name: `ffn:28672`, `linear`, `noop`.
    public var name: String {
        switch self {
        case .swiGLU(let n): return "ffn:\(n)"
        case .linear: return "linear"
        case .noOp: return "noop"
        }
    }

    /// Parses `ffn:14336`, `14336`, `linear`, `noop`.
    public init?(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "linear": self = .linear
        case "noop", "no-op", "no_op": self = .noOp
        default:
            var digits = Substring(lower)
            for prefix in ["ffn:", "ffn", "swiglu:"] where digits.hasPrefix(prefix) {
                digits = digits.dropFirst(prefix.count)
                break
            }
            guard let n = Int(digits), n > 0, n <= ModelLimits.intermediateSize else { return nil }
            self = .swiGLU(intermediateSize: n)
        }
    }

    /// Order: larger MLPs first, then linear, then no-op.
    public static func < (a: FFNVariant, b: FFNVariant) -> Bool {
        func rank(_ v: FFNVariant) -> (Int, Int) {
            switch v {
            case .swiGLU(let n): return (0, -n)
            case .linear: return (1, 0)
            case .noOp: return (2, 0)
            }
        }
        return rank(a) < rank(b)
    }
}
