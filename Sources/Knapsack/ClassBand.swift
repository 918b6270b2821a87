/// The banded menu of one class (step 3 of `runBanded`), kept so that a wider band can resume it.
///
/// States are keyed by count vector; each key holds every partial choice within `band` (in c')
/// of the key's best, with its own match counts; a partial choice no cheaper in true cost and with
/// no more differences (counted up to each counter's need) than another of its key is dropped.
/// Entries: δ' (reduced costs under the resource multipliers with μ in the costs), true cost,
/// usage (counter rows: true matches).
///
/// **Resuming.** Every test that cuts a candidate grows monotonically with the band width w (the
/// δ' budget, the switch costs, the c' and true-cost completions, the window around the key's best
/// and the floor, the family's bounds): a candidate cut at w is cut at every narrower width. So a
/// band at w1 also records what it cut that a band at its park width (`BandSchedule.parkFactor`
/// times w1, at most the final width) would keep: per parent, the
/// first item past the δ' budget (items are sorted by δ'); candidates that failed one other
/// generation test (`parked`); entries that failed the window, floor or family test (left in
/// their level, alive, not active; with a width below which the failed test still fails, so that a
/// resume to a narrower width skips them). A band at w2 in (w1, park width] then re-tests those and
/// expands only the entries that became active, instead of building every level again: every
/// partial choice a fresh band at w2 would need is either active already or re-tested (its tests
/// are the fresh band's tests at w2; entries of the first band that a fresh one would have cut
/// stay, which only adds real partial choices). Dominance between entries is the fresh band's:
/// an entry covered by another alive entry of its key is dropped, whichever band kept that one,
/// since the cover's completions are at least as good and it is cut only by tests that cut them.
/// - Complexity: per band, O(sum_k S_k n_k) candidates (S_k entries after level k) for a fresh
///   band; a resumed one touches only what it adds and re-tests.
extension ClassDP {
    /// How the diversity bands widen: the first band's share of the gap between the Lagrangian
    /// bound and the incumbent, how much wider than itself a fresh band records what it cuts
    /// (so that a band up to that width resumes it), and from how many recorded entries and
    /// candidates per entry kept a fresh band counts as growing steeply (`runBanded.steepGrowth`).
    /// Tests use other values to force resumes.
    ///
    /// `statesFactor`: the bands and their join give up above this many times the caller's
    /// `maxStates` active entries per class level (pass 1 keeps the caller's cap). When they give
    /// up, the caller's depth-first cost windows take over, and on the two diverse tails where the
    /// bands gave up at the count-vector DP's 400,000 that fallback took minutes: the 405B demo at
    /// 2.2x with 4 children at d = 15, 4th child 429 s (HiGHS: 13.1 s), at 2.5x 53.6 s (HiGHS
    /// 25.7 s); twice the cap was enough there (the bands prove them in 25.0 s and 27.2 s, 9.4 M
    /// and 7.6 M states), and four times (kept, for room beyond those two) in 26.4 s and 27.7 s,
    /// peak memory of the whole solve 1.8 GB and 1.5 GB (1.0 GB and 0.6 GB when the bands gave
    /// up). No band gave up on 72 other diverse demo knapsacks or the 27 NVlabs settings of bench
    /// (c+), so nothing else changes.
    ///
    /// `packedChain`: a band level's covers read packed records (`ResumableBand.CoverRecord`, where
    /// the counters allow) when the level before it stored at least this many entries per key (its
    /// chains' mean length); nil: never. Where chains are long the walk of `insert` is most of an
    /// insert's time, one cache miss per entry of the chain: the 405B demo at 2.2x with 4 children
    /// at d = 15 walked ~4.7 entries per insert in its 3rd child's last band, and 26% of its 4th
    /// child's time went to the first read of each entry (~27 entries per walk there); with the
    /// records in blocks its whole search takes 27.4 s instead of 39.3 (4th child 31.9 -> 21.0 s),
    /// at 2.5x 22.8 s instead of 40.0 (38.1 -> 21.0 s), the same states, peak memory +18% and
    /// +19% (one record per entry beside it, no blocks: 33.7 -> 26.4 s and 32.9 -> 21.8 s in
    /// another hour; blocks took 2.5x 25.8 -> 21.3 s against them). Where chains are short
    /// ((c') child 3: 0.56 entries walked per insert) writing the records cost more than they
    /// saved (child 3 ~5% slower with records on every level; at 4 it keeps its time). Tests put
    /// records on every level (0) to compare them with the entries' covers.
    struct BandSchedule: Sendable {
        var firstFraction = 0.25
        var parkFactor = 2.0
        var steepRecorded = 0.4
        var statesFactor = 4
        var packedChain: Int? = 4
    }

    /// The cut-offs of one band width (all grow with it).
    struct BandLimits {
        /// δ' budget: the band's c' limit less the Lagrangian bound of the open part.
        var budget: Double
        /// Width of the window around a key's best (and its floor), in c'.
        var band: Double
        /// Limit of the c' completions (absolute, with the fixed part's cost).
        var completionLimit: Double
        /// Limit of the true-cost completions (without the fixed part's cost).
        var trueLimit: Double
        /// The true-cost limit before the incumbent caps it: like the other limits, an offset
        /// that is the same in every band plus the width (`trueLimit` is at most it).
        var trueLimitUncapped: Double
        /// The family's limit (in c').
        var familyLimit: Double
    }

    final class ResumableBand {
        /// One partial choice of a level: its fixed-size fields in one record (an insert appends
        /// one record and the two variable-width rows below, where it appended fifteen arrays).
        struct Entry {
            var key: UInt64
            var delta: Double, costP: Double, cost: Double
            /// The floor of the entry when last tested (two resource rows).
            var floor: Double
            var parent: Int32, item: Int32
            /// The item's position among its level's items (sorted by δ').
            var slot: Int32
            /// The key's chain: the entry stored before this one with the same key (-1: none).
            var next: Int32
            /// As a parent: the first of the next level's items (sorted by δ') not yet expanded.
            var resumeAt: Int32
            var alive: Bool, active: Bool
            /// Failed the window, floor or family test of the last band but not the park's.
            var parkedEntry: Bool
        }

