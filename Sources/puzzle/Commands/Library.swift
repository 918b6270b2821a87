import ModelArchitecture
import BlockLibraries
import PuzzleCore

/// `puzzle library init|demo|import|show|validate|merge`
enum LibraryCommand {
    static let help = """
        usage: puzzle library SUBCOMMAND [options]

          init --parent MODEL [--attention LIST] [--ffn LIST] [--metric NAME[:lower|higher]]...
               [--template csv] [-o FILE]
              The unscored candidate space (native JSON), by default the paper's: attention 8, 4,
              2, 1 KV heads, linear, noop; FFN 100, 87, 75, 50, 25, 20, 10 percent (DeciLM
              rounding), linear, noop. --attention 8,2,noop and --ffn 100%,50%,ffn:7168,noop choose
              others. --template csv prints the layer,subblock,variant,metric,value rows a scoring
              pipeline must fill (metrics from --metric, default kl_div).
          demo [--parent MODEL] [--seed N] [-o FILE]
              A synthetic scored library (decoupled, metrics kl_div and mmlu) over the paper's
              space for a built-in parent (default llama-3.1-70b). Its metadata says synthetic:
              the scores are generated, not measured (generator: docs/formats.md).
          import FILE [--from FORMAT] [--parent MODEL] [--direction METRIC=lower|higher]...
                 [--stats-args KEY=VALUE,...] [-o OUT]
              Converts any supported format to native JSON. One scoring job's part may be partial
              (some layers or scores missing: a note says so); `merge` unites the parts. FILE may
              be a puzzletron run directory: scores from its replace-one-block validation, measured
              costs from subblock_stats.json; --stats-args picks its measurement scenario (e.g.
              batch_size=96,weights_dtype=torch.bfloat16; default: the one the run's MIP used).
          show FILE [--from FORMAT] [--parent MODEL] [--metric NAME] [--format table|json]
              Per layer: layout, candidates, best and worst whole block and the score range for
              the metric (default: the library's first).
          validate FILE... [--from FORMAT] [--parent MODEL] [--format table|json]
              Full validation; one line per valid file; the first problem exits 65.
          merge FILE... [--from FORMAT] [--parent MODEL] [--partial] [-o OUT]
              Unites libraries scored in separate jobs (same parent; conflicting duplicates are
              an error) and validates the result (--partial: allow missing layers/scores).

        --format json: show prints {parent, parentLayers, metrics [{name, direction}], metric,
        candidates, stats [names], measurement, synthetic, layers [{layer, layout, groups [{name,
        candidates}], best {variant, attention, ffn, score}, worst {...}}]}; validate prints
        [{file, valid, parent, layers, candidates, metrics, synthetic}].

        FILE: a path, a directory (a puzzletron run) or - for stdin. FORMAT: auto (default), native,
        nvlabs, csv, jsonl, records (hand-written records in puzzletron's block-config spelling),
        puzzletron (a Model-Optimizer puzzletron run directory, its puzzle_dir).
        Without -o the library goes to stdout; -o writes atomically (temporary file, then rename).
        CSV, JSON lines and records name no parent: pass --parent. A puzzletron run's parent is its
        ckpts/teacher/config.json. NVlabs files get their parent guessed from layer count and
        sizes when --parent is absent (a note on stderr). Formats: docs/formats.md.

        """

    static func run(_ args: inout Arguments) throws {
        let sub = args.popSubcommand()
        switch sub {
        case "init": try runInit(&args)
        case "demo": try runDemo(&args)
        case "import": try runImport(&args)
        case "show": try runShow(&args)
        case "validate": try runValidate(&args)
        case "merge": try runMerge(&args)
        case "help"?:
            throw HelpRequested(text: help)
        case nil:
            try args.help(help)
            throw UsageError("missing SUBCOMMAND (init, demo, import, show, validate, merge)")
        case let other?:
            throw UsageError("unknown subcommand \(Excerpt.quoted(other)); expected init, demo, import, show, validate or merge")
        }
    }

    // MARK: subcommands

