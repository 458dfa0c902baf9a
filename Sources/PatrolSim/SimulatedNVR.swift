import Foundation
public import Logging
import PatrolGeo
public import PatrolLink
public import PatrolModel

/// A software-in-the-loop NVR box: the fixed AI cameras of a ``CameraScenario`` behind one
/// connection (kind `camera` on the wire), sending each recognition as a `detection` and resending
/// it until the coordinator acknowledges it.
///
/// Each camera's model sees a scripted event every ``CameraScenario/sightEvery`` seconds while it
/// lasts, with confidence 0.70–0.95 and its position within a few metres, and makes false
/// positives at the scenario's rate with confidence 0.20–0.45 (below fusion's 0.5, so they are
/// recorded and open nothing). The NVR keeps what was not acknowledged on its disk: across a
/// link drop and across a crash and restart it resends it, so nothing is lost.
public final class SimulatedNVR {
    /// What the NVR did.
    public struct Summary: Sendable {
        /// Detection ids sent for each scripted event, in order.
        public var sightings: [String: [String]] = [:]
        /// Detection ids of false positives.
        public var falsePositives: [String] = []
        public var resends = 0
        /// Sessions opened (1 plus one per restart).
        public var sessions = 0
        /// Detections delivered late by a link delay.
        public var delayed = 0
        /// Detections sent while the link was dropped (lost on the way, resent later).
        public var lostInDrop = 0
    }

    public let id: String
    let scenario: CameraScenario
    let cameras: [CameraScenario.Camera]
    let eventsByCamera: [String: [CameraScenario.Event]]
    let faults: [Fault]
    let clock: VirtualClock
    let logger: Logger
    let connect: () throws -> LinkClient
    var client: LinkClient?
    var session: LockstepLink?
    var randoms: [SeededRandom]
    var counter = 0
    /// Sent and not yet acknowledged (the NVR's disk queue).
    var pending: [String: Detection] = [:]
    /// Made while the link was down or delayed: (when it may leave, detection).
    var held: [(release: TimeInterval, detection: Detection)] = []
    public private(set) var summary = Summary()
    /// How long to wait in real time for an answer before giving up.
    public var answerTimeout: Duration = .seconds(30)

    /// - Parameter connect: opens a new connection whose identity is `id` (called again after a crash).
    public init(
        id: String, scenario: CameraScenario, clock: VirtualClock, logger: Logger,
        connect: @escaping () throws -> LinkClient
    ) {
        self.id = id
        self.scenario = scenario
        self.cameras = scenario.cameras.filter { $0.nvr == id }
        self.eventsByCamera = Dictionary(grouping: scenario.events, by: \.camera)
        self.faults = scenario.faults.filter { $0.device == id }
        self.clock = clock
        self.logger = logger
        self.connect = connect
        self.randoms = cameras.map { SeededRandom(seed: scenario.seed ^ FNV1a64.hash($0.id)) }
    }

    /// Closes the connection.
    public func close() {
        client?.close()
        client = nil
        session = nil
    }

    /// Connects, says hello and waits for the welcome.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator does not answer; a link error when it cannot connect.
    public func start() async throws {
        let client = try connect()
        let session = LockstepLink(name: id, link: client, clock: clock, logger: logger)
        session.answerTimeout = answerTimeout
        self.client = client
        self.session = session
        summary.sessions += 1
        try await session.hello(Hello(kind: .camera, capabilities: ["detect"], firmware: "patrol-sim-nvr/1"))
    }

