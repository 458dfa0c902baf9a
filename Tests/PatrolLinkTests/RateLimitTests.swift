import Foundation
import PatrolModel
import Synchronization
import Testing

@testable import PatrolLink

/// A clock a test moves by hand, for the link's rate limits.
private final class HandClock: Sendable {
    private let time = Mutex(t0)
    var now: Date { time.withLock { $0 } }
    func advance(_ seconds: Double) { time.withLock { $0.addTimeInterval(seconds) } }
}

@Suite(.timeLimit(.minutes(1)))
struct RateLimitTests {
    let capture = LogCapture()

    @Test func framesOverADevicesLimitAreRefusedUnreadAnsweredAndCounted() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        var options = LinkOptions()
        var limits = LinkLimits()
        limits.telemetry = .init(rate: 1, burst: 5)
        options.limits = limits
        let clock = HandClock()
        let server = try LinkServer(
            context: context, endpoint: "tcp://127.0.0.1:*", logger: capture.logger, options: options,
            now: { clock.now })
        defer { server.close() }
        let client = try LinkClient(
            context: context, endpoint: server.endpoint, identity: "drone-1", logger: capture.logger)
        defer { client.close() }

        // 20 telemetry frames at one instant: the burst of 5 gets through, 15 do not. A detection
        // is in another class and is not held up by the telemetry flood.
        for i in 1...20 { client.send(.telemetry(Samples.telemetry(i)), time: t0) }
        client.send(.detection(Samples.detection), time: t0)
        var inbound = server.inbound.makeAsyncIterator()
        var indices: [Int] = []
        for _ in 0..<5 {
            let envelope = try #require(await inbound.next()).result.get()
            guard case .telemetry(let report) = envelope.message else {
                Issue.record("expected telemetry, got \(envelope.message.type)")
                return
            }
            indices.append(report.telemetry.waypointIndex)
        }
        #expect(indices == [1, 2, 3, 4, 5])
        let detection = try #require(await inbound.next()).result.get()
        #expect(detection.message == .detection(Samples.detection))
        #expect(detection.sequence == 21)
        #expect(await eventually { server.statistics.rateLimited == 15 })
        #expect(server.statistics.badFrames == 0)

        // One answer for the burst of refusals, not fifteen.
        var replies = client.inbound.makeAsyncIterator()
        let first = try #require(await replies.next()).get()
        guard case .error(let report) = first.message else {
            Issue.record("expected an error, got \(first.message.type)")
            return
        }
        #expect(report.code == "rate_limited")
        #expect(report.message.contains("over 1 telemetry frames a second"))
        #expect(report.message.contains("1 refused unread"))

        // Three seconds on, three tokens have come back; the next refusal is answered again and
        // names the fifteen refused since the last answer.
        clock.advance(3)
        for i in 21...30 { client.send(.telemetry(Samples.telemetry(i)), time: t0) }
        client.send(.heartbeat, time: t0)
        indices = []
        for _ in 0..<3 {
            let envelope = try #require(await inbound.next()).result.get()
            if case .telemetry(let report) = envelope.message { indices.append(report.telemetry.waypointIndex) }
        }
        #expect(indices == [21, 22, 23])
        #expect(try #require(await inbound.next()).result.get().message == .heartbeat)
        let second = try #require(await replies.next()).get()
        guard case .error(let again) = second.message else {
            Issue.record("expected an error, got \(second.message.type)")
            return
        }
        #expect(again.message.contains("15 refused unread"))
        #expect(await eventually { server.statistics.rateLimited == 22 })
        #expect(capture.records.contains { $0.message.contains("rate limit") })
    }

    @Test func devicesHaveTheirOwnBuckets() async throws {
        let context = ZMQContext()
        defer { context.shutdown() }
        var options = LinkOptions()
        options.limits?.heartbeat = .init(rate: 1, burst: 2)
        let server = try LinkServer(
            context: context, endpoint: Transport.inproc.endpoint, logger: capture.logger, options: options,
            now: { t0 })
        defer { server.close() }
        let a = try LinkClient(context: context, endpoint: server.endpoint, identity: "a", logger: capture.logger)
        defer { a.close() }
        let b = try LinkClient(context: context, endpoint: server.endpoint, identity: "b", logger: capture.logger)
        defer { b.close() }
        for _ in 0..<5 { a.send(.heartbeat, time: t0) }
        for _ in 0..<2 { b.send(.heartbeat, time: t0) }
        var inbound = server.inbound.makeAsyncIterator()
        var from: [String: Int] = [:]
        for _ in 0..<4 { from[try #require(await inbound.next()).result.get().device, default: 0] += 1 }
        #expect(from == ["a": 2, "b": 2])
        #expect(await eventually { server.statistics.rateLimited == 3 })
    }

    @Test func theClassIsReadWithoutDecoding() {
        let cases: [(String, LinkLimits.MessageClass)] = [
            (#"{"v":1,"type":"telemetry","device":"d"}"#, .telemetry),
            (#"{"v":1, "type" : "detection","device":"d"}"#, .report),
            (#"{"type":"event"}"#, .report),
            (#"{"type":"sensor_readings"}"#, .readings),
            (#"{"type":"heartbeat"}"#, .heartbeat),
            (#"{"type":"hello"}"#, .other),
            (#"{"type":"telemetryx"}"#, .other),
            (#"{"type":1}"#, .other),
            ("not json", .other),
            ("", .other),
            (#"{"type":"tele"#, .other),
        ]
        for (frame, expected) in cases { #expect(LinkLimits.classify(Array(frame.utf8)) == expected, "\(frame)") }
    }
}
