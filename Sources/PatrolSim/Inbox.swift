import Synchronization

/// Buffers what an `AsyncStream` delivers so one consumer can wait for the next item with a
/// real-time timeout (a device waiting for an acknowledgement must not wait forever).
final class Inbox<Element: Sendable>: Sendable {
    private struct State {
        var buffer: [Element] = []
        var finished = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Element?, Never>)?
        var nextWaiter: UInt64 = 0
    }

    /// The shared state, in a class so the pump task and waiters can hold it (a `Mutex` cannot be copied).
    private final class Storage: Sendable {
        let mutex = Mutex(State())
    }

    private let storage = Storage()
    private let pump: Task<Void, Never>

    init(_ stream: AsyncStream<Element>) {
        let storage = self.storage
        pump = Task {
            for await element in stream {
                let waiter = storage.mutex.withLock { s -> CheckedContinuation<Element?, Never>? in
                    if let w = s.waiter {
                        s.waiter = nil
                        return w.continuation
                    }
                    s.buffer.append(element)
                    return nil
                }
                waiter?.resume(returning: element)
            }
            let waiter = storage.mutex.withLock { s -> CheckedContinuation<Element?, Never>? in
                s.finished = true
                defer { s.waiter = nil }
                return s.waiter?.continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    deinit { pump.cancel() }

    /// The next element, or `nil` when the stream has ended or `timeout` passed first.
    func next(timeout: Duration) async -> Element? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
            let id = storage.mutex.withLock { s -> UInt64? in
                if !s.buffer.isEmpty {
                    continuation.resume(returning: s.buffer.removeFirst())
                    return nil
                }
                if s.finished {
                    continuation.resume(returning: nil)
                    return nil
                }
                s.nextWaiter += 1
                s.waiter = (s.nextWaiter, continuation)
                return s.nextWaiter
            }
            guard let id else { return }
            let storage = self.storage
            Task {
                try? await Task.sleep(for: timeout)
                let expired = storage.mutex.withLock { s -> CheckedContinuation<Element?, Never>? in
                    guard let w = s.waiter, w.id == id else { return nil }
                    s.waiter = nil
                    return w.continuation
                }
                expired?.resume(returning: nil)
            }
        }
    }
}
