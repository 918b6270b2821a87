/// The exact line search shared by the Lagrangian dual (root) and the node bound.
///
/// Along a direction, a Lagrangian function restricted to a line is
/// `φ(t) = s0 t + sum_k min_{i in level k} (α_i + t β_i)`: concave and piecewise linear. Its
/// breakpoints are the vertices of each level's **lower envelope** of the lines
/// `t -> α_i + t β_i`, found by a walk from the item optimal at t = 0 towards smaller slopes. The
/// slope of φ starts at `s0 + sum_k β(optimal item at 0)` and drops by the slope change of each
/// breakpoint; the maximiser is the first breakpoint where it reaches zero.
/// Items with `α = +infinity` (removed candidates) never lie on an envelope.
/// - Complexity: O(sum_k n_k h_k + E) expected, h_k the envelope length, E the breakpoints.
struct EnvelopeLineSearch {
    /// Workspace: breakpoints (t, slope change).
    private var events: [(t: Double, dSlope: Double)] = []

    init(capacity: Int = 0) { events.reserveCapacity(capacity) }

    /// The maximiser t in [0, tMax] of φ, or nil when φ grows without bound (`tMax` infinite and
    /// the slope stays positive). `start[k] ..< start[k + 1]` are the items of level k.
    mutating func maximiser<Levels: Sequence>(levels: Levels, start: [Int], alpha: [Double], beta: [Double],
                                               slope0: Double, tMax: Double) -> Double? where Levels.Element == Int {
        events.removeAll(keepingCapacity: true)
        var slope = slope0
        // The walk is the hot loop of every dual and node bound: it reads through buffer pointers
        // (no bounds checks or retains inside; indices come from `start`, checked by the caller's
        // model invariants and below in debug builds).
        start.withUnsafeBufferPointer { start in
        alpha.withUnsafeBufferPointer { alpha in
        beta.withUnsafeBufferPointer { beta in
        for k in levels {
            let lo = start[k], hi = start[k + 1]
            assert(lo < hi && hi <= alpha.count && hi <= beta.count, "level \(k) out of range")
            // The item optimal at t = 0 (ties: the smallest β, which stays optimal longest).
            var p = lo
            var pa = alpha[lo], pb = beta[lo]
            for i in (lo + 1)..<hi {
                let ai = alpha[i], bi = beta[i]
                if ai < pa || (ai == pa && bi < pb) { p = i; pa = ai; pb = bi }
            }
            guard pa < .infinity else { continue }  // no live item: handled by the caller
            slope += pb
            var t = 0.0
            // Walk the lower envelope towards smaller slopes.
            while true {
                var q = -1, qt = Double.infinity, qa = 0.0, qb = 0.0
                for i in lo..<hi where i != p {
                    let bi = beta[i]
                    guard bi < pb else { continue }
                    let ai = alpha[i]
                    let ti = Swift.max(t, (ai - pa) / (pb - bi))
                    if ti < qt || (ti == qt && bi < qb) { q = i; qt = ti; qa = ai; qb = bi }
                }
                if q < 0 || qt >= tMax || !(qt < .infinity) { break }
                events.append((qt, qb - pb))
                p = q; pa = qa; pb = qb; t = qt
            }
        }
        }
        }
        }
        if slope <= 0 { return 0 }
        // The first breakpoint (in t order) where the slope reaches zero, by selection instead of a
        // full sort: slope changes are negative, so the running slope is monotone in t and the
        // answer is a weighted quantile. Three-way partitions around a median-of-three pivot keep
        // the events below the answer's side. Expected O(E); deterministic.
        var lo = 0, hi = events.count
        while hi - lo > 16 {
            let pivot = Self.medianOfThree(events[lo].t, events[lo + (hi - lo) / 2].t, events[hi - 1].t)
            // Partition [lo, hi) into t < pivot | t == pivot | t > pivot.
            var less = lo, equal = lo, greater = hi
            var sumLess = 0.0, sumEqual = 0.0
            while equal < greater {
                let e = events[equal]
                if e.t < pivot {
                    events.swapAt(less, equal)
                    sumLess += e.dSlope
                    less += 1
                    equal += 1
                } else if e.t > pivot {
                    greater -= 1
                    events.swapAt(equal, greater)
                } else {
                    sumEqual += e.dSlope
                    equal += 1
                }
            }
            if slope + sumLess <= 0 {
                hi = less
            } else if slope + sumLess + sumEqual <= 0 {
                return pivot
            } else {
                slope += sumLess + sumEqual
                lo = greater
            }
        }
        events[lo..<hi].sort { $0.t < $1.t }
        for e in events[lo..<hi] {
            slope += e.dSlope
            if slope <= 0 { return e.t }
        }
        return tMax < .infinity ? tMax : nil
    }

    private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
        Swift.max(Swift.min(a, b), Swift.min(Swift.max(a, b), c))
    }
}
