import ModelArchitecture
import CostModel
import PuzzleCore
import Search

/// `puzzle cost MODEL --gpu GPU --dtype DTYPE --tp N|auto --scenario ISL/OSL [--batch N|max]`
/// and `puzzle cost --calibration CSV`.
enum CostCommand {
    static let help = """
        usage: puzzle cost MODEL [--gpu GPU | --gpu-file FILE] [--dtype D] [--kv-dtype D] [--tp N|auto]
                           [--scenario ISL/OSL] [--batch N|auto] [--scheduler P] [--format table|json] [-o FILE]
               puzzle cost --calibration CSV [--gpu NAME | --gpu-file FILE] [--format table|json] [-o FILE]
               puzzle cost --gpu GPU --show-profile        (print the profile JSON, to edit for --gpu-file)

        Predicted memory, throughput, TTFT and TPOT of MODEL served with in-flight batching
        (TensorRT-LLM style) on one TP group, from a calibrated roofline (docs/cost-model.md).
        MODEL: a built-in parent (\(BuiltinNames.list)), an HF or DeciLM config.json,
        a search manifest (FILE#K: the K-th of a --diverse list), or - for stdin.

        The options are those of search, frontier, compare and plot, with the same defaults; a
        manifest's own GPU, dtypes, scenario, TP and batch are the defaults when MODEL is one, so
        `puzzle cost child.json` re-predicts the child exactly as it was searched. The output's
        first line (JSON: "settings") says which value came from an option, the manifest, or a default.

          --gpu GPU          built-in profile: \(GPUProfile.builtinNames.joined(separator: ", ")) (aliases: h100, a100, ...); default h100-sxm
          --gpu-file FILE    a GPU profile JSON (configs/gpus/*.json format)
          --dtype DTYPE      weights and activations: bf16, fp16, fp8 (default; LM head/embeddings stay bf16)
          --kv-dtype DTYPE   KV cache dtype (default: --dtype)
          --tp N|auto        tensor parallelism, 1 to 64 dividing the query heads; auto (default): the best
                             throughput per GPU among 1, 2, 4, 8
          --scenario I/O     prompt and output tokens per request (default 128/1024)
          --batch N|auto     concurrent sequences; auto (default): as many as the KV cache holds
          --scheduler P      how the runtime admits sequences: guaranteed-no-evict (default; a sequence
                             reserves ISL+OSL tokens of KV, as trtllm-bench) or max-utilization (staggered
                             sequences hold ISL+OSL/2 tokens on average)
          --time-grid        time the search's workload: every layer x 54 variants x 20 batches of costs
          --calibration CSV  predicted vs measured for every row of a calibration CSV (columns model, gpu,
                             precision, tp, isl, osl, total_output_tokens_per_s), with error statistics;
                             a CSV with a metric column (bench/data/small-batch-latency.csv: concurrency,
                             metric tpot_ms|ttft_ms, value, role fit|check) compares latencies at its batch

        Every prediction carries its band: the 10th-90th percentile of measured/predicted over the
        published measurements of that quantity (docs/cost-model.md, "Uncertainty").

        --format json keys: model, settings {gpu, dtype, kvDtype, tp, scenario, batch: {value, source}}, gpu, dtype, kvDtype, tp, scenario {inputTokens, outputTokens}, batchSize,
        maxBatchSize, throughput (output tokens/s of the TP group), throughputPerGPU, ttftSeconds,
        tpotSeconds, band {quantiles, throughputPerGPU, throughput, tpotSeconds, ttftSeconds, memoryBytes:
        [low, high]}, cycleSeconds, iterationsPerCycle, kvBytesPerToken (per GPU),
        memory {weightsBytes, kvCacheBytes, kvPoolBytes, reserveBytes, capacityBytes} (per GPU),
        nonLayer {weightBytes, prefillSeconds, decodeSeconds, cycleSeconds},
        layers [{index, attention, ffn, attentionWeightBytes, attentionKVBytesPerToken, attentionPrefillSeconds,
        attentionDecodeSeconds, attentionCycleSeconds, attentionAllReduceSeconds, ffnWeightBytes,
        ffnPrefillSeconds, ffnDecodeSeconds, ffnCycleSeconds, ffnAllReduceSeconds}].
        Per-layer seconds add up: nonLayer + sum of layers = the totals.
        A model that does not fit even at batch 1 is an error (exit 1) that says by how many bytes.

        """

