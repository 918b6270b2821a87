import CostModel
import ModelArchitecture
import PuzzleCore
import Search

/// Where a setting came from, shown beside it in every output that uses it.
enum SettingSource: String {
    case option, manifest, `default`
}

/// A setting and its source.
struct Setting<Value> {
    var value: Value
    var source: SettingSource
}

/// The one input layer for the options `cost`, `search`, `frontier`, `compare` and `plot` share:
/// `--gpu NAME | --gpu-file F`, `--dtype`, `--kv-dtype`, `--tp N|auto`, `--scenario ISL/OSL`
/// (repeatable where a command takes several), `--batch N|auto`, `--scheduler POLICY`. One set of
/// rules and defaults:
///
/// | option | values | default |
/// |---|---|---|
/// | `--gpu` / `--gpu-file` | a built-in profile / a profile JSON (not both) | `h100-sxm` |
/// | `--dtype` | bf16, fp16, fp8 (the GPU needs tensor cores for it) | `fp8` |
/// | `--kv-dtype` | bf16, fp16, fp8 | the `--dtype` |
/// | `--tp` | 1 to 64, dividing the query heads; `auto`: best of 1, 2, 4, 8 | `auto` |
/// | `--scenario` | ISL/OSL, each 1 to 2^24 tokens | `128/1024` |
/// | `--batch` | 1 to 1,000,000; `auto` (search: searched; others: the largest that fits) | `auto` |
/// | `--scheduler` | guaranteed-no-evict (a sequence reserves ISL + OSL tokens of KV), max-utilization (staggered sequences hold ISL + OSL/2 on average) | `guaranteed-no-evict` |
///
/// A manifest given as MODEL supplies its own GPU, dtypes, scenarios, TP and batch as the
/// defaults; options override them, and the output says which values came from where.
struct CostInputs {
    /// What the user typed (nil: not given).
    struct Raw {
        var gpuName: String?
        var gpuFile: String?
        var dtype: String?
        var kvDtype: String?
        var tp: String?
        var scenarios: [String] = []
        var batch: String?
        var scheduler: String?

        var isEmpty: Bool {
            gpuName == nil && gpuFile == nil && dtype == nil && kvDtype == nil && tp == nil && scenarios.isEmpty && batch == nil
                && scheduler == nil
        }

        /// The option names given, for "has no effect" errors.
        var given: [String] {
            var out: [String] = []
            if gpuName != nil { out.append("--gpu") }
            if gpuFile != nil { out.append("--gpu-file") }
            if dtype != nil { out.append("--dtype") }
            if kvDtype != nil { out.append("--kv-dtype") }
            if tp != nil { out.append("--tp") }
            if !scenarios.isEmpty { out.append("--scenario") }
            if batch != nil { out.append("--batch") }
            if scheduler != nil { out.append("--scheduler") }
            return out
        }
    }

    /// A batch setting: a fixed number, auto, or each scenario's batch from a manifest.
    enum Batch: Equatable {
        case auto
        case fixed(Int)
    }

    static let maxTP = 64
    static let maxBatch = 1_000_000
    static let defaultGPU = "h100-sxm"
    static let defaultDType = DType.fp8
    static let defaultScenario = Scenario(inputTokens: 128, outputTokens: 1024)

    var gpu: Setting<GPUProfile>
    var dtype: Setting<DType>
    /// nil value: the same as `dtype`.
    var kvDtype: Setting<DType?>
    /// nil value: auto.
    var tp: Setting<Int?>
    var scenarios: Setting<[Scenario]>
    var batch: Setting<Batch>
    var scheduler: Setting<SchedulerPolicy>

    /// Consumes the shared options from `args`.
    static func raw(_ args: inout Arguments) throws(UsageError) -> Raw {
        var r = Raw()
        r.gpuName = try args.option("--gpu")
        r.gpuFile = try args.option("--gpu-file")
        r.dtype = try args.option("--dtype")
        r.kvDtype = try args.option("--kv-dtype")
        r.tp = try args.option("--tp")
        r.scenarios = try args.options("--scenario")
        r.batch = try args.option("--batch")
        r.scheduler = try args.option("--scheduler")
        if r.gpuName != nil && r.gpuFile != nil { throw UsageError("give --gpu or --gpu-file, not both") }
        return r
    }

