import ModelArchitecture
import PuzzleCore

extension BlockLibrary {
    /// Full validation; throws the first problem as a `DataError` naming `file`, the layer, the
    /// candidate and the field:
    /// - every parent layer 0..<L present exactly once, none beyond the parent;
    /// - each group non-empty; decoupled attention candidates carry only an attention variant,
    ///   FFN candidates only an FFN variant, joint ones both;
    /// - every variant is one the parent's family allows (`Architecture.problem(with:)`: KV heads
    ///   dividing the query heads, the model's own sliding window, experts only in MoE families);
    /// - no two candidates of a group with the same variant (or the same name);
    /// - every score and stat finite; every candidate has a score for every metric; no score for
    ///   an undeclared metric; metric names unique.
    ///
    /// `complete: false` skips the two completeness rules (all layers present, all metrics on
    /// every candidate): what a partial library from one scoring job may lack before `merge`.
    /// - Complexity: O(candidates x metrics).
    public func validate(file: String = "<library>", complete: Bool = true) throws(DataError) {
        let count = parent.layers.count
        var seenMetrics = Set<String>()
        for m in metrics {
            guard !m.name.isEmpty else { throw DataError(file: file, location: "metrics", "empty metric name") }
            guard seenMetrics.insert(m.name).inserted else {
                throw DataError(file: file, location: "metrics", "metric \(Excerpt.quoted(m.name)) declared twice")
            }
        }
        var present = [Bool](repeating: false, count: count)
        for layer in layers {
            let where_ = "layer \(layer.index)"
            guard layer.index >= 0 else {
                throw DataError(file: file, location: where_, "negative layer index; layers count from 0")
            }
            guard layer.index < count else {
                throw DataError(file: file, location: where_,
                    "is beyond the parent \(parent.name), which has \(count) layers (0-\(count - 1))")
            }
            guard !present[layer.index] else { throw DataError(file: file, location: where_, "appears twice") }
            present[layer.index] = true
            for (groupName, group) in zip(layer.groupNames, layer.groups) {
                guard !group.isEmpty else {
                    throw DataError(file: file, location: "\(where_).\(groupName)", "has no candidates")
                }
                var keys: [String: String] = [:]
                var names = Set<String>()
                for c in group {
                    let at = "\(where_).\(groupName)[\(c.name)]"
                    switch groupName {
                    case "attention":
                        guard c.attention != nil, c.ffn == nil else {
                            throw DataError(file: file, location: at, "an attention candidate must name an attention variant and no FFN")
                        }
                    case "ffn":
                        guard c.ffn != nil, c.attention == nil else {
                            throw DataError(file: file, location: at, "an FFN candidate must name an FFN variant and no attention")
                        }
                    default:
                        guard c.ffn != nil, c.attention != nil else {
                            throw DataError(file: file, location: at, "a joint candidate must name both an attention and an FFN variant")
                        }
                    }
                    if let a = c.attention, let problem = parent.problem(with: a) {
                        throw DataError(file: file, location: "\(at).attention", problem)
                    }
                    if let f = c.ffn, let problem = parent.problem(with: f) {
                        throw DataError(file: file, location: "\(at).ffn", problem)
                    }
                    if let other = keys[c.variantKey] {
                        throw DataError(file: file, location: at,
                            "duplicate candidate: variant \(c.variantKey) already given as \(Excerpt.quoted(other))")
                    }
                    keys[c.variantKey] = c.name
                    guard names.insert(c.name).inserted else {
                        throw DataError(file: file, location: at, "duplicate candidate name")
                    }
                    for (key, value) in c.scores where !value.isFinite {
                        throw DataError(file: file, location: "\(at).scores.\(key)", "expected a finite number, found \(value)")
                    }
                    for (key, value) in c.stats where !value.isFinite {
                        throw DataError(file: file, location: "\(at).stats.\(key)", "expected a finite number, found \(value)")
                    }
                    for key in c.scores.keys where !seenMetrics.contains(key) {
                        throw DataError(file: file, location: "\(at).scores.\(key)",
                            "metric \(Excerpt.quoted(key)) is not declared in the library's metrics")
                    }
                    if complete {
                        for m in metrics where c.scores[m.name] == nil {
                            throw DataError(file: file, location: "\(at).scores",
                                "metric \(Excerpt.quoted(m.name)) missing (every candidate needs a score for every metric)")
                        }
                    }
                }
            }
        }
        if complete, let missing = present.firstIndex(of: false) {
            let all = present.enumerated().filter { !$0.element }.map(\.offset)
            let list = all.prefix(8).map(String.init).joined(separator: ", ") + (all.count > 8 ? ", ..." : "")
            throw DataError(file: file, location: "layer \(missing)",
                "missing: the parent \(parent.name) has \(count) layers and \(all.count) have no candidates (\(list))")
        }
    }

    /// The layers sorted by index (libraries keep them so; importers call this).
    mutating func sortLayers() {
        if !zip(layers, layers.dropFirst()).allSatisfy({ $0.index < $1.index }) {
            layers.sort { $0.index < $1.index }
        }
    }
}
