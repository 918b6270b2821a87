/// One resource row of the search's knapsack: sum over groups of `coefficients[g][choice]` must
/// lie in `[min, max]`. Built from a user constraint (and, with several scenarios, one row per
/// scenario) after the costs outside the layers have been taken off the budget.
struct LinearRow: Sendable {
    var name: String
    /// Per group, per candidate.
    var coefficients: [[Double]]
    var max: Double
    var min: Double?
    /// Which user constraint it encodes (index into the request's constraints), or nil for the
    /// implicit device-memory row.
    var constraint: Int?
    /// Which scenario it belongs to, when it depends on one.
    var scenario: Int?
    /// Maps the row's sum back to the constraint's unit (e.g. cycle seconds -> tokens/s/GPU).
    var toConstraintUnit: @Sendable (Double) -> Double
    /// Per shape (`SearchGroup.shape`), per candidate, when every group's coefficients are its
    /// shape's (cost-model rows); nil otherwise (measured stats differ by layer).
    var shapeCoefficients: [[Double]]? = nil

    func sum(_ choices: [Int]) -> Double {
        var total = 0.0
        for (g, c) in choices.enumerated() { total += coefficients[g][c] }
        return total
    }
}
