import Foundation
import ModelArchitecture
import PuzzleCore
import Testing
@testable import CostModel

/// The families' cost terms against hand-derived closed forms.
@Suite struct FamilyCostTests {
    /// E (1 - (1 - k/E)^M): the experts M tokens touch, each picking k of E.
    @Test func expertCoverageClosedForm() {
        #expect(CostModel.expectedExpertsTouched(experts: 8, topK: 2, tokens: 1) == 2)
        #expect(Fixtures.relClose(CostModel.expectedExpertsTouched(experts: 8, topK: 2, tokens: 8), 8 * (1 - pow(0.75, 8))))
        #expect(Fixtures.relClose(CostModel.expectedExpertsTouched(experts: 128, topK: 8, tokens: 64), 128 * (1 - pow(120.0 / 128, 64))))
        // Keeping no more experts than top-k: every token touches all of them.
        #expect(CostModel.expectedExpertsTouched(experts: 2, topK: 8, tokens: 1) == 2)
        #expect(CostModel.expectedExpertsTouched(experts: 8, topK: 2, tokens: 0) == 0)
    }

    /// A decode step of one Qwen3-30B-A3B MoE layer at batch B = 1, 8, 64, 512 equals the closed form
    /// router + 2 grouped GEMMs over T(B) = E (1 - (1 - k/E)^B) touched experts + permutation + 8
    /// floors, and its weight traffic grows with T(B), not with B.
    @Test(arguments: [1, 8, 64, 512])
    func moeDecodeStepFollowsExpertCoverage(batch: Int) throws {
        let g = Fixtures.h100
        let m = try CostModel(gpu: g, dtype: .fp8, tp: 1)
        let d = Fixtures.builtin("qwen3-30b-a3b").dimensions
        let (e, k, size, hidden) = (128.0, 8.0, 768.0, 2048.0)
        let b = Double(batch)
        let touched = e * (1 - pow(1 - k / e, b))
        let routed = b * k
        let r = routed / touched
        let bw = g.hbmBytesPerSecond * g.hbmEfficiency
        let peak: Double = 1978.9e12 * g.gemmEfficiency * g.moeGemmEfficiency * r / (r + g.moeGemmHalfTokens)
        func grouped(_ kIn: Double, _ nOut: Double) -> Double {
            let compute: Double = 2 * routed * kIn * nOut / peak
            let memory: Double = (touched * kIn * nOut + routed * (kIn + nOut) * 2) / bw
            return max(compute, memory) + g.kernelFloorSeconds
        }
        // Router: BF16 weights (2 bytes) at the BF16 peak, one kernel.
        let routerPeak: Double = 989.4e12 * g.gemmEfficiency * b / (b + g.gemmHalfTokens)
        let routerCompute: Double = 2 * b * hidden * e / routerPeak
        let routerMemory: Double = (hidden * e * 2 + b * (hidden + e) * 2) / bw
        let router = max(routerCompute, routerMemory) + g.kernelFloorSeconds
        let permute: Double = 2 * (2 * routed * hidden * 2) / bw
        let gemms: Double = grouped(hidden, 2 * size) + grouped(size, hidden)
        let expected: Double = router + gemms + permute + 8 * g.kernelFloorSeconds
        let predicted = m.iterationSeconds(of: .moe(experts: 128, topK: 8), dimensions: d, tokens: b)
        #expect(Fixtures.relClose(predicted, expected, 1e-12), "B=\(batch): \(predicted) vs \(expected)")
        // At B = 1 and 8 decode is weight-bound: the expert weights read are T x 3 d m bytes.
        if batch <= 8 {
            let weightTime: Double = touched * 3 * hidden * size / bw
            let slack: Double = 4e-5 + 12 * g.kernelFloorSeconds
            #expect(predicted > weightTime)
            #expect(predicted < weightTime + slack)
        }
    }

    /// Expert coverage saturates: a step of 512 tokens costs far less than 512 single-token steps
    /// (all 128 experts are read once), while a dense FFN of the same active width grows less.
    @Test func moeStepAmortisesWeightReads() throws {
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        let d = Fixtures.builtin("qwen3-30b-a3b").dimensions
        let one = m.iterationSeconds(of: .moe(experts: 128, topK: 8), dimensions: d, tokens: 1)
        let many = m.iterationSeconds(of: .moe(experts: 128, topK: 8), dimensions: d, tokens: 512)
        #expect(many < 512 * one / 10)
        // Fewer experts kept: less weight to read at large batch.
        let half = m.iterationSeconds(of: .moe(experts: 64, topK: 8), dimensions: d, tokens: 512)
        #expect(half < many)
    }

