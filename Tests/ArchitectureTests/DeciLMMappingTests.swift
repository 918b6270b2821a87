import Testing

@testable import ModelArchitecture

@Suite struct DeciLMMappingTests {
    /// reference/puzzle.md section 6: hidden 8192.
    @Test(arguments: [(5.25, 28672), (2.625, 14336), (1.3125, 7168), (1.0, 5632), (0.5, 2816)])
    func ffnMultToSize(mult: Double, size: Int) {
        #expect(DeciLMMapping.intermediateSize(ffnMult: mult, hiddenSize: 8192) == size)
    }

    @Test func ultraMultipliers() {
        // Llama-3.1-405B hidden 16384: 4.875 -> 53248 (the parent's size).
        #expect(DeciLMMapping.intermediateSize(ffnMult: 4.875, hiddenSize: 16384) == 53248)
    }

    @Test func inverseMapsBack() {
        for hidden in [2048, 4096, 5120, 8192, 16384] {
            for blocks in 1...400 {
                let size = blocks * 256
                guard let mult = DeciLMMapping.ffnMult(intermediateSize: size, hiddenSize: hidden) else {
                    Issue.record("no multiplier for \(size) at hidden \(hidden)")
                    continue
                }
                #expect(DeciLMMapping.intermediateSize(ffnMult: mult, hiddenSize: hidden) == size)
            }
        }
        #expect(DeciLMMapping.ffnMult(intermediateSize: 1000, hiddenSize: 4096) == nil)
    }
}
