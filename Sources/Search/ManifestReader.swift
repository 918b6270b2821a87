import CostModel
import ModelArchitecture
import PuzzleCore

/// A search manifest read back: the typed counterpart of `Manifest.json`, kept beside it so that
/// a field added to the writer is not forgotten on the way back.
public struct ManifestRecord: Sendable {
    /// The cost settings the child was searched with.
    public struct Costs: Sendable {
        /// `model` (cost model) or `measured` (the library's stats).
        public var source: String
        /// The GPU profile (a built-in by name, or the embedded `gpuProfile`); nil for measured costs.
        public var gpu: GPUProfile?
        /// The GPU's name as written, also when no profile could be found for it.
        public var gpuName: String?
        public var dtype: DType?
        public var kvDtype: DType?
        /// A fixed TP, or nil for `auto`.
        public var tp: Int?
        /// A fixed batch, or nil for `auto`.
        public var batch: Int?
        public var scenarios: [Scenario]
        /// The runtime's admission policy (absent in older manifests: guaranteed-no-evict).
        public var scheduler: SchedulerPolicy
        /// The margin every budget was searched with, if any.
        public var margin: Margin?
    }

    /// A manifest's status: a child's `ChildStatus`, or no child.
    public enum Status: String, Sendable, Hashable {
        case optimal, feasible, infeasible
    }

    public var file: String
    public var name: String?
    public var status: Status
    public var objectiveMetric: String
    public var objectiveDirection: String
    public var objectiveValue: Double?
    public var parentName: String
    /// The child; nil for an infeasible answer.
    public var architecture: Architecture?
    /// Per scenario, the prediction at the configuration the child was served at (TP, batch).
    public var predicted: [ScenarioPrediction]
    public var parentPredicted: [ScenarioPrediction]
    public var costs: Costs
    /// The explanation of an infeasible answer.
    public var infeasibleMessage: String?

    /// The TP the child was served at (the first scenario's), when predicted.
    public var servedTP: Int? { predicted.first?.tp }

    /// The batch the child was served at in `scenario`, when predicted.
    public func servedBatch(_ scenario: Scenario) -> Int? {
        predicted.first { $0.inputTokens == scenario.inputTokens && $0.outputTokens == scenario.outputTokens }?.batchSize
    }
}

extension Manifest {
    /// Whether a parsed JSON object is a search manifest (`"kind": "puzzle-manifest"`).
    public static func isManifest(_ value: JSONValue) -> Bool {
        value["kind"]?.stringValue == "puzzle-manifest"
    }

    /// Whether a parsed JSON value is a list of manifests (`search --diverse K -o FILE`).
    public static func isManifestList(_ value: JSONValue) -> Bool {
        guard let items = value.arrayValue, let first = items.first else { return false }
        return isManifest(first)
    }

    /// Reads one manifest object. Every field is checked; errors name the file and the field.
    public static func read(_ r: JSONReader) throws(DataError) -> ManifestRecord {
        let kind = try r.required("kind").string
        guard kind == "puzzle-manifest" else { throw r.fail("kind: expected \"puzzle-manifest\", found \(Excerpt.quoted(kind))") }
        let versionReader = try r.required("version")
        let v = try versionReader.int
        guard v == version else { throw versionReader.fail("unsupported manifest version \(v); this puzzle reads version \(version)") }
        let statusText = try r.required("status").string
        guard let status = ManifestRecord.Status(rawValue: statusText) else {
            throw DataError(file: r.file, location: r.child("status"),
                "expected \"optimal\", \"feasible\" or \"infeasible\", found \(Excerpt.quoted(statusText))")
        }
        let objective = try r.required("objective")
        let parent = try r.required("parent")
        let name = try r.optional("name")?.string
        var architecture: Architecture?
        if status != .infeasible {
            guard let config = try r.optional("architecture") else {
                throw DataError(file: r.file, location: r.child("architecture"), "missing required field (a \(status) manifest carries its child)")
            }
            architecture = try ConfigReader.read(config, name: name ?? r.file)
        }
        let record = ManifestRecord(file: r.file, name: name, status: status,
            objectiveMetric: try objective.required("metric").string, objectiveDirection: try objective.required("direction").string,
            objectiveValue: try objective.optional("value")?.double, parentName: try parent.required("name").string,
            architecture: architecture, predicted: try predictions(r.optional("predicted")),
            parentPredicted: try predictions(r.optional("parentPredicted")), costs: try costs(r.required("costs")),
            infeasibleMessage: try r.optional("infeasible")?.optional("message")?.string)
        return record
    }