    @Test func moeWeightBytesAndMXFP4Storage() throws {
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 2)
        let mixtral = Fixtures.builtin("mixtral-8x7b").dimensions
        // 8 experts x 3 x 4096 x 14336 / 2 FP8 bytes + (norm 4096 + router 4096 x 8) x 2.
        let all: Double = 8 * 3 * 4096 * 14336 / 2 + (4096 + 4096 * 8) * 2
        let half: Double = 4 * 3 * 4096 * 14336 / 2 + (4096 + 4096 * 4) * 2
        #expect(m.weightBytes(of: .moe(experts: 8, topK: 2), dimensions: mixtral) == all)
        #expect(m.weightBytes(of: .moe(experts: 4, topK: 2), dimensions: mixtral) == half)
        // gpt-oss experts stay MXFP4 (0.53125 B) below FP8; biases 32 x (2 x 2880 / 2 + 2880), router with bias.
        let gpt = Fixtures.builtin("gpt-oss-20b").dimensions
        let matrices: Double = 32.0 * 3 * 2880 * 2880 / 2 * 0.53125
        let vectors: Double = (2880 + 2880 * 32 + 32 + 32 * (2880 + 2880)) * 2
        let expected = matrices + vectors
        #expect(Fixtures.relClose(m.weightBytes(of: .moe(experts: 32, topK: 4), dimensions: gpt), expected))
    }

    @Test func attentionFamilyTerms() throws {
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        // Qwen2.5-7B: q/k/v biases (3584 + 2 x 512) in 16 bits beside the FP8 matrices.
        let q2 = Fixtures.builtin("qwen2.5-7b").dimensions
        let q2Bytes: Double = Double(2 * 3584 * 3584 + 2 * 3584 * 512) + Double(3584 + 3584 + 1024) * 2
        #expect(m.weightBytes(of: .gqa(kvHeads: 4), dimensions: q2) == q2Bytes)
        // gpt-oss: q/k/v/o biases, 64 sinks.
        let gpt = Fixtures.builtin("gpt-oss-20b").dimensions
        let gptBytes: Double = Double(2 * 2880 * 4096 + 2 * 2880 * 512) + Double(2880 + 4096 + 1024 + 2880 + 64) * 2
        #expect(m.weightBytes(of: .gqa(kvHeads: 8), dimensions: gpt) == gptBytes)
        // Qwen3: q/k norms add one elementwise pass over q and k: M (h + k) e x 2 bytes, read and written.
        let q3 = Fixtures.builtin("qwen3-8b").dimensions
        var plain = q3
        plain.qkNorm = false
        let withNorm = m.iterationSeconds(of: .gqa(kvHeads: 8), dimensions: q3, tokens: 1000, generated: 0, contextTokens: 0)
        let without = m.iterationSeconds(of: .gqa(kvHeads: 8), dimensions: plain, tokens: 1000, generated: 0, contextTokens: 0)
        let bw = Fixtures.h100.hbmBytesPerSecond * Fixtures.h100.hbmEfficiency
        let normBytes: Double = 2 * 1000 * (32 + 8) * 128 * 2
        #expect(Fixtures.relClose(withNorm - without, normBytes / bw))
    }

    /// A sliding window caps the KV a sequence holds, what decode reads and the prefill FLOPs.
    @Test func slidingWindowCapsKVAndReads() throws {
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        let d = Fixtures.builtin("mistral-7b").dimensions
        let s = Scenario(inputTokens: 20000, outputTokens: 2000)
        let sliding = AttentionVariant.slidingWindow(kvHeads: 8, window: 4096)
        #expect(m.kvBytesPerSequence(of: sliding, dimensions: d, scenario: s) == 2048 * 4096)
        #expect(m.kvBytesPerSequence(of: .gqa(kvHeads: 8), dimensions: d, scenario: s) == 2048 * 22000)
        // Mean cached context: ISL above the window -> the window; partly inside -> the closed form.
        #expect(CostModel.meanCachedContext(s, window: 4096) == 4096)
        let mid = Scenario(inputTokens: 3000, outputTokens: 2000)
        let meanContext: Double = ((4096.0 * 4096 - 3000 * 3000) / 2 + 904 * 4096) / 2000
        #expect(Fixtures.relClose(CostModel.meanCachedContext(mid, window: 4096), meanContext))
        #expect(CostModel.meanCachedContext(mid, window: nil) == 4000)
        // Prefill attention: W^2/2 + (L - W) W query-key pairs instead of L^2/2, at the window's tile efficiency.
        let full = m.prefillAttentionSeconds(d, length: 20000)
        let capped = m.prefillAttentionSeconds(d, length: 20000, window: 4096)
        let pairs: Double = 4096.0 * 4096 / 2 + 15904 * 4096
        let pairsRatio: Double = pairs / (20000.0 * 20000 / 2)
        let efficiencyRatio: Double = (20000.0 / 20128) / (4096.0 / 4224)
        #expect(Fixtures.relClose(capped / full, pairsRatio * efficiencyRatio))
        // A whole model: the window roughly quintuples the batch at 20000/2000.
        let windowed = try m.maxBatch(Fixtures.builtin("mistral-7b"), scenario: s)
        var fullModel = m
        fullModel.attentionWindows = .fullAttention
        let unwindowed = try fullModel.maxBatch(Fixtures.builtin("mistral-7b"), scenario: s)
        #expect(windowed >= 5 * unwindowed)
        #expect(unwindowed == 48)
    }

    /// gpt-oss's alternating layers: 12 full layers hold the whole sequence, 12 sliding ones 128 tokens.
    @Test func gptOssAlternatingKV() throws {
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        let a = Fixtures.builtin("gpt-oss-20b")
        let s = Scenario(inputTokens: 1000, outputTokens: 1000)
        let kv: Double = Double(12 * 2000 + 12 * 128) * 2 * 8 * 64
        #expect(m.kvBytesPerSequence(a, scenario: s) == kv)
    }
}

