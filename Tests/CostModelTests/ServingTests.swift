import Foundation
import ModelArchitecture
import PuzzleCore
import Testing
@testable import CostModel

/// Serving-level terms: the memory rule with a batch-dependent reserve, the scheduler policies,
/// the published operating points of the Puzzle paper, small-batch latency and the bands.
@Suite struct ServingTests {
    static let n51Path = Fixtures.repoRoot.appendingPathComponent("bench/data/llama-3.1-nemotron-51b.config.json")

    static func nemotron51B() throws -> Architecture {
        try ConfigReader.read(Array(try Data(contentsOf: n51Path)), file: n51Path.path)
    }

    /// The real Nemotron-51B layer list: 51.5B parameters (model card), 371 KV heads (sum of
    /// 64 / n_heads_in_group over its GQA layers), 92.75 KiB of FP8 KV per token at TP 1.
    @Test func nemotron51BConfigMatchesItsPublishedSize() throws {
        let a = try Self.nemotron51B()
        #expect(a.parameters == 51_501_015_040)
        #expect(a.kvHeadsTotal == 371)
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        #expect(m.weightAndKV(a).kvBytesPerToken == 371 * 2 * 128)
        #expect(CostModel.widestFFN(a) == 28672)
    }

    /// Paper operating point 1 (Puzzle, ICML 2025): Nemotron-51B at TP 1, batch 256, 128/1024 on
    /// one H100 at FP8. Under guaranteed-no-evict reservations (every sequence holds 1152 tokens)
    /// the pool holds fewer than 256; with max-utilization scheduling (staggered sequences hold
    /// 128 + 512 tokens on average) 256 fit. Both largest batches are derived here by hand.
    @Test func nemotron51BFitsBatch256AtTP1() throws {
        let a = try Self.nemotron51B()
        let s = Scenario(inputTokens: 128, outputTokens: 1024)
        let g = Fixtures.h100
        let guaranteed = try CostModel(gpu: g, dtype: .fp8, tp: 1)
        let staggered = try CostModel(gpu: g, dtype: .fp8, tp: 1, scheduler: .maxUtilization)
        let weights = guaranteed.weightAndKV(a).weightBytes
        // Weights by hand: layers at 1 byte except their norms (2 bytes), embeddings + LM head BF16.
        let d = 8192.0
        let embedHead = 2 * 128_256 * d
        let norms = Double(a.layers.reduce(0) { $0 + ($1.attention == .noOp ? 0 : 1) + ($1.ffn == .noOp ? 0 : 1) }) * d
        let byHand = (51_501_015_040 - embedHead - d - norms) + 2 * norms + 2 * embedHead + 2 * d
        #expect(Fixtures.relClose(weights, byHand))
        // Reserve at the 2048-token budget: base + 2048 x 2 (8192 + 3 x 28672) bytes.
        let reserve = g.runtimeReserveBytes + 2048 * 2 * (d + 3 * 28672)
        let pool = 0.95 * (g.memoryBytes - weights - reserve)
        let kv = 371.0 * 2 * 128
        let largestGuaranteed = Int((pool / (1152 * kv)).rounded(.down))
        #expect(try guaranteed.maxBatch(a, scenario: s) == largestGuaranteed)
        #expect(largestGuaranteed < 256)
        #expect(256 * (128 + 512) * kv <= pool)
        #expect(try staggered.maxBatch(a, scenario: s) >= 256)
        let e = try staggered.evaluate(a, scenario: s, batch: .fixed(256))
        #expect(e.memory.kvCacheBytes == 256 * (128 + 512) * kv)
        // Published: 6472 tokens/s/GPU. A check, never fitted: within the prediction band.
        let band = PredictionBands.calibrated.throughput.interval(e.throughputPerGPUTokensPerSecond)
        print("operating point: Nemotron-51B TP1 batch 256 predicted \(e.throughputPerGPUTokensPerSecond) tok/s/GPU (band \(band)), published 6472")
        #expect(abs(e.throughputPerGPUTokensPerSecond / 6472 - 1) < 0.10)
    }

