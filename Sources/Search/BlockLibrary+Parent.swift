import BlockLibraries

extension BlockLibrary {
    /// The parent's own objective: the sum over groups of the score of the parent's block
    /// (0 for KL divergence by definition; the parent's loss or accuracy otherwise). Groups
    /// without the parent's block contribute nothing.
    public func parentObjective(_ metric: String) -> Double {
        var total = 0.0
        for layer in layers {
            let picks = layer.index < parent.layers.count ? layer.parentPicks(parent.layers[layer.index]) : layer.parentPicks(parent.dimensions)
            for (group, pick) in zip(layer.groups, picks) {
                if let pick, let s = group[pick].scores[metric] { total += s }
            }
        }
        return total
    }
}
