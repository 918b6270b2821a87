import ModelArchitecture
import BlockLibraries
import PuzzleCore

/// The per-layer overview `puzzle library show` prints: for each layer its layout, candidate
/// count, and over whole blocks (joint candidates, or attention x FFN sums) the best and worst
/// variant and the score range for one metric.
struct LibrarySummary {
    /// One whole-block option: the library's variant name (`a+b` for a decoupled pair), the
    /// short typed name for tables, and its score.
    struct Pick {
        var name: String
        var display: String
        var attention: String
        var ffn: String
        var score: Double
    }

    struct Row {
        var layer: Int
        var layout: String
        var candidates: String
        var best: Pick?
        var worst: Pick?
    }

    let library: BlockLibrary
    let metric: Metric?
    let rows: [Row]

    init(_ library: BlockLibrary, metric: Metric?) {
        self.library = library
        self.metric = metric
        var rows: [Row] = []
        for layer in library.layers {
            let counts = layer.groups.map { String($0.count) }.joined(separator: " x ")
            var row = Row(layer: layer.index, layout: layer.layout.name, candidates: counts)
            if let metric {
                for option in layer.blockOptions(metric: metric.name) {
                    guard let s = option.score else { continue }
                    let option = Pick(name: option.name, display: Self.display(option.name, option.attention, option.ffn),
                        attention: option.attention?.name ?? "-", ffn: option.ffn?.name ?? "-", score: s)
                    if row.best == nil || metric.isBetter(s, than: row.best?.score ?? s) { row.best = option }
                    if row.worst == nil || metric.isBetter(row.worst?.score ?? s, than: s) { row.worst = option }
                }
            }
            rows.append(row)
        }
        self.rows = rows
    }

    /// The typed `gqa:8+ffn:14336` when the library's own name is long or has tabs (NVlabs names).
    static func display(_ name: String, _ a: AttentionVariant?, _ f: FFNVariant?) -> String {
        guard name.count > 24 || name.contains("\t"), let a, let f else { return name }
        return a.name + "+" + f.name
    }

    static func score(_ v: Double) -> String { Format.fixed(v, abs(v) >= 100 ? 2 : 4) }

    func table(file: String) -> String {
        let l = library
        var out = "\(file): block library for \(l.parent.name) (\(l.parent.layers.count) layers)\n"
        let metrics = l.metrics.map { "\($0.name) (\($0.direction.rawValue) is better)" }.joined(separator: ", ")
        out += "metrics      \(metrics.isEmpty ? "none (unscored)" : metrics)\n"
        out += "layers       \(l.layers.count), candidates \(l.candidateCount)\n"
        if let m = l.measurement { out += "measured on  \(m.summary)\n" }
        let stats = l.statNames
        if !stats.isEmpty { out += "stats        \(stats.joined(separator: ", "))\n" }
        if let source = l.metadata["source"]?.stringValue { out += "source       \(source)\n" }
        if l.isSynthetic { out += "SYNTHETIC    scores are generated, not measured\n" }
        out += "\n"
        let metricName = metric?.name ?? "-"
        var t = TextTable(["layer", "layout", "candidates", "best (\(metricName))", "score", "worst", "score"],
            alignments: [.right, .left, .left, .left, .right, .left, .right])
        for r in rows {
            t.add([String(r.layer), r.layout, r.candidates, r.best?.display ?? "-", r.best.map { Self.score($0.score) } ?? "-",
                r.worst?.display ?? "-", r.worst.map { Self.score($0.score) } ?? "-"])
        }
        out += t.render()
        return out
    }

    static func json(_ p: Pick) -> JSONValue {
        ["variant": .string(p.name), "attention": .string(p.attention), "ffn": .string(p.ffn), "score": .number(p.score)]
    }

    var json: JSONValue {
        let l = library
        var layers: [JSONValue] = []
        for (r, layer) in zip(rows, l.layers) {
            var o = JSONObject()
            o["layer"] = .number(r.layer)
            o["layout"] = .string(r.layout)
            o["groups"] = .array(zip(layer.groupNames, layer.groups).map { ["name": .string($0.0), "candidates": .number($0.1.count)] })
            o["best"] = r.best.map(Self.json) ?? .null
            o["worst"] = r.worst.map(Self.json) ?? .null
            layers.append(.object(o))
        }
        var root = JSONObject()
        root["parent"] = .string(l.parent.name)
        root["parentLayers"] = .number(l.parent.layers.count)
        root["metrics"] = .array(l.metrics.map { ["name": .string($0.name), "direction": .string($0.direction.rawValue)] })
        root["metric"] = metric.map { .string($0.name) } ?? .null
        root["layers"] = .array(layers)
        root["candidates"] = .number(l.candidateCount)
        root["stats"] = .array(l.statNames.map(JSONValue.string))
        root["measurement"] = l.measurement?.json ?? .null
        root["synthetic"] = .bool(l.isSynthetic)
        return .object(root)
    }
}