    static func run(_ args: inout Arguments) throws {
        try args.help(help)
        let format = try OutputFormat.parse(&args)
        let outputPath = try args.option("-o", "--output")
        let calibration = try args.option("--calibration")
        let showProfile = try args.flag("--show-profile")
        let gridTiming = try args.flag("--time-grid")
        let raw = try CostInputs.raw(&args)

        if showProfile {
            if calibration != nil || gridTiming { throw UsageError("--show-profile takes only --gpu NAME (and -o FILE)") }
            guard let name = raw.gpuName, raw.gpuFile == nil else { throw UsageError("--show-profile needs --gpu NAME (a built-in profile)") }
            if let extra = raw.given.first(where: { $0 != "--gpu" }) { throw UsageError("\(extra) has no effect with --show-profile") }
            if format != .table { throw UsageError("--format has no effect with --show-profile (the profile is JSON)") }
            try args.noPositionals()
            guard let gpu = GPUProfile.builtin(named: name), let text = BuiltinGPUProfileText.text(gpu.name) else {
                throw UsageError("--gpu \(Excerpt.quoted(name)): unknown GPU; expected one of \(GPUProfile.builtinNames.joined(separator: ", "))")
            }
            try emit(text + "\n", to: outputPath)
            return
        }

        if let calibration {
            if gridTiming { throw UsageError("--time-grid has no effect with --calibration") }
            if let extra = raw.given.first(where: { $0 != "--gpu" && $0 != "--gpu-file" }) {
                throw UsageError("\(extra) has no effect with --calibration (each row gives its own GPU, precision, TP and lengths)")
            }
            let rest = try args.positionals()
            guard rest.isEmpty else { throw UsageError("--calibration takes no MODEL (got \(Excerpt.quoted(rest.joined(separator: " "))))") }
            let gpu = raw.isEmpty ? nil : try CostInputs.resolve(raw).gpu.value
            let file = FileIO.displayName(calibration)
            let bytes = try FileIO.read(calibration)
            let text = String(decoding: bytes, as: UTF8.self)
            if Calibration.isLatencyCSV(text) {
                let rows = try Calibration.parseLatency(text, file: file)
                let results = try Calibration.predictLatency(rows, file: file, gpuOverride: gpu)
                try emit(format == .json ? JSONWriter.string(latencyJSON(results)) + "\n" : latencyTable(results), to: outputPath)
                return
            }
            let rows = try Calibration.parse(text, file: file)
            let results = try Calibration.predict(rows, file: file, gpuOverride: gpu)
            let summary = ErrorSummary(absoluteErrors: results.map { abs($0.relativeError) })
            try emit(format == .json ? JSONWriter.string(calibrationJSON(results, summary)) + "\n" : calibrationTable(results, summary),
                to: outputPath)
            return
        }

        let spec = try args.single("MODEL")
        let model = try ModelInput.load(spec)
        try model.architecture.validate(file: FileIO.displayName(spec))
        let inputs = try CostInputs.resolve(raw, manifests: model.manifest.map { [$0] } ?? [], multipleScenarios: false)
        let scenario = inputs.scenarios.value[0]

        if gridTiming {
            if outputPath != nil { throw UsageError("-o has no effect with --time-grid (it prints a timing line)") }
            if format != .table { throw UsageError("--format has no effect with --time-grid") }
            if raw.batch != nil { throw UsageError("--batch has no effect with --time-grid (it times 20 batch sizes)") }
            let tp = inputs.tp(for: model).value ?? 1
            let costModel = try inputs.model(tp: tp)
            Output.out(timeGrid(model.architecture, costModel, scenario))
            return
        }

        let (estimate, tp, batch) = try inputs.estimate(model, scenario: scenario)
        let costModel = try inputs.model(tp: estimate.tp)
        let settings = Settings(inputs: inputs, scenario: scenario, tp: tp, batch: batch, estimate: estimate,
            scenarioNote: inputs.scenarios.value.count > 1 ? "first of \(inputs.scenarios.value.count); --scenario picks another" : nil)
        try emit(format == .json ? JSONWriter.string(json(model.architecture, costModel, estimate, settings)) + "\n"
            : table(model.architecture, costModel, estimate, settings), to: outputPath)
    }

