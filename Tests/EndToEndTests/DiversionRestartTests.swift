import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// A diversion in progress across a real restart: the coordinator stops (its sockets closed, as
/// in a crash), a new one starts on the same SQLite file with the same fleet, takes the flights
/// and the diversion back, and follows it on once the drone says hello and reports again. A
/// drone driven by hand over real sockets, on a virtual clock.
@Suite(.timeLimit(.minutes(1)))
struct DiversionRestartTests {
    static let fire = DiversionCommandTests.fire

    /// A coordinator started again on the database at `path`, its clock at `now`, with the fleet.
    static func restart(_ path: String, at now: Date) async throws -> (SortieTests.Rig, [String]) {
        let clock = VirtualClock(start: now)
        let context = ZMQContext()
        var logger = Logger(label: "divert-restart")
        logger.logLevel = .critical
        let store = try PatrolStore(path: path)
        let server = try LinkServer(
            context: context, endpoint: "inproc://divert-restart-\(UUID().uuidString)", logger: logger,
            now: { clock.now() })
        let coordinator = try Coordinator(
            store: store, link: server, clock: clock,
            configuration: CoordinatorConfiguration(heartbeatTimeout: 86_400, livenessCheckInterval: .seconds(3600)),
            logger: logger)
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        await coordinator.configureSorties(
            SortieFleet(fleet: fleet, hivePositions: try ScheduleProblem.hivePositions(of: fleet, site: loaded.site)))
        let service = Task { await coordinator.run() }
        let resumed = try await coordinator.resumeFlightsInProgress()
        let rig = SortieTests.Rig(
            clock: clock, context: context, server: server, coordinator: coordinator, store: store, service: service,
            logger: logger)
        return (rig, resumed)
    }

    /// drone-1 says hello to `rig` again and reports from `position` in `state` (waiting for the
    /// heartbeat's echo unless `echo` is false, as that wait passes over any command sent first).
    static func reconnect(
        _ rig: SortieTests.Rig, flight: String, at position: LonLat, state: VehicleState, echo: Bool = true
    ) async throws -> LinkClient? {
        let drone = try rig.client("drone-1")
        drone.send(.hello(Hello(kind: .drone, capabilities: [], hive: "hive-1")), time: rig.clock.now())
        guard await SortieTests.next(drone, { if case .welcome = $0 { true } else { false } }) != nil else {
            return nil
        }
        DiversionCommandTests.report(drone, rig, flight: flight, at: position, state: state)
        if echo, await SortieTests.next(drone, { $0 == .heartbeat }) == nil { return nil }
        return drone
    }

    @Test func aRestartWhileLookingResumesThePatrolWhenTheLookIsOverWithNoGap() async throws {
        let path = TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path
        let rig = try DiversionSeparationTests.rig(store: path)
        let (drone, routine, urgent) = try #require(try await DiversionCommandTests.flying(rig))
        let goTo = try #require(await DiversionCommandTests.command(drone))
        #expect(goTo.action == .goTo)
        drone.send(.commandAck(CommandAck(commandID: goTo.id, accepted: true)), time: rig.clock.now())
        // Overhead 15 s later; 60 s into its 120 s look the coordinator goes down.
        rig.clock.advance(by: 15)
        DiversionCommandTests.report(drone, rig, flight: routine.id, at: Self.fire, state: .paused)
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        let overheadAt = rig.clock.now()
        rig.clock.advance(by: 60)
        DiversionCommandTests.report(drone, rig, flight: routine.id, at: Self.fire, state: .paused)
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        #expect(try rig.store.diversions().map(\.urgentID) == [urgent.id])
        let stopped = rig.clock.now()
        drone.close()
        await rig.close()

        // Back 30 s later on the same file: the flight, the paused patrol and the look are taken back.
        let (again, resumed) = try await Self.restart(path, at: stopped.addingTimeInterval(30))
        #expect(resumed == [routine.id])
        let looking = try #require(await again.coordinator.sortie(urgent.id))
        #expect(looking.state == .inFlight && looking.vehicle == "drone-1")
        #expect(looking.reason == "drone-1 overhead, looking")
        #expect(looking.choice?.chosen.kind == .airborne)
        #expect(await again.coordinator.sortie(routine.id)?.state == .paused)
        // drone-1 has held over the fire meanwhile; 90 s of the look are gone, so nothing yet.
        let back = try #require(
            try await Self.reconnect(again, flight: routine.id, at: Self.fire, state: .paused))
        #expect(await again.coordinator.sortie(routine.id)?.state == .paused)
        // At 120 s from when it was overhead (the clock's, across the restart) it is told to resume.
        again.clock.advance(by: overheadAt.addingTimeInterval(120).timeIntervalSince(again.clock.now()))
        DiversionCommandTests.report(back, again, flight: routine.id, at: Self.fire, state: .paused)
        let resume = try #require(await DiversionCommandTests.command(back))
        #expect(resume.action == .resume && resume.flightID == routine.id)
        let looked = try #require(await again.coordinator.sortie(urgent.id))
        #expect(looked.state == .landed)
        #expect(looked.reason?.hasPrefix("looked; drone-1 resumed \(routine.id)") == true, "\(looked.reason ?? "")")
        #expect(await again.coordinator.sortie(routine.id)?.state == .inFlight)
        #expect(try again.store.diversions().isEmpty)
        #expect(try again.store.sortieRequest(id: urgent.id)?.state == "landed")

