import ModelArchitecture
import PuzzleCore

extension BlockLibrary {
    /// Merges a library scored in a separate job into this one.
    ///
    /// Both must have the same parent (same shape and blocks). Metrics are united (a metric in
    /// both must have the same direction). Per layer, candidates with the same variant in the same
    /// group are united: their scores and stats are combined, and a score or stat given in both
    /// with different values is an error (`file` names `other` in it). New layers and candidates
    /// are added. Layouts (decoupled/joint) of a layer in both must agree. Measurement scenarios,
    /// when both are given, must be equal. Metadata keys of `self` win.
    /// - Complexity: O(candidates of both).
    public mutating func merge(_ other: BlockLibrary, file: String = "<library>") throws(DataError) {
        guard parent.hasSameBlocks(as: other.parent) else {
            throw DataError(file: file, location: "parent",
                "parent \(other.parent.name) differs from \(parent.name); libraries of different parents cannot be merged")
        }
        for m in other.metrics {
            if let mine = metric(named: m.name) {
                guard mine.direction == m.direction else {
                    throw DataError(file: file, location: "metrics.\(m.name)",
                        "direction \(m.direction.rawValue) conflicts with \(mine.direction.rawValue) in an earlier library")
                }
            } else {
                metrics.append(m)
            }
        }
        if let theirs = other.measurement {
            if let mine = measurement, mine != theirs {
                throw DataError(file: file, location: "measurement",
                    "scenario (\(theirs.summary)) differs from an earlier library's (\(mine.summary))")
            }
            measurement = theirs
        }
        for (key, value) in other.metadata where metadata[key] == nil { metadata[key] = value }

        var byIndex: [Int: Int] = [:]
        for (position, layer) in layers.enumerated() { byIndex[layer.index] = position }
        for layer in other.layers {
            guard let position = byIndex[layer.index] else {
                byIndex[layer.index] = layers.count
                layers.append(layer)
                continue
            }
            let mine = layers[position]
            switch (mine.layout, layer.layout) {
            case let (.decoupled(a1, f1), .decoupled(a2, f2)):
                let a = try Self.mergeGroup(a1, a2, at: "layer \(layer.index).attention", file: file)
                let f = try Self.mergeGroup(f1, f2, at: "layer \(layer.index).ffn", file: file)
                layers[position].layout = .decoupled(attention: a, ffn: f)
            case let (.joint(c1), .joint(c2)):
                layers[position].layout = .joint(try Self.mergeGroup(c1, c2, at: "layer \(layer.index).block", file: file))
            default:
                throw DataError(file: file, location: "layer \(layer.index)",
                    "layout \(layer.layout.name) conflicts with \(mine.layout.name) in an earlier library")
            }
        }
        sortLayers()
    }

    private static func mergeGroup(_ mine: [Candidate], _ theirs: [Candidate], at: String, file: String) throws(DataError) -> [Candidate] {
        var result = mine
        var position: [String: Int] = [:]
        for (k, c) in mine.enumerated() { position[c.variantKey] = k }
        for c in theirs {
            guard let k = position[c.variantKey] else {
                position[c.variantKey] = result.count
                result.append(c)
                continue
            }
            let here = "\(at)[\(c.name)]"
            for (key, value) in c.scores {
                if let old = result[k].scores[key], old != value {
                    throw DataError(file: file, location: "\(here).scores.\(key)",
                        "conflicting duplicate: \(JSONWriter.number(value)) here, \(JSONWriter.number(old)) in an earlier library")
                }
                result[k].scores[key] = value
            }
            for (key, value) in c.stats {
                if let old = result[k].stats[key], old != value {
                    throw DataError(file: file, location: "\(here).stats.\(key)",
                        "conflicting duplicate: \(JSONWriter.number(value)) here, \(JSONWriter.number(old)) in an earlier library")
                }
                result[k].stats[key] = value
            }
        }
        return result
    }
}