    /// The settings a prediction used and where each came from.
    struct Settings {
        var inputs: CostInputs
        var scenario: Scenario
        var tp: Setting<Int?>
        var batch: Setting<CostInputs.Batch>
        var estimate: ServingEstimate
        var scenarioNote: String?

        var line: String {
            let i = inputs
            let kv = i.kvDtype.value.map { "\($0.rawValue) (\(i.kvDtype.source.rawValue))" } ?? "\(i.dtype.value.rawValue) (= dtype)"
            let tpText = tp.value == nil ? "auto -> \(estimate.tp)" : "\(estimate.tp)"
            let batchText = batch.value == .auto ? "auto -> \(estimate.batch)" : "\(estimate.batch)"
            return "settings: GPU \(i.gpu.value.name) (\(i.gpu.source.rawValue)), dtype \(i.dtype.value.rawValue) (\(i.dtype.source.rawValue)), "
                + "KV \(kv), TP \(tpText) (\(tp.source.rawValue)), scenario \(scenario) (\(i.scenarios.source.rawValue)\(scenarioNote.map { ", " + $0 } ?? "")), "
                + "batch \(batchText) (\(batch.source.rawValue))"
                + (i.scheduler.value == .guaranteedNoEvict && i.scheduler.source != .option ? ""
                    : ", scheduler \(i.scheduler.value.rawValue) (\(i.scheduler.source.rawValue))")
        }

        var json: JSONValue {
            func entry(_ v: JSONValue, _ s: SettingSource) -> JSONValue { ["value": v, "source": .string(s.rawValue)] }
            let i = inputs
            return [
                "gpu": entry(.string(i.gpu.value.name), i.gpu.source),
                "dtype": entry(.string(i.dtype.value.rawValue), i.dtype.source),
                "kvDtype": entry(.string(i.effectiveKVDtype.rawValue), i.kvDtype.source),
                "tp": entry(tp.value.map { .number($0) } ?? "auto", tp.source),
                "scenario": entry(.string(scenario.description), i.scenarios.source),
                "batch": entry(.string(batch.value.text), batch.source),
                "scheduler": entry(.string(i.scheduler.value.rawValue), i.scheduler.source),
            ]
        }
    }

    /// The search's workload: every layer x 6 attention x 9 FFN variants x 20 batches, as knapsack
    /// coefficients (cycle seconds and memory-row bytes per layer, variant and batch), timed.
    static func timeGrid(_ a: Architecture, _ m: CostModel, _ s: Scenario) -> String {
        let d = a.dimensions
        let n = d.intermediateSize
        let attentions: [AttentionVariant] = [.gqa(kvHeads: d.kvHeads), .gqa(kvHeads: max(1, d.kvHeads / 2)),
            .gqa(kvHeads: max(1, d.kvHeads / 4)), .gqa(kvHeads: 1), .linear, .noOp]
        let ffns: [FFNVariant] = [1.0, 0.87, 0.75, 0.5, 0.25, 0.2, 0.1].map { .swiGLU(intermediateSize: max(256, Int(Double(n) * $0) / 256 * 256)) }
            + [.linear, .noOp]
        let batches = (1...20).map { $0 * 16 }
        let clock = ContinuousClock()
        var checksum = 0.0
        var entries = 0
        let elapsed = clock.measure {
            for b in batches {
                let plan = m.plan(scenario: s, batch: b)
                // per distinct variant once, then one row entry per layer (layers share variants)
                let ac = attentions.map { m.costs(of: $0, dimensions: d, scenario: s, plan: plan) }
                let fc = ffns.map { m.costs(of: $0, dimensions: d, scenario: s, plan: plan) }
                for _ in a.layers {
                    for x in ac {
                        for y in fc {
                            checksum += x.cycleSeconds + y.cycleSeconds + x.memoryRowBytes + y.memoryRowBytes
                            entries += 1
                        }
                    }
                }
            }
        }
        let ms = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
        return "\(attentions.count * ffns.count) variants x \(a.layers.count) layers x \(batches.count) batches = \(entries) knapsack entries"
            + " in \(Format.fixed(ms, 3)) ms (checksum \(Format.fixed(checksum, 3)))\n"
    }

