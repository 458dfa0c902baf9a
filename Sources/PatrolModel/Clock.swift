public import Foundation
import Synchronization

/// The source of "now" for everything that stamps or waits: injected so that simulations can
/// run on virtual time, deterministically and faster than real time.
public protocol PatrolClock: Sendable {
    /// The current instant.
    func now() -> Date

    /// Suspends until the clock reads `deadline` or later.
    ///
    /// The default sleeps in real time for the difference between `deadline` and ``now()``.
    /// - Throws: `CancellationError` when the task is cancelled first.
    func sleep(until deadline: Date) async throws
}

extension PatrolClock {
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSince(now())
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) } else { try Task.checkCancellation() }
    }
}

/// The machine's wall clock.
public struct SystemClock: PatrolClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to: the simulation's time.
///
/// Tasks that ``sleep(until:)`` on it wake when ``advance(by:)`` or ``advance(to:)`` reaches their
/// deadline, never on their own.
public final class VirtualClock: PatrolClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [UInt64: Sleeper] = [:]
        var nextTicket: UInt64 = 0
    }

    private let current: Mutex<State>

    /// A clock that reads `start` until advanced.
    public init(start: Date) { current = Mutex(State(now: start)) }

    public func now() -> Date { current.withLock { $0.now } }

    /// How many tasks are sleeping on this clock (so a test can wait until a service is idle).
    public var sleeperCount: Int { current.withLock { $0.sleepers.count } }

    /// Suspends until the clock is advanced to `deadline` or later; returns at once if it already is.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first.
    public func sleep(until deadline: Date) async throws {
        let ticket = current.withLock { state in
            state.nextTicket += 1
            return state.nextTicket
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: Result<Void, any Error>? = current.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.now >= deadline { return .success(()) }
                    state.sleepers[ticket] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let sleeper = current.withLock { $0.sleepers.removeValue(forKey: ticket) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Sets the time and returns the sleepers whose deadline it reaches, to resume outside the lock.
    private func move(_ body: (inout Date) -> Void) -> (Date, [Sleeper]) {
        current.withLock { state in
            body(&state.now)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for key in due.keys { state.sleepers[key] = nil }
            return (state.now, due.values.sorted { $0.deadline < $1.deadline })
        }
    }

    /// Moves time forward by `seconds` (never backwards) and returns the new instant.
    @discardableResult
    public func advance(by seconds: TimeInterval) -> Date {
        precondition(seconds >= 0, "a virtual clock never runs backwards")
        let (now, due) = move { $0 += seconds }
        for sleeper in due { sleeper.continuation.resume() }
        return now
    }

    /// Moves time forward to `instant` if it is later than now.
    public func advance(to instant: Date) {
        let (_, due) = move { $0 = max($0, instant) }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
