import ModelArchitecture
import PuzzleCore

/// One published small-batch latency (a row of bench/data/small-batch-latency.csv): the time per
/// output token or the time to first token of `concurrency` concurrent sequences.
public struct LatencyRow: Sendable, Hashable {
    public enum Metric: String, Sendable, Hashable {
        /// Time per output token (inter-token latency) in milliseconds.
        case tpotMilliseconds = "tpot_ms"
        /// Time to first token in milliseconds.
        case ttftMilliseconds = "ttft_ms"
    }

    /// `fit`: used by bench/fit_cost_model.py --small-batch; `check`: only compared.
    public enum Role: String, Sendable, Hashable { case fit, check }

    public var model: String
    public var gpu: String
    public var precision: DType
    public var tp: Int
    public var scenario: Scenario
    /// Concurrent sequences (the batch the engine runs).
    public var concurrency: Int
    public var metric: Metric
    /// The measured value in the metric's unit (milliseconds).
    public var measured: Double
    public var role: Role
    /// 1-based line in the file.
    public var line: Int
}

/// A latency row with the cost model's prediction at the row's batch.
public struct LatencyResult: Sendable, Hashable {
    public var row: LatencyRow
    /// Predicted value in the metric's unit (milliseconds).
    public var predicted: Double
    /// predicted / measured - 1.
    public var relativeError: Double { predicted / row.measured - 1 }
}

extension Calibration {
    /// Whether a CSV header is that of a latency file (it has a `metric` column).
    public static func isLatencyCSV(_ text: String) -> Bool {
        let header = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return header.split(separator: ",").map { String($0).trimmingWhitespace() }.contains("metric")
    }

    /// Parses a latency CSV with the header columns model, gpu, precision, tp, isl, osl, concurrency,
    /// metric (`tpot_ms` or `ttft_ms`), value, role (`fit` or `check`); other columns (a trailing
    /// quoted `source`) are ignored.
    public static func parseLatency(_ text: String, file: String) throws(DataError) -> [LatencyRow] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { String($0).trimmingWhitespace() }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw DataError(file: file, location: "line 1", "empty file; expected a CSV header") }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        let needed = ["model", "gpu", "precision", "tp", "isl", "osl", "concurrency", "metric", "value", "role"]
        var index: [String: Int] = [:]
        for name in needed {
            guard let i = columns.firstIndex(of: name) else {
                throw DataError(file: file, location: "line 1", "missing column \"\(name)\"; expected \(needed.joined(separator: ","))")
            }
            index[name] = i
        }
        var rows: [LatencyRow] = []
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
            let metricText = try cell("metric")
            guard let metric = LatencyRow.Metric(rawValue: metricText) else {
                throw DataError(file: file, location: "line \(lineNo), column metric", "expected tpot_ms or ttft_ms, found \(Excerpt.quoted(metricText))")
            }
            let roleText = try cell("role")
            guard let role = LatencyRow.Role(rawValue: roleText) else {
                throw DataError(file: file, location: "line \(lineNo), column role", "expected fit or check, found \(Excerpt.quoted(roleText))")
            }
            let valueText = try cell("value")
            guard let value = Double(valueText), value > 0, value.isFinite else {
                throw DataError(file: file, location: "line \(lineNo), column value", "expected a positive number, found \(Excerpt.quoted(valueText))")
            }
            rows.append(LatencyRow(model: try cell("model"), gpu: try cell("gpu"), precision: precision, tp: try int("tp", max: 64),
                scenario: Scenario(inputTokens: try int("isl", max: Scenario.maxTokens), outputTokens: try int("osl", max: Scenario.maxTokens)),
                concurrency: try int("concurrency", max: 1_000_000), metric: metric, measured: value, role: role, line: lineNo))
        }
        return rows
    }

    /// Predicts every latency row at its batch (the concurrency): TPOT is one sequence's decode
    /// step (`ServingEstimate.tpotSeconds`), TTFT one prompt on an idle engine. Models are the
    /// built-in parents (case-insensitive); `gpuOverride` as in `predict`.
    /// - Throws: `DataError` for an unknown model or GPU, `CalibrationError` when the cost model
    ///   cannot predict a row.
    public static func predictLatency(_ rows: [LatencyRow], file: String, gpuOverride: GPUProfile? = nil) throws -> [LatencyResult] {
        var out: [LatencyResult] = []
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
                let model = try CostModel(gpu: gpu, dtype: row.precision, kvDtype: row.precision, tp: row.tp)
                e = try model.evaluate(architecture, scenario: row.scenario, batch: .fixed(row.concurrency))
            } catch {
                throw CalibrationError(file: file, line: row.line, reason: error)
            }
            let seconds = row.metric == .tpotMilliseconds ? e.tpotSeconds : e.ttftSeconds
            out.append(LatencyResult(row: row, predicted: seconds * 1e3))
        }
        return out
    }
}
