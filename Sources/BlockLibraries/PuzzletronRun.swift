import ModelArchitecture
import Foundation
import PuzzleCore

/// Reads the directory a Model-Optimizer puzzletron run leaves behind (its `puzzle_dir`;
/// NVIDIA/Model-Optimizer `modelopt/torch/puzzletron`, schema as of commit a2fbac7b, 2026-08)
/// into a native library. What is read, and which upstream function writes it:
///
/// | path in the run | written by | used for |
/// |---|---|---|
/// | `ckpts/teacher/config.json` | `Converter.convert` (`anymodel/converter/base.py`) | the parent (else `--parent`) |
/// | `replacement_library.json` | `build_replacement_library` (`replacement_library/build_replacement_library.py`) | each teacher block's `layer_replacement` (weights) |
/// | `single_sequence_replacement_solutions--validation/solution_N.json` | `launch_scoring` -> `validate_puzzle_solutions` -> `write_results` (`tools/validation_utils.py`) | one scored replacement each: `puzzle_solution.single_sequence_replacement` and every `{"avg": ...}` member as a metric |
/// | `single_sequence_replacement_solutions--validation/teacher.json` | the same, for the teacher | the teacher blocks' metrics (0 where absent, as `_parse_teacher_block_metrics` does) |
/// | `subblock_stats.json` (optional) | `calculate_subblock_stats_for_puzzle_dir` (`subblock_stats/calc_subblock_stats.py`) | stats per block, the measurement scenario, `non_block` costs |
/// | `mip/puzzle_solutions/**/solutions.json` (optional) | `run_single_puzzle_config` (`mip/run_puzzle.py`) | the run's own objective and stats scenario, as defaults |
///
/// Every layer becomes a **joint** layer: puzzletron's MIP picks whole replacements (attention
/// and FFN together), scored together. A candidate's stats are what `_get_block_stats`
/// (`run_puzzle.py`) gives: the attention and FFN subblocks' numbers added (`memory_mib`,
/// `runtime_ms`, `num_params`, `kv_cache_memory_mib`, ..., left out when either is null), each
/// also as `attention_X` / `ffn_X`, plus `has_attention`, `has_ffn`, `has_moe`, `not_no_op`,
/// `num_kv_heads`, `num_local_experts`. Names are upstream's; the MIP's `stats.X` is stat `X`.
enum PuzzletronRun {
    static let validationDirectory = "single_sequence_replacement_solutions--validation"
    static let topLevelFiles = ["replacement_library.json", "subblock_stats.json", "single_sequence_replacement_solutions.json",
        "block_library.json", "subblock_library.json"]
    /// Metric values beyond this are not a measurement.
    static let maxMetric = 1e15

    /// The run directory `path` names: the directory itself, or the directory of one of its
    /// top-level files; nil when it is neither.
    static func runDirectory(for path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        let url = URL(fileURLWithPath: path)
        let directory = isDirectory.boolValue ? url : url.deletingLastPathComponent()
        if !isDirectory.boolValue && !topLevelFiles.contains(url.lastPathComponent) { return nil }
        let markers = ["replacement_library.json", "subblock_stats.json", validationDirectory]
        guard markers.contains(where: { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }) else {
            return nil
        }
        return isDirectory.boolValue ? path : (directory.path.isEmpty ? "." : directory.path)
    }

    /// One scored replacement (or a teacher block) before it becomes a candidate.
    struct Scored {
        var layer: Int
        var config: PuzzletronBlockConfig
        var metrics: [(name: String, value: Double)]
        var layerReplacement: JSONValue
        var isTeacher: Bool
        var file: String
    }

