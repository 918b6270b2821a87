/// Least cost over the entries that use no more of every row, for two rows (the demo libraries'
/// memory and throughput rows).
///
/// `floor[x] = min { cost[q] : q != x, usage[q] <= usage[x] on both rows }`, where entries with
/// the same usage count only when they come first in (cost, index) order; entries not `alive`
/// are left out (and get +infinity). So `floor[x] <= cost[x]` says that another entry dominates x
/// (ties keep the first), and `min(cost[x], floor[x])` is the least cost of x's dominators and x.
/// One sort by the first row (then the second, then cost), and a staircase of the entries seen
/// so far (second row increasing, cost strictly decreasing): x's floor is the cost of the last
/// step at or below its second row.
/// - Complexity: O(S log S) for S entries (plus the staircase's removals, O(S) in all).
enum DominanceFloor {
    struct Entry: Equatable {
        var first: Double
        var second: Double
        var cost: Double
        var index: Int32
    }

    static func twoRows(cost: [Double], usage: [Double], alive: [Bool]? = nil) -> [Double] {
        sweep(sorted(cost: cost, usage: usage, alive: alive), count: cost.count)
    }

    /// The entries (`alive` ones, or those in `indices`) in the sweep's order: by first row,
    /// second row, cost, index.
    static func sorted(cost: [Double], usage: [Double], alive: [Bool]? = nil, indices: [Int]? = nil) -> [Entry] {
        var entries: [Entry] = []
        if let indices {
            entries.reserveCapacity(indices.count)
            for x in indices { entries.append(Entry(first: usage[2 * x], second: usage[2 * x + 1], cost: cost[x], index: Int32(x))) }
        } else {
            entries.reserveCapacity(cost.count)
            for x in 0..<cost.count where alive?[x] ?? true {
                entries.append(Entry(first: usage[2 * x], second: usage[2 * x + 1], cost: cost[x], index: Int32(x)))
            }
        }
        entries.withUnsafeMutableBufferPointer { sortInPlace($0) }
        return entries
    }

    /// Sorts by `precedes` (a total order: the index breaks every tie): quicksort with the median
    /// of three, insertion sort below 16 entries (the comparator inlined, unlike the standard
    /// library's generic sort, which took a third of a band's keep step).
    /// - Complexity: O(S log S) expected.
    static func sortInPlace(_ a: UnsafeMutableBufferPointer<Entry>) {
        var stack: [(Int, Int)] = [(0, a.count - 1)]
        while let (lo0, hi0) = stack.popLast() {
            var lo = lo0, hi = hi0
            while hi - lo >= 16 {
                let mid = lo + (hi - lo) / 2
                if precedes(a[mid], a[lo]) { a.swapAt(mid, lo) }
                if precedes(a[hi], a[lo]) { a.swapAt(hi, lo) }
                if precedes(a[hi], a[mid]) { a.swapAt(hi, mid) }
                let pivot = a[mid]
                var i = lo, j = hi
                while i <= j {
                    while precedes(a[i], pivot) { i += 1 }
                    while precedes(pivot, a[j]) { j -= 1 }
                    if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
                }
                // The smaller side next, the larger one later (the stack stays O(log S)).
                if j - lo < hi - i {
                    stack.append((i, hi)); hi = j
                } else {
                    stack.append((lo, j)); lo = i
                }
            }
            if hi > lo {
                for k in (lo + 1)...hi {
                    let e = a[k]
                    var m = k - 1
                    while m >= lo && precedes(e, a[m]) { a[m + 1] = a[m]; m -= 1 }
                    a[m + 1] = e
                }
            }
        }
    }

    /// Sorts a nearly sorted buffer by `precedes` by insertion; false (the buffer then holds the
    /// same entries in another order) when that would move more than `maxMoves` entries.
    /// - Complexity: O(S + moves).
    static func insertionSort(_ a: UnsafeMutableBufferPointer<Entry>, maxMoves: Int) -> Bool {
        guard a.count > 1 else { return true }
        var moves = 0
        for k in 1..<a.count where precedes(a[k], a[k - 1]) {
            let e = a[k]
            var m = k - 1
            while m >= 0 && precedes(e, a[m]) { a[m + 1] = a[m]; m -= 1 }
            a[m + 1] = e
            moves += k - 1 - m
            if moves > maxMoves { return false }
        }
        return true
    }

    /// Merges the runs `src[lo..<mid]` and `src[mid..<hi]` (each in `precedes` order) into
    /// `dst[lo..<hi]`, the first run first on ties.
    /// - Complexity: O(hi - lo).
    @inline(__always)
    static func merge(_ src: UnsafeMutableBufferPointer<Entry>, _ lo: Int, _ mid: Int, _ hi: Int,
                      into dst: UnsafeMutableBufferPointer<Entry>) {
        var i = lo, j = mid, k = lo
        while i < mid && j < hi {
            if precedes(src[j], src[i]) { dst[k] = src[j]; j += 1 } else { dst[k] = src[i]; i += 1 }
            k += 1
        }
        while i < mid { dst[k] = src[i]; i += 1; k += 1 }
        while j < hi { dst[k] = src[j]; j += 1; k += 1 }
    }

