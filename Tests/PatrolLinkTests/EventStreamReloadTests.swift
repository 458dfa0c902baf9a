import Foundation
import Logging
import PatrolLink
import PatrolModel
import Testing

/// The event stream after the operators file changed (SIGHUP under `patrol serve`): the operator
/// allowlist is reloaded in place and the publisher reopened, so a revoked operator's subscriber,
/// already connected, is cut off and refused, and a new operator is admitted. Real CURVE over TCP.
@Suite(.serialized)
struct EventStreamReloadTests {
    typealias Inbox = EventStreamTests.Inbox

    @Test(.timeLimit(.minutes(1)))
    func reopeningAfterAReloadCutsOffARevokedOperatorAndAdmitsANewOne() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try CurveKeyPair.generate()
        let vic = try CurveKeyPair.generate()
        let nina = try CurveKeyPair.generate()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("operators-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let before = ["vic": OperatorAllowlist.Entry(role: .viewer, publicKey: vic.publicKey)]
        try OperatorAllowlist.render(before).write(to: file, atomically: true, encoding: .utf8)
        let operators = try OperatorAllowlist(contentsOf: file)
        let zap = try ZAPHandler(
            context: context, allowlist: try DeviceAllowlist(devices: [:]),
            authorities: [EventPublisher.defaultDomain: operators], logger: EventStreamTests.logger)
        defer { zap.close() }
        var options = LinkOptions()
        options.security = .curveServer(server, domain: EventPublisher.defaultDomain)
        let publisher = try EventPublisher(
            context: context, endpoint: "tcp://127.0.0.1:*", clock: SystemClock(), logger: EventStreamTests.logger,
            options: options)
        defer { publisher.close() }
        let endpoint = publisher.endpoint

        func subscribe(_ keys: CurveKeyPair) throws -> (EventSubscriber, Inbox) {
            var client = LinkOptions()
            client.security = .curveClient(keys, serverPublicKey: server.publicKey)
            let subscriber = try EventSubscriber(
                context: context, endpoint: endpoint, logger: EventStreamTests.logger, options: client)
            return (subscriber, Inbox(subscriber))
        }
        let (vicSubscriber, vicInbox) = try subscribe(vic)
        defer { vicSubscriber.close() }
        #expect(await EventStreamTests().joined(publisher, vicInbox))

        // vic revoked, nina admitted; the stream reopens on the same endpoint.
        let after = ["nina": OperatorAllowlist.Entry(role: .viewer, publicKey: nina.publicKey)]
        try OperatorAllowlist.render(after).write(to: file, atomically: true, encoding: .utf8)
        try operators.reload(from: file)
        let cut = publisher.published
        try await offPool { try publisher.reopen() }
        #expect(publisher.endpoint == endpoint)
        // (libzmq does not try again after a refused handshake: nina subscribes after the reload.)
        let (ninaSubscriber, ninaInbox) = try subscribe(nina)
        defer { ninaSubscriber.close() }

        var admitted = false
        for _ in 0..<600 where !admitted {
            publisher.publish("incident.opened", EventStreamTests.Payload(incident_id: "alert-9"))
            try? await Task.sleep(for: .milliseconds(50))
            admitted = !ninaInbox.documents("incident.opened").isEmpty
        }
        #expect(admitted, "the new operator hears the stream")
        // Numbering goes on across the reopening.
        let ninaSeqs = ninaInbox.documents("incident.opened").compactMap { $0["seq"] as? Int }
        #expect(ninaSeqs.allSatisfy { $0 > Int(cut) })
        // The revoked one heard nothing published after the reopening.
        let vicSeqs = vicInbox.events.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.document)) as? [String: Any])?["seq"] as? Int
        }
        #expect(vicSeqs.allSatisfy { $0 <= Int(cut) }, "\(vicSeqs) after \(cut)")
        #expect(vicInbox.documents("incident.opened").isEmpty)
    }

    /// Runs blocking work off the cooperative pool (the reopening may wait for the port).
    func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