        /// What the covers of `insert` read of an entry, 16 bytes where an `Entry` takes 64 and its
        /// match counts sit in another array: its true cost (NaN once it died, so that it neither
        /// covers nor dies again), its differences so far from each earlier solution counted up to
        /// the need (`CoverRecord.pack`), and its entry (`next`). A key's records lie in blocks of
        /// `blockSlots` (`Level.blocks`, 128 bytes), newest block first, so that a walk of ~27
        /// entries reads 4 blocks where the chain read 27 scattered entries; a block's first record
        /// is its header: the records used in `differences`, the key's older block in `next`.
        struct CoverRecord {
            var cost: Double
            var differences: UInt32
            var next: Int32

            /// Differences counted up to the need, a byte each (at most 4 counters, each need at
            /// most 127: `packs`), so that one subtraction compares all of them (`atLeast`).
            @inline(__always)
            static func pack(_ newCount: [Int32], need: [Int], t: Int) -> UInt32 {
                var packed: UInt32 = 0
                for c in 0..<need.count { packed |= UInt32(Swift.min(need[c], t - Int(newCount[c]))) << (8 * UInt32(c)) }
                return packed
            }

            /// Records per block, the header included (blocks of 4: no faster on the 405B tail).
            static let blockSlots = 8

            /// Whether the differences `a` are each at least `b`'s (bytes of at most 127: the high
            /// bit of each byte of `(a | H) - b` stays set exactly where a's byte is at least b's).
            @inline(__always)
            static func atLeast(_ a: UInt32, _ b: UInt32) -> Bool {
                let high: UInt32 = 0x8080_8080
                return ((a | high) &- b) & high == high
            }

            /// Whether differences of `counters` counters with these needs pack (`pack`).
            static func packs(need: [Int]) -> Bool { need.count <= 4 && need.allSatisfy { $0 >= 0 && $0 <= 127 } }
        }

        struct Level {
            var entries: [Entry] = []
            /// Whether the covers of this level read `blocks` (set when the level starts, `packedChain`).
            var packed = false
            /// The packed levels' cover records in blocks (`CoverRecord`), and per entry the newest
            /// block of its key when it was stored (read through the key's head entry).
            var blocks: [CoverRecord] = []
            var blockOf: [Int32] = []
            /// `usage[e * mr + q]`: resource rows; `count[e * C + c]`: matches with earlier solution c.
            var usage: [Double] = [], count: [Int32] = []
            /// The alive entries in `DominanceFloor`'s order when the floors were last taken.
            var sorted: [DominanceFloor.Entry] = []
            var table = CountTable(capacity: 16)
            /// Candidates (parent, item) that failed a generation test other than the budget at
            /// the width they met, but not at the park width, with a width below which that test
            /// still fails (`need`: see `tests`).
            var parked: [(parent: Int32, item: Int32, need: Double)] = []
            /// Per entry that failed the window, floor or family test but not the park's (`Entry.parkedEntry`): a
            /// width below which one of those tests still fails (see `advance`).
            var need: [Double] = []
            var countActive = 0
        }

        let model: Model
        let cls: [Int]
        let counters: [Counter]
        let resRows: [Int]
        let costP: [Double]
        let completions: [RowDecomposition.Completion]
        let completionBase: (cost: Double, usage: [Double])
        let trueCompletions: [RowDecomposition.Completion]
        let switching: [[[Double]]]
        var family: Family
        let maxStates: Int
        let need: [Int], allowed: [Int]
        /// The mean chain length from which a level's covers read packed records
        /// (`BandSchedule.packedChain`); nil when the counters do not pack (more than 4, or a
        /// need above 127) or the schedule says never.
        let packedChain: Int?
        let localTypes: [Int], radices: [UInt64]
        let vectors: [[Double]]
        /// Per class level (1-based t, index t - 1): items sorted by δ', their δ', key steps,
        /// matches and resource usage.
        let sortedItems: [[Int]], itemDelta: [[Double]], step: [[UInt64]], match: [[Int32]], itemUsage: [[Double]]
        /// `unassigned[t * J + j]`: the family member j's least c' of the open levels after t class levels.
        let unassigned: [Double]
        /// Place values of an entry's differences from the earlier solutions (each counted up to its
        /// need; radices need + 1) in `dominatedAcrossKeys`'s groups, and the number of groups: 0
        /// (no dominance across keys) above `maxCells` (two counters at d = 10 make 121).
        let cellPlace: [Int], cellCount: Int
        static let maxCells = 4_096
        /// `dominatedAcrossKeys` runs while it pays: on the first `crossEvidence` candidates of a
        /// fresh band, then only while it has cut at least `crossRate` of the candidates it tested.
        /// On the 13 saved diverse knapsacks (callgrind, whole solves): testing every level cost the
        /// 405B at 2.2x +4.8% instructions for 1% fewer states (it cut 0.6% of its candidates) and
        /// the 70B at 1.6x +3.9%, while (c') cut 6.6% of its heavy class's candidates, 8.6% fewer
        /// states, -2%; with this rule 4,720 -> 4,714 M in all, (c') 388.9 -> 378.9 M, the 405B
        /// +0.3%, no knapsack above +1% (rates of 2% and 3% gave the same states, 5% lost (c')'s).
        static let crossEvidence = 2_000, crossRate = 0.03
        /// Candidates the dominance across keys tested and cut so far in this band.
        private var crossChecked = 0
        private(set) var crossCut = 0
        /// `dominatedAcrossKeys`'s buffers (kept from level to level; contents are scratch).
        private var groupStart: [Int32] = [], stepSecond: [Double] = [], stepCost: [Double] = [], cellOf: [Int32] = []
        /// The limits of the widest band whose cuts are recorded (a band up to it may resume this one).
        private var parkLimits = BandLimits(budget: 0, band: 0, completionLimit: 0, trueLimit: 0, trueLimitUncapped: 0,
                                                familyLimit: 0)
        /// The width of the last band.
        private(set) var width: Double = 0
        /// Per class level (0: the empty partial choice), every entry stored since the last fresh band.
        private var level: [Level] = []
        /// `floorEntriesByRuns`'s second merge buffer (at least as long as any level's alive entries
        /// so far; its contents are scratch).
        private var mergeScratch: [DominanceFloor.Entry] = []

