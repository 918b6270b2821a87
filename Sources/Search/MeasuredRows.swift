import ModelArchitecture
import BlockLibraries
import Knapsack
import PuzzleCore

/// Rows that need no cost model: sums of the library's measured stats (`--max memory_mib=80000`)
/// and the parameter counts (`--max-params`, `--max-active-params`).
enum MeasuredRows {
    static func rows(constraints: [Constraint], groups: [SearchGroup], parent: Architecture) throws(SearchError) -> [LinearRow] {
        var rows: [LinearRow] = []
        for (index, constraint) in constraints.enumerated() {
            switch constraint {
            case .maxStat(let stat, let value), .minStat(let stat, let value):
                let coefficients = try statCoefficients(stat, groups: groups)
                let isMax: Bool = { if case .maxStat = constraint { return true } else { return false } }()
                rows.append(LinearRow(name: constraint.key, coefficients: coefficients, max: isMax ? value : .infinity,
                    min: isMax ? nil : value, constraint: index, scenario: nil, toConstraintUnit: { $0 }))
            case .maxParameters(let value):
                let d = parent.dimensions
                let coefficients = groups.map { g in
                    g.candidates.map { c in
                        Double((c.attention.map { d.parameters(of: $0) } ?? 0) + (c.ffn.map { d.parameters(of: $0) } ?? 0))
                    }
                }
                let outside = Double(d.nonLayerParameters) + Double(uncoveredParameters(groups: groups, parent: parent))
                rows.append(LinearRow(name: "parameters", coefficients: coefficients, max: value - outside, min: nil,
                    constraint: index, scenario: nil, toConstraintUnit: { $0 + outside }))
            case .maxActiveParameters(let value):
                // Per token: a mixture of experts counts min(top-k, experts kept) experts.
                let d = parent.dimensions
                let coefficients = groups.map { g in
                    g.candidates.map { c in
                        Double((c.attention.map { d.parameters(of: $0) } ?? 0) + (c.ffn.map { d.activeParameters(of: $0) } ?? 0))
                    }
                }
                let outside = Double(d.nonLayerParameters) + Double(uncoveredParameters(groups: groups, parent: parent, active: true))
                rows.append(LinearRow(name: "activeParameters", coefficients: coefficients, max: value - outside, min: nil,
                    constraint: index, scenario: nil, toConstraintUnit: { $0 + outside }))
            default:
                continue
            }
        }
        return rows
    }

    /// Per group, per candidate: the stat's value; a candidate without it is a data error.
    static func statCoefficients(_ stat: String, groups: [SearchGroup]) throws(SearchError) -> [[Double]] {
        var out: [[Double]] = []
        for g in groups {
            var row: [Double] = []
            for c in g.candidates {
                guard let v = c.stats[stat] else {
                    throw .missingStat(layer: g.layer, role: g.role, candidate: c.name, stat: stat)
                }
                row.append(v)
            }
            out.append(row)
        }
        let magnitude = out.reduce(0.0) { $0 + $1.reduce(0.0) { Swift.max($0, abs($1)) } }
        guard magnitude <= Problem.maxMagnitude else { throw .sumOverflow(kind: "stat", name: stat) }
        return out
    }

    /// Parameters of parent layers the library does not cover (kept as the parent's block).
    static func uncoveredParameters(groups: [SearchGroup], parent: Architecture, active: Bool = false) -> Int {
        let covered = Set(groups.map(\.layer))
        var total = 0
        for (i, layer) in parent.layers.enumerated() where !covered.contains(i) {
            total += active ? parent.dimensions.activeParameters(of: layer) : parent.dimensions.parameters(of: layer)
        }
        return total
    }

    /// Sums of every stat present on all chosen candidates.
    static func statSums(groups: [SearchGroup], choices: [Int]) -> [String: Double] {
        var values: [String: [Double]] = [:]
        for (g, c) in zip(groups, choices) {
            for (k, v) in g.candidates[c].stats { values[k, default: []].append(v) }
        }
        var sums: [String: Double] = [:]
        for (k, list) in values where list.count == groups.count { sums[k] = accurateSum(list) }
        return sums
    }
}
