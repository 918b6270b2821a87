import ModelArchitecture
import BlockLibraries
import PuzzleCore

/// One choice the solver makes: a layer's attention, FFN, or (joint libraries) whole block.
public struct SearchGroup: Sendable {
    /// Parent layer index.
    public var layer: Int
    /// `attention`, `ffn` or `block`.
    public var role: String
    /// The candidates left after engine filtering, pins and forbids.
    public var candidates: [Candidate]

    public var name: String { "layer_\(layer).\(role)" }
}

/// `--pin LAYERS=VARIANT` / `--forbid LAYERS=VARIANT`: LAYERS is `5`, `0-3`, `*` or a comma list
/// of those; VARIANT is a candidate's library name or canonical name (`gqa:8`, `ffn:14336`,
/// `noop`, `linear`, `gqa:8+ffn:14336`). A pin keeps only the matching candidates of a group;
/// a forbid drops them.
public struct VariantRule: Sendable, Hashable {
    public var layers: Set<Int>?  // nil = every layer
    public var variant: String

    public init(layers: Set<Int>?, variant: String) {
        self.layers = layers
        self.variant = variant
    }

    /// Parses `LAYERS=VARIANT`; a bare `VARIANT` means every layer.
    public static func parse(_ text: String, option: String) throws(UsageError) -> VariantRule {
        guard let eq = text.firstIndex(of: "=") else { return VariantRule(layers: nil, variant: text) }
        let spec = String(text[..<eq])
        let variant = String(text[text.index(after: eq)...])
        guard !variant.isEmpty else { throw UsageError("search: \(option) \(text): expected LAYERS=VARIANT") }
        if spec == "*" { return VariantRule(layers: nil, variant: variant) }
        var layers = Set<Int>()
        for part in spec.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 1, let v = Int(bounds[0]), v >= 0 {
                layers.insert(v)
            } else if bounds.count == 2, let a = Int(bounds[0]), let b = Int(bounds[1]), a >= 0, a <= b {
                layers.formUnion(a...b)
            } else {
                throw UsageError("search: \(option) \(text): expected LAYERS=VARIANT with LAYERS like 5, 0-3, 1,7 or *")
            }
        }
        return VariantRule(layers: layers, variant: variant)
    }

    func applies(to layer: Int) -> Bool { layers?.contains(layer) ?? true }

    func matches(_ c: Candidate) -> Bool {
        let v = variant.lowercased()
        if c.name.lowercased() == v || c.canonicalName == v { return true }
        if let a = c.attention, let parsed = AttentionVariant(name: v), c.ffn == nil, a == parsed { return true }
        if let f = c.ffn, let parsed = FFNVariant(name: v), c.attention == nil, f == parsed { return true }
        // A joint candidate is matched by its library or canonical name only.
        return false
    }
}

enum GroupBuilder {
    /// The solver's groups: every library group of every layer, filtered by engine, pins and forbids.
    static func groups(_ library: BlockLibrary, metric: String, engine: Engine?, pins: [VariantRule],
        forbids: [VariantRule]) throws(DataError) -> [SearchGroup]
    {
        var out: [SearchGroup] = []
        for layer in library.layers {
            for (role, candidates) in zip(layer.groupNames, layer.groups) {
                var kept = candidates.filter { c in
                    if let engine {
                        if let a = c.attention, !engine.supports(a) { return false }
                        if let f = c.ffn, !engine.supports(f) { return false }
                    }
                    return !forbids.contains { $0.applies(to: layer.index) && $0.matches(c) }
                }
                let layerPins = pins.filter { $0.applies(to: layer.index) }
                for pin in layerPins {
                    let matching = kept.filter { pin.matches($0) }
                    // A pin constrains the groups it can match; others (the FFN group for an
                    // attention pin) are untouched.
                    if !matching.isEmpty || candidates.contains(where: { pin.matches($0) }) { kept = matching }
                }
                let unscored = kept.filter { $0.scores[metric] == nil }
                if let first = unscored.first {
                    throw DataError(file: "<library>", location: "layer \(layer.index) \(role) candidate \(first.name)",
                        "has no score for the objective metric \(metric)")
                }
                if kept.isEmpty {
                    throw DataError(file: "<search>", location: "layer \(layer.index) \(role)",
                        "no candidate left after --engine, --pin and --forbid; expected at least one")
                }
                out.append(SearchGroup(layer: layer.index, role: role, candidates: kept))
            }
        }
        for pin in pins where pin.layers != nil {
            for l in pin.layers! where library.layer(l) == nil {
                throw DataError(file: "<search>", location: "--pin \(l)=\(pin.variant)", "layer \(l) is not in the library")
            }
        }
        return out
    }

    /// The child architecture for one choice per group.
    static func architecture(parent: Architecture, groups: [SearchGroup], choices: [Int], name: String) -> Architecture {
        var attention = parent.layers.map(\.attention)
        var ffn = parent.layers.map(\.ffn)
        for (g, choice) in zip(groups, choices) {
            let c = g.candidates[choice]
            if let a = c.attention, g.layer < attention.count { attention[g.layer] = a }
            if let f = c.ffn, g.layer < ffn.count { ffn[g.layer] = f }
        }
        var child = parent.replacingLayers(Array(zip(attention, ffn)), name: name)
        child.config = parent.config
        return child
    }
}
