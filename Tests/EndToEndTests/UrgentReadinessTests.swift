import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolPlanner
import PatrolStore
import PatrolTestKit
import Testing

@testable import PatrolLink

/// A docked drone still in its hive's turnaround is compared for an urgent sortie by when it
/// could be overhead, rather than left to the fallback: drones driven by hand over real sockets
/// on a virtual clock.
@Suite(.timeLimit(.minutes(1)))
struct UrgentReadinessTests {
    @Test func aDroneInItsTurnaroundIsChosenAndTheUrgentSortieLaunchesWhenItIsReady() async throws {
        let rig = try DiversionSeparationTests.rig()
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        await rig.coordinator.configureSorties(
            SortieFleet(fleet: fleet, hivePositions: try ScheduleProblem.hivePositions(of: fleet, site: loaded.site)))
        let turnaround = try #require(fleet.hive("hive-1")?.turnaround)
        let drone = try rig.client("drone-2")
        drone.send(.hello(Hello(kind: .drone, capabilities: [], hive: "hive-1")), time: rig.clock.now())
        #expect(await SortieTests.next(drone) { if case .welcome = $0 { true } else { false } } != nil)
        // drone-2 flies a patrol and lands: its hive's turnaround starts.
        let flown = await rig.coordinator.request(
            SortieRequest(mission: loaded.mission, site: loaded.site, vehicle: "drone-2", origin: .operator))
        guard
            case .missionUpload(let upload) = await SortieTests.next(
                drone, { if case .missionUpload = $0 { true } else { false } })
        else {
            Issue.record("no upload")
            return
        }
        drone.send(
            .missionAck(MissionAck(flightID: upload.flightID, accepted: true, checksum: upload.checksum)),
            time: rig.clock.now())
        let start = try #require(await DiversionCommandTests.command(drone))
        drone.send(.commandAck(CommandAck(commandID: start.id, accepted: true)), time: rig.clock.now())
        rig.clock.advance(by: 900)
        drone.send(.event(DeviceEvent(id: "e-1", kind: .landed, flightID: flown.id)), time: rig.clock.now())
        #expect(await SortieTests.next(drone) { if case .eventAck = $0 { true } else { false } } != nil)
        #expect(await rig.coordinator.sortie(flown.id)?.state == .landed)

        // 200 s into its turnaround a smoke alarm: drone-2 is the only drone, ready in the rest of it.
        rig.clock.advance(by: 200)
        drone.send(.heartbeat, time: rig.clock.now())
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        let verify = VerificationTemplate.sweep(
            id: "verify-alarm", name: "Verify", around: DiversionCommandTests.fire, halfSide: 50,
            base: loaded.mission)
        let urgent = await rig.coordinator.request(
            SortieRequest(
                mission: verify, site: loaded.site, priority: 10, origin: .urgent, target: DiversionCommandTests.fire))
        #expect(urgent.state == .queued, "\(urgent.state) \(urgent.reason ?? "")")
        let choice = try #require(urgent.choice)
        #expect(choice.chosen.drone == "drone-2" && choice.chosen.kind == .docked)
        #expect(choice.chosen.toCommand == turnaround - 200)
        #expect(choice.chosen.toOverhead > choice.chosen.toCommand)
        #expect(urgent.reason?.hasPrefix("waiting for drone-2, ready in \(Int(turnaround - 200)) s") == true)
        #expect(urgent.plannedLaunch == rig.clock.now().addingTimeInterval(turnaround - 200))

        // Not before the turnaround is over; then at once.
        rig.clock.advance(by: turnaround - 201)
        drone.send(.heartbeat, time: rig.clock.now())
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        #expect(await rig.coordinator.sortie(urgent.id)?.state == .queued)
        rig.clock.advance(by: 1)
        drone.send(.heartbeat, time: rig.clock.now())
        guard
            case .missionUpload(let second) = await SortieTests.next(
                drone, { if case .missionUpload = $0 { true } else { false } })
        else {
            Issue.record("no upload for the urgent sortie")
            return
        }
        #expect(second.flightID == urgent.id)
        let launched = try #require(await rig.coordinator.sortie(urgent.id))
        #expect(launched.state == .uploading && launched.vehicle == "drone-2")
        #expect(launched.requestToLaunch == turnaround - 200)
        drone.close()
        await rig.close()
    }
}
