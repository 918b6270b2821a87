import Foundation
import PuzzleCore

/// Results go to stdout, diagnostics and progress to stderr. Writes go through `write(2)`: a
/// closed or full stream is remembered (the command then ends with exit 1), never a trap.
enum Output {
    /// The first failed write to standard output, if any.
    nonisolated(unsafe) static var stdoutFailure: WriteError?
    /// Which of stdin, stdout, stderr were closed when the process started.
    nonisolated(unsafe) static var closedAtStart: [Bool] = [false, false, false]

    /// Notes closed standard streams and plugs each with /dev/null, so that no file the command
    /// opens later lands on descriptor 0, 1 or 2 (output meant for stdout would go into it).
    static func guardStandardStreams() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 {
            closedAtStart[Int(fd)] = true
            let plug = open("/dev/null", O_RDWR)
            if plug >= 0 && plug != fd {
                dup2(plug, fd)
                close(plug)
            }
        }
    }

    static func out(_ text: String) {
        guard stdoutFailure == nil else { return }
        if closedAtStart[1] {
            stdoutFailure = WriteError(path: "<stdout>", reason: "standard output is closed")
            return
        }
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

extension Output {
    /// A command's result: to `path` atomically, or to stdout when `path` is nil or `-`.
    static func emit(_ text: String, to path: String?) throws(WriteError) {
        if let path, path != "-" { try FileIO.writeAtomically(text, to: path) } else { out(text) }
    }
}