    static func predictions(_ r: JSONReader?) throws(DataError) -> [ScenarioPrediction] {
        guard let r else { return [] }
        var out: [ScenarioPrediction] = []
        for p in try r.array {
            func number(_ key: String) throws(DataError) -> Double { try p.required(key).double }
            func count(_ key: String) throws(DataError) -> Int { try p.required(key).int(in: 1...Int(Int32.max)) }
            out.append(ScenarioPrediction(inputTokens: try p.required("inputTokens").int(in: 1...Scenario.maxTokens),
                outputTokens: try p.required("outputTokens").int(in: 1...Scenario.maxTokens),
                throughputPerGPU: try number("throughputPerGPU"), throughput: try number("throughput"),
                batchSize: try count("batchSize"), tp: try p.required("tp").int(in: 1...64), memoryBytes: try number("memoryBytes"),
                weightsBytes: try number("weightsBytes"), kvCacheBytes: try number("kvCacheBytes"),
                capacityBytes: try number("capacityBytes"), ttftSeconds: try number("ttftSeconds"),
                tpotSeconds: try number("tpotSeconds"), speedup: try p.optional("speedup")?.double,
                band: try band(p.optional("band"))))
        }
        return out
    }

    /// An optional prediction `band`: quantiles [lower, upper] in (0, 1) and a [low, high] pair of
    /// finite numbers with low <= high per quantity.
    static func band(_ r: JSONReader?) throws(DataError) -> PredictedRanges? {
        guard let r else { return nil }
        func pair(_ key: String) throws(DataError) -> (Double, Double) {
            let reader = try r.required(key)
            let items = try reader.array
            guard items.count == 2 else { throw reader.fail("expected [low, high], found \(items.count) values") }
            let low = try items[0].double, high = try items[1].double
            guard low.isFinite, high.isFinite, low <= high else { throw reader.fail("expected finite low <= high, found [\(low), \(high)]") }
            return (low, high)
        }
        func range(_ key: String) throws(DataError) -> ValueRange {
            let (low, high) = try pair(key)
            return ValueRange(low: low, high: high)
        }
        let (lq, uq) = try pair("quantiles")
        guard lq > 0, uq < 1 else { throw DataError(file: r.file, location: r.child("quantiles"), "expected quantiles in (0, 1)") }
        return PredictedRanges(lowerQuantile: lq, upperQuantile: uq, throughputPerGPU: try range("throughputPerGPU"),
            throughput: try range("throughput"), tpotSeconds: try range("tpotSeconds"), ttftSeconds: try range("ttftSeconds"),
            memoryBytes: try range("memoryBytes"))
    }

    /// An optional `margin` object: spec (text) and the four fractions in [0, 1).
    static func margin(_ r: JSONReader?) throws(DataError) -> Margin? {
        guard let r else { return nil }
        func fraction(_ key: String) throws(DataError) -> Double {
            let reader = try r.required(key)
            let v = try reader.double
            guard v >= 0, v < 1 else { throw reader.fail("expected a fraction in [0, 1), found \(v)") }
            return v
        }
        return Margin(throughput: try fraction("throughput"), tpot: try fraction("tpot"), ttft: try fraction("ttft"),
            memory: try fraction("memory"), label: try r.required("spec").string)
    }

    static func costs(_ r: JSONReader) throws(DataError) -> ManifestRecord.Costs {
        let source = try r.required("source").string
        guard source == "model" || source == "measured" else {
            throw DataError(file: r.file, location: r.child("source"), "expected \"model\" or \"measured\", found \(Excerpt.quoted(source))")
        }
        var costs = ManifestRecord.Costs(source: source, gpu: nil, gpuName: nil, dtype: nil, kvDtype: nil, tp: nil, batch: nil,
            scenarios: [], scheduler: .guaranteedNoEvict, margin: nil)
        guard source == "model" else { return costs }
        let gpuName = try r.required("gpu").string
        costs.gpuName = gpuName
        if let embedded = try r.optional("gpuProfile") {
            costs.gpu = try GPUProfile(json: embedded)
        } else {
            costs.gpu = GPUProfile.builtin(named: gpuName)
        }
        func dtype(_ key: String) throws(DataError) -> DType {
            let reader = try r.required(key)
            let text = try reader.string
            guard let d = DType(name: text), CostModel.supportedDTypes.contains(d) else {
                throw reader.fail("expected bf16, fp16 or fp8, found \(Excerpt.quoted(text))")
            }
            return d
        }
        costs.dtype = try dtype("dtype")
        costs.kvDtype = try dtype("kvDtype")
        let tp = try r.required("tp")
        costs.tp = tp.value.stringValue == "auto" ? nil : try tp.int(in: 1...64)
        let batch = try r.required("batch")
        costs.batch = batch.value.stringValue == "auto" ? nil : try batch.int(in: 1...Int(Int32.max))
        for s in try r.required("scenarios").array {
            let text = try s.string
            guard let scenario = Scenario(parsing: text) else {
                throw s.fail("expected ISL/OSL with integers from 1 to \(Scenario.maxTokens), found \(Excerpt.quoted(text))")
            }
            costs.scenarios.append(scenario)
        }
        if let reader = try r.optional("scheduler") {
            let text = try reader.string
            guard let policy = SchedulerPolicy(rawValue: text) else {
                throw reader.fail("expected \(SchedulerPolicy.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")), found \(Excerpt.quoted(text))")
            }
            costs.scheduler = policy
        }
        costs.margin = try margin(r.optional("margin"))
        return costs
    }
}
