import CostModel
import ModelArchitecture
import PuzzleCore

/// Why a search, frontier or comparison cannot run, with the data to explain it. The `puzzle`
/// executable turns each case into one line naming the real flag, and an exit code.
public enum SearchError: Error, Sendable, Hashable {
    /// A budget that needs predicted costs, asked of a search on measured stats only.
    case needsCostModel(Constraint)
    /// A cost-model search needs at least one scenario.
    case noScenario
    /// None of the TPs asked for divides the parent's query heads.
    case noTPDividesHeads(tps: [Int], heads: Int)
    /// A speed-up needs the parent's throughput, and the parent fits at no TP in 1, 2, 4, 8.
    case parentDoesNotFit(parent: String, gpu: String, dtype: DType, scenario: Scenario)
    /// Engine filtering, pins and forbids left a group empty.
    case noCandidateLeft(layer: Int, role: GroupRole)
    /// A candidate without a score for the objective.
    case unscoredCandidate(layer: Int, role: GroupRole, candidate: String, metric: String)
    /// A `max`/`min` stat budget on a candidate that lacks the stat.
    case missingStat(layer: Int, role: GroupRole, candidate: String, stat: String)
    /// A pin or forbid whose layers reach past the library's last layer.
    case ruleLayerOutOfRange(VariantRule, layerCount: Int)
    /// A pin or forbid that matches no candidate (in `layer`, for a pin; anywhere, for a forbid).
    case ruleMatchesNothing(VariantRule, layer: Int?)
    /// The library's scores for a metric, or its values of a stat, can sum past 1e300 in
    /// magnitude over the chosen candidates: the knapsack would overflow (`kind`: score or stat).
    case sumOverflow(kind: String, name: String)
    /// The cost model failed on a configuration the search needs.
    case costModel(CostModelError)
    /// A knapsack the search built was rejected by the solver (a bug, reported as such).
    case internalProblemRejected(String)
}

/// What a solver group chooses: a layer's attention, its FFN, or (joint libraries) the whole block.
public enum GroupRole: String, Sendable, Hashable, CaseIterable {
    case attention, ffn, block
}

/// The proof status of a searched child.
public enum ChildStatus: String, Sendable, Hashable {
    /// Proven optimal over every configuration searched.
    case optimal
    /// The best found before a time limit; see the bound and gap.
    case feasible
}
