import Foundation

/// Runs a program with arguments, optional standard input and a time limit; collects its exit
/// status (or the signal that ended it) and both outputs. The one process runner of the tests.
public enum ProcessRunner {
    public struct Result: Sendable {
        /// The exit status, or the signal number when `signaled`.
        public var status: Int32
        public var signaled: Bool
        public var timedOut: Bool
        public var stdout: String
        public var stderr: String
    }

    /// - Parameters:
    ///   - stdin: bytes piped to standard input (nil: an empty pipe, closed at once).
    ///   - timeoutSeconds: the process is killed after this long (`timedOut` is then true).
    public static func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil, directory: URL? = nil,
        timeoutSeconds: Double = 120) throws -> Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Drain both outputs on their own threads, so that neither pipe can fill and block.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let stdin, !stdin.isEmpty {
            // A child that exits without reading its input must not take the test process down
            // with SIGPIPE, nor trap FileHandle.write: the write just fails.
            signal(SIGPIPE, SIG_IGN)
            DispatchQueue.global().async {
                try? input.fileHandleForWriting.write(contentsOf: Data(stdin))
                try? input.fileHandleForWriting.close()
            }
        } else {
            try? input.fileHandleForWriting.close()
        }
        var timedOut = false
        if group.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            timedOut = true
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            _ = group.wait(timeout: .now() + 5)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// The built `puzzle` binary the end-to-end tests run: `PUZZLE_BIN` when set, else the one beside
/// the test bundle in the build folder, else `.build/debug/puzzle`.
public enum PuzzleBinary {
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["PUZZLE_BIN"] { return explicit }
        var candidates: [String] = []
        // The test bundle: .build/<triple>/debug/puzzlePackageTests.xctest (or a directory on macOS).
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("puzzle").path)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(SharedData.repository.appendingPathComponent(".build/debug/puzzle").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    /// Whether the binary exists (end-to-end suites are skipped when it does not).
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs `puzzle arguments...` from the repository root (or `directory`).
    public static func run(_ arguments: [String], stdin: String? = nil, directory: URL? = nil, timeoutSeconds: Double = 300) throws
        -> ProcessRunner.Result
    {
        try ProcessRunner.run(path, arguments, stdin: stdin.map { Array($0.utf8) }, directory: directory ?? SharedData.repository,
            timeoutSeconds: timeoutSeconds)
    }
}