    /// Reads the run at `directory`; `digest` receives every file read (name and bytes), in order,
    /// for the library's SHA-256.
    /// - Complexity: O(bytes read + replacements x stats).
    /// Throws `DataError` (a file or field naming what is wrong) or `LibraryImportError` (a parent
    /// or a metric direction the caller must give).
    static func read(directory: String, options: ImportOptions, digest: inout [UInt8]) throws -> BlockLibrary {
        func path(_ relative: String) -> String { (directory as NSString).appendingPathComponent(relative) }
        func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }
        func read(_ relative: String) throws(DataError) -> [UInt8] {
            let bytes = try FileIO.read(path(relative))
            digest += Array(relative.utf8) + [0] + Array(String(bytes.count).utf8) + [0] + bytes
            return bytes
        }
        func parse(_ relative: String) throws(DataError) -> JSONReader {
            try LibraryJSON.parse(try read(relative), file: path(relative))
        }

        // 1. The parent: the teacher checkpoint's config, else --parent.
        let teacherConfigPath = "ckpts/teacher/config.json"
        var parent: Architecture
        var notes: [String] = []
        if exists(teacherConfigPath) {
            let bytes = try read(teacherConfigPath)
            let named = (try? JSONParser.parse(bytes))?["_name_or_path"]?.stringValue
            let runName = URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
            let teacher = try ConfigReader.read(bytes, file: path(teacherConfigPath), name: named ?? "\(runName)/teacher")
            if let given = options.parent {
                guard given.hasSameBlocks(as: teacher) else {
                    throw DataError(file: path(teacherConfigPath), location: "block_configs",
                        "the teacher differs from the requested parent \(given.name); expected the same blocks")
                }
                parent = given
            } else {
                parent = teacher
            }
        } else if let given = options.parent {
            parent = given
            notes.append("parent \(given.name) given by the caller (the run has no \(teacherConfigPath))")
        } else {
            throw LibraryImportError.parentRequired(file: "\(directory) (no \(teacherConfigPath))", format: "puzzletron")
        }
        let heads = parent.dimensions.attentionHeads
        let layerCount = parent.layers.count
        // Sliding vs full attention is not a block field (gpt-oss keeps it in the global
        // `layer_types`): a layer's GQA attention takes the parent layer's window.
        let windowed = parent.layers
        func attention(_ a: AttentionVariant?, layer: Int) -> AttentionVariant? {
            guard case .gqa(let k)? = a, case .slidingWindow(_, let w) = windowed[layer].attention else { return a }
            return .slidingWindow(kvHeads: k, window: w)
        }

        // 2. The replacement library: every teacher block's replacement (its weight paths).
        let libraryFile = "replacement_library.json"
        guard exists(libraryFile) else {
            throw DataError(file: path(libraryFile), "missing; expected the replacement library that build_replacement_library writes")
        }
        let replacements = try parse(libraryFile)
        var teacherReplacement = [JSONValue?](repeating: nil, count: layerCount)
        var teacherConfig = [PuzzletronBlockConfig?](repeating: nil, count: layerCount)
        var skippedMultiLayer = 0
        guard exists(validationDirectory) else {
            throw DataError(file: path(validationDirectory),
                "missing; expected the replace-one-block scores launch_scoring writes (solution_N.json and teacher.json)")
        }
        let teacherScores = try parse("\(validationDirectory)/teacher.json")
        let teacherDir = try teacherScores.optional("args")?.optional("teacher_dir")?.string
        for entry in try replacements.array {
            let (layers, configs) = try readReplacement(entry, heads: heads, moe: parent.dimensions.moe, layerCount: layerCount)
            guard layers.count == 1, configs.count == 1 else { skippedMultiLayer += 1; continue }
            let layer = layers[0]
            let config = configs[0]
            let block = parent.layers[layer]
            guard attention(config.attention.attention, layer: layer) == block.attention, config.ffn.ffn == block.ffn else { continue }
            // Prefer weights under the teacher checkpoint (upstream's replacement_is_teacher).
            let underTeacher = teacherDir.map { dir in
                ((try? entry.required("weight_paths").array) ?? []).allSatisfy { ($0.value.stringValue ?? "").hasPrefix(dir) }
            } ?? false
            if teacherReplacement[layer] == nil || underTeacher {
                teacherReplacement[layer] = entry.value
                teacherConfig[layer] = config
            }
        }
        if skippedMultiLayer > 0 {
            notes.append("\(skippedMultiLayer) multi-layer replacements in \(libraryFile) are not read (no scores for them either)")
        }

