/// Lower bounds from Lagrangian decomposition: one row kept exactly, the others relaxed.
///
/// With multipliers λ >= 0 on every row but r, each choice x meeting every row costs at least
/// `c'(x) - sum_{s != r} λ_s cap_s`, `c'(i) = c(i) + sum_{s != r} λ_s a_s(i)`; minimising c' over the
/// choices that meet row r alone is a one-row multiple-choice knapsack, solved exactly by
/// dynamic programming with dominance (states: (usage of r, c'), each kept only if no other has
/// less usage and less c'). This bound is at least the Lagrangian (LP) bound at the same λ and
/// often far above it: jittered 4-row seed 38, LP gap 2.45e-3, row 2 kept at the LP's λ closes
/// 68% of it (HiGHS's root cuts close 18%).
///
/// A forward DP over the open levels and a backward one give, for every item, the exact
/// decomposition bound of the choices that take it (two-pointer merge of the forward front before
/// its level and the backward front after it): items whose bound reaches the incumbent are removed
/// (decomposition fixing, far stronger than reduced-cost fixing), and the least over a level's
/// items is a lower bound on the whole problem.
/// - Complexity: O(sum_k S_k n_k log(S_k n_k)) per direction, S_k the front sizes; O(n (S + S'))
///   for the item bounds.
struct RowDecomposition {
    /// A Pareto front: usage ascending, c' strictly descending.
    struct Front {
        var usage: [Double] = []
        var cost: [Double] = []
    }

    /// The merge buffers of `extend` (six of `capacity` values each), kept across the levels of
    /// one build instead of allocated per level.
    final class Workspace {
        private(set) var buffers: [UnsafeMutablePointer<Double>] = []
        private(set) var capacity = 0

