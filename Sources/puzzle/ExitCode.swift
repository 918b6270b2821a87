/// The process exit codes (sysexits.h where one fits).
enum ExitCode: Int32 {
    /// Success, including an `infeasible` answer (it is an answer).
    case success = 0
    /// Anything that is neither bad usage nor bad data: an output that cannot be written, a model
    /// that does not fit the GPU, an internal error.
    case failure = 1
    /// EX_USAGE: the command was called wrongly (unknown option, a value without its unit, ...).
    case usage = 64
    /// EX_DATAERR: an input file is malformed or inconsistent.
    case data = 65
}

/// A mistake in how a command was called: an unknown option, a bad or missing value, an option
/// that would change nothing. Only the executable throws it. Exit 64.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// A failure of the run that is not the user's input (exit 1), with its message.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Thrown by a command that was asked for `--help`: its text goes to stdout, exit 0.
struct HelpRequested: Error {
    var text: String
}
