/// The exact line search shared by the Lagrangian dual (root) and the node bound.
///
/// Along a direction, a Lagrangian function restricted to a line is
/// `φ(t) = s0 t + sum_k min_{i in level k} (α_i + t β_i)`: concave and piecewise linear. Its
/// breakpoints are the vertices of each level's **lower envelope** of the lines
/// `t -> α_i + t β_i`, found by a walk from the item optimal at t = 0 towards smaller slopes. The
/// slope of φ starts at `s0 + sum_k β(optimal item at 0)` and drops by the slope change of each
/// breakpoint; the maximiser is the first breakpoint where it reaches zero.
/// Items with `α = +infinity` (removed candidates) never lie on an envelope.
/// - Complexity: O(sum_k n_k h_k + E log E), h_k the envelope length, E the breakpoints.
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
        for k in levels {
            let lo = start[k], hi = start[k + 1]
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
        if slope <= 0 { return 0 }
        events.sort { $0.t < $1.t }
        for e in events {
            slope += e.dSlope
            if slope <= 0 { return e.t }
        }
        return tMax < .infinity ? tMax : nil
    }
}
