import CostModel
import Testing
@testable import Search

/// `Margin`: which way each budget moves, and the band-edge margin of `--margin p90`.
@Suite struct MarginTests {
    @Test func fractionMovesEveryCostModelBudgetTheSafeWay() {
        let m = Margin.fraction(0.1, label: "10%")
        #expect(m.factor(.speedup(2.2)) == 0.9)
        #expect(m.factor(.minThroughputPerGPU(5000)) == 0.9)
        #expect(m.factor(.maxTPOTSeconds(0.04)) == 1.1)
        #expect(m.factor(.maxTTFTSeconds(2)) == 1.1)
        // Memory: weights and KV are exact; only the reserve's uncertainty (the memory band).
        #expect(m.factor(.maxMemoryBytes(80e9)) == 1 + PredictionBands.calibrated.memory.upper)
        // Budgets that are not predictions are untouched.
        #expect(m.factor(.maxParameters(52e9)) == 1 && m.factor(.maxStat("memory_mib", 1)) == 1)
        #expect(m.factor(.maxLatencySeconds(5)) == 1)
    }

    @Test func bandEdgeTakesEachQuantityFromItsBand() {
        let b = PredictionBands(throughput: ErrorBand(lower: -0.083, upper: 0.097, rows: 80),
            tpot: ErrorBand(lower: -0.131, upper: 0.096, rows: 5), ttft: ErrorBand(lower: -0.2, upper: 0.15, rows: 7),
            memory: ErrorBand(lower: -0.01, upper: 0.01, rows: 0))
        let m = Margin.bandEdge(b, label: "p90")
        #expect(m.throughput == 0.083 && m.tpot == 0.096 && m.ttft == 0.15 && m.memory == 0.01)
        #expect(m.factor(.speedup(2)) == 1 - 0.083)
        // A band whose lower quantile is positive (the engine is always faster) needs no margin.
        let optimistic = Margin.bandEdge(PredictionBands(throughput: ErrorBand(lower: 0.05, upper: 0.2, rows: 3),
            tpot: ErrorBand(lower: -0.1, upper: -0.02, rows: 3), ttft: b.ttft, memory: b.memory), label: "p90")
        #expect(optimistic.throughput == 0 && optimistic.tpot == 0)
    }
}
