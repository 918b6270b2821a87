import ModelArchitecture
import PuzzleCore
import Testing
@testable import CostModel

/// Each formula against numbers derived by hand.
@Suite struct FormulaTests {
    @Test func gemmFlopsAndBytes() {
        // 256 tokens through an 8192 x 8192 FP8 matrix with 16-bit activations.
        #expect(Roofline.gemmFlops(tokens: 256, rows: 8192, cols: 8192) == 34_359_738_368)
        #expect(Roofline.gemmBytes(tokens: 256, rows: 8192, cols: 8192, weightBytes: 1, activationBytes: 2) == 75_497_472)
    }

    @Test func gemmTimeIsRooflinePlusFloor() {
        let r = Roofline(peakFlopsPerSecond: 1e15, gemmEfficiency: 0.5, gemmHalfTokens: 0, hbmBytesPerSecond: 1e12,
            kernelFloorSeconds: 1e-6)
        // compute 3.4359738368e10 / 5e14 = 6.8719e-5 s < memory 7.5497472e-5 s -> memory bound.
        #expect(Fixtures.relClose(r.gemmSeconds(tokens: 256, rows: 8192, cols: 8192, weightBytes: 1), 7.5497472e-5 + 1e-6))
        // 4096 tokens: compute 5.49755813888e11 / 5e14 = 1.099511627776e-3 s dominates.
        #expect(Fixtures.relClose(r.gemmSeconds(tokens: 4096, rows: 8192, cols: 8192, weightBytes: 1), 1.099511627776e-3 + 1e-6))
        #expect(r.gemmSeconds(tokens: 0, rows: 8192, cols: 8192, weightBytes: 1) == 0)
        // Half efficiency at M = M½: 64 tokens with M½ = 64 take twice the pure compute time.
        let h = Roofline(peakFlopsPerSecond: 1e15, gemmEfficiency: 1, gemmHalfTokens: 64, hbmBytesPerSecond: 1e30,
            kernelFloorSeconds: 0)
        #expect(Fixtures.relClose(h.gemmSeconds(tokens: 64, rows: 1000, cols: 1000, weightBytes: 1), 2 * 2 * 64 * 1e6 / 1e15))
    }

    @Test func kvBytesOfGQALayer() throws {
        let d = Fixtures.builtin("llama-3.1-70b").dimensions
        let fp8 = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        #expect(fp8.kvBytesPerToken(of: .gqa(kvHeads: 8), dimensions: d) == 2048)  // 2 x 8 x 128 x 1
        let bf16 = try CostModel(gpu: Fixtures.h100, dtype: .bf16, tp: 1)
        #expect(bf16.kvBytesPerToken(of: .gqa(kvHeads: 8), dimensions: d) == 4096)
        let mixed = try CostModel(gpu: Fixtures.h100, dtype: .bf16, kvDtype: .fp8, tp: 1)
        #expect(mixed.kvBytesPerToken(of: .gqa(kvHeads: 8), dimensions: d) == 2048)
        #expect(try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 4).kvBytesPerToken(of: .gqa(kvHeads: 8), dimensions: d) == 512)
        // TP 8 with 1 KV head: the head is replicated on every GPU.
        #expect(try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 8).kvBytesPerToken(of: .gqa(kvHeads: 1), dimensions: d) == 256)
        #expect(fp8.kvBytesPerToken(of: .linear, dimensions: d) == 0)
        #expect(fp8.kvBytesPerToken(of: .noOp, dimensions: d) == 0)
    }

