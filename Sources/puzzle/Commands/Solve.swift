import PuzzleCore

/// `puzzle solve`: not built yet (placeholder until its issue lands).
enum SolveCommand {
    static func run(_ args: inout Arguments) throws {
        throw RuntimeFailure("solve: not implemented yet")
    }
}
