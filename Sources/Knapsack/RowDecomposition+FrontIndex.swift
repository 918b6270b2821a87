/// A bucket index over a front's usages, so that a completion query (how many entries use at
/// most the room left) reads one pair of bucket starts and searches a few entries instead of
/// the whole front.
///
/// The usages span `[usage[0], usage[n - 1]]`; bucket k covers `[usage[0] + k·h, usage[0] +
/// (k + 1)·h)` with `h = span / B`, and `starts[k]` is the number of entries below its lower
/// edge. A room in bucket k has its answer in `starts[k]...starts[k + 1]`. The bucket of a room is
/// computed in floating point, so it may be one off near an edge: the query checks the entries
/// just outside the range (`usage[lo - 1] <= room < usage[hi]`) and searches the whole front when
/// the check fails, so the answer is always the exact count.
/// - Complexity: O(n) to build; a query O(1) expected on usages spread over their span (about
///   `n / B` entries per bucket), O(log n) at worst.
extension RowDecomposition {
    struct FrontIndex {
        /// Buckets per unit of usage (bucket 0's lower edge is the front's least usage).
        var scale: Double = 0
        /// `starts[k]`, k in 0...B: entries with usage below bucket k's lower edge (`starts[B] = n`).
        var starts: [Int32] = [0, 0]

        /// Entries per bucket, on average, that a query searches.
        static let entriesPerBucket = 4

        /// The index of the ascending `usage`.
        init(_ usage: [Double]) {
            let n = usage.count
            let buckets = n / Self.entriesPerBucket
            let span = n > 0 ? usage[n - 1] - usage[0] : 0
            let scale = Double(buckets) / span
            // Small fronts, one value, or a span too wide or too narrow for the scale: one bucket.
            guard n > 2 * Self.entriesPerBucket, n <= Int(Int32.max), span > 0, scale.isFinite, scale > 0 else {
                starts = [0, Int32(clamping: n)]
                return
            }
            let first = usage[0]
            self.scale = scale
            let step = span / Double(buckets)
            var starts = [Int32](repeating: 0, count: buckets + 1)
            var j = 0
            for k in 1..<buckets {
                let edge = first + Double(k) * step
                while j < n && usage[j] < edge { j += 1 }
                starts[k] = Int32(j)
            }
            starts[buckets] = Int32(n)
            self.starts = starts
        }

        /// The number of entries of `usage` (the ascending array indexed) at most `room`.
        @inline(__always)
        func count(_ usage: UnsafeBufferPointer<Double>, atMost room: Double) -> Int {
            let n = usage.count
            guard n > 0, room >= usage[0] else { return 0 }
            if room >= usage[n - 1] { return n }
            let buckets = starts.count - 1
            // room >= usage[0] here, so x >= 0; a huge x falls in the last bucket.
            let x = (room - usage[0]) * scale
            let k = x < Double(buckets) ? Int(x) : buckets - 1
            var lo = Int(starts[k]), hi = Int(starts[k + 1])
            // The entries just outside the bucket must lie on the right sides of the room (a
            // rounded bucket may be one off): else the whole front.
            if (lo > 0 && usage[lo - 1] > room) || (hi < n && usage[hi] <= room) { lo = 0; hi = n }
            // Branch-free binary search in [lo, hi): the answer lies in lo...hi.
            var base = lo, len = hi - lo
            guard len > 0 else { return lo }
            while len > 1 {
                let half = len >> 1
                base = usage[base + half] <= room ? base + half : base
                len -= half
            }
            return base + (usage[base] <= room ? 1 : 0)
        }
    }
}