        /// Room for at least `count` values per buffer (contents are not kept).
        func reserve(_ count: Int) {
            guard count > capacity else { return }
            for b in buffers { b.deallocate() }
            capacity = Swift.max(count, 2 * capacity)
            buffers = (0..<6).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: capacity) }
        }

        deinit { for b in buffers { b.deallocate() } }
    }

    /// The LP relaxation of a prefix of the levels on the kept row, as a function of its room R:
    /// `g(R) = min { sum_l c'(x_l) : x fractional, one unit per level, sum_l u(x_l) <= R }`, a
    /// convex decreasing piecewise-linear function (+infinity below the least usage). Every
    /// choice of the prefix that fits R costs at least g(R) in c', so a suffix entry (u, c) of a
    /// backward front with `c + g(cap - u) >= limit` completes to nothing below the limit. It is
    /// the best of the Lagrangian bounds `P(s) - s·R` over all slopes s >= 0 (one slope, the
    /// row's multiplier, was the only test before): on the 70B demo's diverse knapsack (bench
    /// (c')) the six c' and true-cost builds of children 2 and 3 keep 0.30-0.46 of their entries
    /// (122,612-164,325 -> 45,211-68,142 in all levels), whole solve 514 -> 462 M instructions,
    /// the same states and choices on the 40 saved knapsacks. An entry dropped by it bounds every
    /// partial choice through it at or above the limit, so no query below the limit changes.
    /// Points: `usage[0]` the least usage (`cost[0]` the least c' there), then one breakpoint per
    /// segment of the levels' lower convex hulls in increasing slope (the largest saving per unit
    /// of usage first); `slope[i]` joins points i and i + 1 (negative), and the last point's
    /// slope is 0 (g stays at the least c' beyond it), so `g(R) = cost[j] + slope[j]·(R - usage[j])`
    /// for the last j with `usage[j] <= R`.
    struct PrefixEnvelope {
        var usage: [Double] = [0]
        var cost: [Double] = [0]
        var slope: [Double] = [0]

        /// The envelope of every prefix 0..<k, k in 0...D (`levels` as (c', usage) per item).
        /// - Complexity: O(D (H + n log n)) for H hull segments in all and n items per level.
        static func prefixes(cost cp: [[Double]], usage ua: [[Double]]) -> [PrefixEnvelope] {
            var result = [PrefixEnvelope()]
            result.reserveCapacity(cp.count + 1)
            // The segments so far, sorted by slope: (slope, du, dc).
            var segments: [(slope: Double, du: Double, dc: Double)] = []
            var least = (usage: 0.0, cost: 0.0)
            for k in cp.indices {
                let hull = lowerHull(cost: cp[k], usage: ua[k])
                // A level without items: no prefix through it fits anything (empty envelopes, which
                // the builds do not use).
                guard let first = hull.first else {
                    return result + [PrefixEnvelope](repeating: PrefixEnvelope(usage: [], cost: [], slope: []), count: cp.count - k)
                }
                least.usage += first.usage
                least.cost += first.cost
                for h in 1..<hull.count {
                    let du = hull[h].usage - hull[h - 1].usage, dc = hull[h].cost - hull[h - 1].cost
                    let sl = dc / du
                    var lo = 0, hi = segments.count
                    while lo < hi {
                        let mid = (lo + hi) >> 1
                        if segments[mid].slope <= sl { lo = mid + 1 } else { hi = mid }
                    }
                    segments.insert((sl, du, dc), at: lo)
                }
                var e = PrefixEnvelope(usage: [least.usage], cost: [least.cost], slope: [])
                e.usage.reserveCapacity(segments.count + 1); e.cost.reserveCapacity(segments.count + 1)
                e.slope.reserveCapacity(segments.count + 1)
                var u = least.usage, c = least.cost
                for seg in segments {
                    u += seg.du
                    c += seg.dc
                    e.usage.append(u); e.cost.append(c); e.slope.append(seg.slope)
                }
                e.slope.append(0)
                result.append(e)
            }
            return result
        }

        /// g(R): +infinity below the least usage; between points j and j + 1 (the last j with
        /// `usage[j] <= R`) the segment's value; beyond the last point its c'.
        /// - Complexity: O(log points).
        func value(room R: Double) -> Double {
            guard let least = usage.first, R >= least else { return .infinity }
            var lo = 0, hi = usage.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if usage[mid] <= R { lo = mid + 1 } else { hi = mid }
            }
            let j = lo - 1
            return cost[j] + slope[j] * (R - usage[j])
        }

        /// The lower convex hull of the points (usage, c') from the least usage to the least c'
        /// (usage ascending, c' strictly descending, slopes increasing).
        static func lowerHull(cost: [Double], usage: [Double]) -> [(usage: Double, cost: Double)] {
            let order = cost.indices.sorted { (usage[$0], cost[$0]) < (usage[$1], cost[$1]) }
            var hull: [(usage: Double, cost: Double)] = []
            for x in order {
                let p = (usage: usage[x], cost: cost[x])
                if let last = hull.last, p.cost >= last.cost { continue }  // dominated (or the same usage)
                // Pop the last point while it lies on or above the segment from the one before to p.
                while hull.count >= 2 {
                    let a = hull[hull.count - 2], b = hull[hull.count - 1]
                    if (b.cost - a.cost) * (p.usage - a.usage) >= (p.cost - a.cost) * (b.usage - a.usage) { hull.removeLast() } else { break }
                }
                hull.append(p)
            }
            return hull
        }
    }

    /// Exact one-row completions for a DP that takes the levels in order: after levels 0..<k, a
    /// state of true cost c and absolute usage u (fixed items included) costs at least
    /// `c + sum_{q != row} λ_q u_q - sum_{q != row} λ_q cap_q + min { b.cost : b in backward[k],
    /// b.usage <= cap_row - u_row }` with any completion that meets the row.
    struct Completion {
        var row: Int
        var lambda: [Double]
        var lambdaCap: Double
        var capacity: Double
        var backward: [Front]
        /// `index[k]`: the bucket index of `backward[k]`'s usages.
        var index: [FrontIndex]
        /// The levels before this one have no front (a build that stopped there): their bound is
        /// -infinity, which cuts nothing.
        var firstLevel = 0
        /// The last level with a front (a build for a caller that queries no later one keeps
        /// only the fronts up to it); later levels' bound is -infinity too.
        var lastLevel = Int.max

        /// The bound (+infinity when nothing that is left fits the row; -infinity before
        /// `firstLevel` and after `lastLevel`).
        func bound(next k: Int, cost c: Double, usage u: ArraySlice<Double>) -> Double {
            assert(k <= lastLevel, "a front that the build did not keep")
            guard k >= firstLevel, k <= lastLevel else { return -.infinity }
            var s = c - lambdaCap
            var j = u.startIndex
            var use = 0.0
            for q in 0..<lambda.count {
                if q == row { use = u[j] } else { s += lambda[q] * u[j] }
                j += 1
            }
            let b = backward[k]
            let room = capacity - use
            // The number of entries with usage <= room (usage ascending), through the bucket index
            // (a binary search over the whole front made ~1.5 ms of (c')'s child 3: a chain of
            // dependent loads per query).
            let fit = b.usage.withUnsafeBufferPointer { index[k].count($0, atMost: room) }
            return fit == 0 ? .infinity : s + b.cost[fit - 1]
        }
    }

    /// The backward fronts of row r over `levels` (with fixed items of cost `baseCost` and usage
    /// `base`), pruned against `ub`; nil when a front exceeds `maxStates` or the deadline passes.
    /// With `worthBuilding`, the build stops at the first level k (going backward) for which it
    /// answers false given the entries of the front after it (`firstLevel` is then k + 1). With
    /// `lastQueried`, the fronts after that level are dropped once the next one is built and get no
    /// index (the class DPs query a class's own levels only: the other classes' levels, about half
    /// of each build, serve only as its start).
    static func completion(model: Model, levels: [[Int]], baseCost: Double, base: [Double], lambda: [Double], row r: Int,
                           ub: Double, tol: Double, maxStates: Int, deadline: Deadline,
                           worthBuilding: ((_ level: Int, _ entriesAfter: Int) -> Bool)? = nil,
                           lastQueried: Int? = nil) -> Completion? {
        let m = model.m
        let D = levels.count
        func costP(_ i: Int) -> Double {
            var s = model.cost[i]
            for q in 0..<m where q != r { s += lambda[q] * model.a[i * m + q] }
            return s
        }
        var lambdaCap = 0.0, baseP = baseCost
        for q in 0..<m where q != r {
            lambdaCap += lambda[q] * model.cap[q]
            baseP += lambda[q] * base[q]
        }
        let capacity = model.cap[r] + 1e-12 * Swift.max(1, abs(model.cap[r]))
        let cp = levels.map { $0.map(costP) }
        let ua = levels.map { $0.map { model.a[$0 * m + r] } }
        var prefixCost = [Double](repeating: 0, count: D + 1), prefixUse = [Double](repeating: 0, count: D + 1)
        for k in 0..<D {
            prefixCost[k + 1] = prefixCost[k] + (cp[k].min() ?? 0)
            prefixUse[k + 1] = prefixUse[k] + (ua[k].min() ?? 0)
        }
        let limit = ub - tol + lambdaCap - baseP
        // With the kept row's own multiplier: a suffix entry (u, c') is completed by any prefix at
        // no less than `prefixFull + c' + λ_r (u + base_r - cap_r)` (Lagrangian bound of the prefix
        // and the row); entries whose bound reaches the limit are dropped (the fronts shrink a lot
        // when the limit is near the bound).
        let slope = Swift.max(0, lambda[r])
        var prefixFull = [Double](repeating: 0, count: D + 1)
        for k in 0..<D {
            var lo = Double.infinity
            for (x, c) in cp[k].enumerated() { lo = Swift.min(lo, c + slope * ua[k][x]) }
            prefixFull[k + 1] = prefixFull[k] + (lo.isFinite ? lo : 0)
        }
        // The prefixes' LP bounds on the kept row: an entry of backward[k] of usage u and c' c is
        // dropped when `c + g_k(cap - base - u) >= limit` (`PrefixEnvelope`).
        let envelopes = PrefixEnvelope.prefixes(cost: cp, usage: ua)
        var backward = [Front](repeating: Front(), count: D + 1)
        backward[D] = Front(usage: [0], cost: [0])
        let workspace = Workspace()
        var firstLevel = 0
        for k in stride(from: D - 1, through: 0, by: -1) {
            if deadline.expired { return nil }
            if let worthBuilding, !worthBuilding(k, backward[k + 1].usage.count) {
                firstLevel = k + 1
                break
            }
            let sloped = slope > 0 ? limit - prefixFull[k] + slope * (model.cap[r] - base[r]) : .infinity
            guard let next = extend(backward[k + 1], cost: cp[k], usage: ua[k], capacity: capacity - base[r] - prefixUse[k],
                                    limit: limit - prefixCost[k], maxStates: maxStates, slope: slope, slopedLimit: sloped,
                                    envelope: envelopes[k].usage.isEmpty ? nil : (envelopes[k], capacity - base[r], limit),
                                    workspace: workspace) else { return nil }
            backward[k] = next
            if let lastQueried, k + 1 > lastQueried { backward[k + 1] = Front() }
        }
        let lastLevel = lastQueried.map { Swift.min($0, D) } ?? .max
        return Completion(row: r, lambda: lambda, lambdaCap: lambdaCap, capacity: capacity, backward: backward,
                          index: backward.indices.map { $0 <= lastLevel ? FrontIndex(backward[$0].usage) : FrontIndex([]) },
                          firstLevel: firstLevel, lastLevel: lastLevel)
    }

    /// Per-item lower bounds (model item index -> bound in the model's cost), +infinity for items
    /// that cannot meet row r with the rest, and the least bound over all choices. nil when a
    /// front exceeds `maxStates` or the deadline passes.
    static func itemBounds(model: Model, levels: [[Int]], fixedItems: [Int], lambda: [Double], row r: Int, ub: Double,
                           tol: Double, maxStates: Int, deadline: Deadline) -> (bound: Double, items: [Int: Double])? {
        let m = model.m
        let D = levels.count
        guard D > 0 else { return nil }
        func costP(_ i: Int) -> Double {
            var s = model.cost[i]
            for q in 0..<m where q != r { s += lambda[q] * model.a[i * m + q] }
            return s
        }
        // A hair of slack on the kept row: its sums here run in another order than `verify`'s.
        var constant = 0.0, capOpen = model.cap[r] + 1e-12 * Swift.max(1, abs(model.cap[r]))
        for q in 0..<m where q != r { constant -= lambda[q] * model.cap[q] }
        for i in fixedItems {
            constant += costP(i)
            capOpen -= model.a[i * m + r]
        }
        // c' and usage of every open item; least c' and usage per level.
        let cp = levels.map { $0.map(costP) }
        let ua = levels.map { $0.map { model.a[$0 * m + r] } }
        let minCost = cp.map { $0.min() ?? 0 }
        let minUse = ua.map { $0.min() ?? 0 }
        // Bound on c' the choices must stay below to beat ub.
        let limit = ub - tol - constant
        var prefixCost = [Double](repeating: 0, count: D + 1), prefixUse = [Double](repeating: 0, count: D + 1)
        for k in 0..<D { prefixCost[k + 1] = prefixCost[k] + minCost[k]; prefixUse[k + 1] = prefixUse[k] + minUse[k] }
        // Forward fronts F[k]: levels 0..<k; backward B[k]: levels k..<D.
        var forward = [Front](repeating: Front(), count: D + 1)
        forward[0] = Front(usage: [0], cost: [0])
        for k in 0..<D {
            if deadline.expired { return nil }
            let restCost = prefixCost[D] - prefixCost[k + 1], restUse = prefixUse[D] - prefixUse[k + 1]
            guard let next = extend(forward[k], cost: cp[k], usage: ua[k], capacity: capOpen - restUse, limit: limit - restCost,
                                    maxStates: maxStates) else { return nil }
            forward[k + 1] = next
        }
        var backward = [Front](repeating: Front(), count: D + 1)
        backward[D] = Front(usage: [0], cost: [0])
        for k in stride(from: D - 1, through: 0, by: -1) {
            if deadline.expired { return nil }
            let restCost = prefixCost[k], restUse = prefixUse[k]
            guard let next = extend(backward[k + 1], cost: cp[k], usage: ua[k], capacity: capOpen - restUse, limit: limit - restCost,
                                    maxStates: maxStates) else { return nil }
            backward[k] = next
        }
        // The whole problem: the least c' of the final front.
        let total = forward[D].cost.last.map { constant + $0 } ?? .infinity
        var items: [Int: Double] = [:]
        for k in 0..<D {
            let f = forward[k], b = backward[k + 1]
            for (x, i) in levels[k].enumerated() {
                items[i] = constant + cp[k][x] + merge(f, b, capacity: capOpen - ua[k][x])
            }
        }
        return (total, items)
    }

    /// The front after one more level: every state with every item, those over `capacity` or at
    /// or above `limit` in c' dropped, then the dominated ones. nil above `maxStates`.
    /// With `slope` > 0, also those with `c' + slope·usage >= slopedLimit` (a Lagrangian bound
    /// on the kept row: no choice through them reaches below the limit).
    /// With `envelope` (g, room, limit'), also those with `c' + g(room - usage) >= limit'`.
    static func extend(_ front: Front, cost: [Double], usage: [Double], capacity: Double, limit: Double, maxStates: Int,
                       slope: Double = 0, slopedLimit: Double = .infinity,
                       envelope: (g: PrefixEnvelope, room: Double, limit: Double)? = nil, workspace: Workspace? = nil) -> Front? {
        // Each item shifts the front (usage ascending, c' descending) by a constant: the candidates
        // are one sorted list per item, merged one by one into the running Pareto front (O(n S)
        // per level instead of sorting all n S candidates), in preallocated buffers (a caller's
        // workspace serves every level of a build).
        let S = front.usage.count, n = cost.count
        guard S > 0, n > 0 else { return Front() }
        let space = workspace ?? Workspace()
        space.reserve(n * S)
        var aU = space.buffers[0], aC = space.buffers[1], bU = space.buffers[2], bC = space.buffers[3]
        let sU = space.buffers[4], sC = space.buffers[5]
        var na = 0, total = 0
        var tooMany = false
        // (Without an envelope the plain shift runs; this one is not read.)
        let g = envelope?.g ?? PrefixEnvelope()
        let room = envelope?.room ?? .infinity, gLimit = envelope?.limit ?? .infinity
        front.usage.withUnsafeBufferPointer { fu in
            front.cost.withUnsafeBufferPointer { fc in
                g.usage.withUnsafeBufferPointer { gu in
                g.cost.withUnsafeBufferPointer { gc in
                g.slope.withUnsafeBufferPointer { gs in
                let lp = Envelope(usage: gu.baseAddress!, cost: gc.baseAddress!, slope: gs.baseAddress!, last: gu.count - 1, room: room,
                                  limit: gLimit)
                for x in 0..<n {
                    // Until the running front has entries, a shifted list is the front itself.
                    let ns = envelope == nil
                        ? shift(usage: fu.baseAddress!, cost: fc.baseAddress!, count: S, by: usage[x], cost[x], capacity: capacity,
                                limit: limit, slope: slope, sloped: slopedLimit, into: na == 0 ? aU : sU, na == 0 ? aC : sC)
                        : shift(usage: fu.baseAddress!, cost: fc.baseAddress!, count: S, by: usage[x], cost[x], capacity: capacity,
                                limit: limit, slope: slope, sloped: slopedLimit, envelope: lp, into: na == 0 ? aU : sU, na == 0 ? aC : sC)
                    total += ns
                    if total > 8 * maxStates { tooMany = true; return }
                    if ns == 0 { continue }
                    if na == 0 { na = ns; continue }
                    na = mergePareto(aU, aC, na, sU, sC, ns, into: bU, bC)
                    swap(&aU, &bU)
                    swap(&aC, &bC)
                }
                }
                }
                }
            }
        }
        if tooMany || na > maxStates { return nil }
        return Front(usage: Array(UnsafeBufferPointer(start: aU, count: na)), cost: Array(UnsafeBufferPointer(start: aC, count: na)))
    }

    /// min over (f, b) with `f.usage + b.usage <= capacity` of `f.cost + b.cost` (+infinity when
    /// none): for each f in increasing usage, the best b is the one with the largest usage that
    /// still fits, which only moves down as f's usage grows.
    static func merge(_ f: Front, _ b: Front, capacity: Double) -> Double {
        guard !f.usage.isEmpty, !b.usage.isEmpty else { return .infinity }
        return f.usage.withUnsafeBufferPointer { fu in
            f.cost.withUnsafeBufferPointer { fc in
                b.usage.withUnsafeBufferPointer { bu in
                    b.cost.withUnsafeBufferPointer { bc in
                        mergeMin(fu.baseAddress!, fc.baseAddress!, fu.count, bu.baseAddress!, bc.baseAddress!, bu.count,
                                 capacity: capacity)
                    }
                }
            }
        }
    }
}

