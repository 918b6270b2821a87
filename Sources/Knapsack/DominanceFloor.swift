/// Least cost over the entries that use no more of every row, for two rows (the demo libraries'
/// memory and throughput rows).
///
/// `floor[x] = min { cost[q] : q != x, usage[q] <= usage[x] on both rows }`, where entries with
/// the same usage count only when they come first in (cost, index) order; entries not `alive`
/// are left out (and get +infinity). So `floor[x] <= cost[x]` says that another entry dominates x
/// (ties keep the first), and `min(cost[x], floor[x])` is the least cost of x's dominators and x.
/// One sort by the first row (then the second, then cost), and a staircase of the entries seen
/// so far (second row increasing, cost strictly decreasing): x's floor is the cost of the last
/// step at or below its second row.
/// - Complexity: O(S log S) for S entries (plus the staircase's removals, O(S) in all).
enum DominanceFloor {
    struct Entry {
        var first: Double
        var second: Double
        var cost: Double
        var index: Int32
    }

    static func twoRows(cost: [Double], usage: [Double], alive: [Bool]? = nil) -> [Double] {
        let n = cost.count
        var floor = [Double](repeating: .infinity, count: n)
        var entries: [Entry] = []
        entries.reserveCapacity(n)
        for x in 0..<n where alive?[x] ?? true {
            entries.append(Entry(first: usage[2 * x], second: usage[2 * x + 1], cost: cost[x], index: Int32(x)))
        }
        entries.sort {
            if $0.first != $1.first { return $0.first < $1.first }
            if $0.second != $1.second { return $0.second < $1.second }
            if $0.cost != $1.cost { return $0.cost < $1.cost }
            return $0.index < $1.index
        }
        var stepSecond: [Double] = [], stepCost: [Double] = []
        stepSecond.reserveCapacity(64); stepCost.reserveCapacity(64)
        for e in entries {
            // Last step with second <= e.second (binary search; steps sorted by second).
            var lo = 0, hi = stepSecond.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if stepSecond[mid] <= e.second { lo = mid + 1 } else { hi = mid }
            }
            let j = lo - 1
            if j >= 0 {
                floor[Int(e.index)] = stepCost[j]
                if stepCost[j] <= e.cost { continue }  // dominated: the staircase is unchanged
            }
            // A new step at e.second; later steps no cheaper than e are dominated by it.
            var end = j + 1
            while end < stepSecond.count && stepCost[end] >= e.cost { end += 1 }
            stepSecond.replaceSubrange((j + 1)..<end, with: CollectionOfOne(e.second))
            stepCost.replaceSubrange((j + 1)..<end, with: CollectionOfOne(e.cost))
        }
        return floor
    }
}
