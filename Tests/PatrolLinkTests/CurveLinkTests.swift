import Foundation
import Logging
import PatrolModel
import Testing

@testable import PatrolLink

/// CURVE with a ZAP allowlist over real loopback TCP: only listed keys get through, a device's
/// id is its key's, and with no handler answering the server refuses everyone.
@Suite(.timeLimit(.minutes(1)), .enabled(if: CurveKeyPair.isSupported))
struct CurveLinkTests {
    let capture = LogCapture()
    let serverKeys = try! CurveKeyPair.generate()
    let drone1 = try! CurveKeyPair.generate()
    let drone2 = try! CurveKeyPair.generate()

    /// A coordinator-side context with a ZAP handler (unless `handler` is false) and a CURVE server.
    func server(handler: Bool = true) throws -> (ZMQContext, ZAPHandler?, LinkServer, DeviceAllowlist) {
        let context = ZMQContext()
        let allowlist = try DeviceAllowlist(devices: ["drone-1": drone1.publicKey, "drone-2": drone2.publicKey])
        let zap = handler ? try ZAPHandler(context: context, allowlist: allowlist, logger: capture.logger) : nil
        var options = LinkOptions()
        options.security = .curveServer(serverKeys, domain: LinkSecurity.defaultDomain)
        let server = try LinkServer(
            context: context, endpoint: "tcp://127.0.0.1:*", logger: capture.logger, options: options,
            allowlist: allowlist)
        return (context, zap, server, allowlist)
    }

    func client(_ context: ZMQContext, _ server: LinkServer, id: String, keys: CurveKeyPair) throws -> LinkClient {
        var options = LinkOptions()
        options.security = .curveClient(keys, serverPublicKey: serverKeys.publicKey)
        return try LinkClient(
            context: context, endpoint: server.endpoint, identity: id, logger: capture.logger, options: options)
    }

    static let hello = WireMessage.hello(Hello(kind: .drone, capabilities: ["smoke"]))

    @Test func knownKeyGetsThroughAndIsNamedByItsKey() async throws {
        let (context, zap, server, _) = try server()
        let devices = ZMQContext()
        defer { server.close(); zap?.close(); devices.shutdown(); context.shutdown() }
        let client = try client(devices, server, id: "drone-1", keys: drone1)
        defer { client.close() }
        client.send(Self.hello, time: t0)
        var inbound = server.inbound.makeAsyncIterator()
        let frame = try #require(await inbound.next())
        #expect(frame.authenticatedDevice == "drone-1")
        #expect(try frame.result.get().device == "drone-1")
        server.send(
            .welcome(Welcome(session: "s", heartbeatInterval: 1, telemetryRate: 2)), to: frame.peer,
            device: "drone-1", time: t0)
        var replies = client.inbound.makeAsyncIterator()
        let reply = try #require(await replies.next())
        #expect(try reply.get().message.type == "welcome")
        #expect(zap?.statistics.accepted == 1)
    }

    @Test func strangerWithUnknownKeyGetsNothingThroughAndIsCounted() async throws {
        let (context, zap, server, allowlist) = try server()
        let devices = ZMQContext()
        defer { server.close(); zap?.close(); devices.shutdown(); context.shutdown() }
        let stranger = try client(devices, server, id: "drone-1", keys: try CurveKeyPair.generate())
        defer { stranger.close() }
        stranger.send(Self.hello, time: t0)
        #expect(await eventually { allowlist.refused >= 1 })
        #expect(await nothing(from: server.inbound, within: 1))
        #expect(server.statistics.received == 0)
        #expect((zap?.statistics.refused ?? 0) >= 1)
        #expect(capture.records.contains { $0.message.contains("unknown key") })
    }

    @Test func withNoHandlerAnsweringTheServerRefusesEveryone() async throws {
        let (context, _, server, _) = try server(handler: false)
        let devices = ZMQContext()
        defer { server.close(); devices.shutdown(); context.shutdown() }
        let client = try client(devices, server, id: "drone-1", keys: drone1)
        defer { client.close() }
        client.send(Self.hello, time: t0)
        #expect(await nothing(from: server.inbound, within: 1.5))
        #expect(server.statistics.received == 0)
    }

