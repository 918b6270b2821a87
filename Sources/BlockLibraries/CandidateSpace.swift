import ModelArchitecture
import PuzzleCore

/// The unscored per-layer search space: which attention and FFN variants each layer may take.
public struct CandidateSpace: Sendable, Hashable {
    public var attention: [AttentionVariant]
    public var ffn: [FFNVariant]

    public init(attention: [AttentionVariant], ffn: [FFNVariant]) {
        self.attention = attention
        self.ffn = ffn
    }

    /// The paper's space for `parent`: attention GQA with 8, 4, 2, 1 KV heads (those that do not
    /// exceed the parent's KV heads and divide its query heads), linear, no-op; FFN at 100, 87,
    /// 75, 50, 25, 20, 10 percent of the parent's size (`ffnSize(percent:)`), linear, no-op.
    /// For the Llama-3.1 parents that is 6 x 9: 70B FFN 28672, 25088, 21504, 14336, 7168, 5888, 3072.
    public static func paper(parent: Architecture) -> CandidateSpace {
        let d = parent.dimensions
        var attention: [AttentionVariant] = [8, 4, 2, 1].filter { $0 <= d.kvHeads && d.attentionHeads % $0 == 0 }.map { .gqa(kvHeads: $0) }
        if !attention.contains(.gqa(kvHeads: d.kvHeads)) { attention.insert(.gqa(kvHeads: d.kvHeads), at: 0) }
        attention += [.linear, .noOp]
        var ffn: [FFNVariant] = []
        for percent in paperFFNPercents {
            let v = FFNVariant.swiGLU(intermediateSize: ffnSize(percent: percent, parent: d))
            if !ffn.contains(v) { ffn.append(v) }
        }
        ffn += [.linear, .noOp]
        return CandidateSpace(attention: attention, ffn: ffn)
    }

    /// The paper's FFN sizes as percentages of the parent's.
    public static let paperFFNPercents: [Double] = [100, 87, 75, 50, 25, 20, 10]

    /// The SwiGLU size for `percent` of the parent's, rounded as the DeciLM mapping does: the
    /// multiplier `ffn_mult = parent_mult x percent / 100` with `parent_mult = 3 n / (2 d)`, then
    /// `int(2 ffn_mult d / 3)` rounded **up** to a multiple of 256. 70B (d 8192, n 28672):
    /// 87% -> 25088, 20% -> 5888, 10% -> 3072; 100% gives the parent's size back.
    public static func ffnSize(percent: Double, parent d: ModelDimensions) -> Int {
        if percent == 100 { return d.intermediateSize }
        let parentMult = 3 * Double(d.intermediateSize) / (2 * Double(d.hiddenSize))
        // percent <= 100 keeps the size at most the parent's, which is within ModelLimits.
        return max(256, DeciLMMapping.intermediateSize(ffnMult: parentMult * percent / 100, hiddenSize: d.hiddenSize) ?? d.intermediateSize)
    }

    /// Parses `--attention` values (comma-separated and/or repeated): KV head counts (`8`,
    /// `gqa:4`, `num_key_value_heads=2`), `linear`, `noop`. Duplicates are dropped; the result is
    /// ordered from most to least capacity.
    public static func parseAttention(_ specs: [String], parent: Architecture) throws(CandidateSpaceError) -> [AttentionVariant] {
        var out: [AttentionVariant] = []
        for item in specs.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let text = item.trimmedOf(" \t")
            guard let v = VariantNames.attention(text, dimensions: parent.dimensions) else {
                throw .unknownAttention(text)
            }
            if case .gqa(let k) = v, parent.dimensions.attentionHeads % k != 0 {
                throw .kvHeadsDoNotDivideHeads(text, kvHeads: k, heads: parent.dimensions.attentionHeads, parent: parent.name)
            }
            if !out.contains(v) { out.append(v) }
        }
        return out.sorted()
    }

    /// Parses `--ffn` values: percentages (`87%`, or a bare number up to 100), sizes (`ffn:14336`,
    /// `intermediate_size=14336`, a bare number above 100), `linear`, `noop`. Ordered from most to
    /// least capacity, duplicates dropped.
    public static func parseFFN(_ specs: [String], parent: Architecture) throws(CandidateSpaceError) -> [FFNVariant] {
        var out: [FFNVariant] = []
        for item in specs.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let text = item.trimmedOf(" \t")
            var v: FFNVariant?
            let percentText = text.hasSuffix("%") ? String(text.dropLast()) : text
            if let p = Double(percentText), p > 0, p <= 100 {
                v = .swiGLU(intermediateSize: ffnSize(percent: p, parent: parent.dimensions))
            } else {
                v = VariantNames.ffn(text, dimensions: parent.dimensions)
            }
            guard let v else {
                throw .unknownFFN(text)
            }
            if !out.contains(v) { out.append(v) }
        }
        return out.sorted()
    }

    /// Candidates per layer (attention x FFN combinations).
    public var combinations: Int { attention.count * ffn.count }

    /// An unscored decoupled library over this space: every layer gets every attention and FFN
    /// variant, named canonically (`gqa:4`, `ffn:7168`), with exact `num_params` stats.
    public func library(parent: Architecture, metrics: [Metric] = []) -> BlockLibrary {
        let d = parent.dimensions
        let a = attention.map { Candidate(name: $0.name, attention: $0, ffn: nil, stats: ["num_params": Double(d.parameters(of: $0))]) }
        let f = ffn.map { Candidate(name: $0.name, attention: nil, ffn: $0, stats: ["num_params": Double(d.parameters(of: $0))]) }
        let layers = (0..<parent.layers.count).map { LayerCandidates(index: $0, layout: .decoupled(attention: a, ffn: f)) }
        var metadata = JSONObject()
        metadata["source"] = .string("puzzle library init (unscored candidate space)")
        metadata["synthetic"] = .bool(false)
        metadata["scored"] = .bool(false)
        return BlockLibrary(parent: parent, metrics: metrics, layers: layers, metadata: metadata)
    }

    /// The rows a scoring pipeline must fill: `layer,subblock,variant,metric,value` with an empty
    /// value, for every layer, candidate and metric.
    public func csvTemplate(parent: Architecture, metrics: [String]) -> String {
        var out = "layer,subblock,variant,metric,value\n"
        for layer in 0..<parent.layers.count {
            for metric in metrics {
                for v in attention { out += "\(layer),attention,\(v.name),\(metric),\n" }
                for v in ffn { out += "\(layer),ffn,\(v.name),\(metric),\n" }
            }
        }
        return out
    }
}

/// A candidate-space specification that names no variant of the parent.
public enum CandidateSpaceError: Error, Sendable, Hashable {
    /// Not KV heads (`8`, `gqa:4`), `linear` or `noop`.
    case unknownAttention(String)
    /// A KV-head count that does not divide the parent's query heads.
    case kvHeadsDoNotDivideHeads(String, kvHeads: Int, heads: Int, parent: String)
    /// Not a percentage, a size, `linear` or `noop`.
    case unknownFFN(String)
}
