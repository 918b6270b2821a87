import Foundation
import TestSupport

/// Runs the built `puzzle` binary (it sits beside the test bundle in the build folder) through
/// the tests' one process runner.
struct CLIRunner {
    typealias Result = ProcessRunner.Result

    static let repository = SharedData.repository
    static func sharedFile(_ relative: String) -> String { SharedData.path(relative) }
    static var sharedAvailable: Bool { SharedData.available("README.md") }

    static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["PUZZLE_BIN"] { return explicit }
        var candidates: [String] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0])
        // The test bundle: .build/<triple>/debug/puzzlePackageTests.xctest (or a directory on macOS).
        var dir = argv0.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("puzzle").path)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(repository.appendingPathComponent(".build/debug/puzzle").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    /// Runs `puzzle args...` with `stdin` piped in; the working directory is the repository
    /// unless `directory` is given.
    static func run(_ args: [String], stdin: String? = nil, in directory: URL? = nil, timeoutSeconds: Double = 300) throws -> Result {
        try ProcessRunner.run(binary, args, stdin: stdin.map { Array($0.utf8) }, directory: directory ?? repository,
            timeoutSeconds: timeoutSeconds)
    }

    /// A fresh scratch directory.
    static func scratch() throws -> URL { try SharedData.scratch("puzzle-cli") }
}