        // 3. Scores: one file per scored replacement, plus the teacher's.
        let validationPath = path(validationDirectory)
        let solutionFiles = try scoredFiles(validationPath)
        guard !solutionFiles.isEmpty else {
            throw DataError(file: validationPath, "has no solution_N.json; expected the scores launch_scoring writes (replace-one-block validation)")
        }
        var scored: [Scored] = []
        var metricOrder: [String] = []
        for name in solutionFiles {
            let relative = "\(validationDirectory)/\(name)"
            let r = try parse(relative)
            let metrics = try averageMetrics(r)
            for m in metrics where !metricOrder.contains(m.name) { metricOrder.append(m.name) }
            let solution = try r.required("puzzle_solution")
            guard let replacement = try solution.optional("single_sequence_replacement") else {
                if solution.has("single_block_replacement") {
                    throw DataError(file: r.file, location: solution.child("single_block_replacement"),
                        "the single-block scoring layout (gather_puzzle_metrics) is not read; expected single_sequence_replacement, as launch_scoring writes: this file is from a version this reader does not read")
                }
                throw DataError(file: r.file, location: solution.child("single_sequence_replacement"), "missing required field")
            }
            let (layers, configs) = try readReplacement(replacement, heads: heads, moe: parent.dimensions.moe, layerCount: layerCount)
            guard layers.count == 1, configs.count == 1 else {
                throw DataError(file: r.file, location: replacement.child("parent_layer_indices"),
                    "replaces layers \(layers) with \(configs.count) blocks; only one-layer-to-one-block replacements are supported")
            }
            scored.append(Scored(layer: layers[0], config: configs[0], metrics: metrics, layerReplacement: replacement.value,
                isTeacher: false, file: r.file))
        }
        let teacherMetrics = try averageMetrics(teacherScores)
        for layer in 0..<layerCount {
            guard let replacement = teacherReplacement[layer], let config = teacherConfig[layer] else {
                throw DataError(file: path(libraryFile), location: "layer \(layer)",
                    "no replacement keeps the teacher's block (\(parent.layers[layer].attention.name), \(parent.layers[layer].ffn.name)); expected build_replacement_library's teacher entry")
            }
            // Upstream: every metric 0.0 for the teacher unless teacher.json has it.
            let values = metricOrder.map { m in (m, teacherMetrics.first { $0.name == m }?.value ?? 0) }
            scored.insert(Scored(layer: layer, config: config, metrics: values, layerReplacement: replacement, isTeacher: true,
                file: teacherScores.file), at: layer)
        }

        // 4. The run's own MIP, if it ran: its objective and stats scenario as defaults.
        var mipObjective: String?
        var mipBiggerIsBetter: Bool?
        var mipScenario: JSONObject?
        for relative in mipSolutionFiles(directory) {
            let r = try parse(relative)
            guard let first = try r.array.first else { continue }  // [] when the MIP was infeasible
            // The scenario the MIP was asked for (puzzle_args.subblock_stats_args, a subset of
            // args, matched as filter_subblock_stats_by_args does), else the one it reports.
            if mipScenario == nil, let s = try first.optional("puzzle_args")?.optional("subblock_stats_args"), s.value.objectValue != nil {
                mipScenario = try s.object
            }
            if mipScenario == nil, let s = try first.optional("subblock_stats") { mipScenario = try s.object }
            if let args = try first.optional("puzzle_args") {
                if mipObjective == nil, let o = try args.optional("objective") { mipObjective = try o.string }
                if mipBiggerIsBetter == nil, let b = try args.optional("bigger_is_better") { mipBiggerIsBetter = try b.bool }
            }
        }

