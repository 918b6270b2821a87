/// A multiple-choice knapsack problem with several resource rows.
///
/// Choose exactly one item in every group so that, for every row r,
/// `min_r <= sum_g weight(g, choice_g, r) <= max_r`, minimising (or maximising)
/// `sum_g value(g, choice_g)`. Pins force an item in a group; `forbidden` removes items.
/// The module knows nothing about LLMs: values and weights are plain numbers in whatever
/// units the caller uses (rows are compared in those units).
public struct Problem: Sendable, Equatable {
    /// Whether the total value is minimised or maximised.
    public enum Sense: String, Sendable, Equatable {
        case minimize, maximize
    }

    /// One choice: its value (objective contribution) and one weight per row.
    public struct Item: Sendable, Equatable {
        public var name: String
        public var value: Double
        /// Exactly `rows.count` weights, in row order.
        public var weights: [Double]
        public init(name: String, value: Double, weights: [Double]) {
            self.name = name
            self.value = value
            self.weights = weights
        }
    }

    /// A set of items of which exactly one is chosen.
    public struct Group: Sendable, Equatable {
        public var name: String
        public var items: [Item]
        public init(name: String, items: [Item]) {
            self.name = name
            self.items = items
        }
    }

    /// A resource row: `min <= sum of the chosen weights <= max`. `max` may be `.infinity`;
    /// `min` nil (or `-.infinity`) means no lower limit.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var max: Double
        public var min: Double?
        public init(name: String, max: Double, min: Double? = nil) {
            self.name = name
            self.max = max
            self.min = min
        }
    }

    /// A (group index, item index) pair, both 0-based into `groups` / `groups[g].items`.
    public struct Choice: Sendable, Equatable, Hashable {
        public var group: Int
        public var item: Int
        public init(group: Int, item: Int) {
            self.group = group
            self.item = item
        }
    }

    public var sense: Sense
    public var groups: [Group]
    public var rows: [Row]
    /// Forced choices: the group must take exactly this item.
    public var pins: [Choice]
    /// Items that must not be chosen.
    public var forbidden: [Choice]

    public init(sense: Sense = .minimize, groups: [Group], rows: [Row], pins: [Choice] = [], forbidden: [Choice] = []) {
        self.sense = sense
        self.groups = groups
        self.rows = rows
        self.pins = pins
        self.forbidden = forbidden
    }

    /// The largest magnitude a sum of values or of one row's weights may reach (1e300): far from
    /// the largest Double, so that the solver's sums, scalings and bounds stay finite.
    public static let maxMagnitude = 1e300

    /// Throws `ProblemError` (with a field path such as `groups[3].items[1].weights`) when the
    /// problem is malformed: no groups, an empty group, a non-finite value or weight, a wrong
    /// weight count, a NaN limit, `min > max`, a pin outside the problem, or
    /// magnitudes whose sums could overflow (`maxMagnitude`).
    public func validate() throws(ProblemError) {
        guard !groups.isEmpty else { throw ProblemError(path: "groups", "expected at least one group") }
        for (r, row) in rows.enumerated() {
            guard !row.max.isNaN, row.max != -.infinity else {
                throw ProblemError(path: "rows[\(r)].max", "expected a number or +infinity, found \(row.max)")
            }
            if let lo = row.min {
                guard !lo.isNaN, lo != .infinity else {
                    throw ProblemError(path: "rows[\(r)].min", "expected a finite number, found \(lo)")
                }
                guard lo <= row.max else {
                    throw ProblemError(path: "rows[\(r)]", "min \(lo) is greater than max \(row.max)")
                }
            }
        }
        for (g, group) in groups.enumerated() {
            guard !group.items.isEmpty else { throw ProblemError(path: "groups[\(g)].items", "group '\(group.name)' has no items") }
            for (i, item) in group.items.enumerated() {
                guard item.value.isFinite else {
                    throw ProblemError(path: "groups[\(g)].items[\(i)].value", "expected a finite number, found \(item.value)")
                }
                guard item.weights.count == rows.count else {
                    throw ProblemError(path: "groups[\(g)].items[\(i)].weights",
                        "expected \(rows.count) weights (one per row), found \(item.weights.count)")
                }
                for (r, w) in item.weights.enumerated() where !w.isFinite {
                    throw ProblemError(path: "groups[\(g)].items[\(i)].weights[\(r)]", "expected a finite number, found \(w)")
                }
            }
        }
        // Sums of the largest magnitudes must stay far from overflow (the solver adds and scales
        // them): a row or objective that could sum past 1e300 is refused rather than solved wrongly.
        var valueMagnitude = 0.0
        var weightMagnitude = [Double](repeating: 0, count: rows.count)
        for group in groups {
            valueMagnitude += group.items.reduce(0) { Swift.max($0, abs($1.value)) }
            for r in rows.indices { weightMagnitude[r] += group.items.reduce(0) { Swift.max($0, abs($1.weights[r])) } }
        }
        guard valueMagnitude <= Self.maxMagnitude else {
            throw ProblemError(path: "groups", "item values can sum to more than \(Self.maxMagnitude) in magnitude; expected smaller values (rescale them)")
        }
        for (r, m) in weightMagnitude.enumerated() where !(m <= Self.maxMagnitude) {
            throw ProblemError(path: "rows[\(r)]", "row '\(rows[r].name)': weights can sum to more than \(Self.maxMagnitude) in magnitude; expected smaller weights (rescale the row)")
        }
        for (r, row) in rows.enumerated() where abs(row.max) > Self.maxMagnitude && row.max.isFinite {
            throw ProblemError(path: "rows[\(r)].max", "expected a magnitude of at most \(Self.maxMagnitude) (or no max), found \(row.max)")
        }
        for (r, row) in rows.enumerated() {
            if let lo = row.min, abs(lo) > Self.maxMagnitude {
                throw ProblemError(path: "rows[\(r)].min", "expected a magnitude of at most \(Self.maxMagnitude), found \(lo)")
            }
        }
        for (name, list) in [("pins", pins), ("forbidden", forbidden)] {
            for (k, c) in list.enumerated() {
                guard c.group >= 0, c.group < groups.count else {
                    throw ProblemError(path: "\(name)[\(k)].group", "group index \(c.group) out of range 0..<\(groups.count)")
                }
                guard c.item >= 0, c.item < groups[c.group].items.count else {
                    throw ProblemError(path: "\(name)[\(k)].item", "item index \(c.item) out of range 0..<\(groups[c.group].items.count)")
                }
            }
        }
    }
}

/// A malformed problem: `path` locates the field (`groups[2].items[0].value`), `message` says
/// what was expected.
public struct ProblemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
