import Testing
@testable import Knapsack

/// The solver against exhaustive enumeration on thousands of random small instances.
@Suite struct BruteForceAgreementTests {
    @Test func randomInstancesMatchBruteForce() throws {
        var rng = SplitMix(seed: 2024)
        var optimal = 0, infeasible = 0
        for n in 0..<4000 {
            let p = RandomProblems.make(&rng)
            let s = try Solver.solve(p)
            let truth = BruteForce.solve(p)
            if let truth {
                #expect(s.status == .optimal, "instance \(n): expected optimal, got \(s.status)")
                #expect(s.objective == truth.objective, "instance \(n): objective \(s.objective) vs brute force \(truth.objective)")
                #expect(truth.optima.contains(s.choices), "instance \(n): choices \(s.choices) not among the optima")
                #expect(s.bound == s.objective && s.gap == 0)
                try verify(s, against: p)
                optimal += 1
            } else {
                #expect(s.status == .infeasible, "instance \(n): expected infeasible, got \(s.status) \(s.choices)")
                #expect(s.infeasibility != nil)
                infeasible += 1
            }
        }
        // The generator must exercise both outcomes substantially.
        #expect(optimal > 1000)
        #expect(infeasible > 200)
    }

    @Test func diverseSolutionsMatchBruteForce() throws {
        var rng = SplitMix(seed: 77)
        for n in 0..<800 {
            var p = RandomProblems.make(&rng)
            p.pins = []
            let d = Int.random(in: 1...max(1, p.groups.count), using: &rng)
            let list = try Solver.solveDiverse(p, count: 3, minDifferent: d)
            var earlier: [[Int]] = []
            for (k, s) in list.enumerated() {
                let truth = BruteForce.solve(p, earlier: earlier, minDifferent: d)
                if let truth {
                    #expect(s.status == .optimal, "instance \(n) solution \(k)")
                    #expect(s.objective == truth.objective, "instance \(n) solution \(k): \(s.objective) vs \(truth.objective)")
                    #expect(truth.optima.contains(s.choices))
                    for e in earlier { #expect(zip(e, s.choices).filter { $0 != $1 }.count >= d) }
                    earlier.append(s.choices)
                } else {
                    #expect(s.status == .infeasible, "instance \(n) solution \(k): \(s.status)")
                    #expect(k == list.count - 1)
                }
            }
        }
    }

    @Test func sweepMatchesIndependentSolves() throws {
        var rng = SplitMix(seed: 99)
        for _ in 0..<300 {
            let p = RandomProblems.make(&rng)
            let hi = p.groups.reduce(0.0) { $0 + $1.items.map { $0.weights[0] }.max()! }
            let caps = (0..<7).map { _ in Double(Int.random(in: 0...Int(hi) + 1, using: &rng)) }.filter { $0 >= (p.rows[0].min ?? -.infinity) }
            let list = try Solver.sweep(p, row: 0, maxValues: caps)
            #expect(list.count == caps.count)
            for (k, cap) in caps.enumerated() {
                var q = p
                q.rows[0].max = cap
                let truth = BruteForce.solve(q)
                #expect(list[k].status == (truth == nil ? .infeasible : .optimal))
                if let truth { #expect(list[k].objective == truth.objective) }
                try verify(list[k], against: q)
            }
        }
    }
}
