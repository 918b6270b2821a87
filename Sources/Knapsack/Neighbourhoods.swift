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
    /// Share of the gap `UB - L` within which items' reduced costs put them in the core.
    static let lnsCore = 0.05
    /// Movable groups opened per sub-problem (two more per 8 rounds without improvement).
    static let lnsLevels = 20
    /// Rounds in a row without improvement after which the search gives up.
    static let lnsStall = 4

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
        var coreShare = Self.lnsCore
        // Without a deadline (not used so) a bounded number of rounds.
        let rounds = deadline.nanoseconds == nil ? Swift.min(maxRounds, 64) : maxRounds
        // It stops after `lnsStall` rounds in a row without improvement: when the incumbent is
        // already good (or optimal), the time goes back to the proof.
        while round < rounds && !deadline.expired && sinceImprovement < Self.lnsStall {
            round += 1
            // The core: in every group the incumbent's item and the items whose reduced cost lies
            // within a share of the gap; groups with two or more are the ones that can move.
            let window = coreShare * (ub - lagrangian)
            var candidates = [[Int]](repeating: [], count: G)
            var movable: [Int] = []
            for g in 0..<G {
                var items = Array(model.start[g]..<model.start[g + 1]).filter { $0 == x[g] || delta[$0] < window - tol }
                items.sort { delta[$0] < delta[$1] || (delta[$0] == delta[$1] && $0 < $1) }
                candidates[g] = items
                if items.count > 1 { movable.append(g) }
            }
            let size = Swift.min(movable.count, Self.lnsLevels + 2 * (sinceImprovement / 8))
            // Which groups to open: the first round (and the first after an improvement), where the
            // incumbent leaves the LP choice (RINS); then a random sample of those plus random
            // other movable groups, `size` movable groups in all.
            var open = [Bool](repeating: false, count: G)
            var disagree: [Int] = []
            for g in movable where x[g] != lpChoice[g] { disagree.append(g) }
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
                while openCount < size {
                    let g = movable[Int(rng.next() % UInt64(movable.count))]
                    if !open[g] { open[g] = true; openCount += 1 }
                }
            }
            var fixedItems: [Int] = []
            var levels: [(group: Int, items: [Int])] = []
            for g in 0..<G {
                if open[g] && candidates[g].count > 1 { levels.append((g, candidates[g])) } else { fixedItems.append(x[g]) }
            }
            if levels.isEmpty {
                sinceImprovement += 1
                if movable.isEmpty { if coreShare >= 1 { break }; coreShare = Swift.min(1, 2 * coreShare) }
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
            // Node LPs without strong branching (3+ rows), one ascent pass otherwise.
            var quick = self
            quick.strongBranchingCandidates = 0
            quick.nodePasses = 1
            var search = DepthFirstSearch(quick, reduction, lambda: lambda, ub: ub, best: x, tol: tol)
            let r = search.run(nodeLimit: nodeLimit, lagrangian: lagrangian)
            if let b = r.best, r.bestCost < ub - tol, feasible(b) {
                x = b
                ub = cost(b)
                sinceImprovement = 0
            } else {
                sinceImprovement += 1
                // Every movable group was open and searched completely: nothing better in this
                // core; a wider one next (the whole window proves nothing better at all).
                if openCount >= movable.count && r.complete {
                    if coreShare >= 1 { break }
                    coreShare = Swift.min(1, 2 * coreShare)
                    sinceImprovement = 0
                }
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
