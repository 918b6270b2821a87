import ModelArchitecture
import CostModel
import PuzzleCore
import Search

/// Cost-model options shared by search, frontier, compare and plot:
/// `--gpu NAME | --gpu-file F`, `--dtype`, `--kv-dtype`, `--tp N|auto`, `--scenario ISL/OSL`...,
/// `--batch N|auto|max`.
enum CostOptions {
    static func parseGPU(_ args: inout Arguments, command: String) throws -> GPUProfile {
        if let file = try args.option("--gpu-file") {
            return try GPUProfile.parse(try FileIO.read(file), file: FileIO.displayName(file))
        }
        let name = try args.option("--gpu") ?? "h100-sxm"
        guard let profile = GPUProfile.builtin(named: name) else {
            throw UsageError("\(command): --gpu \(name): unknown GPU; expected h100-sxm, h200, a100-80gb, l40s, b200 (or --gpu-file)")
        }
        return profile
    }

    static func parseDType(_ args: inout Arguments, _ option: String, command: String) throws -> DType? {
        guard let text = try args.option(option) else { return nil }
        guard let d = DType(name: text), [.bf16, .fp16, .fp8].contains(d) else {
            throw UsageError("\(command): \(option) \(text): expected bf16, fp16 or fp8")
        }
        return d
    }

    static func parseTP(_ args: inout Arguments, command: String) throws -> Int? {
        guard let text = try args.option("--tp"), text != "auto" else { return nil }
        guard let n = Int(text), n >= 1, n <= 64 else { throw UsageError("\(command): --tp \(text): expected 1, 2, 4, 8 or auto") }
        return n
    }

    static func parseScenarios(_ args: inout Arguments) throws -> [Scenario] {
        let texts = try args.options("--scenario")
        return try (texts.isEmpty ? ["128/1024"] : texts).map { (t: String) throws(UsageError) in try Scenario(parsing: t) }
    }

    /// Search settings; nil with `--costs measured` (then cost-model options are refused).
    static func settings(_ args: inout Arguments, command: String, parent: Architecture, measured: Bool) throws -> ModelCostSettings? {
        if measured {
            for option in ["--gpu", "--gpu-file", "--dtype", "--kv-dtype", "--tp", "--scenario", "--batch"] {
                if try args.option(option) != nil {
                    throw UsageError("\(command): \(option) needs the cost model; drop --costs measured")
                }
            }
            return nil
        }
        let gpu = try parseGPU(&args, command: command)
        let dtype = try parseDType(&args, "--dtype", command: command) ?? .fp8
        let kv = try parseDType(&args, "--kv-dtype", command: command)
        let tp = try parseTP(&args, command: command)
        let scenarios = try parseScenarios(&args)
        var batch: Int?
        if let text = try args.option("--batch"), text != "auto" {
            guard let n = Int(text), n >= 1 else { throw UsageError("\(command): --batch \(text): expected a positive integer or auto") }
            batch = n
        }
        if gpu.peakFlopsPerSecond(dtype) == nil {
            throw UsageError("\(command): \(gpu.name) has no \(dtype.rawValue) tensor cores; choose another --dtype")
        }
        return ModelCostSettings(gpu: gpu, dtype: dtype, kvDtype: kv, tp: tp, scenarios: scenarios, batch: batch)
    }

    /// Predictions for `compare`: every scenario at the given (or best) TP and batch.
    struct Evaluator {
        var gpu: GPUProfile
        var dtype: DType
        var kvDtype: DType?
        var tp: Int?
        var scenarios: [Scenario]
        var batch: BatchChoice

        func predictions(_ a: Architecture) throws -> [ScenarioPrediction] {
            try scenarios.map { s in
                let estimate: ServingEstimate
                if let tp {
                    estimate = try CostModel(gpu: gpu, dtype: dtype, kvDtype: kvDtype, tp: tp).evaluate(a, scenario: s, batch: batch)
                } else {
                    estimate = try CostModel.bestTP(a, gpu: gpu, dtype: dtype, kvDtype: kvDtype, scenario: s, batch: batch).estimate
                }
                return ScenarioPrediction(estimate, parentThroughputPerGPU: nil)
            }
        }
    }

    static func evaluator(_ args: inout Arguments, command: String) throws -> Evaluator {
        let gpu = try parseGPU(&args, command: command)
        let dtype = try parseDType(&args, "--dtype", command: command) ?? .fp8
        let kv = try parseDType(&args, "--kv-dtype", command: command)
        let tp = try parseTP(&args, command: command)
        let scenarios = try parseScenarios(&args)
        var batch = BatchChoice.max
        if let text = try args.option("--batch"), text != "max" {
            guard let n = Int(text), n >= 1 else { throw UsageError("\(command): --batch \(text): expected a positive integer or max") }
            batch = .fixed(n)
        }
        return Evaluator(gpu: gpu, dtype: dtype, kvDtype: kv, tp: tp, scenarios: scenarios, batch: batch)
    }
}
