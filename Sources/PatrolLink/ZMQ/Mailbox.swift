import Synchronization

/// The outbound queue of a ``SocketLoop`` and its counters, shared by every sending thread and
/// the loop thread.
///
/// Senders ``post(_:)`` under a `Mutex` and wake the loop through ``wakeup`` when the queue goes
/// from empty to non-empty; the loop ``take()``s the whole queue at once after draining the
/// wakeup, so no wakeup is lost and most posts make no system call.
final class Mailbox: Sendable {
    private struct State {
        var queue: [[[UInt8]]] = []
        var isClosed = false
    }

    private let state = Mutex(State())
    let wakeup: Wakeup
    private let capacity: Int

    /// Messages the loop holds because libzmq could not take them yet (written by the loop).
    let backlog = Atomic<Int>(0)
    let sent = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    let badFrames = Atomic<Int>(0)
    let unroutable = Atomic<Int>(0)
    let dropped = Atomic<Int>(0)
    let rateLimited = Atomic<Int>(0)

    /// - Throws: ``LinkError`` `.socket` if no wakeup descriptor can be made.
    init(capacity: Int) throws(LinkError) {
        self.wakeup = try Wakeup.make()
        self.capacity = capacity
    }

    deinit { wakeup.close() }

    /// Queues one multipart message for the loop to send; never blocks on the network.
    /// - Returns: `false`, counting a drop, if the mailbox is closed or full.
    @discardableResult
    func post(_ frames: [[UInt8]]) -> Bool {
        let capacity = capacity
        let backlog = backlog.load(ordering: .relaxed)
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            guard !state.isClosed, state.queue.count + backlog < capacity else { return (false, false) }
            state.queue.append(frames)
            return (true, state.queue.count == 1)
        }
        if wake { wakeup.signal() }
        if !accepted { dropped.add(1, ordering: .relaxed) }
        return accepted
    }

    /// Everything queued since the last call, and whether the mailbox has been closed.
    func take() -> (messages: [[[UInt8]]], isClosed: Bool) {
        state.withLock { state in
            defer { state.queue.removeAll() }
            return (state.queue, state.isClosed)
        }
    }

    /// Refuses further posts and wakes the loop so that it stops.
    func close() {
        state.withLock { $0.isClosed = true }
        wakeup.signal()
    }

    var isClosed: Bool { state.withLock { $0.isClosed } }

    var statistics: LinkStatistics {
        var s = LinkStatistics()
        s.sent = sent.load(ordering: .relaxed)
        s.received = received.load(ordering: .relaxed)
        s.badFrames = badFrames.load(ordering: .relaxed)
        s.unroutable = unroutable.load(ordering: .relaxed)
        s.dropped = dropped.load(ordering: .relaxed)
        s.queued = backlog.load(ordering: .relaxed) + state.withLock { $0.queue.count }
        s.rateLimited = rateLimited.load(ordering: .relaxed)
        return s
    }
}
