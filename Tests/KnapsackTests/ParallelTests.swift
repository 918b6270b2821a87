import Testing
@testable import Knapsack

/// `Parallel`: the same values, in index order, as the loop it replaces.
@Suite struct ParallelTests {
    /// Work of uneven length per index (so the calls finish out of order on several cores): the
    /// results equal the sequential map's, for 0, 1, 2 and 97 calls.
    @Test func mapKeepsIndexOrder() {
        func work(_ k: Int) -> [Int] {
            var x = UInt64(k) &+ 1, out: [Int] = []
            for _ in 0..<((k * 7_919) % 3_000) { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
            out.append(k)
            out.append(Int(x >> 40))
            return out
        }
        for count in [0, 1, 2, 97] {
            #expect(Parallel.map(count, work) == (0..<count).map(work))
        }
    }

    /// Both closures run, and each result lands on its own side.
    @Test func bothReturnsEachResult() {
        let (a, b) = Parallel.both({ (1...1_000).reduce(0, +) }, { String(repeating: "x", count: 3) })
        #expect(a == 500_500)
        #expect(b == "xxx")
    }
}
