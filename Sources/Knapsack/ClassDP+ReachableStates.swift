/// Where the diversity bands' completion fronts are worth building.
///
/// Every state a class DP holds after the levels `0..<k` of its order (pass 1, or a band) is a
/// partial choice of those levels whose reduced-cost excess `δ' = c'_i - min c'` summed over them
/// stays below the DP's budget, so the number of such partial choices bounds the states that can
/// query the completion front at level k, hence the states that front can cut. A backward build
/// makes the fronts of the last levels first; the first levels of a class (dearest first: one
/// cheap item, dear alternatives) hold a handful of states, while their fronts, over nearly every
/// level, cost as much to build as the others. Round 23, (c')'s child 3: the fronts were 47 of the
/// solve's ~181 M instructions, and their first ~55 of 71 and ~68 of 76 levels cut few states.
/// Several classes only (the caller's choice): with one class (NVlabs) the fronts are the only
/// completion bound and cut at every level (bench (c)'s 5th child 2,790 -> 18,826 states).
/// A level without a front bounds its states at -infinity (nothing cut), so the answers are the
/// same; a state it would have cut (every completion of it reaches the limit) has descendants
/// whose completions all reach it too, and they are cut at the first level that has a front.
extension ClassDP {
    /// Fronts are built at a level only when the states that may query it number at least this
    /// many times the entries of the front after it (what the build merges per item). The count
    /// is an upper bound that overcounts by orders of magnitude after the first levels (it ignores
    /// the merging of equal count vectors and every other test: 287,557 against 431 states at the
    /// heavy class's 60th level of (c') child 3), so the factor is measured, not derived: on the 13
    /// saved diverse knapsacks (12 demo libraries 8B-405B at 1.6x / 2.2x, and (c')), whole solves
    /// by callgrind, 5,034 M instructions building every front; factors 2 / 4 / 8 / 16 / 32: 4,835 /
    /// 4,819 / 4,803 / 4,797 / 4,791 M, with more states the larger it is (the bands, which run
    /// after the fronts, grow; (c')'s three children 63,232 -> 64,728 / 65,501 / 66,219 / 67,425 /
    /// 68,780), so 8.
    static let frontStatesPerEntry = 8.0

    /// `result[k]`, k in 0...order.count: an upper bound on the partial choices of the first k
    /// levels of `order` whose δ-sum is at most `gap` (`result[0] = 1`, the empty choice), where
    /// `δ_i = reduced[i] - least[level]`. Counted by a DP over 128 buckets of the gap with every δ
    /// rounded down to its bucket (so every such partial choice is counted, some beyond are too);
    /// once the count exceeds `cap` the rest are +infinity (the caller's cap: `frontStatesPerEntry`
    /// times the most entries a front may have, beyond which every front is built anyway).
    /// - Complexity: O(Σ_k n_k · B) with B = 128 buckets, over the levels before the cap.
    static func reachableStates(_ order: [Int], levels: [[Int]], reduced: [Double], least: [Double], gap: Double,
                                cap: Double) -> [Double] {
        let buckets = 128
        var result = [1.0]
        result.reserveCapacity(order.count + 1)
        guard gap > 0, gap.isFinite else {
            result.append(contentsOf: repeatElement(.infinity, count: order.count))
            return result
        }
        var count = [Double](repeating: 0, count: buckets + 1)
        count[0] = 1
        var next = count
        var total = 1.0
        for k in order {
            if total > cap {
                result.append(.infinity)
                continue
            }
            for b in next.indices { next[b] = 0 }
            for i in levels[k] {
                let d = Swift.max(0, reduced[i] - least[k])
                guard d <= gap else { continue }
                let shift = Swift.min(buckets, Int(d / gap * Double(buckets)))
                for b in 0...(buckets - shift) where count[b] > 0 { next[b + shift] += count[b] }
            }
            swap(&count, &next)
            total = count.reduce(0, +)
            result.append(total)
        }
        return result
    }
}
