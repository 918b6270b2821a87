import ModelArchitecture
import BlockLibraries
import Foundation
import PuzzleCore
import Search

/// `puzzle search`: the best child architecture under the user's budgets.
enum SearchCommand {
    static let help = """
        usage: puzzle search --library LIB [costs] [budgets] [options] [-o MANIFEST] [--export CONFIG]
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
          --tp N|auto              tensor parallelism, 1 to 64 dividing the heads (default auto:
                                   each of 1, 2, 4, 8 is searched)
          --scenario ISL/OSL       serving scenario, repeatable: every scenario's budgets hold
                                   (default 128/1024)
          --batch N|auto           concurrent sequences, 1 to 1000000; auto (default) searches the
                                   batch size too: fewer KV heads fit a larger batch
          --scheduler P            guaranteed-no-evict (default: a sequence reserves ISL+OSL tokens
                                   of KV) or max-utilization (staggered: ISL+OSL/2 on average)
          --margin M               every cost-model budget must hold with margin M: 10% (throughput
                                   and speed-up predictions lowered by 10%, latencies raised by 10%),
                                   or p90 (each at its prediction band's edge; docs/cost-model.md)
        budgets (any combination):
          (every budget needs its unit: 80GiB, 40ms, 52B; units are case-insensitive)
          --max-memory 80GiB       per GPU (default: the GPU's capacity); TiB GiB MiB KiB TB GB MB KB B
          --min-throughput N       output tokens/s per GPU (5000, 5k, 5000tok/s)
          --speedup X              throughput per GPU >= X times the parent's (same GPU, dtype,
                                   scenario; each at its own best batch and TP)
          --max-latency 40ms       time per output token (TPOT); min s ms us ns
          --max-ttft 2s            time to first token
          --max-params 52B         total parameters; T B M K
          --max-active-params 3B   parameters per token (mixtures of experts count top-k experts)
          --max STAT=V, --min STAT=V   sums of the library's measured stats (e.g. memory_mib)
        options:
          --objective METRIC       default: the library's first metric, in its direction
          --diverse K --min-different D   K children, each differing from every earlier one in
                                   at least D groups (-o then writes a JSON array; MODEL FILE#K picks one)
          --pin LAYERS=VARIANT     keep only matching candidates (LAYERS: 5, 0-3, 1,7 or *); a pin
                                   must match a candidate in each of its layers
          --forbid LAYERS=VARIANT  drop matching candidates (must match somewhere)
          --engine vllm|trtllm|llamacpp   only variants that engine can run
          --time-limit T           stop early with the best child, its bound and gap (10, 500ms)
          --name NAME              the child's name (default: parent, budgets and GPU, e.g.
                                   llama-3.1-70b-2.2x-h100-sxm)
          -o FILE                  write the manifest (JSON) atomically
          --export FILE            write the child's config.json atomically in its family's format:
                                   DeciLM for Llama parents, puzzletron's AnyModel config (the
                                   family's HF config + block_configs) for Qwen, Mistral, Mixtral,
                                   gpt-oss (an infeasible search writes nothing and says so)
          --export-decilm FILE     the same, Llama parents only
          --export-puzzletron FILE write the child as puzzletron's solutions.json (what its
                                   realize step reads; [] when infeasible); needs a library
                                   imported from a puzzletron run
          --format table|json      json: the manifest (an array with --diverse) on stdout
          --layers                 the table view lists every layer's choice
          --quiet                  no progress on stderr; --progress: progress even when stderr is
                                   not a terminal (by default it shows on a terminal after 1 s)
          --no-timing              leave the solver's seconds out, so repeated runs print identical bytes

        Exit 0 with status optimal, feasible or infeasible (JSON) / a clear line (table);
        64 usage errors, 65 bad input data. Manifest keys: docs/formats.md.

        """

    static func run(_ args: inout Arguments) throws {
        try args.help(help)
        let format = try OutputFormat.parse(&args)
        let progress = try Progress.options(&args)
        let timing = !(try args.flag("--no-timing"))
        let perLayer = try args.flag("--layers")
        if perLayer && format == .json { throw UsageError("--layers has no effect with --format json (the manifest lists every layer)") }
        let manifestPath = try args.option("-o", "--output")
        let exportAny = try args.option("--export")
        let exportDeciLM = try args.option("--export-decilm")
        let exportPath = exportAny ?? exportDeciLM
        let puzzletronPath = try args.option("--export-puzzletron")
        let parsed = try SearchOptions.request(&args)
        if exportDeciLM != nil, parsed.request.library.parent.dimensions.family.descriptor.childFormat != .decilm {
            throw UsageError("--export-decilm: a \(parsed.request.library.parent.dimensions.family.rawValue) child is written as its AnyModel config; use --export FILE")
        }
        try args.noPositionals()
        let request = parsed.request

        var outcome = try Searcher.run(request, progress: progress.reporter())
        // The manifests (and a demo library's digest in them) only where they are written.
        var manifests: [JSONValue] = []
        if manifestPath != nil || format == .json {
            outcome.request.librarySHA256 = parsed.libraryDigest()
            manifests = outcome.children.isEmpty
                ? [Manifest.json(outcome, child: nil, timing: timing)]
                : outcome.children.map { Manifest.json(outcome, child: $0, timing: timing) }
        }

        if let manifestPath {
            let value: JSONValue = request.diverseCount > 1 ? .array(manifests) : manifests[0]
            try FileIO.writeAtomically(JSONWriter.string(value) + "\n", to: manifestPath)
        }
        if let exportPath {
            if let child = outcome.children.first {
                try FileIO.writeAtomically(ConfigWriter.childConfigText(child.architecture), to: exportPath)
                if outcome.children.count > 1 {
                    Output.err("puzzle search: note: --export wrote the first of \(outcome.children.count) children to \(exportPath)")
                }
            } else {
                Output.err("puzzle search: no child meets the budgets: wrote nothing to \(exportPath)")
            }
        }
        if let puzzletronPath {
            try FileIO.writeAtomically(try PuzzletronExport.solutionsText(outcome), to: puzzletronPath)
        }
        switch format {
        case .json:
            Output.json(request.diverseCount > 1 ? .array(manifests) : manifests[0])
        default:
            Output.out(SearchReport.table(outcome, costs: parsed.costs, perLayer: perLayer, timing: timing))
        }
    }
}

/// Progress lines on stderr: with `--progress` always; otherwise only when stderr is a terminal,
/// and only once a run has taken more than a second (so quick runs stay quiet). `--quiet` silences them.
struct Progress {
    var mode: Mode
    enum Mode { case off, afterOneSecond, always }

    static func options(_ args: inout Arguments) throws(UsageError) -> Progress {
        let quiet = try args.flag("--quiet", "-q")
        let always = try args.flag("--progress")
        if quiet && always { throw UsageError("--quiet and --progress contradict each other; give one") }
        if always { return Progress(mode: .always) }
        if quiet || !Output.stderrIsTerminal { return Progress(mode: .off) }
        return Progress(mode: .afterOneSecond)
    }

    func reporter() -> (@Sendable (String) -> Void)? {
        switch mode {
        case .off: return nil
        case .always: return { line in Output.err(line) }
        case .afterOneSecond:
            let start = DispatchTime.now().uptimeNanoseconds
            return { line in
                if DispatchTime.now().uptimeNanoseconds - start > 1_000_000_000 { Output.err(line) }
            }
        }
    }
}
