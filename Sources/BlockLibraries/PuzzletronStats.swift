import ModelArchitecture
import PuzzleCore

/// `subblock_stats.json` of a puzzletron run, as written by `calculate_subblock_stats_for_puzzle_dir`
/// (`modelopt/torch/puzzletron/subblock_stats/calc_subblock_stats.py`): a JSON **list** with one
/// entry per measurement scenario (every batch size x dtype triple x hidden size the run asked for):
///
/// ```json
/// [{"args": {"gpu": "NVIDIA H100 80GB HBM3", "batch_size": 96, "prefill_seq_len": 4096, "generation_seq_len": 4096,
///            "prefill_queue_size": 0, "n_embd": 4096, "n_head": 32, "vocab_size": 128256, "runtime_stats": false,
///            "use_cuda_graph": true, "weights_dtype": "torch.bfloat16", "activations_dtype": "torch.bfloat16",
///            "kv_cache_dtype": "torch.bfloat16"},
///   "non_block": {"runtime_ms": null, "memory_mib": 2004.0078125, "num_params": 1050677248},
///   "subblocks": [{"subblock_config": {...AttentionConfig or FFNConfig...}, "subblock_config_class": "AttentionConfig",
///                  "runtime_ms": null, "prefill_runtime_ms": null, "decode_runtime_ms": null, "num_params": 50335744,
///                  "active_params": 50335744, "parent_layer_index": 0, "memory_mib": 6240.0, "kv_cache_memory_mib": 6144.0}, ...]}]
/// ```
///
/// Two versions are read: the one merged in 2026-04 (commit 361f7e391: `args` has
/// `is_calc_runtime` and `benchmark_iterations`, runtimes always null, `non_block` also has
/// `prefill_runtime_ms` / `decode_runtime_ms`), and the one since 2026-06 (b98a59557: `args` has
/// `runtime_stats`; with it enabled, `runtime_ms` is vLLM's measured latency of one batch per
/// subblock, `calc_runtime_for_subblocks` in `calc_runtime_stats.py`). Any other shape is a
/// version error naming the field.
struct PuzzletronStats: Sendable {
    /// One scenario, parsed fully only once it is selected.
    struct Scenario: Sendable {
        var index: Int
        var reader: JSONReader
        var args: JSONObject
        var batchSize: Int
        var prefillLength: Int
        var generationLength: Int
        var hiddenSize: Int?
    }

    /// The measured numbers of one subblock (`null` kept as nil), in file order.
    struct Entry: Sendable {
        var location: String
        var numbers: [(name: String, value: Double?)]
    }

    var file: String
    var scenario: Scenario
    var nonBlock: [(name: String, value: Double?)]
    /// "\(config key)@\(layer)" -> entry; layer -1 for subblocks measured without a parent layer.
    var entries: [String: Entry]

    /// Members of a subblock entry that are not measured numbers.
    static let descriptive: Set<String> = ["subblock_config", "subblock_config_class", "parent_layer_index", "inner_block_idx"]
    /// Upper bound for counts from the file (batch, lengths, sizes): far above any real run, far
    /// below what could overflow arithmetic.
    static let maxCount = 1 << 30

    /// Reads the file and selects one scenario: the one matching every `KEY=VALUE` of `filter`
    /// (as upstream's `filter_subblock_stats_by_args` matches `subblock_stats_args`), else the one
    /// the run's own MIP used (`preferred`, from its solutions.json), else the only one. Several
    /// matches are narrowed to the parent's hidden size; still several, or none, is an error
    /// listing the scenarios.
    static func read(_ bytes: [UInt8], file: String, filter: [(key: String, value: String)], preferred: JSONObject?,
        heads: Int, moe: MoEShape?, hiddenSize: Int) throws(DataError) -> PuzzletronStats
    {
        let root = try LibraryJSON.parse(bytes, file: file)
        guard root.value.arrayValue != nil else {
            throw root.fail("expected a list of measurement scenarios [{\"args\", \"non_block\", \"subblocks\"}] as Model-Optimizer puzzletron's calculate_subblock_stats_for_puzzle_dir writes, found \(root.value.typeName): this file is from a version this reader does not read")
        }
        var scenarios: [Scenario] = []
        for (index, entry) in try root.array.enumerated() {
            scenarios.append(try readScenario(entry, index: index))
        }
        guard !scenarios.isEmpty else { throw root.fail("has no measurement scenarios; expected at least one") }

        var pool = scenarios
        var how = ""
        if !filter.isEmpty {
            pool = scenarios.filter { s in filter.allSatisfy { f in s.args[f.key].map(render) == f.value } }
            how = filter.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        } else if let preferred {
            pool = scenarios.filter { s in preferred.allSatisfy { p in s.args[p.key] == p.value } }
            how = "the run's MIP selection (" + preferred.map { "\($0.key)=\(render($0.value))" }.joined(separator: ",") + ")"
        }
        if pool.count > 1 {
            let sameHidden = pool.filter { $0.hiddenSize == hiddenSize }
            if !sameHidden.isEmpty { pool = sameHidden }
        }
        guard pool.count == 1, let chosen = pool.first else {
            let listed = (pool.isEmpty ? scenarios : pool).prefix(12).map { "[\($0.index)] " + summary($0.args) }.joined(separator: "; ")
            let message: String
            if how.isEmpty {
                message = "has \(scenarios.count) measurement scenarios; choose one by its args (KEY=VALUE pairs, e.g. batch_size and weights_dtype): \(listed)"
            } else if pool.isEmpty {
                message = "no measurement scenario matches \(how); the scenarios are: \(listed)"
            } else {
                message = "\(pool.count) measurement scenarios match \(how); add KEY=VALUE pairs to choose one: \(listed)"
            }
            throw DataError(file: file, location: "", message)
        }
        var stats = PuzzletronStats(file: file, scenario: chosen, nonBlock: [], entries: [:])
        stats.nonBlock = try numbers(try chosen.reader.required("non_block"), skipping: [])
        for sub in try chosen.reader.required("subblocks").array {
            let className = try sub.required("subblock_config_class").string
            let kind: PuzzletronSubblockConfig.Kind
            switch className {
            case "AttentionConfig": kind = .attention
            case "FFNConfig": kind = .ffn
            default:
                throw sub.fail("subblock_config_class \"\(className)\": expected AttentionConfig or FFNConfig")
            }
            let config = try PuzzletronSubblockConfig.read(try sub.required("subblock_config"), kind: kind, heads: heads, moe: moe)
            var layer = -1
            if let l = try sub.optional("parent_layer_index") {
                layer = try l.int
                guard layer >= -1, layer < maxCount else { throw l.fail("expected a layer index or -1, found \(layer)") }
            }
            let key = "\(config.key)@\(layer)"
            guard stats.entries[key] == nil else {
                throw sub.fail("the same \(kind.rawValue) subblock (\(config.repr)) is measured twice for layer \(layer)")
            }
            stats.entries[key] = Entry(location: sub.path, numbers: try numbers(sub, skipping: descriptive))
        }
        return stats
    }

