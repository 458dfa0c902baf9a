import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolSim
import PatrolTestKit
import Synchronization
import Testing

@testable import patrol

#if canImport(Glibc)
    import Glibc
#endif

/// A served coordinator observed from outside: a real subscriber on the event stream during a
/// simulated fire flight, and `/metrics` fetched over a real socket and parsed.
@Suite(.serialized)
struct ObservabilityTests {
    /// Documents a subscriber received, decoded.
    final class Inbox: Sendable {
        final class Storage: Sendable {
            let documents = Mutex<[[String: any Sendable]]>([])
        }

        let storage = Storage()

        init(_ subscriber: EventSubscriber) {
            let storage = storage
            Task {
                for await event in subscriber.events {
                    guard let doc = try? JSONSerialization.jsonObject(with: Data(event.document)) as? [String: Any]
                    else { continue }
                    let sendable = doc.mapValues { ObservabilityTests.sendable($0) }
                    storage.documents.withLock { $0.append(sendable) }
                }
            }
        }

        var documents: [[String: any Sendable]] { storage.documents.withLock { $0 } }
        func topics() -> [String] { documents.compactMap { $0["topic"] as? String } }
        func data(_ topic: String) -> [[String: any Sendable]] {
            documents.filter { $0["topic"] as? String == topic }.compactMap { $0["data"] as? [String: any Sendable] }
        }
    }

    static func sendable(_ value: Any) -> any Sendable {
        switch value {
        case let d as [String: Any]: d.mapValues { sendable($0) }
        case let a as [Any]: a.map { sendable($0) }
        case let s as String: s
        case let n as NSNumber: n.doubleValue
        default: "\(value)"
        }
    }

    final class Observers: Sendable {
        let state = Mutex<(EventSubscriber?, Inbox?, MetricsServer?, EventPublisher?)>((nil, nil, nil, nil))
    }