    /// Resolves `raw` against defaults from `manifests` (shared settings must agree among them) and
    /// the global defaults. `multipleScenarios: false` refuses more than one `--scenario`.
    static func resolve(_ raw: Raw, manifests: [ManifestRecord] = [], multipleScenarios: Bool = true) throws -> CostInputs {
        let costed = manifests.filter { $0.costs.source == "model" }

        // GPU
        var gpu: Setting<GPUProfile>
        if let file = raw.gpuFile {
            gpu = Setting(value: try GPUProfile.parse(FileIO.read(file), file: FileIO.displayName(file)), source: .option)
        } else if let name = raw.gpuName {
            guard let g = GPUProfile.builtin(named: name) else {
                throw UsageError("--gpu \(Excerpt.quoted(name)): unknown GPU; expected one of \(GPUProfile.builtinNames.joined(separator: ", ")) or --gpu-file FILE")
            }
            gpu = Setting(value: g, source: .option)
        } else if let shared = try agreed(costed, "GPU", { $0.costs.gpuName }) {
            guard let g = costed.first(where: { $0.costs.gpuName == shared })?.costs.gpu else {
                throw UsageError("the manifest was searched on GPU \(Excerpt.quoted(shared)), which is not built in and not embedded; pass --gpu-file FILE")
            }
            gpu = Setting(value: g, source: .manifest)
        } else {
            gpu = Setting(value: GPUProfile.builtin(named: defaultGPU)!, source: .default)
        }

        // dtypes
        let dtype: Setting<DType>
        if let text = raw.dtype {
            dtype = Setting(value: try parseDType(text, option: "--dtype"), source: .option)
        } else if let shared = try agreed(costed, "dtype", { $0.costs.dtype?.rawValue }), let d = DType(name: shared) {
            dtype = Setting(value: d, source: .manifest)
        } else {
            dtype = Setting(value: defaultDType, source: .default)
        }
        guard gpu.value.peakFlopsPerSecond(dtype.value) != nil else {
            throw UsageError("\(gpu.value.name) has no \(dtype.value.rawValue) tensor cores; choose another --dtype (bf16 or fp16)")
        }
        let kvDtype: Setting<DType?>
        if let text = raw.kvDtype {
            kvDtype = Setting(value: try parseDType(text, option: "--kv-dtype"), source: .option)
        } else if raw.dtype == nil, let shared = try agreed(costed, "KV dtype", { $0.costs.kvDtype?.rawValue }), let d = DType(name: shared) {
            kvDtype = Setting(value: d, source: .manifest)
        } else {
            kvDtype = Setting(value: nil, source: .default)
        }

        // TP (a manifest's served TP is applied per model by `tp(for:)`)
        var tp = Setting<Int?>(value: nil, source: .default)
        if let text = raw.tp, text.lowercased() != "auto" {
            guard let n = Int(text), (1...maxTP).contains(n) else {
                throw UsageError("--tp \(Excerpt.quoted(text)): expected an integer from 1 to \(maxTP) dividing the query heads, or auto")
            }
            tp = Setting(value: n, source: .option)
        } else if raw.tp != nil {
            tp = Setting(value: nil, source: .option)
        }

        // scenarios
        let scenarios: Setting<[Scenario]>
        if !raw.scenarios.isEmpty {
            var list: [Scenario] = []
            for text in raw.scenarios {
                guard let s = Scenario(parsing: text) else {
                    throw UsageError("--scenario \(Excerpt.quoted(text)): expected ISL/OSL with integers from 1 to \(Scenario.maxTokens), e.g. 128/1024")
                }
                if list.contains(s) { throw UsageError("--scenario \(text) given twice") }
                list.append(s)
            }
            scenarios = Setting(value: list, source: .option)
        } else if let shared = try agreed(costed, "scenarios", { $0.costs.scenarios.map(\.description).joined(separator: " ") }) {
            scenarios = Setting(value: shared.split(separator: " ").compactMap { Scenario(parsing: String($0)) }, source: .manifest)
        } else {
            scenarios = Setting(value: [defaultScenario], source: .default)
        }
        if !multipleScenarios && scenarios.value.count > 1 {
            if scenarios.source == .option { throw UsageError("--scenario given \(scenarios.value.count) times; this command takes one") }
        }

        // batch
        var batch = Setting<Batch>(value: .auto, source: .default)
        if let text = raw.batch, text.lowercased() != "auto" {
            guard let n = Int(text), (1...maxBatch).contains(n) else {
                throw UsageError("--batch \(Excerpt.quoted(text)): expected an integer from 1 to \(maxBatch), or auto")
            }
            batch = Setting(value: .fixed(n), source: .option)
        } else if raw.batch != nil {
            batch = Setting(value: .auto, source: .option)
        }
        // scheduler
        let scheduler: Setting<SchedulerPolicy>
        if let text = raw.scheduler {
            guard let policy = SchedulerPolicy(rawValue: text.lowercased()) else {
                throw UsageError("--scheduler \(Excerpt.quoted(text)): expected \(SchedulerPolicy.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            scheduler = Setting(value: policy, source: .option)
        } else if let shared = try agreed(costed, "scheduler", { $0.costs.scheduler.rawValue }), let policy = SchedulerPolicy(rawValue: shared) {
            scheduler = Setting(value: policy, source: .manifest)
        } else {
            scheduler = Setting(value: .guaranteedNoEvict, source: .default)
        }
        return CostInputs(gpu: gpu, dtype: dtype, kvDtype: kvDtype, tp: tp, scenarios: scenarios, batch: batch, scheduler: scheduler)
    }

    static func parseDType(_ text: String, option: String) throws(UsageError) -> DType {
        guard let d = DType(name: text), CostModel.supportedDTypes.contains(d) else {
            throw UsageError("\(option) \(Excerpt.quoted(text)): expected bf16, fp16 or fp8")
        }
        return d
    }

    /// The value every manifest gives for a field (nil when none does); different values are a
    /// usage error asking for the option.
    static func agreed(_ manifests: [ManifestRecord], _ what: String, _ field: (ManifestRecord) -> String?) throws(UsageError) -> String? {
        var seen: [(String, String)] = []
        for m in manifests { if let v = field(m) { seen.append((m.file, v)) } }
        guard let first = seen.first else { return nil }
        if let other = seen.first(where: { $0.1 != first.1 }) {
            throw UsageError("the manifests were searched with different \(what) (\(first.0): \(first.1); \(other.0): \(other.1)); pass the option to compare them on one setting")
        }
        return first.1
    }

    /// The TP for one model: the option, else the TP its manifest was served at, else auto.
    func tp(for model: LoadedModel) -> Setting<Int?> {
        if tp.source == .option { return tp }
        if let served = model.manifest?.servedTP, manifestMatches(model) { return Setting(value: served, source: .manifest) }
        return tp
    }

    /// The batch for one model in one scenario: the option, else the batch its manifest was
    /// served at in that scenario, else auto.
    func batch(for model: LoadedModel, scenario: Scenario) -> Setting<Batch> {
        if batch.source == .option { return batch }
        if let served = model.manifest?.servedBatch(scenario), manifestMatches(model), tp(for: model).source == .manifest {
            return Setting(value: .fixed(served), source: .manifest)
        }
        return batch
    }

    /// Whether a manifest's served TP and batch still describe these settings (same GPU and
    /// dtypes): a batch searched for one GPU says nothing about another.
    func manifestMatches(_ model: LoadedModel) -> Bool {
        guard let c = model.manifest?.costs, c.source == "model" else { return false }
        return c.gpuName == gpu.value.name && c.dtype == dtype.value && (c.kvDtype ?? c.dtype) == effectiveKVDtype
            && c.scheduler == scheduler.value
    }

    var effectiveKVDtype: DType { kvDtype.value ?? dtype.value }

    /// The cost model at `tp`.
    func model(tp: Int) throws -> CostModel {
        try CostModel(gpu: gpu.value, dtype: dtype.value, kvDtype: kvDtype.value, tp: tp, scheduler: scheduler.value)
    }

    /// The search's settings.
    var searchSettings: ModelCostSettings {
        let fixedBatch: Int? = { if case .fixed(let n) = batch.value { return n } else { return nil } }()
        return ModelCostSettings(gpu: gpu.value, dtype: dtype.value, kvDtype: kvDtype.value, tp: tp.value,
            scenarios: scenarios.value, batch: fixedBatch, scheduler: scheduler.value)
    }

    /// The prediction of `model` in `scenario` with these settings (TP and batch per model).
    func estimate(_ model: LoadedModel, scenario: Scenario) throws -> (ServingEstimate, tp: Setting<Int?>, batch: Setting<Batch>) {
        let tp = tp(for: model)
        let batch = batch(for: model, scenario: scenario)
        let choice: BatchChoice = { if case .fixed(let n) = batch.value { return .fixed(n) } else { return .max } }()
        let estimate: ServingEstimate
        if let n = tp.value {
            estimate = try self.model(tp: n).evaluate(model.architecture, scenario: scenario, batch: choice)
        } else {
            estimate = try CostModel.bestTP(model.architecture, gpu: gpu.value, dtype: dtype.value, kvDtype: kvDtype.value,
                scenario: scenario, batch: choice, scheduler: scheduler.value).estimate
        }
        return (estimate, tp, batch)
    }

    /// `h100-sxm (default), fp8 (manifest), KV fp8, scenario 128/1024 (option)` for table headers.
    var summary: String {
        let kv = kvDtype.value.map { "KV \($0.rawValue) (\(kvDtype.source.rawValue))" } ?? "KV = dtype"
        return "GPU \(gpu.value.name) (\(gpu.source.rawValue)), dtype \(dtype.value.rawValue) (\(dtype.source.rawValue)), \(kv), "
            + "scenario\(scenarios.value.count > 1 ? "s" : "") \(scenarios.value.map(\.description).joined(separator: ", ")) (\(scenarios.source.rawValue))"
            + (scheduler.value == .guaranteedNoEvict && scheduler.source != .option ? "" : ", scheduler \(scheduler.value.rawValue) (\(scheduler.source.rawValue))")
    }

    /// `{"gpu": {"value", "source"}, ...}` for JSON outputs.
    var json: JSONValue {
        func entry(_ v: JSONValue, _ s: SettingSource) -> JSONValue { ["value": v, "source": .string(s.rawValue)] }
        return [
            "gpu": entry(.string(gpu.value.name), gpu.source),
            "dtype": entry(.string(dtype.value.rawValue), dtype.source),
            "kvDtype": entry(.string(effectiveKVDtype.rawValue), kvDtype.source),
            "scenarios": entry(.array(scenarios.value.map { .string($0.description) }), scenarios.source),
            "scheduler": entry(.string(scheduler.value.rawValue), scheduler.source),
        ]
    }
}

extension CostInputs.Batch {
    var text: String {
        switch self {
        case .auto: return "auto"
        case .fixed(let n): return String(n)
        }
    }
}
