import ModelArchitecture
import CostModel
import Plot
import PuzzleCore
import Search

/// `puzzle plot runtime MANIFEST --svg FILE`
enum PlotCommand {
    static let help = """
        usage: puzzle plot runtime MODEL [--parent MODEL] --svg FILE [--gpu NAME] [--dtype D] [--tp N]
                                   [--scenario ISL/OSL] [--batch N] [--format table|json]

        Per layer, the attention and FFN time of one decode step of the child against its parent
        (the Nemotron-51B announcement's Figure 3), savings shaded. MODEL is a search manifest (its
        GPU, dtype, first scenario, TP and batch are the defaults) or any config; --parent defaults
        to the manifest's parent, else the built-in parent with the same shape.
        Without --svg, or with --format json, the per-layer numbers are printed:
        [{layer, parentAttentionSeconds, parentFFNSeconds, childAttentionSeconds, childFFNSeconds}].

        """

    static func run(_ args: inout Arguments) throws {
        let sub = args.popSubcommand()
        guard sub == "runtime" else {
            try args.help(help)
            throw UsageError(sub == nil ? "plot: missing chart; expected: puzzle plot runtime MODEL --svg FILE" : "plot: unknown chart '\(sub!)'; expected runtime")
        }
        try args.help(help)
        let format = try OutputFormat.parse(&args)
        let svgPath = try args.option("--svg")
        let parentSpec = try args.option("--parent")
        let gpuName = try args.option("--gpu")
        let gpuFile = try args.option("--gpu-file")
        let dtypeText = try args.option("--dtype")
        let tpText = try args.option("--tp")
        let scenarioText = try args.option("--scenario")
        let batchText = try args.option("--batch")
        let spec = try args.single("MODEL")

        let root = ModelSource.isBuiltin(spec) ? nil : try JSONReader.parse(try FileIO.read(spec), file: FileIO.displayName(spec))
        let child: Architecture
        if let root, let embedded = try Models.manifestArchitecture(root) {
            child = embedded
        } else if let root {
            child = try ConfigReader.read(root)
        } else {
            child = try Models.load(spec)
        }
        let costs = root?.value["costs"]
        let predicted = root?.value["predicted"]?.arrayValue?.first

        let parent: Architecture
        if let parentSpec {
            parent = try Models.load(parentSpec)
        } else if let name = root?.value["parent"]?["name"]?.stringValue, let builtin = BuiltinModels.architecture(name) {
            parent = builtin
        } else if let match = BuiltinModels.names.compactMap(BuiltinModels.architecture).first(where: {
            $0.dimensions.hiddenSize == child.dimensions.hiddenSize && $0.dimensions.attentionHeads == child.dimensions.attentionHeads
                && $0.layers.count == child.layers.count
        }) {
            parent = match
        } else {
            throw UsageError("plot: no built-in parent has \(child.name)'s shape; pass --parent MODEL")
        }
        guard parent.layers.count == child.layers.count else {
            throw UsageError("plot: the parent has \(parent.layers.count) layers and the child \(child.layers.count); expected the same")
        }

        var gpu: GPUProfile
        if let gpuFile {
            gpu = try GPUProfile.parse(try FileIO.read(gpuFile), file: FileIO.displayName(gpuFile))
        } else {
            let name = gpuName ?? costs?["gpu"]?.stringValue ?? "h100-sxm"
            guard let g = GPUProfile.builtin(named: name) else { throw UsageError("plot: --gpu \(name): unknown GPU") }
            gpu = g
        }
        let dtypeName = dtypeText ?? costs?["dtype"]?.stringValue ?? "fp8"
        guard let dtype = DType(name: dtypeName) else { throw UsageError("plot: --dtype \(dtypeName): expected bf16, fp16 or fp8") }
        let kvName = costs?["kvDtype"]?.stringValue
        let tp = try tpText.map { (t: String) throws(UsageError) -> Int in
            guard let n = Int(t), n >= 1 else { throw UsageError("plot: --tp \(t): expected a positive integer") }
            return n
        } ?? predicted?["tp"]?.intValue ?? 1
        let scenario = try Scenario(parsing: scenarioText ?? predicted?["scenario"]?.stringValue ?? "128/1024")
        let batch = try batchText.map { (t: String) throws(UsageError) -> Int in
            guard let n = Int(t), n >= 1 else { throw UsageError("plot: --batch \(t): expected a positive integer") }
            return n
        } ?? predicted?["batchSize"]?.intValue ?? 64
        let model = try CostModel(gpu: gpu, dtype: dtype, kvDtype: kvName.flatMap { DType(name: $0) }, tp: tp)
        let plan = model.plan(scenario: scenario, batch: batch)

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
            Output.err("plot: wrote \(svgPath!) (layers: parent \(Format.seconds(parentTotal)), child \(Format.seconds(childTotal)) per decode step)")
        }
    }
}
