import Testing
@testable import Knapsack

/// `DominanceFloor.twoRows` against its definition, computed pair by pair.
@Suite struct DominanceFloorTests {
    /// 500 random entry sets of 0-40 entries with few distinct usages and costs (so equal usages,
    /// equal costs and exact duplicates are common), some entries not alive: every floor equals
    /// the least cost over the other alive entries that use no more of both rows, where an entry
    /// with the same usage counts only when it comes first in (cost, index) order.
    @Test func floorsMatchThePairwiseDefinition() {
        var rng = SplitMix(seed: 9090)
        var dominated = 0, tied = 0
        for _ in 0..<500 {
            let n = Int.random(in: 0...40, using: &rng)
            let cost = (0..<n).map { _ in Double(Int.random(in: 0...6, using: &rng)) }
            let usage = (0..<(2 * n)).map { _ in Double(Int.random(in: -2...4, using: &rng)) * 0.5 }
            let alive = (0..<n).map { _ in Int.random(in: 0...5, using: &rng) > 0 }
            let floor = DominanceFloor.twoRows(cost: cost, usage: usage, alive: alive)
            for x in 0..<n {
                var expected = Double.infinity
                if alive[x] {
                    for q in 0..<n where q != x && alive[q] && usage[2 * q] <= usage[2 * x] && usage[2 * q + 1] <= usage[2 * x + 1] {
                        let sameUsage = usage[2 * q] == usage[2 * x] && usage[2 * q + 1] == usage[2 * x + 1]
                        if sameUsage && (cost[q], q) > (cost[x], x) { continue }
                        if sameUsage { tied += 1 }
                        expected = Swift.min(expected, cost[q])
                    }
                }
                #expect(floor[x] == expected, "entry \(x) of \(n): floor \(floor[x]), expected \(expected)")
                if floor[x] <= cost[x] { dominated += 1 }
            }
        }
        // The instances exercise both dominance and ties of equal usage.
        #expect(dominated > 1_000)
        #expect(tied > 100)
    }

    /// A resumed band's floors: the sorted alive entries of a level, less some that died, merged
    /// with the sorted new ones, give the same order and floors as sorting every alive entry.
    @Test func mergedOrderGivesTheSameFloors() {
        var rng = SplitMix(seed: 4711)
        for _ in 0..<300 {
            let n = Int.random(in: 0...40, using: &rng)
            let cost = (0..<n).map { _ in Double(Int.random(in: 0...6, using: &rng)) }
            let usage = (0..<(2 * n)).map { _ in Double(Int.random(in: -2...4, using: &rng)) * 0.5 }
            let firstNew = Int.random(in: 0...n, using: &rng)
            let alive = (0..<n).map { _ in Int.random(in: 0...5, using: &rng) > 0 }
            let old = DominanceFloor.sorted(cost: cost, usage: usage, indices: Array(0..<firstNew))
            let added = DominanceFloor.sorted(cost: cost, usage: usage, indices: (firstNew..<n).filter { alive[$0] })
            let merged = DominanceFloor.merged(old.filter { alive[Int($0.index)] }, added)
            #expect(merged.map(\.index) == DominanceFloor.sorted(cost: cost, usage: usage, alive: alive).map(\.index))
            #expect(DominanceFloor.sweep(merged, count: n) == DominanceFloor.twoRows(cost: cost, usage: usage, alive: alive))
        }
    }

    /// The sweep under a deadline: one already passed stops a sweep of more than 16,384 entries
    /// (nil), while a sweep that reads no clock (fewer entries) or has none gives the floors.
    @Test func sweepStopsAtAPassedDeadline() {
        var rng = SplitMix(seed: 2929)
        let n = 20_000
        let cost = (0..<n).map { _ in Double(Int.random(in: 0...50, using: &rng)) }
        let usage = (0..<(2 * n)).map { _ in Double(Int.random(in: 0...100, using: &rng)) }
        let entries = DominanceFloor.sorted(cost: cost, usage: usage, alive: nil)
        let passed = Deadline(nanoseconds: 0)
        #expect(DominanceFloor.sweep(entries, count: n, deadline: passed) == nil)
        #expect(DominanceFloor.sweep(entries, count: n, deadline: .none) == DominanceFloor.twoRows(cost: cost, usage: usage))
        let few = Array(entries.prefix(1_000))
        #expect(DominanceFloor.sweep(few, count: n, deadline: passed) == DominanceFloor.sweep(few, count: n))
    }

    /// The sweep's own sort (quicksort and insertion sort) against the standard library's, on
    /// levels of up to 3,000 entries with many equal usages and costs.
    @Test func sortMatchesTheStandardLibrary() {
        var rng = SplitMix(seed: 31337)
        for n in [0, 1, 2, 15, 16, 17, 100, 3_000] + (0..<20).map({ _ in Int.random(in: 0...600, using: &rng) }) {
            let cost = (0..<n).map { _ in Double(Int.random(in: 0...9, using: &rng)) }
            let usage = (0..<(2 * n)).map { _ in Double(Int.random(in: 0...12, using: &rng)) * 0.25 }
            let mine = DominanceFloor.sorted(cost: cost, usage: usage).map(\.index)
            let theirs = (0..<n).map { x in
                DominanceFloor.Entry(first: usage[2 * x], second: usage[2 * x + 1], cost: cost[x], index: Int32(x))
            }.sorted(by: DominanceFloor.precedes).map(\.index)
            #expect(mine == theirs, "\(n) entries")
        }
    }

    /// Without `alive`, every entry takes part; one entry alone has no floor.
    @Test func everyEntryTakesPartWithoutAlive() {
        #expect(DominanceFloor.twoRows(cost: [3], usage: [1, 1]) == [.infinity])
        // (1, 1) costs 2 and dominates (2, 1) costing 5; (0, 3) is not comparable with (1, 1);
        // (2, 3) is dominated by all three, the least of them costs 1.
        let floor = DominanceFloor.twoRows(cost: [2, 5, 1, 4], usage: [1, 1, 2, 1, 0, 3, 2, 3])
        #expect(floor == [.infinity, 2, .infinity, 1])
    }
}
