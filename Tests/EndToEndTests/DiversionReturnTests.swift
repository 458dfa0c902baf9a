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

/// A diversion against the sorties around it after its dispatch: a scheduled sortie launching on
/// time into the diverted drone's sky is shifted past it, and a diverted drone whose way back to
/// its route meets a drone launched during its look holds over the target until it is clear.
/// drone-1 is diverted from the hill patrol to a smoke alarm 120 m off (`DiversionCommandTests`);
/// drone-2 is connected in hive-1. Real sockets, virtual clock.
@Suite(.timeLimit(.minutes(1)))
struct DiversionReturnTests {
    static let fire = DiversionCommandTests.fire

    /// The routine sweep of the square around the fire (50 m over the ground), from hive-1.
    static func square() throws -> (Mission, Site) {
        let loaded = try Mission.load(from: TestKit.defaultMission)
        var square = VerificationTemplate.sweep(
            id: "fire-square", name: "Square", around: Self.fire, halfSide: 50, base: loaded.mission)
        square.schedule = loaded.mission.schedule
        return (square, loaded.site)
    }

    /// drone-1 diverted (go_to accepted) and drone-2 connected.
    static func diverted(_ rig: SortieTests.Rig) async throws -> (
        drone1: LinkClient, drone2: LinkClient, routine: SortieStatus, urgent: SortieStatus
    )? {
        guard let (drone, routine, urgent) = try await DiversionCommandTests.flying(rig),
            let goTo = await DiversionCommandTests.command(drone)
        else { return nil }
        drone.send(.commandAck(CommandAck(commandID: goTo.id, accepted: true)), time: rig.clock.now())
        let other = try rig.client("drone-2")
        other.send(.hello(Hello(kind: .drone, capabilities: [], hive: "hive-1")), time: rig.clock.now())
        guard await SortieTests.next(other, { if case .welcome = $0 { true } else { false } }) != nil else {
            return nil
        }
        return (drone, other, routine, urgent)
    }

    /// One report of `flight` at `altitude` and a heartbeat, whose echo says it was handled.
    static func report(
        _ drone: LinkClient, _ rig: SortieTests.Rig, flight: String, at position: LonLat, altitude: Double,
        state: VehicleState, waypoint: Int = 12
    ) async -> Bool {
        drone.send(
            .telemetry(
                TelemetryReport(
                    flightID: flight,
                    telemetry: Telemetry(
                        time: rig.clock.now(), position: position, altitude: altitude, heading: 90, speed: 8,
                        battery: 0.9, state: state, waypointIndex: waypoint))), time: rig.clock.now())
        drone.send(.heartbeat, time: rig.clock.now())
        return await SortieTests.next(drone, { $0 == .heartbeat }) != nil
    }

    @Test func aSortieLaunchingOnTimeIntoADiversionIsShiftedPastIt() async throws {
        let rig = try DiversionSeparationTests.rig()
        let (drone1, drone2, routine, urgent) = try #require(try await Self.diverted(rig))
        #expect(urgent.vehicle == "drone-1")
        // drone-2's sweep of the square around the fire is due now, on time: it would be over the
        // fire about 90 s after its launch, while drone-1 looks there (for 120 s from ~35 s).
        let (square, site) = try Self.square()
        let sortie = await rig.coordinator.request(
            SortieRequest(
                mission: square, site: site, vehicle: "drone-2", notBefore: rig.clock.now(), origin: .scheduled))
        let shifted = try #require(await rig.coordinator.sortie(sortie.id))
        #expect(shifted.state == .queued, "\(shifted.state) \(shifted.reason ?? "")")
        let reason = "shifted for separation: airspace shared with \(urgent.id) (drone-1, diverted) until "
        #expect(shifted.reason?.hasPrefix(reason) == true, "\(shifted.reason ?? "")")
        // Until drone-1 is back where it left its route: after the look, not before.
        #expect(shifted.plannedLaunch > rig.clock.now().addingTimeInterval(120))
        #expect(await rig.coordinator.sortie(routine.id)?.state == .paused)
        // drone-1 looks and is told to resume: the diversion no longer holds drone-2's sortie back.
        rig.clock.advance(by: 15)
        #expect(await Self.report(drone1, rig, flight: routine.id, at: Self.fire, altitude: 60, state: .paused))
        rig.clock.advance(by: 120)
        DiversionCommandTests.report(drone1, rig, flight: routine.id, at: Self.fire, state: .paused)
        let resume = try #require(await DiversionCommandTests.command(drone1))
        #expect(resume.action == .resume)
        let released = try #require(await rig.coordinator.sortie(sortie.id))
        #expect(released.reason?.contains("(drone-1, diverted)") != true, "\(released.reason ?? "")")
        drone1.close()
        drone2.close()
        await rig.close()
    }

