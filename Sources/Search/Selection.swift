import ModelArchitecture
import BlockLibraries
import Knapsack
import PuzzleCore

/// One choice the solver makes: a layer's attention, FFN, or (joint libraries) whole block.
public struct SearchGroup: Sendable {
    /// Parent layer index.
    public var layer: Int
    public var role: GroupRole
    /// The candidates left after engine filtering, pins and forbids.
    public var candidates: [Candidate]
    /// `layer_L.role`.
    public let name: String
    /// Groups whose candidates are the same variants, in the same order, share a shape: the cost
    /// model gives them identical coefficients, computed and stored once per shape.
    var shape: Int = 0

    public init(layer: Int, role: GroupRole, candidates: [Candidate]) {
        self.layer = layer
        self.role = role
        self.candidates = candidates
        name = "layer_\(layer).\(role.rawValue)"
    }
}

/// A pin or forbid: LAYERS=VARIANT. LAYERS is a list of inclusive ranges (nil: every layer), kept
/// as ranges so that a huge range is checked against the layer count before anything is
/// expanded; VARIANT is a candidate's library name or canonical name (`gqa:8`, `ffn:14336`,
/// `noop`, `linear`, `gqa:8+ffn:14336`). A pin keeps only the matching candidates of the groups it
/// can match in each of its layers (and must match in each); a forbid drops them (and must match
/// somewhere).
public struct VariantRule: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case pin, forbid }

    public var kind: Kind
    /// Inclusive layer ranges, or nil for every layer.
    public var layers: [ClosedRange<Int>]?
    public var variant: String
    /// The rule as the user wrote it (for messages).
    public var text: String

    public init(kind: Kind, layers: [ClosedRange<Int>]?, variant: String, text: String) {
        self.kind = kind
        self.layers = layers
        self.variant = variant
        self.text = text
    }

    func applies(to layer: Int) -> Bool { layers?.contains { $0.contains(layer) } ?? true }

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
        forbids: [VariantRule]) throws(SearchError) -> [SearchGroup]
    {
        // Ranges first, against the parent's layer count: nothing is expanded before this.
        let layerCount = library.parent.layers.count
        for rule in pins + forbids {
            for range in rule.layers ?? [] where range.lowerBound < 0 || range.upperBound >= layerCount {
                throw .ruleLayerOutOfRange(rule, layerCount: layerCount)
            }
        }
        var forbidMatched = [Bool](repeating: false, count: forbids.count)
        var out: [SearchGroup] = []
        for layer in library.layers {
            var pinMatchedHere = [Bool](repeating: false, count: pins.count)
            for (roleName, candidates) in zip(layer.groupNames, layer.groups) {
                let role = GroupRole(rawValue: roleName) ?? .block
                for (k, rule) in forbids.enumerated() where rule.applies(to: layer.index) && candidates.contains(where: rule.matches) {
                    forbidMatched[k] = true
                }
                var kept = candidates.filter { c in
                    if let engine {
                        if let a = c.attention, !engine.supports(a) { return false }
                        if let f = c.ffn, !engine.supports(f) { return false }
                    }
                    return !forbids.contains { $0.applies(to: layer.index) && $0.matches(c) }
                }
                for (k, pin) in pins.enumerated() where pin.applies(to: layer.index) {
                    // A pin constrains the groups it can match; others (the FFN group for an
                    // attention pin) are untouched.
                    guard candidates.contains(where: pin.matches) else { continue }
                    pinMatchedHere[k] = true
                    kept = kept.filter(pin.matches)
                }
                if let first = kept.first(where: { $0.scores[metric] == nil }) {
                    throw .unscoredCandidate(layer: layer.index, role: role, candidate: first.name, metric: metric)
                }
                if kept.isEmpty { throw .noCandidateLeft(layer: layer.index, role: role) }
                out.append(SearchGroup(layer: layer.index, role: role, candidates: kept))
            }
            for (k, pin) in pins.enumerated() where pin.applies(to: layer.index) && !pinMatchedHere[k] {
                throw .ruleMatchesNothing(pin, layer: layer.index)
            }
        }
        // A pin on a layer the library does not cover matches nothing there.
        for pin in pins {
            for range in pin.layers ?? [] {
                // Ranges were checked against the layer count, so this loop is bounded by it.
                for l in range where library.layer(l) == nil { throw .ruleMatchesNothing(pin, layer: l) }
            }
        }
        for (k, rule) in forbids.enumerated() where !forbidMatched[k] { throw .ruleMatchesNothing(rule, layer: nil) }
        // Shapes: one id per distinct list of (attention, FFN) variants.
        var shapes: [[String]: Int] = [:]
        for g in out.indices {
            let key = out[g].candidates.map(\.canonicalName)
            if let id = shapes[key] { out[g].shape = id } else {
                out[g].shape = shapes.count
                shapes[key] = shapes.count
            }
        }
        let magnitude = out.reduce(0.0) { $0 + $1.candidates.reduce(0.0) { Swift.max($0, abs($1.scores[metric] ?? 0)) } }
        guard magnitude <= Problem.maxMagnitude else { throw .sumOverflow(kind: "score", name: metric) }
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
        // The exported config names the child, not the parent it was cut from.
        child.config = parent.config
        if !child.config.isEmpty { child.config["_name_or_path"] = .string(name) }
        return child
    }
}
