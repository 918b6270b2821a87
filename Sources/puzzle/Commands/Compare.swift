import CostModel
import ModelArchitecture
import PuzzleCore
import Search

/// `puzzle compare A B [C ...]`: manifests and configs side by side.
enum CompareCommand {
    static let help = """
        usage: puzzle compare MODEL MODEL [MODEL ...] [--gpu NAME | --gpu-file F] [--dtype D] [--kv-dtype D]
                              [--tp N|auto] [--scenario ISL/OSL]... [--batch N|auto] [--scheduler P] [--format table|json]

        Side by side: parameters, weight memory, KV heads, objective (manifests), predicted
        throughput per GPU and TPOT with their 80% bands (docs/cost-model.md, "Uncertainty"), TTFT
        per scenario, then the per-layer differences against the first MODEL. MODEL: a built-in parent, an HF/DeciLM config, or a search manifest
        (FILE#K: the K-th child of a --diverse list).

        Settings (same options and defaults as `puzzle cost`): GPU, dtypes and scenarios come from
        the options, else from the manifests (which must agree), else the defaults (h100-sxm, fp8,
        128/1024). TP and batch are per model: the option, else the TP and batch a manifest's child
        was served at, else auto (best TP, largest batch that fits). The table's first line and the
        JSON "settings" say where each came from. Columns are headed by the model names, made unique
        with the file name where two would be equal.

        --format json: {"settings": {...}, "models": [{name, source, parameters, activeParameters, kvHeads, weightsBytes,
        objective, tp {value, source}, predicted [... each with its band]}], "differences": [{layer, models: [{attention, ffn}]}]}.

        """

    struct Entry {
        var spec: String
        var header: String
        var model: LoadedModel
        var predicted: [ScenarioPrediction]
        var tpSource: SettingSource
        var architecture: Architecture { model.architecture }
        var objective: (metric: String, value: Double)? {
            guard let m = model.manifest, let v = m.objectiveValue else { return nil }
            return (m.objectiveMetric, v)
        }
    }

    static func run(_ args: inout Arguments) throws {
        try args.help(help)
        let format = try OutputFormat.parse(&args)
        let raw = try CostInputs.raw(&args)
        let specs = try args.positionals()
        guard specs.count >= 2 else { throw UsageError("expected at least two MODEL arguments") }
        let models = try ModelInput.loadAll(specs)
        let inputs = try CostInputs.resolve(raw, manifests: models.compactMap(\.manifest))
        let headers = uniqueHeaders(models)
        var entries: [Entry] = []
        for (k, model) in models.enumerated() {
            var predicted: [ScenarioPrediction] = []
            var tpSource = SettingSource.default
            for scenario in inputs.scenarios.value {
                let (estimate, tp, _) = try inputs.estimate(model, scenario: scenario)
                predicted.append(ScenarioPrediction(estimate, parentThroughputPerGPU: nil))
                tpSource = tp.source
            }
            entries.append(Entry(spec: model.spec, header: headers[k], model: model, predicted: predicted, tpSource: tpSource))
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
            var list: [JSONValue] = []
            for e in entries {
                list.append([
                    "name": .string(e.header), "source": .string(e.spec),
                    "parameters": .number(e.architecture.parameters), "activeParameters": .number(e.architecture.activeParameters),
                    "kvHeads": .number(e.architecture.kvHeadsTotal),
                    "weightsBytes": .number(e.predicted.first?.weightsBytes ?? e.architecture.weightBytes(.bf16)),
                    "objective": e.objective.map { ["metric": .string($0.metric), "value": .number($0.value)] } ?? .null,
                    "tp": ["value": e.predicted.first.map { .number($0.tp) } ?? .null, "source": .string(e.tpSource.rawValue)],
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
            Output.json(["settings": inputs.json, "models": .array(list), "differences": .array(diffs)])
        default:
            var out = "settings: \(inputs.summary); TP and batch per model (manifest: as searched, else auto)\n"
            var t = TextTable([""] + entries.map(\.header))
            t.add(["source"] + entries.map { $0.spec })
            t.add(["parameters"] + entries.map { Format.count(Double($0.architecture.parameters)) })
            if entries.contains(where: { $0.architecture.activeParameters != $0.architecture.parameters }) {
                t.add(["active parameters"] + entries.map { Format.count(Double($0.architecture.activeParameters)) })
            }
            t.add(["KV heads (sum)"] + entries.map { String($0.architecture.kvHeadsTotal) })
            t.add(["weights/GPU"] + entries.map { $0.predicted.first.map { Format.bytes($0.weightsBytes) } ?? "-" })
            t.add(["objective"] + entries.map { $0.objective.map { "\($0.metric) \(Format.fixed($0.value, 4))" } ?? "-" })
            let scenarios = entries[0].predicted.map(\.scenarioName)
            for (k, s) in scenarios.enumerated() {
                t.add(["tok/s/GPU \(s)"] + entries.map { k < $0.predicted.count ? Format.fixed($0.predicted[k].throughputPerGPU, 0) : "-" })
                t.add(["  band (80%)"] + entries.map { e -> String in
                    guard k < e.predicted.count, let b = e.predicted[k].band else { return "-" }
                    return Format.fixed(b.throughputPerGPU.low, 0) + "-" + Format.fixed(b.throughputPerGPU.high, 0)
                })
                t.add(["  vs first"] + entries.map {
                    guard k < $0.predicted.count, k < entries[0].predicted.count, entries[0].predicted[k].throughputPerGPU > 0 else { return "-" }
                    return Format.fixed($0.predicted[k].throughputPerGPU / entries[0].predicted[k].throughputPerGPU, 2) + "x"
                })
                t.add(["  batch x TP"] + entries.map { k < $0.predicted.count ? "\($0.predicted[k].batchSize) x \($0.predicted[k].tp)" : "-" })
                t.add(["  TTFT"] + entries.map { k < $0.predicted.count ? Format.seconds($0.predicted[k].ttftSeconds) : "-" })
                t.add(["  TPOT"] + entries.map { k < $0.predicted.count ? Format.seconds($0.predicted[k].tpotSeconds) : "-" })
                t.add(["  TPOT band"] + entries.map { e -> String in
                    guard k < e.predicted.count, let b = e.predicted[k].band else { return "-" }
                    return Format.seconds(b.tpotSeconds.low) + " - " + Format.seconds(b.tpotSeconds.high)
                })
            }
            out += t.render()
            out += "\nlayers that differ: \(differences.count) of \(reference.layers.count)\n"
            if !differences.isEmpty {
                var d = TextTable(["layer"] + entries.map(\.header))
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

    /// Column headers: each model's name; where names repeat, `name (file)`, then `name #k`.
    static func uniqueHeaders(_ models: [LoadedModel]) -> [String] {
        var headers = models.map(\.architecture.name)
        for (k, h) in headers.enumerated() where headers.filter({ $0 == h }).count > 1 {
            headers[k] = "\(h) (\(models[k].spec))"
        }
        for (k, h) in headers.enumerated() where headers.filter({ $0 == h }).count > 1 {
            headers[k] = "\(h) #\(k + 1)"
        }
        return headers
    }
}
