import ModelArchitecture
import PuzzleCore

/// `puzzle inspect MODEL [--format table|json]`
enum InspectCommand {
    static let help = """
        usage: puzzle inspect MODEL [--format table|json]

        Per layer: attention variant, KV heads, FFN size and parameters; then totals and the layer mix.
        MODEL: a built-in parent (\(BuiltinNames.list)), a path to an HF or DeciLM
        config.json, a search manifest (FILE#K: the K-th child of a --diverse list), or - for stdin.

        --format json prints one object: name, family, parameters (total), activeParameters
        (per token: mixtures of experts count top-k experts), kvHeads (sum over layers),
        nonLayerParameters, dimensions, layers [{index, attention, kvHeads, ffn, intermediateSize,
        parameters}], mix [{attention, ffn, count}].

        """

    static func run(_ args: inout Arguments) throws {
        try args.help(help)
        let format = try OutputFormat.parse(&args)
        let spec = try args.single("MODEL")
        let architecture = try ModelInput.load(spec).architecture
        switch format {
        case .json: Output.json(json(architecture))
        default: Output.out(table(architecture))
        }
    }

    static func json(_ a: Architecture) -> JSONValue {
        let d = a.dimensions
        let layers: [JSONValue] = a.layers.enumerated().map { index, layer in
            [
                "index": .number(index),
                "attention": .string(layer.attention.name),
                "kvHeads": .number(layer.attention.kvHeads),
                "ffn": .string(layer.ffn.name),
                "intermediateSize": .number(layer.ffn.intermediateSize),
                "parameters": .number(d.parameters(of: layer)),
                "activeParameters": .number(d.activeParameters(of: layer)),
                "slidingWindow": layer.attention.window.map { .number($0) } ?? .null,
                "experts": .number(layer.ffn.experts), "topK": .number(layer.ffn.topK),
            ]
        }
        let mix: [JSONValue] = a.layerMix.map {
            ["attention": .string($0.attention.name), "ffn": .string($0.ffn.name), "count": .number($0.count)]
        }
        return [
            "name": .string(a.name),
            "family": .string(d.family.rawValue),
            "parameters": .number(a.parameters),
            "activeParameters": .number(a.activeParameters),
            "kvHeads": .number(a.kvHeadsTotal),
            "nonLayerParameters": .number(d.nonLayerParameters),
            "dimensions": [
                "hiddenSize": .number(d.hiddenSize), "attentionHeads": .number(d.attentionHeads),
                "kvHeads": .number(d.kvHeads), "headDim": .number(d.headDim),
                "intermediateSize": .number(d.intermediateSize), "layers": .number(a.layers.count),
                "vocabSize": .number(d.vocabSize), "tiedEmbeddings": .bool(d.tiedEmbeddings),
                "attentionBias": .string(d.attentionBias.rawValue), "qkNorm": .bool(d.qkNorm),
                "attentionSinks": .bool(d.attentionSinks), "slidingWindow": d.slidingWindow.map { .number($0) } ?? .null,
                "experts": .number(d.moe?.experts ?? 0), "expertsPerToken": .number(d.moe?.topK ?? 0),
                "expertIntermediateSize": .number(d.moe?.expertIntermediateSize ?? 0),
                "expertStorage": d.moe.map { .string($0.storage.rawValue) } ?? .null,
            ],
            "layers": .array(layers),
            "mix": .array(mix),
        ]
    }

    static func table(_ a: Architecture) -> String {
        let d = a.dimensions
        var t = TextTable(["layer", "attention", "kv heads", "ffn", "ffn size", "parameters"])
        for (index, layer) in a.layers.enumerated() {
            t.add([
                String(index), layer.attention.name, String(layer.attention.kvHeads), layer.ffn.name,
                String(layer.ffn.intermediateSize), Format.grouped(d.parameters(of: layer)),
            ])
        }
        var out = "\(a.name) (\(d.family.rawValue)): \(a.layers.count) layers, hidden \(d.hiddenSize), \(d.attentionHeads) query heads x \(d.headDim), vocab \(d.vocabSize)\(d.tiedEmbeddings ? " (tied)" : "")\n\n"
        out += t.render()
        out += "\nparameters      \(Format.grouped(a.parameters)) (\(Format.count(Double(a.parameters))))\n"
        out += "  in layers     \(Format.grouped(a.layerParameters.reduce(0, +)))\n"
        out += "  outside       \(Format.grouped(d.nonLayerParameters)) (embeddings, LM head, final norm)\n"
        if d.moe != nil {
            out += "active/token    \(Format.grouped(a.activeParameters)) (\(Format.count(Double(a.activeParameters)))): top-k experts of each MoE layer\n"
        }
        out += "KV heads (sum)  \(a.kvHeadsTotal)  (\(Format.bytes(a.kvCacheBytesPerToken(.bf16))) per token at bf16)\n"
        out += "\nlayer mix:\n"
        for m in a.layerMix {
            out += "  \(String(m.count).leftPad(4)) x  attention \(m.attention.name.padding(12)) ffn \(m.ffn.name)\n"
        }
        return out
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
