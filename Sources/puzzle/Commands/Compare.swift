import PuzzleCore

/// `puzzle compare`: not built yet (placeholder until its issue lands).
enum CompareCommand {
    static func run(_ args: inout Arguments) throws {
        throw RuntimeFailure("compare: not implemented yet")
    }
}