    /// Paper operating point 2: Llama-3.1-70B at TP 4, batch 384 (128/1024) fits either way.
    @Test func parentAtTP4Batch384() throws {
        let a = Fixtures.builtin("llama-3.1-70b")
        let s = Scenario(inputTokens: 128, outputTokens: 1024)
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 4)
        #expect(try m.maxBatch(a, scenario: s) > 384)
        let e = try m.evaluate(a, scenario: s, batch: .fixed(384))
        print("operating point: Llama-3.1-70B TP4 batch 384 predicted \(e.throughputPerGPUTokensPerSecond) tok/s/GPU, published 2975")
        #expect(e.throughputPerGPUTokensPerSecond > 2000 && e.throughputPerGPUTokensPerSecond < 3500)
    }

    @Test func schedulerPolicyTokensPerSequence() {
        let s = Scenario(inputTokens: 128, outputTokens: 1024)
        #expect(SchedulerPolicy.guaranteedNoEvict.kvTokensPerSequence(s) == 1152)
        #expect(SchedulerPolicy.maxUtilization.kvTokensPerSequence(s) == 640)
        #expect(SchedulerPolicy(rawValue: "max-utilization") == .maxUtilization)
    }

    /// The reserve grows with the token budget (TensorRT-LLM sizes activations for max num tokens).
    @Test func reserveGrowsWithTheTokenBudget() throws {
        let a = Fixtures.builtin("llama-3.1-8b")
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        let s = Scenario(inputTokens: 128, outputTokens: 128)
        let act = m.activationBytesPerToken(a)
        #expect(act == 2 * (4096 + 3 * 14336))
        #expect(m.reserveBytes(activationBytesPerToken: act, scenario: s, batch: 1) == m.gpu.runtimeReserveBytes + 2048 * act)
        #expect(m.reserveBytes(activationBytesPerToken: act, scenario: s, batch: 4000) == m.gpu.runtimeReserveBytes + 8192 * act)
        let e = try m.evaluate(a, scenario: s, batch: .max)
        #expect(e.memory.reserveBytes == m.reserveBytes(activationBytesPerToken: act, scenario: s, batch: e.batch))
        #expect(e.memory.kvCacheBytes <= e.memory.kvPoolBytes)
    }

    /// Published small-batch latencies (bench/data/small-batch-latency.csv): every row predicted,
    /// TPOT at batch 1-16 within 20%, and TTFT within 15%.
    @Test func smallBatchLatencies() throws {
        let url = Fixtures.repoRoot.appendingPathComponent("bench/data/small-batch-latency.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(Calibration.isLatencyCSV(text))
        let rows = try Calibration.parseLatency(text, file: url.path)
        #expect(rows.count == 8)
        let results = try Calibration.predictLatency(rows, file: url.path)
        for r in results {
            print("latency: \(r.row.model) TP\(r.row.tp) \(r.row.scenario) c=\(r.row.concurrency) \(r.row.metric.rawValue) predicted \(r.predicted) measured \(r.row.measured)")
            if r.row.metric == .tpotMilliseconds && r.row.concurrency <= 16 {
                #expect(abs(r.relativeError) <= 0.20, "line \(r.row.line): \(r.relativeError)")
            } else {
                #expect(abs(r.relativeError) <= 0.15, "line \(r.row.line): \(r.relativeError)")
            }
        }
    }

    @Test func latencyCSVErrorsNameLineAndColumn() {
        let header = "model,gpu,precision,tp,isl,osl,concurrency,metric,value,role\n"
        for (row, column) in [("llama-3.1-8b,H100,fp8,1,128,128,1,itl,5,fit", "metric"), ("llama-3.1-8b,H100,fp8,1,128,128,0,tpot_ms,5,fit", "concurrency"),
            ("llama-3.1-8b,H100,fp8,1,128,128,1,tpot_ms,-5,fit", "value"), ("llama-3.1-8b,H100,fp8,1,128,128,1,tpot_ms,5,train", "role")]
        {
            do {
                _ = try Calibration.parseLatency(header + row + "\n", file: "x.csv")
                Issue.record("accepted \(row)")
            } catch {
                #expect(error.location == "line 2, column \(column)")
            }
        }
    }

    /// The bands are the nearest-rank 10th/90th percentiles of measured/predicted - 1 over the
    /// published rows (PredictionBands' documentation), rounded to 0.1%.
    @Test func bandsMatchTheData() throws {
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 0.0006 }
        let latencyURL = Fixtures.repoRoot.appendingPathComponent("bench/data/small-batch-latency.csv")
        let latency = try Calibration.predictLatency(try Calibration.parseLatency(try String(contentsOf: latencyURL, encoding: .utf8),
            file: "l"), file: "l")
        let ratio = { (r: LatencyResult) in r.row.measured / r.predicted - 1 }
        let tpot = ErrorBand(ratios: latency.filter { $0.row.metric == .tpotMilliseconds && $0.row.concurrency <= 16 }.map(ratio))
        let ttft = ErrorBand(ratios: latency.filter { $0.row.metric == .ttftMilliseconds || $0.row.concurrency <= 16 }.map(ratio))
        let bands = PredictionBands.calibrated
        #expect(close(tpot.lower, bands.tpot.lower) && close(tpot.upper, bands.tpot.upper) && tpot.rows == bands.tpot.rows)
        #expect(close(ttft.lower, bands.ttft.lower) && close(ttft.upper, bands.ttft.upper) && ttft.rows == bands.ttft.rows)
        guard let calibration = Fixtures.sharedFile("data/calibration/trtllm-h100-fp8.csv") else {
            print("skipping the throughput band: ../shared/data/calibration/trtllm-h100-fp8.csv not found")
            return
        }
        let outOfSample = Fixtures.repoRoot.appendingPathComponent("bench/data/trtllm-v1.0-perf-overview-fp8.csv")
        var ratios: [Double] = []
        for url in [calibration, outOfSample] {
            let rows = try Calibration.parse(try String(contentsOf: url, encoding: .utf8), file: url.path)
            ratios += try Calibration.predict(rows, file: url.path).map { $0.row.measuredTokensPerSecond / $0.predictedTokensPerSecond - 1 }
        }
        let throughput = ErrorBand(ratios: ratios)
        #expect(close(throughput.lower, bands.throughput.lower) && close(throughput.upper, bands.throughput.upper))
        #expect(throughput.rows == 80 && bands.throughput.rows == 80)
    }

    @Test func errorBandQuantilesByNearestRank() {
        let b = ErrorBand(ratios: (1...20).map { Double($0) / 100 })
        #expect(b.lower == 0.02 && b.upper == 0.18 && b.rows == 20)
        #expect(b.interval(100) == (102, 118))
    }
}
