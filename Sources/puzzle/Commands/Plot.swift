import PuzzleCore

/// `puzzle plot`: not built yet (placeholder until its issue lands).
enum PlotCommand {
    static func run(_ args: inout Arguments) throws {
        throw RuntimeFailure("plot: not implemented yet")
    }
}