        // The same flight goes on to its end: no cut, no continuation.
        back.send(.commandAck(CommandAck(commandID: resume.id, accepted: true)), time: again.clock.now())
        again.clock.advance(by: 300)
        back.send(
            .event(DeviceEvent(id: "e-landed", kind: .landed, flightID: routine.id)), time: again.clock.now())
        #expect(await SortieTests.next(back) { if case .eventAck = $0 { true } else { false } } != nil)
        _ = await again.coordinator.runSorties()
        let flown = try #require(await again.coordinator.sortie(routine.id))
        #expect(flown.state == .landed && flown.continuedBy == nil, "\(flown.state) \(flown.reason ?? "")")
        #expect(!(await again.coordinator.sorties()).contains { $0.state == .cutShort || $0.state == .queued })
        back.close()
        await again.close()
    }

    @Test func aRestartWhileOnTheWaySendsGoToAgainAndTheLookHappens() async throws {
        let path = TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path
        let rig = try DiversionSeparationTests.rig(store: path)
        let (drone, routine, urgent) = try #require(try await DiversionCommandTests.flying(rig))
        let goTo = try #require(await DiversionCommandTests.command(drone))
        drone.send(.commandAck(CommandAck(commandID: goTo.id, accepted: true)), time: rig.clock.now())
        rig.clock.advance(by: 5)
        let halfway = LonLat(lon: 114.1330, lat: 22.5770)
        DiversionCommandTests.report(drone, rig, flight: routine.id, at: halfway, state: .transit)
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        let stopped = rig.clock.now()
        drone.close()
        await rig.close()

        // Told to hold where it was at the shutdown, or not: the new coordinator sends go_to again.
        let (again, resumed) = try await Self.restart(path, at: stopped.addingTimeInterval(20))
        #expect(resumed == [routine.id])
        #expect(await again.coordinator.sortie(urgent.id)?.state == .inFlight)
        let back = try #require(
            try await Self.reconnect(again, flight: routine.id, at: halfway, state: .paused, echo: false))
        let second = try #require(await DiversionCommandTests.command(back))
        #expect(second.action == .goTo && second.flightID == routine.id && second.id != goTo.id)
        // Numbered on from the commands on record: the start and the first go_to keep their rows and answers.
        let record = try again.store.commands(flightID: routine.id)
        #expect(record.map(\.action) == ["start", "go_to", "go_to"], "\(record)")
        #expect(record.prefix(2).allSatisfy { $0.accepted == true })
        #expect(second.position == goTo.position && second.altitude == goTo.altitude)
        #expect(await SortieTests.next(back) { $0 == .heartbeat } != nil)
        back.send(.commandAck(CommandAck(commandID: second.id, accepted: true)), time: again.clock.now())
        again.clock.advance(by: 10)
        DiversionCommandTests.report(back, again, flight: routine.id, at: Self.fire, state: .paused)
        #expect(await SortieTests.next(back) { $0 == .heartbeat } != nil)
        let overhead = try #require(await again.coordinator.sortie(urgent.id))
        #expect(overhead.reason == "drone-1 overhead, looking")
        // Measured from the request, across the restart.
        #expect(overhead.choice?.overheadAfter == 35)
        back.close()
        await again.close()
    }

    @Test func aRestartWhileLookingWithTooLittleLeftSendsTheDroneHomeAndQueuesTheRestFromWhereItLeft() async throws {
        let path = TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path
        let rig = try DiversionSeparationTests.rig(store: path)
        let (drone, routine, urgent) = try #require(try await DiversionCommandTests.flying(rig))
        let goTo = try #require(await DiversionCommandTests.command(drone))
        drone.send(.commandAck(CommandAck(commandID: goTo.id, accepted: true)), time: rig.clock.now())
        rig.clock.advance(by: 15)
        DiversionCommandTests.report(drone, rig, flight: routine.id, at: Self.fire, state: .paused)
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        let paused = try #require(await rig.coordinator.sortie(routine.id))
        let left = try #require(paused.reason?.split(separator: " ").last.flatMap { Int($0) })
        let stopped = rig.clock.now()
        drone.close()
        await rig.close()

        // Back after the look's time: drone-1 reports 35 % (92 Wh), too little for the rest of
        // the hill and its reserve, so it is sent home as it would have been without the restart.
        let (again, _) = try await Self.restart(path, at: stopped.addingTimeInterval(150))
        let back = try again.client("drone-1")
        back.send(.hello(Hello(kind: .drone, capabilities: [], hive: "hive-1")), time: again.clock.now())
        #expect(await SortieTests.next(back) { if case .welcome = $0 { true } else { false } } != nil)
        back.send(
            .telemetry(
                TelemetryReport(
                    flightID: routine.id,
                    telemetry: Telemetry(
                        time: again.clock.now(), position: Self.fire, altitude: 60, heading: 0, speed: 0,
                        battery: 0.35, state: .paused, waypointIndex: 12))), time: again.clock.now())
        let home = try #require(await DiversionCommandTests.command(back))
        #expect(home.action == .returnToHive && home.flightID == routine.id)
        let cut = try #require(await again.coordinator.sortie(routine.id))
        #expect(cut.state == .returning)
        #expect(cut.reason?.hasPrefix("diverted for urgent sortie \(urgent.id);") == true, "\(cut.reason ?? "")")
        let rest = try #require(await again.coordinator.sorties().first { $0.id == cut.continuedBy })
        #expect(rest.resumeFrom == left && rest.missionID == routine.missionID)
        let looked = try #require(await again.coordinator.sortie(urgent.id))
        #expect(looked.state == .landed && looked.reason?.contains("sent home") == true, "\(looked.reason ?? "")")
        #expect(try again.store.diversions().isEmpty)
        back.close()
        await again.close()
    }

    @Test func aDiversionWhoseFlightEndedWhileTheCoordinatorWasDownAsksForTheUrgentSortieAgain() async throws {
        let path = TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path
        let rig = try DiversionSeparationTests.rig(store: path)
        let (drone, routine, urgent) = try #require(try await DiversionCommandTests.flying(rig))
        let goTo = try #require(await DiversionCommandTests.command(drone))
        drone.send(.commandAck(CommandAck(commandID: goTo.id, accepted: true)), time: rig.clock.now())
        drone.send(.heartbeat, time: rig.clock.now())
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        drone.close()
        await rig.close()
        // The flight is over on record (its drone landed on its own, say) before the restart.
        var flight = try #require(try PatrolStore(path: path).flight(routine.id))
        flight.status = .completed
        flight.endedAt = rig.clock.now().addingTimeInterval(60)
        try PatrolStore(path: path).save(flight)

        let (again, resumed) = try await Self.restart(path, at: rig.clock.now().addingTimeInterval(120))
        #expect(resumed.isEmpty)
        let asked = try #require(await again.coordinator.sortie(urgent.id))
        #expect(asked.state == .queued, "\(asked.state)")
        // The queue on record then has it once: not queued a second time.
        _ = try await again.coordinator.resumeQueuedSorties()
        #expect(await again.coordinator.sorties().filter { $0.origin == .urgent }.map(\.id) == [urgent.id])
        #expect(
            asked.reason?.contains("\(routine.id) ended while the coordinator was down") == true,
            "\(asked.reason ?? "")")
        #expect(try again.store.diversions().isEmpty)
        await again.close()
    }

    @Test func aDroneSentHomeAtTheShutdownEndsItsDiversionWhichIsNotTakenBack() async throws {
        let path = TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path
        let rig = try DiversionSeparationTests.rig(store: path)
        let (drone, routine, urgent) = try #require(try await DiversionCommandTests.flying(rig))
        let goTo = try #require(await DiversionCommandTests.command(drone))
        drone.send(.commandAck(CommandAck(commandID: goTo.id, accepted: true)), time: rig.clock.now())
        rig.clock.advance(by: 15)
        DiversionCommandTests.report(drone, rig, flight: routine.id, at: Self.fire, state: .paused)
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        // A graceful shutdown with `on_shutdown: return`: the looking drone is told to go home, and says yes.
        async let told = rig.coordinator.shutDown(returning: true, timeout: 30)
        let home = try #require(await DiversionCommandTests.command(drone))
        #expect(home.action == .returnToHive && home.flightID == routine.id)
        drone.send(.commandAck(CommandAck(commandID: home.id, accepted: true)), time: rig.clock.now())
        #expect(await told.map(\.flightID) == [routine.id])
        // The next pass of the sortie layer sees the patrol sent home: the look is over unfinished,
        // and with no other drone the urgent sortie is refused.
        _ = await rig.coordinator.runSorties()
        let refused = try #require(await rig.coordinator.sortie(urgent.id))
        #expect(refused.state == .refused, "\(refused.state) \(refused.reason ?? "")")
        #expect(try rig.store.diversions().isEmpty)
        drone.close()
        await rig.close()

        // The flight comes back (the drone is on its way home); the diversion does not, nor the urgent sortie.
        let (again, resumed) = try await Self.restart(path, at: rig.clock.now().addingTimeInterval(30))
        #expect(resumed == [routine.id])
        #expect(await again.coordinator.sortie(urgent.id) == nil)
        #expect(try await again.coordinator.resumeQueuedSorties().isEmpty)
        #expect(try again.store.sortieRequest(id: urgent.id)?.state == "refused")
        await again.close()
    }
}

