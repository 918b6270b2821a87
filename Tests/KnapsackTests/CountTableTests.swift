import Testing
@testable import Knapsack

/// The count-vector hash table of the class DPs (`CountTable`): a table sized for fewer keys than
/// it gets (the diversity bands size it by the level before's keys) must grow and still map every
/// key to its last value, like a dictionary; `reset` must forget every key, whether it keeps the
/// slots or makes new ones.
@Suite struct CountTableTests {
    /// Inserts or replaces as the DPs do (`slot(for:)`, then `set` on an empty slot or `replace`).
    static func store(_ key: UInt64, _ value: Int32, in table: inout CountTable) {
        let slot = table.slot(for: key)
        if table.value(at: slot) == nil { table.set(slot, key: key, value: value) } else { table.replace(slot, value: value) }
    }

    @Test func growsFromAnySizeAndAgreesWithADictionary() {
        var rng = SplitMix(seed: 25)
        for round in 0..<60 {
            var table = CountTable(capacity: [1, 16, 100][round % 3])
            var expected: [UInt64: Int32] = [:]
            let keys = Int.random(in: 1...3_000, using: &rng)
            // Small key ranges repeat keys (replacements); count-vector keys are sums of place values.
            let range = UInt64([64, 5_000, 1 << 40][round % 3])
            for n in 0..<keys {
                let key = UInt64.random(in: 0..<range, using: &rng)
                Self.store(key, Int32(n), in: &table)
                expected[key] = Int32(n)
            }
            #expect(table.count == expected.count, "round \(round)")
            let wrong = expected.filter { key, value in table.value(at: table.slot(for: key)) != Int(value) }
            #expect(wrong.isEmpty, "round \(round): \(wrong.count) keys with another value")
            // Keys never stored are not found.
            let absent = (0..<100).map { _ in range + UInt64.random(in: 0..<1_000, using: &rng) }
            #expect(absent.allSatisfy { table.value(at: table.slot(for: $0)) == nil }, "round \(round)")
            // A reset to the same size (slots kept) and to another size (new slots) forgets every key.
            for capacity in [expected.count, 16] {
                table.reset(capacity: capacity)
                #expect(table.count == 0)
                #expect(expected.keys.allSatisfy { table.value(at: table.slot(for: $0)) == nil }, "round \(round)")
                Self.store(7, 3, in: &table)
                #expect(table.value(at: table.slot(for: 7)) == 3 && table.count == 1)
            }
        }
    }
}
