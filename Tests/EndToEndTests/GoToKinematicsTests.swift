import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolSim

/// The simulated drone's `go_to`: leave the route, fly to the point at the height asked, hold
/// there, and on `resume` fly back to where the route was left and finish it.
struct GoToKinematicsTests {
    @Test func goToHoldsAtTheTargetAndResumeFinishesTheRoute() {
        let legs = [
            Kinematics.Leg(target: XY(0, 0), altitude: 40, kind: .takeoff, speed: 3),
            Kinematics.Leg(target: XY(200, 0), altitude: 40, kind: .survey, speed: 8),
            Kinematics.Leg(target: XY(200, 0), altitude: 0, kind: .land, speed: 2),
        ]
        var k = Kinematics(start: XY(0, 0), legs: legs, climbRate: 3)
        var completed: [Int] = []
        for _ in 0..<20 { completed += k.step(1) }  // 40 m up in 13.3 s, then 6.7 s along the line
        #expect(completed == [0])
        let left = k.position
        #expect(left.x > 40 && left.x < 60)

        k.goTo(XY(100, 100), altitude: 60, speed: 10)
        for _ in 0..<60 { completed += k.step(1) }
        #expect(k.paused)
        #expect(k.position == XY(100, 100))
        #expect(k.altitude == 60)
        #expect(k.legIndex == 1)
        #expect(completed == [0])

        k.paused = false
        var steps = 0
        while !k.isFinished, steps < 1000 {
            completed += k.step(1)
            steps += 1
        }
        #expect(k.isFinished)
        #expect(completed == [0, 1, 2])
        #expect(k.position == XY(200, 0))
        #expect(k.altitude == 0)
    }

    @Test func returnToHiveCancelsAGoTo() {
        var k = Kinematics(
            start: XY(0, 0), legs: [Kinematics.Leg(target: XY(0, 0), altitude: 40, kind: .takeoff, speed: 3)],
            climbRate: 3)
        k.goTo(XY(50, 0), altitude: 40, speed: 5)
        k.returnHome(XY(0, 0), altitude: 30, speed: 5)
        #expect(k.detour.isEmpty)
        var steps = 0
        while !k.isFinished, steps < 1000 {
            _ = k.step(1)
            steps += 1
        }
        #expect(!k.paused)
        #expect(k.altitude == 0)
    }
}
