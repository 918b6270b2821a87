import Foundation
import ModelArchitecture
import CostModel
import Plot
import PuzzleCore
import Search

/// `puzzle plot runtime MANIFEST --svg FILE`, `puzzle plot serving MODEL [MODEL ...] --svg FILE`
enum PlotCommand {
    static let help = """
        usage: puzzle plot runtime MODEL [--parent MODEL] [--svg FILE] [--gpu NAME | --gpu-file F] [--dtype D]
                                   [--kv-dtype D] [--tp N|auto] [--scenario ISL/OSL] [--batch N|auto]
                                   [--format table|json]
               puzzle plot serving MODEL [MODEL ...] [--svg FILE] [--gpu NAME | --gpu-file F] [--dtype D]
                                   [--kv-dtype D] [--tp N|auto] [--scenario ISL/OSL] [--scheduler P]
                                   [--format table|csv|json]

        Per layer, the attention and FFN time of one decode step of the child against its parent
        (the Nemotron-51B announcement's Figure 3), savings shaded. MODEL is a search manifest (its
        GPU, dtypes, first scenario, TP and batch are the defaults, as in `puzzle cost`) or any
        config; --parent defaults to the manifest's parent, else the built-in parent with the same
        shape. TP and batch: as in `puzzle cost` (auto: the child's best TP and largest batch); the
        parent is timed at the same TP and batch.
        Without --svg, or with --format json, the per-layer numbers are printed:
        [{layer, parentAttentionSeconds, parentFFNSeconds, childAttentionSeconds, childFFNSeconds}].

        serving: output tokens/s per GPU against tokens/s per user (1 / TPOT) across batch sizes
        1, 2, 4, ... up to the largest that fits, one curve per MODEL (the Nemotron-51B
        announcement's Figure 4). GPU, dtypes, scenario and scheduler: the options, else the
        manifests' (which must agree), else the defaults, as in `puzzle compare`; TP per model: the
        option, else the TP a manifest's child was served at, else the best TP at the largest batch.
        Without --svg, or with --format csv|json, the points are printed: table or CSV
        model,tp,batch,throughputPerGPU,throughputPerGPULow,throughputPerGPUHigh,tokensPerSecondPerUser,tpotSeconds
        (low/high: the 80% band, docs/cost-model.md); JSON [{model, source, tp, maxBatch, points:
        [{batch, throughputPerGPU, throughputPerGPULow, throughputPerGPUHigh, tokensPerSecondPerUser, tpotSeconds}]}].

        """

