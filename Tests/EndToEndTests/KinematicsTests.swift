import Foundation
import Logging
import PatrolGeo
import PatrolModel
import PatrolTestKit
import Testing

@testable import PatrolSim
@testable import patrol

/// The drone's kinematics with an acceleration limit and wind drift, against hand-worked answers,
/// and a whole patrol flown with both.
struct KinematicsTests {
    static func leg(_ x: Double, _ y: Double, speed: Double = 10) -> Kinematics.Leg {
        Kinematics.Leg(target: XY(x, y), altitude: 0, kind: .transit, speed: speed)
    }

    @Test func accelerationLimitsTheRunUp() {
        var k = Kinematics(start: XY(0, 0), legs: [Self.leg(100, 0)], climbRate: 4)
        k.maxAcceleration = 2
        // 0.5 s steps: 1, 2, … 10 m/s, so 0.5 × (1 + … + 10) = 27.5 m in the first 5 s.
        for _ in 0..<10 { _ = k.step(0.5) }
        #expect(abs(k.position.x - 27.5) < 1e-9)
        #expect(k.airspeed == 10)
        // 72.5 m more at 5 m a step: 15 steps, the last one short, ending at the waypoint.
        var steps = 10
        while !k.isFinished {
            _ = k.step(0.5)
            steps += 1
        }
        #expect(steps == 25)
        #expect(k.position == XY(100, 0))
    }

    @Test func windDriftChangesTheGroundSpeed() {
        // From the north at 6 m/s across an eastward leg at 10 m/s airspeed: 8 m/s over the ground.
        var k = Kinematics(start: XY(0, 0), legs: [Self.leg(100, 0)], climbRate: 4)
        k.wind = DroneModel.wind(speed: 6, from: 0)
        _ = k.step(1)
        #expect(abs(k.position.x - 8) < 1e-9 && abs(k.position.y) < 1e-9, "it crabs and holds the track")
        // A 3 m/s headwind: 7 m/s.
        var h = Kinematics(start: XY(0, 0), legs: [Self.leg(100, 0)], climbRate: 4)
        h.wind = DroneModel.wind(speed: 3, from: 90)
        _ = h.step(1)
        #expect(abs(h.position.x - 7) < 1e-9)
    }

    @Test func aRightAngleTurnBleedsTheSpeed() {
        var k = Kinematics(start: XY(0, 0), legs: [Self.leg(10, 0), Self.leg(10, 100)], climbRate: 4)
        k.maxAcceleration = 2
        while k.legIndex == 0 { _ = k.step(1) }
        #expect(k.airspeed == 0, "nothing of the eastward speed is along the northward leg")
        _ = k.step(1)
        #expect(k.airspeed == 2)
        #expect(abs(k.position.y - 2) < 1e-9)
    }

    @Test(.timeLimit(.minutes(3)))
    func aPatrolWithInertiaAndDriftTakesLongerAndStillLands() async throws {
        let dir = TestKit.temporaryDirectory("patrol-windy")
        let base = try String(
            contentsOf: TestKit.repositoryRoot.appendingPathComponent("simulators/hill-fire.yaml"), encoding: .utf8)
        let mission = TestKit.repositoryRoot.appendingPathComponent("missions/hill-fire-patrol.yaml").path
        let windy = base.replacingOccurrences(of: "../missions/hill-fire-patrol.yaml", with: mission)
            .replacingOccurrences(of: "  gps_noise_m: 1.0", with: "  gps_noise_m: 1.0\n  max_accel_mps2: 2")
            .replacingOccurrences(of: "  speed_mps: 3", with: "  speed_mps: 6\n  drift: true")
        let file = dir.appendingPathComponent("windy.yaml")
        try windy.write(to: file, atomically: true, encoding: .utf8)
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        let calm = try await DemoRun(
            scenarioFile: TestKit.repositoryRoot.appendingPathComponent("simulators/hill-fire.yaml"),
            outputDirectory: dir.appendingPathComponent("calm"), logger: logger
        ).run()
        let result = try await DemoRun(
            scenarioFile: file, outputDirectory: dir.appendingPathComponent("windy"), logger: logger
        ).run()
        #expect(result.scenario.windDrift && result.scenario.drone.maxAcceleration == 2)
        #expect(result.flight.status == .completed)
        #expect(result.drone.duration > calm.drone.duration, "\(result.drone.duration) vs \(calm.drone.duration)")
    }
}
