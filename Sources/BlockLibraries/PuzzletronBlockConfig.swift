import ModelArchitecture
import PuzzleCore

/// One block configuration as Model-Optimizer puzzletron writes it: `dataclasses.asdict` of
/// `BlockConfig` (`modelopt/torch/puzzletron/block_config.py`, NVIDIA/Model-Optimizer at
/// a2fbac7b), found in `replacement_library.json` (`child_block_configs`), in the scoring outputs
/// (`puzzle_solution.single_sequence_replacement.child_block_configs`), in the teacher's
/// `config.json` (`block_configs`) and, per subblock, in `subblock_stats.json`
/// (`subblocks[].subblock_config`):
///
/// ```json
/// {"attention": {"no_op": false, "replace_with_linear": false, "sparsify": null, "weights_precision": "bf16",
///                "num_key_value_heads": 8, "llama4": null, "mamba": null},
///  "ffn": {"no_op": false, "replace_with_linear": false, "sparsify": null, "weights_precision": "bf16",
///          "moe": null, "intermediate_size": 14336},
///  "parallel_blocks": null}
/// ```
///
/// Missing members take the dataclass defaults (`no_op` and `replace_with_linear` false,
/// `weights_precision` "bf16", the rest null), as upstream's constructors do. Upstream compares
/// configs by `str(dataclass)`, i.e. every field after `__post_init__` (a no-op subblock forgets
/// its KV heads / intermediate size); `key` reproduces that equality.
///
/// Refused, naming the field: unknown members (a version this reader does not know; DeciLM-era
/// `n_heads_in_group` / `ffn_mult` are named as such), `sparsify`, `llama4`, `mamba`,
/// `parallel_blocks` (costs this toolkit does not model), `moe` in a dense parent's run or with
/// another expert size than the parent's (see `readMoE`), both `no_op` and
/// `replace_with_linear`, KV heads that do not divide the parent's query heads, sizes out of range.
struct PuzzletronBlockConfig: Sendable, Hashable {
    var attention: PuzzletronSubblockConfig
    var ffn: PuzzletronSubblockConfig
    /// The object as read (verbatim), written back on export.
    var json: JSONValue

    static let blockKeys: Set<String> = ["attention", "ffn", "parallel_blocks"]

    /// upstream `block_config_to_str`, runs of spaces collapsed: `attention kv_heads_8 ffn intermediate_14336`.
    /// A mixture's FFN is labelled `moe num_experts_E expert_intermediate_dim_D shared_expert_intermediate_dim_S num_experts_per_tok_K`.
    var name: String { "attention \(attention.repr) \(ffn.label) \(ffn.repr)" }

    /// `heads`: the parent's query heads; `moe`: its expert shape (nil for dense parents, whose
    /// block configs must not have `moe`).
    static func read(_ r: JSONReader, heads: Int, moe: MoEShape?) throws(DataError) -> PuzzletronBlockConfig {
        let object = try r.object
        for key in object.keys where !blockKeys.contains(key) {
            throw DataError(file: r.file, location: r.child(key),
                "unknown BlockConfig field; Model-Optimizer puzzletron (block_config.py) writes attention, ffn, parallel_blocks: this file is from a version this reader does not read")
        }
        if let p = try r.optional("parallel_blocks") {
            throw p.fail("parallel blocks are not supported (their costs combine by max, not by sum); expected null")
        }
        let attention = try PuzzletronSubblockConfig.read(try r.required("attention"), kind: .attention, heads: heads, moe: moe)
        let ffn = try PuzzletronSubblockConfig.read(try r.required("ffn"), kind: .ffn, heads: heads, moe: moe)
        return PuzzletronBlockConfig(attention: attention, ffn: ffn, json: r.value)
    }

    /// A block config for typed variants (used when a library lacks the verbatim one).
    static func make(attention: AttentionVariant, ffn: FFNVariant) -> PuzzletronBlockConfig {
        let a = PuzzletronSubblockConfig(kind: .attention, attention: attention, ffn: nil, weightsPrecision: "bf16",
            json: PuzzletronSubblockConfig.json(attention: attention))
        let f = PuzzletronSubblockConfig(kind: .ffn, attention: nil, ffn: ffn, weightsPrecision: "bf16",
            json: PuzzletronSubblockConfig.json(ffn: ffn))
        return PuzzletronBlockConfig(attention: a, ffn: f,
            json: .object(JSONObject([("attention", a.json), ("ffn", f.json), ("parallel_blocks", .null)])))
    }
}

/// An `AttentionConfig` or `FFNConfig` (see `PuzzletronBlockConfig`).
struct PuzzletronSubblockConfig: Sendable, Hashable {
    enum Kind: String, Sendable { case attention, ffn }
    var kind: Kind
    var attention: AttentionVariant?
    var ffn: FFNVariant?
    var weightsPrecision: String?
    var json: JSONValue