    static func readScenario(_ entry: JSONReader, index: Int) throws(DataError) -> Scenario {
        let object = try entry.object
        for key in ["args", "non_block", "subblocks"] where object[key] == nil {
            throw DataError(file: entry.file, location: entry.child(key),
                "missing; every scenario has args, non_block and subblocks: this file is from a version this reader does not read")
        }
        let argsReader = try entry.required("args")
        let args = try argsReader.object
        // The version marker: `runtime_stats` since 2026-06, `is_calc_runtime`/`benchmark_iterations` before.
        if args["runtime_stats"] == nil && args["is_calc_runtime"] == nil && args["benchmark_iterations"] == nil {
            throw DataError(file: entry.file, location: argsReader.path,
                "has neither runtime_stats (Model-Optimizer puzzletron since 2026-06) nor is_calc_runtime/benchmark_iterations (2026-04): this file is from a version this reader does not read")
        }
        func count(_ key: String, positive: Bool) throws(DataError) -> Int {
            let r = try argsReader.required(key)
            let v = try r.int
            guard v >= (positive ? 1 : 0), v <= maxCount else {
                throw r.fail("expected \(positive ? "a positive" : "a non-negative") integer up to \(maxCount), found \(v)")
            }
            return v
        }
        let batch = try count("batch_size", positive: true)
        let prefill = try count("prefill_seq_len", positive: false)
        let generation = try count("generation_seq_len", positive: false)
        var hidden: Int?
        for key in ["n_embd", "n_head", "vocab_size", "prefill_queue_size"] where argsReader.has(key) {
            let v = try count(key, positive: key != "prefill_queue_size")
            if key == "n_embd" { hidden = v }
        }
        for key in ["weights_dtype", "activations_dtype", "kv_cache_dtype"] where argsReader.has(key) {
            _ = try argsReader.required(key).string
        }
        if let gpu = try argsReader.optional("gpu") { _ = try gpu.string }
        return Scenario(index: index, reader: entry, args: args, batchSize: batch, prefillLength: prefill,
            generationLength: generation, hiddenSize: hidden)
    }

    /// Every member that is a number or null (the stats); other members must be `skipping`.
    /// Numbers must be finite; sizes, counts and memory must not be negative (a runtime may be:
    /// upstream derives it as a difference of two measured latencies).
    static func numbers(_ r: JSONReader, skipping: Set<String>) throws(DataError) -> [(name: String, value: Double?)] {
        var out: [(name: String, value: Double?)] = []
        for (key, value) in try r.object where !skipping.contains(key) {
            switch value {
            case .null:
                out.append((key, nil))
            case .int, .double:
                guard let v = value.doubleValue, v.isFinite, abs(v) < 1e18 else {
                    throw DataError(file: r.file, location: r.child(key), "expected a finite number")
                }
                if !key.contains("runtime") && v < 0 {
                    throw DataError(file: r.file, location: r.child(key), "expected a non-negative number, found \(JSONWriter.number(v))")
                }
                out.append((key, v))
            default:
                throw DataError(file: r.file, location: r.child(key),
                    "expected a number or null, found \(value.typeName): this file is from a version this reader does not read")
            }
        }
        return out
    }

    /// The measured numbers of a subblock at `layer` (upstream looks up `(config, layer)`; an
    /// entry measured without a layer, `parent_layer_index` -1, serves when that is absent).
    func entry(_ config: PuzzletronSubblockConfig, layer: Int) -> Entry? {
        entries["\(config.key)@\(layer)"] ?? entries["\(config.key)@-1"]
    }

    /// A value as the user would type it in `--stats-args KEY=VALUE`.
    static func render(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return JSONWriter.number(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        default: return JSONWriter.string(v, pretty: false)
        }
    }

    /// `batch_size=96 weights_dtype=torch.bfloat16 ...`: the members that tell scenarios apart.
    static func summary(_ args: JSONObject) -> String {
        ["batch_size", "prefill_seq_len", "generation_seq_len", "n_embd", "weights_dtype", "activations_dtype", "kv_cache_dtype"]
            .compactMap { k in args[k].map { "\(k)=\(render($0))" } }.joined(separator: " ")
    }
}