extension RowDecomposition {
    /// The front (`count` entries, usage ascending) shifted by one item's usage `ux` and c' `cx`,
    /// written to `sU`/`sC`: the shift stops at the first entry over `capacity`, and entries at or
    /// above `limit` in c', or with `c' + slope·usage >= sloped`, are left out. Returns how many
    /// were written (the list stays usage ascending).
    /// - Complexity: O(count).
    /// A prefix envelope as `shift` reads it: `g(R) = cost[j] + slope[j]·(R - usage[j])` for the
    /// last point j (of `last + 1`) with `usage[j] <= R`, +infinity below `usage[0]`
    /// (`PrefixEnvelope.value`).
    struct Envelope {
        var usage: UnsafePointer<Double>, cost: UnsafePointer<Double>, slope: UnsafePointer<Double>
        var last: Int
        var room: Double, limit: Double
    }

    @inline(__always)
    static func shift(usage fu: UnsafePointer<Double>, cost fc: UnsafePointer<Double>, count: Int, by ux: Double, _ cx: Double,
                      capacity: Double, limit: Double, slope: Double, sloped: Double,
                      into sU: UnsafeMutablePointer<Double>, _ sC: UnsafeMutablePointer<Double>) -> Int {
        // Branch-free in the loop: every entry is written at `ns` and kept when under both limits.
        var ns = 0
        for s in 0..<count {
            let nu = fu[s] + ux
            if nu > capacity { break }
            let nc = fc[s] + cx
            sU[ns] = nu
            sC[ns] = nc
            ns &+= (nc < limit) && (nc + slope * nu < sloped) ? 1 : 0
        }
        return ns
    }