    static func runInit(_ args: inout Arguments) throws {
        try args.help(help)
        guard let parentSpec = try args.option("--parent") else { throw UsageError("init: --parent MODEL is required") }
        let attentionSpecs = try args.options("--attention")
        let ffnSpecs = try args.options("--ffn")
        let metricSpecs = try args.options("--metric")
        let template = try args.option("--template")
        let output = try args.option("-o", "--output")
        try args.noPositionals()
        let parent = try ModelInput.load(parentSpec).architecture
        var space = CandidateSpace.paper(parent: parent)
        if !attentionSpecs.isEmpty { space.attention = try CandidateSpace.parseAttention(attentionSpecs, parent: parent) }
        if !ffnSpecs.isEmpty { space.ffn = try CandidateSpace.parseFFN(ffnSpecs, parent: parent) }
        let metrics = try parseMetrics(metricSpecs.isEmpty ? ["kl_div"] : metricSpecs)
        let text: String
        switch template {
        case nil:
            text = space.library(parent: parent, metrics: metricSpecs.isEmpty ? [] : metrics).nativeJSON
        case "csv"?:
            text = space.csvTemplate(parent: parent, metrics: metrics.map(\.name))
        case let other?:
            throw UsageError("init: --template \(Excerpt.quoted(other)): expected csv")
        }
        try Output.emit(text, to: output)
    }

    static func runDemo(_ args: inout Arguments) throws {
        try args.help(help)
        let parentSpec = try args.option("--parent") ?? "llama-3.1-70b"
        let seed = try args.option("--seed", expected: "a non-negative integer") { UInt64($0) } ?? 1
        let output = try args.option("-o", "--output")
        try args.noPositionals()
        let parent = try ModelInput.load(parentSpec).architecture
        try Output.emit(DemoLibrary.generate(parent: parent, seed: seed).nativeJSON, to: output)
    }

    static func runImport(_ args: inout Arguments) throws {
        try args.help(help)
        let (format, options) = try readOptions(&args)
        let output = try args.option("-o", "--output")
        let file = try args.single("FILE")
        // One scoring job's part is a partial library: imported as it is, then united by `merge`
        // (which validates the whole); the note says so.
        let library = try BlockLibrary.load(file, format: format, options: options, complete: false)
        noteGuess(library, file: file)
        if (try? library.validate(file: FileIO.displayName(file), complete: true)) == nil {
            let count = library.layers.count
            Output.err("puzzle library import: note: \(FileIO.displayName(file)) is a partial library (\(count) of \(library.parent.layers.count) layers, or scores missing); unite all parts with 'puzzle library merge' before searching")
        }
        try Output.emit(library.nativeJSON, to: output)
    }

    static func runShow(_ args: inout Arguments) throws {
        try args.help(help)
        let (format, options) = try readOptions(&args)
        let metricName = try args.option("--metric")
        let outputFormat = try OutputFormat.parse(&args)
        let file = try args.single("FILE")
        let library = try BlockLibrary.load(file, format: format, options: options, complete: false)
        noteGuess(library, file: file)
        let metric: Metric?
        if let metricName {
            guard let m = library.metric(named: metricName) else {
                throw UsageError("show: --metric \(Excerpt.quoted(metricName)): the library has \(library.metrics.map(\.name).joined(separator: ", "))")
            }
            metric = m
        } else {
            metric = library.metrics.first
        }
        let summary = LibrarySummary(library, metric: metric)
        switch outputFormat {
        case .json: Output.json(summary.json)
        default: Output.out(summary.table(file: FileIO.displayName(file)))
        }
    }

    static func runValidate(_ args: inout Arguments) throws {
        try args.help(help)
        let (format, options) = try readOptions(&args)
        let outputFormat = try OutputFormat.parse(&args)
        let files = try args.positionals()
        guard !files.isEmpty else { throw UsageError("validate: missing FILE") }
        guard files.filter({ $0 == "-" }).count <= 1 else { throw UsageError("validate: stdin (-) can be read only once") }
        var results: [JSONValue] = []
        for file in files {
            let library = try BlockLibrary.load(file, format: format, options: options)
            let name = FileIO.displayName(file)
            let metrics = library.metrics.map { "\($0.name) (\($0.direction.rawValue))" }.joined(separator: ", ")
            if outputFormat == .json {
                results.append([
                    "file": .string(name), "valid": .bool(true), "parent": .string(library.parent.name),
                    "layers": .number(library.layers.count), "candidates": .number(library.candidateCount),
                    "metrics": .array(library.metrics.map { .string($0.name) }), "synthetic": .bool(library.isSynthetic),
                ])
            } else {
                Output.out("\(name): valid: parent \(library.parent.name), \(library.layers.count) layers, \(library.candidateCount) candidates, metrics \(metrics.isEmpty ? "none (unscored)" : metrics)\(library.isSynthetic ? ", synthetic" : "")\n")
            }
        }
        if outputFormat == .json { Output.json(.array(results)) }
    }

