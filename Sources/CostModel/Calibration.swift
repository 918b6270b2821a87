import ModelArchitecture
import PuzzleCore

/// One measured serving throughput (a row of a calibration CSV such as
/// shared/data/calibration/trtllm-h100-fp8.csv).
public struct CalibrationRow: Sendable, Hashable {
    public var model: String
    public var gpu: String
    public var precision: DType
    public var tp: Int
    public var scenario: Scenario
    /// Measured output tokens/s of the whole TP group.
    public var measuredTokensPerSecond: Double
    /// 1-based line in the file.
    public var line: Int
    /// How the measured runtime treated sliding windows: the optional column `attention_window`
    /// (`full` or `model`); `full` when absent, because every calibration source so far is
    /// trtllm-bench, which serves with the attention window at the maximum sequence length.
    public var attentionWindows: AttentionWindowPolicy = .fullAttention
}

/// A calibration row with the model's prediction at the largest batch that fits.
public struct CalibrationResult: Sendable, Hashable {
    public var row: CalibrationRow
    public var batch: Int
    public var predictedTokensPerSecond: Double
    /// predicted / measured - 1.
    public var relativeError: Double { predictedTokensPerSecond / row.measuredTokensPerSecond - 1 }
}

/// Error statistics of |relative error| over rows.
public struct ErrorSummary: Sendable, Hashable {
    public var count: Int
    public var median: Double
    public var p90: Double
    public var max: Double
    public var mean: Double

    /// Median (mean of the two middle values for even counts), 90th percentile (nearest rank) and max.
    /// - Complexity: O(n log n).
    public init(absoluteErrors: [Double]) {
        let e = absoluteErrors.sorted()
        count = e.count
        guard !e.isEmpty else {
            median = 0; p90 = 0; max = 0; mean = 0
            return
        }
        let n = e.count
        median = n % 2 == 1 ? e[n / 2] : (e[n / 2 - 1] + e[n / 2]) / 2
        let rank = Int((0.9 * Double(n)).rounded(.up))
        p90 = e[Swift.max(0, Swift.min(n - 1, rank - 1))]
        max = e[n - 1]
        mean = e.reduce(0, +) / Double(n)
    }
}

public enum Calibration {
    /// Parses a CSV with the header columns model, gpu, precision, tp, isl, osl,
    /// total_output_tokens_per_s (any order, other columns ignored) and optionally
    /// attention_window (`full`, the default, or `model`: see `CalibrationRow.attentionWindows`).
    public static func parse(_ text: String, file: String) throws(DataError) -> [CalibrationRow] {
        var lines = TextLines.split(Array(text.utf8)).map { String($0).trimmingWhitespace() }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw DataError(file: file, location: "line 1", "empty file; expected a CSV header") }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        let needed = ["model", "gpu", "precision", "tp", "isl", "osl", "total_output_tokens_per_s"]
        var index: [String: Int] = [:]
        for name in needed {
            guard let i = columns.firstIndex(of: name) else {
                throw DataError(file: file, location: "line 1", "missing column \"\(name)\"; expected \(needed.joined(separator: ","))")
            }
            index[name] = i
        }
        var rows: [CalibrationRow] = []
        for (k, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let lineNo = k + 1
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
            func cell(_ name: String) throws(DataError) -> String {
                let i = index[name] ?? 0
                guard i < cells.count else {
                    throw DataError(file: file, location: "line \(lineNo)", "expected \(columns.count) columns, found \(cells.count)")
                }
                return cells[i]
            }
            func int(_ name: String, max: Int) throws(DataError) -> Int {
                let s = try cell(name)
                guard let v = Int(s), v > 0, v <= max else {
                    throw DataError(file: file, location: "line \(lineNo), column \(name)",
                        "expected an integer from 1 to \(max), found \(Excerpt.quoted(s))")
                }
                return v
            }
            let precisionText = try cell("precision")
            guard let precision = DType(name: precisionText) else {
                throw DataError(file: file, location: "line \(lineNo), column precision", "expected bf16, fp16 or fp8, found \(Excerpt.quoted(precisionText))")
            }
            let measuredText = try cell("total_output_tokens_per_s")
            guard let measured = Double(measuredText), measured > 0, measured.isFinite else {
                throw DataError(file: file, location: "line \(lineNo), column total_output_tokens_per_s",
                    "expected a positive number, found \(Excerpt.quoted(measuredText))")
            }
            var row = CalibrationRow(model: try cell("model"), gpu: try cell("gpu"), precision: precision, tp: try int("tp", max: 64),
                scenario: Scenario(inputTokens: try int("isl", max: Scenario.maxTokens), outputTokens: try int("osl", max: Scenario.maxTokens)), measuredTokensPerSecond: measured,
                line: lineNo)
            if let windowColumn = columns.firstIndex(of: "attention_window"), windowColumn < cells.count, !cells[windowColumn].isEmpty {
                guard let policy = AttentionWindowPolicy(rawValue: cells[windowColumn]) else {
                    throw DataError(file: file, location: "line \(lineNo), column attention_window",
                        "expected full or model, found \(Excerpt.quoted(cells[windowColumn]))")
                }
                row.attentionWindows = policy
            }
            rows.append(row)
        }
        return rows
    }

    /// Predicts every row at the largest batch that fits. `gpuOverride` replaces the rows' GPU
    /// names (e.g. a `--gpu-file` profile); else each row's `gpu` is looked up among the built-ins.
    /// Model names are looked up among the built-in parents case-insensitively.
    /// - Throws: `DataError` for an unknown model or GPU name, `CalibrationError` when the cost
    ///   model cannot predict a row (it does not fit, TP does not divide the heads, ...).
    public static func predict(_ rows: [CalibrationRow], file: String, gpuOverride: GPUProfile? = nil) throws -> [CalibrationResult] {
        var results: [CalibrationResult] = []
        for row in rows {
            guard let architecture = BuiltinModels.architecture(row.model.lowercased()) else {
                throw DataError(file: file, location: "line \(row.line), column model",
                    "unknown model \(Excerpt.quoted(row.model)); built-in: \(BuiltinModels.names.joined(separator: ", "))")
            }
            guard let gpu = gpuOverride ?? GPUProfile.builtin(named: row.gpu) else {
                throw DataError(file: file, location: "line \(row.line), column gpu",
                    "unknown GPU \(Excerpt.quoted(row.gpu)); built-in: \(GPUProfile.builtinNames.joined(separator: ", "))")
            }
            let e: ServingEstimate
            do throws(CostModelError) {
                var model = try CostModel(gpu: gpu, dtype: row.precision, kvDtype: row.precision, tp: row.tp)
                model.attentionWindows = row.attentionWindows
                e = try model.evaluate(architecture, scenario: row.scenario, batch: .max)
            } catch {
                throw CalibrationError(file: file, line: row.line, reason: error)
            }
            results.append(CalibrationResult(row: row, batch: e.batch, predictedTokensPerSecond: e.throughputTokensPerSecond))
        }
        return results
    }
}

/// A calibration row the cost model cannot predict (the model does not fit at that TP, ...).
public struct CalibrationError: Error, Sendable, Hashable {
    public var file: String
    /// 1-based line of the row.
    public var line: Int
    public var reason: CostModelError
}