    /// `shift`, and entries with `c' + g(room - usage) >= envelope.limit` left out too.
    /// - Complexity: O(count + the envelope's points).
    @inline(__always)
    static func shift(usage fu: UnsafePointer<Double>, cost fc: UnsafePointer<Double>, count: Int, by ux: Double, _ cx: Double,
                      capacity: Double, limit: Double, slope: Double, sloped: Double, envelope g: Envelope,
                      into sU: UnsafeMutablePointer<Double>, _ sC: UnsafeMutablePointer<Double>) -> Int {
        // Branch-free in the loop but for the envelope's pointer: every entry is written at `ns`
        // and kept when under every limit. The room R = room - usage only falls along the list,
        // so the envelope's segment only moves down.
        var ns = 0
        var j = g.last
        let least = g.usage[0]
        for s in 0..<count {
            let nu = fu[s] + ux
            if nu > capacity { break }
            let nc = fc[s] + cx
            sU[ns] = nu
            sC[ns] = nc
            let R = g.room - nu
            while j > 0 && g.usage[j] > R { j &-= 1 }
            let lp = g.cost[j] + g.slope[j] * (R - g.usage[j])
            // Below the least usage nothing fits (the builds' capacity stops the list there first).
            // The four tests without jumps (each a 0/1 flag).
            ns &+= (nc < limit ? 1 : 0) & (nc + slope * nu < sloped ? 1 : 0) & (nc + lp < g.limit ? 1 : 0) & (R >= least ? 1 : 0)
        }
        return ns
    }

