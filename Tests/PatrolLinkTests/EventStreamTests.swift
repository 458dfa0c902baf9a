import Foundation
import Logging
import PatrolLink
import PatrolModel
import Synchronization
import Testing

/// The event stream over real libzmq PUB/SUB sockets: the document layout, topic prefixes,
/// CURVE with a ZAP authority of its own, and a subscriber that outlives its publisher.
@Suite(.serialized)
struct EventStreamTests {
    /// Everything a subscriber received, collected by a task of its own.
    final class Inbox: Sendable {
        final class Storage: Sendable {
            let received = Mutex<[ReceivedEvent]>([])
        }

        let storage = Storage()
        let task: Task<Void, Never>

        init(_ subscriber: EventSubscriber) {
            let storage = storage
            task = Task { for await event in subscriber.events { storage.received.withLock { $0.append(event) } } }
        }

        var events: [ReceivedEvent] { storage.received.withLock { $0 } }
        func topics() -> [String] { events.map(\.topic) }
        func documents(_ topic: String) -> [[String: Any]] {
            events.filter { $0.topic == topic }.compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.document)) as? [String: Any]
            }
        }
    }

    struct Payload: Encodable {
        var incident_id: String
    }

    static var logger: Logger {
        var logger = Logger(label: "events-test")
        logger.logLevel = .critical
        return logger
    }

    /// Publishes heartbeats until `inbox` has one: PUB/SUB joins are asynchronous.
    func joined(_ publisher: EventPublisher, _ inbox: Inbox) async -> Bool {
        for _ in 0..<600 {
            publisher.heartbeat()
            if inbox.topics().contains(EventPublisher.heartbeatTopic) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test(.timeLimit(.minutes(1)))
    func documentsCarrySchemaSequenceClockTimeAndTopicsFilterByPrefix() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 1_764_036_000))
        let publisher = try EventPublisher(
            context: context, endpoint: "inproc://events-prefix", clock: clock, logger: Self.logger)
        defer { publisher.close() }
        let subscriber = try EventSubscriber(
            context: context, endpoint: publisher.endpoint, topics: ["incident.", "sys."], logger: Self.logger)
        defer { subscriber.close() }
        let inbox = Inbox(subscriber)
        #expect(await joined(publisher, inbox))

        clock.advance(by: 90)
        publisher.publish("sortie.progress", Payload(incident_id: "not for us"))
        publisher.publish("incident.opened", Payload(incident_id: "alert-7"))
        #expect(await eventually(within: 30) { !inbox.documents("incident.opened").isEmpty })
        #expect(!inbox.topics().contains("sortie.progress"))

        let doc = try #require(inbox.documents("incident.opened").first)
        #expect(doc["schema"] as? Int == EventPublisher.schemaVersion)
        #expect(doc["topic"] as? String == "incident.opened")
        #expect(doc["time"] as? String == "2025-11-25T02:01:30.000Z")
        #expect((doc["data"] as? [String: Any])?["incident_id"] as? String == "alert-7")
        // Numbered in publishing order across topics: the filtered-out progress took one number.
        let heartbeats = inbox.documents(EventPublisher.heartbeatTopic).compactMap { $0["seq"] as? Int }
        #expect(doc["seq"] as? Int == (heartbeats.max() ?? 0) + 2)
        #expect(publisher.published == UInt64(doc["seq"] as? Int ?? 0))
    }

    @Test(.timeLimit(.minutes(1)))
    func curveStreamAdmitsKnownKeysAndGivesStrangersNothing() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try CurveKeyPair.generate()
        let viewer = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let devices = try DeviceAllowlist(devices: [:])
        let zap = try ZAPHandler(
            context: context, allowlist: devices,
            authorities: [EventPublisher.defaultDomain: StaticKeyAuthority(["viewer-1": viewer.publicKey])],
            logger: Self.logger)
        defer { zap.close() }
        var options = LinkOptions()
        options.security = .curveServer(server, domain: EventPublisher.defaultDomain)
        let publisher = try EventPublisher(
            context: context, endpoint: "tcp://127.0.0.1:*", clock: SystemClock(), logger: Self.logger,
            options: options)
        defer { publisher.close() }

        func subscribe(_ keys: CurveKeyPair) throws -> (EventSubscriber, Inbox) {
            var client = LinkOptions()
            client.security = .curveClient(keys, serverPublicKey: server.publicKey)
            let subscriber = try EventSubscriber(
                context: context, endpoint: publisher.endpoint, logger: Self.logger, options: client)
            return (subscriber, Inbox(subscriber))
        }
        let (strangerSubscriber, strangerInbox) = try subscribe(stranger)
        defer { strangerSubscriber.close() }
        let (viewerSubscriber, viewerInbox) = try subscribe(viewer)
        defer { viewerSubscriber.close() }

        #expect(await joined(publisher, viewerInbox))
        publisher.publish("incident.opened", Payload(incident_id: "alert-1"))
        #expect(await eventually(within: 30) { !viewerInbox.documents("incident.opened").isEmpty })
        // The stranger's handshake was refused by the stream's authority: it got nothing at all.
        #expect(await eventually(within: 30) { devices.refused > 0 })
        #expect(strangerInbox.events.isEmpty)
        #expect(zap.statistics.accepted >= 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func subscriberReconnectsToARestartedPublisher() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        let first = try EventPublisher(
            context: context, endpoint: "tcp://127.0.0.1:*", clock: SystemClock(), logger: Self.logger)
        let endpoint = first.endpoint
        let subscriber = try EventSubscriber(context: context, endpoint: endpoint, logger: Self.logger)
        defer { subscriber.close() }
        let inbox = Inbox(subscriber)
        #expect(await joined(first, inbox))
        first.close()

        // The coordinator comes back on the same endpoint; its numbering starts again at 1.
        // libzmq closes a socket in the background: the port is free again shortly after.
        var rebound: EventPublisher?
        for _ in 0..<300 where rebound == nil {
            rebound = try? EventPublisher(
                context: context, endpoint: endpoint, clock: SystemClock(), logger: Self.logger)
            if rebound == nil { try? await Task.sleep(for: .milliseconds(100)) }
        }
        let second = try #require(rebound)
        defer { second.close() }
        var back = false
        for _ in 0..<600 where !back {
            second.publish("incident.updated", Payload(incident_id: "alert-2"))
            try? await Task.sleep(for: .milliseconds(50))
            // Late heartbeats of the first publisher may still arrive: wait for the second's document.
            back = !inbox.documents("incident.updated").isEmpty
        }
        #expect(back)
        #expect(inbox.documents("incident.updated").first?["seq"] as? Int ?? 0 >= 1)
    }
}