    static func emit(_ text: String, to path: String?) throws {
        try Output.emit(text, to: path)
    }

    static func json(_ a: Architecture, _ m: CostModel, _ e: ServingEstimate, _ settings: Settings) -> JSONValue {
        let layers: [JSONValue] = e.layers.map { l in
            [
                "index": .number(l.index), "attention": .string(l.attention.name), "ffn": .string(l.ffn.name),
                "attentionWeightBytes": .number(l.attentionCost.weightBytes),
                "attentionKVBytesPerToken": .number(l.attentionCost.kvBytesPerToken),
                "attentionPrefillSeconds": .number(l.attentionCost.prefillSeconds),
                "attentionDecodeSeconds": .number(l.attentionCost.decodeStepSeconds),
                "attentionCycleSeconds": .number(l.attentionCost.cycleSeconds),
                "attentionAllReduceSeconds": .number(l.attentionCost.allReduceSeconds),
                "ffnWeightBytes": .number(l.ffnCost.weightBytes),
                "ffnPrefillSeconds": .number(l.ffnCost.prefillSeconds),
                "ffnDecodeSeconds": .number(l.ffnCost.decodeStepSeconds),
                "ffnCycleSeconds": .number(l.ffnCost.cycleSeconds),
                "ffnAllReduceSeconds": .number(l.ffnCost.allReduceSeconds),
            ]
        }
        return [
            "model": .string(a.name), "settings": settings.json, "gpu": .string(m.gpu.name), "dtype": .string(m.dtype.rawValue),
            "kvDtype": .string(m.kvDtype.rawValue), "tp": .number(e.tp),
            "scenario": ["inputTokens": .number(e.scenario.inputTokens), "outputTokens": .number(e.scenario.outputTokens)],
            "batchSize": .number(e.batch), "maxBatchSize": .number(e.maxBatch),
            "throughput": .number(e.throughputTokensPerSecond), "throughputPerGPU": .number(e.throughputPerGPUTokensPerSecond),
            "ttftSeconds": .number(e.ttftSeconds), "tpotSeconds": .number(e.tpotSeconds),
            "band": band(e), "cycleSeconds": .number(e.total.cycleSeconds), "iterationsPerCycle": .number(e.plan.iterations),
            "kvBytesPerToken": .number(e.total.kvBytesPerToken),
            "memory": [
                "weightsBytes": .number(e.memory.weightsBytes), "kvCacheBytes": .number(e.memory.kvCacheBytes),
                "kvPoolBytes": .number(e.memory.kvPoolBytes), "reserveBytes": .number(e.memory.reserveBytes),
                "capacityBytes": .number(e.memory.capacityBytes),
            ],
            "nonLayer": [
                "weightBytes": .number(e.nonLayer.weightBytes), "prefillSeconds": .number(e.nonLayer.prefillSeconds),
                "decodeSeconds": .number(e.nonLayer.decodeStepSeconds), "cycleSeconds": .number(e.nonLayer.cycleSeconds),
            ],
            "layers": .array(layers),
        ]
    }

