import Foundation
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// Durability: a real `patrol alerts ingest-test` process takes 1,000 observations a second from
/// a device over a real socket and is killed with SIGKILL at a (seeded) random moment. Every
/// observation the device heard acknowledged is in the database, every incident that needs
/// escalating has its deadline, and after a restart the device's resends complete the record
/// with nothing twice.
@Suite(.serialized)
struct CrashDurabilityTests {
    static let device = "drone-crash"
    static let rate = 1000.0

    /// Observation `n`: exposed garbage, ten sightings at each of a grid of places 70 m apart, so
    /// every tenth opens an incident (and its escalation) and the rest join one.
    static func observation(_ n: Int) -> Detection {
        let place = n / 10
        let position = LonLat(
            lon: 114.1250 + Double(place % 40) * 0.0007, lat: 22.5650 + Double(place / 40 % 40) * 0.0007)
        return Detection(
            id: "obs-\(n)", time: Date(), kind: .garbage, confidence: 0.8, position: position, positionError: 3)
    }

    /// Starts the child and waits for its `ready` line.
    static func start(db: String, endpoint: String) throws -> ChildProcess {
        let process = ChildProcess()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["alerts", "ingest-test", "--db", db, "--endpoint", endpoint]
        process.currentDirectoryURL = TestKit.repositoryRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("ready"), Date() < deadline {
            let data = PipeReading.readSome(out.fileHandleForReading)
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard text.contains("ready") else {
            process.terminate()
            throw CrashTestFailure("the child did not get ready: \(text)")
        }
        return process
    }

    struct Outcome {
        var sent = 0
        var acked: Set<String> = []
        var elapsed = 0.0
    }

    /// The device: hello, then `numbers` as observations at `rate` a second, collecting acks.
    /// With `killAfter`, SIGKILLs `child` that many seconds into the run, then drains the acks
    /// already on their way (sent before the kill); otherwise runs until every one is acked.
    static func drive(endpoint: String, numbers: [Int], killAfter: Double?, child: ChildProcess) throws -> Outcome {
        let context = ZMQContext()
        defer { context.shutdown() }
        let socket = try Socket(context: context, kind: .dealer)
        defer { socket.close() }
        try socket.setOption(ZMQOption.routingID, bytes: Array(device.utf8))
        try socket.connect(endpoint)
        var sequence: UInt64 = 0
        func send(_ message: WireMessage) throws {
            sequence += 1
            _ = try socket.send([
                WireCodec.encode(Envelope(device: device, sequence: sequence, time: Date(), message: message))
            ])
        }
        var outcome = Outcome()
        func take(_ frames: [[UInt8]]) throws -> Bool {
            guard let first = frames.first else { return false }
            let envelope = try WireCodec.decode(first)
            if case .detectionAck(let ack) = envelope.message { outcome.acked.insert(ack.detectionID) }
            if case .welcome = envelope.message { return true }
            return false
        }
        try send(.hello(Hello(kind: .drone, capabilities: ["detection"])))
        var welcomed = false
        while !welcomed {
            guard let frames = try socket.receive(within: 30) else { throw CrashTestFailure("no welcome") }
            welcomed = try take(frames)
        }
        let began = Date()
        while true {
            let elapsed = Date().timeIntervalSince(began)
            let due = min(numbers.count, Int(elapsed * rate) + 1)
            while outcome.sent < due {
                try send(.detection(DetectionReport(flightID: nil, detection: observation(numbers[outcome.sent]))))
                outcome.sent += 1
            }
            while let frames = try socket.receive() { _ = try take(frames) }
            if let killAfter, elapsed >= killAfter {
                kill(child.processIdentifier, SIGKILL)
                child.waitUntilExit()
                // Acks the child sent before it died may still be in flight to us.
                while let frames = try socket.receive(within: 0.3) { _ = try take(frames) }
                outcome.elapsed = elapsed
                return outcome
            }
            if killAfter == nil, outcome.acked.count == numbers.count || elapsed > 60 {
                outcome.elapsed = elapsed
                return outcome
            }
            usleep(200)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func sigkillLosesNoAcknowledgedObservationAndNoDeadline() async throws {
        let directory = TestKit.temporaryDirectory("patrol-crash")
        let db = directory.appendingPathComponent("patrol.sqlite").path
        // ipc paths are limited to about 100 bytes: a short one of our own.
        let socketPath = "/tmp/patrol-crash-\(UUID().uuidString.prefix(8)).sock"
        let endpoint = "ipc://\(socketPath)"
        defer { try? FileManager.default.removeItem(atPath: socketPath) }
        var random = SeededRandom(seed: 0x6C7A_5401)
        let killAfter = 1.5 + 2 * random.unit()
        let all = Array(0..<4000)

        // Run 1: killed at a random moment while observations pour in.
        let first = try await TestKit.offPool {
            let child = try Self.start(db: db, endpoint: endpoint)
            return try Self.drive(endpoint: endpoint, numbers: all, killAfter: killAfter, child: child)
        }
        print(
            String(
                format: "crash test: killed after %.2f s, %d sent, %d acknowledged (%.0f acks/s)", first.elapsed,
                first.sent, first.acked.count, Double(first.acked.count) / first.elapsed))
        #expect(first.acked.count > 20, "the check means something only if the child acknowledged some before the kill")

        let store = try PatrolStore(path: db)
        let stored = try store.detectionIDs(deviceID: Self.device)
        let lost = first.acked.subtracting(stored)
        #expect(lost.isEmpty, "acknowledged but not stored: \(lost.sorted().prefix(10))")
        try Self.checkIncidents(store, observations: stored.count)

        // Run 2: a restart over the same file; the device resends what was never acknowledged, and
        // some that were (their acks may have been lost), so the record ends complete, nothing twice.
        let resend = all.prefix(first.sent).filter { !first.acked.contains("obs-\($0)") } + Array(all.prefix(50))
        let second = try await TestKit.offPool {
            let child = try Self.start(db: db, endpoint: endpoint)
            defer {
                kill(child.processIdentifier, SIGKILL)
                child.waitUntilExit()
            }
            return try Self.drive(endpoint: endpoint, numbers: resend, killAfter: nil, child: child)
        }
        #expect(second.acked.count == Set(resend).count)
        let after = try store.detectionIDs(deviceID: Self.device)
        #expect(after == Set(all.prefix(first.sent).map { "obs-\($0)" }))
        try Self.checkIncidents(store, observations: after.count)
    }

    /// Every stored observation counted in exactly one incident, and every incident nobody has
    /// handled has a pending escalation deadline.
    static func checkIncidents(_ store: PatrolStore, observations: Int) throws {
        let alerts = try store.alerts()
        #expect(alerts.reduce(0) { $0 + $1.observations } == observations)
        for alert in alerts where [.new, .dispatched, .reopened].contains(alert.state) {
            #expect(try store.deadline(alertID: alert.id) != nil, "\(alert.id) has no escalation deadline")
        }
        #expect(!alerts.isEmpty)
    }
}

struct CrashTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
