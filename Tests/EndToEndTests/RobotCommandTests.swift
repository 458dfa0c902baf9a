import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolSim
import PatrolTestKit
import Testing

/// The simulated robot against a scripted coordinator on a real ZeroMQ socket: the test decides
/// at which tick each command goes out (before echoing that tick's heartbeat), so every run is
/// the same, and checks what the robot did from its telemetry and answers alone.
@Suite(.serialized)
struct RobotCommandTests {
    struct Seen: Sendable {
        var telemetry: [Telemetry] = []
        var answers: [String: [CommandAck]] = [:]
        var events: [DeviceEvent.Kind] = []
        var readings = 0
        var hello: Hello?
    }

    /// Runs a basement round with `script` (heartbeat number → commands sent before its echo).
    static func run(_ script: [Int: [Command]], robot body: RobotScenario.Robot = RobotScenario.Robot(id: "robot-9"))
        async throws -> (Seen, SimulatedRobot.Summary)
    {
        var logger = Logger(label: "robot-test")
        logger.logLevel = .critical
        let loaded = try Mission.load(from: TestKit.file("missions/basement-round.yaml"))
        let plan = try RobotRoundPlanner.plan(loaded.mission, site: loaded.site)
        let scenario = RobotScenario(
            id: "commands", missionFile: loaded.file, seed: 5, start: Date(timeIntervalSince1970: 1_795_615_200),
            robot: body)
        let clock = VirtualClock(start: scenario.start)
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try LinkServer(
            context: context, endpoint: "inproc://robot-commands-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
        let coordinator = Task { () -> Seen in
            var seen = Seen()
            var heartbeats = 0
            for await frame in server.inbound {
                guard case .success(let envelope) = frame.result else { continue }
                func reply(_ message: WireMessage) {
                    server.send(message, to: frame.peer, device: "robot-9", time: envelope.time)
                }
                switch envelope.message {
                case .hello(let hello):
                    seen.hello = hello
                    reply(.welcome(Welcome(session: "s", heartbeatInterval: 1, telemetryRate: 2)))
                    reply(.missionUpload(MissionUpload(flightID: "round-1", route: plan.route)))
                case .missionAck(let ack):
                    if ack.accepted { reply(.command(Command(id: "c-start", action: .start, flightID: "round-1"))) }
                case .heartbeat:
                    heartbeats += 1
                    for command in script[heartbeats] ?? [] { reply(.command(command)) }
                    reply(.heartbeat)
                case .telemetry(let report): seen.telemetry.append(report.telemetry)
                case .commandAck(let ack): seen.answers[ack.commandID, default: []].append(ack)
                case .event(let event):
                    seen.events.append(event.kind)
                    reply(.eventAck(EventAck(eventID: event.id)))
                case .sensorReadings(let batch):
                    seen.readings += batch.readings.count
                    reply(.readingsAck(ReadingsAck(readingIDs: batch.readings.map(\.id))))
                case .detection(let report): reply(.detectionAck(DetectionAck(detectionID: report.detection.id)))
                default: break
                }
            }
            return seen
        }
        let client = try LinkClient(context: context, endpoint: server.endpoint, identity: "robot-9", logger: logger)
        let robot = try SimulatedRobot(
            scenario: scenario, site: loaded.site, station: "station-1", clock: clock, link: client, logger: logger)
        let summary = try await robot.run()
        client.close()
        server.close()
        return (await coordinator.value, summary)
    }

    @Test(.timeLimit(.minutes(2)))
    func theRobotPausesResumesSpeaksOnceRefusesAFanAndReturnsToItsStation() async throws {
        let speak = Command(id: "c-speak", action: .speak, flightID: nil, text: "Please keep the fire lane clear.")
        let (seen, summary) = try await Self.run([
            20: [Command(id: "c-pause", action: .pause, flightID: "round-1")],
            40: [Command(id: "c-resume", action: .resume, flightID: "round-1")],
            50: [speak, speak],
            60: [Command(id: "c-fan", action: .switchActuator, flightID: nil, actuator: "fan-1", on: true)],
            300: [Command(id: "c-home", action: .returnToHive, flightID: "round-1")],
        ])
        #expect(seen.hello?.kind == .robot)
        #expect(seen.hello?.capabilities.contains("voice.speak") == true)
        for id in ["c-start", "c-pause", "c-resume", "c-home"] {
            #expect(seen.answers[id]?.first?.accepted == true, "\(id)")
        }
        #expect(seen.answers["c-speak"]?.count == 2, "a repeated command id is answered again")
        #expect(summary.spoken.map(\.text) == ["Please keep the fire lane clear."], "and carried out once")
        #expect(seen.answers["c-fan"]?.first?.accepted == false)

        // Paused: standing still, reported as paused, between the two commands.
        let paused = seen.telemetry.filter { $0.state == .paused }
        #expect(paused.count >= 15)
        #expect(paused.allSatisfy { $0.speed == 0 })

        // Sent home 150 s in: back at the station long before the whole round's 40 minutes.
        #expect(summary.checkpoints.count < 6)
        #expect(summary.duration < 20 * 60)
        let last = try #require(seen.telemetry.last)
        #expect(last.state == .landed)
        let loaded = try Mission.load(from: TestKit.file("missions/basement-round.yaml"))
        let station = try #require(loaded.site.robotStations.first { $0.id == "station-1" })
        #expect(RoundCheckpoint.distance(last.position, station.position) < 3)
        #expect(seen.telemetry.contains { $0.state == .returning })
        #expect(seen.events == [.tookOff, .landed])
        #expect(seen.readings > 0 && seen.readings % 3 == 0, "CO, CH4 and H2S every sample")
    }

    @Test(.timeLimit(.minutes(2)))
    func anAbortedRobotStopsWhereItIsAndEndsTheRound() async throws {
        let (seen, summary) = try await Self.run([30: [Command(id: "c-abort", action: .abort, flightID: "round-1")]])
        #expect(seen.answers["c-abort"]?.first?.accepted == true)
        #expect(summary.duration < 20)
        #expect(seen.telemetry.last?.state == .idle)
        #expect(seen.events.last == .landed)
    }

    @Test(.timeLimit(.minutes(2)))
    func aRobotBelowItsReserveGivesUpTheRoundAndGoesHome() async throws {
        // 2 % above the reserve: about 10 minutes of walking, far less than the 40-minute round.
        let body = RobotScenario.Robot(id: "robot-9", batteryStart: 0.17, reserve: 0.15)
        let (seen, summary) = try await Self.run([:], robot: body)
        #expect(seen.events == [.tookOff, .failsafe, .landed])
        #expect(summary.checkpoints.count < 6)
        #expect(summary.batteryAtDock < 0.15 && summary.batteryAtDock > 0.1)
        #expect(seen.telemetry.last?.state == .landed)
    }
}