    @Test func aDivertedDroneWhoseWayBackMeetsADroneLaunchedDuringItsLookHoldsOverTheTarget() async throws {
        let rig = try DiversionSeparationTests.rig()
        let (drone1, drone2, routine, urgent) = try #require(try await Self.diverted(rig))
        // Overhead 15 s later, at 105 m (50 m over the hill there).
        rig.clock.advance(by: 15)
        #expect(await Self.report(drone1, rig, flight: routine.id, at: Self.fire, altitude: 105, state: .paused))
        #expect(await rig.coordinator.sortie(urgent.id)?.reason == "drone-1 overhead, looking")
        // During the look an operator sends drone-2 to sweep the square around the fire (an
        // operator's launch is not held back for separation).
        let (square, site) = try Self.square()
        let sortie = await rig.coordinator.request(
            SortieRequest(mission: square, site: site, vehicle: "drone-2", origin: .operator))
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                drone2, { if case .missionUpload = $0 { true } else { false } })
        else {
            Issue.record("no upload to drone-2")
            return
        }
        drone2.send(
            .missionAck(MissionAck(flightID: upload.flightID, accepted: true, checksum: upload.checksum)),
            time: rig.clock.now())
        let start = try #require(await DiversionCommandTests.command(drone2))
        drone2.send(.commandAck(CommandAck(commandID: start.id, accepted: true)), time: rig.clock.now())
        // The look is over 120 s after drone-1 was overhead; drone-2 is sweeping 40 m from the fire, at 105 m.
        rig.clock.advance(by: 120)
        let beside = LonLat(lon: Self.fire.lon + 0.0004, lat: Self.fire.lat)
        #expect(
            await Self.report(drone2, rig, flight: sortie.id, at: beside, altitude: 105, state: .surveying, waypoint: 3)
        )
        #expect(await Self.report(drone1, rig, flight: routine.id, at: Self.fire, altitude: 105, state: .paused))
        let held = try #require(await rig.coordinator.sortie(urgent.id))
        #expect(held.state == .inFlight, "\(held.state) \(held.reason ?? "")")
        let reason =
            "looked; drone-1 holds over the target: its way back to \(routine.id) would share airspace with "
            + "\(sortie.id) (drone-2, flying) at "
        #expect(held.reason?.hasPrefix(reason) == true, "\(held.reason ?? "")")
        #expect(await rig.coordinator.sortie(routine.id)?.state == .paused)
        // drone-2 lands: drone-1 is told to resume its route.
        rig.clock.advance(by: 10)
        drone2.send(.event(DeviceEvent(id: "e-landed", kind: .landed, flightID: sortie.id)), time: rig.clock.now())
        #expect(await SortieTests.next(drone2) { if case .eventAck = $0 { true } else { false } } != nil)
        let landed = try #require(await rig.coordinator.sortie(sortie.id))
        #expect(landed.state == .landed, "\(landed.state) \(landed.reason ?? "")")
        DiversionCommandTests.report(drone1, rig, flight: routine.id, at: Self.fire, state: .paused)
        let resume = try #require(await DiversionCommandTests.command(drone1))
        #expect(resume.action == .resume && resume.flightID == routine.id)
        let looked = try #require(await rig.coordinator.sortie(urgent.id))
        #expect(looked.state == .landed && looked.reason?.hasPrefix("looked; drone-1 resumed") == true)
        drone1.close()
        drone2.close()
        await rig.close()
    }
}
