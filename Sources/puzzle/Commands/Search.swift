import ModelArchitecture
import BlockLibraries
import Foundation
import PuzzleCore
import Search

/// `puzzle search`: the best child architecture under the user's budgets.
enum SearchCommand {
    static let help = """
        usage: puzzle search --library LIB [costs] [budgets] [options] [-o MANIFEST] [--export-decilm CONFIG]
                             [--export-puzzletron SOLUTIONS]

        Picks one candidate per layer (per attention/FFN group for decoupled libraries) so that
        the child's summed score is optimal under every budget, proves it, and prints the result.

        library:
          --library LIB            a block library (any format `puzzle library` reads, - for stdin,
                                   a puzzletron run directory), or demo[:MODEL] for the built-in
                                   synthetic demo library
          --from FORMAT --parent MODEL --stats-args K=V,...   as in `puzzle library import`
        costs:
          --costs model|measured   predicted by the cost model (default), or the library's stats;
                                   for a library measured by puzzletron, --max-memory,
                                   --min-throughput, --max-latency (one measured batch, end to
                                   end: puzzletron's target_latency_seconds) and --max-ttft are
                                   computed from its stats as puzzletron's MIP does
                                   (docs/formats.md)
          --gpu NAME | --gpu-file F   GPU profile (default h100-sxm; see `puzzle cost --help`)
          --dtype bf16|fp16|fp8    weights and activations (default fp8); --kv-dtype for the cache
          --tp N|auto              tensor parallelism (default auto: 1, 2, 4, 8)
          --scenario ISL/OSL       serving scenario, repeatable: every scenario's budgets hold
                                   (default 128/1024)
          --batch N|auto           concurrent sequences; auto (default) searches the batch size
                                   too: fewer KV heads fit a larger batch
        budgets (any combination):
          --max-memory 80GiB       per GPU (default: the GPU's capacity)
          --min-throughput N       output tokens/s per GPU
          --speedup X              throughput per GPU >= X times the parent's (same GPU, dtype,
                                   scenario; each at its own best batch and TP)
          --max-latency 40ms       time per output token (TPOT)
          --max-ttft 2s            time to first token
          --max-params 52B         total parameters
          --max STAT=V, --min STAT=V   sums of the library's measured stats (e.g. memory_mib)
        options:
          --objective METRIC       default: the library's first metric, in its direction
          --diverse K --min-different D   K children, each differing from every earlier one in
                                   at least D groups
          --pin LAYERS=VARIANT     keep only matching candidates (LAYERS: 5, 0-3, 1,7 or *)
          --forbid LAYERS=VARIANT  drop matching candidates
          --engine vllm|trtllm|llamacpp   only variants that engine can run
          --time-limit SECONDS     stop early with the best child, its bound and gap
          --name NAME              the child's name
          -o FILE                  write the manifest (JSON) atomically
          --export-decilm FILE     write the child's DeciLM config.json atomically
          --export-puzzletron FILE write the child as puzzletron's solutions.json (what its
                                   realize step reads; [] when infeasible); needs a library
                                   imported from a puzzletron run
          --format table|json      json: the manifest (an array with --diverse) on stdout
          --layers                 the table view lists every layer's choice
          --quiet                  no progress on stderr

        Exit 0 with status optimal, feasible or infeasible (JSON) / a clear line (table);
        64 usage errors, 65 bad input data. Manifest keys: docs/formats.md.

        """

    static func run(_ args: inout Arguments) throws {
        try args.help(help)
        let format = try OutputFormat.parse(&args)
        let quiet = args.flag("--quiet", "-q")
        let perLayer = args.flag("--layers")
        let manifestPath = try args.option("-o", "--output")
        let exportPath = try args.option("--export-decilm")
        let puzzletronPath = try args.option("--export-puzzletron")
        let request = try SearchOptions.request(&args, command: "search")
        try args.finish()
        let positional = try args.positionals()
        if !positional.isEmpty { throw UsageError("search: unexpected argument \(positional[0])") }

        let progress = Progress.reporter(quiet: quiet)
        let outcome = try Searcher.run(request, progress: progress)
        let manifests: [JSONValue] = outcome.children.isEmpty
            ? [Manifest.json(outcome, child: nil)] : outcome.children.map { Manifest.json(outcome, child: $0) }

        if let manifestPath {
            let value: JSONValue = manifests.count == 1 ? manifests[0] : .array(manifests)
            try FileIO.writeAtomically(JSONWriter.string(value) + "\n", to: manifestPath)
        }
        if let exportPath, let child = outcome.children.first {
            try FileIO.writeAtomically(ConfigWriter.decilmConfigText(child.architecture), to: exportPath)
        }
        if let puzzletronPath {
            try FileIO.writeAtomically(try PuzzletronExport.solutionsText(outcome), to: puzzletronPath)
        }
        switch format {
        case .json:
            Output.json(request.diverseCount > 1 ? .array(manifests) : manifests[0])
        default:
            Output.out(SearchReport.table(outcome, perLayer: perLayer))
        }
    }
}

/// Progress lines on stderr, only when it is a terminal and not `--quiet`.
enum Progress {
    static func reporter(quiet: Bool) -> (@Sendable (String) -> Void)? {
        guard !quiet, Output.stderrIsTerminal else { return nil }
        return { line in Output.err(line) }
    }
}