    /// min over f (`fCount` entries) and b (`bCount`), both fronts with usage ascending, of
    /// `f.cost + b.cost` with `f.usage + b.usage <= capacity` (+infinity when none): for each f in
    /// increasing usage the best b is the one with the largest usage that still fits, which only
    /// moves down as f's usage grows.
    /// - Complexity: O(fCount + bCount).
    @inline(__always)
    static func mergeMin(_ fU: UnsafePointer<Double>, _ fC: UnsafePointer<Double>, _ fCount: Int,
                         _ bU: UnsafePointer<Double>, _ bC: UnsafePointer<Double>, _ bCount: Int, capacity: Double) -> Double {
        var best = Double.infinity
        var j = bCount - 1
        for s in 0..<fCount {
            let room = capacity - fU[s]
            while j >= 0 && bU[j] > room { j -= 1 }
            if j < 0 { break }
            best = Swift.min(best, fC[s] + bC[j])
        }
        return best
    }

    /// The Pareto front (usage ascending, c' strictly descending) of two usage-ascending lists,
    /// written to `bU`/`bC` (ties in usage: the lower c' first; the first list first on full ties).
    /// Returns its size.
    /// - Complexity: O(na + ns).
    @inline(__always)
    static func mergePareto(_ aU: UnsafeMutablePointer<Double>, _ aC: UnsafeMutablePointer<Double>, _ na: Int,
                            _ sU: UnsafeMutablePointer<Double>, _ sC: UnsafeMutablePointer<Double>, _ ns: Int,
                            into bU: UnsafeMutablePointer<Double>, _ bC: UnsafeMutablePointer<Double>) -> Int {
        var i = 0, j = 0, nb = 0
        var least = Double.infinity
        while i < na || j < ns {
            let u: Double, c: Double
            if j == ns || (i < na && (aU[i] < sU[j] || (aU[i] == sU[j] && aC[i] <= sC[j]))) {
                u = aU[i]; c = aC[i]; i += 1
            } else {
                u = sU[j]; c = sC[j]; j += 1
            }
            if c < least {
                least = c
                bU[nb] = u
                bC[nb] = c
                nb += 1
            }
        }
        return nb
    }
}
