@testable import Knapsack

/// Exhaustive reference solver for small problems: enumerates every choice vector.
enum BruteForce {
    /// The optimal objective (problem sense) over choices meeting every row (with the same
    /// feasibility tolerance as the solver), pin, forbidden item and diversity requirement;
    /// nil when none does. Also returns every optimal choice vector.
    static func solve(_ p: Problem, earlier: [[Int]] = [], minDifferent: Int = 0,
                      tolerance: Double = 1e-9) -> (objective: Double, optima: [[Int]])? {
        let G = p.groups.count
        var x = [Int](repeating: 0, count: G)
        var best: Double? = nil
        var optima: [[Int]] = []
        let pinned = Dictionary(p.pins.map { ($0.group, $0.item) }, uniquingKeysWith: { a, _ in a })
        let banned = Set(p.forbidden)
        let scales = p.rows.indices.map { r in
            p.groups.reduce(0.0) { $0 + ($1.items.map { abs($0.weights[r]) }.max() ?? 0) }
        }
        func visit(_ g: Int) {
            if g == G {
                for (r, row) in p.rows.enumerated() {
                    var s = 0.0
                    for (k, i) in x.enumerated() { s += p.groups[k].items[i].weights[r] }
                    if row.max < .infinity && s > row.max + tolerance * max(abs(row.max), scales[r]) { return }
                    if let lo = row.min, s < lo - tolerance * max(abs(lo), scales[r]) { return }
                }
                for e in earlier {
                    let diff = zip(x, e).filter { $0 != $1 }.count
                    if diff < minDifferent { return }
                }
                var v = 0.0
                for (k, i) in x.enumerated() { v += p.groups[k].items[i].value }
                let better: Bool
                if let b = best {
                    better = p.sense == .minimize ? v < b : v > b
                    if v == b { optima.append(x) }
                } else {
                    better = true
                }
                if better { best = v; optima = [x] }
                return
            }
            for i in p.groups[g].items.indices {
                if let pin = pinned[g], pin != i { continue }
                if banned.contains(Problem.Choice(group: g, item: i)) { continue }
                x[g] = i
                visit(g + 1)
            }
        }
        visit(0)
        guard let best else { return nil }
        return (best, optima)
    }
}

/// A small deterministic generator (SplitMix64) so failures reproduce from the seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum RandomProblems {
    /// Up to 6 groups x 5 items, 1-4 rows; small integer values and weights so that ties are
    /// frequent; zero and negative values, zero weights, optional mins, unbounded rows, and
    /// capacities from infeasible to loose.
    static func make(_ rng: inout SplitMix) -> Problem {
        let G = Int.random(in: 1...6, using: &rng)
        let R = Int.random(in: 1...4, using: &rng)
        let integer = Bool.random(using: &rng)
        func num(_ lo: Double, _ hi: Double) -> Double {
            integer ? Double(Int.random(in: Int(lo)...Int(hi), using: &rng)) : Double.random(in: lo...hi, using: &rng)
        }
        var groups: [Problem.Group] = []
        for g in 0..<G {
            let n = Int.random(in: 1...5, using: &rng)
            var items: [Problem.Item] = []
            for i in 0..<n {
                let value = num(-5, 10)
                let weights = (0..<R).map { _ in Int.random(in: 0..<5, using: &rng) == 0 ? 0 : num(0, 10) }
                items.append(Problem.Item(name: "g\(g)i\(i)", value: value, weights: weights))
            }
            groups.append(Problem.Group(name: "g\(g)", items: items))
        }
        var rows: [Problem.Row] = []
        for r in 0..<R {
            let lo = groups.reduce(0.0) { $0 + $1.items.map { $0.weights[r] }.min()! }
            let hi = groups.reduce(0.0) { $0 + $1.items.map { $0.weights[r] }.max()! }
            let f = Double.random(in: -0.1...1.1, using: &rng)
            var max = (lo + f * (hi - lo)).rounded()
            if Int.random(in: 0..<8, using: &rng) == 0 { max = .infinity }
            var min: Double? = nil
            if Int.random(in: 0..<4, using: &rng) == 0 {
                let fmin = Double.random(in: 0...0.9, using: &rng)
                min = Swift.min((lo + fmin * (hi - lo)).rounded(), max)
            }
            rows.append(Problem.Row(name: "r\(r)", max: max, min: min))
        }
        var p = Problem(sense: Bool.random(using: &rng) ? .minimize : .maximize, groups: groups, rows: rows)
        if Int.random(in: 0..<4, using: &rng) == 0 {
            let g = Int.random(in: 0..<G, using: &rng)
            p.pins.append(Problem.Choice(group: g, item: Int.random(in: 0..<groups[g].items.count, using: &rng)))
        }
        if Int.random(in: 0..<3, using: &rng) == 0 {
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let g = Int.random(in: 0..<G, using: &rng)
                p.forbidden.append(Problem.Choice(group: g, item: Int.random(in: 0..<groups[g].items.count, using: &rng)))
            }
        }
        return p
    }
}
