import PuzzleCore

/// Dispatch and the error boundary: every error a command or library throws becomes one line on
/// stderr and an `ExitCode` (see `ErrorMessages`).
enum CLI {
    static let version = "0.2.0"

    typealias Command = @Sendable (inout Arguments) throws -> Void

    static let commands: [(name: String, summary: String, run: Command)] = [
        ("inspect", "per-layer parameters, KV heads and totals of a model, config or manifest", InspectCommand.run),
        ("cost", "predicted memory, throughput, TTFT and TPOT of a model on a GPU", CostCommand.run),
        ("library", "block libraries: init, demo, import, show, validate, merge", LibraryCommand.run),
        ("solve", "solve a multiple-choice knapsack problem given as JSON", SolveCommand.run),
        ("search", "the best child architecture under memory/throughput/latency budgets", SearchCommand.run),
        ("frontier", "every optimal child along a budget sweep (table, CSV, JSON, SVG)", FrontierCommand.run),
        ("compare", "manifests and configs side by side", CompareCommand.run),
        ("plot", "SVG charts of a manifest", PlotCommand.run),
    ]

    static var usage: String {
        var text = """
            puzzle \(version): hardware-aware block selection for LLMs (Puzzle-style search)

            usage: puzzle COMMAND [options]     (puzzle COMMAND --help for details)

            commands:

            """
        for c in commands { text += "  " + c.name.padding(9) + c.summary + "\n" }
        text += """

            MODEL arguments take a built-in parent (\(BuiltinNames.list)), a path to an HF/DeciLM
            config.json or a search manifest (FILE#K picks the K-th of a --diverse list), or - for stdin.
            --format json is available everywhere.
            Exit codes: 0 ok, 64 usage error, 65 bad input data, 1 other failure.

            """
        return text
    }

    static func run(_ argv: [String]) -> ExitCode {
        guard let first = argv.first else {
            Output.err("puzzle: missing COMMAND; expected one of \(commands.map(\.name).joined(separator: ", ")) (puzzle --help for usage)")
            return .usage
        }
        if first == "--help" || first == "-h" || first == "help" {
            Output.out(usage)
            return finish(.success, command: nil)
        }
        if first == "--version" {
            Output.out("puzzle \(version)\n")
            return finish(.success, command: nil)
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            Output.err("puzzle: unknown command \(Excerpt.quoted(first)); commands: \(commands.map(\.name).joined(separator: ", "))")
            return .usage
        }
        var args = Arguments(Array(argv.dropFirst()), command: first)
        do {
            try command.run(&args)
            return finish(.success, command: first)
        } catch let help as HelpRequested {
            Output.out(help.text)
            return finish(.success, command: first)
        } catch {
            let (message, code) = ErrorMessages.describe(error, command: first)
            Output.err(message)
            return code
        }
    }

    /// A command that succeeded but could not write its results fails after all (exit 1).
    static func finish(_ code: ExitCode, command: String?) -> ExitCode {
        if let failure = Output.stdoutFailure {
            Output.err("puzzle\(command.map { " " + $0 } ?? ""): \(failure.description)")
            return .failure
        }
        return code
    }
}

extension Arguments {
    /// Throws `HelpRequested` when `--help`/`-h` is present.
    mutating func help(_ text: String) throws(HelpRequested) {
        if (try? flag("--help", "-h")) == true { throw HelpRequested(text: text) }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
