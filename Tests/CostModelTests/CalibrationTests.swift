import ModelArchitecture
import Foundation
import PuzzleCore
import Testing
@testable import CostModel

/// Against the measured data in ../shared (skipped with a message when it is absent).
@Suite struct CalibrationTests {
    @Test(.enabled(if: Fixtures.sharedFile("data/calibration/trtllm-h100-fp8.csv") != nil, "skipping: ../shared/data/calibration/trtllm-h100-fp8.csv not found"))
    func calibrationCSVWithinFloors() throws {
        let url = try #require(Fixtures.sharedFile("data/calibration/trtllm-h100-fp8.csv"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let rows = try Calibration.parse(text, file: url.path)
        #expect(rows.count == 20)
        let results = try Calibration.predict(rows, file: url.path)
        let s = ErrorSummary(absoluteErrors: results.map { abs($0.relativeError) })
        #expect(s.median <= 0.05, "median \(s.median)")
        #expect(s.max <= 0.20, "max \(s.max)")
    }

    @Test func csvErrorsNameLineAndColumn() {
        let text = "model,gpu,precision,tp,isl,osl,total_output_tokens_per_s\nLlama-3.1-8B,H100,FP8,zero,128,128,100\n"
        do {
            _ = try Calibration.parse(text, file: "x.csv")
            Issue.record("accepted a bad tp")
        } catch {
            #expect(error.location == "line 2, column tp")
        }
        #expect(throws: DataError.self) { try Calibration.parse("model,gpu\n", file: "x.csv") }
    }

    @Test func errorSummaryStatistics() {
        let s = ErrorSummary(absoluteErrors: [0.05, 0.01, 0.03, 0.02, 0.04, 0.10, 0.06, 0.07, 0.08, 0.09])
        #expect(Fixtures.relClose(s.median, 0.055))
        #expect(s.p90 == 0.09)
        #expect(s.max == 0.10)
    }

    /// NVlabs library: H100 FP8, batch 256, "sequence 1200" read as one decode step of 256 sequences
    /// each attending to 1200 cached tokens (runtime ratios do not depend on how many steps are summed).
    @Test(.enabled(if: Fixtures.sharedFile("data/nvlabs-puzzle-llama-3.3-70b/block_library.json") != nil, "skipping: ../shared/data/nvlabs-puzzle-llama-3.3-70b not found"))
    func perBlockRatiosMatchTheNVlabsMeasurements() throws {
        let url = try #require(Fixtures.sharedFile("data/nvlabs-puzzle-llama-3.3-70b/block_library.json"))
        let root = try JSONReader.parse(Array(try Data(contentsOf: url)), file: url.path)
        let layer0 = try root.required("layer_0")
        var ffnMs: [Int: Double] = [:]
        var attentionMs = 0.0
        for (_, value) in try layer0.object {
            guard let stats = value["stats"], let n = stats["ffn_intermediate_size"]?.intValue,
                let f = stats["ffn_runtime_ms"]?.doubleValue, let at = stats["attention_runtime_ms"]?.doubleValue
            else { continue }
            if n > 0 { ffnMs[n] = f }
            if at > 0 { attentionMs = at }
        }
        #expect(ffnMs.count == 7)
        let d = Fixtures.builtin("llama-3.3-70b").dimensions
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        func ffn(_ n: Int) -> Double { m.iterationSeconds(of: .swiGLU(intermediateSize: n), dimensions: d, tokens: 256) }
        let full = ffn(28672)
        let measuredFull = ffnMs[28672] ?? 0
        for (n, ms) in ffnMs {
            let predicted = ffn(n) / full
            let measured = ms / measuredFull
            print("per-block: ffn \(n) / ffn 28672 predicted \(predicted) measured \(measured)")
            #expect(abs(predicted / measured - 1) <= 0.15, "ffn \(n): predicted \(predicted) measured \(measured)")
        }
        let attention = m.iterationSeconds(of: .gqa(kvHeads: 8), dimensions: d, tokens: 256, generated: 256, contextTokens: 1200)
        let ratio = attention / full
        print("per-block: attention / ffn 28672 predicted \(ratio) measured \(attentionMs / measuredFull)")
        #expect(abs(ratio / (attentionMs / measuredFull) - 1) <= 0.15, "attention/ffn predicted \(ratio)")
    }
}
