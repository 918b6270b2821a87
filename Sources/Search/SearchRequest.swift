import ModelArchitecture
import BlockLibraries
import PuzzleCore

/// Everything `puzzle search` needs: the library, where costs come from, the budgets and the
/// solver settings.
public struct SearchRequest: Sendable {
    public var library: BlockLibrary
    /// The library file as the user named it and its SHA-256 (recorded in the manifest).
    public var libraryPath: String
    public var librarySHA256: String
    /// The metric to optimise, in its direction.
    public var objective: Metric
    /// Predicted costs (GPU, dtype, TP, scenarios, batch), or nil for the library's measured stats.
    public var model: ModelCostSettings?
    public var constraints: [Constraint]
    public var pins: [VariantRule]
    public var forbids: [VariantRule]
    public var engine: Engine?
    /// K diverse children, each differing from every earlier one in at least `minDifferent` groups.
    public var diverseCount: Int
    public var minDifferent: Int
    public var timeLimitSeconds: Double?
    /// A name for the child (default: the parent, the budgets and the GPU).
    public var childName: String?
    /// Whether the configurations of a round are solved on several cores (the answer is the same
    /// either way: see `ConfigurationSweep.roundSize`); false runs them one after another.
    public var concurrent: Bool = true
    /// Every cost-model budget must hold with this margin (nil: predictions taken as exact).
    public var margin: Margin?

    public init(library: BlockLibrary, libraryPath: String, librarySHA256: String, objective: Metric,
        model: ModelCostSettings?, constraints: [Constraint], pins: [VariantRule] = [], forbids: [VariantRule] = [],
        engine: Engine? = nil, diverseCount: Int = 1, minDifferent: Int = 1, timeLimitSeconds: Double? = nil,
        childName: String? = nil, margin: Margin? = nil)
    {
        self.library = library
        self.libraryPath = libraryPath
        self.librarySHA256 = librarySHA256
        self.objective = objective
        self.model = model
        self.constraints = constraints
        self.pins = pins
        self.forbids = forbids
        self.engine = engine
        self.diverseCount = diverseCount
        self.minDifferent = minDifferent
        self.timeLimitSeconds = timeLimitSeconds
        self.childName = childName
        self.margin = margin
    }
}
