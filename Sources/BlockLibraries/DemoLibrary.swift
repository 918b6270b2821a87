import ModelArchitecture
import PuzzleCore

/// A synthetic scored library over the paper's full space for any parent, so that the toolkit
/// can be tried with nothing else. Its metadata says `synthetic: true`: the scores are generated,
/// not measured. Layout: decoupled; metrics `kl_div` (lower, the default objective) and `mmlu`
/// (higher: the change in MMLU accuracy in percentage points, 0 for the parent's subblock,
/// negative otherwise); stats: exact `num_params` per subblock.
///
/// The generator (x = l / (L - 1) the relative depth of layer l, z ~ N(0, 1) from SplitMix64):
/// - damage of removing a subblock entirely (no-op), in KL units, shaped after the released
///   NVlabs Llama-3.3-70B library and the Nemotron-51B / Super-49B layer mixes:
///   attention `A(x) = 0.09 + 0.9 e^(-x/0.08) + 0.25 e^(-((x-0.3)/0.15)^2) + 0.35 e^(-(1-x)/0.05)`
///   (early attention matters, mid-to-late attention is redundant, the last layers matter again);
///   FFN `F(x) = 0.33 + 0.8 e^(-x/0.08) + 0.25 e^(-((x-0.3)/0.2)^2) + 2 e^(-(1-x)/0.05)`;
///   the first layer's attention x 25 and FFN x 40, the last layer's FFN x 6 (essential blocks);
/// - each layer's sensitivity per subblock is jittered by `e^(0.25 z)`;
/// - a variant removes a fraction r of that damage: GQA with k of the parent's K KV heads
///   `r = 0.3 (log2(K/k) / log2 K)^1.3`, linear 0.75, no-op 1; SwiGLU keeping p of the parent's
///   size `r = 0.8 (1 - p)^1.2`, linear 0.88, no-op 1; each jittered by `e^(0.08 z)`;
/// - `kl_div = damage x r` rounded to 1e-6, raised where needed to at least 1.03 x the score of
///   the next-larger variant of the group, so that scores strictly grow as a variant removes more
///   capacity; the parent's own subblock scores exactly 0;
/// - `mmlu = -0.9 kl_div^0.9 e^(0.2 z)` rounded to 1e-4, made strictly decreasing the same way.
/// Deterministic for a seed on every platform.
public enum DemoLibrary {
    public static let generatorName = "puzzle demo v1"

    /// - Complexity: O(layers x variants).
    public static func generate(parent: Architecture, seed: UInt64 = 1) -> BlockLibrary {
        let space = CandidateSpace.paper(parent: parent)
        let d = parent.dimensions
        let count = parent.layers.count
        var layers: [LayerCandidates] = []
        layers.reserveCapacity(count)
        for l in 0..<count {
            var rng = SplitMix64(seed: seed ^ (UInt64(l) &+ 1) &* 0xD1B5_4A32_D192_ED03)
            let x = count > 1 ? Double(l) / Double(count - 1) : 0
            var attentionDamage = 0.09 + 0.9 * _exp(-x / 0.08) + 0.25 * _exp(-sq((x - 0.3) / 0.15)) + 0.35 * _exp(-(1 - x) / 0.05)
            var ffnDamage = 0.33 + 0.8 * _exp(-x / 0.08) + 0.25 * _exp(-sq((x - 0.3) / 0.2)) + 2 * _exp(-(1 - x) / 0.05)
            if l == 0 {
                attentionDamage *= 25
                ffnDamage *= 40
            }
            if l == count - 1 && count > 1 { ffnDamage *= 6 }
            attentionDamage *= _exp(0.25 * rng.normal())
            ffnDamage *= _exp(0.25 * rng.normal())

            let parentBlock = parent.layers[l]
            let attentionVariants = space.attention(forLayer: l, parent: parent)
            let ffnVariants = space.ffn(forParentLayer: parentBlock.ffn)
            let attentionFractions = attentionVariants.map { attentionFraction($0, parent: parentBlock.attention, parentKV: d.kvHeads) }
            let ffnFractions = ffnVariants.map { ffnFraction($0, parent: parentBlock.ffn, dimensions: d) }
            let a = scored(attentionVariants.map { Candidate(name: $0.name, attention: $0, ffn: nil, stats: ["num_params": Double(d.parameters(of: $0))]) },
                fractions: attentionFractions, damage: attentionDamage, rng: &rng)
            let f = scored(ffnVariants.map { Candidate(name: $0.name, attention: nil, ffn: $0, stats: space.candidateStats($0, d)) },
                fractions: ffnFractions, damage: ffnDamage, rng: &rng)
            layers.append(LayerCandidates(index: l, layout: .decoupled(attention: a, ffn: f)))
        }
        var metadata = JSONObject()
        metadata["synthetic"] = .bool(true)
        metadata["generator"] = .string(generatorName)
        metadata["seed"] = .number(Int(truncatingIfNeeded: seed))
        metadata["notes"] = .string(
            "Synthetic scores for trying the toolkit, NOT measured: shaped after published Puzzle libraries (see docs/formats.md). mmlu is the change in accuracy, percentage points.")
        return BlockLibrary(parent: parent, metrics: [Metric("kl_div", direction: .lower), Metric("mmlu", direction: .higher)],
            layers: layers, metadata: metadata)
    }

