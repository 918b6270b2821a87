import BlockLibraries
import CostModel
import Knapsack
import ModelArchitecture
import PuzzleCore
import Search

/// The error boundary: library errors carry data (which budget, which layer, which file and
/// field); here alone they become one line of text that names the real flag or file, and an exit
/// code. Messages never span lines: every newline or control character is escaped.
enum ErrorMessages {
    /// The longest error line (characters).
    static let maxLength = 600

    static func describe(_ error: any Error, command: String) -> (String, ExitCode) {
        let (text, code, prefix) = classify(error)
        let head = prefix ? "puzzle \(command): " : "puzzle: "
        var line = oneLine(head + text)
        // Whatever a message quotes, it stays one readable line.
        if line.count > maxLength { line = String(line.prefix(maxLength - 1)) + "…" }
        return (line, code)
    }

    /// (message, exit code, whether to prefix the command name).
    static func classify(_ error: any Error) -> (String, ExitCode, Bool) {
        switch error {
        case let e as UsageError: return (e.message, .usage, true)
        case let e as DataError:
            if e.file == "<stdin>" && Output.closedAtStart[0] { return ("cannot read standard input: it is closed", .failure, true) }
            return (e.description, .data, false)
        case let e as WriteError: return (e.description, .failure, false)
        case let e as CommandFailure: return (e.message, .failure, true)
        case let e as CostModelError: return costModel(e)
        case let e as SearchError: return search(e)
        case let e as MeasuredCostError: return measured(e)
        case let e as PuzzletronExportError: return ("--export-puzzletron: \(e.description)", .data, true)
        case let e as CalibrationError:
            let (text, _, _) = costModel(e.reason)
            return ("\(e.file): line \(e.line): cannot predict this row: \(text)", .data, false)
        case let e as CandidateSpaceError:
            switch e {
            case .unknownAttention(let text):
                return ("--attention \(Excerpt.quoted(text)): expected KV heads (8, gqa:4, gqa:4/w128), linear or noop", .usage, true)
            case .kvHeadsDoNotDivideHeads(let text, let k, let heads, let parent):
                return ("--attention \(Excerpt.quoted(text)): \(k) KV heads do not divide the \(heads) query heads of \(parent)", .usage, true)
            case .unknownFFN(let text):
                return ("--ffn \(Excerpt.quoted(text)): expected a percentage (87%), a size (ffn:14336), experts (moe:4/top2), linear or noop", .usage, true)
            case .notAllowed(let text, let subblock, let reason):
                return ("--\(subblock.rawValue) \(Excerpt.quoted(text)): \(reason)", .usage, true)
            }
        case let e as ProblemError: return ("problem: \(e.path): \(e.message)", .data, true)
        case let e as LibraryImportError:
            switch e {
            case .parentRequired(let file, let format):
                return ("\(file): a \(format) library names no parent; pass --parent MODEL", .usage, true)
            case .unknownMetricDirection(let file, let location, let metric):
                return ("\(file): \(location): metric \(Excerpt.quoted(metric)) has no known direction; pass --direction \(metric)=lower or =higher",
                    .usage, true)
            case .noBuiltinParentMatches(let file, let layers, let kv, let ffn):
                return ("\(file): no built-in parent has \(layers) layers, \(kv) KV heads and FFN \(ffn); pass --parent MODEL", .usage, true)
            }
        default: return ("internal error: \(error)", .failure, true)
        }
    }

