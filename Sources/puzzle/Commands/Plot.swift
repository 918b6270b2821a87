import ModelArchitecture
import CostModel
import Plot
import PuzzleCore
import Search

/// `puzzle plot runtime MANIFEST --svg FILE`
enum PlotCommand {
    static let help = """
        usage: puzzle plot runtime MODEL [--parent MODEL] [--svg FILE] [--gpu NAME | --gpu-file F] [--dtype D]
                                   [--kv-dtype D] [--tp N|auto] [--scenario ISL/OSL] [--batch N|auto]
                                   [--format table|json]

        Per layer, the attention and FFN time of one decode step of the child against its parent
        (the Nemotron-51B announcement's Figure 3), savings shaded. MODEL is a search manifest (its
        GPU, dtypes, first scenario, TP and batch are the defaults, as in `puzzle cost`) or any
        config; --parent defaults to the manifest's parent, else the built-in parent with the same
        shape. TP and batch: as in `puzzle cost` (auto: the child's best TP and largest batch); the
        parent is timed at the same TP and batch.
        Without --svg, or with --format json, the per-layer numbers are printed:
        [{layer, parentAttentionSeconds, parentFFNSeconds, childAttentionSeconds, childFFNSeconds}].

        """

    static func run(_ args: inout Arguments) throws {
        let sub = args.popSubcommand()
        guard sub == "runtime" else {
            try args.help(help)
            throw UsageError(sub == nil ? "missing chart; expected: puzzle plot runtime MODEL --svg FILE" : "unknown chart \(Excerpt.quoted(sub!)); expected runtime")
        }
        try args.help(help)
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
