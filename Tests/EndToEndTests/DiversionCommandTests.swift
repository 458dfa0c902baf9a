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

/// The diversion's commands on the wire, against a drone driven by hand over real sockets on a
/// virtual clock: what the coordinator sends, and what it does when the drone says no.
@Suite(.timeLimit(.minutes(1)))
struct DiversionCommandTests {
    static let fire = LonLat(lon: 114.1335021, lat: 22.5772222)

    static func command(_ client: LinkClient) async -> Command? {
        guard case .command(let c) = await SortieTests.next(client, { if case .command = $0 { true } else { false } })
        else { return nil }
        return c
    }

    @Test func aDroneThatRefusesGoToIsLeftOnItsRouteAndTheUrgentSortieFallsBackOnPreemption() async throws {
        let rig = try SortieTests.rig()
        // drone-1 flies the hill patrol (drone-2 is not connected); a smoke alarm 120 m away:
        // drone-1 is told to go and look.
        let (drone, routine, urgent) = try #require(try await Self.flying(rig))
        #expect(urgent.state == .inFlight && urgent.vehicle == "drone-1")
        #expect(urgent.requestToLaunch == 0)
        #expect(urgent.choice?.chosen.kind == .airborne)
        #expect(await rig.coordinator.sortie(routine.id)?.state == .paused)
        let goTo = try #require(await Self.command(drone))
        #expect(goTo.action == .goTo && goTo.flightID == routine.id && goTo.altitudeReference == .takeoff)
        #expect(goTo.position == Self.fire)
        #expect((goTo.altitude ?? 0) >= 60)
        #expect(goTo.speed == 12)

        // It refuses: it stays on its route, and the urgent sortie pre-empts it the old way.
        drone.send(
            .commandAck(CommandAck(commandID: goTo.id, accepted: false, reason: "no go_to in this firmware")),
            time: rig.clock.now())
        let recall = try #require(await Self.command(drone))
        #expect(recall.action == .returnToHive && recall.flightID == routine.id)
        let after = try #require(await rig.coordinator.sortie(urgent.id))
        #expect(after.state == .queued)
        #expect(after.reason?.hasPrefix("waiting for drone-1, pre-empted from \(routine.id)") == true)
        let cut = try #require(await rig.coordinator.sortie(routine.id))
        #expect(cut.state == .returning)
        #expect(cut.reason?.hasPrefix("pre-empted by urgent sortie \(urgent.id)") == true)
        drone.close()
        await rig.close()
    }

    /// drone-1 connected and flying the hill patrol, reporting from 120 m off the fire.
    static func flying(_ rig: SortieTests.Rig) async throws -> (LinkClient, SortieStatus, SortieStatus)? {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        await rig.coordinator.configureSorties(
            SortieFleet(fleet: fleet, hivePositions: try ScheduleProblem.hivePositions(of: fleet, site: loaded.site)))
        let drone = try rig.client("drone-1")
        drone.send(.hello(Hello(kind: .drone, capabilities: [], hive: "hive-1")), time: SortieTests.t0)
        guard await SortieTests.next(drone, { if case .welcome = $0 { true } else { false } }) != nil else {
            return nil
        }
        let routine = await rig.coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "drone-1", origin: .scheduled))
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                drone, { if case .missionUpload = $0 { true } else { false } })
        else { return nil }
        drone.send(
            .missionAck(MissionAck(flightID: upload.flightID, accepted: true, checksum: upload.checksum)),
            time: rig.clock.now())
        guard let start = await command(drone) else { return nil }
        drone.send(.commandAck(CommandAck(commandID: start.id, accepted: true)), time: rig.clock.now())
        rig.clock.advance(by: 60)
        report(drone, rig, flight: routine.id, at: LonLat(lon: 114.1325, lat: 22.5768), state: .surveying)
        guard await SortieTests.next(drone, { $0 == .heartbeat }) != nil else { return nil }
        let verify = VerificationTemplate.sweep(
            id: "verify-alarm", name: "Verify", around: fire, halfSide: 50, base: loaded.mission)
        let urgent = await rig.coordinator.request(
            SortieRequest(mission: verify, site: loaded.site, priority: 10, origin: .urgent, target: fire))
        return (drone, routine, urgent)
    }

    /// One telemetry report of `flight` and a heartbeat (whose echo says it was handled).
    static func report(
        _ drone: LinkClient, _ rig: SortieTests.Rig, flight: String, at position: LonLat, state: VehicleState
    ) {
        drone.send(
            .telemetry(
                TelemetryReport(
                    flightID: flight,
                    telemetry: Telemetry(
                        time: rig.clock.now(), position: position, altitude: 60, heading: 90, speed: 8, battery: 0.9,
                        state: state, waypointIndex: 12))), time: rig.clock.now())
        drone.send(.heartbeat, time: rig.clock.now())
    }

    @Test func aDivertedDroneOverheadLooksThenIsToldToResume() async throws {
        let rig = try SortieTests.rig()
        let (drone, routine, urgent) = try #require(try await Self.flying(rig))
        let goTo = try #require(await Self.command(drone))
        #expect(goTo.action == .goTo)
        drone.send(.commandAck(CommandAck(commandID: goTo.id, accepted: true)), time: rig.clock.now())
        // 15 s later it holds over the fire.
        rig.clock.advance(by: 15)
        Self.report(drone, rig, flight: routine.id, at: Self.fire, state: .paused)
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        let overhead = try #require(await rig.coordinator.sortie(urgent.id))
        #expect(overhead.reason == "drone-1 overhead, looking")
        #expect(overhead.choice?.overheadAfter == 15)
        // The look lasts 120 s; then it is told to go on with its patrol.
        rig.clock.advance(by: 119)
        Self.report(drone, rig, flight: routine.id, at: Self.fire, state: .paused)
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        #expect(await rig.coordinator.sortie(routine.id)?.state == .paused)
        rig.clock.advance(by: 1)
        Self.report(drone, rig, flight: routine.id, at: Self.fire, state: .paused)
        let resume = try #require(await Self.command(drone))
        #expect(resume.action == .resume && resume.flightID == routine.id)
        #expect(await rig.coordinator.sortie(routine.id)?.state == .inFlight)
        let looked = try #require(await rig.coordinator.sortie(urgent.id))
        #expect(looked.state == .landed && looked.requestToLaunch == 0)
        #expect(looked.reason?.hasPrefix("looked; drone-1 resumed \(routine.id)") == true)
        drone.close()
        await rig.close()
    }

    @Test func aDivertedDroneNotOverheadInTimeIsToldToResume() async throws {
        let rig = try SortieTests.rig()
        let (drone, routine, urgent) = try #require(try await Self.flying(rig))
        let goTo = try #require(await Self.command(drone))
        drone.send(.commandAck(CommandAck(commandID: goTo.id, accepted: true)), time: rig.clock.now())
        // Still where it was 121 s later (over the 120 s floor, three times the estimate).
        rig.clock.advance(by: 121)
        Self.report(drone, rig, flight: routine.id, at: LonLat(lon: 114.1325, lat: 22.5768), state: .transit)
        let resume = try #require(await Self.command(drone))
        #expect(resume.action == .resume)
        // Then, no other drone being ready, the urgent sortie pre-empts the patrol the old way.
        let recall = try #require(await Self.command(drone))
        #expect(recall.action == .returnToHive)
        let after = try #require(await rig.coordinator.sortie(urgent.id))
        #expect(after.reason?.hasPrefix("waiting for drone-1, pre-empted from \(routine.id)") == true)
        drone.close()
        await rig.close()
    }
}
