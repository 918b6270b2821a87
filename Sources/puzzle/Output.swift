import Foundation
import PuzzleCore

/// Results go to stdout, diagnostics and progress to stderr. Writes go through `write(2)`: a
/// closed or full stream is remembered (the command then ends with exit 1), never a trap.
enum Output {
    /// The first failed write to standard output, if any.
    nonisolated(unsafe) static var stdoutFailure: WriteError?

    static func out(_ text: String) {
        guard stdoutFailure == nil else { return }
        if let code = FileIO.writeAll(Array(text.utf8), fd: 1) {
            stdoutFailure = WriteError(path: "<stdout>", reason: FileIO.reason(code))
        }
    }

    static func json(_ value: JSONValue) {
        out(JSONWriter.string(value) + "\n")
    }

    /// One diagnostic line; a failure to write it is ignored (there is nowhere left to say it).
    static func err(_ text: String) {
        _ = FileIO.writeAll(Array((text.hasSuffix("\n") ? text : text + "\n").utf8), fd: 2)
    }

    /// Whether stderr is a terminal (progress is shown then, or with --progress).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
