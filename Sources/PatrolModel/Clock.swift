public import Foundation
import Synchronization

/// The source of "now" for everything that stamps or waits: injected so that simulations can
/// run on virtual time, deterministically and faster than real time.
public protocol PatrolClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The machine's wall clock.
public struct SystemClock: PatrolClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to: the simulation's time.
public final class VirtualClock: PatrolClock {
    private let current: Mutex<Date>

    /// A clock that reads `start` until advanced.
    public init(start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves time forward by `seconds` (never backwards) and returns the new instant.
    @discardableResult
    public func advance(by seconds: TimeInterval) -> Date {
        precondition(seconds >= 0, "a virtual clock never runs backwards")
        return current.withLock { now in
            now += seconds
            return now
        }
    }

    /// Moves time forward to `instant` if it is later than now.
    public func advance(to instant: Date) {
        current.withLock { now in now = max(now, instant) }
    }
}