    @inline(__always)
    static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        if a.first != b.first { return a.first < b.first }
        if a.second != b.second { return a.second < b.second }
        if a.cost != b.cost { return a.cost < b.cost }
        return a.index < b.index
    }

    /// Two lists in the sweep's order merged into one (so that entries added to a sorted set need
    /// not sort it again).
    /// - Complexity: O(a + b).
    static func merged(_ a: [Entry], _ b: [Entry]) -> [Entry] { merged(a, keeping: { _ in true }, b) }

    /// `merged(a.filter(keep), b)` in one pass (no filtered copy of `a`).
    /// - Complexity: O(a + b).
    static func merged(_ a: [Entry], keeping keep: (Entry) -> Bool, _ b: [Entry]) -> [Entry] {
        var written = 0
        let out = [Entry](unsafeUninitializedCapacity: a.count + b.count) { out, initialized in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    var i = 0, j = 0
                    while i < a.count || j < b.count {
                        if j == b.count || (i < a.count && precedes(a[i], b[j])) {
                            if keep(a[i]) { out[written] = a[i]; written += 1 }
                            i += 1
                        } else {
                            out[written] = b[j]; written += 1
                            j += 1
                        }
                    }
                }
            }
            initialized = written
        }
        return out
    }

    /// The floors of `entries` (in the sweep's order) by index, +infinity for the other indices
    /// below `count`.
    static func sweep(_ entries: [Entry], count n: Int) -> [Double] {
        // Without a deadline the sweep always completes (the fallback, no floors, cuts nothing).
        sweep(entries, count: n, deadline: .none) ?? [Double](repeating: .infinity, count: n)
    }

    /// `sweep(_:count:)`, or nil when `deadline` passes (read every 16,384 entries: a sweep of a
    /// million entries takes ~0.1 s).
    static func sweep(_ entries: [Entry], count n: Int, deadline: Deadline) -> [Double]? {
        var floor = [Double](repeating: .infinity, count: n)
        // One staircase in two buffers of the entries' size (a step is added per entry at most).
        var stepSecond = [Double](repeating: 0, count: entries.count)
        var stepCost = [Double](repeating: 0, count: entries.count)
        let completed = floor.withUnsafeMutableBufferPointer { floor in
            stepSecond.withUnsafeMutableBufferPointer { second in
                stepCost.withUnsafeMutableBufferPointer { cost -> Bool in
                    var staircase = Staircase(second: second, cost: cost, base: 0, count: 0)
                    for (k, e) in entries.enumerated() {
                        if k & 16_383 == 16_383 && deadline.expired { return false }
                        let j = staircase.last(atOrBelow: e.second)
                        if j >= 0 {
                            floor[Int(e.index)] = cost[j]
                            if cost[j] <= e.cost { continue }  // dominated: the staircase is unchanged
                        }
                        staircase.add(e.second, e.cost, after: j)
                    }
                    return true
                }
            }
        }
        return completed ? floor : nil
    }

    /// Steps by increasing second row, cost strictly decreasing, in `second[base ..< base + count]`
    /// and `cost[base ..< base + count]` (edited in place; the caller keeps room for one step per
    /// point added): the least cost of the points added so far at or below a second-row value is
    /// the cost of the last step at or below it.
    struct Staircase {
        let second: UnsafeMutableBufferPointer<Double>, cost: UnsafeMutableBufferPointer<Double>
        let base: Int
        var count: Int

        /// Position (from 0) of the last step with second row <= `s`, -1 when none (binary search).
        @inline(__always) func last(atOrBelow s: Double) -> Int {
            var lo = 0, hi = count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if second[base + mid] <= s { lo = mid + 1 } else { hi = mid }
            }
            return lo - 1
        }

        /// Adds the point (`s`, `c`) as the step after position `j` (`last(atOrBelow: s)`, whose
        /// cost, if any, is above `c`); the later steps no cheaper than `c` are dominated by it.
        @inline(__always) mutating func add(_ s: Double, _ c: Double, after j: Int) {
            var end = j + 1
            while end < count && cost[base + end] >= c { end += 1 }
            let removed = end - (j + 1)  // steps replaced by the new one
            if removed == 0 {
                // Insert: shift the tail up by one.
                var k = count
                while k > j + 1 { second[base + k] = second[base + k - 1]; cost[base + k] = cost[base + k - 1]; k -= 1 }
                count += 1
            } else if removed > 1 {
                // Replace the first removed step, close the gap of the others.
                let gap = removed - 1
                for k in (j + 2)..<(count - gap) { second[base + k] = second[base + k + gap]; cost[base + k] = cost[base + k + gap] }
                count -= gap
            }
            second[base + j + 1] = s
            cost[base + j + 1] = c
        }
    }
}
