import Testing
@testable import Knapsack

/// `SolveOptions.cutoff` inside branch and bound, and the exact LP relaxation, against brute force.
@Suite struct CutoffAndLPTests {
    /// A cutoff equal to the optimum leaves nothing to return (`.infeasible`, row nil); a cutoff
    /// just worse than the optimum returns the optimum; a cutoff between the best and the
    /// second-best objective returns the optimum as well.
    @Test func cutoffMatchesBruteForce() throws {
        var rng = SplitMix(seed: 4242)
        var pruned = 0, kept = 0
        for n in 0..<2000 {
            let p = RandomProblems.make(&rng)
            guard let truth = BruteForce.solve(p) else {
                var o = SolveOptions()
                o.cutoff = 0
                #expect(try Solver.solve(p, options: o).status == .infeasible, "instance \(n)")
                continue
            }
            let worse = p.sense == .minimize ? 1.0 : -1.0
            var atOptimum = SolveOptions()
            atOptimum.cutoff = truth.objective
            let s0 = try Solver.solve(p, options: atOptimum)
            #expect(s0.status == .infeasible, "instance \(n): cutoff = optimum \(truth.objective) gave \(s0.status) \(s0.objective)")
            #expect(s0.infeasibility?.row == nil)
            pruned += 1
            var looser = SolveOptions()
            looser.cutoff = truth.objective + worse * 0.5
            let s1 = try Solver.solve(p, options: looser)
            #expect(s1.status == .optimal, "instance \(n): cutoff above the optimum gave \(s1.status)")
            #expect(s1.objective == truth.objective, "instance \(n): \(s1.objective) vs \(truth.objective)")
            #expect(truth.optima.contains(s1.choices))
            kept += 1
        }
        #expect(pruned > 500 && kept > 500)
    }

    /// The simplex's primal x is LP-feasible and costs exactly `L(λ)` at its multipliers
    /// (a certificate that both are optimal), `L(λ)` never exceeds the integer optimum, and it
    /// is at least the coordinate-ascent bound.
    @Test func lpRelaxationIsCertifiedOptimal() throws {
        var rng = SplitMix(seed: 5150)
        var certified = 0
        for n in 0..<1500 {
            let p = RandomProblems.make(&rng)
            let sign = p.sense == .minimize ? 1.0 : -1.0
            guard case .model(let model) = Model.build(p, costOf: { g, i in sign * p.groups[g].items[i].value },
                                                       rowMax: p.rows.map(\.max), extras: [], feasibilityTolerance: 1e-9),
                  model.m > 0 else { continue }
            var dual = LagrangianDual(model: model)
            guard let ascent = dual.maximize() else { continue }
            var chosen: [Int] = []
            for g in 0..<model.groupCount {
                var b = model.start[g]
                for i in model.start[g]..<model.start[g + 1] where dual.reduced[i] < dual.reduced[b] { b = i }
                chosen.append(b)
            }
            guard let lp = LPRelaxation.solve(model: model, start: chosen) else { continue }
            let value = LagrangianDual(model: model, warm: lp.lambda).value()
            let tol = 1e-9 * model.costScale
            // Primal feasibility and cost.
            var primal = 0.0
            for g in 0..<model.groupCount {
                var s = 0.0
                for i in model.start[g]..<model.start[g + 1] { s += lp.x[i]; primal += lp.x[i] * model.cost[i] }
                #expect(abs(s - 1) < 1e-9, "instance \(n): group \(g) sums to \(s)")
            }
            for r in 0..<model.m {
                var s = 0.0
                for i in 0..<model.cost.count { s += lp.x[i] * model.a[i * model.m + r] }
                #expect(s <= model.cap[r] + 1e-9 * Swift.max(1, abs(model.cap[r])), "instance \(n): row \(r) \(s) > \(model.cap[r])")
            }
            #expect(abs(primal - value) <= tol, "instance \(n): primal \(primal) vs L(λ) \(value)")
            #expect(value >= ascent - tol, "instance \(n): LP \(value) below coordinate ascent \(ascent)")
            if let truth = BruteForce.solve(p) {
                #expect(value <= sign * truth.objective + tol, "instance \(n): LP bound above the optimum")
            }
            certified += 1
        }
        #expect(certified > 500)
    }
}
