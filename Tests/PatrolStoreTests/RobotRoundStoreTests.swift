import Foundation
import PatrolGeo
import PatrolModel
import PatrolStore
import PatrolTestKit
import Testing

/// The robot round record (`v7-robot-rounds`): checkpoints and when they were reached, spoken
/// warnings with the robot's answer, and the robot's readings, detections and commands by time.
struct RobotRoundStoreTests {
    let store: PatrolStore
    let t0 = Date(timeIntervalSince1970: 1_795_615_200)

    init() throws {
        store = try PatrolStore(path: TestKit.temporaryDirectory().appendingPathComponent("patrol.sqlite").path)
        let route = Route(
            missionID: "basement-round",
            waypoints: [
                Waypoint(position: LonLat(lon: 114.1324807, lat: 22.5717153), altitude: 0, kind: .takeoff, speed: 1.2)
            ],
            swathWidth: 0, lineSpacing: 0, triggerSpacing: 0, length: 0, estimatedDuration: 0)
        try store.save(
            Flight(id: "r1", missionID: "basement-round", deviceID: "robot-1", status: .flying, route: route))
    }

    var checkpoints: [RoundCheckpoint] {
        [
            RoundCheckpoint(
                name: "b1-pump-room", waypointIndex: 7, position: LonLat(lon: 114.1319456, lat: 22.5713542), level: -1),
            RoundCheckpoint(
                name: "gate-south", waypointIndex: 12, position: LonLat(lon: 114.1325099, lat: 22.5700181), level: 0),
        ]
    }

    @Test func checkpointsAreReachedOnceAtTheFirstTime() throws {
        try store.save(
            RobotRoundRecord(flightID: "r1", robotID: "robot-1", station: "station-1", checkpoints: checkpoints))
        #expect(try store.robotRound("r1")?.checkpoints.allSatisfy { $0.reachedAt == nil } == true)
        try store.markCheckpoint(flightID: "r1", waypointIndex: 7, reachedAt: t0.addingTimeInterval(60))
        try store.markCheckpoint(flightID: "r1", waypointIndex: 7, reachedAt: t0.addingTimeInterval(90))
        let round = try #require(try store.robotRound("r1"))
        #expect(round.robotID == "robot-1")
        #expect(round.station == "station-1")
        #expect(round.checkpoints.map(\.name) == ["b1-pump-room", "gate-south"])
        #expect(round.checkpoints[0].reachedAt == t0.addingTimeInterval(60), "the first time stays")
        #expect(round.checkpoints[0].level == -1)
        #expect(round.checkpoints[1].reachedAt == nil, "missed")
        #expect(try store.robotRound("f-other") == nil, "a drone flight is no round")
    }

    @Test func spokenWarningsKeepTheirTextAndTheRobotsAnswer() throws {
        try store.recordCommand(id: "cmd-2", deviceID: "robot-1", flightID: "r1", action: "speak", at: t0)
        try store.record(
            SpokenWarning(commandID: "cmd-2", deviceID: "robot-1", flightID: "r1", text: "Keep away.", at: t0))
        #expect(try store.spokenWarnings(device: "robot-1", from: t0, to: t0 + 60).first?.accepted == nil)
        try store.recordCommandAnswer(id: "cmd-2", accepted: true, reason: nil, at: t0 + 1)
        let warnings = try store.spokenWarnings(device: "robot-1", from: t0, to: t0 + 60)
        #expect(warnings.map(\.text) == ["Keep away."])
        #expect(warnings.first?.accepted == true)
        #expect(try store.spokenWarnings(device: "robot-1", from: t0 + 1, to: t0 + 60).isEmpty)
        #expect(try store.commands(device: "robot-1", from: t0, to: t0).map(\.action) == ["speak"])
    }

    @Test func aRobotsReadingsAndDetectionsAreFoundByTime() throws {
        let readings = (0..<10).map { i in
            StoredReading(
                gatewayID: "robot-1", readingID: "robot-1/r-\(i)", sensorID: "robot-1-h2s", kind: "h2s",
                value: Double(i),
                unit: "ppm", time: t0.addingTimeInterval(Double(i) * 5), position: LonLat(lon: 114.1319, lat: 22.5713),
                floor: -1)
        }
        _ = try store.record(readings)
        let during = try store.readings(
            device: "robot-1", from: t0.addingTimeInterval(10), to: t0.addingTimeInterval(20))
        #expect(during.map(\.readingID) == ["robot-1/r-2", "robot-1/r-3", "robot-1/r-4"])
        #expect(during.first?.floor == -1)
        #expect(during.first?.position == LonLat(lon: 114.1319, lat: 22.5713))
        let seen = Detection(
            id: "robot-1/r-4", time: t0.addingTimeInterval(20), kind: .gas, confidence: 1,
            position: LonLat(lon: 114.1319, lat: 22.5713), positionError: 5)
        #expect(try store.record(seen, deviceID: "robot-1", flightID: nil))
        let found = try store.detections(device: "robot-1", from: t0, to: t0.addingTimeInterval(60))
        #expect(found.map(\.detection.id) == ["robot-1/r-4"])
        #expect(found.first?.alertID == nil)
    }
}
