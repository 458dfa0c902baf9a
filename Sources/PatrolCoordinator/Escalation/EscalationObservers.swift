public import PatrolModel
import Synchronization

/// What an ``EscalationEngine`` did, for observers such as the event stream.
public enum EscalationChange: Sendable {
    /// A notification was sent (a deadline fired).
    case notified(AlertNotification)
    /// An alert changed state: by a person, a party, or the engine itself.
    case transition(Alert, AlertTransition)
}

/// The observers of one engine; called synchronously where the change is made, so they must
/// not block (publishing to the event stream only queues).
public final class EscalationObservers: Sendable {
    public typealias Observer = @Sendable (EscalationChange) -> Void
    private let observers = Mutex<[Observer]>([])
    private let notifications = Atomic<Int>(0)

    init() {}

    /// Calls `observer` with every later change.
    public func add(_ observer: @escaping Observer) { observers.withLock { $0.append(observer) } }

    /// Notifications this engine sent since it was made.
    public var notified: Int { notifications.load(ordering: .relaxed) }

    func notify(_ change: EscalationChange) {
        if case .notified = change { notifications.add(1, ordering: .relaxed) }
        for observer in observers.withLock({ $0 }) { observer(change) }
    }
}
