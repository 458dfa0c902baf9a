import Dispatch
import Foundation
import GRDB
import Synchronization

/// Moves a store's WAL checkpoints off its writing connection: the writer stops checkpointing
/// (`wal_autocheckpoint=0`) and a thread of this object runs a `PASSIVE` checkpoint from a
/// connection of its own every `interval`.
///
/// By default SQLite checkpoints in the connection that commits, once the WAL passes 1,000 pages,
/// so now and then one commit (and every acknowledgement waiting for it) also copies the WAL into
/// the database file and, at `synchronous=FULL`, syncs it. A `PASSIVE` checkpoint from another
/// connection never blocks the writer; it copies what no reader still needs, and the writer
/// starts the WAL over once everything has been copied. Durability is unchanged: a commit is in
/// the WAL (and synced, at `FULL`) when it returns either way.
///
/// ``stop()`` (or deinit) ends the thread after a last checkpoint and gives the writer its
/// automatic checkpoints back.
public final class WALCheckpointer: Sendable {
    private let store: PatrolStore
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchGroup()
    private let shared = Shared()

    private final class Shared: Sendable {
        let state = Mutex<(stopped: Bool, checkpoints: Int, failure: String?)>((false, 0, nil))
    }

    /// - Parameter interval: how often to checkpoint.
    /// - Throws: ``StoreError`` when the checkpointing connection cannot be opened.
    public init(store: PatrolStore, interval: Duration = .milliseconds(200)) throws(StoreError) {
        self.store = store
        let connection: DatabaseQueue
        do {
            var configuration = Configuration()
            configuration.label = "patrol.checkpoint"
            connection = try DatabaseQueue(path: store.path, configuration: configuration)
            try store.pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        } catch {
            throw StoreError(message: "\(error)", path: store.path)
        }
        let wake = wake
        let shared = shared
        let (seconds, attoseconds) = interval.components
        let wait = Double(seconds) + Double(attoseconds) / 1e18
        done.enter()
        let thread = Thread { [done] in
            defer { done.leave() }
            while true {
                let stopping = wake.wait(timeout: .now() + wait) == .success
                do {
                    _ = try connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
                    shared.state.withLock {
                        $0.checkpoints += 1
                        $0.failure = nil
                    }
                } catch {
                    shared.state.withLock { $0.failure = "\(error)" }
                }
                if stopping { return }
            }
        }
        thread.name = "patrol.store.checkpoint"
        thread.start()
    }

    deinit { stop() }

    /// Checkpoints run so far.
    public var checkpoints: Int { shared.state.withLock { $0.checkpoints } }

    /// The last checkpoint's failure, if the last one failed (the next one tries again).
    public var lastFailure: String? { shared.state.withLock { $0.failure } }

    /// Runs a last checkpoint, ends the thread and turns the writer's own checkpoints back on.
    /// Idempotent; returns when the thread is done.
    public func stop() {
        let first = shared.state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        wake.signal()
        done.wait()
        try? store.pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 1000") }
    }
}
