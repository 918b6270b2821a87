import PuzzleCore
import Search

/// Budget options and their units. A budget without a unit is refused with the units it takes
/// (`--max-latency 40` could be seconds or milliseconds; `--max-memory 80` bytes or GiB). Unit
/// names are case-insensitive. Sweeps (`frontier --sweep`) take the same spellings.
enum Budgets {
    /// One budget kind: its flag, sweep name, how its values parse, and the constraint it makes.
    struct Kind: Sendable {
        var flag: String
        var sweepNames: [String]
        var expected: String
        var parse: @Sendable (String) -> Units.Parsed
        var make: @Sendable (Double) -> Constraint
    }

    static let memory = Kind(flag: "--max-memory", sweepNames: ["memory"],
        expected: "bytes per GPU with a unit (\(Units.names(Units.byteUnits))), e.g. 80GiB",
        parse: Units.bytes, make: Constraint.maxMemoryBytes)
    static let throughput = Kind(flag: "--min-throughput", sweepNames: ["throughput"],
        expected: "output tokens/s per GPU, e.g. 5000, 5k or 5000tok/s", parse: parseRate, make: Constraint.minThroughputPerGPU)
    static let speedup = Kind(flag: "--speedup", sweepNames: ["speedup"],
        expected: "a factor over the parent's throughput per GPU, e.g. 2.2 or 2.2x", parse: parseFactor, make: Constraint.speedup)
    static let latency = Kind(flag: "--max-latency", sweepNames: ["latency", "tpot"],
        expected: "a time per output token with a unit (\(Units.names(Units.secondUnits))), e.g. 40ms", parse: Units.seconds,
        make: Constraint.maxTPOTSeconds)
    static let ttft = Kind(flag: "--max-ttft", sweepNames: ["ttft"],
        expected: "a time to first token with a unit (\(Units.names(Units.secondUnits))), e.g. 2s or 500ms", parse: Units.seconds,
        make: Constraint.maxTTFTSeconds)
    static let params = Kind(flag: "--max-params", sweepNames: ["params", "parameters"],
        expected: "a parameter count with a unit (\(Units.names(Units.countUnits))), e.g. 52B", parse: Units.count,
        make: Constraint.maxParameters)

    static let activeParams = Kind(flag: "--max-active-params", sweepNames: ["active-params", "active_params", "activeparameters"],
        expected: "parameters per token with a unit (\(Units.names(Units.countUnits))), e.g. 3B", parse: Units.count,
        make: Constraint.maxActiveParameters)

    static let all = [memory, throughput, speedup, latency, ttft, params, activeParams]

    /// `5000`, `5k`, `5000tok/s`, `5ktokens/s`: tokens per second, a bare number allowed (the unit
    /// is implied by the option and there is no other reading).
    static func parseRate(_ text: String) -> Units.Parsed {
        var t = text.trimmingWhitespace().lowercased()
        for suffix in ["tokens/s", "tok/s", "/s"] where t.hasSuffix(suffix) {
            t = String(t.dropLast(suffix.count)).trimmingWhitespace()
            break
        }
        var factor = 1.0
        if t.hasSuffix("k") { factor = 1e3; t = String(t.dropLast()) } else if t.hasSuffix("m") { factor = 1e6; t = String(t.dropLast()) }
        guard let v = Units.finiteNumber(t.trimmingWhitespace()), (v * factor).isFinite else { return .invalid }
        return .value(v * factor)
    }

    /// `2.2` or `2.2x`.
    static func parseFactor(_ text: String) -> Units.Parsed {
        var t = text.trimmingWhitespace().lowercased()
        if t.hasSuffix("x") { t = String(t.dropLast()).trimmingWhitespace() }
        guard let v = Units.finiteNumber(t) else { return .invalid }
        return .value(v)
    }

    /// A positive value of `kind` from `text`, or a usage error naming the flag and the units.
    static func value(_ text: String, _ kind: Kind, flag: String? = nil) throws(UsageError) -> Double {
        let flag = flag ?? kind.flag
        switch kind.parse(text) {
        case .value(let v):
            guard v > 0 else { throw UsageError("\(flag) \(Excerpt.quoted(text)): expected a positive value") }
            return v
        case .missingUnit:
            throw UsageError("\(flag) \(Excerpt.quoted(text)): a unit is required; expected \(kind.expected)")
        case .invalid:
            throw UsageError("\(flag) \(Excerpt.quoted(text)): expected \(kind.expected)")
        }
    }

