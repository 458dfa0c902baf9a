import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolSim
import PatrolStore
import Synchronization

/// Runs any simulation scenario against a real coordinator and keeps a canonical event log: a
/// drone scenario as `patrol demo` flies it, a sensor scenario (one with `gateways:`) through
/// ``SensorSimulation``. The log's FNV-1a 64 hash is the same for the same files and seed.
struct SimRun {
    var scenarioFile: URL
    var outputDirectory: URL
    /// The folder with the site's `thresholds.yaml` (and `responsibility.yaml`, `escalation.yaml`).
    var siteDirectory: URL
    var logger: Logger

    struct Result {
        /// The canonical event log, one line per coordinator event, then the record's summary.
        var lines: [String]
        var simulated: TimeInterval
        var wallSeconds: Double
        var database: URL
        /// For sensor scenarios: what the devices did.
        var sensors: SensorSimulation.Summary?
        /// For robot scenarios: what the robot did.
        var robot: SimulatedRobot.Summary? = nil
        /// For camera scenarios: what the NVRs did.
        var cameras: CameraSimulation.Summary? = nil

        /// FNV-1a 64 over the lines, each followed by `\n`.
        var hash: UInt64 {
            var h = FNV1a64.Hasher64()
            for line in lines { h.add(line + "\n") }
            return h.value
        }
    }

    /// Simulated hours for a day scenario instead of its `duration_h`.
    var hours: Double?

    func run() async throws -> Result {
        if SensorScenario.describesSensors(scenarioFile) { return try await runSensors() }
        if RobotScenario.describesRobot(scenarioFile) { return try await runRobot() }
        if DayScenario.describesDay(scenarioFile) {
            let day = try await DayRun(
                scenarioFile: scenarioFile, outputDirectory: outputDirectory, logger: logger, hours: hours
            ).run()
            return Result(
                lines: day.lines, simulated: day.simulated, wallSeconds: day.wallSeconds, database: day.database,
                sensors: nil)
        }
        if CameraScenario.describesCameras(scenarioFile) { return try await runCameras() }
        if Self.describesMixed(scenarioFile) { return try await runMixed() }
        let log = Mutex<[String]>([])
        let demo = DemoRun(scenarioFile: scenarioFile, outputDirectory: outputDirectory, logger: logger)
        let result = try await demo.run { event in
            if let line = EventLog.line(event) { log.withLock { $0.append(line) } }
        }
        var lines = log.withLock { $0 }
        lines.append("telemetry \(result.telemetryRows)")
        for alert in result.alerts { lines.append(EventLog.line(alert)) }
        return Result(
            lines: lines, simulated: result.drone.duration, wallSeconds: result.wallSeconds,
            database: result.database, sensors: nil)
    }

    @_optimize(none)  // works around a swift-frontend crash (signal 11 in CoroSplit) in release builds
    private func runSensors() async throws -> Result {
        let began = ContinuousClock.now
        let scenario = try SensorScenario.load(from: scenarioFile)
        let (store, database) = try freshStore()
        let rules = try sensorRules()

        let clock = VirtualClock(start: scenario.start)
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try simServer(context, clock: clock)
        defer { server.close() }
        let coordinator = try simCoordinator(
            store: store, server: server, clock: clock, CoordinatorConfiguration(sensorRules: rules))
        let service = Task { await coordinator.run() }
        let watcher = EventLog.collect(coordinator)
        let summary = try await SensorSimulation(scenario: scenario, logger: logger)
            .run(
                context: context, endpoint: server.endpoint, clock: clock,
                advanced: { await coordinator.checkLiveness() })
        server.close()
        await service.value
        var lines = await watcher.value
        lines.append("readings \(try store.readingCount())")
        for alert in try store.alerts().sorted(by: { $0.id < $1.id }) { lines.append(EventLog.line(alert)) }
        return Result(
            lines: lines, simulated: summary.simulated, wallSeconds: (ContinuousClock.now - began).seconds,
            database: database, sensors: summary)
    }
}

/// The canonical text of what a coordinator reports: stable fields only (ids, kinds, virtual
/// times in integer milliseconds), no paths or wall-clock values.
enum EventLog {
    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func line(_ event: CoordinatorEvent) -> String? {
        switch event {
        case .deviceRegistered(let device): "registered \(device)"
        case .missionAccepted(let flight): "mission-accepted \(flight)"
        case .missionRefused(let flight, let reason): "mission-refused \(flight) \(reason)"
        case .flightStarted(let flight): "flight-started \(flight)"
        case .alertOpened(let alert): "alert-opened " + line(alert)
        case .flightEnded(let flight, _): "flight-ended \(flight.id) \(flight.status.rawValue)"
        case .deviceLost(let device, _, _, let lostAt): "lost \(device) \(ms(lostAt))"
        case .deviceResumed(let device, _): "resumed \(device)"
        case .deviceError(let device, let message): "device-error \(device ?? "?") \(message)"
        case .actuatorCommanded(let device, let actuator, let on, let id):
            "actuator \(device)/\(actuator) \(on ? "on" : "off") \(id)"
        case .commandAnswered(let device, let id, let accepted): "answered \(device) \(id) \(accepted)"
        case .checkpointReached(let flight, let checkpoint, let at): "checkpoint \(flight) \(checkpoint) \(ms(at))"
        case .speakCommanded(let device, let text, let id): "speak \(device) \(id) \(text)"
        // Later additions stay out of the canonical log, so recorded hashes keep their meaning.
        case .missionUploaded, .alertUpdated, .alertConfirmed, .flightEvent, .telemetry: nil
        case .sortieChanged(let s):
            "sortie \(s.id) \(s.state.rawValue) \(s.vehicle ?? "-") wp=\(s.lastWaypoint ?? s.resumeFrom)"
                + (s.reason.map { " \($0)" } ?? "")
        // Not in the log: its hash stays comparable with runs before automatic actions existed.
        case .verificationRequested, .overwatchRequested, .partyNotified: nil
        case .dayReplanned(let r):
            "replanned \(ms(r.at)) \(r.triggers.joined(separator: ",")) moved=\(r.moved.joined(separator: ","))"
                + " dropped=\(r.dropped.joined(separator: ",")) added=\(r.added.joined(separator: ","))"
        }
    }

    static func line(_ a: Alert) -> String {
        String(
            format: "alert %@ %@ %@ obs=%d first=%lld last=%lld at=%.6f,%.6f", a.id, a.kind.rawValue, a.state.rawValue,
            a.observations, ms(a.firstSeen), ms(a.lastSeen), a.position.lon, a.position.lat)
    }
}
