import Foundation
import Logging
import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolLink

@Suite(.timeLimit(.minutes(1)))
struct LinkTests {
    let capture = LogCapture()

    @Test(arguments: Transport.allCases)
    func helloIsWelcomed(over transport: Transport) async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(context: context, endpoint: transport.endpoint, logger: capture.logger)
        defer { server.close() }
        if transport == .tcp {
            #expect(server.endpoint.hasPrefix("tcp://127.0.0.1:") && !server.endpoint.hasSuffix("*"))
        }
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        defer { client.close() }

        let hello = Hello(kind: .drone, capabilities: ["smoke"], firmware: "1.0")
        #expect(client.send(.hello(hello), time: t0) == 1)
        var serverInbound = server.inbound.makeAsyncIterator()
        let frame = try #require(await serverInbound.next())
        #expect(frame.peer == PeerID("drone-1"))
        #expect(frame.peer.description == "drone-1")
        let envelope = try frame.result.get()
        #expect(envelope == Envelope(device: "drone-1", sequence: 1, time: t0, message: .hello(hello)))

        let welcome = Welcome(session: "s-1", heartbeatInterval: 1, telemetryRate: 2)
        server.send(.welcome(welcome), to: frame.peer, device: envelope.device, time: t0)
        var clientInbound = client.inbound.makeAsyncIterator()
        let reply = try #require(await clientInbound.next()).get()
        #expect(reply == Envelope(device: "drone-1", sequence: 1, time: t0, message: .welcome(welcome)))
        // The counter moves just after zmq_send returns, which may be after the reply arrived.
        #expect(await eventually { server.statistics.sent == 1 })
        #expect(server.statistics.received == 1)
    }

    @Test(arguments: Transport.allCases)
    func manyTelemetryMessagesArriveInOrder(over transport: Transport) async throws {
        let count = 5000
        let context = ZMQContext()
        defer { context.shutdown() }
        var options = LinkOptions()
        options.limits = nil  // one device far over its telemetry rate: this test is about the socket layer
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
        for await frame in server.inbound {
            received += 1
            let envelope = try frame.result.get()
            #expect(envelope.sequence == UInt64(received))
            guard case .telemetry(let report) = envelope.message, report.telemetry.waypointIndex == received else {
                Issue.record("message \(received) is \(envelope.message)")
                break
            }
            if received == count { break }
        }
        #expect(received == count)
        #expect(client.statistics.sent == count)
    }

    @Test(arguments: Transport.allCases)
    func twoClientsAreRoutedByIdentity(over transport: Transport) async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(context: context, endpoint: transport.endpoint, logger: capture.logger)
        defer { server.close() }
        let drone = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        defer { drone.close() }
        let robot = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "robot-7", logger: capture.logger)
        defer { robot.close() }

        drone.send(.hello(Hello(kind: .drone, capabilities: [])), time: t0)
        robot.send(.hello(Hello(kind: .robot, capabilities: ["gas"])), time: t0)
        var serverInbound = server.inbound.makeAsyncIterator()
        var peers: Set<PeerID> = []
        for _ in 0..<2 {
            let frame = try #require(await serverInbound.next())
            let envelope = try frame.result.get()
            #expect(frame.peer == PeerID(envelope.device))
            peers.insert(frame.peer)
        }
        #expect(peers == [PeerID("drone-1"), PeerID("robot-7")])

        // Each gets its own welcome, and then a command numbered 2 in its own sequence.
        for peer in [PeerID("robot-7"), PeerID("drone-1")] {
            let name = peer.description
            server.send(
                .welcome(Welcome(session: "s-\(name)", heartbeatInterval: 1, telemetryRate: 1)), to: peer, device: name,
                time: t0)
            server.send(
                .command(Command(id: "c-\(name)", action: .start, flightID: nil)), to: peer, device: name, time: t0)
        }
        for (client, name) in [(drone, "drone-1"), (robot, "robot-7")] {
            var inbound = client.inbound.makeAsyncIterator()
            let welcome = try #require(await inbound.next()).get()
            #expect(welcome.message == .welcome(Welcome(session: "s-\(name)", heartbeatInterval: 1, telemetryRate: 1)))
            #expect(welcome.sequence == 1 && welcome.device == name)
            let command = try #require(await inbound.next()).get()
            #expect(command.message == .command(Command(id: "c-\(name)", action: .start, flightID: nil)))
            #expect(command.sequence == 2)
        }
    }

    @Test func aMessageForAnAbsentPeerIsDroppedAndCounted() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(context: context, endpoint: Transport.inproc.endpoint, logger: capture.logger)
        defer { server.close() }
        server.send(.heartbeat, to: PeerID("ghost"), device: "ghost", time: t0)
        #expect(await eventually { server.statistics.unroutable == 1 })
        #expect(
            capture.records.contains { $0.message.contains("not connected") && $0.metadata["link.peer"] == "ghost" })
        #expect(server.statistics.sent == 0)
    }

    @Test(arguments: Transport.allCases)
    func garbageFromARawDealerIsRejectedAndTheServerKeepsServing(over transport: Transport) async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(context: context, endpoint: transport.endpoint, logger: capture.logger)
        defer { server.close() }
        let raw = try Socket(context: context, kind: .dealer)
        defer { raw.close() }
        try raw.setOption(ZMQOption.routingID, bytes: Array("raw-1".utf8))
        try raw.connect(server.endpoint)
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        defer { client.close() }

        #expect(try raw.send([Array("not json at all".utf8)]) == .sent)
        var inbound = server.inbound.makeAsyncIterator()
        let bad = try #require(await inbound.next())
        #expect(bad.peer == PeerID("raw-1"))
        guard case .failure(let error) = bad.result else {
            Issue.record("garbage decoded: \(bad.result)")
            return
        }
        #expect(error.code == .badFrame)
        #expect(error.message.hasPrefix("frame: not valid JSON"))

        // The server does not answer on its own (that is the coordinator's policy) …
        #expect(try raw.receive(within: 0.05) == nil)
        // … and a reply for a sender whose device is unknown goes out under its routing id.
        let report = WireErrorReport(code: error.code.description, message: error.message, refSequence: error.sequence)
        server.send(.error(report), to: bad.peer, device: "", time: t0)
        let reply = try WireCodec.decode(try #require(try raw.receive(within: 5)?.first))
        #expect(reply == Envelope(device: "raw-1", sequence: 1, time: t0, message: .error(report)))

        // A good envelope claiming another device's id is delivered with its real peer, for the
        // coordinator to refuse.
        let spoofed = Samples.envelope(.heartbeat, device: "drone-1", sequence: 9)
        #expect(try raw.send([WireCodec.encode(spoofed)]) == .sent)
        let spoof = try #require(await inbound.next())
        #expect(spoof.peer == PeerID("raw-1"))
        #expect(try spoof.result.get() == spoofed)

        // A message of two frames.
        #expect(try raw.send([Array("{}".utf8), Array("{}".utf8)]) == .sent)
        let twoFrames = try #require(await inbound.next())
        #expect(twoFrames.result.failure?.message == "frame: expected a message of exactly one frame, found 2 frames")

        // Meanwhile the good client is served.
        client.send(.hello(Hello(kind: .drone, capabilities: [])), time: t0)
        let good = try #require(await inbound.next())
        #expect(good.peer == PeerID("drone-1"))
        #expect(try good.result.get().sequence == 1)
        #expect(server.statistics.badFrames == 2)
        #expect(
            capture.records.contains { $0.message.hasPrefix("rejected a frame") && $0.metadata["link.peer"] == "raw-1" }
        )
    }

    @Test func anAnonymousPeerPrintsAsHex() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(context: context, endpoint: Transport.inproc.endpoint, logger: capture.logger)
        defer { server.close() }
        let raw = try Socket(context: context, kind: .dealer)
        defer { raw.close() }
        try raw.connect(server.endpoint)
        _ = try raw.send([[0xFF]])
        var inbound = server.inbound.makeAsyncIterator()
        let frame = try #require(await inbound.next())
        #expect(frame.peer.bytes.first == 0)
        #expect(frame.peer.description.hasPrefix("0x00"))
        server.send(.heartbeat, to: frame.peer, device: "", time: t0)
        let reply = try WireCodec.decode(try #require(try raw.receive(within: 5)?.first))
        #expect(reply.device == frame.peer.description)
    }

    @Test(arguments: Transport.allCases)
    func closingWithMessagesInFlightNeitherHangsNorCrashes(over transport: Transport) async throws {
        let context = ZMQContext()
        let server = try LinkServer(context: context, endpoint: transport.endpoint, logger: capture.logger)
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        let consumer = Task {
            var count = 0
            for await _ in server.inbound { count += 1 }
            return count
        }
        let sender = Task.detached {
            for i in 1...10_000 { client.send(.telemetry(Samples.telemetry(i)), time: t0) }
        }
        try await Task.sleep(for: .milliseconds(20))
        client.close()
        server.close()
        server.close()  // idempotent
        await sender.value
        let received = await consumer.value  // the stream finished
        #expect(received <= 10_000)
        let client2 = client.statistics
        #expect(client2.sent + client2.dropped == 10_000)
        context.shutdown()
    }

    @Test func contextShutdownFinishesTheStreams() async throws {
        let context = ZMQContext()
        let server = try LinkServer(context: context, endpoint: Transport.tcp.endpoint, logger: capture.logger)
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        let serverDone = Task { for await _ in server.inbound {} }
        let clientDone = Task { for await _ in client.inbound {} }
        context.shutdown()
        context.shutdown()  // idempotent
        await serverDone.value
        await clientDone.value
        client.send(.heartbeat, time: t0)
        #expect(client.statistics.dropped == 1)
        #expect(throws: LinkError.self) {
            try LinkServer(context: context, endpoint: "inproc://after", logger: capture.logger)
        }
    }

    @Test func aSlowPeerIsQueuedNotBlocking() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        var options = LinkOptions()
        options.sendHighWaterMark = 10
        let server = try LinkServer(
            context: context, endpoint: Transport.inproc.endpoint, logger: capture.logger, options: options)
        let raw = try Socket(context: context, kind: .dealer)
        defer { raw.close() }
        try raw.setOption(ZMQOption.routingID, bytes: Array("slow".utf8))
        try raw.setOption(ZMQOption.receiveHighWaterMark, Int32(10))
        try raw.connect(server.endpoint)
        _ = try raw.send([
            WireCodec.encode(Samples.envelope(.hello(Hello(kind: .drone, capabilities: [])), device: "slow"))
        ])
        var inbound = server.inbound.makeAsyncIterator()
        #expect(try await inbound.next()?.result.get().device == "slow")

        let start = ContinuousClock.now
        for i in 0..<2000 {
            server.send(
                .command(Command(id: "c\(i)", action: .pause, flightID: nil)), to: PeerID("slow"), device: "slow",
                time: t0)
        }
        #expect(ContinuousClock.now - start < .seconds(2), "send does not block on a full peer")
        // The peer reads a little; everything it reads is in order.
        for i in 0..<50 {
            let frames = try #require(try raw.receive(within: 5))
            let envelope = try WireCodec.decode(frames[0])
            #expect(envelope.sequence == UInt64(i + 1))
        }
        server.close()
        #expect(server.statistics.dropped > 0, "what was still queued at close is counted")
    }

    @Test func aStalledConsumerLosesTheNewestNotTheProcess() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        var options = LinkOptions()
        options.maximumBufferedInbound = 10
        options.limits = nil
        let server = try LinkServer(
            context: context, endpoint: Transport.inproc.endpoint, logger: capture.logger, options: options)
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        defer { client.close() }
        for i in 1...50 { client.send(.telemetry(Samples.telemetry(i)), time: t0) }
        #expect(await eventually { server.statistics.received == 50 })
        #expect(server.statistics.dropped == 40)
        server.close()
        var sequences: [UInt64] = []
        for await frame in server.inbound { sequences.append(try frame.result.get().sequence) }
        #expect(sequences == Array(1...10))
    }

    @Test func bindAndIdentityErrorsAreTyped() throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(context: context, endpoint: "tcp://127.0.0.1:*", logger: capture.logger)
        defer { server.close() }
        do {
            _ = try LinkServer(context: context, endpoint: server.endpoint, logger: capture.logger)
            Issue.record("bound the same port twice")
        } catch {
            #expect(error.code == .socket)
            #expect(error.operation == "zmq_bind")
            #expect(error.endpoint == server.endpoint)
            #expect(error.zmqErrno == EADDRINUSE)
            #expect(error.zmqDescription == "Address already in use")
        }
        #expect {
            try LinkServer(context: context, endpoint: "carrier-pigeon://coop", logger: capture.logger)
        } throws: { ($0 as? LinkError)?.code == .socket }
        for identity in ["", String(repeating: "x", count: 256), "\u{0}abc"] {
            #expect {
                try LinkClient(context: context, endpoint: server.endpoint, identity: identity, logger: capture.logger)
            } throws: { ($0 as? LinkError)?.code == .invalidIdentity }
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
