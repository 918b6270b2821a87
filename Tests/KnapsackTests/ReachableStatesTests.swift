import Testing
@testable import Knapsack

/// `ClassDP.reachableStates` (where the diversity bands build completion fronts) against the
/// partial choices it bounds, counted by enumeration.
@Suite struct ReachableStatesTests {
    /// The partial choices of the first k levels of `order` with δ-sum at most `gap`, k = 0...count.
    static func enumerated(_ order: [Int], levels: [[Int]], reduced: [Double], least: [Double], gap: Double) -> [Int] {
        var counts = [Int](repeating: 0, count: order.count + 1)
        func visit(_ k: Int, _ sum: Double) {
            counts[k] += 1
            guard k < order.count else { return }
            for i in levels[order[k]] {
                let s = sum + (reduced[i] - least[order[k]])
                if s <= gap { visit(k + 1, s) }
            }
        }
        visit(0, 0)
        return counts
    }

    /// Hand-derived: three items of δ 0, gap/2 and gap per level (and one above the gap, never
    /// taken): 3 partial choices of one level; of two, the 6 pairs with sum <= gap.
    @Test func countsByHand() {
        let gap = 0.01
        let levels = [[0, 1, 2, 3], [4, 5, 6, 7]]
        let reduced = [5.0, 5.005, 5.01, 5.02, 7.0, 7.005, 7.01, 7.3]
        let got = ClassDP.reachableStates([0, 1], levels: levels, reduced: reduced, least: [5.0, 7.0], gap: gap, cap: 1e9)
        #expect(got == [1, 3, 6])
        // Past the cap, +infinity (the count is not needed beyond it).
        let capped = ClassDP.reachableStates([0, 1], levels: levels, reduced: reduced, least: [5.0, 7.0], gap: gap, cap: 2)
        #expect(capped[0] == 1 && capped[1] == 3 && capped[2] == .infinity)
        // No gap: only the empty choice is known; nothing is bounded after it.
        let none = ClassDP.reachableStates([0, 1], levels: levels, reduced: reduced, least: [5.0, 7.0], gap: 0, cap: 1e9)
        #expect(none == [1, .infinity, .infinity])
    }

    /// Random levels in a random order: with δ on the 128-bucket grid (gap 128, integer δ) the
    /// count is exact; with any δ it is never below the enumerated count.
    @Test func boundsTheEnumeratedPartialChoices() {
        var rng = SplitMix(seed: 9191)
        var exact = 0, above = 0
        for n in 0..<400 {
            let D = Int.random(in: 1...7, using: &rng)
            var levels: [[Int]] = [], reduced: [Double] = [], least: [Double] = []
            let onGrid = n % 2 == 0
            for _ in 0..<D {
                let count = Int.random(in: 1...5, using: &rng)
                let floor = Double(Int.random(in: -50...50, using: &rng))
                var items: [Int] = []
                for x in 0..<count {
                    let delta = x == 0 ? 0 : (onGrid ? Double(Int.random(in: 0...160, using: &rng))
                                                     : Double.random(in: 0...160, using: &rng))
                    items.append(reduced.count)
                    reduced.append(floor + delta)
                }
                levels.append(items.shuffled(using: &rng))
                least.append(floor)
            }
            let order = Array(0..<D).shuffled(using: &rng)
            let gap = 128.0
            let got = ClassDP.reachableStates(order, levels: levels, reduced: reduced, least: least, gap: gap, cap: 1e12)
            let want = Self.enumerated(order, levels: levels, reduced: reduced, least: least, gap: gap)
            #expect(got.count == want.count)
            for k in want.indices {
                if onGrid {
                    #expect(got[k] == Double(want[k]), "instance \(n) level \(k): \(got[k]) against \(want[k])")
                } else {
                    #expect(got[k] >= Double(want[k]), "instance \(n) level \(k): \(got[k]) below \(want[k])")
                    if got[k] > Double(want[k]) { above += 1 }
                }
            }
            if onGrid { exact += 1 }
        }
        #expect(exact == 200)
        #expect(above > 0)  // rounding down does overcount sometimes: the bound is not the count
    }
}
