import PuzzleCore

/// `puzzle library`: not built yet (placeholder until its issue lands).
enum LibraryCommand {
    static func run(_ args: inout Arguments) throws {
        throw RuntimeFailure("library: not implemented yet")
    }
}
