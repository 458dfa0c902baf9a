import Foundation
import Logging
import PatrolModel
import Testing

@testable import PatrolLink

/// The batched hand-off from the link's thread to its consumer (`LinkServer.inboundBatches`).
@Suite(.timeLimit(.minutes(1)))
struct InboundBatchTests {
    let capture = LogCapture()

    @Test(arguments: Transport.allCases)
    func batchesCarryEveryFrameInOrder(over transport: Transport) async throws {
        let count = 5000
        let context = ZMQContext()
        defer { context.shutdown() }
        var options = LinkOptions()
        options.limits = nil
        let server = try LinkServer(
            context: context, endpoint: transport.endpoint, logger: capture.logger, options: options)
        defer { server.close() }
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        defer { client.close() }

        for i in 1...count {
            client.send(.telemetry(Samples.telemetry(i)), time: instant(ms: 1_764_036_000_000 + Int64(i)))
        }
        var received = 0
        var batches = 0
        for await batch in server.inboundBatches {
            batches += 1
            #expect(!batch.isEmpty)
            #expect(batch.count <= 256)
            for frame in batch {
                received += 1
                #expect(try frame.result.get().sequence == UInt64(received))
            }
            if received >= count { break }
        }
        #expect(received == count)
        #expect(server.statistics.dropped == 0)
        // Not one hand-off per frame (5,000 frames queued at once arrive in few poll rounds).
        #expect(batches < count)
    }

    /// Past `maximumBufferedInbound` frames held for the consumer, the newest are dropped and
    /// counted, frames and not arrays; once the consumer reads, frames flow again.
    @Test func theBufferLimitCountsFrames() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        var options = LinkOptions()
        options.limits = nil
        options.maximumBufferedInbound = 10
        let server = try LinkServer(
            context: context, endpoint: Transport.inproc.endpoint, logger: capture.logger, options: options)
        defer { server.close() }
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        defer { client.close() }

        for i in 1...50 { client.send(.telemetry(Samples.telemetry(i)), time: t0) }
        #expect(await eventually(within: 30) { server.statistics.received == 50 })
        #expect(server.statistics.dropped == 40)
        var batches = server.inboundBatches.makeAsyncIterator()
        var kept: [UInt64] = []
        while kept.count < 10, let batch = await batches.next() {
            kept += try batch.map { try $0.result.get().sequence }
        }
        #expect(kept == Array(1...10))
        client.send(.heartbeat, time: t0)
        let after = try #require(await batches.next())
        #expect(try after.map { try $0.result.get().sequence } == [51])
        #expect(server.statistics.dropped == 40)
    }

    /// `inbound` (one frame at a time) still works over the batched hand-off.
    @Test func singleFramesStillArrive() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(context: context, endpoint: Transport.inproc.endpoint, logger: capture.logger)
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        defer { client.close() }
        for _ in 1...3 { client.send(.heartbeat, time: t0) }
        var frames = server.inbound.makeAsyncIterator()
        for expected in UInt64(1)...3 {
            #expect(try #require(await frames.next()).result.get().sequence == expected)
        }
        server.close()
        #expect(await frames.next() == nil)
    }
}
