import BlockLibraries
import ModelArchitecture
import PuzzleCore
import Search

/// The options `search` and `frontier` share: library, costs, budgets, objective, pins.
enum SearchOptions {
    /// The parsed request and the cost inputs it was built from (nil with measured costs).
    struct Parsed {
        var request: SearchRequest
        var costs: CostInputs?
        /// A built-in demo library's SHA-256 is of its generated native JSON, which costs more than
        /// a small search to write and hash (405B four-scenario search: 145 M of 2,141 M
        /// instructions): then `request.librarySHA256` stays empty and `libraryDigest()` computes
        /// it for the manifests that record it.
        var libraryDigestPending = false

        /// The library's SHA-256 (computed now for a demo library).
        func libraryDigest() -> String {
            libraryDigestPending ? SHA256.hex(Array(request.library.nativeJSON.utf8)) : request.librarySHA256
        }
    }

    static func request(_ args: inout Arguments, allowDiverse: Bool = true) throws -> Parsed {
        guard let librarySpec = try args.option("--library", "-l") else {
            throw UsageError("missing --library LIB (a library file, - for stdin, or demo[:MODEL])")
        }
        let (library, path, sha) = try loadLibrary(librarySpec, &args)

        let costsText = try args.option("--costs") ?? "model"
        guard costsText == "model" || costsText == "measured" else {
            throw UsageError("--costs \(Excerpt.quoted(costsText)): expected model or measured")
        }
        let raw = try CostInputs.raw(&args)
        var inputs: CostInputs?
        if costsText == "measured" {
            if let first = raw.given.first { throw UsageError("\(first) needs the cost model; drop --costs measured") }
        } else {
            inputs = try CostInputs.resolve(raw)
        }

        var constraints = try Budgets.parse(&args)
        var margin: Margin?
        if let text = try args.option("--margin") {
            guard inputs != nil else { throw UsageError("--margin needs the cost model; drop --costs measured") }
            margin = try parseMargin(text)
        }
        for (option, isMax) in [("--max", true), ("--min", false)] {
            for spec in try args.options(option) {
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, let value = Units.finiteNumber(parts[1]) else {
                    throw UsageError("\(option) \(Excerpt.quoted(spec)): expected STAT=VALUE with VALUE a number in the stat's unit, e.g. memory_mib=80000")
                }
                let known = library.statNames
                guard known.contains(parts[0]) else {
                    throw UsageError("\(option) \(Excerpt.quoted(spec)): the library has no stat \(Excerpt.quoted(parts[0])); it has \(known.isEmpty ? "none" : known.joined(separator: ", "))")
                }
                let c: Constraint = isMax ? .maxStat(parts[0], value) : .minStat(parts[0], value)
                guard !constraints.contains(c) && !constraints.contains(where: { $0.key == c.key }) else {
                    throw UsageError("\(option) \(parts[0]) given twice; expected one budget per stat")
                }
                constraints.append(c)
            }
        }

        let objective: Metric
        if let name = try args.option("--objective") {
            guard let m = library.metric(named: name) else {
                throw UsageError("--objective \(Excerpt.quoted(name)): the library's metrics are \(library.metrics.map(\.name).joined(separator: ", "))")
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
            let diverseText = try args.option("--diverse")
            let differentText = try args.option("--min-different")
            if let v = diverseText {
                guard let k = Int(v), (1...1000).contains(k) else {
                    throw UsageError("--diverse \(Excerpt.quoted(v)): expected a count from 1 to 1000")
                }
                diverse = k
            }
            if let v = differentText {
                guard diverse > 1 else { throw UsageError("--min-different has no effect without --diverse K (K >= 2)") }
                let groups = library.layers.reduce(0) { $0 + $1.groups.count }
                guard let d = Int(v), (1...Swift.max(1, groups)).contains(d) else {
                    throw UsageError("--min-different \(Excerpt.quoted(v)): expected an integer from 1 to \(groups) (the library's choices)")
                }
                minDifferent = d
            }
        } else {
            try UnusedOptions.refuse(args, ["--diverse", "--min-different"], because: "in this command")
        }
        let pins = try args.options("--pin").map { (s: String) throws(UsageError) in try parseRule(s, kind: .pin) }
        let forbids = try args.options("--forbid").map { (s: String) throws(UsageError) in try parseRule(s, kind: .forbid) }
        var engine: Engine?
        if let v = try args.option("--engine") {
            guard let e = Engine(name: v) else { throw UsageError("--engine \(Excerpt.quoted(v)): expected vllm, trtllm or llamacpp") }
            engine = e
        }
        var timeLimit: Double?
        if let v = try args.option("--time-limit") { timeLimit = try Budgets.timeLimit(v) }
        let name = try args.option("--name")
        if let name, name.isEmpty || name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            throw UsageError("--name \(Excerpt.quoted(name)): expected a non-empty name without control characters")
        }
        let request = SearchRequest(library: library, libraryPath: path, librarySHA256: sha ?? "", objective: objective,
            model: inputs?.searchSettings, constraints: constraints, pins: pins, forbids: forbids, engine: engine,
            diverseCount: diverse, minDifferent: minDifferent, timeLimitSeconds: timeLimit, childName: name, margin: margin)
        return Parsed(request: request, costs: inputs, libraryDigestPending: sha == nil)
    }