        /// nil when a key does not fit 64 bits.
        init?(model: Model, levels: [[Int]], cls: [Int], typeOf: [Int], vectors: [[Double]], counters: [Counter],
              resRows: [Int], costP: [Double], reducedP: [Double], leastP: [Double], family: Family,
              completions: [RowDecomposition.Completion], completionBase: (cost: Double, usage: [Double]),
              trueCompletions: [RowDecomposition.Completion], switching: [[[Double]]], maxStates: Int, packedChain: Int? = nil) {
            let m = model.m, mr = resRows.count, C = counters.count
            let (localTypes, local, radices) = classTypes(cls, levels: levels, typeOf: typeOf)
            guard let power = placeValues(radices: radices) else { return nil }
            self.model = model; self.cls = cls; self.counters = counters; self.resRows = resRows
            self.costP = costP; self.completions = completions; self.completionBase = completionBase
            self.trueCompletions = trueCompletions; self.switching = switching; self.family = family; self.maxStates = maxStates
            self.need = counters.map(\.need)
            self.packedChain = CoverRecord.packs(need: need) ? packedChain : nil
            var place: [Int] = [], cells = 1
            for counter in counters {
                place.append(cells)
                cells = cells <= Self.maxCells ? cells * (counter.need + 1) : cells
            }
            self.cellPlace = place
            self.cellCount = !counters.isEmpty && cells <= Self.maxCells ? cells : 0
            self.allowed = counters.map { levels.count - $0.need }
            self.localTypes = localTypes; self.radices = radices; self.vectors = vectors
            var sortedItems: [[Int]] = [], itemDelta: [[Double]] = [], step: [[UInt64]] = [], match: [[Int32]] = []
            var itemUsage: [[Double]] = []
            let J = family.lambdas.count / Swift.max(1, mr)
            var unassigned = family.openMin
            var unassignedAll = unassigned
            for k in cls {
                let items = levels[k].sorted { (reducedP[$0], $0) < (reducedP[$1], $1) }
                for j in 0..<J { unassigned[j] -= family.levelMin[k * J + j] }
                unassignedAll.append(contentsOf: unassigned)
                sortedItems.append(items)
                itemDelta.append(items.map { reducedP[$0] - leastP[k] })
                step.append(items.map { power[local[typeOf[$0]]] })
                var mt = [Int32](repeating: 0, count: items.count * C)
                var ua = [Double](repeating: 0, count: items.count * mr)
                for (x, i) in items.enumerated() {
                    for (c, counter) in counters.enumerated() where model.a[i * m + counter.row] != 0 { mt[x * C + c] = 1 }
                    for (q, r) in resRows.enumerated() { ua[x * mr + q] = model.a[i * m + r] }
                }
                match.append(mt)
                itemUsage.append(ua)
            }
            self.sortedItems = sortedItems; self.itemDelta = itemDelta; self.step = step; self.match = match
            self.itemUsage = itemUsage
            self.unassigned = unassignedAll
        }

        /// Builds the band at `limits` afresh, recording what a band up to `park` (at least as
        /// wide) would keep. Returns the menu of the active final entries; nil when the states
        /// exceed `maxStates` or the deadline passes. `states`: the entries made active.
        func run(_ limits: BandLimits, park: BandLimits, deadline: Deadline, states: inout Int) -> Menu? {
            var root = Level()
            root.entries = [Entry(key: 0, delta: 0, costP: 0, cost: 0, floor: .infinity, parent: -1, item: -1, slot: -1, next: -1, resumeAt: 0,
                                  alive: true, active: true, parkedEntry: false)]
            root.usage = [Double](repeating: 0, count: resRows.count); root.count = [Int32](repeating: 0, count: counters.count)
            root.countActive = 1
            level = [root]
            parkLimits = park
            return band(limits, resume: false, deadline: deadline, states: &states)
        }

        /// Whether a band of width `w` can resume this one (wider than it, within its park width).
        func canResume(to w: Double) -> Bool { !level.isEmpty && w > width && w <= parkLimits.band }

        /// What the last band kept and what it recorded for its park width: the entries made
        /// active, and the entries (parked by the window, floor or family test) plus candidates
        /// (parked by a generation test) that a band up to the park width would re-test. Their
        /// ratio measures how fast the band grows with its width (see `steepGrowth`).
        /// - Complexity: O(entries stored).
        var recorded: (active: Int, parked: Int) {
            var active = 0, parked = 0
            for l in level {
                active += l.countActive
                parked += l.parked.count
                for e in l.entries where e.alive && !e.active && e.parkedEntry { parked += 1 }
            }
            return (active, parked)
        }

        /// Widens the band to `limits` (`canResume(to: limits.band)`; each limit at least the last
        /// band's, at most the park's): the same menu as a fresh band would give, plus entries that
        /// only the narrower band's dominance left (real partial choices, so the join stays exact).
        func resume(_ limits: BandLimits, deadline: Deadline, states: inout Int) -> Menu? {
            precondition(canResume(to: limits.band))
            return band(limits, resume: true, deadline: deadline, states: &states)
        }

        private func band(_ limits: BandLimits, resume: Bool, deadline: Deadline, states: inout Int) -> Menu? {
            width = limits.band
            family.limit = limits.familyLimit
            var fresh = [Int32](resume ? [] : [0])  // the previous level's entries that became active now
            for t in 1...cls.count {
                if deadline.expired { return nil }
                if t == level.count { level.append(Level()) }
                guard let added = advance(t, newParents: fresh, resume: resume, limits, parkLimits, deadline: deadline) else {
                    return giveUp()
                }
                states += added.count
                if level[t].countActive > maxStates { return giveUp() }
                fresh = added
            }
            return menu()
        }

        /// Drops the levels (no band resumes a band that gave up) and returns nil. They are freed on
        /// another thread: on the time limit's path a band of hundreds of megabytes took 3-17 ms to
        /// free (405B demo, 4th diverse child at d = 15), past the limit.
        private func giveUp() -> Menu? {
            Parallel.releaseLater([level])
            level = []
            return nil
        }

        /// One class level's items as the expansion reads them.
        struct LevelItems {
            var t: Int
            var items: [Int], delta: [Double], steps: [UInt64], matches: [Int32], usage: [Double]
            /// Per counter: the switch-cost prefix sums after t class levels.
            var forced: [[Double]]
        }

        enum Verdict { case pass, park, cut }

        /// What `advance` found for an entry of its level (bits of one byte).
        enum Mark {
            /// New in this band, or parked by the last one and worth a re-test.
            static let candidate: UInt8 = 1
            /// Passed the window, floor and family tests.
            static let keep: UInt8 = 2
            /// Failed one of them at this width but not at the park width.
            static let parkable: UInt8 = 4
            /// Its key's chain was walked (set on the chain's head).
            static let walked: UInt8 = 8
        }