    static func run(_ args: inout Arguments) throws {
        let sub = args.popSubcommand()
        guard sub == "runtime" || sub == "serving" else {
            try args.help(help)
            throw UsageError(sub == nil ? "missing chart; expected: puzzle plot runtime MODEL --svg FILE, or puzzle plot serving MODEL [MODEL ...] --svg FILE"
                : "unknown chart \(Excerpt.quoted(sub!)); expected runtime or serving")
        }
        try args.help(help)
        if sub == "serving" {
            try serving(&args)
            return
        }
        let format = try OutputFormat.parse(&args)
        let svgPath = try args.option("--svg")
        let parentSpec = try args.option("--parent")
        let raw = try CostInputs.raw(&args)
        let spec = try args.single("MODEL")
        let loaded = try ModelInput.load(spec)
        let child = loaded.architecture
        try child.validate(file: FileIO.displayName(spec))
        let inputs = try CostInputs.resolve(raw, manifests: loaded.manifest.map { [$0] } ?? [], multipleScenarios: false)

        let parent: Architecture
        if let parentSpec {
            parent = try ModelInput.load(parentSpec).architecture
        } else if let name = loaded.manifest?.parentName, let builtin = BuiltinModels.architecture(name) {
            parent = builtin
        } else if let match = BuiltinModels.names.compactMap(BuiltinModels.architecture).first(where: {
            $0.dimensions.hiddenSize == child.dimensions.hiddenSize && $0.dimensions.attentionHeads == child.dimensions.attentionHeads
                && $0.layers.count == child.layers.count && $0.dimensions.family == child.dimensions.family
                && $0.dimensions.vocabSize == child.dimensions.vocabSize && $0.dimensions.moe?.experts == child.dimensions.moe?.experts
        }) {
            parent = match
        } else {
            throw UsageError("no built-in parent has \(child.name)'s shape; pass --parent MODEL")
        }
        guard parent.layers.count == child.layers.count else {
            throw UsageError("the parent \(parent.name) has \(parent.layers.count) layers and the child \(child.layers.count); expected the same (--parent)")
        }
        guard parent.dimensions.hiddenSize == child.dimensions.hiddenSize, parent.dimensions.attentionHeads == child.dimensions.attentionHeads else {
            throw UsageError("the parent \(parent.name) and the child \(child.name) differ in hidden size or query heads; expected the same shape (--parent)")
        }
        let scenario = inputs.scenarios.value[0]
        // The child's prediction fixes (and checks) the TP and batch; the parent is timed there too.
        let (estimate, _, _) = try inputs.estimate(loaded, scenario: scenario)
        let tp = estimate.tp
        let batch = estimate.batch
        let model = try inputs.model(tp: tp)
        let plan = model.plan(scenario: scenario, batch: batch)
        let gpu = inputs.gpu.value
        let dtype = inputs.dtype.value

        let d = parent.dimensions
        var layers: [RuntimeChart.Layer] = []
        for (p, c) in zip(parent.layers, child.layers) {
            func step(_ cost: SubblockCost) -> Double { cost.decodeStepSeconds }
            layers.append(RuntimeChart.Layer(
                parentAttention: step(model.costs(of: p.attention, dimensions: d, scenario: scenario, plan: plan)),
                parentFFN: step(model.costs(of: p.ffn, dimensions: d, scenario: scenario, plan: plan)),
                childAttention: step(model.costs(of: c.attention, dimensions: child.dimensions, scenario: scenario, plan: plan)),
                childFFN: step(model.costs(of: c.ffn, dimensions: child.dimensions, scenario: scenario, plan: plan))))
        }
        if let svgPath {
            let milliseconds = layers.map {
                RuntimeChart.Layer(parentAttention: $0.parentAttention * 1e3, parentFFN: $0.parentFFN * 1e3,
                    childAttention: $0.childAttention * 1e3, childFFN: $0.childFFN * 1e3)
            }
            let chart = RuntimeChart(
                title: "\(child.name) vs \(parent.name): per-layer decode-step time",
                subtitle: "\(gpu.name), \(dtype.rawValue), TP \(tp), batch \(batch), ISL/OSL \(scenario) (cost model)",
                unit: "ms per decode step", layers: milliseconds)
            try FileIO.writeAtomically(chart.svg(), to: svgPath)
        }
        if svgPath == nil || format == .json {
            if format == .json {
                Output.json(.array(layers.enumerated().map { i, l in
                    [
                        "layer": .number(i), "parentAttentionSeconds": .number(l.parentAttention), "parentFFNSeconds": .number(l.parentFFN),
                        "childAttentionSeconds": .number(l.childAttention), "childFFNSeconds": .number(l.childFFN),
                    ]
                }))
            } else {
                var t = TextTable(["layer", "parent attn", "parent ffn", "child attn", "child ffn", "saved"])
                for (i, l) in layers.enumerated() {
                    let saved = (l.parentAttention + l.parentFFN) - (l.childAttention + l.childFFN)
                    t.add([String(i), Format.seconds(l.parentAttention), Format.seconds(l.parentFFN), Format.seconds(l.childAttention),
                        Format.seconds(l.childFFN), Format.seconds(saved)])
                }
                Output.out(t.render())
            }
        } else {
            let parentTotal = layers.reduce(0) { $0 + $1.parentAttention + $1.parentFFN }
            let childTotal = layers.reduce(0) { $0 + $1.childAttention + $1.childFFN }
            Output.err("puzzle plot: wrote \(svgPath!) (layers: parent \(Format.seconds(parentTotal)), child \(Format.seconds(childTotal)) per decode step)")
        }
    }
}

extension PlotCommand {
    /// One model's curve: its TP and the prediction at every batch of the sweep.
    struct ServingCurve {
        var header: String
        var spec: String
        var tp: Int
        var maxBatch: Int
        var points: [ScenarioPrediction]
    }

    /// A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Batches 1, 2, 4, ... below the largest that fits, then the largest.
    static func servingBatches(upTo maxBatch: Int) -> [Int] {
        var out: [Int] = []
        var b = 1
        while b < maxBatch {
            out.append(b)
            b *= 2
        }
        out.append(max(maxBatch, 1))
        return out
    }

