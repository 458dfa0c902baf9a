import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolTestKit
import Testing

/// The estimates the live layer compares for an urgent verification request: a docked drone's
/// launch, climb and transit against an airborne drone's transit from where it is.
struct VerificationEstimateTests {
    let fleet: Fleet
    let hiveXY = XY(0, 0)
    let target = XY(300, 400)

    init() throws {
        fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
    }

    var drone: Drone { fleet.drone("drone-1")! }
    var hive: FleetHive { fleet.hive("hive-1")! }

    @Test func aDockedDroneIsOverheadAfterTheLaunchDelayTheClimbAndTheStraightLine() throws {
        let request = VerificationRequest(position: target, time: 0, altitude: 60, hover: 120, speed: 12)
        let e = try UrgentSortie.docked(
            request, drone: drone, hive: hive, hiveXY: hiveXY, chargeWh: drone.batteryWh, readyIn: 0, wind: 0
        ).get()
        #expect(e.kind == .docked && e.toCommand == 0)
        // 30 s launch delay + 60 m at 3 m/s + 500 m at 12 m/s.
        #expect(abs(e.toOverhead - (30 + 20 + 500.0 / 12)) < 1e-9)
        // Cruise out and back, the climb, the look and the descent.
        let level: Double = 1000.0 / 12 * 350
        let energy: Double = (level + 20 * 420 + 140 * 300) / 3600
        #expect(abs(e.energyWh - energy) < 1e-9)
        #expect(abs(e.chargeAfterWh - (drone.batteryWh - energy)) < 1e-9)
    }

    @Test func anAirborneDroneIsOverheadAfterItsClimbAndTransitWhenItsChargeCoversTheLookAndHome() throws {
        let request = VerificationRequest(position: target, time: 0, altitude: 60, hover: 120, speed: 12)
        // 120 m from the target, 30 m lower than the look.
        let e = try UrgentSortie.airborne(
            request, drone: drone, position: XY(300, 280), altitude: 30, chargeWh: 150, homeXY: hiveXY,
            sortie: "patrol-1", wind: 0
        ).get()
        #expect(e.kind == .airborne && e.sortie == "patrol-1" && e.toCommand == 0)
        #expect(abs(e.toOverhead - (10 + 10)) < 1e-9)
        let level: Double = 620.0 / 12 * 350
        let energy: Double = (level + 10 * 420 + 140 * 300) / 3600
        #expect(abs(e.energyWh - energy) < 1e-9)

        // The same drone with its reserve plus a little less than that is not sent.
        let low = UrgentSortie.airborne(
            request, drone: drone, position: XY(300, 280), altitude: 30, chargeWh: drone.reserveWh + energy - 0.1,
            homeXY: hiveXY, sortie: "patrol-1", wind: 0)
        guard case .failure(let reason) = low else {
            Issue.record("a drone without the charge for the look and home was sent")
            return
        }
        #expect(reason.code == "battery")
        #expect(reason.message.hasPrefix("drone-1 (airborne) has"))
        // A headwind costs energy on the level legs.
        let windy = try UrgentSortie.airborne(
            request, drone: drone, position: XY(300, 280), altitude: 30, chargeWh: 150, homeXY: hiveXY,
            sortie: "patrol-1", wind: 5
        ).get()
        let headwind: Double = 620.0 / 12 * 12 * 5 / 3600
        #expect(abs(windy.energyWh - energy - headwind) < 1e-9)
    }

    @Test func theEarliestOverheadGoesTiesToTheDockedDroneThenTheId() {
        func e(_ drone: String, _ kind: VerificationEstimate.Kind, _ overhead: Double) -> VerificationEstimate {
            VerificationEstimate(
                drone: drone, kind: kind, toCommand: 0, toOverhead: overhead, energyWh: 1, chargeAfterWh: 1)
        }
        #expect(UrgentSortie.earliest([]) == nil)
        #expect(UrgentSortie.earliest([e("d-1", .docked, 90), e("d-2", .airborne, 40)])?.drone == "d-2")
        #expect(UrgentSortie.earliest([e("d-2", .airborne, 40), e("d-3", .docked, 40)])?.drone == "d-3")
        #expect(UrgentSortie.earliest([e("d-3", .docked, 40), e("d-1", .docked, 40)])?.drone == "d-1")
        // The same answer whatever the order given.
        let all = [e("d-3", .docked, 40), e("d-2", .airborne, 40), e("d-1", .docked, 40), e("d-0", .airborne, 41)]
        #expect(UrgentSortie.earliest(all) == UrgentSortie.earliest(all.reversed()))
    }
}