    static func runMerge(_ args: inout Arguments) throws {
        try args.help(help)
        let (format, options) = try readOptions(&args)
        let partial = try args.flag("--partial")
        let output = try args.option("-o", "--output")
        let files = try args.positionals()
        guard !files.isEmpty else { throw UsageError("merge: missing FILE...") }
        guard files.filter({ $0 == "-" }).count <= 1 else { throw UsageError("merge: stdin (-) can be read only once") }
        var merged: BlockLibrary?
        for file in files {
            let library = try BlockLibrary.load(file, format: format, options: options, complete: false)
            if merged == nil {
                merged = library
            } else {
                try merged?.merge(library, file: FileIO.displayName(file))
            }
        }
        guard var result = merged else { return }
        result.metadata["merged_from"] = .array(files.map { .string(FileIO.displayName($0)) })
        try result.validate(file: "merged result of \(files.map(FileIO.displayName).joined(separator: " + "))", complete: !partial)
        try Output.emit(result.nativeJSON, to: output)
    }

    // MARK: helpers

    static func readOptions(_ args: inout Arguments) throws -> (LibraryFormat, ImportOptions) {
        var format = LibraryFormat.auto
        if let text = try args.option("--from") {
            guard let f = LibraryFormat(rawValue: text.lowercased()) else {
                throw UsageError("--from \(Excerpt.quoted(text)): expected one of \(LibraryFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            format = f
        }
        var options = ImportOptions()
        if let parent = try args.option("--parent") { options.parent = try ModelInput.load(parent).architecture }
        if let v = try args.option("--stats-args") {
            guard let pairs = ImportOptions.parseStatsArgs(v) else {
                throw UsageError("--stats-args \(Excerpt.quoted(v)): expected KEY=VALUE[,KEY=VALUE...], e.g. batch_size=96")
            }
            options.statsArgs = pairs
        }
        for spec in try args.options("--direction") {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let d = Metric.Direction(rawValue: parts[1].lowercased()) else {
                throw UsageError("--direction \(Excerpt.quoted(spec)): expected METRIC=lower or METRIC=higher")
            }
            options.directions[parts[0]] = d
        }
        return (format, options)
    }

    static func parseMetrics(_ specs: [String]) throws(UsageError) -> [Metric] {
        var out: [Metric] = []
        for spec in specs.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
            let name = parts[0]
            let direction: Metric.Direction
            if parts.count == 2 {
                guard let d = Metric.Direction(rawValue: parts[1].lowercased()) else {
                    throw UsageError("--metric \(Excerpt.quoted(spec)): expected NAME, NAME:lower or NAME:higher")
                }
                direction = d
            } else {
                guard let d = Metric.conventionalDirection(of: name) else {
                    throw UsageError("--metric \(Excerpt.quoted(spec)): no known direction; write \(name):lower or \(name):higher")
                }
                direction = d
            }
            if !out.contains(where: { $0.name == name }) { out.append(Metric(name, direction: direction)) }
        }
        return out
    }

    /// Prints the parent-guess note of a library imported from `file` just now (not one that
    /// only carries the note from an earlier import).
    static func noteGuess(_ library: BlockLibrary, file: String) {
        guard library.metadata["imported_from"]?.stringValue == FileIO.displayName(file) else { return }
        if let notes = library.metadata["notes"]?.arrayValue {
            for n in notes { if let s = n.stringValue, s.hasPrefix("parent guessed") { Output.err("puzzle: note: \(s) (--parent MODEL)") } }
        }
    }
}

