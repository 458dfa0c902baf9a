public import Foundation
import Logging
import PatrolModel
import PatrolStore

/// The running part of escalation: fires due deadlines, then sleeps on the injected clock until
/// the next one (in virtual time under a `VirtualClock`, in real time under the system clock).
///
/// It holds no timers of its own: the deadlines are in the store, so stopping and starting it, or
/// the whole process, loses none. Deadlines scheduled while it sleeps are picked up within
/// ``idleCheck`` of clock time.
public struct EscalationService: Sendable {
    public let engine: EscalationEngine
    /// The longest it sleeps without looking at the store again, seconds of clock time.
    public var idleCheck: TimeInterval

    public init(engine: EscalationEngine, idleCheck: TimeInterval = 60) {
        precondition(idleCheck > 0, "the idle check must be positive")
        self.engine = engine
        self.idleCheck = idleCheck
    }

    /// Fires deadlines as they fall due until the task is cancelled; returns normally then.
    ///
    /// A store failure is logged and retried after ``idleCheck``; it never ends the loop.
    public func run() async {
        while !Task.isCancelled {
            var wake = engine.clock.now().addingTimeInterval(idleCheck)
            do {
                try engine.fireDue()
                if let next = try engine.store.nextDeadline() { wake = min(wake, next.due) }
            } catch {
                engine.logger.error("escalation failed", metadata: ["store.error": "\(error)"])
            }
            do { try await engine.clock.sleep(until: wake) } catch { return }
        }
    }
}
