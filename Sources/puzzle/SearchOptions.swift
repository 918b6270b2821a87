import ModelArchitecture
import BlockLibraries
import PuzzleCore
import Search

/// The options `search` and `frontier` share: library, costs, budgets, objective, pins.
enum SearchOptions {
    static func request(_ args: inout Arguments, command: String, allowDiverse: Bool = true) throws -> SearchRequest {
        guard let librarySpec = try args.option("--library", "-l") else {
            throw UsageError("\(command): missing --library LIB (a library file, - for stdin, or demo[:MODEL])")
        }
        let (library, path, sha) = try loadLibrary(librarySpec, &args, command: command)

        let costs = try args.option("--costs") ?? "model"
        guard costs == "model" || costs == "measured" else {
            throw UsageError("\(command): --costs \(costs): expected model or measured")
        }
        let model = try CostOptions.settings(&args, command: command, parent: library.parent, measured: costs == "measured")

        var constraints: [Constraint] = []
        if let v = try args.option("--max-memory") {
            guard let bytes = Units.bytes(v), bytes > 0 else { throw UsageError("\(command): --max-memory \(v): expected bytes such as 80GiB or 75GB") }
            constraints.append(.maxMemoryBytes(bytes))
        }
        if let v = try args.option("--min-throughput") {
            guard let t = Units.count(v), t > 0 else { throw UsageError("\(command): --min-throughput \(v): expected output tokens/s per GPU, e.g. 5000") }
            constraints.append(.minThroughputPerGPU(t))
        }
        if let v = try args.option("--speedup") {
            let trimmed = v.hasSuffix("x") ? String(v.dropLast()) : v
            guard let x = Double(trimmed), x > 0, x.isFinite else { throw UsageError("\(command): --speedup \(v): expected a positive factor such as 2.17") }
            constraints.append(.speedup(x))
        }
        if let v = try args.option("--max-latency", "--max-tpot") {
            guard let s = Units.seconds(v), s > 0 else { throw UsageError("\(command): --max-latency \(v): expected a duration such as 40ms") }
            constraints.append(.maxTPOTSeconds(s))
        }
        if let v = try args.option("--max-ttft") {
            guard let s = Units.seconds(v), s > 0 else { throw UsageError("\(command): --max-ttft \(v): expected a duration such as 2s") }
            constraints.append(.maxTTFTSeconds(s))
        }
        if let v = try args.option("--max-params") {
            guard let n = Units.count(v), n > 0 else { throw UsageError("\(command): --max-params \(v): expected a count such as 52B") }
            constraints.append(.maxParameters(n))
        }
        for (option, isMax) in [("--max", true), ("--min", false)] {
            for spec in try args.options(option) {
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value.isFinite else {
                    throw UsageError("\(command): \(option) \(spec): expected STAT=VALUE, e.g. memory_mib=80000")
                }
                let known = library.statNames
                guard known.contains(parts[0]) else {
                    throw UsageError("\(command): \(option) \(spec): the library has no stat \(parts[0]); it has \(known.isEmpty ? "none" : known.joined(separator: ", "))")
                }
                constraints.append(isMax ? .maxStat(parts[0], value) : .minStat(parts[0], value))
            }
        }

        let objective: Metric
        if let name = try args.option("--objective") {
            guard let m = library.metric(named: name) else {
                throw UsageError("\(command): --objective \(name): the library's metrics are \(library.metrics.map(\.name).joined(separator: ", "))")
            }
            objective = m
        } else {
            guard let first = library.metrics.first else {
                throw DataError(file: path, "the library has no metrics; expected scored candidates")
            }
            objective = first
        }

        var diverse = 1
        var minDifferent = 1
        if allowDiverse {
            if let v = try args.option("--diverse") {
                guard let k = Int(v), k >= 1, k <= 1000 else { throw UsageError("\(command): --diverse \(v): expected a count from 1 to 1000") }
                diverse = k
            }
            if let v = try args.option("--min-different") {
                guard let d = Int(v), d >= 1 else { throw UsageError("\(command): --min-different \(v): expected a positive integer") }
                minDifferent = d
            }
        }
        let pins = try args.options("--pin").map { (s: String) throws(UsageError) in try VariantRule.parse(s, option: "--pin") }
        let forbids = try args.options("--forbid").map { (s: String) throws(UsageError) in try VariantRule.parse(s, option: "--forbid") }
        var engine: Engine?
        if let v = try args.option("--engine") {
            guard let e = Engine(name: v) else { throw UsageError("\(command): --engine \(v): expected vllm, trtllm or llamacpp") }
            engine = e
        }
        var timeLimit: Double?
        if let v = try args.option("--time-limit") {
            guard let s = Units.seconds(v), s > 0 else { throw UsageError("\(command): --time-limit \(v): expected seconds") }
            timeLimit = s
        }
        let name = try args.option("--name")
        return SearchRequest(library: library, libraryPath: path, librarySHA256: sha, objective: objective, model: model,
            constraints: constraints, pins: pins, forbids: forbids, engine: engine, diverseCount: diverse,
            minDifferent: minDifferent, timeLimitSeconds: timeLimit, childName: name)
    }

    /// A library file (any format) or `demo[:MODEL]`, with its display path and SHA-256.
    static func loadLibrary(_ spec: String, _ args: inout Arguments, command: String) throws -> (BlockLibrary, String, String) {
        let fromText = try args.option("--from")
        let parentSpec = try args.option("--parent")
        if spec == "demo" || spec.hasPrefix("demo:") {
            let parentName = spec == "demo" ? (parentSpec ?? "llama-3.1-70b") : String(spec.dropFirst(5))
            guard let parent = BuiltinModels.architecture(parentName) else {
                throw UsageError("\(command): --library \(spec): unknown built-in parent \(parentName); expected one of \(BuiltinNames.list)")
            }
            let library = DemoLibrary.generate(parent: parent)
            let text = library.nativeJSON
            return (library, "demo:\(parentName)", SHA256.hex(Array(text.utf8)))
        }
        var format = LibraryFormat.auto
        if let f = fromText {
            guard let parsed = LibraryFormat(rawValue: f) else {
                throw UsageError("\(command): --from \(f): expected one of \(LibraryFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            format = parsed
        }
        var options = ImportOptions()
        if let p = parentSpec { options.parent = try Models.load(p) }
        if let v = try args.option("--stats-args") {
            guard let pairs = ImportOptions.parseStatsArgs(v) else { throw UsageError("\(command): --stats-args \(v): expected KEY=VALUE[,KEY=VALUE...], e.g. batch_size=96") }
            options.statsArgs = pairs
        }
        let loaded = try BlockLibrary.loadWithDigest(spec, format: format, options: options)
        return (loaded.library, loaded.file, loaded.sha256)
    }
}
