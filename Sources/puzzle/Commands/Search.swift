import PuzzleCore

/// `puzzle search`: not built yet (placeholder until its issue lands).
enum SearchCommand {
    static func run(_ args: inout Arguments) throws {
        throw RuntimeFailure("search: not implemented yet")
    }
}
