import Foundation

/// An absolute wall-clock deadline (`DispatchTime` uptime nanoseconds), or none.
///
/// Every phase of a solve (root LP, ascent, heuristics, DPs, cost windows, branch and bound,
/// diversity) asks `expired` at points where at most a few milliseconds of work separate two
/// checks, so a time-limited solve answers within its limit plus that much.
struct Deadline: Sendable, Equatable {
    /// Absolute uptime in nanoseconds; nil: no deadline.
    var nanoseconds: UInt64?

    static let none = Deadline(nanoseconds: nil)

    init(nanoseconds: UInt64?) { self.nanoseconds = nanoseconds }

    /// `seconds` after `start` (uptime nanoseconds); none when `seconds` is nil.
    init(seconds: Double?, from start: UInt64) {
        guard let seconds else { self.nanoseconds = nil; return }
        let clamped = Swift.min(1e12, Swift.max(0, seconds.isNaN ? 0 : seconds))
        self.nanoseconds = start &+ UInt64(clamped * 1e9)
    }

    static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// True once the deadline has passed (never without one).
    @inline(__always) var expired: Bool {
        guard let nanoseconds else { return false }
        return DispatchTime.now().uptimeNanoseconds >= nanoseconds
    }

    /// Seconds left (infinity without a deadline, 0 once passed).
    var secondsLeft: Double {
        guard let nanoseconds else { return .infinity }
        let now = Deadline.now
        return nanoseconds > now ? Double(nanoseconds - now) / 1e9 : 0
    }

    /// The earlier of this deadline and `fraction` of the time left from now (itself without one).
    func portion(_ fraction: Double) -> Deadline {
        guard let nanoseconds else { return self }
        let now = Deadline.now
        guard nanoseconds > now else { return self }
        return Deadline(nanoseconds: now + UInt64(Double(nanoseconds - now) * Swift.min(1, Swift.max(0, fraction))))
    }

    /// The earlier of two deadlines.
    func earlier(_ other: Deadline) -> Deadline {
        switch (nanoseconds, other.nanoseconds) {
        case (nil, _): return other
        case (_, nil): return self
        case (let a?, let b?): return Deadline(nanoseconds: Swift.min(a, b))
        }
    }
}
