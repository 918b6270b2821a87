/// Independent check of an answer against the original problem data.
public struct VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks that a solution with `hasSolution` picks one allowed item per group, honours every
/// pin and forbidden item, meets every row within the feasibility tolerance
/// (`tol * max(|limit|, sum_g max_i |weight|)`), and that `objective` is the sum of the chosen
/// values. Answers without a solution (infeasible/unknown) pass trivially.
/// - Complexity: O(G * R + pins).
public func verify(_ solution: Solution, against problem: Problem, options: SolveOptions = SolveOptions()) throws(VerificationError) {
    guard solution.hasSolution else { return }
    let x = solution.choices
    guard x.count == problem.groups.count else {
        throw VerificationError("expected \(problem.groups.count) choices, found \(x.count)")
    }
    for (g, i) in x.enumerated() where i < 0 || i >= problem.groups[g].items.count {
        throw VerificationError("group \(g): item index \(i) out of range")
    }
    for p in problem.pins where x[p.group] != p.item {
        throw VerificationError("group \(p.group): pinned item \(p.item) not chosen")
    }
    for f in problem.forbidden where x[f.group] == f.item {
        throw VerificationError("group \(f.group): forbidden item \(f.item) chosen")
    }
    for (r, row) in problem.rows.enumerated() {
        var sum = 0.0, scale = 0.0
        for (g, i) in x.enumerated() {
            sum += problem.groups[g].items[i].weights[r]
            scale += problem.groups[g].items.map { abs($0.weights[r]) }.max() ?? 0
        }
        if row.max < .infinity, sum > row.max + options.feasibilityTolerance * max(abs(row.max), scale) {
            throw VerificationError("row '\(row.name)': sum \(sum) exceeds max \(row.max)")
        }
        if let lo = row.min, lo > -.infinity, sum < lo - options.feasibilityTolerance * max(abs(lo), scale) {
            throw VerificationError("row '\(row.name)': sum \(sum) below min \(lo)")
        }
    }
    let objective = Solver.objectiveOf(problem, x)
    guard objective == solution.objective else {
        throw VerificationError("objective \(solution.objective) differs from the chosen values' sum \(objective)")
    }
}

extension Result {
    /// The error of a failed result, nil on success.
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