    static let attentionKeys: [String] = ["no_op", "replace_with_linear", "sparsify", "weights_precision", "num_key_value_heads", "llama4", "mamba"]
    static let ffnKeys: [String] = ["no_op", "replace_with_linear", "sparsify", "weights_precision", "moe", "intermediate_size"]
    /// Sizes beyond this are not a real FFN (and would overflow parameter arithmetic).
    static let maxIntermediateSize = 1 << 24

    /// Upstream's equality: `str()` of the dataclass after `__post_init__`.
    var key: String {
        let wp = weightsPrecision ?? "null"
        switch kind {
        case .attention:
            switch attention {
            case .noOp?: return "attention|no_op|\(wp)"
            case .linear?: return "attention|linear|\(wp)"
            case .gqa(let k)?: return "attention|kv=\(k)|\(wp)"
            case .slidingWindow(let k, let w)?: return "attention|kv=\(k)|w=\(w)|\(wp)"
            case nil: return "attention|?"
            }
        case .ffn:
            switch ffn {
            case .noOp?: return "ffn|no_op|\(wp)"
            case .linear?: return "ffn|linear|\(wp)"
            case .swiGLU(let n)?: return "ffn|n=\(n)|\(wp)"
            case .moe(let e, let k)?: return "ffn|moe=\(e)/\(k)|\(wp)"
            case nil: return "ffn|?"
            }
        }
    }

    /// upstream `subblock_config_to_str`'s subblock name: `attention`, `ffn`, or `moe` for a mixture.
    var label: String {
        if kind == .ffn, let m = json["moe"], !m.isNull { return "moe" }
        return kind.rawValue
    }

    /// upstream `subblock_config_to_str` without its padding: `kv_heads_8`, `intermediate_512`, `no_op`, `linear`,
    /// `num_experts_4 expert_intermediate_dim_512 shared_expert_intermediate_dim_8192 num_experts_per_tok_2`.
    var repr: String {
        switch (attention, ffn) {
        case (.noOp?, _), (_, .noOp?): return "no_op"
        case (.linear?, _), (_, .linear?): return "linear"
        case (.gqa(let k)?, _), (.slidingWindow(let k, _)?, _): return "kv_heads_\(k)"
        case (_, .moe?):
            func py(_ key: String) -> String {
                guard let v = json["moe"]?[key], !v.isNull else { return "None" }
                return v.intValue.map(String.init) ?? JSONWriter.string(v)
            }
            return "num_experts_\(py("num_local_experts")) expert_intermediate_dim_\(py("expert_intermediate_dim"))"
                + " shared_expert_intermediate_dim_\(py("shared_expert_intermediate_dim")) num_experts_per_tok_\(py("num_experts_per_tok"))"
        case (_, .swiGLU(let n)?): return "intermediate_\(n)"
        default: return "?"
        }
    }

    static func read(_ r: JSONReader, kind: Kind, heads: Int, moe: MoEShape?) throws(DataError) -> PuzzletronSubblockConfig {
        let object = try r.object
        let known = kind == .attention ? attentionKeys : ffnKeys
        for key in object.keys where !known.contains(key) {
            let era = ["n_heads_in_group", "ffn_mult"].contains(key)
                ? " (`\(key)` is the DeciLM-era Puzzle schema; Model-Optimizer puzzletron writes \(kind == .attention ? "num_key_value_heads" : "intermediate_size"))" : ""
            throw DataError(file: r.file, location: r.child(key),
                "unknown \(kind == .attention ? "AttentionConfig" : "FFNConfig") field\(era); expected \(known.joined(separator: ", ")): this file is from a version this reader does not read")
        }
        for key in kind == .attention ? ["sparsify", "llama4", "mamba"] : ["sparsify"] {
            if let v = try r.optional(key) {
                let what = key == "mamba" ? "Mamba subblocks" : key == "llama4" ? "Llama-4 attention" : "sparsified weights"
                throw v.fail("\(what) are not supported (this toolkit models GQA attention, SwiGLU FFNs and mixtures of experts); expected null")
            }
        }
        let noOp = try r.optional("no_op")?.bool ?? false
        let linear = try r.optional("replace_with_linear")?.bool ?? false
        if noOp && linear { throw r.fail("no_op and replace_with_linear are both true; expected at most one") }
        // `weights_precision` defaults to "bf16"; an explicit null stays null (str() differs).
        let weightsPrecision: String?
        if let v = r.value["weights_precision"] {
            weightsPrecision = v.isNull ? nil : try JSONReader(file: r.file, path: r.child("weights_precision"), value: v).string
        } else {
            weightsPrecision = "bf16"
        }
        var config = PuzzletronSubblockConfig(kind: kind, attention: nil, ffn: nil, weightsPrecision: weightsPrecision, json: r.value)
        switch kind {
        case .attention:
            if noOp {
                config.attention = .noOp
            } else {
                // Upstream asserts num_key_value_heads for every non-no-op attention (linear included).
                let reader = try r.required("num_key_value_heads")
                let k = try reader.positiveInt
                guard k <= heads, heads % k == 0 else {
                    throw reader.fail("\(k) KV heads do not divide the parent's \(heads) query heads")
                }
                config.attention = linear ? .linear : .gqa(kvHeads: k)
            }
        case .ffn:
            if noOp {
                config.ffn = .noOp  // upstream's __post_init__ forgets `moe` and the size of a no-op
            } else if let m = try r.optional("moe") {
                let variant = try readMoE(m, parent: moe)
                config.ffn = linear ? .linear : variant
            } else {
                let reader = try r.required("intermediate_size")
                let n = try reader.positiveInt
                guard n <= maxIntermediateSize else {
                    throw reader.fail("intermediate size \(n) is out of range; expected at most \(maxIntermediateSize)")
                }
                config.ffn = linear ? .linear : .swiGLU(intermediateSize: n)
            }
        }
        return config
    }