    static func table(_ a: Architecture, _ m: CostModel, _ e: ServingEstimate, _ settings: Settings) -> String {
        var out = settings.line + "\n"
        out += "\(a.name) on \(m.gpu.name) x\(e.tp) (TP \(e.tp)), \(m.dtype.rawValue) weights, \(m.kvDtype.rawValue) KV cache, ISL/OSL \(e.scenario)\n\n"
        let b = ScenarioPrediction(e, parentThroughputPerGPU: nil).band
        func range(_ r: ValueRange?, _ f: (Double) -> String) -> String { r.map { "band \(f($0.low)) - \(f($0.high))" } ?? "" }
        out += "batch            \(e.batch) sequences (largest that fits: \(e.maxBatch), \(m.scheduler.rawValue))\n"
        out += "throughput       \(Format.fixed(e.throughputTokensPerSecond, 1)) output tokens/s (\(Format.fixed(e.throughputPerGPUTokensPerSecond, 1)) per GPU;"
            + " \(range(b?.throughputPerGPU) { Format.fixed($0, 0) }) per GPU)\n"
        out += "TTFT             \(Format.seconds(e.ttftSeconds)) (one request, idle engine; \(range(b?.ttftSeconds, Format.seconds)))\n"
        out += "TPOT             \(Format.seconds(e.tpotSeconds)) (one sequence's in-flight step at this batch; \(range(b?.tpotSeconds, Format.seconds)))\n"
        out += "                 (bands: 10th-90th percentile of measured/predicted, docs/cost-model.md \"Uncertainty\")\n"
        out += "cycle            \(Format.seconds(e.total.cycleSeconds)) for \(Format.fixed(e.plan.iterations, 0)) iterations of \(Format.fixed(e.plan.tokensPerIteration, 0)) tokens\n"
        out += "memory per GPU   weights \(Format.bytes(e.memory.weightsBytes)) + KV cache \(Format.bytes(e.memory.kvCacheBytes)) (pool \(Format.bytes(e.memory.kvPoolBytes)))"
        out += " + reserve \(Format.bytes(e.memory.reserveBytes)) of \(Format.bytes(e.memory.capacityBytes))\n"
        out += "KV per token     \(Format.bytes(e.total.kvBytesPerToken)) per GPU\n\n"
        var t = TextTable(["layer", "attention", "ffn", "attn weights", "attn prefill", "attn decode", "ffn weights", "ffn prefill", "ffn decode"])
        for l in e.layers {
            t.add([
                String(l.index), l.attention.name, l.ffn.name, Format.bytes(l.attentionCost.weightBytes),
                Format.seconds(l.attentionCost.prefillSeconds), Format.seconds(l.attentionCost.decodeStepSeconds),
                Format.bytes(l.ffnCost.weightBytes), Format.seconds(l.ffnCost.prefillSeconds), Format.seconds(l.ffnCost.decodeStepSeconds),
            ])
        }
        t.add(["-", "outside layers", "", Format.bytes(e.nonLayer.weightBytes), Format.seconds(e.nonLayer.prefillSeconds),
            Format.seconds(e.nonLayer.decodeStepSeconds), "", "", ""])
        out += t.render()
        return out
    }

    /// The prediction band of an estimate (`Manifest.band`).
    static func band(_ e: ServingEstimate) -> JSONValue {
        ScenarioPrediction(e, parentThroughputPerGPU: nil).band.map(Manifest.band) ?? .null
    }

    static func latencyJSON(_ results: [LatencyResult]) -> JSONValue {
        let rows: [JSONValue] = results.map { r in
            [
                "line": .number(r.row.line), "model": .string(r.row.model), "gpu": .string(r.row.gpu),
                "precision": .string(r.row.precision.rawValue), "tp": .number(r.row.tp),
                "inputTokens": .number(r.row.scenario.inputTokens), "outputTokens": .number(r.row.scenario.outputTokens),
                "concurrency": .number(r.row.concurrency), "metric": .string(r.row.metric.rawValue), "role": .string(r.row.role.rawValue),
                "predicted": .number(r.predicted), "measured": .number(r.row.measured), "relativeError": .number(r.relativeError),
            ]
        }
        var summaries: [JSONValue] = []
        for (metric, role, rows) in latencyGroups(results) {
            let s = ErrorSummary(absoluteErrors: rows.map { abs($0.relativeError) })
            summaries.append([
                "metric": .string(metric), "role": .string(role), "count": .number(s.count), "medianAbsError": .number(s.median),
                "maxAbsError": .number(s.max),
            ])
        }
        return ["rows": .array(rows), "summary": .array(summaries)]
    }

