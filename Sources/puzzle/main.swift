import Foundation

// The `puzzle` command: parse arguments, call one library function, print.
// A closed pipe must be a write error (exit 1), not a SIGPIPE that kills the process.
signal(SIGPIPE, SIG_IGN)
Output.guardStandardStreams()
exit(CLI.run(Array(CommandLine.arguments.dropFirst())).rawValue)
