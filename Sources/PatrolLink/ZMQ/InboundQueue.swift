import Synchronization

/// The hand-off of received items from a ``SocketLoop``'s thread to its one consumer, a poll
/// round's worth at a time.
///
/// The loop thread ``deliver(_:)``s an array per poll round (everything readable then, up to
/// the loop's receive batch), so the consumer pays one stream hand-off (`yield` and `next`) per
/// round instead of one per frame. The buffer limit counts items, not arrays: past `capacity`
/// items held for the consumer, the newest are dropped and counted, as before.
///
/// The consumer reads either ``batches`` or ``items`` (one item at a time, for consumers that
/// are not on a hot path), never both.
final class InboundQueue<Inbound: Sendable>: Sendable {
    /// Every delivered array, in order; finishes after ``finish()``.
    let batches: AsyncStream<[Inbound]>
    /// The same items one by one.
    let items: AsyncStream<Inbound>
    private let continuation: AsyncStream<[Inbound]>.Continuation
    private let buffered: Buffered

    /// - Parameter capacity: items held for a consumer that has fallen behind (at least 1).
    init(capacity: Int) {
        let (raw, continuation) = AsyncStream.makeStream(of: [Inbound].self, bufferingPolicy: .unbounded)
        let buffered = Buffered(capacity: max(1, capacity))
        let cursor = Cursor(raw.makeAsyncIterator(), buffered: buffered)
        self.continuation = continuation
        self.buffered = buffered
        self.batches = AsyncStream(unfolding: { await cursor.nextBatch() })
        self.items = AsyncStream(unfolding: { await cursor.nextItem() })
    }

    /// Hands `batch` to the consumer (loop thread only); returns how many of its items were
    /// dropped because the consumer holds `capacity` already.
    func deliver(_ batch: [Inbound]) -> Int {
        guard !batch.isEmpty else { return 0 }
        // Only this thread adds, so `room` can only grow before the yield: never over capacity.
        let room = buffered.capacity - buffered.count.load(ordering: .acquiring)
        guard room > 0 else { return batch.count }
        let kept = room >= batch.count ? batch : Array(batch.prefix(room))
        buffered.count.add(kept.count, ordering: .releasing)
        if case .terminated = continuation.yield(kept) {
            buffered.count.subtract(kept.count, ordering: .relaxed)
            return 0
        }
        return batch.count - kept.count
    }

    /// Ends both streams once the consumer has read what was delivered.
    func finish() { continuation.finish() }

    private final class Buffered: Sendable {
        let count = Atomic<Int>(0)
        let capacity: Int
        init(capacity: Int) { self.capacity = capacity }
    }

    /// The consumer's position; used by the one consumer only, one call at a time (the streams
    /// made with `AsyncStream(unfolding:)` call it serially), hence unchecked.
    private final class Cursor: @unchecked Sendable {
        private var iterator: AsyncStream<[Inbound]>.Iterator
        private let buffered: Buffered
        private var current: [Inbound] = []
        private var index = 0

        init(_ iterator: AsyncStream<[Inbound]>.Iterator, buffered: Buffered) {
            self.iterator = iterator
            self.buffered = buffered
        }

        func nextBatch() async -> [Inbound]? {
            if index < current.count {
                defer { (current, index) = ([], 0) }
                return Array(current[index...])
            }
            guard let batch = await iterator.next() else { return nil }
            buffered.count.subtract(batch.count, ordering: .relaxed)
            return batch
        }

        func nextItem() async -> Inbound? {
            while index >= current.count {
                guard let batch = await nextBatch() else { return nil }
                (current, index) = (batch, 0)
            }
            defer { index += 1 }
            return current[index]
        }
    }
}
