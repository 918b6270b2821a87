import PuzzleCore

/// One decoder layer: an attention and an FFN variant, plus any extra per-subblock keys read from a
/// config (kept verbatim so that writing the config back loses nothing).
public struct LayerBlock: Sendable, Hashable {
    public var attention: AttentionVariant
    public var ffn: FFNVariant
    /// Unknown keys of the layer's `attention` config entry, in their original order.
    public var attentionExtras: JSONObject
    /// Unknown keys of the layer's `ffn` config entry, in their original order.
    public var ffnExtras: JSONObject
    /// Unknown keys of the layer's `block_configs` entry beside `attention` and `ffn`.
    public var blockExtras: JSONObject

    public init(attention: AttentionVariant, ffn: FFNVariant, attentionExtras: JSONObject = JSONObject(),
        ffnExtras: JSONObject = JSONObject(), blockExtras: JSONObject = JSONObject())
    {
        self.attention = attention
        self.ffn = ffn
        self.attentionExtras = attentionExtras
        self.ffnExtras = ffnExtras
        self.blockExtras = blockExtras
    }
}

/// A heterogeneous decoder: the parent's global shape plus one (attention, FFN) variant per layer.
/// A uniform parent is the special case where every layer is the parent's block.
public struct Architecture: Sendable, Hashable {
    /// A display name (the built-in name, the config's `_name_or_path`, or the file name).
    public var name: String
    public var dimensions: ModelDimensions
    public var layers: [LayerBlock]
    /// The top-level config fields other than `block_configs`, verbatim and in order
    /// (RoPE settings, token ids, dtype, ...). Written back unchanged.
    public var config: JSONObject

    public init(name: String, dimensions: ModelDimensions, layers: [LayerBlock], config: JSONObject = JSONObject()) {
        self.name = name
        self.dimensions = dimensions
        self.layers = layers
        self.config = config
    }

    /// The uniform parent: every layer the parent's block (`parentBlock`).
    public static func uniform(name: String, dimensions: ModelDimensions, config: JSONObject = JSONObject()) -> Architecture {
        let d = dimensions
        let block = LayerBlock(attention: .gqa(kvHeads: d.kvHeads),
            ffn: d.moe.map { .moe(experts: $0.experts, topK: $0.topK) } ?? .swiGLU(intermediateSize: d.intermediateSize))
        return Architecture(name: name, dimensions: dimensions, layers: Array(repeating: block, count: dimensions.layers),
            config: config)
    }

    /// The parent's own block of a uniform model (GQA with the parent's KV heads, full SwiGLU or
    /// all experts). Heterogeneous parents (gpt-oss's alternating windows, Qwen3-MoE's dense
    /// layers) have their own block per layer in `layers`.
    public var parentBlock: LayerBlock {
        LayerBlock(attention: .gqa(kvHeads: dimensions.kvHeads),
            ffn: dimensions.moe.map { .moe(experts: $0.experts, topK: $0.topK) } ?? .swiGLU(intermediateSize: dimensions.intermediateSize))
    }

    /// The same globals with other layer choices (extras dropped).
    public func replacingLayers(_ blocks: [(AttentionVariant, FFNVariant)], name: String? = nil) -> Architecture {
        var copy = self
        copy.name = name ?? self.name
        copy.layers = blocks.map { LayerBlock(attention: $0.0, ffn: $0.1) }
        return copy
    }

    /// Checks the variants against the globals: KV heads must divide the query heads, sizes and
    /// windows positive and within `ConfigLimits`, mixtures of experts only in MoE families with
    /// 1 <= top-k <= experts.
    public func validate(file: String) throws(DataError) {
        let d = dimensions
        for (index, layer) in layers.enumerated() {
            switch layer.attention {
            case .gqa(let k), .slidingWindow(let k, _):
                if k <= 0 || k > d.attentionHeads || d.attentionHeads % k != 0 {
                    throw DataError(file: file, location: "layer \(index).attention",
                        "\(k) KV heads do not divide the \(d.attentionHeads) query heads")
                }
                if let w = layer.attention.window, w <= 0 || w > ModelLimits.slidingWindow {
                    throw DataError(file: file, location: "layer \(index).attention",
                        "sliding window \(w) is outside 1...\(ModelLimits.slidingWindow)")
                }
            case .linear, .noOp: break
            }
            switch layer.ffn {
            case .swiGLU(let n):
                if n <= 0 || n > ModelLimits.intermediateSize {
                    throw DataError(file: file, location: "layer \(index).ffn",
                        "intermediate size must be in 1...\(ModelLimits.intermediateSize), found \(n)")
                }
            case .moe(let e, let k):
                guard d.moe != nil else {
                    throw DataError(file: file, location: "layer \(index).ffn",
                        "a mixture of experts in a \(d.family.rawValue) model; expected a dense FFN, linear or no-op")
                }
                if e <= 0 || e > ModelLimits.experts || k <= 0 || k > e {
                    throw DataError(file: file, location: "layer \(index).ffn",
                        "\(e) experts with top-\(k): expected 1 <= top-k <= experts <= \(ModelLimits.experts)")
                }
            case .linear, .noOp: break
            }
        }
    }

    /// How many layers use each (attention, FFN) pair, most common first: the layer mix.
    public var layerMix: [(attention: AttentionVariant, ffn: FFNVariant, count: Int)] {
        var counts: [String: (AttentionVariant, FFNVariant, Int)] = [:]
        for layer in layers {
            let key = layer.attention.name + "|" + layer.ffn.name
            counts[key, default: (layer.attention, layer.ffn, 0)].2 += 1
        }
        return counts.values.map { (attention: $0.0, ffn: $0.1, count: $0.2) }.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            if $0.attention != $1.attention { return $0.attention < $1.attention }
            return $0.ffn < $1.ffn
        }
    }

    /// Architectural equality: same shape and the same variants per layer (names, raw config
    /// fields and extras not compared).
    public func hasSameBlocks(as other: Architecture) -> Bool {
        dimensions == other.dimensions && layers.count == other.layers.count
            && zip(layers, other.layers).allSatisfy { $0.attention == $1.attention && $0.ffn == $1.ffn }
    }
}