/// The Mistral and Mixtral rows of the TensorRT-LLM v0.17 H100 FP8 file, with the constants shared
/// by every family (floors of issues 12 and 14).
@Suite struct FamilyCalibrationTests {
    @Test(.enabled(if: Fixtures.sharedFile("data/calibration/trtllm-h100-fp8-mistral-mixtral.csv") != nil,
        "skipping: ../shared/data/calibration/trtllm-h100-fp8-mistral-mixtral.csv not found"))
    func mistralAndMixtralWithinFloors() throws {
        let url = try #require(Fixtures.sharedFile("data/calibration/trtllm-h100-fp8-mistral-mixtral.csv"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let rows = try Calibration.parse(text, file: url.path)
        let results = try Calibration.predict(rows, file: url.path)
        let mistral = ErrorSummary(absoluteErrors: results.filter { $0.row.model.hasPrefix("Mistral") }.map { abs($0.relativeError) })
        let mixtral = ErrorSummary(absoluteErrors: results.filter { $0.row.model.hasPrefix("Mixtral") }.map { abs($0.relativeError) })
        #expect(mistral.count == 9 && mixtral.count == 36)
        #expect(mistral.median <= 0.05 && mistral.max <= 0.15, "Mistral median \(mistral.median), worst \(mistral.max)")
        #expect(mixtral.median <= 0.08 && mixtral.max <= 0.25, "Mixtral median \(mixtral.median), worst \(mixtral.max)")
    }

    @Test func attentionWindowColumn() throws {
        let text = "model,gpu,precision,tp,isl,osl,total_output_tokens_per_s,attention_window\n"
            + "Mistral-7B-v0.1,H100,FP8,1,20000,2000,1373.24,model\nMistral-7B-v0.1,H100,FP8,1,20000,2000,1373.24,\n"
        let rows = try Calibration.parse(text, file: "w.csv")
        #expect(rows.map(\.attentionWindows) == [.model, .fullAttention])
        let results = try Calibration.predict(rows, file: "w.csv")
        // Honouring the 4096 window quintuples the batch: trtllm-bench's measurement says it does not.
        #expect(results[0].batch > 5 * results[1].batch)
        #expect(throws: DataError.self) { try Calibration.parse(text.replacingOccurrences(of: ",model\n", with: ",sliding\n"), file: "w.csv") }
    }
}
