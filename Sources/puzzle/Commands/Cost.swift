import PuzzleCore

/// `puzzle cost`: not built yet (placeholder until its issue lands).
enum CostCommand {
    static func run(_ args: inout Arguments) throws {
        throw RuntimeFailure("cost: not implemented yet")
    }
}