    /// One second of the NVR at the clock's time: its cameras look, it sends, and (link up) it
    /// waits for the heartbeat echo, resending what was not acknowledged.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering.
    public func step() async throws {
        let elapsed = clock.now().timeIntervalSince(scenario.start)
        let crashed = faults.contains { $0.kind == .crash && $0.active(at: elapsed) }
        if crashed {
            // Gone without a goodbye: the socket goes, the disk queue stays; the cameras see nothing.
            if client != nil { close() }
            for i in randoms.indices { _ = randoms[i].unit() }
            return
        }
        if session == nil { try await start() }
        let seen = look(elapsed: elapsed)
        let dropped = faults.contains { $0.kind == .linkDrop && $0.active(at: elapsed) }
        let delay = faults.first { $0.kind == .linkDelay && $0.active(at: elapsed) }?.delay ?? 0
        for detection in seen {
            if dropped {
                // Sent into a dead link: kept as unacknowledged, resent once the link is back.
                pending[detection.id] = detection
                summary.lostInDrop += 1
            } else if delay > 0 {
                held.append((elapsed + delay, detection))
                summary.delayed += 1
            } else {
                send(detection)
            }
        }
        if dropped { return }  // Nothing gets through, not even a heartbeat.
        let due = held.filter { $0.release <= elapsed }
        held.removeAll { $0.release <= elapsed }
        for item in due { send(item.detection) }
        var rounds = 0
        while true {
            try await barrier()
            if pending.isEmpty { return }
            rounds += 1
            if rounds > 5 {
                throw SimulatedGateway.Failure(message: "\(id): \(pending.count) detection(s) never acknowledged")
            }
            for detection in pending.values.sorted(by: { $0.id < $1.id }) {
                summary.resends += 1
                session?.send(.detection(DetectionReport(flightID: nil, detection: detection)))
            }
        }
    }

    func send(_ detection: Detection) {
        pending[detection.id] = detection
        session?.send(.detection(DetectionReport(flightID: nil, detection: detection)))
    }

    func barrier() async throws(SimulatedGateway.Failure) {
        try await session?.barrier { message in
            switch message {
            case .detectionAck(let ack): pending[ack.detectionID] = nil
            case .command(let command):
                session?.send(
                    .commandAck(
                        CommandAck(commandID: command.id, accepted: false, reason: "a fixed camera takes no commands")))
            default: break
            }
        }
    }

    /// What the cameras recognise at `elapsed`: scripted events on their sighting seconds, and
    /// false positives at the scenario's rate.
    func look(elapsed: TimeInterval) -> [Detection] {
        let now = clock.now()
        var seen: [Detection] = []
        let second = Int(elapsed.rounded())
        let every = max(1, Int(scenario.sightEvery.rounded()))
        for (index, camera) in cameras.enumerated() {
            for event in eventsByCamera[camera.id] ?? []
            where elapsed >= event.start && elapsed < event.start + event.duration {
                guard (second - Int(event.start.rounded())) % every == 0 else { continue }
                let confidence = 0.70 + 0.25 * randoms[index].unit()
                let position = Offset.move(
                    event.position ?? camera.position, east: randoms[index].gaussian(deviation: 1.5),
                    north: randoms[index].gaussian(deviation: 1.5))
                let detection = make(camera, kind: event.kind, confidence: confidence, position: position, at: now)
                summary.sightings[event.id, default: []].append(detection.id)
                seen.append(detection)
            }
            let chance = scenario.falsePositivesPerHour / 3600
            if randoms[index].unit() < chance, !camera.classes.isEmpty {
                let kind = camera.classes[Int(randoms[index].next() % UInt64(camera.classes.count))]
                let confidence = 0.20 + 0.25 * randoms[index].unit()
                let position = Offset.move(
                    camera.position, east: randoms[index].gaussian(deviation: 5),
                    north: randoms[index].gaussian(deviation: 5))
                let detection = make(camera, kind: kind, confidence: confidence, position: position, at: now)
                summary.falsePositives.append(detection.id)
                seen.append(detection)
            }
        }
        return seen
    }

    func make(
        _ camera: CameraScenario.Camera, kind: DetectionClass, confidence: Double, position: LonLat, at time: Date
    ) -> Detection {
        counter += 1
        return Detection(
            id: "\(camera.id)/d-\(counter)", time: time, kind: kind, confidence: (confidence * 1000).rounded() / 1000,
            position: position, positionError: 3,
            evidence: "\(camera.id)/\(camera.building)/F\(camera.floor)/clip-\(counter).mp4")
    }
}
