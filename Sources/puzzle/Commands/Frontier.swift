import PuzzleCore

/// `puzzle frontier`: not built yet (placeholder until its issue lands).
enum FrontierCommand {
    static func run(_ args: inout Arguments) throws {
        throw RuntimeFailure("frontier: not implemented yet")
    }
}
