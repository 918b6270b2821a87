import BlockLibraries

extension BlockLibrary {
    /// The parent's own objective: the sum over groups of the score of the parent's block
    /// (0 for KL divergence by definition; the parent's loss or accuracy otherwise). Groups
    /// without the parent's block contribute nothing.
    public func parentObjective(_ metric: String) -> Double {
        var total = 0.0
        for layer in layers {
            for (group, pick) in zip(layer.groups, layer.parentPicks(parent.dimensions)) {
                if let pick, let s = group[pick].scores[metric] { total += s }
            }
        }
        return total
    }
}
