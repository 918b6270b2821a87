import Testing
@testable import Knapsack

/// The bucket index of a front's usages (`RowDecomposition.FrontIndex`): the number of entries at
/// most a room, against a linear count, on fronts with ties, clumps, tiny and huge spans and
/// rooms at, between and beyond the entries (a wrong count would make a completion bound too
/// high or too low, silently).
@Suite struct FrontIndexTests {
    static func linearCount(_ usage: [Double], atMost room: Double) -> Int { usage.filter { $0 <= room }.count }

    /// Ascending usages of one of several shapes.
    static func front(_ rng: inout SplitMix, shape: Int) -> [Double] {
        let n = Int.random(in: 0...600, using: &rng)
        var u: [Double]
        switch shape {
        case 0: u = (0..<n).map { _ in Double.random(in: 0..<1_000, using: &rng) }
        case 1: u = (0..<n).map { _ in Double(Int.random(in: 0...20, using: &rng)) }  // many ties
        case 2: u = (0..<n).map { k in k % 7 == 0 ? Double.random(in: 1e6..<2e6, using: &rng) : Double.random(in: 0..<1, using: &rng) }  // clumps
        case 3: u = (0..<n).map { _ in 1e-300 * Double.random(in: 1..<2, using: &rng) }  // tiny span
        case 4: u = (0..<n).map { _ in Double.random(in: -1e300..<1e300, using: &rng) }  // huge span
        default: u = (0..<n).map { _ in 42.0 }  // one value
        }
        u.sort()
        return u
    }

    /// Rooms at, just beside, between and beyond the entries.
    static func rooms(_ u: [Double], _ rng: inout SplitMix) -> [Double] {
        var r: [Double] = [-.infinity, .infinity, 0, -1, 1e308, -1e308]
        for _ in 0..<40 {
            guard let v = u.randomElement(using: &rng) else { break }
            r += [v, v.nextUp, v.nextDown]
        }
        if let a = u.first, let b = u.last {
            for _ in 0..<20 { r.append(Double.random(in: Swift.min(a, b)...Swift.max(a, b), using: &rng)) }
            r += [a.nextDown, b.nextUp, a - 1, b + 1]
        }
        return r
    }

    /// Expects `index`'s count of `u` to match a linear count at every room of `rooms`; returns
    /// how many rooms it checked.
    static func expectCounts(_ u: [Double], _ index: RowDecomposition.FrontIndex, _ rng: inout SplitMix, trial: Int) -> Int {
        let rooms = Self.rooms(u, &rng)
        for room in rooms {
            let got = u.withUnsafeBufferPointer { index.count($0, atMost: room) }
            #expect(got == Self.linearCount(u, atMost: room), "trial \(trial), room \(room)")
        }
        return rooms.count
    }

    @Test func countsMatchALinearCount() {
        var rng = SplitMix(seed: 777)
        var queries = 0
        for trial in 0..<600 {
            let u = Self.front(&rng, shape: trial % 6)
            let index = RowDecomposition.FrontIndex(u)
            #expect(index.starts.first == 0 && Int(index.starts.last ?? -1) == u.count, "starts cover the front")
            #expect(zip(index.starts, index.starts.dropFirst()).allSatisfy { $0 <= $1 }, "starts ascending")
            queries += Self.expectCounts(u, index, &rng, trial: trial)
        }
        #expect(queries > 20_000)
    }

    /// Bucket starts that are off (as a rounded bucket may be near an edge) still give the exact
    /// count: the query checks the entries beside its range and falls back to the whole front.
    @Test func wrongBucketsFallBackToTheWholeFront() {
        var rng = SplitMix(seed: 4242)
        var corrupted = 0
        for trial in 0..<300 {
            let u = Self.front(&rng, shape: trial % 3)
            var index = RowDecomposition.FrontIndex(u)
            guard index.starts.count > 3 else { continue }
            // Shift every inner start by -1...+1 (staying ascending and within the front).
            for k in 1..<(index.starts.count - 1) {
                let shifted = Int(index.starts[k]) + Int.random(in: -1...1, using: &rng)
                index.starts[k] = Int32(Swift.min(Swift.max(shifted, Int(index.starts[k - 1])), u.count))
            }
            corrupted += 1
            _ = Self.expectCounts(u, index, &rng, trial: trial)
        }
        #expect(corrupted > 100)
    }
}