    /// Upstream's `MoEConfig` (`block_config.py`): `num_local_experts` (default 8),
    /// `num_experts_per_tok` (default 1, at most the experts), `expert_intermediate_dim` (default
    /// 8192; must be the parent's expert size: per-layer expert sizes are not modelled),
    /// `shared_expert_intermediate_dim` (ignored: the families read here have no shared expert and
    /// puzzletron's converters leave the dataclass default there). Experts at most the parent's.
    static func readMoE(_ r: JSONReader, parent: MoEShape?) throws(DataError) -> FFNVariant {
        guard let parent else {
            throw r.fail("a mixture-of-experts FFN in a block config of a dense parent; expected null")
        }
        let object = try r.object
        let known = ["num_local_experts", "num_experts_per_tok", "expert_intermediate_dim", "shared_expert_intermediate_dim"]
        for key in object.keys where !known.contains(key) {
            throw DataError(file: r.file, location: r.child(key),
                "unknown MoEConfig field; expected \(known.joined(separator: ", ")): this file is from a version this reader does not read")
        }
        var experts = 8
        if let e = try r.optional("num_local_experts") {
            experts = try e.positiveInt
            guard experts <= parent.experts else {
                throw e.fail("\(experts) experts exceed the parent's \(parent.experts); expected at most \(parent.experts)")
            }
        } else if experts > parent.experts {
            throw r.fail("num_local_experts is missing (upstream default 8) and the parent has \(parent.experts) experts; expected the field")
        }
        var topK = 1
        if let k = try r.optional("num_experts_per_tok") {
            topK = try k.positiveInt
            guard topK <= experts else {
                throw k.fail("\(topK) experts per token exceed the \(experts) experts kept; expected at most \(experts)")
            }
        }
        let sizeReader = try r.optional("expert_intermediate_dim")
        let size = try sizeReader?.positiveInt ?? 8192
        guard size == parent.expertIntermediateSize else {
            throw (sizeReader ?? r).fail("expert size \(size)\(sizeReader == nil ? " (upstream default)" : "") differs from the parent's \(parent.expertIntermediateSize); per-layer expert sizes are not supported")
        }
        return .moe(experts: experts, topK: topK)
    }

    /// `dataclasses.asdict(AttentionConfig(...))` for a typed variant (weights in bf16).
    static func json(attention: AttentionVariant) -> JSONValue {
        var o = JSONObject()
        o["no_op"] = .bool(attention == .noOp)
        o["replace_with_linear"] = .bool(attention == .linear)
        o["sparsify"] = .null
        o["weights_precision"] = "bf16"
        o["num_key_value_heads"] = attention.kvHeads > 0 ? .number(attention.kvHeads) : .null
        o["llama4"] = .null
        o["mamba"] = .null
        return .object(o)
    }

    /// `dataclasses.asdict(FFNConfig(...))` for a typed variant (weights in bf16).
    static func json(ffn: FFNVariant) -> JSONValue {
        var o = JSONObject()
        o["no_op"] = .bool(ffn == .noOp)
        o["replace_with_linear"] = .bool(ffn == .linear)
        o["sparsify"] = .null
        o["weights_precision"] = "bf16"
        o["moe"] = .null
        o["intermediate_size"] = ffn.intermediateSize > 0 ? .number(ffn.intermediateSize) : .null
        return .object(o)
    }
}