        /// A width below which `v >= offset + width` holds, for a limit `limit = offset + width`
        /// (the offset recovered from it, less a margin for the rounding of both sums).
        @inline(__always)
        static func widthBelow(_ v: Double, limit: Double, width: Double) -> Double {
            v - (limit - width) - 1e-12 * (1 + abs(v) + abs(limit))
        }

        /// The generation tests other than the budget for parent s and item x: pass at `limits`,
        /// or only at `park`, or cut. Leaves the candidate's match counts in `newCount`. When
        /// parked, `need` is a width below which a failed test still fails: every limit is an
        /// offset (the same in every band) plus the width, so a value v fails while the width is at
        /// most v less the offset (less a margin for the rounding of the limits' sums).
        @inline(__always)
        private func tests(_ li: LevelItems, _ prev: Level, _ s: Int, _ x: Int, _ d: Double, _ cpn: Double, _ ctn: Double,
                           _ limits: BandLimits, _ park: BandLimits, newCount: inout [Int32], absolute: inout [Double],
                           need: inout Double) -> Verdict {
            let mr = resRows.count, C = counters.count, t = li.t
            for c in 0..<C {
                newCount[c] = prev.count[s * C + c] + li.matches[x * C + c]
                // More matches than the open groups may have: no completion meets the row.
                if allowed[c] - Int(newCount[c]) < 0 { return .cut }
            }
            var verdict = Verdict.pass
            for c in 0..<C {
                // The groups left whose cheapest item is the earlier solution's: all but `left` of
                // them must switch, at their least extra δ'.
                let left = allowed[c] - Int(newCount[c])
                let forced = li.forced[c]
                if forced.count - 1 > left {
                    let v = d + forced[forced.count - 1 - left]
                    if v >= park.budget { return .cut }
                    if v >= limits.budget {
                        verdict = .park
                        need = Swift.max(need, Self.widthBelow(v, limit: limits.budget, width: limits.band))
                    }
                }
            }
            if verdict == .park { return .park }
            if !completions.isEmpty {
                // Exact one-row completions (c', resource rows): absolute usage after level t.
                for q in 0..<mr { absolute[q] = completionBase.usage[q] + prev.usage[s * mr + q] + li.usage[x * mr + q] }
                for completion in completions {
                    let v = completion.bound(next: t, cost: completionBase.cost + cpn, usage: absolute[...])
                    if v >= park.completionLimit { return .cut }
                    if v >= limits.completionLimit {
                        need = Self.widthBelow(v, limit: limits.completionLimit, width: limits.band)
                        return .park
                    }
                }
                for completion in trueCompletions {
                    let v = completion.bound(next: t, cost: ctn, usage: absolute[...])
                    if v >= park.trueLimit { return .cut }
                    if v >= limits.trueLimit {
                        // The incumbent only lowers the limit: the uncapped one's offset.
                        need = Self.widthBelow(v, limit: limits.trueLimitUncapped, width: limits.band)
                        return .park
                    }
                }
            }
            return .pass
        }

        /// Adds candidate (s, x) (match counts in `newCount`) unless another alive entry of its key
        /// covers it; entries it covers die, unless they were active before this band (their
        /// children exist).
        @inline(__always)
        private func insert(_ li: LevelItems, _ prev: Level, _ cur: inout Level, firstNew: Int, _ s: Int, _ x: Int, _ d: Double,
                            _ cpn: Double, _ ctn: Double, _ newCount: [Int32]) {
            let mr = resRows.count, C = counters.count, t = li.t
            let key = prev.entries[s].key &+ li.steps[x]
            let slot = cur.table.slot(for: key)
            let head = cur.table.value(at: slot)
            if cur.packed {
                // The same covers on the key's blocks of records (the newest block through the head).
                let mine = CoverRecord.pack(newCount, need: need, t: t)
                let B = CoverRecord.blockSlots
                let first = head.map { Int(cur.blockOf[$0]) } ?? -1
                var b = first
                while b >= 0 {
                    let base = b * B
                    let used = Int(cur.blocks[base].differences)
                    for i in (base + 1)...(base + used) {
                        let r = cur.blocks[i]
                        if r.cost <= ctn && CoverRecord.atLeast(r.differences, mine) { return }
                        if ctn <= r.cost && CoverRecord.atLeast(mine, r.differences) {
                            let w = Int(r.next)
                            if w >= firstNew || !cur.entries[w].active {
                                cur.entries[w].alive = false
                                cur.blocks[i].cost = .nan
                            }
                        }
                    }
                    b = Int(cur.blocks[base].next)
                }
                let record = CoverRecord(cost: ctn, differences: mine, next: Int32(cur.entries.count))
                if first >= 0 && Int(cur.blocks[first * B].differences) < B - 1 {
                    let used = Int(cur.blocks[first * B].differences) + 1
                    cur.blocks[first * B + used] = record
                    cur.blocks[first * B].differences = UInt32(used)
                    cur.blockOf.append(Int32(first))
                } else {
                    cur.blockOf.append(Int32(cur.blocks.count / B))
                    cur.blocks.append(CoverRecord(cost: 0, differences: 1, next: Int32(first)))
                    cur.blocks.append(record)
                    cur.blocks.append(contentsOf: repeatElement(CoverRecord(cost: .nan, differences: 0, next: -1), count: B - 2))
                }
            } else {
                var v = head ?? -1
                while v >= 0 {
                    let e = cur.entries[v]
                    if e.alive {
                        // Differences so far, counted up to the need.
                        var vCovers = true, newCovers = true
                        for c in 0..<C {
                            let dv = Swift.min(need[c], t - Int(cur.count[v * C + c])), dn = Swift.min(need[c], t - Int(newCount[c]))
                            if dv < dn { vCovers = false }
                            if dn < dv { newCovers = false }
                        }
                        if vCovers && e.cost <= ctn { return }
                        if newCovers && ctn <= e.cost && (v >= firstNew || !e.active) { cur.entries[v].alive = false }
                    }
                    v = Int(e.next)
                }
            }
            let index = cur.entries.count
            cur.entries.append(Entry(key: key, delta: d, costP: cpn, cost: ctn, floor: .infinity, parent: Int32(s), item: Int32(li.items[x]),
                                     slot: Int32(x), next: Int32(head ?? -1), resumeAt: 0, alive: true, active: false, parkedEntry: false))
            for q in 0..<mr { cur.usage.append(prev.usage[s * mr + q] + li.usage[x * mr + q]) }
            cur.count.append(contentsOf: newCount)
            if head == nil { cur.table.set(slot, key: key, value: Int32(index)) } else { cur.table.replace(slot, value: Int32(index)) }
        }