    static func costModel(_ e: CostModelError) -> (String, ExitCode, Bool) {
        switch e {
        case .unsupportedDType(let d, let role):
            return ("\(role == .weights ? "--dtype" : "--kv-dtype") \(d.rawValue): expected bf16, fp16 or fp8", .usage, true)
        case .noTensorCores(let gpu, let d):
            return ("\(gpu) has no \(d.rawValue) tensor cores (its profile gives no \(d.rawValue)FlopsPerSecond); choose another --dtype",
                .usage, true)
        case .invalidTP(let tp): return ("--tp \(tp): expected a positive integer or auto", .usage, true)
        case .tpDoesNotDivideHeads(let tp, let heads, let model):
            return ("--tp \(tp) does not divide the \(heads) query heads of \(model); expected one of \(divisors(heads)) or auto", .usage, true)
        case .noTPDividesHeads(let heads, let model):
            return ("no TP in 1, 2, 4, 8 divides the \(heads) query heads of \(model); pass --tp N with N dividing \(heads)", .usage, true)
        case .doesNotFit(let d):
            return ("\(d.model) does not fit \(d.gpu) at TP \(d.tp) (\(d.dtype.rawValue)) even at batch 1 for \(d.scenario): short by "
                + "\(Int64(Swift.min(d.shortBytes.rounded(.up), 9e18))) bytes (\(Format.bytes(d.shortBytes))); weights \(Format.bytes(d.weightsBytesPerGPU)) per GPU, "
                + "reserve \(Format.bytes(d.reserveBytes)), capacity \(Format.bytes(d.capacityBytes)); try a larger --tp or a smaller --dtype",
                .failure, true)
        case .invalidBatch(let n): return ("--batch \(n): expected a positive integer or auto", .usage, true)
        case .batchAboveRuntimeCap(let b, let cap, let gpu):
            return ("--batch \(b) exceeds the runtime's maxBatchSize \(cap) of \(gpu)", .usage, true)
        case .batchDoesNotFit(let d):
            return ("--batch \(d.batch) of \(d.model) does not fit \(d.gpu) at TP \(d.tp) for \(d.scenario): its KV cache needs "
                + "\(Format.bytes(d.neededBytes)), the pool holds \(Format.bytes(d.poolBytes)); largest batch \(d.largestBatch)", .usage, true)
        }
    }

    static func search(_ e: SearchError) -> (String, ExitCode, Bool) {
        switch e {
        case .needsCostModel(let c):
            return ("\(BudgetFlags.flag(c)) needs the cost model; drop --costs measured, or bound measured stats with --max STAT=VALUE",
                .usage, true)
        case .noScenario: return ("at least one --scenario is needed", .usage, true)
        case .noTPDividesHeads(let tps, let heads):
            return ("--tp \(tps.map(String.init).joined(separator: ", ")): none divides the parent's \(heads) query heads; expected one of \(divisors(heads))",
                .usage, true)
        case .parentDoesNotFit(let parent, let gpu, let dtype, let scenario):
            return ("the parent \(parent) does not fit \(gpu) at any TP in 1, 2, 4, 8 (\(dtype.rawValue), \(scenario)): --speedup has no reference; use --min-throughput",
                .failure, true)
        case .noCandidateLeft(let layer, let role):
            return ("layer \(layer) \(role.rawValue): no candidate left after --engine, --pin and --forbid; expected at least one", .usage, true)
        case .unscoredCandidate(let layer, let role, let candidate, let metric):
            return ("the library's layer \(layer) \(role.rawValue) candidate \(Excerpt.quoted(candidate)) has no score for the objective \(metric); choose another --objective or score it",
                .data, true)
        case .missingStat(let layer, let role, let candidate, let stat):
            return ("the library's layer \(layer) \(role.rawValue) candidate \(Excerpt.quoted(candidate)) has no measured stat \(stat); expected every candidate to carry it for --max/--min \(stat)",
                .data, true)
        case .ruleLayerOutOfRange(let rule, let count):
            return ("--\(rule.kind.rawValue) \(Excerpt.quoted(rule.text)): layers must be within 0-\(count - 1) (the parent has \(count) layers)", .usage, true)
        case .ruleMatchesNothing(let rule, let layer):
            let whereText = layer.map { " in layer \($0)" } ?? " in any layer"
            return ("--\(rule.kind.rawValue) \(Excerpt.quoted(rule.text)): \(Excerpt.quoted(rule.variant)) matches no candidate\(whereText); expected a variant name the library has (see 'puzzle library show')",
                .usage, true)
        case .sumOverflow(let kind, let name):
            return ("the library's \(kind) \(Excerpt.quoted(name)) can sum past 1e300 over the layers; expected values of a sane magnitude",
                .data, true)
        case .costModel(let c): return costModel(c)
        case .internalProblemRejected(let text): return ("internal error: the search built a knapsack the solver rejected: \(text)", .failure, true)
        }
    }