    @Test func deviceClaimingAnotherIdIsRefused() async throws {
        let (context, zap, server, _) = try server()
        let devices = ZMQContext()
        defer { server.close(); zap?.close(); devices.shutdown(); context.shutdown() }
        var inbound = server.inbound.makeAsyncIterator()
        // drone-2's key with drone-1's routing id (which would take over drone-1's connection).
        let thief = try client(devices, server, id: "drone-1", keys: drone2)
        thief.send(Self.hello, time: t0)
        let first = try #require(await inbound.next())
        #expect(first.authenticatedDevice == "drone-2")
        #expect(throws: LinkError.self) { try first.result.get() }
        #expect(first.result.failure?.code == .unauthenticated)
        thief.close()

        // drone-2's key and routing id, but drone-1 in the payload.
        let socket = try Socket(context: devices, kind: .dealer)
        defer { socket.close() }
        try socket.setOption(ZMQOption.routingID, bytes: Array("drone-2".utf8))
        try configureSecurity(socket, .curveClient(drone2, serverPublicKey: serverKeys.publicKey))
        try socket.connect(server.endpoint)
        let forged = Envelope(device: "drone-1", sequence: 1, time: t0, message: Self.hello)
        #expect(try socket.send([WireCodec.encode(forged)]) == .sent)
        let second = try #require(await inbound.next())
        #expect(second.peer == PeerID("drone-2"))
        #expect(second.result.failure?.code == .unauthenticated)
        #expect(second.result.failure?.message.contains("drone-1") == true)
    }

    @Test func revokingAKeyRefusesItsFramesAndNewHandshakesAtOnce() async throws {
        let (context, zap, server, allowlist) = try server()
        let devices = ZMQContext()
        defer { server.close(); zap?.close(); devices.shutdown(); context.shutdown() }
        let client = try client(devices, server, id: "drone-1", keys: drone1)
        defer { client.close() }
        var inbound = server.inbound.makeAsyncIterator()
        client.send(Self.hello, time: t0)
        #expect(try #require(await inbound.next()).result.get().device == "drone-1")

        try allowlist.replace(with: ["drone-2": drone2.publicKey])
        client.send(.heartbeat, time: t0)
        let refused = try #require(await inbound.next())
        #expect(refused.result.failure?.code == .unauthenticated)
        #expect(refused.result.failure?.message.contains("revoked") == true)
        // Its connection was dropped: the reconnection's handshake is refused.
        #expect(await eventually { allowlist.refused >= 1 })
        #expect(capture.records.contains { $0.message.contains("closed the connection of a revoked device") })
        let before = allowlist.refused

        let again = try self.client(devices, server, id: "drone-1b", keys: drone1)
        defer { again.close() }
        again.send(Self.hello, time: t0)
        #expect(await eventually { allowlist.refused > before })
    }

    /// The link sweeps revoked connections every 500 ms (`LinkServer`), so the session closes within
    /// about a second on an idle machine; the wait here is a hang guard, not a timing (a loaded
    /// 2-core CI run once took 5.7 s, the test's thread starved).
    @Test func revokingASilentDevicesKeyClosesItsSession() async throws {
        let (context, zap, server, allowlist) = try server()
        let devices = ZMQContext()
        defer { server.close(); zap?.close(); devices.shutdown(); context.shutdown() }
        let client = try client(devices, server, id: "drone-1", keys: drone1)
        defer { client.close() }
        var inbound = server.inbound.makeAsyncIterator()
        client.send(Self.hello, time: t0)
        #expect(try #require(await inbound.next()).result.get().device == "drone-1")
        #expect(allowlist.refused == 0)

        // Revoked, and the device sends nothing more: the link's sweep drops its connection; the
        // device's automatic reconnection then meets the allowlist and is refused.
        try allowlist.replace(with: ["drone-2": drone2.publicKey])
        #expect(await eventually(within: 30) { allowlist.refused >= 1 })
        #expect(capture.records.contains { $0.message.contains("closed the connection of a revoked device") })
    }

    @Test func keysFileRoundTripsAndBadLinesNameTheirLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("devices.yaml")
        let devices = ["drone-1": drone1.publicKey, "drone-2": drone2.publicKey]
        try DeviceAllowlist.render(devices).write(to: file, atomically: true, encoding: .utf8)
        #expect(try DeviceAllowlist(contentsOf: file).devices == devices)

        try "# keys\ndrone-1: \"\(drone1.publicKey)\"\ndrone-2: \(drone2.publicKey)\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: LinkError.self) { try DeviceAllowlist.load(from: file) }
        #expect(error?.message.hasSuffix(":3: drone-2: the key must be in double quotes") == true)
        #expect(throws: LinkError.self) { try DeviceAllowlist(devices: ["a": "short"]) }
        #expect(throws: LinkError.self) {
            try DeviceAllowlist(devices: ["a": drone1.publicKey, "b": drone1.publicKey])
        }
        #expect(try CurveKeyPair(publicKey: drone1.publicKey, secretKey: drone1.secretKey) == drone1)
        #expect(!drone1.description.contains(drone1.secretKey))
    }
}

/// Whether `stream` yields nothing for `seconds` (the stream is finished by the wait).
func nothing<T: Sendable>(from stream: AsyncStream<T>, within seconds: Double) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            var iterator = stream.makeAsyncIterator()
            return await iterator.next() == nil
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(seconds))
            return true
        }
        let first = await group.next() ?? true
        group.cancelAll()
        return first
    }
}