    /// Rows grouped by metric and role (TPOT at batch 1-16 apart from larger batches).
    static func latencyGroups(_ results: [LatencyResult]) -> [(String, String, [LatencyResult])] {
        var out: [(String, String, [LatencyResult])] = []
        for metric in [LatencyRow.Metric.tpotMilliseconds, .ttftMilliseconds] {
            for role in [LatencyRow.Role.fit, .check] {
                let base = results.filter { $0.row.metric == metric && $0.row.role == role }
                let small = base.filter { metric != .tpotMilliseconds || $0.row.concurrency <= 16 }
                let large = base.filter { metric == .tpotMilliseconds && $0.row.concurrency > 16 }
                let name = metric == .tpotMilliseconds ? "tpot (batch 1-16)" : "ttft"
                if !small.isEmpty { out.append((name, role.rawValue, small)) }
                if !large.isEmpty { out.append(("tpot (batch > 16)", role.rawValue, large)) }
            }
        }
        return out
    }

    static func latencyTable(_ results: [LatencyResult]) -> String {
        var t = TextTable(["model", "gpu", "dtype", "tp", "ISL/OSL", "batch", "metric", "role", "predicted ms", "measured ms", "error"])
        for r in results {
            t.add([
                r.row.model, r.row.gpu, r.row.precision.rawValue, String(r.row.tp), r.row.scenario.description, String(r.row.concurrency),
                r.row.metric == .tpotMilliseconds ? "TPOT" : "TTFT", r.row.role.rawValue, Format.fixed(r.predicted, 2),
                Format.fixed(r.row.measured, 2), (r.relativeError >= 0 ? "+" : "") + Format.fixed(100 * r.relativeError, 1) + "%",
            ])
        }
        var out = t.render() + "\n"
        for (metric, role, rows) in latencyGroups(results) {
            let s = ErrorSummary(absoluteErrors: rows.map { abs($0.relativeError) })
            out += "\(metric), \(role): \(s.count) rows, median |error| \(Format.fixed(100 * s.median, 1))%, max \(Format.fixed(100 * s.max, 1))%\n"
        }
        return out
    }

    static func calibrationJSON(_ results: [CalibrationResult], _ s: ErrorSummary) -> JSONValue {
        let rows: [JSONValue] = results.map { r in
            [
                "line": .number(r.row.line), "model": .string(r.row.model), "gpu": .string(r.row.gpu),
                "precision": .string(r.row.precision.rawValue), "tp": .number(r.row.tp),
                "inputTokens": .number(r.row.scenario.inputTokens), "outputTokens": .number(r.row.scenario.outputTokens),
                "batchSize": .number(r.batch), "predicted": .number(r.predictedTokensPerSecond),
                "measured": .number(r.row.measuredTokensPerSecond), "relativeError": .number(r.relativeError),
            ]
        }
        return [
            "rows": .array(rows),
            "summary": [
                "count": .number(s.count), "medianAbsError": .number(s.median), "p90AbsError": .number(s.p90),
                "maxAbsError": .number(s.max), "meanAbsError": .number(s.mean),
            ],
        ]
    }

    static func calibrationTable(_ results: [CalibrationResult], _ s: ErrorSummary) -> String {
        var t = TextTable(["model", "gpu", "dtype", "tp", "ISL/OSL", "batch", "predicted tok/s", "measured tok/s", "error"])
        for r in results {
            t.add([
                r.row.model, r.row.gpu, r.row.precision.rawValue, String(r.row.tp), r.row.scenario.description, String(r.batch),
                Format.fixed(r.predictedTokensPerSecond, 1), Format.fixed(r.row.measuredTokensPerSecond, 1),
                (r.relativeError >= 0 ? "+" : "") + Format.fixed(100 * r.relativeError, 1) + "%",
            ])
        }
        return t.render()
            + "\n\(s.count) rows: median |error| \(Format.fixed(100 * s.median, 1))%, 90th percentile \(Format.fixed(100 * s.p90, 1))%, max \(Format.fixed(100 * s.max, 1))%\n"
    }
}