extension DiversionRestartTests {
    @Test func aDiversionWhoseDroneIsNeverHeardAfterARestartReleasesItsPatrolWithAResumePoint() async throws {
        let path = TestKit.temporaryDirectory().appendingPathComponent("p.sqlite").path
        let rig = try DiversionSeparationTests.rig(store: path)
        let (drone, routine, urgent) = try #require(try await DiversionCommandTests.flying(rig))
        let goTo = try #require(await DiversionCommandTests.command(drone))
        drone.send(.commandAck(CommandAck(commandID: goTo.id, accepted: true)), time: rig.clock.now())
        rig.clock.advance(by: 5)
        DiversionCommandTests.report(
            drone, rig, flight: routine.id, at: LonLat(lon: 114.1330, lat: 22.5770), state: .transit)
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        let paused = try #require(await rig.coordinator.sortie(routine.id))
        let left = try #require(paused.reason?.split(separator: " ").last.flatMap { Int($0) })
        let stopped = rig.clock.now()
        drone.close()
        await rig.close()

        // A new coordinator on the same file takes the diversion back; drone-1 never says hello.
        let (again, resumed) = try await Self.restart(path, at: stopped.addingTimeInterval(20))
        #expect(resumed == [routine.id])
        #expect(await again.coordinator.sortie(routine.id)?.state == .paused)
        again.clock.advance(by: 119)
        _ = await again.coordinator.runSorties()
        #expect(await again.coordinator.sortie(routine.id)?.state == .paused)
        // 120 s on: the urgent sortie is asked again, and the patrol is not left paused: it is cut
        // short where it had left its route, its rest queued from there for any ready drone.
        again.clock.advance(by: 1)
        _ = await again.coordinator.runSorties()
        let asked = try #require(await again.coordinator.sortie(urgent.id))
        #expect(asked.state != .inFlight, "\(asked.state) \(asked.reason ?? "")")
        let cut = try #require(await again.coordinator.sortie(routine.id))
        #expect(cut.state == .cutShort, "\(cut.state) \(cut.reason ?? "")")
        #expect(
            cut.reason
                == "diverted for urgent sortie \(urgent.id); drone-1 not heard since the coordinator restarted "
                + "at waypoint \(left)")
        let rest = try #require(await again.coordinator.sorties().first { $0.id == cut.continuedBy })
        #expect(rest.resumeFrom == left && rest.missionID == routine.missionID && rest.state == .queued)
        #expect(try again.store.diversions().isEmpty)
        // Kept as such: a coordinator started again finds the rest queued, the patrol not paused.
        #expect(try again.store.sortieRequest(id: rest.id)?.state == "queued")
        await again.close()
    }
}
