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