    @inline(__always) static func sq(_ v: Double) -> Double { v * v }

    /// Fraction of the no-op damage an attention variant causes (0 for the parent's).
    /// A sliding window on a layer whose parent attends fully adds 0.12 (gpt-oss); full attention on a
    /// sliding parent layer is scored like the parent's window (it only adds context).
    static func attentionFraction(_ v: AttentionVariant, parent: AttentionVariant, parentKV: Int) -> Double {
        switch v {
        case .gqa(let k), .slidingWindow(let k, _):
            var r = 0.0
            if k < parentKV, parentKV > 1 {
                let x = _log(Double(parentKV) / Double(k)) / _log(Double(parentKV))
                r = 0.3 * _pow(min(x, 1), 1.3)
            }
            if v.window != nil && parent.isAttention && parent.window == nil { r += 0.12 }
            return r
        case .linear: return 0.75
        case .noOp: return 1
        }
    }

    /// Fraction of the no-op damage an FFN variant causes (0 for the parent's size or larger).
    /// Dense layers: SwiGLU keeping p of the parent's size `0.8 (1 - p)^1.2`. Mixture-of-experts
    /// layers: keeping p of the E experts `0.6 (1 - p)^(1 + log2(E) / 4)` (routers concentrate
    /// traffic on few experts, so the first ones removed, the least used, cost little, and the
    /// more experts a layer has the smaller each one's share: 75% of 128 experts 0.014, of 8
    /// experts 0.053; 50% 0.089 and 0.18) plus `0.1 (1 - k'/k)` when top-k is capped; a dense
    /// replacement of p of the dense reference width `0.45 + 0.4 (1 - p)^1.2`.
    static func ffnFraction(_ v: FFNVariant, parent: FFNVariant, dimensions d: ModelDimensions) -> Double {
        switch (v, parent) {
        case (.moe(let e, let k), .moe(let pe, let pk)):
            let p = min(Double(e) / Double(pe), 1)
            let capped = k < pk ? 0.1 * (1 - Double(k) / Double(pk)) : 0
            return 0.6 * _pow(1 - p, 1 + _log(Double(pe)) / _log(2) / 4) + capped
        case (.swiGLU(let n), .moe):
            let p = min(Double(n) / Double(max(d.intermediateSize, 1)), 1)
            return 0.45 + 0.4 * _pow(1 - p, 1.2)
        case (.swiGLU(let n), _):
            let p = min(Double(n) / Double(max(parent.intermediateSize, d.intermediateSize, 1)), 1)
            return 0.8 * _pow(1 - p, 1.2)
        case (.moe, _): return 1
        case (.linear, _): return 0.88
        case (.noOp, _): return 1
        }
    }

    /// Scores a group ordered from most to least capacity: monotone non-decreasing damage.
    /// Candidates are scored in order of increasing damage fraction (stable: the paper's spaces
    /// already list them so), each at least 1.03 x the previous one's score.
    static func scored(_ candidates: [Candidate], fractions: [Double], damage: Double, rng: inout SplitMix64) -> [Candidate] {
        var out = candidates
        var lastKL = 0.0
        var lastDrop = 0.0
        let order = candidates.indices.sorted { fractions[$0] != fractions[$1] ? fractions[$0] < fractions[$1] : $0 < $1 }
        for k in order {
            let jitterKL = _exp(0.08 * rng.normal())
            let jitterMMLU = _exp(0.2 * rng.normal())
            guard fractions[k] > 0 else {
                out[k].scores = ["kl_div": 0, "mmlu": 0]
                continue
            }
            var kl = (damage * fractions[k] * jitterKL * 1e6).rounded() / 1e6
            kl = max(kl, (lastKL * 1.03 * 1e6).rounded(.up) / 1e6, 1e-6)
            var drop = (0.9 * _pow(kl, 0.9) * jitterMMLU * 1e4).rounded() / 1e4
            drop = max(drop, (lastDrop * 1.03 * 1e4).rounded(.up) / 1e4, 1e-4)
            lastKL = kl
            lastDrop = drop
            out[k].scores = ["kl_div": kl, "mmlu": -drop]
        }
        return out
    }
}