    /// Every budget option present, in the order of `all` (each given at most once).
    static func parse(_ args: inout Arguments) throws(UsageError) -> [Constraint] {
        var out: [Constraint] = []
        for kind in all {
            let names = kind.flag == "--max-latency" ? ["--max-latency", "--max-tpot"] : [kind.flag]
            var texts: [String] = []
            for name in names { if let t = try args.option(name) { texts.append(t) } }
            guard texts.count <= 1 else { throw UsageError("--max-latency and --max-tpot are the same budget; give one") }
            if let text = texts.first { out.append(kind.make(try value(text, kind))) }
        }
        return out
    }

    /// `NAME=START:STOP:COUNT` (values in the budget's units, e.g. `memory=60GiB:80GiB:21`,
    /// `latency=20ms:40ms:11`, `speedup=1:3:21`, `max:runtime_ms=40000:52000:13`).
    static func sweep(_ text: String, stats: [String]) throws(UsageError) -> (template: Constraint, values: [Double]) {
        let shape = "expected NAME=START:STOP:COUNT, e.g. speedup=1.0:4.0:40 or memory=60GiB:80GiB:21"
        guard let eq = text.firstIndex(of: "=") else { throw UsageError("--sweep \(Excerpt.quoted(text)): \(shape)") }
        let name = String(text[..<eq])
        let range = text[text.index(after: eq)...].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard range.count == 3 else { throw UsageError("--sweep \(Excerpt.quoted(text)): \(shape)") }
        guard let count = Int(range[2]), (1...100_000).contains(count) else {
            throw UsageError("--sweep \(Excerpt.quoted(text)): COUNT \(Excerpt.quoted(range[2])) must be an integer from 1 to 100000")
        }
        let template: Constraint
        let start: Double, stop: Double
        if let kind = all.first(where: { $0.sweepNames.contains(name.lowercased()) }) {
            start = try value(range[0], kind, flag: "--sweep \(name) START")
            stop = try value(range[1], kind, flag: "--sweep \(name) STOP")
            template = kind.make(start)
        } else if name.hasPrefix("max:") || name.hasPrefix("min:") {
            let stat = String(name.dropFirst(4))
            guard stats.contains(stat) else {
                throw UsageError("--sweep \(Excerpt.quoted(text)): the library has no stat \(Excerpt.quoted(stat)); it has \(stats.isEmpty ? "none" : stats.joined(separator: ", "))")
            }
            guard let a = Units.finiteNumber(range[0]), let b = Units.finiteNumber(range[1]) else {
                throw UsageError("--sweep \(Excerpt.quoted(text)): START and STOP must be numbers in the stat's own unit")
            }
            start = a
            stop = b
            template = name.hasPrefix("max:") ? .maxStat(stat, a) : .minStat(stat, a)
        } else {
            throw UsageError("--sweep \(Excerpt.quoted(name)): expected speedup, throughput, memory, latency, ttft, params, active-params, max:STAT or min:STAT")
        }
        let values = count == 1 ? [start] : (0..<count).map { start + (stop - start) * Double($0) / Double(count - 1) }
        return (template, values)
    }

    /// `--time-limit 10`, `10s`, `500ms` (a bare number is seconds), clamped to at most 10^6 s.
    static func timeLimit(_ text: String) throws(UsageError) -> Double {
        let seconds: Double
        switch Units.seconds(text) {
        case .value(let v), .missingUnit(let v): seconds = v
        case .invalid: throw UsageError("--time-limit \(Excerpt.quoted(text)): expected seconds, e.g. 10 or 500ms")
        }
        guard seconds > 0 else { throw UsageError("--time-limit \(Excerpt.quoted(text)): expected a positive time") }
        return Swift.min(seconds, maxTimeLimitSeconds)
    }

    /// The longest time limit (10^6 s, about 11.6 days): longer ones are clamped to it.
    static let maxTimeLimitSeconds = 1e6
}
