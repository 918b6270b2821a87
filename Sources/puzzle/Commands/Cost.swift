import ModelArchitecture
import CostModel
import PuzzleCore

/// `puzzle cost MODEL --gpu GPU --dtype DTYPE --tp N|auto --scenario ISL/OSL [--batch N|max]`
/// and `puzzle cost --calibration CSV`.
enum CostCommand {
    static let help = """
        usage: puzzle cost MODEL (--gpu GPU | --gpu-file FILE) --scenario ISL/OSL [--dtype bf16|fp16|fp8]
                           [--kv-dtype DTYPE] [--tp N|auto] [--batch N|max] [--format table|json] [-o FILE]
               puzzle cost --calibration CSV [--gpu-file FILE] [--format table|json] [-o FILE]
               puzzle cost --gpu GPU --show-profile        (print the profile JSON, to edit for --gpu-file)

        Predicted memory, throughput, TTFT and TPOT of MODEL served with in-flight batching
        (TensorRT-LLM style) on one TP group, from a calibrated roofline (docs/cost-model.md).
        MODEL: a built-in parent (\(BuiltinNames.list)), an HF or DeciLM config.json,
        a search manifest, or - for stdin.

          --gpu GPU          built-in profile: \(GPUProfile.builtinNames.joined(separator: ", ")) (aliases: h100, a100, ...)
          --gpu-file FILE    a GPU profile JSON (configs/gpus/*.json format)
          --dtype DTYPE      weights and activations: bf16 (default), fp16, fp8 (LM head/embeddings stay bf16)
          --kv-dtype DTYPE   KV cache dtype (default: --dtype)
          --tp N|auto        tensor parallelism (default 1); auto: best throughput per GPU among 1, 2, 4, 8
          --scenario I/O     prompt and output tokens per request, e.g. 128/1024
          --batch N|max      concurrent sequences (default max: as many as the KV cache holds)
          --time-grid        time the search's workload: every layer x 54 variants x 20 batches of costs
          --calibration CSV  predicted vs measured for every row of a calibration CSV (columns model, gpu,
                             precision, tp, isl, osl, total_output_tokens_per_s), with error statistics

        --format json keys: model, gpu, dtype, kvDtype, tp, scenario {inputTokens, outputTokens}, batchSize,
        maxBatchSize, throughput (output tokens/s of the TP group), throughputPerGPU, ttftSeconds,
        tpotSeconds, cycleSeconds, iterationsPerCycle, kvBytesPerToken (per GPU),
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
        let gpuName = try args.option("--gpu")
        let gpuFile = try args.option("--gpu-file")
        let calibration = try args.option("--calibration")
        let showProfile = args.flag("--show-profile")
        let dtypeText = try args.option("--dtype")
        let kvText = try args.option("--kv-dtype")
        let tpText = try args.option("--tp")
        let scenarioText = try args.option("--scenario")
        let batchText = try args.option("--batch")
        let gridTiming = args.flag("--time-grid")

        if gpuName != nil && gpuFile != nil { throw UsageError("cost: give --gpu or --gpu-file, not both") }
        var gpu: GPUProfile?
        if let gpuFile {
            gpu = try GPUProfile.parse(FileIO.read(gpuFile), file: FileIO.displayName(gpuFile))
        } else if let gpuName {
            guard let g = GPUProfile.builtin(named: gpuName) else {
                throw UsageError("cost: --gpu \(gpuName): expected one of \(GPUProfile.builtinNames.joined(separator: ", ")) or --gpu-file FILE")
            }
            gpu = g
        }

        if showProfile {
            try args.finish()
            guard let name = gpu?.name, let text = BuiltinGPUProfileText.text(name), gpuFile == nil else {
                throw UsageError("cost: --show-profile needs --gpu with a built-in name")
            }
            try emit(text + "\n", to: outputPath)
            return
        }

        if let calibration {
            let rest = try args.positionals()
            guard rest.isEmpty else { throw UsageError("cost: --calibration takes no MODEL (got \(rest.joined(separator: " ")))") }
            let file = FileIO.displayName(calibration)
            let bytes = try FileIO.read(calibration)
            let rows = try Calibration.parse(String(decoding: bytes, as: UTF8.self), file: file)
            let results = try Calibration.predict(rows, file: file, gpuOverride: gpu)
            let summary = ErrorSummary(absoluteErrors: results.map { abs($0.relativeError) })
            try emit(format == .json ? JSONWriter.string(calibrationJSON(results, summary)) + "\n" : calibrationTable(results, summary),
                to: outputPath)
            return
        }

        guard let gpu else { throw UsageError("cost: missing --gpu GPU (or --gpu-file FILE)") }
        guard let scenarioText else { throw UsageError("cost: missing --scenario ISL/OSL, e.g. --scenario 128/1024") }
        let scenario: Scenario
        do { scenario = try Scenario(parsing: scenarioText) } catch { throw UsageError("cost: --" + error.message) }
        let dtype = try parseDType(dtypeText ?? "bf16", option: "--dtype")
        let kvDtype = try kvText.map { t throws(UsageError) in try parseDType(t, option: "--kv-dtype") }
        let batch: BatchChoice
        switch batchText {
        case nil, "max": batch = .max
        case let text?:
            guard let n = Int(text), n >= 1 else { throw UsageError("cost: --batch \(text): expected a positive integer or max") }
            batch = .fixed(n)
        }
        let spec = try args.single("MODEL")
        let architecture = try Models.load(spec)
        try architecture.validate(file: FileIO.displayName(spec))
        if gridTiming {
            let tp = Int(tpText ?? "1") ?? 1
            let model = try CostModel(gpu: gpu, dtype: dtype, kvDtype: kvDtype, tp: tp)
            Output.out(timeGrid(architecture, model, scenario))
            return
        }

        let model: CostModel
        let estimate: ServingEstimate
        if tpText == "auto" {
            (model, estimate) = try CostModel.bestTP(architecture, gpu: gpu, dtype: dtype, kvDtype: kvDtype, scenario: scenario, batch: batch)
        } else {
            let text = tpText ?? "1"
            guard let tp = Int(text), tp >= 1, tp <= 1024 else { throw UsageError("cost: --tp \(text): expected a positive integer or auto") }
            model = try CostModel(gpu: gpu, dtype: dtype, kvDtype: kvDtype, tp: tp)
            estimate = try model.evaluate(architecture, scenario: scenario, batch: batch)
        }
        try emit(format == .json ? JSONWriter.string(json(architecture, model, estimate)) + "\n" : table(architecture, model, estimate),
            to: outputPath)
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

    static func parseDType(_ text: String, option: String) throws(UsageError) -> DType {
        guard let d = DType(name: text), [.bf16, .fp16, .fp8].contains(d) else {
            throw UsageError("cost: \(option) \(text): expected bf16, fp16 or fp8")
        }
        return d
    }

    static func emit(_ text: String, to path: String?) throws {
        if let path { try FileIO.writeAtomically(text, to: path) } else { Output.out(text) }
    }

    static func json(_ a: Architecture, _ m: CostModel, _ e: ServingEstimate) -> JSONValue {
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
            "model": .string(a.name), "gpu": .string(m.gpu.name), "dtype": .string(m.dtype.rawValue),
            "kvDtype": .string(m.kvDtype.rawValue), "tp": .number(e.tp),
            "scenario": ["inputTokens": .number(e.scenario.inputTokens), "outputTokens": .number(e.scenario.outputTokens)],
            "batchSize": .number(e.batch), "maxBatchSize": .number(e.maxBatch),
            "throughput": .number(e.throughputTokensPerSecond), "throughputPerGPU": .number(e.throughputPerGPUTokensPerSecond),
            "ttftSeconds": .number(e.ttftSeconds), "tpotSeconds": .number(e.tpotSeconds),
            "cycleSeconds": .number(e.total.cycleSeconds), "iterationsPerCycle": .number(e.plan.iterations),
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

    static func table(_ a: Architecture, _ m: CostModel, _ e: ServingEstimate) -> String {
        var out = "\(a.name) on \(m.gpu.name) x\(e.tp) (TP \(e.tp)), \(m.dtype.rawValue) weights, \(m.kvDtype.rawValue) KV cache, ISL/OSL \(e.scenario)\n\n"
        out += "batch            \(e.batch) sequences (largest that fits: \(e.maxBatch))\n"
        out += "throughput       \(Format.fixed(e.throughputTokensPerSecond, 1)) output tokens/s (\(Format.fixed(e.throughputPerGPUTokensPerSecond, 1)) per GPU)\n"
        out += "TTFT             \(Format.seconds(e.ttftSeconds)) (one request, idle engine)\n"
        out += "TPOT             \(Format.seconds(e.tpotSeconds)) (one in-flight iteration at this batch)\n"
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
