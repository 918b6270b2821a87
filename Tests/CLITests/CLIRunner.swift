import Foundation
import TestSupport

/// Runs the built `puzzle` binary (it sits beside the test bundle in the build folder) through
/// the tests' one process runner.
struct CLIRunner {
    typealias Result = ProcessRunner.Result

    static let repository = SharedData.repository
    static func sharedFile(_ relative: String) -> String { SharedData.path(relative) }
    static var sharedAvailable: Bool { SharedData.available("README.md") }

    static var binary: String { PuzzleBinary.path }

    /// Runs `puzzle args...` with `stdin` piped in; the working directory is the repository
    /// unless `directory` is given.
    static func run(_ args: [String], stdin: String? = nil, in directory: URL? = nil, timeoutSeconds: Double = 300) throws -> Result {
        try ProcessRunner.run(binary, args, stdin: stdin.map { Array($0.utf8) }, directory: directory ?? repository,
            timeoutSeconds: timeoutSeconds)
    }

    /// A fresh scratch directory.
    static func scratch() throws -> URL { try SharedData.scratch("puzzle-cli") }
}
