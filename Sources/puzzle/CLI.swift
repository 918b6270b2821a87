import PuzzleCore
import Search

/// Dispatch and exit codes: 0 success, 64 usage error, 65 bad data, 1 other failure.
enum CLI {
    static let version = "0.1.0"

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
            config.json or a search manifest, or - for stdin. --format json is available everywhere.
            Exit codes: 0 ok, 64 usage error, 65 bad input data, 1 other failure.

            """
        return text
    }

    static func run(_ argv: [String]) -> Int32 {
        guard let first = argv.first else {
            Output.err(usage)
            return 64
        }
        if first == "--help" || first == "-h" || first == "help" {
            Output.out(usage)
            return 0
        }
        if first == "--version" {
            Output.out("puzzle \(version)\n")
            return 0
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            Output.err("puzzle: unknown command '\(first)'; commands: \(commands.map(\.name).joined(separator: ", "))")
            return 64
        }
        var args = Arguments(Array(argv.dropFirst()), command: first)
        do {
            try command.run(&args)
            return 0
        } catch let e as UsageError {
            Output.err("puzzle \(e.message)")
            return 64
        } catch let e as DataError {
            Output.err("puzzle: \(e.description)")
            return 65
        } catch let e as MeasuredCostError {
            Output.err("puzzle: \(first): \(e.description)")
            switch e {
            case .needsCostModel, .needsMeasuredCosts: return 64
            default: return 65
            }
        } catch let e as PuzzletronExportError {
            Output.err("puzzle: \(first): --export-puzzletron: \(e.description)")
            return 65
        } catch let e as RuntimeFailure {
            Output.err("puzzle: \(e.message)")
            return 1
        } catch let e as HelpRequested {
            Output.out(e.text)
            return 0
        } catch {
            Output.err("puzzle: \(error)")
            return 1
        }
    }
}

/// Thrown by a command that was asked for `--help`: its text goes to stdout, exit 0.
struct HelpRequested: Error {
    var text: String
}

extension Arguments {
    /// Throws `HelpRequested` when `--help`/`-h` is present.
    mutating func help(_ text: String) throws(HelpRequested) {
        if flag("--help", "-h") { throw HelpRequested(text: text) }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