    /// `--margin`: a percentage (`10%`), a fraction (`0.1`), both from 0 to 90%, or `p90` (each
    /// budget at its prediction band's edge, `Margin.bandEdge`).
    static func parseMargin(_ text: String) throws(UsageError) -> Margin {
        let t = text.trimmingWhitespace().lowercased()
        if t == "p90" { return Margin.bandEdge(label: "p90") }
        var number = t
        var scale = 1.0
        if number.hasSuffix("%") {
            number.removeLast()
            scale = 0.01
        }
        guard let v = Units.finiteNumber(number), v * scale >= 0, v * scale <= 0.9 else {
            throw UsageError("--margin \(Excerpt.quoted(text)): expected a percentage from 0% to 90% (10%), a fraction (0.1), or p90 (the prediction band's edge)")
        }
        return Margin.fraction(v * scale, label: text)
    }

    /// `LAYERS=VARIANT` or `VARIANT` (every layer); LAYERS is `5`, `0-3`, `1,7,20-29` or `*`. The
    /// ranges are kept as ranges; they are checked against the parent's layers before use.
    static func parseRule(_ text: String, kind: VariantRule.Kind) throws(UsageError) -> VariantRule {
        let option = "--\(kind.rawValue)"
        guard let eq = text.firstIndex(of: "=") else {
            guard !text.isEmpty else { throw UsageError("\(option): expected LAYERS=VARIANT or VARIANT") }
            return VariantRule(kind: kind, layers: nil, variant: text, text: text)
        }
        let spec = String(text[..<eq])
        let variant = String(text[text.index(after: eq)...])
        guard !variant.isEmpty else { throw UsageError("\(option) \(Excerpt.quoted(text)): expected LAYERS=VARIANT") }
        if spec == "*" { return VariantRule(kind: kind, layers: nil, variant: variant, text: text) }
        var ranges: [ClosedRange<Int>] = []
        for part in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 1, let v = Int(bounds[0]), v >= 0 {
                ranges.append(v...v)
            } else if bounds.count == 2, let a = Int(bounds[0]), let b = Int(bounds[1]), a >= 0, a <= b {
                ranges.append(a...b)
            } else {
                throw UsageError("\(option) \(Excerpt.quoted(text)): expected LAYERS=VARIANT with LAYERS like 5, 0-3, 1,7 or *")
            }
        }
        return VariantRule(kind: kind, layers: ranges, variant: variant, text: text)
    }

    /// A library file (any format) or `demo[:MODEL]`, with its display path and the SHA-256 of the
    /// file's bytes (nil for a demo library: `Parsed.libraryDigest` makes it when needed).
    static func loadLibrary(_ spec: String, _ args: inout Arguments) throws -> (BlockLibrary, String, String?) {
        let fromText = try args.option("--from")
        let parentSpec = try args.option("--parent")
        if spec == "demo" || spec.hasPrefix("demo:") {
            if fromText != nil { throw UsageError("--from has no effect with --library \(spec) (the built-in demo library)") }
            let named = spec == "demo" ? nil : String(spec.dropFirst(5))
            if let named, let parentSpec, parentSpec.lowercased() != named.lowercased() {
                throw UsageError("--parent \(Excerpt.quoted(parentSpec)) disagrees with --library \(spec); give one")
            }
            let parentName = named ?? parentSpec ?? "llama-3.1-70b"
            guard let parent = BuiltinModels.architecture(parentName) else {
                throw UsageError("--library \(Excerpt.quoted(spec)): unknown built-in parent \(Excerpt.quoted(parentName)); expected one of \(BuiltinNames.list)")
            }
            let library = DemoLibrary.generate(parent: parent)
            return (library, "demo:\(parent.name)", nil)
        }
        var format = LibraryFormat.auto
        if let f = fromText {
            guard let parsed = LibraryFormat(rawValue: f.lowercased()) else {
                throw UsageError("--from \(Excerpt.quoted(f)): expected one of \(LibraryFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            format = parsed
        }
        var options = ImportOptions()
        if let p = parentSpec { options.parent = try ModelInput.load(p).architecture }
        if let v = try args.option("--stats-args") {
            guard let pairs = ImportOptions.parseStatsArgs(v) else {
                throw UsageError("--stats-args \(Excerpt.quoted(v)): expected KEY=VALUE[,KEY=VALUE...], e.g. batch_size=96")
            }
            options.statsArgs = pairs
        }
        let loaded = try BlockLibrary.loadWithDigest(spec, format: format, options: options)
        return (loaded.library, loaded.file, loaded.sha256)
    }
}
