import Foundation
import Logging
import PatrolCoordinator
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Synchronization
import Testing

@testable import patrol

/// Drone faults declared in a scenario's `faults:`: GPS loss (`simulators/gps-loss.yaml`) and a
/// battery that fails early (`simulators/battery-failure.yaml`), and what the coordinator records.
@Suite(.serialized)
struct DroneFaultTests {
    static func fly(_ file: String) async throws -> DemoRun.Result {
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        let run = DemoRun(
            scenarioFile: TestKit.repositoryRoot.appendingPathComponent(file),
            outputDirectory: TestKit.temporaryDirectory("patrol-drone-faults"), logger: logger)
        return try await run.run()
    }

    @Test(.timeLimit(.minutes(3)))
    func gpsLossHoldsThenResumesAndALongOneSendsTheDroneHome() async throws {
        let result = try await Self.fly("simulators/gps-loss.yaml")
        let store = try PatrolStore(path: result.database.path)
        let events = try store.events(flightID: result.flight.id)
        let failsafes = events.filter { $0.kind == "failsafe" }.map { $0.detail ?? "" }
        #expect(
            failsafes == [
                "gps lost: holding", "gps back: resuming", "gps lost: holding", "gps lost for 20 s: returning to hive",
            ])
        #expect(result.flight.status == .completed, "it landed")
        #expect(events.contains { $0.kind == "landed" })

        // Telemetry says so: while there is no fix the drone reports the last one and `paused`.
        let start = result.scenario.start
        let samples = try store.telemetry(flightID: result.flight.id)
        let holding = samples.filter {
            let t = $0.time.timeIntervalSince(start)
            return t > 121 && t < 129
        }
        #expect(!holding.isEmpty)
        #expect(holding.allSatisfy { $0.state == .paused })
        #expect(Set(holding.map(\.position)).count == 1, "one frozen position")
        let after = samples.filter { $0.time.timeIntervalSince(start) > 135 && $0.time.timeIntervalSince(start) < 140 }
        #expect(after.allSatisfy { $0.state != .paused }, "resumed")
        let home = samples.filter { $0.time.timeIntervalSince(start) > 325 && $0.time.timeIntervalSince(start) < 340 }
        #expect(!home.isEmpty && home.allSatisfy { $0.state == .returning || $0.state == .landing })
        #expect(!events.contains { $0.kind == "mission_complete" }, "the long loss cut the survey short")
    }

    @Test(.timeLimit(.minutes(3)))
    func aBatteryThatFailsEarlyTriggersTheLowBatteryFailsafe() async throws {
        let result = try await Self.fly("simulators/battery-failure.yaml")
        let store = try PatrolStore(path: result.database.path)
        let events = try store.events(flightID: result.flight.id)
        let failsafe = try #require(events.first { $0.kind == "failsafe" })
        #expect(
            failsafe.detail?.contains("below the 20% reserve: returning to hive") == true, "\(failsafe.detail ?? "")")
        #expect(abs(failsafe.time.timeIntervalSince(result.scenario.start) - 240) <= 1, "at the failure")
        #expect(result.drone.lowBattery == .returnToHive)
        #expect(result.flight.status == .completed)
        #expect(!events.contains { $0.kind == "mission_complete" }, "the flight was cut short")
        #expect(events.last?.kind == "landed")
        #expect(result.drone.batteryRemaining > 0)
    }

    @Test(.timeLimit(.minutes(3)))
    func aDeclaredLinkDropIsLostFailsafeAndResumed() async throws {
        let result = try await Self.fly("simulators/drone-link-drop.yaml")
        let store = try PatrolStore(path: result.database.path)
        let kinds = try store.events(flightID: result.flight.id).map(\.kind)
        for kind in ["took_off", "link_lost", "failsafe", "link_resumed", "landed"] {
            #expect(kinds.contains(kind), "\(kind) missing from \(kinds)")
        }
        let lost = try #require(try store.events(flightID: result.flight.id).first { $0.kind == "link_lost" })
        // The drop is timed from take-off, which follows the hive's door opening.
        let tookOff = try #require(try store.events(flightID: result.flight.id).first { $0.kind == "took_off" })
        let sinceDrop = lost.time.timeIntervalSince(tookOff.time) - 120
        #expect(sinceDrop > 0 && sinceDrop < 5, "lost \(sinceDrop) s into the drop")
        #expect(result.drone.failsafeAt != nil && result.drone.lostInLinkCut > 0)
        #expect(result.flight.status == .completed)
        #expect(!kinds.contains("mission_complete"), "the failsafe cut the survey short")
    }

    @Test func aDroneScenarioRefusesCameraFaults() throws {
        let dir = TestKit.temporaryDirectory("drone-faults-bad")
        let url = dir.appendingPathComponent("bad.yaml")
        try """
        id: bad
        mission: m.yaml
        start: "2026-11-25T10:00:00+08:00"
        drone: {id: d}
        faults:
          - {kind: crash, device: d, at_s: 1, for_s: 2}
        """.write(to: url, atomically: true, encoding: .utf8)
        #expect {
            _ = try Scenario.load(from: url)
        } throws: { error in "\(error)".contains("link_drop, not crash") }
    }
}
