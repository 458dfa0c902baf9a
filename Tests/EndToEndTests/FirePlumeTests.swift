import Foundation
import Logging
import PatrolGeo
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// `simulators/hill-fire-plume.yaml`: the fire's smoke grows and drifts downwind, and the drone's
/// camera uses the physical detection model; the incident is placed where the smoke is.
@Suite(.serialized)
struct FirePlumeTests {
    @Test(.timeLimit(.minutes(3)))
    func theDroneSeesTheSmokeDownwindOfTheFire() async throws {
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        let run = DemoRun(
            scenarioFile: TestKit.repositoryRoot.appendingPathComponent("simulators/hill-fire-plume.yaml"),
            outputDirectory: TestKit.temporaryDirectory("patrol-plume"), logger: logger)
        let result = try await run.run()
        let fire = try #require(result.scenario.fires.first)
        let store = try PatrolStore(path: result.database.path)
        let seen = try store.detections(flightID: result.flight.id).filter { $0.confidence >= 0.5 }
        #expect(seen.count >= 3, "the smoke was seen")
        #expect(result.alerts.count == 1)
        // Metres east and north of the fire, on a local sphere.
        let metres = 111_320.0
        let east = seen.map { ($0.position.lon - fire.position.lon) * metres * cos(fire.position.lat * .pi / 180) }
        let north = seen.map { ($0.position.lat - fire.position.lat) * metres }
        let meanEast = east.reduce(0, +) / Double(east.count)
        let meanNorth = north.reduce(0, +) / Double(north.count)
        // The wind blows from 45° (north-east), so the smoke lies south-west: 60 m once the plume is full.
        let distance = (meanEast * meanEast + meanNorth * meanNorth).squareRoot()
        let bearing = (atan2(meanEast, meanNorth) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
        #expect(distance > 40 && distance < 75, "\(distance) m from the fire")
        #expect(abs(bearing - 225) < 20, "bearing \(bearing)°")
        #expect(seen.allSatisfy { $0.confidence <= 0.99 })
    }

    @Test func theSmokeModelFollowsTheScenario() throws {
        let scenario = try Scenario.load(
            from: TestKit.repositoryRoot.appendingPathComponent("simulators/hill-fire-plume.yaml"))
        let fire = try #require(scenario.fires.first)
        #expect(scenario.drone.physicalDetection)
        #expect(abs(fire.plume.radius(age: 300) - 20) < 1e-9)
        #expect(fire.plume.radius(age: 3600) == 25)
        let wind = DroneModel.wind(speed: scenario.windSpeed, from: scenario.windFrom)
        #expect(abs(fire.plume.centreOffset(age: 3600, wind: wind).length - 60) < 1e-9)
    }
}
