/// The answer to a `Problem`.
///
/// `objective` and `bound` are in the problem's sense: for minimisation `bound <= objective`,
/// for maximisation `bound >= objective`. `gap = |objective - bound| / max(|objective|, 1e-300)`
/// (0 when optimal).
public struct Solution: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        /// Proven optimal within the documented tolerance (see `Tolerance`).
        case optimal
        /// A verified solution, not proven optimal (the time limit stopped the search).
        case feasible
        /// Proven that no choice satisfies every row, pin and diversity requirement.
        case infeasible
        /// The time limit stopped the search before any feasible solution was found.
        case unknown
    }

    /// Why a problem is infeasible: a row that cannot be met and the best achievable value of
    /// its weight sum given all other requirements (the least sum for a `max` violation, the
    /// greatest for a `min` violation); or `row == nil` when pins/diversity alone make it so.
    public struct Infeasibility: Sendable, Equatable {
        /// Index into `Problem.rows`, nil when the cause is not a single row.
        public var row: Int?
        public var rowName: String?
        /// True when the row's `min` cannot be reached, false when its `max` cannot be met.
        public var isMinimum: Bool
        /// Least achievable sum (max violated) or greatest achievable sum (min violated).
        public var achievable: Double?
        /// One-line explanation.
        public var message: String
        public init(row: Int?, rowName: String?, isMinimum: Bool, achievable: Double?, message: String) {
            self.row = row
            self.rowName = rowName
            self.isMinimum = isMinimum
            self.achievable = achievable
            self.message = message
        }
    }

    public var status: Status
    /// Total value of `choices` (summed in group order); NaN when there is no solution.
    public var objective: Double
    /// Proven bound on the optimum (equals `objective` when optimal).
    public var bound: Double
    /// Relative gap between objective and bound; 0 when optimal, NaN without a solution.
    public var gap: Double
    /// The chosen item index of every group (empty when there is no solution).
    public var choices: [Int]
    /// Branch-and-bound nodes visited.
    public var nodes: Int
    /// Solve time in seconds (wall clock, this solve only).
    public var seconds: Double
    /// Set when `status == .infeasible`.
    public var infeasibility: Infeasibility?
    /// The weight sum of every row at `choices` (empty without a solution).
    public var rowSums: [Double]
    /// The root Lagrangian (LP-relaxation) bound in the problem's sense; NaN when not computed.
    public var rootBound: Double = .nan

    public init(status: Status, objective: Double, bound: Double, gap: Double, choices: [Int], nodes: Int,
                seconds: Double, infeasibility: Infeasibility? = nil, rowSums: [Double] = []) {
        self.status = status
        self.objective = objective
        self.bound = bound
        self.gap = gap
        self.choices = choices
        self.nodes = nodes
        self.seconds = seconds
        self.infeasibility = infeasibility
        self.rowSums = rowSums
    }

    /// True for `.optimal` and `.feasible`.
    public var hasSolution: Bool { status == .optimal || status == .feasible }
}

/// Options of one solve.
public struct SolveOptions: Sendable, Equatable {
    /// Wall-clock limit in seconds for one solve (nil: none). On expiry the best verified
    /// solution is returned as `.feasible` with the proven bound and gap.
    public var timeLimitSeconds: Double?
    /// Relative objective tolerance: a node is pruned when its bound is within
    /// `objectiveTolerance * scale` of the incumbent, `scale = max(1, sum_g max_i |value|)`.
    public var objectiveTolerance: Double
    /// Relative feasibility tolerance of every row: a sum may exceed `max` (or fall short of
    /// `min`) by `feasibilityTolerance * max(|limit|, sum_g max_i |weight|)`.
    public var feasibilityTolerance: Double
    /// Explain infeasible answers (solves one auxiliary problem per row). Default true.
    public var explainInfeasibility: Bool
    /// Only solutions strictly better than this objective are wanted (nil: any). When the root
    /// Lagrangian bound proves that none exists (up to `objectiveTolerance * scale`), the solve
    /// stops at once; otherwise branch and bound treats the cutoff as the incumbent's cost
    /// (prunes every node whose bound cannot beat it, drops heuristic solutions that do not).
    /// Either way, when nothing beats it the status is `.infeasible` with an infeasibility whose
    /// `row` is nil and a finite `bound` (the root bound, or the cutoff itself): a bound that
    /// stays valid when the problem is tightened. A real infeasibility has a NaN bound. Used to
    /// skip configurations that cannot beat a child already found elsewhere.
    public var cutoff: Double? = nil

    public init(timeLimitSeconds: Double? = nil, objectiveTolerance: Double = 1e-9, feasibilityTolerance: Double = 1e-9,
                explainInfeasibility: Bool = true) {
        self.timeLimitSeconds = timeLimitSeconds
        self.objectiveTolerance = objectiveTolerance
        self.feasibilityTolerance = feasibilityTolerance
        self.explainInfeasibility = explainInfeasibility
    }
}