    @Test(.timeLimit(.minutes(3)))
    func subscriberSeesTheFireFlightAndMetricsAnswer() async throws {
        let logger = {
            var logger = Logger(label: "e2e-events")
            logger.logLevel = .critical
            return logger
        }()
        let out = TestKit.temporaryDirectory("patrol-events")
        // The stream has a context of its own, so it outlives the flight's sockets.
        let context = ZMQContext()
        defer { context.shutdown() }
        let observers = Observers()
        var run = DemoRun(scenarioFile: TestKit.defaultScenario, outputDirectory: out, logger: logger)
        run.observe = { coordinator, _, clock in
            let publisher = try EventPublisher(
                context: context, endpoint: "tcp://127.0.0.1:*", clock: clock, logger: logger)
            await coordinator.publishEvents(to: publisher)
            let subscriber = try EventSubscriber(context: context, endpoint: publisher.endpoint, logger: logger)
            let inbox = Inbox(subscriber)
            // PUB/SUB joins are asynchronous: fly once the subscriber hears the stream.
            for _ in 0..<600 where !inbox.topics().contains(EventPublisher.heartbeatTopic) {
                publisher.heartbeat()
                try await Task.sleep(for: .milliseconds(50))
            }
            let metrics = try MetricsServer(port: 0, logger: logger) { await coordinator.metricsText() }
            observers.state.withLock { $0 = (subscriber, inbox, metrics, publisher) }
        }
        let result = try await run.run()
        let (subscriber, inboxOrNil, metricsOrNil, publisher) = observers.state.withLock { $0 }
        defer {
            subscriber?.close()
            metricsOrNil?.close()
            publisher?.close()
        }
        let inbox = try #require(inboxOrNil)
        let metrics = try #require(metricsOrNil)
        #expect(inbox.topics().contains(EventPublisher.heartbeatTopic))

        // The whole sortie, in order, and the incident the drone found.
        var landed = false
        for _ in 0..<600 where !landed {
            landed = inbox.topics().contains("sortie.landed")
            if !landed { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(landed)
        let topics = inbox.topics().filter { !$0.hasPrefix("sys.") && !$0.hasPrefix("telemetry.") }
        let order = ["device.online", "sortie.uploaded", "sortie.accepted", "sortie.started", "incident.opened"]
        let firsts = order.map { topics.firstIndex(of: $0) ?? Int.max }
        #expect(firsts == firsts.sorted() && firsts.last != Int.max, "\(topics.prefix(12))")
        #expect(topics.last == "sortie.landed")
        let opened = try #require(inbox.data("incident.opened").first?["incident"] as? [String: any Sendable])
        let alert = try #require(result.alerts.first)
        #expect(opened["id"] as? String == alert.id)
        // Later sightings refine it (smoke first, fire once seen closer): the last update is the record.
        let updated = try #require(inbox.data("incident.updated").last?["incident"] as? [String: any Sendable])
        #expect(updated["id"] as? String == alert.id)
        #expect(updated["kind"] as? String == alert.kind.rawValue)
        #expect(updated["observations"] as? Double == Double(alert.observations))
        // Progress climbs to the last waypoint.
        let progress = inbox.data("sortie.progress").compactMap { $0["waypoint"] as? Double }
        #expect(progress.count > 5 && progress == progress.sorted())
        #expect(progress.last == Double(result.plan.route.waypoints.count - 1))
        // Telemetry is rate-limited to 2 Hz of clock time per device, with battery and state.
        let telemetry = inbox.documents.filter { ($0["topic"] as? String) == "telemetry.\(result.scenario.drone.id)" }
        #expect(telemetry.count > 10 && telemetry.count <= result.drone.telemetrySent)
        let first = try #require(telemetry.first?["data"] as? [String: any Sendable])
        #expect(first["battery"] is Double && first["state"] is String)
        // Numbered without repeats, in order.
        let sequence = inbox.documents.compactMap { $0["seq"] as? Double }
        #expect(sequence == sequence.sorted() && Set(sequence).count == sequence.count)

        // `/metrics` over a real socket, in Prometheus text format.
        let port = try #require(Int(metrics.address.split(separator: ":").last ?? ""))
        let (head, body) = try await TestKit.offPool { try Self.get("/metrics", port: port) }
        #expect(head.hasPrefix("HTTP/1.1 200"))
        #expect(head.contains("text/plain; version=0.0.4"))
        let samples = try Self.parse(body)
        #expect(samples["patrol_messages_in_total{type=\"telemetry\"}"] == Double(result.telemetryRows))
        #expect(samples["patrol_sorties_total{outcome=\"completed\"}"] == 1)
        #expect(samples["patrol_incident_publish_seconds_count"] == 1)
        #expect((samples["patrol_events_published_total"] ?? 0) >= Double(sequence.count))
        let states = samples.filter { $0.key.hasPrefix("patrol_alerts{") }.values.reduce(0, +)
        #expect(states == Double(result.alerts.count))
        let (missingHead, _) = try await TestKit.offPool { try Self.get("/nothing", port: port) }
        #expect(missingHead.hasPrefix("HTTP/1.1 404"))
    }

    @Test func textFormatEscapesLabelsAndAccumulatesBuckets() throws {
        var h = Histogram(bounds: [0.1, 1])
        for value in [0.05, 0.5, 0.5, 3, .nan] { h.observe(value) }
        var out = MetricsText()
        out.family("x_seconds", .histogram, help: "A test.\nSecond line.")
        out.histogram("x_seconds", [("path", "a\"b\\c")], h)
        out.single("y_total", .counter, help: "Y.", 2.5)
        let text = out.text
        #expect(text.contains("# HELP x_seconds A test.\\nSecond line.\n"))
        #expect(text.contains("x_seconds_bucket{path=\"a\\\"b\\\\c\",le=\"0.1\"} 1\n"))
        #expect(text.contains("x_seconds_bucket{path=\"a\\\"b\\\\c\",le=\"1\"} 3\n"))
        #expect(text.contains("le=\"+Inf\"} 4\n"))
        #expect(text.contains("x_seconds_sum{path=\"a\\\"b\\\\c\"} 4.05\n"))
        #expect(text.contains("y_total 2.5\n"))
        let samples = try Self.parse(text)
        #expect(samples.count == 6)
    }

    /// One HTTP/1.1 GET over a plain TCP socket: the head and the body.
    static func get(_ path: String, port: Int) throws -> (String, String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure("socket failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port)).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw CommandFailure("connect to 127.0.0.1:\(port) failed") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return (text, "") }
        return (String(text[..<split.lowerBound]), String(text[split.upperBound...]))
    }

    /// Parses the text format strictly enough to catch mistakes: every sample belongs to a family
    /// with `# HELP` and `# TYPE`, values are numbers, histogram buckets are cumulative and end
    /// at `+Inf` equal to `_count`. Returns `name{labels}` → value.
    static func parse(_ text: String) throws -> [String: Double] {
        var types: [String: String] = [:]
        var helps: Set<String> = []
        var samples: [String: Double] = [:]
        var lastBucket: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") {
                helps.insert(String(line.split(separator: " ")[2]))
                continue
            }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(["counter", "gauge", "histogram"].contains(parts[3]))
                types[String(parts[2])] = String(parts[3])
                continue
            }
            let space = try #require(line.lastIndex(of: " "), "\(line)")
            let key = String(line[..<space])
            let value = try #require(Double(line[line.index(after: space)...]), "\(line)")
            let name = String(key.prefix { $0 != "{" })
            let family = types[name] != nil ? name : String(name.replacing(/_(bucket|sum|count)$/, with: ""))
            #expect(types[family] != nil && helps.contains(family), "no TYPE/HELP for \(line)")
            let unescaped = key.replacing("\\\\", with: "").replacing("\\\"", with: "")
            #expect(unescaped.filter { $0 == "\"" }.count % 2 == 0, "\(line)")
            if name.hasSuffix("_bucket") {
                let series = key.replacing(/,?le="[^"]*"/, with: "")
                #expect(value >= lastBucket[series, default: 0], "buckets not cumulative at \(line)")
                lastBucket[series] = value
            }
            samples[key] = value
        }
        for (series, value) in lastBucket {
            let count = series.replacing("_bucket", with: "_count").replacing("{}", with: "")
            #expect(samples[count] == value, "+Inf bucket of \(series) is not \(count)")
        }
        return samples
    }
}
