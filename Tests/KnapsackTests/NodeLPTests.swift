import Testing
@testable import Knapsack

/// The GUB simplex (`NodeLP`) against the dense simplex (`LPRelaxation`): two independent LP
/// codes must reach the same LP value `L(λ)`, which no other multiplier vector may exceed; an
/// infeasibility claim must hold for every integer choice (brute force).
@Suite struct NodeLPTests {
    /// 3-6 rows, 2-30 groups of 2-6 items, real-valued coefficients (some zero), capacities
    /// between the least and the largest usage.
    static func make(_ rng: inout SplitMix, maxGroups: Int) -> Problem {
        let G = Int.random(in: 2...maxGroups, using: &rng)
        let R = Int.random(in: 3...6, using: &rng)
        var groups: [Problem.Group] = []
        for g in 0..<G {
            let n = Int.random(in: 2...6, using: &rng)
            let items = (0..<n).map { k in
                Problem.Item(name: "i\(k)", value: Double.random(in: -1...4, using: &rng).rounded(toPlaces: 3),
                             weights: (0..<R).map { _ in Int.random(in: 0...4, using: &rng) == 0 ? 0 : Double.random(in: 0...10, using: &rng) })
            }
            groups.append(Problem.Group(name: "g\(g)", items: items))
        }
        let rows = (0..<R).map { r -> Problem.Row in
            let most = groups.reduce(0.0) { $0 + $1.items.map { $0.weights[r] }.max()! }
            let least = groups.reduce(0.0) { $0 + $1.items.map { $0.weights[r] }.min()! }
            return Problem.Row(name: "r\(r)", max: least + (most - least) * Double.random(in: -0.05...0.8, using: &rng))
        }
        return Problem(sense: .minimize, groups: groups, rows: rows)
    }

    static func model(_ p: Problem) -> Model? {
        let built = Model.build(p, costOf: { g, i in p.groups[g].items[i].value }, rowMax: p.rows.map(\.max), extras: [],
                                feasibilityTolerance: 1e-9)
        if case .model(let m) = built, m.m >= 3 { return m }
        return nil
    }

    @Test func rootValueEqualsDenseSimplex() {
        var rng = SplitMix(seed: 777)
        var compared = 0
        for n in 0..<600 {
            let p = Self.make(&rng, maxGroups: 30)
            guard let model = Self.model(p) else { continue }
            let outcome = NodeLP.root(model, start: [Double](repeating: 0, count: model.m))
            let dense = LPRelaxation.solve(model: model, start: (0..<model.groupCount).map { model.start[$0] })
            switch outcome {
            case .multipliers(let lambda):
                guard let dense else {
                    Issue.record("instance \(n): GUB found an optimum, the dense simplex none")
                    continue
                }
                let viaGUB = LagrangianDual(model: model, warm: lambda).value()
                let viaDense = LagrangianDual(model: model, warm: dense.lambda).value()
                #expect(abs(viaGUB - viaDense) <= 1e-9 * model.costScale, "instance \(n): GUB \(viaGUB) vs dense \(viaDense)")
                // No multiplier vector does better than the LP optimum (weak duality at the optimum).
                for _ in 0..<5 {
                    let other = (0..<model.m).map { r in max(0, lambda[r] + Double.random(in: -0.5...0.5, using: &rng)) }
                    #expect(LagrangianDual(model: model, warm: other).value() <= viaGUB + 1e-9 * model.costScale, "instance \(n)")
                }
                compared += 1
            case .infeasible:
                #expect(dense == nil, "instance \(n): GUB says infeasible, the dense simplex found an optimum")
                #expect(p.groups.count > 8 || BruteForce.solve(p) == nil, "instance \(n): an integer choice exists")
            case .failed:
                Issue.record("instance \(n): GUB simplex failed")
            }
        }
        #expect(compared > 200)
    }

    @Test func infeasibleClaimsHoldForEveryChoice() {
        var rng = SplitMix(seed: 778)
        var claims = 0
        for _ in 0..<1500 {
            let p = Self.make(&rng, maxGroups: 6)
            guard let model = Self.model(p) else { continue }
            if case .infeasible = NodeLP.root(model, start: [Double](repeating: 0, count: model.m)) {
                claims += 1
                #expect(BruteForce.solve(p) == nil, "infeasibility claimed for a problem with a feasible choice")
            }
        }
        #expect(claims > 0)
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