        /// Parent s's items from `from` on, up to the budget (recorded as its resume point).
        private func expand(_ li: LevelItems, _ prev: inout Level, _ cur: inout Level, firstNew: Int, _ s: Int, from: Int,
                            _ limits: BandLimits, _ park: BandLimits, newCount: inout [Int32], absolute: inout [Double]) {
            let n = li.items.count
            var x = from
            while x < n {
                let d = prev.entries[s].delta + li.delta[x]
                if d >= limits.budget { break }
                consider(li, prev, &cur, firstNew: firstNew, s, x, d, limits, park, newCount: &newCount, absolute: &absolute)
                x += 1
            }
            prev.entries[s].resumeAt = Int32(x)
        }

        /// Candidate (s, x) within the budget (δ' `d`): inserted when it passes the other tests at
        /// `limits`, parked when only at `park`, else dropped.
        @inline(__always)
        private func consider(_ li: LevelItems, _ prev: Level, _ cur: inout Level, firstNew: Int, _ s: Int, _ x: Int, _ d: Double,
                              _ limits: BandLimits, _ park: BandLimits, newCount: inout [Int32], absolute: inout [Double]) {
            let i = li.items[x]
            let cpn = prev.entries[s].costP + costP[i], ctn = prev.entries[s].cost + model.cost[i]
            var need = -Double.infinity
            switch tests(li, prev, s, x, d, cpn, ctn, limits, park, newCount: &newCount, absolute: &absolute, need: &need) {
            case .pass: insert(li, prev, &cur, firstNew: firstNew, s, x, d, cpn, ctn, newCount)
            case .park: cur.parked.append((Int32(s), Int32(x), need))
            case .cut: break
            }
        }

