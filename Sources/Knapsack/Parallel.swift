import Foundation

/// Independent pieces of one solve on every core.
enum Parallel {
    /// `[body(0), body(1), ..., body(count - 1)]`, the calls spread over the cores
    /// (`DispatchQueue.concurrentPerform`, which runs nested calls on the threads it already has).
    /// Each call must depend only on its index and on values it does not share mutably, so the
    /// result is the same as the loop's, in index order, whatever the scheduling.
    /// - Complexity: the calls' own, on up to `count` threads.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        var out = [T?](repeating: nil, count: count)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            withoutActuallyEscaping(body) { call in
                nonisolated(unsafe) let run = call
                DispatchQueue.concurrentPerform(iterations: count) { slots[$0] = run($0) }
            }
        }
        return out.compactMap { $0 }
    }
}

extension Parallel {
    /// `(first(), second())`, the two side by side (the same values as calling them in turn).
    static func both<A, B>(_ first: () -> A, _ second: () -> B) -> (A, B) {
        let results = map(2) { k -> (A?, B?) in k == 0 ? (first(), nil) : (nil, second()) }
        return (results[0].0 ?? first(), results[1].1 ?? second())
    }
}

extension Parallel {
    /// Holds values until a background thread drops them.
    private final class Garbage: @unchecked Sendable {
        var values: [Any]
        init(_ values: [Any]) { self.values = values }
    }

    /// Drops `values` on a background thread: when the caller holds no other reference, their
    /// memory is freed there, not on the caller's path (large structures of many arrays take a
    /// fraction of a millisecond to free). The values must not be shared mutably.
    static func releaseLater(_ values: [Any]) {
        let garbage = Garbage(values)
        DispatchQueue.global(qos: .utility).async { garbage.values.removeAll() }
    }
}