    @Test func allReducePayloadAndTime() throws {
        let g = Fixtures.h100
        let m = try CostModel(gpu: g, dtype: .fp8, tp: 8)
        #expect(m.allReducePayloadBytes(tokens: 1000, hidden: 8192) == 16_384_000)
        let expected = 50e-6 + 16_384_000 * 2 * 7 / 8 / (450e9 * 0.657)
        #expect(Fixtures.relClose(m.allReduceSeconds(tokens: 1000, hidden: 8192), expected))
        #expect(try CostModel(gpu: g, dtype: .fp8, tp: 1).allReduceSeconds(tokens: 1000, hidden: 8192) == 0)
        // Up to 256 KiB (16 tokens of width 8192) TensorRT-LLM's one-shot kernel: every rank reads
        // its 7 peers' payloads after a 12.9 us fixed time.
        let small: Double = 12.9e-6 + 16 * 8192 * 2 * 7 / (450e9 * 0.657)
        #expect(Fixtures.relClose(m.allReduceSeconds(tokens: 16, hidden: 8192), small))
        // Two-shot (same fixed time, ring bandwidth) up to 2 MiB = 128 tokens, then the ring.
        let twoShot: Double = 12.9e-6 + 17 * 8192 * 2 * 2 * 7 / 8 / (450e9 * 0.657)
        #expect(Fixtures.relClose(m.allReduceSeconds(tokens: 17, hidden: 8192), twoShot))
        let twoShotEdge: Double = 12.9e-6 + 128 * 8192 * 2 * 2 * 7 / 8 / (450e9 * 0.657)
        #expect(Fixtures.relClose(m.allReduceSeconds(tokens: 128, hidden: 8192), twoShotEdge))
        let above: Double = 50e-6 + 129 * 8192 * 2 * 2 * 7 / 8 / (450e9 * 0.657)
        #expect(Fixtures.relClose(m.allReduceSeconds(tokens: 129, hidden: 8192), above))
        // A profile file without the one-/two-shot keys keeps the ring for every payload.
        var text = BuiltinGPUProfileText.text("h100-sxm") ?? ""
        for key in ["allReduceOneShotLatencySeconds", "allReduceOneShotMaxBytes", "allReduceTwoShotMaxBytes"] {
            guard let start = text.range(of: "    \"\(key)\": {"), let end = text.range(of: "},\n", range: start.upperBound..<text.endIndex) else {
                Issue.record("\(key) not in the built-in profile")
                return
            }
            text.removeSubrange(start.lowerBound..<end.upperBound)
        }
        let plain = try GPUProfile.parse(Array(text.utf8), file: "plain.json")
        #expect(plain.allReduceOneShotMaxBytes == 0 && plain.allReduceOneShotLatencySeconds == 50e-6)
        let ring = try CostModel(gpu: plain, dtype: .fp8, tp: 8)
        let ringSmall: Double = 50e-6 + 16 * 8192 * 2 * 2 * 7 / 8 / (450e9 * 0.657)
        #expect(Fixtures.relClose(ring.allReduceSeconds(tokens: 16, hidden: 8192), ringSmall))
        #expect(plain.json["constants"]?["allReduceOneShotMaxBytes"] == nil)
    }

    @Test func weightBytesPerGPU() throws {
        let d = Fixtures.builtin("llama-3.1-70b").dimensions
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        // (2 x 8192 x 8192 + 2 x 8192 x 1024) x 1 byte + 8192 x 2 (norm)
        #expect(m.weightBytes(of: .gqa(kvHeads: 8), dimensions: d) == 151_011_328)
        #expect(m.weightBytes(of: .swiGLU(intermediateSize: 28672), dimensions: d) == 704_643_072 + 16_384)
        // embeddings + LM head in BF16 (2 x 128256 x 8192 x 2) + final norm
        #expect(m.nonLayerWeightBytes(dimensions: d) == 4_202_692_608 + 16_384)
        let tp2 = try CostModel(gpu: Fixtures.h100, dtype: .bf16, tp: 2)
        #expect(tp2.weightBytes(of: .swiGLU(intermediateSize: 28672), dimensions: d) == 3 * 8192 * 28672 / 2 * 2 + 16_384)
        #expect(m.weightBytes(of: AttentionVariant.linear, dimensions: d) == 8192 * 8192 + 16_384)
    }

    @Test func tokenBudgetFollowsTrtllmBenchHeuristic() throws {
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 1)
        // 100 x (1 + 128/128) = 200 -> minimum 2048
        #expect(m.tokenBudget(scenario: Scenario(inputTokens: 128, outputTokens: 128), batch: 100) == 2048)
        // 300 x 17 = 5100 -> 512-rounded 5120
        #expect(m.tokenBudget(scenario: Scenario(inputTokens: 2048, outputTokens: 128), batch: 300) == 5120)
        // 477 x 17 = 8109 -> 8192 (512 steps below 8192)
        #expect(m.tokenBudget(scenario: Scenario(inputTokens: 2048, outputTokens: 128), batch: 477) == 8192)
        // capped at 32768
        #expect(m.tokenBudget(scenario: Scenario(inputTokens: 2048, outputTokens: 128), batch: 4000) == 32768)
        let p = m.plan(scenario: Scenario(inputTokens: 2048, outputTokens: 128), batch: 4000)
        #expect(Fixtures.relClose(p.iterations, 4000.0 * 2176 / 32768))
        #expect(Fixtures.relClose(p.tokensPerIteration, 32768))
        #expect(p.meanContextTokens == 2048 + 64)
    }

    @Test func scenarioParsing() throws {
        #expect(Scenario(parsing: "128/1024") == Scenario(inputTokens: 128, outputTokens: 1024))
        for bad in ["128", "128/", "/5", "0/10", "a/b", "1/2/3", "-1/5", "99999999999999999999/5", "16777217/1"] {
            #expect(Scenario(parsing: bad) == nil, "\(bad)")
        }
        #expect(Scenario(parsing: "16777216/1") != nil)
    }

    @Test func dtypeSupport() {
        guard let a100 = GPUProfile.builtin(named: "a100") else {
            Issue.record("a100 alias missing")
            return
        }
        #expect(throws: CostModelError.noTensorCores(gpu: "a100-80gb", dtype: .fp8)) { try CostModel(gpu: a100, dtype: .fp8, tp: 1) }
        #expect(throws: CostModelError.unsupportedDType(.int4, role: .weights)) { try CostModel(gpu: a100, dtype: .int4, tp: 1) }
        #expect(throws: CostModelError.invalidTP(0)) { try CostModel(gpu: a100, dtype: .bf16, tp: 0) }
    }
}
