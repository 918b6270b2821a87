import Foundation

// The `puzzle` command: parse arguments, call one library function, print.
exit(CLI.run(Array(CommandLine.arguments.dropFirst())))
