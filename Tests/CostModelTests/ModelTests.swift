import ModelArchitecture
import PuzzleCore
import Testing
@testable import CostModel

/// Whole-model properties: additivity, monotonicity, parent consistency, memory and fit errors.
@Suite struct ModelTests {
    @Test func heterogeneousEstimateIsTheSumOfItsParts() throws {
        let a = Fixtures.heterogeneous70B
        let s = Scenario(inputTokens: 512, outputTokens: 256)
        let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: 2)
        for batch in [1, 17, 64] {
            let e = try m.evaluate(a, scenario: s, batch: .fixed(batch))
            var sum = m.nonLayerCosts(dimensions: a.dimensions, scenario: s, batch: batch)
            for layer in a.layers {
                sum += m.costs(of: layer.attention, dimensions: a.dimensions, scenario: s, batch: batch)
                sum += m.costs(of: layer.ffn, dimensions: a.dimensions, scenario: s, batch: batch)
            }
            #expect(Fixtures.relClose(e.total.cycleSeconds, sum.cycleSeconds))
            #expect(Fixtures.relClose(e.total.weightBytes, sum.weightBytes))
            #expect(Fixtures.relClose(e.total.kvBytesPerToken, sum.kvBytesPerToken))
            #expect(Fixtures.relClose(e.ttftSeconds, sum.prefillSeconds))
            #expect(Fixtures.relClose(e.tpotSeconds, sum.decodeStepSeconds))
            #expect(Fixtures.relClose(e.throughputPerGPUTokensPerSecond, Double(batch * 256) / sum.cycleSeconds / 2))
            // One sequence's step leaves its own prompt out: never above cycle / iterations.
            #expect(sum.decodeStepSeconds <= sum.cycleSeconds / e.plan.iterations * (1 + 1e-12))
            if batch == 1 {
                // At batch 1 it is the pure decode step of one token at the mean context.
                var step = m.nonLayerCosts(dimensions: a.dimensions, scenario: s, batch: 1).decodeStepSeconds
                for layer in a.layers {
                    step += m.iterationSeconds(of: layer.attention, dimensions: a.dimensions, tokens: 1, generated: 1, contextTokens: 512 + 128)
                    step += m.iterationSeconds(of: layer.ffn, dimensions: a.dimensions, tokens: 1)
                }
                #expect(Fixtures.relClose(sum.decodeStepSeconds, step))
            }
            // weights and KV against the Architecture module's own accounting (no-op and linear included)
            let kvHeadsPerGPU = a.layers.reduce(0) { $0 + ($1.attention.kvHeads + 1) / 2 }
            #expect(e.total.kvBytesPerToken == Double(kvHeadsPerGPU * 2 * 128))
        }
    }

    @Test func moreKVHeadsAreNeverCheaper() throws {
        let d = Fixtures.builtin("llama-3.1-70b").dimensions
        for tp in [1, 2, 8] {
            let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: tp)
            for s in [Scenario(inputTokens: 128, outputTokens: 128), Scenario(inputTokens: 2048, outputTokens: 2048)] {
                for batch in [1, 8, 256, 2048] {
                    var previous: SubblockCost?
                    for k in [1, 2, 4, 8, 16, 32, 64] {
                        let c = m.costs(of: .gqa(kvHeads: k), dimensions: d, scenario: s, batch: batch)
                        if let p = previous {
                            #expect(c.cycleSeconds >= p.cycleSeconds)
                            #expect(c.decodeStepSeconds >= p.decodeStepSeconds)
                            #expect(c.prefillSeconds >= p.prefillSeconds)
                            #expect(c.weightBytes >= p.weightBytes)
                            #expect(c.kvBytesPerToken >= p.kvBytesPerToken)
                        }
                        previous = c
                    }
                }
            }
        }
    }

    @Test func largerBatchNeverLowersTotalTime() throws {
        let a = Fixtures.builtin("llama-3.1-8b")
        for (tp, s) in [(1, Scenario(inputTokens: 128, outputTokens: 128)), (2, Scenario(inputTokens: 2048, outputTokens: 128)),
            (1, Scenario(inputTokens: 128, outputTokens: 2048))]
        {
            let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: tp)
            let maxB = try m.maxBatch(a, scenario: s)
            var previous = 0.0
            var b = 1
            while b <= maxB {
                let e = try m.evaluate(a, scenario: s, batch: .fixed(b))
                #expect(e.total.cycleSeconds >= previous, "batch \(b)")
                previous = e.total.cycleSeconds
                b += b < 64 ? 1 : 37
            }
        }
    }

    @Test func deciLMConfigOfTheParentCostsWhatTheParentCosts() throws {
        let parent = Fixtures.builtin("llama-3.1-70b")
        let text = ConfigWriter.decilmConfigText(parent)
        let child = try ConfigReader.read(Array(text.utf8), file: "parent-as-decilm.json")
        #expect(child.layers.count == 80)
        for tp in [1, 4] {
            let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: tp)
            for s in [Scenario(inputTokens: 128, outputTokens: 1024), Scenario(inputTokens: 2048, outputTokens: 128)] {
                let a = try m.evaluate(parent, scenario: s, batch: .max)
                let b = try m.evaluate(child, scenario: s, batch: .max)
                #expect(a.batch == b.batch)
                #expect(a.total == b.total)
                #expect(a.memory == b.memory)
            }
        }
    }

    @Test func maxBatchIsTheLargestThatFitsTheLinearMemoryRow() throws {
        let a = Fixtures.heterogeneous70B
        let s = Scenario(inputTokens: 2048, outputTokens: 2048)
        for tp in [1, 2] {
            let m = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: tp)
            let maxB = try m.maxBatch(a, scenario: s)
            #expect(maxB > 0 && maxB < m.gpu.maxBatchSize)
            func row(_ b: Int) -> Double {
                var total = m.nonLayerCosts(dimensions: a.dimensions, scenario: s, batch: b).memoryRowBytes
                for l in a.layers {
                    total += m.costs(of: l.attention, dimensions: a.dimensions, scenario: s, batch: b).memoryRowBytes
                    total += m.costs(of: l.ffn, dimensions: a.dimensions, scenario: s, batch: b).memoryRowBytes
                }
                return total
            }
            // The reserve grows with the batch's token budget: base + budget x 2 (d + 3 w/TP),
            // w the widest FFN (28672 here).
            func capacity(_ b: Int) -> Double {
                let activation = 2 * (8192 + 3 * 28672 / Double(tp))
                return 0.95 * (m.gpu.memoryBytes - m.gpu.runtimeReserveBytes - Double(m.tokenBudget(scenario: s, batch: b)) * activation)
            }
            #expect(row(maxB) <= capacity(maxB))
            #expect(row(maxB + 1) > capacity(maxB + 1))
            #expect(throws: CostModelError.self) { try m.evaluate(a, scenario: s, batch: .fixed(maxB + 1)) }
            let e = try m.evaluate(a, scenario: s, batch: .max)
            #expect(e.batch == maxB)
            #expect(e.memory.kvCacheBytes <= e.memory.kvPoolBytes)
        }
    }

    @Test func aModelThatDoesNotFitSaysByHowManyBytes() throws {
        let a = Fixtures.builtin("llama-3.1-405b")
        let g = Fixtures.h100
        let m = try CostModel(gpu: g, dtype: .fp8, tp: 1)
        let s = Scenario(inputTokens: 128, outputTokens: 128)
        // Weights by hand: layers at 1 byte except their 2 x 126 norms (2 bytes), embeddings + LM head at 2 bytes.
        let d = 16384.0
        let embedHead = 2 * 128_256 * d
        let layerParams = 405_853_388_800 - embedHead - d
        let norms = 2 * 126 * d
        let weights = (layerParams - norms) + norms * 2 + embedHead * 2 + d * 2
        let kvPerToken = 126.0 * 2 * 8 * 128
        // Reserve at batch 1: base + 2048 tokens (the smallest budget) x 2 (d + 3 x 53248) bytes.
        let reserve = g.runtimeReserveBytes + 2048 * 2 * (d + 3 * 53248)
        let short = weights + reserve + 256 * kvPerToken / 0.95 - g.memoryBytes
        do {
            _ = try m.evaluate(a, scenario: s, batch: .max)
            Issue.record("405B should not fit one H100")
        } catch .doesNotFit(let d) {
            #expect(abs(d.shortBytes - short) < 1, "short by \(d.shortBytes) bytes, expected \(short)")
        }
        // and TP auto finds a TP that fits
        let best = try CostModel.bestTP(a, gpu: g, dtype: .fp8, kvDtype: nil, scenario: s, batch: .max)
        #expect(best.estimate.tp == 8)
    }

    @Test func autoTPPicksTheBestThroughputPerGPU() throws {
        let a = Fixtures.builtin("llama-3.1-70b")
        let s = Scenario(inputTokens: 128, outputTokens: 2048)
        let best = try CostModel.bestTP(a, gpu: Fixtures.h100, dtype: .fp8, kvDtype: nil, scenario: s, batch: .max)
        for tp in [1, 2, 4, 8] {
            let e = try CostModel(gpu: Fixtures.h100, dtype: .fp8, tp: tp).evaluate(a, scenario: s, batch: .max)
            #expect(best.estimate.throughputPerGPUTokensPerSecond >= e.throughputPerGPUTokensPerSecond)
        }
    }
}
