import ModelArchitecture

/// The candidates of one layer, either decoupled (attention and FFN scored separately) or joint
/// ((attention, FFN) pairs scored together).
public struct LayerCandidates: Sendable, Hashable {
    public enum Layout: Sendable, Hashable {
        /// Pick one attention and one FFN candidate; the block's score is their sum.
        case decoupled(attention: [Candidate], ffn: [Candidate])
        /// Pick one (attention, FFN) pair.
        case joint([Candidate])

        public var name: String {
            if case .joint = self { return "joint" }
            return "decoupled"
        }
    }

    /// Zero-based layer index in the parent.
    public var index: Int
    public var layout: Layout

    public init(index: Int, layout: Layout) {
        self.index = index
        self.layout = layout
    }

    /// The solver-facing view: choose exactly one candidate from each group. Decoupled layers give
    /// two groups (attention candidates, then FFN candidates), joint layers one group.
    public var groups: [[Candidate]] {
        switch layout {
        case .decoupled(let a, let f): return [a, f]
        case .joint(let c): return [c]
        }
    }

    /// Every candidate of the layer, group after group.
    public var allCandidates: [Candidate] { groups.flatMap { $0 } }

    /// Names of the groups, parallel to `groups`: `attention`, `ffn` or `block`.
    public var groupNames: [String] {
        switch layout {
        case .decoupled: return ["attention", "ffn"]
        case .joint: return ["block"]
        }
    }

    /// Per group, the index of the candidate that keeps the parent's own subblock(s) (GQA with the
    /// parent's KV heads, SwiGLU with its size), or nil when the library lacks it.
    public func parentPicks(_ d: ModelDimensions) -> [Int?] {
        parentPicks(LayerBlock(attention: .gqa(kvHeads: d.kvHeads),
            ffn: d.moe.map { .moe(experts: $0.experts, topK: $0.topK) } ?? .swiGLU(intermediateSize: d.intermediateSize)))
    }

    /// Per group, the index of the candidate that keeps `block` (the parent's own layer: its
    /// attention with its window, its FFN or all its experts), or nil when the library lacks it.
    public func parentPicks(_ block: LayerBlock) -> [Int?] {
        let attention = block.attention
        let ffn = block.ffn
        return groups.map { group in
            group.firstIndex { c in (c.attention == nil || c.attention == attention) && (c.ffn == nil || c.ffn == ffn) }
        }
    }

    /// Every candidate's attention mapped through `transform` (decoupled and joint alike).
    mutating func mapAttention(_ transform: (Candidate) -> AttentionVariant?) {
        func apply(_ list: [Candidate]) -> [Candidate] {
            list.map { c in
                var out = c
                if c.attention != nil { out.attention = transform(c) }
                return out
            }
        }
        switch layout {
        case .decoupled(let a, let f): layout = .decoupled(attention: apply(a), ffn: f)
        case .joint(let c): layout = .joint(apply(c))
        }
    }

    /// Every whole-block option of the layer with its summed score for `metric`: the joint
    /// candidates, or the cross product of the decoupled groups.
    /// - Complexity: O(|attention| x |ffn|) for decoupled layers.
    public func blockOptions(metric: String) -> [(name: String, attention: AttentionVariant?, ffn: FFNVariant?, score: Double?)] {
        switch layout {
        case .joint(let c):
            return c.map { ($0.name, $0.attention, $0.ffn, $0.scores[metric]) }
        case .decoupled(let a, let f):
            var out: [(name: String, attention: AttentionVariant?, ffn: FFNVariant?, score: Double?)] = []
            out.reserveCapacity(a.count * f.count)
            for x in a {
                for y in f {
                    let s: Double? = {
                        guard let p = x.scores[metric], let q = y.scores[metric] else { return nil }
                        return p + q
                    }()
                    out.append((x.name + "+" + y.name, x.attention, y.ffn, s))
                }
            }
            return out
        }
    }
}