        /// Level t: re-tests its parked candidates (on a resume), expands the old active parents
        /// past their budget stop and the new ones from their first item, then keeps the entries
        /// within the band. Returns the entries made active.
        private func advance(_ t: Int, newParents: [Int32], resume: Bool, _ limits: BandLimits, _ park: BandLimits,
                             deadline: Deadline) -> [Int32]? {
            let mr = resRows.count, C = counters.count
            let li = LevelItems(t: t, items: sortedItems[t - 1], delta: itemDelta[t - 1], steps: step[t - 1], matches: match[t - 1],
                                usage: itemUsage[t - 1], forced: switching.map { $0[t] })
            let n = li.items.count
            var prev = level[t - 1]
            var cur = level[t]
            level[t - 1] = Level()
            level[t] = Level()
            defer {
                level[t - 1] = prev
                level[t] = cur
            }
            let firstNew = cur.entries.count
            if !resume {
                let expected = prev.countActive * Swift.min(n, 4)
                // The keys of the level before (each maps to one or more of this level's keys;
                // the table doubles when half full): 4x the active parents, as until round 25,
                // made tables of 16,384 slots for 650 keys at (c')'s last levels, ~300 of child
                // 3's ~1,250 page faults.
                cur.table.reset(capacity: Swift.max(16, prev.table.count))
                cur.entries.reserveCapacity(expected); cur.usage.reserveCapacity(expected * mr); cur.count.reserveCapacity(expected * C)
                // Packed records where the last level's chains were long (`BandSchedule.packedChain`).
                cur.packed = packedChain.map { prev.entries.count >= $0 * prev.table.count } ?? false
                if cur.packed { cur.blockOf.reserveCapacity(expected); cur.blocks.reserveCapacity(expected + expected / 2) }
            }
            var newCount = [Int32](repeating: 0, count: C)
            var absolute = [Double](repeating: 0, count: mr)
            var work = 0
            if resume {
                // Parked candidates first, then the old active parents past their budget stop.
                // Compacted in place: the candidates that stay parked move down over those
                // re-tested, and those a re-test parks again (appended past the old ones) follow
                // them (rebuilding the list appended each of them to a new array, ~36,000 on (c')'s
                // child 3, and touched fresh memory for every level's list).
                let old = cur.parked.count
                var kept = 0
                for i in 0..<old {
                    let (s32, x32, need) = cur.parked[i]
                    // A candidate whose failed test still fails at this width stays parked without
                    // a re-test (most of them when the band grew little: (c') child 3, 36,020 of
                    // 36,246); `widthBelow` left a margin for the rounding of the limits.
                    if limits.band < need {
                        cur.parked[kept] = (s32, x32, need)
                        kept += 1
                        continue
                    }
                    // Parked within an earlier budget, so within this one (the budget only grows).
                    let s = Int(s32), x = Int(x32)
                    consider(li, prev, &cur, firstNew: firstNew, s, x, prev.entries[s].delta + li.delta[x], limits, park,
                             newCount: &newCount, absolute: &absolute)
                }
                cur.parked.removeSubrange(kept..<old)
                for s in 0..<prev.entries.count where prev.entries[s].active && Int(prev.entries[s].resumeAt) < n {
                    // Most stop again at once: the budget grew little.
                    let from = Int(prev.entries[s].resumeAt)
                    if prev.entries[s].delta + li.delta[from] >= limits.budget { continue }
                    work += 1
                    if work & 127 == 127 && (cur.entries.count > 4 * maxStates || deadline.expired) { return nil }
                    expand(li, &prev, &cur, firstNew: firstNew, s, from: from, limits, park, newCount: &newCount, absolute: &absolute)
                }
            }
            // A resumed band has expanded its new parents above already (an entry made active at
            // level t - 1 by this band was never expanded: its resume point is its first item);
            // expanding them again (as until round 18) re-tested each of their candidates and
            // parked the failed ones twice, for the same states.
            for s32 in resume ? [] : newParents {
                work += 1
                if work & 127 == 127 && (cur.entries.count > 4 * maxStates || deadline.expired) { return nil }
                expand(li, &prev, &cur, firstNew: firstNew, Int(s32), from: 0, limits, park, newCount: &newCount, absolute: &absolute)
            }
            let count = cur.entries.count
            // Per entry of the level, what this level's tests found (`Mark`: one byte per entry
            // where four arrays of flags took four).
            var mark = [UInt8](repeating: 0, count: count)
            // Per candidate, `cur.need`: a width below which a failed test still fails (-infinity
            // until a test parks it).
            if cur.need.count < count { cur.need.append(contentsOf: repeatElement(-.infinity, count: count - cur.need.count)) }
            var any = false
            // Candidates: this band's new entries and the earlier ones parked by the window. An
            // entry parked by the last band's window, floor or family test that still fails one at
            // this width is not re-tested (`need`).
            for x in 0..<count where cur.entries[x].alive && !cur.entries[x].active
                && (x >= firstNew || (cur.entries[x].parkedEntry && limits.band >= cur.need[x])) {
                mark[x] = Mark.candidate
                cur.need[x] = -.infinity
                any = true
            }
            assert((0..<firstNew).allSatisfy { x in
                let e = cur.entries[x]
                return !e.alive || e.active || !e.parkedEntry || limits.band >= cur.need[x] || stillFails(x, cur, t: t, limits)
            }, "a parked entry skipped by its need would pass at this width")
            guard any else { return [] }
            // The floor (step 3): the least c' of the alive entries that use no more of either
            // row. A fresh band sorts the level once (`DominanceFloor`) and keeps the order; a
            // resumed one merges its new entries into it (less those that died), so it need not
            // sort the level again; a resumed level without new entries keeps its floors (entries
            // die only when a new one covers them, so the alive entries are those of the floors).
            if mr == 2 && (!resume || firstNew < count) {
                let entries: [DominanceFloor.Entry]
                if resume {
                    let added = floorEntries(cur, from: firstNew)
                    entries = cur.entries.withUnsafeBufferPointer { all in
                        DominanceFloor.merged(cur.sorted, keeping: { all[Int($0.index)].alive }, added)
                    }
                } else {
                    entries = floorEntriesByRuns(prev, cur, items: n) ?? floorEntries(cur, from: 0)
                    assert(entries == floorEntries(cur, from: 0), "the merged runs differ from the sorted level")
                }
                if deadline.expired { return nil }
                guard let floor = DominanceFloor.sweep(entries, count: count, deadline: deadline) else { return nil }
                cur.sorted = entries
                for x in 0..<count where mark[x] & Mark.candidate != 0 { cur.entries[x].floor = floor[x] }
            }
            // A level of a million entries takes 0.1-0.2 s per step here (405B demo, 4th diverse
            // child at d = 15: the floors' runs and sweep, the windows): the clock is read between
            // the steps and inside the sweep and the windows too (with checks only in the
            // expansion, answers under a 2 s limit came up to 105 ms late).
            if deadline.expired { return nil }
            // Band: within `band` (in c') of the best alive partial choice of the same key, and with
            // two resource rows also of the best one that uses no more of either row (swapping that
            // one in keeps the resource rows too: step 3's argument holds for it).
            // Each key with a candidate once (from its chain's head: the newest entry, alive since
            // nothing newer covered it): its best alive entry, then its candidates.
            var walks = 0
            for x in 0..<count where mark[x] & Mark.candidate != 0 {
                guard let head = cur.table.value(at: cur.table.slot(for: cur.entries[x].key)), mark[head] & Mark.walked == 0
                else { continue }
                walks += 1
                if walks & 4095 == 4095 && deadline.expired { return nil }
                mark[head] |= Mark.walked
                var bestP = Double.infinity
                var v = head
                while v >= 0 { if cur.entries[v].alive { bestP = Swift.min(bestP, cur.entries[v].costP) }; v = Int(cur.entries[v].next) }
                v = head
                while v >= 0 {
                    let e = cur.entries[v]
                    if mark[v] & Mark.candidate != 0 {
                        let reference = mr == 2 ? Swift.min(bestP, e.floor) : bestP
                        if e.costP <= reference + limits.band { mark[v] |= Mark.keep } else if e.costP <= reference + park.band {
                            mark[v] |= Mark.parkable
                            cur.need[v] = Self.widthBelow(e.costP, limit: reference + limits.band, width: limits.band)
                        }
                    }
                    v = Int(e.next)
                }
            }
            if deadline.expired { return nil }
            // The family's bounds (in c', resource rows).
            let J = family.lambdas.count / Swift.max(1, mr)
            if J > 1 {
                var threshold = [Double](repeating: 0, count: J), parkThreshold = [Double](repeating: 0, count: J)
                for j in 1..<J {
                    let th = familyThreshold(j, t: t, limit: family.limit)
                    threshold[j] = th
                    parkThreshold[j] = th + (park.familyLimit - limits.familyLimit)
                }
                for x in 0..<count where mark[x] & (Mark.keep | Mark.parkable) != 0 {
                    for j in 1..<J {
                        let b = familyBound(j, cur, x)
                        if b >= parkThreshold[j] { mark[x] &= ~(Mark.keep | Mark.parkable); break }
                        if b >= threshold[j] {
                            mark[x] = (mark[x] & ~Mark.keep) | Mark.parkable
                            cur.need[x] = Swift.max(cur.need[x], Self.widthBelow(b, limit: threshold[j], width: limits.band))
                        }
                    }
                }
            }
            // Dominance across keys (two resource rows, the floors' order at hand): a candidate that
            // another alive entry of the level matches in differences (counted up to the need) and
            // beats or ties on both rows and in true cost is never needed (`dominatedAcrossKeys`).
            // Fresh bands only: a resume's few candidates did not pay for a sweep of the whole level
            // ((c') child 3 30,679 states with resumes tested, 30,717 without, fewer instructions).
            if mr == 2 && C > 0 && !resume
                && (crossChecked < ResumableBand.crossEvidence || Double(crossCut) >= ResumableBand.crossRate * Double(crossChecked)) {
                let (checked, cut) = dominatedAcrossKeys(cur, t: t, mark: &mark)
                crossChecked += checked
                crossCut += cut
            }
            var added: [Int32] = []
            for x in 0..<count where mark[x] & Mark.candidate != 0 {
                if mark[x] & Mark.keep != 0 {
                    cur.entries[x].active = true
                    cur.entries[x].parkedEntry = false
                    added.append(Int32(x))
                } else {
                    // Parked for a wider band (its `need` set above), or cut for any band this one
                    // may resume to (then it stays alive only to cover others, and for the keys'
                    // best and floors).
                    cur.entries[x].parkedEntry = mark[x] & Mark.parkable != 0
                }
            }
            cur.countActive += added.count
            return added
        }

