import Testing
@testable import Knapsack

/// Instances whose groups share coefficient vectors (as cost-model rows give every layer of one
/// shape the same costs), where the count-vector DP (`ClassDP`) does the work: checked against
/// exhaustive enumeration.
@Suite struct SharedCoefficientTests {
    /// 4-7 groups in 1-2 classes; a class's groups share 2-3 coefficient vectors (in shuffled
    /// item order, some vectors repeated inside a group) and differ in value; 1-3 rows.
    static func make(_ rng: inout SplitMix) -> Problem {
        let G = Int.random(in: 4...7, using: &rng)
        let R = Int.random(in: 1...3, using: &rng)
        let classCount = Int.random(in: 1...2, using: &rng)
        let vectors: [[[Double]]] = (0..<classCount).map { _ in
            (0..<Int.random(in: 2...3, using: &rng)).map { _ in
                (0..<R).map { _ in Double(Int.random(in: 0...9, using: &rng)) * 1.5 }
            }
        }
        var groups: [Problem.Group] = []
        for g in 0..<G {
            let shared = vectors[g % classCount]
            var items: [Problem.Item] = []
            for (k, w) in shared.shuffled(using: &rng).enumerated() {
                let value = Double(Int.random(in: -3...12, using: &rng)) / 4
                items.append(Problem.Item(name: "i\(k)", value: value, weights: w))
            }
            if Bool.random(using: &rng) {
                items.append(Problem.Item(name: "dup", value: Double(Int.random(in: 0...12, using: &rng)) / 4, weights: shared[0]))
            }
            groups.append(Problem.Group(name: "g\(g)", items: items))
        }
        let rows = (0..<R).map { r -> Problem.Row in
            let most = groups.reduce(0.0) { $0 + $1.items.map { $0.weights[r] }.max()! }
            let least = groups.reduce(0.0) { $0 + $1.items.map { $0.weights[r] }.min()! }
            let cap = least + (most - least) * Double.random(in: 0.05...0.9, using: &rng)
            return Problem.Row(name: "r\(r)", max: cap.rounded())
        }
        return Problem(sense: Bool.random(using: &rng) ? .minimize : .maximize, groups: groups, rows: rows)
    }

