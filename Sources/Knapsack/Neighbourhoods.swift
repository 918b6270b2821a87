/// Large-neighbourhood search around the incumbent: sub-problems that fix most groups to the
/// incumbent's item and search the rest exactly (depth-first branch and bound with a node limit).
///
/// - RINS (relaxation-induced neighbourhood): groups where the incumbent takes the LP's choice
///   (least reduced cost at the root multipliers) are fixed; the others stay open.
/// - Random neighbourhoods: besides those, a rotating share of the agreeing groups is opened too
///   (deterministic, seeded by the round), so the search moves when RINS stalls.
/// In every open group only items with `δ <= UB - L` can improve the incumbent (reduced-cost
/// fixing), plus the incumbent's own item. An improvement restarts the rounds from RINS.
extension BranchAndBound {
    /// Nodes per sub-problem.
    static let lnsNodes = 5000

    /// The best choice found from `start` within `deadline` and `maxRounds` sub-problems of at
    /// most `nodeLimit` nodes each; `start` when none is better.
    /// - Complexity: O(rounds * (G n + nodeLimit * node cost)).
    func improveByNeighbourhoods(_ start: [Int], reduced: [Double], lagrangian: Double, lambda: [Double],
                                 maxRounds: Int, nodeLimit: Int) -> [Int] {
        let G = model.groupCount
        let tol = 1e-9 * model.costScale
        let delta = deltas(reduced)
        var lpChoice = [Int](repeating: 0, count: G)
        for g in 0..<G {
            var b = model.start[g]
            for i in model.start[g]..<model.start[g + 1] where reduced[i] < reduced[b] { b = i }
            lpChoice[g] = b
        }
        var x = start
        var ub = cost(x)
        var rng = NeighbourhoodRandom(state: 0x5DEE_CE66_D1CE_4E5B)
        var round = 0, sinceImprovement = 0
        // Neighbourhoods of `size` groups: 12 (small enough for the sub-search to finish), two
        // more after every 8 rounds in a row without improvement; it stops when the deadline
        // passes or a neighbourhood of every group was searched completely.
        var size = 12
        // Without a deadline (not used so) a bounded number of rounds.
        let rounds = deadline.nanoseconds == nil ? Swift.min(maxRounds, 64) : maxRounds
        while round < rounds && !deadline.expired {
            round += 1
            size = Swift.min(G, 12 + 2 * (sinceImprovement / 8))
            // Which groups to open: the first round (and the first after an improvement), where the
            // incumbent leaves the LP choice (RINS); then a random sample of those plus random
            // other groups.
            var open = [Bool](repeating: false, count: G)
            var disagree: [Int] = []
            for g in 0..<G where x[g] != lpChoice[g] { disagree.append(g) }
            var openCount = 0
            if sinceImprovement == 0 && disagree.count <= 2 * size {
                for g in disagree { open[g] = true }
                openCount = disagree.count
            } else {
                let fromDisagree = Swift.min(disagree.count, size / 2)
                while openCount < fromDisagree {
                    let g = disagree[Int(rng.next() % UInt64(disagree.count))]
                    if !open[g] { open[g] = true; openCount += 1 }
                }
                while openCount < Swift.min(G, size) {
                    let g = Int(rng.next() % UInt64(G))
                    if !open[g] { open[g] = true; openCount += 1 }
                }
            }
            let window = ub - lagrangian
            var fixedItems: [Int] = []
            var levels: [(group: Int, items: [Int])] = []
            for g in 0..<G {
                guard open[g] else { fixedItems.append(x[g]); continue }
                var items = Array(model.start[g]..<model.start[g + 1]).filter { $0 == x[g] || delta[$0] < window - tol }
                items.sort { delta[$0] < delta[$1] || (delta[$0] == delta[$1] && $0 < $1) }
                if items.count == 1 { fixedItems.append(items[0]) } else { levels.append((g, items)) }
            }
            if levels.isEmpty {
                sinceImprovement += 1
                continue
            }
            let m = model.m
            var base = [Double](repeating: 0, count: m)
            var baseCost = 0.0
            for i in fixedItems {
                for r in 0..<m { base[r] += model.a[i * m + r] }
                baseCost += model.cost[i]
            }
            let reduction = Reduction(fixedItems: fixedItems, levels: levels, base: base, baseCost: baseCost)
            // Cheap nodes: one pass of coordinate ascent from the root multipliers, static order.
            var quick = self
            quick.nodeLPRows = .max
            quick.nodePasses = 1
            var search = DepthFirstSearch(quick, reduction, lambda: lambda, ub: ub, best: x, tol: tol)
            let r = search.run(nodeLimit: nodeLimit, lagrangian: lagrangian)
            if let b = r.best, r.bestCost < ub - tol, feasible(b) {
                x = b
                ub = cost(b)
                sinceImprovement = 0
            } else {
                sinceImprovement += 1
                // Everything was open and searched completely: nothing is better.
                if openCount >= G && r.complete { break }
            }
        }
        return x
    }
}

/// SplitMix64: a small deterministic generator for the random neighbourhoods.
struct NeighbourhoodRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
