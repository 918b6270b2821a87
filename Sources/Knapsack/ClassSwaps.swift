/// An incumbent for a diverse child on groups that share coefficient vectors: repair and
/// improvement by moves that keep the count vector of every class.
///
/// Exchanging the coefficient types of two groups of one class (group k takes its item of the type
/// group h had, h its item of k's type) leaves every resource row's sum unchanged, as does taking
/// another item of the same type in one group; only the value and the matches with the earlier
/// solutions change. So the band DP's first choice (`x1`: the least `c'` over the choices meeting
/// the resource rows, which may match an earlier solution too often) is repaired into a choice
/// meeting every row by the cheapest such moves per unit of missing differences, then improved by
/// any move (also single-item changes that keep the resource rows) that lowers the value and keeps
/// every row met.
/// - Complexity: O(I (K^2 v^2 C)) for I moves, K open levels, v items of one type per level (1 in
///   practice), C counters.
extension ClassDP {
    static func swapRepair(_ start: [Int], model: Model, levels: [[Int]], classes: [[Int]], typeOf: [Int], counters: [Counter],
                           base: [Double], tol: Double, deadline: Deadline) -> [Int]? {
        let m = model.m, K = levels.count, C = counters.count
        guard start.count == K, C > 0 else { return nil }
        let isCounter = (0..<m).map { r in counters.contains { $0.row == r } }
        let resRows = (0..<m).filter { !isCounter[$0] }
        var classOf = [Int](repeating: -1, count: K)
        for (c, cls) in classes.enumerated() { for k in cls { classOf[k] = c } }
        // Types are read only for open items below (the choice's and the levels'), all typed.
        let typeCount = (typeOf.max() ?? -1) + 1
        // Items of level k per type, in level order: `typed[typedStart[k * typeCount + t] ..<
        // typedStart[k * typeCount + t + 1]]` (one flat list: the exchange loop reads it per pair).
        var typedStart = [Int](repeating: 0, count: K * typeCount + 1)
        for (k, items) in levels.enumerated() { for i in items { typedStart[k * typeCount + typeOf[i] + 1] += 1 } }
        for b in 0..<(K * typeCount) { typedStart[b + 1] += typedStart[b] }
        var typed = [Int](repeating: 0, count: typedStart[K * typeCount])
        var typedFill = typedStart
        for (k, items) in levels.enumerated() {
            for i in items {
                typed[typedFill[k * typeCount + typeOf[i]]] = i
                typedFill[k * typeCount + typeOf[i]] += 1
            }
        }
        // Each class's levels in increasing order (the exchange partners of a level).
        let members = classes.map { $0.sorted() }
        // `hit[i * C + c]`: 1 when item i is earlier solution c's (a level leaving it gains a difference).
        var hit = [Int](repeating: 0, count: model.cost.count * C)
        for items in levels { for i in items { for c in 0..<C where model.a[i * m + counters[c].row] != 0 { hit[i * C + c] = 1 } } }
        var x = start
        var diff = [Int](repeating: 0, count: C)
        for k in 0..<K { for c in 0..<C { diff[c] += 1 - hit[x[k] * C + c] } }
        var usage = resRows.map { base[$0] }
        for k in 0..<K { for (q, r) in resRows.enumerated() { usage[q] += model.a[x[k] * m + r] } }
        let need = counters.map(\.need)
        func shortfall(_ d: [Int]) -> Int {
            var s = 0
            for c in 0..<C { s += Swift.max(0, need[c] - d[c]) }
            return s
        }
        /// Change of `d` when a level moves from item `old` to `new`.
        func apply(_ d: inout [Int], _ old: Int, _ new: Int) {
            for c in 0..<C { d[c] += hit[old * C + c] - hit[new * C + c] }
        }
        // A move: level k to item i, and (h >= 0) level h to item j; its value change.
        var iterations = 0
        var repairing = shortfall(diff) > 0
        while iterations < 4 * K + 64 {
            iterations += 1
            if deadline.expired { return nil }
            let sNow = shortfall(diff)
            if repairing && sNow == 0 { repairing = false }
            var bestScore = repairing ? Double.infinity : -tol
            var best: (k: Int, i: Int, h: Int, j: Int)?
            // The shortfall after the move, counter by counter (no copy of the counts per move).
            let now = x, counts = diff
            func consider(_ k: Int, _ i: Int, _ h: Int, _ j: Int, _ dc: Double) {
                // The least score the move can have (its shortfall at best gone entirely, or cut
                // by one when that costs more): most moves cannot beat the best one found, so
                // their counters are not read; the same move wins.
                if (repairing && dc >= 0 ? dc / Double(sNow) : dc) >= bestScore { return }
                var s = 0
                let xk = now[k]
                for c in 0..<C {
                    var d = counts[c] + hit[xk * C + c] - hit[i * C + c]
                    if h >= 0 { d += hit[now[h] * C + c] - hit[j * C + c] }
                    s += Swift.max(0, need[c] - d)
                }
                let score: Double
                if repairing {
                    guard s < sNow else { return }
                    score = dc / Double(sNow - s)
                } else {
                    guard s == 0 else { return }
                    score = dc
                }
                if score < bestScore { bestScore = score; best = (k, i, h, j) }
            }
            for k in 0..<K {
                let old = x[k]
                for i in levels[k] where i != old {
                    if typeOf[i] == typeOf[old] {
                        consider(k, i, -1, -1, model.cost[i] - model.cost[old])
                    } else {
                        // A change of type: the resource rows must still be met.
                        var fits = true
                        for (q, r) in resRows.enumerated() where usage[q] + model.a[i * m + r] - model.a[old * m + r] > model.cap[r] {
                            fits = false
                            break
                        }
                        if fits { consider(k, i, -1, -1, model.cost[i] - model.cost[old]) }
                    }
                }
                // Exchanges of types with a later level of the same class.
                let tk = typeOf[old]
                guard classOf[k] >= 0 else { continue }
                for h in members[classOf[k]] where h > k {
                    let th = typeOf[x[h]]
                    guard th != tk else { continue }
                    let forK = typedStart[k * typeCount + th]..<typedStart[k * typeCount + th + 1]
                    let forH = typedStart[h * typeCount + tk]..<typedStart[h * typeCount + tk + 1]
                    guard !forK.isEmpty, !forH.isEmpty else { continue }
                    for a in forK {
                        let i = typed[a]
                        for b in forH {
                            let j = typed[b]
                            consider(k, i, h, j, model.cost[i] - model.cost[old] + model.cost[j] - model.cost[x[h]])
                        }
                    }
                }
            }
            guard let move = best else { break }
            func take(_ k: Int, _ i: Int) {
                apply(&diff, x[k], i)
                for (q, r) in resRows.enumerated() { usage[q] += model.a[i * m + r] - model.a[x[k] * m + r] }
                x[k] = i
            }
            take(move.k, move.i)
            if move.h >= 0 { take(move.h, move.j) }
        }
        guard shortfall(diff) == 0, meetsAll(x, model: model, base: base) else { return nil }
        return x
    }
}