    @Test func sharedCoefficientInstancesMatchBruteForce() throws {
        var rng = SplitMix(seed: 4242)
        var optimal = 0
        for n in 0..<1000 {
            let p = Self.make(&rng)
            let s = try Solver.solve(p)
            if let truth = BruteForce.solve(p) {
                #expect(s.status == .optimal, "instance \(n): \(s.status)")
                #expect(abs(s.objective - truth.objective) <= 1e-9 * max(1, abs(truth.objective)),
                        "instance \(n): \(s.objective) vs brute force \(truth.objective)")
                try verify(s, against: p)
                optimal += 1
            } else {
                #expect(s.status == .infeasible, "instance \(n): \(s.status)")
            }
        }
        #expect(optimal > 600)
    }

    /// Diverse solutions on shared-coefficient instances: the diversity rows are counted per
    /// state by the DP (not typed), checked solution by solution against brute force.
    @Test func diverseSharedInstancesMatchBruteForce() throws {
        var rng = SplitMix(seed: 808)
        var checked = 0
        for n in 0..<400 {
            let p = Self.make(&rng)
            let d = Int.random(in: 1...max(1, p.groups.count / 2), using: &rng)
            let list = try Solver.solveDiverse(p, count: 3, minDifferent: d)
            var earlier: [[Int]] = []
            for (k, s) in list.enumerated() {
                if let truth = BruteForce.solve(p, earlier: earlier, minDifferent: d) {
                    #expect(s.status == .optimal, "instance \(n) solution \(k): \(s.status)")
                    #expect(abs(s.objective - truth.objective) <= 1e-9 * max(1, abs(truth.objective)),
                            "instance \(n) solution \(k): \(s.objective) vs brute force \(truth.objective)")
                    for e in earlier { #expect(zip(e, s.choices).filter { $0 != $1 }.count >= d) }
                    earlier.append(s.choices)
                    checked += 1
                } else {
                    #expect(s.status == .infeasible, "instance \(n) solution \(k): \(s.status)")
                }
            }
        }
        #expect(checked > 500)
    }

    /// The instance with "differ from e in at least d groups" written as problem rows (weight 1 on
    /// e's item, 0 elsewhere, at most G - d), as a user may write an earlier child's diversity
    /// requirement: the same rows the diverse path adds, but as plain rows.
    static func withDifferenceRows(_ p: Problem, from earlier: [[Int]], minDifferent d: Int) -> Problem {
        var q = p
        let G = p.groups.count
        for e in earlier {
            for g in 0..<G {
                for i in q.groups[g].items.indices { q.groups[g].items[i].weights.append(i == e[g] ? 1 : 0) }
            }
            q.rows.append(Problem.Row(name: "differ\(q.rows.count)", max: Double(G - d)))
        }
        return q
    }

    /// Difference rows written as problem rows are counted per state (`ClassDP.counterRows`)
    /// when they split types: the answers against brute force, and the rows taken as counters on
    /// a good share of the instances (else this would only test the typed path).
    @Test func differenceRowsAsProblemRowsMatchBruteForce() throws {
        var rng = SplitMix(seed: 9191)
        var checked = 0, counted = 0
        for n in 0..<500 {
            let base = Self.make(&rng)
            let G = base.groups.count
            let earlier = (0..<Int.random(in: 1...2, using: &rng)).map { _ in
                base.groups.map { Int.random(in: 0..<$0.items.count, using: &rng) }
            }
            let d = Int.random(in: 1...max(1, G / 2), using: &rng)
            let p = Self.withDifferenceRows(base, from: earlier, minDifferent: d)
            let sign = p.sense == .minimize ? 1.0 : -1.0
            if case .model(let model) = Model.build(p, costOf: { g, i in sign * p.groups[g].items[i].value },
                                                     rowMax: p.rows.map(\.max), extras: [], feasibilityTolerance: 1e-9) {
                let levels = (0..<model.groupCount).map { Array(model.start[$0]..<model.start[$0 + 1]) }
                if !ClassDP.counterRows(model: model, levels: levels, groups: Array(0..<model.groupCount)).isEmpty { counted += 1 }
            }
            let s = try Solver.solve(p)
            if let truth = BruteForce.solve(p) {
                #expect(s.status == .optimal, "instance \(n): \(s.status)")
                #expect(abs(s.objective - truth.objective) <= 1e-9 * max(1, abs(truth.objective)),
                        "instance \(n): \(s.objective) vs brute force \(truth.objective)")
                // The same requirement through the diversity rows gives the same optimum.
                #expect(BruteForce.solve(base, earlier: earlier, minDifferent: d)?.objective == truth.objective)
                try verify(s, against: p)
                checked += 1
            } else {
                #expect(s.status == .infeasible, "instance \(n): \(s.status)")
            }
        }
        #expect(checked > 250)
        #expect(counted > 100)
    }

    /// A 0/1 row is a counter only when typing it would split types: marking each group's item
    /// of one shared vector (a whole type) keeps it typed; marking items of different vectors in
    /// different groups (an earlier choice) makes it a counter; two marks in one group or unequal
    /// weights never do, nor a max whose row also has a min (the min's row splits the types anyway).
    @Test func problemRowsAreCountersOnlyWhenTheySplitTypes() throws {
        let vectors: [[Double]] = [[1, 0], [2, 1], [3, 3]]
        func problem(marks: (Int, Int) -> Double, min: Double? = nil) -> Problem {
            let groups = (0..<6).map { g in
                Problem.Group(name: "g\(g)", items: vectors.enumerated().map { i, v in
                    Problem.Item(name: "i\(i)", value: Double(g) - 2 * Double(i), weights: v + [marks(g, i)])
                })
            }
            return Problem(groups: groups, rows: [Problem.Row(name: "a", max: 12), Problem.Row(name: "b", max: 9),
                                                  Problem.Row(name: "marks", max: 4, min: min)])
        }
        func counters(_ p: Problem) -> [Int] {
            guard case .model(let model) = Model.build(p, costOf: { g, i in p.groups[g].items[i].value },
                                                       rowMax: p.rows.map(\.max), extras: [], feasibilityTolerance: 1e-9)
            else { Issue.record("the model did not build"); return [] }
            let levels = (0..<model.groupCount).map { Array(model.start[$0]..<model.start[$0 + 1]) }
            return ClassDP.counterRows(model: model, levels: levels, groups: Array(0..<model.groupCount)).map(\.row)
        }
        #expect(counters(problem { _, i in i == 0 ? 1 : 0 }) == [])  // a whole type
        #expect(counters(problem { g, i in i == g % 3 ? 1 : 0 }) == [2])  // an earlier choice
        #expect(counters(problem { g, i in i == g % 3 || i == (g + 1) % 3 ? 1 : 0 }) == [])  // two marks in a group
        #expect(counters(problem { g, i in i == g % 3 ? Double(1 + g % 2) : 0 }) == [])  // unequal weights
        #expect(counters(problem(marks: { g, i in i == g % 3 ? 1 : 0 }, min: 1)) == [])  // the min row splits the types
        // The whole answer with the counter row against brute force.
        let p = problem { g, i in i == g % 3 ? 1 : 0 }
        let s = try Solver.solve(p)
        let truth = try #require(BruteForce.solve(p))
        #expect(s.status == .optimal)
        #expect(abs(s.objective - truth.objective) <= 1e-9)
    }

    /// The DP itself, called directly on the built model with the LP multipliers, against
    /// brute force: it must return the optimum (or prove that nothing beats the incumbent).
    @Test func classDPAloneMatchesBruteForce() throws {
        var rng = SplitMix(seed: 515)
        var used = 0
        for n in 0..<1000 {
            let p = Self.make(&rng)
            let sign = p.sense == .minimize ? 1.0 : -1.0
            guard case .model(let model) = Model.build(p, costOf: { g, i in sign * p.groups[g].items[i].value },
                                                        rowMax: p.rows.map(\.max), extras: [], feasibilityTolerance: 1e-9),
                  model.m > 0 else { continue }
            let levels = (0..<model.groupCount).map { Array(model.start[$0]..<model.start[$0 + 1]) }
            var dual = LagrangianDual(model: model)
            guard dual.maximize() != nil else { continue }
            guard let out = ClassDP.run(model: model, levels: levels, groups: Array(0..<model.groupCount), baseCost: 0,
                                        base: [Double](repeating: 0, count: model.m), lambda: dual.lambda, ub: .infinity,
                                        tol: 1e-9 * model.costScale, maxStates: 100_000, deadline: .none) else { continue }
            used += 1
            let truth = BruteForce.solve(p)
            #expect(out.complete)
            if let truth {
                guard let choice = out.choice else {
                    Issue.record("instance \(n): DP found nothing, brute force \(truth.objective)")
                    continue
                }
                let objective = choice.enumerated().reduce(0.0) { $0 + p.groups[$1.offset].items[model.original[$1.element]].value }
                #expect(abs(objective - truth.objective) <= 1e-9 * max(1, abs(truth.objective)), "instance \(n)")
            } else {
                #expect(out.choice == nil, "instance \(n): DP returned a choice for an infeasible problem")
            }
        }
        #expect(used > 300)
    }

    /// `p`'s model with one diversity row per earlier solution ("at most G - d groups take its
    /// item"), its levels in group order and the LP multipliers (coordinate ascent, then the root
    /// LP with two or more rows), as the diverse solves start; nil when the model has no row or
    /// the ascent fails.
    static func diverseModel(_ p: Problem, earlier: [[Int]], minDifferent d: Int) -> (model: Model, levels: [[Int]], lambda: [Double])? {
        let sign = p.sense == .minimize ? 1.0 : -1.0
        let G = p.groups.count
        let extras = earlier.enumerated().map { k, e in Model.Extra(solution: e, cap: Double(G - d), source: .diversity(k)) }
        guard case .model(let model) = Model.build(p, costOf: { g, i in sign * p.groups[g].items[i].value },
                                                    rowMax: p.rows.map(\.max), extras: extras, feasibilityTolerance: 1e-9),
              model.m > 0 else { return nil }
        let levels = (0..<model.groupCount).map { Array(model.start[$0]..<model.start[$0 + 1]) }
        var dual = LagrangianDual(model: model)
        guard dual.maximize() != nil else { return nil }
        var lambda = dual.lambda
        if model.m >= 2, case .multipliers(let lp) = NodeLP.root(model, start: lambda) { lambda = lp }
        return (model, levels, lambda)
    }

    /// Up to `count` brute-force diverse optima of `p` in sequence (each the first optimum that
    /// differs from the earlier ones in at least `minDifferent` groups); fewer when one has none.
    static func diverseChildren(_ p: Problem, count: Int, minDifferent d: Int) -> [[Int]] {
        var earlier: [[Int]] = []
        for _ in 0..<count {
            guard let child = BruteForce.solve(p, earlier: earlier, minDifferent: d) else { break }
            earlier.append(child.optima[0])
        }
        return earlier
    }

    /// The banded DP for diversity rows (`ClassDiversity`), called directly with one to three
    /// earlier solutions as diversity rows and the LP multipliers of the full model, against brute
    /// force with the same diversity requirements.
    @Test func bandedDiversityDPMatchesBruteForce() throws {
        var rng = SplitMix(seed: 616)
        var used = 0, optimal = 0
        for n in 0..<900 {
            let p = Self.make(&rng)
            let G = p.groups.count
            let d = Int.random(in: 1...max(1, G / 2), using: &rng)
            let earlier = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                p.groups.map { Int.random(in: 0..<$0.items.count, using: &rng) }
            }
            guard let (model, levels, lambda) = Self.diverseModel(p, earlier: earlier, minDifferent: d),
                  model.source.contains(where: { if case .diversity = $0 { return true } else { return false } })
            else { continue }
            guard let out = ClassDP.run(model: model, levels: levels, groups: Array(0..<model.groupCount), baseCost: 0,
                                        base: [Double](repeating: 0, count: model.m), lambda: lambda, ub: .infinity,
                                        tol: 1e-9 * model.costScale, maxStates: 100_000, deadline: .none) else { continue }
            used += 1
            let truth = BruteForce.solve(p, earlier: earlier, minDifferent: d)
            #expect(out.complete, "instance \(n)")
            if let truth {
                guard let choice = out.choice else {
                    Issue.record("instance \(n): DP found nothing, brute force \(truth.objective)")
                    continue
                }
                let objective = choice.enumerated().reduce(0.0) { $0 + p.groups[$1.offset].items[model.original[$1.element]].value }
                #expect(abs(objective - truth.objective) <= 1e-9 * max(1, abs(truth.objective)),
                        "instance \(n): \(objective) vs brute force \(truth.objective)")
                optimal += 1
            } else {
                #expect(out.choice == nil, "instance \(n): DP returned a choice for an infeasible problem")
            }
        }
        #expect(used > 180 && optimal > 120, "used \(used), optimal \(optimal)")
    }

    /// The banded DP with a finite incumbent (so the exact one-row completion bounds of pass 1
    /// and of the bands prune, in c' and, on odd instances, in true cost), against brute force with two or three earlier children that are
    /// themselves brute-force diverse optima: with the incumbent just above the optimum the DP
    /// must return the optimum; with the incumbent at the optimum it must not claim anything below.
    @Test func bandedDiversityDPWithIncumbentMatchesBruteForce() throws {
        var rng = SplitMix(seed: 717)
        var used = 0, resumed = 0, crossKeyCuts = 0, resumedSteep = 0, resumedDefault = 0, packed = 0
        for n in 0..<900 {
            let p = Self.make(&rng)
            let sign = p.sense == .minimize ? 1.0 : -1.0
            let G = p.groups.count
            let d = Int.random(in: 1...max(1, G / 2), using: &rng)
            let earlier = Self.diverseChildren(p, count: Int.random(in: 2...3, using: &rng), minDifferent: d)
            guard earlier.count >= 2, let truth = BruteForce.solve(p, earlier: earlier, minDifferent: d) else { continue }
            guard let (model, levels, lambda) = Self.diverseModel(p, earlier: earlier, minDifferent: d) else { continue }
            let optimum = sign * truth.objective
            let tol = 1e-9 * model.costScale
            // True-cost completion fronts from the start (n odd) or never (n even; the solver builds
            // them after 1,000 states). Each instance also with narrow first bands that record what
            // they cut for bands 16 times as wide, so that the wider bands resume them, and with
            // every fresh band taken as growing steeply (the next band resumes it at x2).
            // The first runs the covers on the entries (no packed records, as the default does on
            // most of these small levels), the last on packed records on every level: the same
            // states and choice.
            let schedules = [ClassDP.BandSchedule(packedChain: nil), ClassDP.BandSchedule(firstFraction: 1.0 / 64, parkFactor: 16),
                             ClassDP.BandSchedule(steepRecorded: 0), ClassDP.BandSchedule(packedChain: 0)]
            for (slack, mustFind) in [(0.125, true), (0.0, false)] {
                var onEntries: ClassDP.Outcome?
                for (s, schedule) in schedules.enumerated() {
                    guard let out = ClassDP.run(model: model, levels: levels, groups: Array(0..<model.groupCount), baseCost: 0,
                                                base: [Double](repeating: 0, count: model.m), lambda: lambda, ub: optimum + slack,
                                                tol: tol, maxStates: 100_000, deadline: .none,
                                                trueFrontsAfter: n % 2 == 1 ? 0 : .max, bandSchedule: schedule) else { continue }
                    if mustFind { used += 1 }
                    if s == 0 { onEntries = out }
                    if s == 3, let onEntries {
                        packed += 1
                        #expect(out.states == onEntries.states && out.choice == onEntries.choice,
                                "instance \(n): packed covers \(out.states) states, on the entries \(onEntries.states)")
                    }
                    resumed += out.resumedBands
                    if s == 0 { resumedDefault += out.resumedBands }
                    if s == 2 { resumedSteep += out.resumedBands }
                    crossKeyCuts += out.crossKeyCuts
                    #expect(out.complete, "instance \(n)")
                    guard let choice = out.choice else {
                        if mustFind { Issue.record("instance \(n): DP found nothing below \(optimum + slack), brute force \(optimum)") }
                        continue
                    }
                    let cost = choice.reduce(0.0) { $0 + model.cost[$1] }
                    #expect(ClassDP.meetsAll(choice, model: model, base: [Double](repeating: 0, count: model.m)), "instance \(n)")
                    #expect(cost >= optimum - 1e-9 * max(1, abs(optimum)), "instance \(n): \(cost) below brute force \(optimum)")
                    if mustFind { #expect(abs(cost - optimum) <= 1e-9 * max(1, abs(optimum)), "instance \(n): \(cost) vs \(optimum)") }
                }
            }
        }
        #expect(used > 200, "used \(used)")
        #expect(resumed > 50, "resumed bands: \(resumed)")
        // Steep growth taken everywhere: more bands resumed than with the default schedule, and
        // every answer above the brute-force optimum.
        #expect(resumedSteep > resumedDefault, "resumed bands: \(resumedSteep) steep, \(resumedDefault) default")
        // Dominance across keys fired (383 candidates cut on these instances) and every answer
        // above stayed the brute-force optimum.
        #expect(crossKeyCuts > 100, "candidates cut across keys: \(crossKeyCuts)")
        #expect(packed > 200, "runs compared with packed covers: \(packed)")
    }

    /// The packed differences of the bands' covers (`ResumableBand.CoverRecord`): one subtraction
    /// says whether every byte of one is at least the other's, as the bytes compared one by one.
    @Test func packedCoverDifferencesCompareByteByByte() {
        typealias Record = ClassDP.ResumableBand.CoverRecord
        var rng = SplitMix(seed: 919)
        var both = 0, neither = 0
        for _ in 0..<200_000 {
            let C = Int.random(in: 1...4, using: &rng)
            let need = (0..<C).map { _ in Int.random(in: 0...127, using: &rng) }
            let t = Int.random(in: 0...300, using: &rng)
            // Match counts near t, so that the counted differences cover every value up to the need.
            let a = (0..<C).map { c in Int32(t - Int.random(in: 0...min(t, need[c] + 2), using: &rng)) }
            let b = (0..<C).map { c in Int32(t - Int.random(in: 0...min(t, need[c] + 2), using: &rng)) }
            let da = (0..<C).map { min(need[$0], t - Int(a[$0])) }, db = (0..<C).map { min(need[$0], t - Int(b[$0])) }
            let pa = Record.pack(a, need: need, t: t), pb = Record.pack(b, need: need, t: t)
            let aCovers = (0..<C).allSatisfy { da[$0] >= db[$0] }, bCovers = (0..<C).allSatisfy { db[$0] >= da[$0] }
            #expect(Record.atLeast(pa, pb) == aCovers && Record.atLeast(pb, pa) == bCovers, "need \(need), \(da) vs \(db)")
            if aCovers && bCovers { both += 1 }
            if !aCovers && !bCovers { neither += 1 }
        }
        #expect(Record.packs(need: [127, 0, 5, 9]) && !Record.packs(need: [128]) && !Record.packs(need: [1, 1, 1, 1, 1]))
        #expect(both > 1_000 && neither > 1_000, "equal \(both), incomparable \(neither)")
    }

    /// The bands' cap on active entries per class level (`BandSchedule.statesFactor` times the
    /// caller's `maxStates`; pass 1 keeps the caller's): with a small `maxStates`, bands allowed
    /// four times as many entries settle more children than bands held to the caller's cap (which
    /// then give up: nil, so that the caller's other search takes over), and every child they
    /// settle is the brute-force optimum.
    @Test func bandStatesCapGivesUpOnlyAboveItsFactor() throws {
        var rng = SplitMix(seed: 919)
        var settled = [0, 0], gaveUp = [0, 0]
        for n in 0..<400 {
            let p = Self.make(&rng)
            let sign = p.sense == .minimize ? 1.0 : -1.0
            let G = p.groups.count
            let d = Int.random(in: 1...max(1, G / 2), using: &rng)
            let earlier = Self.diverseChildren(p, count: 2, minDifferent: d)
            guard earlier.count == 2, let truth = BruteForce.solve(p, earlier: earlier, minDifferent: d) else { continue }
            guard let (model, levels, lambda) = Self.diverseModel(p, earlier: earlier, minDifferent: d) else { continue }
            let optimum = sign * truth.objective
            for (k, factor) in [1, 4].enumerated() {
                let out = ClassDP.run(model: model, levels: levels, groups: Array(0..<model.groupCount), baseCost: 0,
                                      base: [Double](repeating: 0, count: model.m), lambda: lambda, ub: optimum + 0.125,
                                      tol: 1e-9 * model.costScale, maxStates: 8, deadline: .none,
                                      bandSchedule: ClassDP.BandSchedule(statesFactor: factor))
                guard let out, out.complete, let choice = out.choice else { gaveUp[k] += 1; continue }
                settled[k] += 1
                let cost = choice.reduce(0.0) { $0 + model.cost[$1] }
                #expect(abs(cost - optimum) <= 1e-9 * max(1, abs(optimum)), "instance \(n), factor \(factor): \(cost) vs \(optimum)")
            }
        }
        // maxStates 8: factor 1 gave up on 19 of 285 instances, factor 4 on 11.
        #expect(settled[1] > settled[0] && gaveUp[0] > 0, "settled \(settled), gave up \(gaveUp)")
    }

    /// The join of class menus (`ClassDP.join`) against brute force over every combination of
    /// entries: random menus of 2-3 classes (each entry one item of a one-level class, sorted by
    /// δ as the class DP leaves them; δ = cost + λ·usage minus the menu's least for random λ >= 0,
    /// so cost order and δ order disagree), random capacities and budgets; the join's best is the
    /// least cost over the combinations whose δ-sum stays below the budget and whose usage fits
    /// every row, and its choice has that cost.
    @Test func joinMatchesBruteForceOverCombinations() {
        var rng = SplitMix(seed: 4242)
        var found = 0, empty = 0
        for n in 0..<400 {
            let classCount = Int.random(in: 2...3, using: &rng), m = Int.random(in: 1...3, using: &rng)
            let lambda = (0..<m).map { _ in Double.random(in: 0...2, using: &rng) }
            var menus: [ClassDP.Menu] = []
            var itemCost: [Int: Double] = [:]
            var nextItem = 0
            for k in 0..<classCount {
                let count = Int.random(in: 1...12, using: &rng)
                // δ is a reduced cost: cost + λ·usage minus the menu's least (as in the class DP, so δ
                // never rises when cost and usage both fall, which the join's dominance relies on).
                var entries: [(delta: Double, cost: Double, usage: [Double])] = (0..<count).map { _ in
                    let cost = Double.random(in: 0...10, using: &rng), usage = (0..<m).map { _ in Double(Int.random(in: 0...6, using: &rng)) }
                    return (cost + zip(lambda, usage).reduce(0) { $0 + $1.0 * $1.1 }, cost, usage)
                }
                let least = entries.map(\.delta).min()!
                for e in entries.indices { entries[e].delta -= least }
                entries.sort { $0.delta < $1.delta }
                var menu = ClassDP.Menu(levels: [k])
                var items: [Int32] = []
                for (e, entry) in entries.enumerated() {
                    menu.delta.append(entry.delta)
                    menu.cost.append(entry.cost)
                    menu.usage.append(contentsOf: entry.usage)
                    menu.state.append(Int32(e))
                    items.append(Int32(nextItem))
                    itemCost[nextItem] = entry.cost
                    nextItem += 1
                }
                menu.parent = [[Int32](repeating: -1, count: count)]
                menu.item = [items]
                menus.append(menu)
            }
            let capOpen = (0..<m).map { _ in Double(Int.random(in: 0...(6 * classCount), using: &rng)) }
            let budget = Double.random(in: 0...(10 * Double(classCount)), using: &rng), baseCost = 1.5
            // Brute force over every combination.
            var truth = Double.infinity
            var pick = [Int](repeating: 0, count: classCount)
            func visit(_ k: Int) {
                if k == classCount {
                    var d = 0.0, c = baseCost
                    var u = [Double](repeating: 0, count: m)
                    for j in 0..<classCount {
                        d += menus[j].delta[pick[j]]
                        c += menus[j].cost[pick[j]]
                        for r in 0..<m { u[r] += menus[j].usage[pick[j] * m + r] }
                    }
                    if d < budget && (0..<m).allSatisfy({ u[$0] <= capOpen[$0] }) { truth = min(truth, c) }
                    return
                }
                for e in 0..<menus[k].count { pick[k] = e; visit(k + 1) }
            }
            visit(0)
            var states = 0
            guard let attempt = ClassDP.join(menus, m: m, capOpen: capOpen, baseCost: baseCost, budget: budget,
                                             levelCount: classCount, maxStates: 100_000, deadline: .none, states: &states) else {
                Issue.record("instance \(n): the join gave up")
                continue
            }
            if let (choice, cost) = attempt.best {
                found += 1
                #expect(abs(cost - truth) <= 1e-9, "instance \(n): join \(cost), brute force \(truth)")
                let chosen = choice.reduce(baseCost) { $0 + itemCost[$1]! }
                #expect(abs(chosen - cost) <= 1e-9, "instance \(n): the choice costs \(chosen), the join said \(cost)")
            } else {
                empty += 1
                #expect(truth == .infinity, "instance \(n): the join found nothing, brute force \(truth)")
            }
        }
        #expect(found > 100 && empty > 20)
    }

    /// The bands' growth (`ClassDP.bandGrowth`): after the first band 1.5 with one class and 4 with
    /// several; then 4^(1/p) for the growth exponent p between the last two bands, clamped to
    /// [1.5, 4] (hand-computed: states x8 for width x2 is p = 3, so 4^(1/3) = 1.5874...).
    @Test func bandGrowthFollowsTheMeasuredExponent() {
        #expect(ClassDP.bandGrowth(previous: nil, width: 1e-3, states: 500, classCount: 1) == 1.5)
        #expect(ClassDP.bandGrowth(previous: nil, width: 1e-3, states: 500, classCount: 2) == 4)
        let cubic = ClassDP.bandGrowth(previous: (w: 1e-3, states: 100), width: 2e-3, states: 800, classCount: 1)
        #expect(abs(cubic - 1.587401051968199) < 1e-12)
        // Flat (p = 0.1) or shrinking: the largest step; very steep (p = 10): the smallest.
        #expect(ClassDP.bandGrowth(previous: (w: 1e-3, states: 1000), width: 2e-3, states: 1072, classCount: 1) == 4)
        #expect(ClassDP.bandGrowth(previous: (w: 1e-3, states: 1000), width: 2e-3, states: 900, classCount: 2) == 4)
        #expect(ClassDP.bandGrowth(previous: (w: 1e-3, states: 10), width: 2e-3, states: 10_240, classCount: 1) == 1.5)
        // No states measured: the first-band rule.
        #expect(ClassDP.bandGrowth(previous: (w: 1e-3, states: 0), width: 2e-3, states: 10, classCount: 2) == 4)
    }

    /// Count-vector keys: per-type radices (1 + the levels offering the type), place values by
    /// hand, and nil exactly when the product of the radices exceeds 64 bits.
    @Test func countVectorKeysUsePerTypeRadices() {
        #expect(ClassDP.placeValues(radices: [3, 5, 2]) == [1, 3, 15])
        #expect(ClassDP.placeValues(radices: []) == [1])
        #expect(ClassDP.placeValues(radices: [1 << 32, (1 << 32) - 1]) == [1, 1 << 32])
        #expect(ClassDP.placeValues(radices: [1 << 32, 1 << 32]) == nil)
        // 14 types over 45 levels: 46^14 does not fit, but the same types offered by fewer levels do.
        #expect(ClassDP.placeValues(radices: [UInt64](repeating: 46, count: 14)) == nil)
        #expect(ClassDP.placeValues(radices: [UInt64](repeating: 46, count: 7) + [UInt64](repeating: 11, count: 7)) != nil)
        // Levels 0 and 1 offer types 7 and 9 (level 1 twice type 9), level 2 only type 7.
        let typeOf = [7, 9, 7, 9, 9, 7]
        let (types, digit, radices) = ClassDP.classTypes([0, 1, 2], levels: [[0, 1], [2, 3, 4], [5]], typeOf: typeOf)
        #expect(types == [7, 9] && digit[7] == 0 && digit[9] == 1 && radices == [4, 3])
    }

    /// The count-vector-preserving swap repair (`ClassDP.swapRepair`) from random starts, with
    /// two or three earlier solutions: whatever it returns meets every row and is no better than
    /// the brute-force optimum.
    @Test func swapRepairIsFeasibleAndNeverBeatsBruteForce() throws {
        var rng = SplitMix(seed: 818)
        var repaired = 0
        for n in 0..<900 {
            let p = Self.make(&rng)
            let sign = p.sense == .minimize ? 1.0 : -1.0
            let G = p.groups.count
            let d = Int.random(in: 1...max(1, G / 2), using: &rng)
            let earlier = (0..<Int.random(in: 2...3, using: &rng)).map { _ in
                p.groups.map { Int.random(in: 0..<$0.items.count, using: &rng) }
            }
            let extras = earlier.enumerated().map { k, e in Model.Extra(solution: e, cap: Double(G - d), source: .diversity(k)) }
            guard case .model(let model) = Model.build(p, costOf: { g, i in sign * p.groups[g].items[i].value },
                                                        rowMax: p.rows.map(\.max), extras: extras, feasibilityTolerance: 1e-9),
                  model.m > 0 else { continue }
            let levels = (0..<model.groupCount).map { Array(model.start[$0]..<model.start[$0 + 1]) }
            guard let (classes, typeOf, _, found) = ClassDP.classes(model: model, levels: levels, groups: Array(0..<model.groupCount)),
                  !found.isEmpty else { continue }
            let counters = found.map { c -> ClassDP.Counter in
                var c = c
                let allowed = (model.cap[c.row] / c.unit + 1e-6).rounded(.down)
                c.need = max(0, levels.count - Int(max(-1, min(Double(levels.count), allowed))))
                return c
            }
            let start = levels.map { $0[Int.random(in: 0..<$0.count, using: &rng)] }
            let zero = [Double](repeating: 0, count: model.m)
            guard let x = ClassDP.swapRepair(start, model: model, levels: levels, classes: classes, typeOf: typeOf, counters: counters,
                                             base: zero, tol: 1e-9 * model.costScale, deadline: .none) else { continue }
            repaired += 1
            #expect(ClassDP.meetsAll(x, model: model, base: zero), "instance \(n)")
            let choices = x.enumerated().map { model.original[$0.element] }
            for e in earlier { #expect(zip(e, choices).filter { $0 != $1 }.count >= d, "instance \(n)") }
            let truth = BruteForce.solve(p, earlier: earlier, minDifferent: d)
            #expect(truth != nil, "instance \(n): repaired a choice of an infeasible problem")
            if let truth {
                let cost = x.reduce(0.0) { $0 + model.cost[$1] }
                #expect(cost >= sign * truth.objective - 1e-9 * max(1, abs(truth.objective)), "instance \(n)")
            }
        }
        #expect(repaired > 100, "repaired \(repaired)")
    }
}
