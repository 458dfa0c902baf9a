import Foundation
import Logging
import PatrolLink
import Testing

/// The operator channel on real CURVE sockets: only allowlisted operator keys get answers, and a
/// request carries the operator bound to its key.
@Suite(.serialized)
struct OperatorChannelTests {
    @Test(.timeLimit(.minutes(1)))
    func onlyAllowedOperatorsAreAnsweredAndTheirNameComesFromTheKey() async throws {
        var logger = Logger(label: "operators")
        logger.logLevel = .critical
        let server = try CurveKeyPair.generate()
        let alice = try CurveKeyPair.generate()
        let bob = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let operators = try OperatorAllowlist(operators: [
            "alice": .init(role: .admin, publicKey: alice.publicKey),
            "bob": .init(role: .viewer, publicKey: bob.publicKey),
        ])
        let context = ZMQContext()
        defer { context.shutdown() }
        let zap = try ZAPHandler(context: context, allowlist: operators.handshakes, logger: logger)
        defer { zap.close() }
        let channel = try OperatorServer(
            context: context, endpoint: "tcp://127.0.0.1:*", keys: server, allowlist: operators, logger: logger)
        defer { channel.close() }
        // Echo each request with the operator the server took it to be from.
        let echo = Task {
            for await frame in channel.inbound {
                channel.reply(Array("\(frame.operatorName):".utf8) + frame.body, to: frame.peer)
            }
        }
        func ask(_ keys: CurveKeyPair, _ text: String, timeout: Duration = .seconds(30)) async throws -> String {
            let clientContext = ZMQContext()
            defer { clientContext.shutdown() }
            let client = try OperatorClient(
                context: clientContext, endpoint: channel.endpoint, keys: keys, serverPublicKey: server.publicKey,
                logger: logger)
            defer { client.close() }
            return String(decoding: try await client.request(Array(text.utf8), timeout: timeout), as: UTF8.self)
        }
        #expect(try await ask(alice, "status") == "alice:status")
        #expect(try await ask(bob, "launch") == "bob:launch")
        await #expect(throws: LinkError.self) { try await ask(stranger, "status", timeout: .seconds(2)) }
        // Revoked: bob's next request gets nothing.
        try operators.reload(from: try file("alice: admin \"\(alice.publicKey)\"\n"))
        await #expect(throws: LinkError.self) { try await ask(bob, "status", timeout: .seconds(2)) }
        #expect(zap.statistics.refused >= 2)
        channel.close()
        await echo.value
    }

    func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("operators-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