        /// Unmarks (cuts, for this band and every band that resumes it) each candidate of level t kept
        /// or parked so far that an entry y of the level dominates across keys: y is alive, has the
        /// same differences from every earlier solution so far (counted up to the need, as the covers
        /// of `insert` count them), uses no more of either resource row and costs no more (true
        /// cost), and comes first in the floors' order (`cur.sorted`: first row, second row, c',
        /// index; so of two equal entries the later one goes, and no two cut each other). Every
        /// completion q of the candidate x completes y too (the resource rows hold, y + q makes at
        /// least x + q's differences) at no greater cost, so a choice x + q within a band makes y + q
        /// one as well, and then y passes every test of that band (each is a necessary condition)
        /// and so does each of its extensions: the join still meets an optimum. Within one key,
        /// `insert`'s covers already apply this (with more or equal differences); across keys the
        /// differences must be equal, which keeps the test one sweep over the floors' order with a
        /// staircase over the second row per group of equal differences (each in its own segment of
        /// two buffers), as `DominanceFloor.sweep` keeps one. Usages are compared as the floors
        /// compare them (the level's sums); the answer is verified against the original data.
        /// (c') children 2 and 3: 25,693 / 33,552 -> 24,320 / 30,747 states (with `crossRate`);
        /// dominators with more differences too (up to (need + 1)^C groups per query) would give
        /// 24,224 / 30,346. Returns the candidates tested and those cut.
        /// - Complexity: O(S log S) for the level's S alive entries (plus the staircases' shifts).
        private func dominatedAcrossKeys(_ cur: Level, t: Int, mark: inout [UInt8]) -> (checked: Int, cut: Int) {
            let K = cellCount, n = cur.sorted.count, C = counters.count
            guard K > 0, n > 1 else { return (0, 0) }
            var checked = 0, cut = 0
            // Each alive entry's group: its differences so far, each counted up to its need, packed.
            if cellOf.count < cur.entries.count { cellOf = [Int32](repeating: 0, count: Swift.max(cur.entries.count, 2 * cellOf.count)) }
            cur.count.withUnsafeBufferPointer { count in
                cellOf.withUnsafeMutableBufferPointer { cellOf in
                    for e in cur.sorted {
                        let x = Int(e.index)
                        var g = 0
                        for c in 0..<C { g += Swift.min(need[c], t - Int(count[x * C + c])) * cellPlace[c] }
                        cellOf[x] = Int32(truncatingIfNeeded: g)
                    }
                }
            }
            // Each group's staircase (`DominanceFloor.Staircase`) lies in its own segment of two
            // shared buffers, from the group's start (a group's steps are at most its entries).
            if groupStart.count < K + 1 { groupStart = [Int32](repeating: 0, count: K + 1) }
            if stepSecond.count < n {
                let size = Swift.max(n, 2 * stepSecond.count)
                stepSecond = [Double](repeating: 0, count: size)
                stepCost = [Double](repeating: 0, count: size)
            }
            cur.sorted.withUnsafeBufferPointer { sorted in
                cellOf.withUnsafeBufferPointer { cell in
                    groupStart.withUnsafeMutableBufferPointer { start in
                        stepSecond.withUnsafeMutableBufferPointer { second in
                            stepCost.withUnsafeMutableBufferPointer { cost in
                                // Group sizes, then their starts.
                                for g in 0...K { start[g] = 0 }
                                for e in sorted { start[Int(cell[Int(e.index)]) + 1] += 1 }
                                for g in 0..<K { start[g + 1] += start[g] }
                                // Steps of each group so far.
                                var steps = [Int32](repeating: 0, count: K)
                                for e in sorted {
                                    let x = Int(e.index), g = Int(cell[x])
                                    var staircase = DominanceFloor.Staircase(second: second, cost: cost, base: Int(start[g]),
                                                                             count: Int(steps[g]))
                                    let c = cur.entries[x].cost
                                    let j = staircase.last(atOrBelow: e.second)
                                    let candidate = mark[x] & (Mark.keep | Mark.parkable) != 0
                                    if candidate { checked += 1 }
                                    if j >= 0 && cost[staircase.base + j] <= c {
                                        if candidate { cut += 1 }
                                        mark[x] &= ~(Mark.keep | Mark.parkable)
                                        continue  // dominated: the staircase is unchanged
                                    }
                                    staircase.add(e.second, c, after: j)
                                    steps[g] = Int32(staircase.count)
                                }
                            }
                        }
                    }
                }
            }
            return (checked, cut)
        }

        /// Whether entry x of level t fails the window, floor or family test at `limits` against every
        /// entry of its level, dead ones included (any real partial choice bounds it: step 3): what
        /// skipping a parked entry by its `need` relies on (checked in debug builds).
        private func stillFails(_ x: Int, _ cur: Level, t: Int, _ limits: BandLimits) -> Bool {
            let mr = resRows.count
            var reference = Double.infinity
            for y in cur.entries.indices where y != x {
                let sameKey = cur.entries[y].key == cur.entries[x].key
                let below = mr == 2 && cur.usage[2 * y] <= cur.usage[2 * x] && cur.usage[2 * y + 1] <= cur.usage[2 * x + 1]
                if sameKey || below { reference = Swift.min(reference, cur.entries[y].costP) }
            }
            if cur.entries[x].costP > reference + limits.band { return true }
            let J = family.lambdas.count / Swift.max(1, mr)
            return (1..<Swift.max(1, J)).contains { j in familyBound(j, cur, x) >= familyThreshold(j, t: t, limit: limits.familyLimit) }
        }

        /// Family member j's threshold after t class levels for a family limit `limit` (in c'): an
        /// entry whose `familyBound` reaches it has no completion within the limit.
        @inline(__always)
        private func familyThreshold(_ j: Int, t: Int, limit: Double) -> Double {
            let mr = resRows.count, J = family.lambdas.count / Swift.max(1, mr)
            var th = limit - family.baseCost - unassigned[t * J + j]
            for q in 0..<mr { th += family.lambdas[j * mr + q] * family.capOpen[q] }
            return th
        }

        /// Family member j's bound on entry x of `level`: its c' plus `λ_j` times its resource usage.
        @inline(__always)
        private func familyBound(_ j: Int, _ level: Level, _ x: Int) -> Double {
            let mr = resRows.count
            var b = level.entries[x].costP
            for q in 0..<mr { b += family.lambdas[j * mr + q] * level.usage[x * mr + q] }
            return b
        }

        /// The alive entries of `level` from `from` on in the floors' sweep order (two resource rows).
        private func floorEntries(_ level: Level, from: Int) -> [DominanceFloor.Entry] {
            var out: [DominanceFloor.Entry] = []
            out.reserveCapacity(level.entries.count - from)
            for x in from..<level.entries.count where level.entries[x].alive {
                out.append(DominanceFloor.Entry(first: level.usage[2 * x], second: level.usage[2 * x + 1], cost: level.entries[x].costP,
                                                index: Int32(x)))
            }
            out.withUnsafeMutableBufferPointer { DominanceFloor.sortInPlace($0) }
            return out
        }