        // 5. Metrics: upstream's names; the run's objective first, else the examples' objective.
        var metrics: [Metric] = []
        for name in metricOrder {
            guard let direction = options.directions[name] ?? direction(of: name) else {
                throw LibraryImportError.unknownMetricDirection(file: validationPath, location: "metrics", metric: name)
            }
            metrics.append(Metric(name, direction: direction))
        }
        let preferredObjective = mipObjective.map { $0.hasPrefix("metrics.") ? String($0.dropFirst(8)) : $0 }
            ?? "cosine_embedding_loss_hidden_states"
        if let k = metrics.firstIndex(where: { $0.name == preferredObjective }) {
            var m = metrics.remove(at: k)
            if let bigger = mipBiggerIsBetter, mipObjective != nil, options.directions[m.name] == nil {
                m.direction = bigger ? .higher : .lower
            }
            metrics.insert(m, at: 0)
        }

        // 6. Measured costs of the selected scenario.
        var stats: PuzzletronStats?
        if exists("subblock_stats.json") {
            stats = try PuzzletronStats.read(try read("subblock_stats.json"), file: path("subblock_stats.json"),
                filter: options.statsArgs, preferred: mipScenario, heads: heads, moe: parent.dimensions.moe, hiddenSize: parent.dimensions.hiddenSize)
        } else {
            notes.append("the run has no subblock_stats.json: no measured costs")
        }

        // 7. Candidates: per layer, the teacher first, then the scored replacements in file order.
        var byLayer = [[Candidate]](repeating: [], count: layerCount)
        var provenance: [JSONValue] = []
        var seen: [String: String] = [:]
        for s in scored {
            let name = s.config.name
            let key = "\(s.layer)|\(name)"
            if let other = seen[key] {
                throw DataError(file: s.file, location: "puzzle_solution.single_sequence_replacement",
                    "layer \(s.layer) block '\(name)' is scored twice (also in \(other)); expected one score per replacement")
            }
            seen[key] = s.file
            var candidate = Candidate(name: name, attention: attention(s.config.attention.attention, layer: s.layer), ffn: s.config.ffn.ffn)
            for (m, v) in s.metrics where metricOrder.contains(m) { candidate.scores[m] = v }
            if let stats { candidate.stats = try blockStats(s.config, layer: s.layer, stats: stats) }
            byLayer[s.layer].append(candidate)
            var p = JSONObject()
            p["layer"] = .number(s.layer)
            p["variant"] = .string(name)
            p["is_teacher"] = .bool(s.isTeacher)
            p["block_config"] = s.config.json
            p["layer_replacement"] = s.layerReplacement
            provenance.append(.object(p))
        }
        let layers = byLayer.enumerated().map { LayerCandidates(index: $0.offset, layout: .joint($0.element)) }

