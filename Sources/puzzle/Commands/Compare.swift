import ModelArchitecture
import PuzzleCore
import Search

/// `puzzle compare A B [C ...]`: manifests and configs side by side.
enum CompareCommand {
    static let help = """
        usage: puzzle compare MODEL MODEL [MODEL ...] [--gpu NAME] [--dtype D] [--tp N|auto]
                              [--scenario ISL/OSL]... [--batch N|max] [--format table|json]

        Side by side: parameters, weight memory, KV heads, objective (manifests), predicted
        throughput per GPU, TTFT and TPOT per scenario, then the per-layer differences against
        the first MODEL. MODEL: a built-in parent, an HF/DeciLM config, or a search manifest.
        Predictions come from the cost model at the given GPU/dtype/TP/scenarios (defaults:
        h100-sxm, fp8, auto, 128/1024, max batch); a manifest's own search-time prediction is
        shown too.

        --format json: {"models": [{name, source, parameters, kvHeads, weightsBytes, objective,
        predicted [...]}], "differences": [{layer, models: [{attention, ffn}]}]}.

        """

    struct Entry {
        var spec: String
        var architecture: Architecture
        var objective: (metric: String, value: Double)?
        var predicted: [ScenarioPrediction]
    }

    static func run(_ args: inout Arguments) throws {
        try args.help(help)
        let format = try OutputFormat.parse(&args)
        let costing = try CostOptions.evaluator(&args, command: "compare")
        let specs = try args.positionals()
        guard specs.count >= 2 else { throw UsageError("compare: expected at least two MODEL arguments") }
        var entries: [Entry] = []
        for spec in specs {
            let (architecture, objective) = try ManifestInfo.load(spec)
            let predicted = try costing.predictions(architecture)
            entries.append(Entry(spec: spec, architecture: architecture, objective: objective, predicted: predicted))
        }
        let reference = entries[0].architecture
        var differences: [Int] = []
        let maxLayers = entries.map(\.architecture.layers.count).max() ?? 0
        for i in 0..<maxLayers {
            let blocks = entries.map { i < $0.architecture.layers.count ? $0.architecture.layers[i] : nil }
            if blocks.contains(where: { $0?.attention != blocks[0]?.attention || $0?.ffn != blocks[0]?.ffn }) { differences.append(i) }
        }
        switch format {
        case .json:
            var models: [JSONValue] = []
            for e in entries {
                models.append([
                    "name": .string(e.architecture.name), "source": .string(e.spec),
                    "parameters": .number(e.architecture.parameters), "kvHeads": .number(e.architecture.kvHeadsTotal),
                    "weightsBytes": .number(e.predicted.first?.weightsBytes ?? e.architecture.weightBytes(.bf16)),
                    "objective": e.objective.map { ["metric": .string($0.metric), "value": .number($0.value)] } ?? .null,
                    "predicted": .array(e.predicted.map(Manifest.prediction)),
                ])
            }
            let diffs: [JSONValue] = differences.map { i in
                [
                    "layer": .number(i),
                    "models": .array(entries.map { e in
                        i < e.architecture.layers.count
                            ? ["attention": .string(e.architecture.layers[i].attention.name), "ffn": .string(e.architecture.layers[i].ffn.name)]
                            : .null
                    }),
                ]
            }
            Output.json(["models": .array(models), "differences": .array(diffs)])
        default:
            var t = TextTable([""] + entries.map { $0.architecture.name })
            t.add(["source"] + entries.map { $0.spec })
            t.add(["parameters"] + entries.map { Format.count(Double($0.architecture.parameters)) })
            t.add(["KV heads (sum)"] + entries.map { String($0.architecture.kvHeadsTotal) })
            t.add(["weights/GPU"] + entries.map { $0.predicted.first.map { Format.bytes($0.weightsBytes) } ?? "-" })
            t.add(["objective"] + entries.map { $0.objective.map { "\($0.metric) \(Format.fixed($0.value, 4))" } ?? "-" })
            let scenarios = entries[0].predicted.map(\.scenarioName)
            for (k, s) in scenarios.enumerated() {
                t.add(["tok/s/GPU \(s)"] + entries.map { k < $0.predicted.count ? Format.fixed($0.predicted[k].throughputPerGPU, 0) : "-" })
                t.add(["  vs first"] + entries.map {
                    guard k < $0.predicted.count, k < entries[0].predicted.count, entries[0].predicted[k].throughputPerGPU > 0 else { return "-" }
                    return Format.fixed($0.predicted[k].throughputPerGPU / entries[0].predicted[k].throughputPerGPU, 2) + "x"
                })
                t.add(["  batch x TP"] + entries.map { k < $0.predicted.count ? "\($0.predicted[k].batchSize) x \($0.predicted[k].tp)" : "-" })
                t.add(["  TTFT"] + entries.map { k < $0.predicted.count ? Format.seconds($0.predicted[k].ttftSeconds) : "-" })
                t.add(["  TPOT"] + entries.map { k < $0.predicted.count ? Format.seconds($0.predicted[k].tpotSeconds) : "-" })
            }
            var out = t.render()
            out += "\nlayers that differ: \(differences.count) of \(reference.layers.count)\n"
            if !differences.isEmpty {
                var d = TextTable(["layer"] + entries.map { $0.architecture.name })
                for i in differences {
                    d.add([String(i)] + entries.map { e in
                        i < e.architecture.layers.count ? "\(e.architecture.layers[i].attention.name) \(e.architecture.layers[i].ffn.name)" : "-"
                    })
                }
                out += d.render()
            }
            Output.out(out)
        }
    }
}

/// A MODEL argument plus, for manifests, the objective they record.
enum ManifestInfo {
    static func load(_ spec: String) throws -> (Architecture, (metric: String, value: Double)?) {
        if let builtin = BuiltinModels.architecture(spec) { return (builtin, nil) }
        let root = try JSONReader.parse(try FileIO.read(spec), file: FileIO.displayName(spec))
        guard let architecture = try Models.manifestArchitecture(root) else { return (try ConfigReader.read(root), nil) }
        guard let metric = root.value["objective"]?["metric"]?.stringValue,
            let value = root.value["objective"]?["value"]?.doubleValue
        else { return (architecture, nil) }
        return (architecture, (metric, value))
    }
}