        /// `floorEntries(level, from: 0)` of a fresh band's level, from its parents' order: the
        /// children through one item, taken in their parents' sweep order, are that item's usage
        /// and c' added to sorted values, so they come sorted but where a rounding makes two
        /// first rows equal. The items' runs are merged (one buffer, no per-run arrays) and an
        /// insertion sort puts the few entries that rounding moved in place: O(S log n + moves)
        /// for S entries and n items, instead of sorting the level. nil (sort the level instead)
        /// when a parent's children are not one range of the level (they are in a fresh band) or
        /// the insertion sort would move more than 8 entries per entry.
        private func floorEntriesByRuns(_ prev: Level, _ cur: Level, items n: Int) -> [DominanceFloor.Entry]? {
            let count = cur.entries.count, P = prev.entries.count
            guard !prev.sorted.isEmpty else { return nil }
            // Each parent's children: one range [firstChild, endChild) of the level; each run's
            // length (alive entries through that item).
            var firstChild = [Int32](repeating: -1, count: P), endChild = [Int32](repeating: -1, count: P)
            var runStart = [Int](repeating: 0, count: n + 1)
            var alive = 0
            for e in 0..<count {
                let entry = cur.entries[e]
                let p = Int(entry.parent)
                if firstChild[p] < 0 { firstChild[p] = Int32(e) } else if endChild[p] != Int32(e) { return nil }
                endChild[p] = Int32(e + 1)
                if entry.alive { runStart[Int(entry.slot) + 1] += 1; alive += 1 }
            }
            // The runs one after another in one buffer: run r from runStart[r].
            for r in 0..<n { runStart[r + 1] += runStart[r] }
            var fill = runStart
            var taken = 0
            var a = [DominanceFloor.Entry](unsafeUninitializedCapacity: alive) { a, initialized in
                cur.entries.withUnsafeBufferPointer { entries in
                    cur.usage.withUnsafeBufferPointer { usage in
                        for parent in prev.sorted {
                            let s = Int(parent.index)
                            guard firstChild[s] >= 0 else { continue }
                            for e in Int(firstChild[s])..<Int(endChild[s]) where entries[e].alive {
                                let r = Int(entries[e].slot)
                                a[fill[r]] = DominanceFloor.Entry(first: usage[2 * e], second: usage[2 * e + 1], cost: entries[e].costP,
                                                                  index: Int32(e))
                                fill[r] += 1
                                taken += 1
                            }
                        }
                    }
                }
                // Every alive entry's parent is in the parents' order (in a fresh band), so every
                // slot was written.
                initialized = taken == alive ? alive : 0
            }
            guard taken == alive else { return nil }
            // Pairwise merges of neighbouring runs into the other buffer until one run is left.
            var bounds = [0]
            for r in 1...n where runStart[r] > bounds[bounds.count - 1] { bounds.append(runStart[r]) }
            // The other buffer is the band's scratch, kept from level to level (a fresh one per
            // level touched fresh memory for every level: ~100 of (c') child 3's page faults).
            if mergeScratch.count < alive {
                let size = Swift.max(alive, 2 * mergeScratch.count)
                mergeScratch = [DominanceFloor.Entry](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
            }
            var b: [DominanceFloor.Entry] = []
            swap(&b, &mergeScratch)
            defer { swap(&b, &mergeScratch) }
            var inA = true
            while bounds.count > 2 {
                var next = [0]
                a.withUnsafeMutableBufferPointer { a in
                    b.withUnsafeMutableBufferPointer { b in
                        let src = inA ? a : b, dst = inA ? b : a
                        var r = 0
                        while r + 1 < bounds.count {
                            let lo = bounds[r], mid = bounds[r + 1], hi = r + 2 < bounds.count ? bounds[r + 2] : mid
                            DominanceFloor.merge(src, lo, mid, hi, into: dst)
                            next.append(hi)
                            r += 2
                        }
                    }
                }
                bounds = next
                inA.toggle()
            }
            // The merged run ends in `a` (the level's order, kept as its `sorted`).
            if !inA {
                a.withUnsafeMutableBufferPointer { a in
                    b.withUnsafeBufferPointer { b in _ = a.update(fromContentsOf: b[0..<alive]) }
                }
            }
            let sorted = a.withUnsafeMutableBufferPointer { DominanceFloor.insertionSort($0, maxMoves: 8 * $0.count) }
            return sorted ? a : nil
        }

        /// The model item per class level of final-level entry `entry` (a resume only appends
        /// entries, so an entry's parent and item stay as they were; a fresh `run` replaces the
        /// levels, so a menu's `trail` is read before the band runs again).
        func choice(_ entry: Int) -> [Int] {
            assert(level.count == cls.count + 1, "a band menu's choice read after its band was reset")
            var out = [Int](repeating: 0, count: cls.count)
            var s = entry
            for t in stride(from: cls.count, through: 1, by: -1) {
                let e = level[t].entries[s]
                out[t - 1] = Int(e.item)
                s = Int(e.parent)
            }
            return out
        }

        /// The active entries of the last level, by δ'.
        private func menu() -> Menu {
            let m = model.m, C = counters.count
            var menu = Menu(levels: cls)
            menu.trail = self
            let last = level[cls.count]
            // The sort reads a plain array (through `last`, each comparison copied the level).
            let deltas = last.entries.map(\.delta)
            let active = last.entries.indices.filter { last.entries[$0].active }
            let order = active.sorted { deltas[$0] < deltas[$1] || (deltas[$0] == deltas[$1] && $0 < $1) }
            let typeVectors = localTypes.map { vectors[$0] }
            menu.usage = [Double](repeating: 0, count: order.count * m)
            for (e, s) in order.enumerated() {
                menu.delta.append(last.entries[s].delta)
                menu.cost.append(last.entries[s].cost)
                menu.state.append(Int32(s))
                // Canonical usage of the count vector; counter rows: the true matches.
                _ = addCountVectorUsage(last.entries[s].key, radices: radices, typeVectors: typeVectors, rows: resRows, into: &menu.usage,
                                        at: e * m)
                for (c, counter) in counters.enumerated() { menu.usage[e * m + counter.row] = Double(last.count[s * C + c]) * counter.unit }
            }
            return menu
        }
    }
}