        var measurement: MeasurementScenario?
        if let stats {
            let args = stats.scenario.args
            var m = MeasurementScenario(gpu: args["gpu"]?.stringValue, dtype: args["weights_dtype"]?.stringValue.map(shortDType),
                batchSize: stats.scenario.batchSize, prefillLength: stats.scenario.prefillLength,
                generationLength: stats.scenario.generationLength)
            m.extras["source"] = .string("puzzletron subblock_stats.json[\(stats.scenario.index)]")
            m.extras[PuzzletronCosts.nonBlockKey] = .object(JSONObject(stats.nonBlock.map { ($0.name, $0.value.map { JSONValue.number($0) } ?? .null) }))
            m.extras[PuzzletronCosts.argsKey] = .object(args)
            measurement = m
        } else {
            measurement = options.measurement
        }
        var puzzletron = JSONObject()
        puzzletron["schema"] = "NVIDIA/Model-Optimizer modelopt/torch/puzzletron (read as of commit a2fbac7b)"
        if let teacherDir { puzzletron["teacher_dir"] = .string(teacherDir) }
        if let mipObjective { puzzletron["objective"] = .string(mipObjective) }
        if let mipBiggerIsBetter { puzzletron["bigger_is_better"] = .bool(mipBiggerIsBetter) }
        puzzletron["scored_replacements"] = .number(solutionFiles.count)
        puzzletron["replacements"] = .array(provenance)
        var metadata = JSONObject()
        metadata["source"] = "Model-Optimizer puzzletron run"
        metadata["imported_from"] = .string(directory)
        if !notes.isEmpty { metadata["notes"] = .array(notes.map { .string($0) }) }
        metadata["puzzletron"] = .object(puzzletron)
        return BlockLibrary(parent: parent, metrics: metrics, layers: layers, measurement: measurement, metadata: metadata)
    }

    /// `{"parent_layer_indices": [i], "child_block_configs": [{...}], "weight_paths": [...]}`
    /// (upstream `parse_layer_replacement`), range-checked.
    static func readReplacement(_ r: JSONReader, heads: Int, moe: MoEShape?, layerCount: Int) throws(DataError)
        -> (layers: [Int], configs: [PuzzletronBlockConfig])
    {
        var layers: [Int] = []
        for l in try r.required("parent_layer_indices").array {
            let i = try l.int
            guard i >= 0, i < layerCount else {
                throw l.fail("layer \(i) is beyond the parent, which has \(layerCount) layers (0-\(layerCount - 1))")
            }
            layers.append(i)
        }
        guard !layers.isEmpty else { throw DataError(file: r.file, location: r.child("parent_layer_indices"), "is empty") }
        var configs: [PuzzletronBlockConfig] = []
        for c in try r.required("child_block_configs").array { configs.append(try PuzzletronBlockConfig.read(c, heads: heads, moe: moe)) }
        for p in try r.required("weight_paths").array { _ = try p.string }
        return (layers, configs)
    }

    /// Every member `{"avg": x, ...}` as metric `name` = x (upstream `_extract_average_metrics`,
    /// without the `one_minus_X` copies it derives: an objective `one_minus_X` is `X` in the
    /// other direction).
    static func averageMetrics(_ r: JSONReader) throws(DataError) -> [(name: String, value: Double)] {
        var out: [(name: String, value: Double)] = []
        for (key, value) in try r.object {
            guard let o = value.objectValue, let avg = o["avg"] else { continue }
            let at = JSONReader(file: r.file, path: "\(r.child(key)).avg", value: avg)
            let v = try at.double
            guard abs(v) <= maxMetric else { throw at.fail("expected a metric value, found \(JSONWriter.number(v))") }
            out.append((key, v))
        }
        return out
    }

    /// The scored files in the validation directory (upstream globs `*solution*.json`), by
    /// solution number then name.
    static func scoredFiles(_ directory: String) throws(DataError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw DataError(file: directory, "missing or unreadable; expected the scores launch_scoring writes")
        }
        func number(_ name: String) -> Int {
            let digits = name.split(separator: "_").last?.prefix { $0.isNumber } ?? ""
            return Int(digits) ?? Int.max
        }
        return names.filter { $0.contains("solution") && $0.hasSuffix(".json") }
            .sorted { (number($0), $0) < (number($1), $1) }
    }

    /// `mip/puzzle_solutions/<constraints>/solutions.json` and `.../<stats args>/<constraints>/solutions.json`.
    static func mipSolutionFiles(_ directory: String) -> [String] {
        let base = "mip/puzzle_solutions"
        let root = (directory as NSString).appendingPathComponent(base)
        var out: [String] = []
        guard let level1 = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        for a in level1.sorted() {
            if FileManager.default.fileExists(atPath: "\(root)/\(a)/solutions.json") { out.append("\(base)/\(a)/solutions.json") }
            for b in ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(a)")) ?? []).sorted()
            where FileManager.default.fileExists(atPath: "\(root)/\(a)/\(b)/solutions.json") {
                out.append("\(base)/\(a)/\(b)/solutions.json")
            }
        }
        return out
    }

    /// Upstream `_get_block_stats` for a single (attention, FFN) block at `layer`.
    static func blockStats(_ config: PuzzletronBlockConfig, layer: Int, stats: PuzzletronStats) throws(DataError) -> [String: Double] {
        func entry(_ sub: PuzzletronSubblockConfig) throws(DataError) -> PuzzletronStats.Entry {
            guard let e = stats.entry(sub, layer: layer) else {
                throw DataError(file: stats.file, location: "[\(stats.scenario.index)].subblocks",
                    "no \(sub.kind.rawValue) entry \(sub.repr) for layer \(layer) (nor one without a layer); expected calc_subblock_stats to have measured every subblock of the replacement library")
            }
            return e
        }
        let a = try entry(config.attention)
        let f = try entry(config.ffn)
        let aNames = Set(a.numbers.map(\.name))
        let fNames = Set(f.numbers.map(\.name))
        guard aNames == fNames else {
            let odd = aNames.symmetricDifference(fNames).sorted().joined(separator: ", ")
            throw DataError(file: stats.file, location: f.location,
                "has other stats than \(a.location) (\(odd)); upstream requires the same keys for attention and FFN")
        }
        var out: [String: Double] = [:]
        let fValues = Dictionary(f.numbers.map { ($0.name, $0.value) }, uniquingKeysWith: { x, _ in x })
        for (name, av) in a.numbers {
            let fv = fValues[name] ?? nil
            if let av, let fv { out[name] = av + fv }
            if let av { out["attention_\(name)"] = av }
            if let fv { out["ffn_\(name)"] = fv }
        }
        let hasAttention = config.attention.attention != .noOp
        out["has_attention"] = hasAttention ? 1 : 0
        out["has_ffn"] = config.ffn.ffn != .noOp ? 1 : 0
        let experts: Int
        if case .moe(let e, _)? = config.ffn.ffn { experts = e } else { experts = 0 }
        out["has_moe"] = experts > 0 ? 1 : 0
        out["not_no_op"] = config.attention.attention == .noOp && config.ffn.ffn == .noOp ? 0 : 1
        out["num_kv_heads"] = hasAttention ? Double(config.attention.json["num_key_value_heads"]?.intValue ?? 0) : 0
        out["num_local_experts"] = Double(experts)
        return out
    }

    /// Directions of the metrics puzzletron's validation writes (`tools/validation_utils.py`,
    /// `utils/validation.py`): losses, divergences and distances lower; token accuracies and
    /// "teacher's greedy token in the student's top k" higher; `one_minus_X` the opposite of X.
    static func direction(of name: String) -> Metric.Direction? {
        if name.hasPrefix("one_minus_") {
            return direction(of: String(name.dropFirst("one_minus_".count))).map { $0 == .lower ? .higher : .lower }
        }
        if name == "lm_loss" || name.hasSuffix("_hidden_states") || name.hasSuffix("_logits") || name.contains("_loss") { return .lower }
        for prefix in ["kl_div", "js_div", "tv_dist", "mse_loss", "mae_loss"] where name.hasPrefix(prefix) { return .lower }
        if name.hasPrefix("token_accuracy_top_") || name.hasPrefix("greedy_teacher_prediction_in_student_top_") { return .higher }
        return Metric.conventionalDirection(of: name)
    }

    /// `torch.bfloat16` -> `bf16`, `torch.float16` -> `fp16`, `torch.int8` -> `int8`; others verbatim.
    static func shortDType(_ text: String) -> String {
        switch text {
        case "torch.bfloat16": return "bf16"
        case "torch.float16": return "fp16"
        case "torch.float32": return "fp32"
        case "torch.int8": return "int8"
        case "torch.float8_e4m3fn": return "fp8"
        default: return text
        }
    }
}
