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
    /// 75, 50, 25, 20, 10 percent of the parent's size (`ffnSize(percent:parent:)`), linear, no-op.
    /// For the Llama-3.1 parents that is 6 x 9: 70B FFN 28672, 25088, 21504, 14336, 7168, 5888, 3072.
    ///
    /// Per family (`FamilyDescriptor`): where sliding vs full attention is a per-layer choice
    /// (gpt-oss), every KV-head count comes both ways (`gqa:8`, `gqa:8/w128`); elsewhere a layer
    /// keeps its parent layer's window (Mistral-7B-v0.1 slides everywhere; applied per layer by
    /// `library(parent:)`). Mixture-of-experts parents get instead of the dense sizes: keep 100, 75,
    /// 50, 25, 12.5 percent of the E experts (at least 1; top-k unchanged, capped at the experts
    /// kept: Mixtral 8, 6, 4, 2, 1 with top-2, 2, 2, 2, 1), dense SwiGLU replacements at 100, 50,
    /// 25 percent of the dense reference width (`ModelDimensions.intermediateSize`: Mixtral 2 x 14336
    /// = 28672, 14336, 7168), linear, no-op.
    public static func paper(parent: Architecture) -> CandidateSpace {
        let d = parent.dimensions
        var kvCounts = [8, 4, 2, 1].filter { $0 <= d.kvHeads && d.attentionHeads % $0 == 0 }
        if !kvCounts.contains(d.kvHeads) { kvCounts.insert(d.kvHeads, at: 0) }
        var attention: [AttentionVariant] = []
        let choice = d.family.descriptor.windowIsPerLayerChoice
        for k in kvCounts {
            attention.append(.gqa(kvHeads: k))
            if choice, let w = d.slidingWindow { attention.append(.slidingWindow(kvHeads: k, window: w)) }
        }
        attention += [.linear, .noOp]
        var ffn: [FFNVariant] = []
        if let moe = d.moe {
            for fraction in expertFractions {
                let kept = max(1, Int((Double(moe.experts) * fraction).rounded(.down)))
                let v = FFNVariant.moe(experts: kept, topK: min(moe.topK, kept))
                if !ffn.contains(v) { ffn.append(v) }
            }
            for percent in moeDenseReplacementPercents {
                let v = FFNVariant.swiGLU(intermediateSize: ffnSize(percent: percent, parent: d))
                if !ffn.contains(v) { ffn.append(v) }
            }
        } else {
            for percent in paperFFNPercents {
                let v = FFNVariant.swiGLU(intermediateSize: ffnSize(percent: percent, parent: d))
                if !ffn.contains(v) { ffn.append(v) }
            }
        }
        ffn += [.linear, .noOp]
        return CandidateSpace(attention: attention, ffn: ffn)
    }

    /// The paper's FFN sizes as percentages of the parent's.
    public static let paperFFNPercents: [Double] = [100, 87, 75, 50, 25, 20, 10]
    /// Fractions of a MoE layer's experts the candidate space keeps (puzzletron's gpt-oss example
    /// keeps 24, 16, 8 of 32).
    public static let expertFractions: [Double] = [1, 0.75, 0.5, 0.25, 0.125]
    /// Dense SwiGLU replacements of a MoE layer, percent of the dense reference width.
    public static let moeDenseReplacementPercents: [Double] = [100, 50, 25]

    /// The SwiGLU size for `percent` of the parent's (100% is the parent's size itself).
    /// Llama parents round as the DeciLM mapping does: the multiplier
    /// `ffn_mult = parent_mult x percent / 100` with `parent_mult = 3 n / (2 d)`, then
    /// `int(2 ffn_mult d / 3)` rounded **up** to a multiple of 256. 70B (d 8192, n 28672):
    /// 87% -> 25088, 20% -> 5888, 10% -> 3072. Other families (no `ffn_mult` in their configs;
    /// puzzletron lists explicit sizes): n x percent / 100 rounded up to the family's
    /// `ffnSizeMultiple` (256): Qwen2.5-72B (29568) 87% -> 25856.
    public static func ffnSize(percent: Double, parent d: ModelDimensions) -> Int {
        if percent == 100 { return d.intermediateSize }
        if d.family == .llama {
            let parentMult = 3 * Double(d.intermediateSize) / (2 * Double(d.hiddenSize))
            // percent <= 100 keeps the size at most the parent's, which is within ModelLimits.
            return max(256, DeciLMMapping.intermediateSize(ffnMult: parentMult * percent / 100, hiddenSize: d.hiddenSize) ?? d.intermediateSize)
        }
        let multiple = d.family.descriptor.ffnSizeMultiple
        let raw = Int((Double(d.intermediateSize) * percent / 100).rounded(.down))
        return max(multiple, (raw + multiple - 1) / multiple * multiple)
    }

    /// The FFN variants a parent layer whose own FFN is `parentFFN` may take: a dense parent layer
    /// (Qwen3-MoE `mlp_only_layers`) cannot become a mixture of experts.
    public func ffn(forParentLayer parentFFN: FFNVariant) -> [FFNVariant] {
        if case .moe = parentFFN { return ffn }
        return ffn.filter { if case .moe = $0 { return false } else { return true } }
    }

    /// The attention variants of parent layer `index` (windows resolved per `Architecture.resolveAttention`).
    public func attention(forLayer index: Int, parent: Architecture) -> [AttentionVariant] {
        var out: [AttentionVariant] = []
        for v in attention {
            let r = parent.resolveAttention(v, layer: index, windowSpelled: true)
            if !out.contains(r) { out.append(r) }
        }
        return out
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
            if let problem = parent.problem(with: v) {
                throw .notAllowed(text, subblock: .attention, reason: problem)
            }
            if !out.contains(v) { out.append(v) }
        }
        return out.sorted()
    }

    /// Parses `--ffn` values: percentages (`87%`, or a bare number up to 100; for MoE parents the
    /// share of experts kept), sizes (`ffn:14336`, `intermediate_size=14336`, a bare number above
    /// 100), experts (`moe:4/top2`, `num_local_experts=4`), `linear`, `noop`. Ordered from most to
    /// least capacity, duplicates dropped.
    public static func parseFFN(_ specs: [String], parent: Architecture) throws(CandidateSpaceError) -> [FFNVariant] {
        var out: [FFNVariant] = []
        for item in specs.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let text = item.trimmedOf(" \t")
            var v: FFNVariant?
            let percentText = text.hasSuffix("%") ? String(text.dropLast()) : text
            if let p = Double(percentText), p > 0, p <= 100 {
                if let moe = parent.dimensions.moe {
                    // Mixture-of-experts parents: a percentage keeps that share of the experts.
                    let kept = max(1, Int((Double(moe.experts) * p / 100).rounded(.down)))
                    v = .moe(experts: kept, topK: min(moe.topK, kept))
                } else {
                    v = .swiGLU(intermediateSize: ffnSize(percent: p, parent: parent.dimensions))
                }
            } else {
                v = VariantNames.ffn(text, dimensions: parent.dimensions)
            }
            guard let v else {
                throw .unknownFFN(text)
            }
            if let problem = parent.problem(with: v) {
                throw .notAllowed(text, subblock: .ffn, reason: problem)
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
        let layers = (0..<parent.layers.count).map { index in
            let a = attention(forLayer: index, parent: parent).map {
                Candidate(name: $0.name, attention: $0, ffn: nil, stats: ["num_params": Double(d.parameters(of: $0))])
            }
            let f = ffn(forParentLayer: parent.layers[index].ffn).map {
                Candidate(name: $0.name, attention: nil, ffn: $0, stats: candidateStats($0, d))
            }
            return LayerCandidates(index: index, layout: .decoupled(attention: a, ffn: f))
        }
        var metadata = JSONObject()
        metadata["source"] = .string("puzzle library init (unscored candidate space)")
        metadata["synthetic"] = .bool(false)
        metadata["scored"] = .bool(false)
        return BlockLibrary(parent: parent, metrics: metrics, layers: layers, metadata: metadata)
    }

    /// Exact `num_params`, plus `num_active_params` for a mixture of experts.
    func candidateStats(_ v: FFNVariant, _ d: ModelDimensions) -> [String: Double] {
        var stats = ["num_params": Double(d.parameters(of: v))]
        if case .moe = v { stats["num_active_params"] = Double(d.activeParameters(of: v)) }
        return stats
    }

    /// The rows a scoring pipeline must fill: `layer,subblock,variant,metric,value` with an empty
    /// value, for every layer, candidate and metric.
    public func csvTemplate(parent: Architecture, metrics: [String]) -> String {
        var out = "layer,subblock,variant,metric,value\n"
        for layer in 0..<parent.layers.count {
            let a = attention(forLayer: layer, parent: parent)
            let f = ffn(forParentLayer: parent.layers[layer].ffn)
            for metric in metrics {
                for v in a { out += "\(layer),attention,\(v.name),\(metric),\n" }
                for v in f { out += "\(layer),ffn,\(v.name),\(metric),\n" }
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
    /// Not a percentage, a size, experts, `linear` or `noop`.
    case unknownFFN(String)
    /// A variant the parent's family does not allow (`Architecture.problem(with:)` says why:
    /// a window other than the model's, experts in a dense model, more experts than the parent's).
    case notAllowed(String, subblock: Subblock, reason: String)

    public enum Subblock: String, Sendable, Hashable { case attention, ffn }
}