    /// Budgets with measured costs (puzzletron's formulas, `docs/formats.md`).
    static func measured(_ e: MeasuredCostError) -> (String, ExitCode, Bool) {
        switch e {
        case .needsMeasuredCosts: return ("\(e.description); add --costs measured", .usage, true)
        case .noPuzzletronScenario(let c):
            return ("\(budgetFlag(c)) with --costs measured needs a library measured by puzzletron (a measurement with batch_size, generation_length and non_block); this library has none: bound its stats with --max STAT=VALUE, or use the cost model",
                .data, true)
        case .missingStat(let c, let stat, let layer, let role, let candidate):
            return ("\(budgetFlag(c)) with --costs measured sums the measured stat \(stat), but the library's layer \(layer) \(role.rawValue) candidate \(Excerpt.quoted(candidate, limit: 80)) has none",
                .data, true)
        case .missingNonBlock(let c, let stat):
            return ("\(budgetFlag(c)) with --costs measured needs the measured non-block cost \(stat), which the library's measurement has as null (not measured)",
                .data, true)
        case .noGeneratedTokens(let c):
            return ("\(budgetFlag(c)): the measured scenario generates no tokens (generation_length 0), so it has no throughput", .data, true)
        }
    }

    /// The flag of a budget named by its key (`memory`, `throughput`, `latency`, `ttft`, `max:STAT`).
    static func budgetFlag(_ key: String) -> String {
        switch key {
        case "memory": return "--max-memory"
        case "throughput": return "--min-throughput"
        case "latency", "tpot": return "--max-latency"
        case "ttft": return "--max-ttft"
        case "speedup": return "--speedup"
        case "parameters": return "--max-params"
        default:
            if key.hasPrefix("max:") { return "--max \(key.dropFirst(4))" }
            if key.hasPrefix("min:") { return "--min \(key.dropFirst(4))" }
            return key
        }
    }

    /// `1, 2, 4, 8, 16, 32, 64` (the TPs from 1 to 64 dividing `heads`).
    static func divisors(_ heads: Int) -> String {
        (1...64).filter { heads % $0 == 0 }.map(String.init).joined(separator: ", ")
    }

    /// The text with every control character escaped: one line, whatever it quotes.
    static func oneLine(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// The flag each budget is given with, and how its values are shown.
enum BudgetFlags {
    static func flag(_ c: Constraint) -> String {
        switch c {
        case .maxMemoryBytes: return "--max-memory"
        case .minThroughputPerGPU: return "--min-throughput"
        case .speedup: return "--speedup"
        case .maxTPOTSeconds, .maxLatencySeconds: return "--max-latency"
        case .maxTTFTSeconds: return "--max-ttft"
        case .maxParameters: return "--max-params"
        case .maxActiveParameters: return "--max-active-params"
        case .maxStat(let s, _): return "--max \(s)"
        case .minStat(let s, _): return "--min \(s)"
        }
    }

    /// `--speedup 70x cannot be met in scenario 128/1024: the best achievable is 68.171x`.
    static func infeasible(_ inf: Infeasibility) -> String {
        let c = inf.constraint
        let whereText = inf.scenario.map { " in scenario \($0)" } ?? ""
        let what = c.isUpperBound ? "the least achievable is" : "the best achievable is"
        let flag = flag(c)
        let budget = Infeasibility.format(c.budget, c)
        let spelled = flag.hasPrefix("--max ") || flag.hasPrefix("--min ") ? "\(flag)=\(budget)" : "\(flag) \(budget)"
        let at = inf.margin.map { " at --margin \($0)" } ?? ""
        return "\(spelled) cannot be met\(whereText): \(what) \(Infeasibility.format(inf.bestAchievable, c))\(at)"
    }
}