    static func serving(_ args: inout Arguments) throws {
        let format = try OutputFormat.parse(&args, allowed: [.table, .csv, .json])
        let svgPath = try args.option("--svg")
        let raw = try CostInputs.raw(&args)
        if raw.batch != nil { throw UsageError("--batch has no effect with plot serving (it sweeps the batch from 1 to the largest that fits)") }
        let specs = try args.positionals()
        guard !specs.isEmpty else { throw UsageError("expected at least one MODEL (plot serving MODEL [MODEL ...] --svg FILE)") }
        let models = try ModelInput.loadAll(specs)
        for (m, spec) in zip(models, specs) { try m.architecture.validate(file: FileIO.displayName(spec)) }
        let inputs = try CostInputs.resolve(raw, manifests: models.compactMap(\.manifest), multipleScenarios: false)
        let scenario = inputs.scenarios.value[0]
        // A config read from a file is named by its path: its file name reads better in a legend.
        let headers = CompareCommand.uniqueHeaders(models).map { name -> String in
            guard name.contains("/") else { return name }
            var base = String(name.split(separator: "/").last ?? Substring(name))
            for suffix in [".json", ".config"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
            return base
        }
        var curves: [ServingCurve] = []
        for (k, model) in models.enumerated() {
            let tp: Int
            if let fixed = inputs.tp(for: model).value {
                tp = fixed
            } else {
                tp = try CostModel.bestTP(model.architecture, gpu: inputs.gpu.value, dtype: inputs.dtype.value,
                    kvDtype: inputs.kvDtype.value, scenario: scenario, batch: .max, scheduler: inputs.scheduler.value).estimate.tp
            }
            let costModel = try inputs.model(tp: tp)
            let maxBatch = try costModel.maxBatch(model.architecture, scenario: scenario)
            var points: [ScenarioPrediction] = []
            for b in servingBatches(upTo: maxBatch) {
                let e = try costModel.evaluate(model.architecture, scenario: scenario, batch: .fixed(b))
                points.append(ScenarioPrediction(e, parentThroughputPerGPU: nil))
            }
            curves.append(ServingCurve(header: headers[k], spec: model.spec, tp: tp, maxBatch: maxBatch, points: points))
        }
        if let svgPath {
            let chart = ServingChart(
                title: "Server throughput vs per-user speed (\(scenario) tokens in/out)",
                subtitle: "\(inputs.gpu.value.name), \(inputs.dtype.value.rawValue) weights, \(inputs.effectiveKVDtype.rawValue) KV, "
                    + "\(inputs.scheduler.value.rawValue); batch 1 to the largest that fits (cost model)",
                series: curves.map { c in
                    ServingChart.Series(name: "\(c.header) (TP \(c.tp))", points: c.points.map {
                        ServingChart.Point(tokensPerSecondPerUser: 1 / $0.tpotSeconds, tokensPerSecondPerGPU: $0.throughputPerGPU, batch: $0.batchSize)
                    })
                })
            try FileIO.writeAtomically(chart.svg(), to: svgPath)
        }
        func low(_ p: ScenarioPrediction) -> Double { p.band?.throughputPerGPU.low ?? p.throughputPerGPU }
        func high(_ p: ScenarioPrediction) -> Double { p.band?.throughputPerGPU.high ?? p.throughputPerGPU }
        switch format {
        case .json:
            Output.json(.array(curves.map { c in
                [
                    "model": .string(c.header), "source": .string(c.spec), "tp": .number(c.tp), "maxBatch": .number(c.maxBatch),
                    "points": .array(c.points.map { p in
                        [
                            "batch": .number(p.batchSize), "throughputPerGPU": .number(p.throughputPerGPU),
                            "throughputPerGPULow": .number(low(p)), "throughputPerGPUHigh": .number(high(p)),
                            "tokensPerSecondPerUser": .number(1 / p.tpotSeconds), "tpotSeconds": .number(p.tpotSeconds),
                        ]
                    }),
                ]
            }))
        case .csv:
            var out = "model,tp,batch,throughputPerGPU,throughputPerGPULow,throughputPerGPUHigh,tokensPerSecondPerUser,tpotSeconds\n"
            for c in curves {
                for p in c.points {
                    out += [csvField(c.header), String(c.tp), String(p.batchSize), Format.csv(p.throughputPerGPU), Format.csv(low(p)),
                        Format.csv(high(p)), Format.csv(1 / p.tpotSeconds), Format.csv(p.tpotSeconds)].joined(separator: ",") + "\n"
                }
            }
            Output.out(out)
        default:
            if let svgPath {
                Output.err("puzzle plot: wrote \(svgPath) (\(curves.map { "\($0.header): TP \($0.tp), batch 1-\($0.maxBatch)" }.joined(separator: "; ")))")
                return
            }
            var out = "settings: \(inputs.summary); TP per model (option, manifest, else best at the largest batch)\n"
            var t = TextTable(["model", "TP", "batch", "tok/s/GPU", "band (80%)", "tok/s/user", "TPOT"])
            for c in curves {
                for p in c.points {
                    t.add([c.header, String(c.tp), String(p.batchSize), Format.fixed(p.throughputPerGPU, 1),
                        Format.fixed(low(p), 0) + "-" + Format.fixed(high(p), 0), Format.fixed(1 / p.tpotSeconds, 1), Format.seconds(p.tpotSeconds)])
                }
            }
            out += t.render()
            Output.out(out)
        }
    }
}
