import Foundation
import Logging
import PatrolModel
import PatrolSim
import PatrolStore
import PatrolTestKit
import Testing

@testable import patrol

/// `simulators/cameras.yaml`: 24 fixed AI cameras behind three NVR connections. Each scripted
/// event must become one incident of its class, its repeated sightings fused into it; false
/// positives are recorded and open nothing; a link drop, a link delay and an NVR crash lose nothing.
@Suite(.serialized)
struct CameraScenarioTests {
    static let file = "simulators/cameras.yaml"

    static func simulate() async throws -> SimRun.Result {
        var logger = Logger(label: "sim")
        logger.logLevel = .critical
        let run = SimRun(
            scenarioFile: TestKit.repositoryRoot.appendingPathComponent(file),
            outputDirectory: TestKit.temporaryDirectory("sim-cameras"),
            siteDirectory: TestKit.repositoryRoot.appendingPathComponent("geo/mumianling"), logger: logger)
        return try await run.run()
    }

    static func detections(_ result: SimRun.Result, _ scenario: CameraScenario) throws -> [String: (
        detection: Detection, alertID: String?
    )] {
        let store = try PatrolStore(path: result.database.path)
        var all: [String: (detection: Detection, alertID: String?)] = [:]
        for nvr in scenario.nvrs {
            for row in try store.detections(
                device: nvr, from: scenario.start, to: scenario.start.addingTimeInterval(scenario.duration))
            {
                all[row.detection.id] = row
            }
        }
        return all
    }

    @Test(.timeLimit(.minutes(3)))
    func eachScriptedEventIsOneIncidentOfItsClassAndFalsePositivesOpenNothing() async throws {
        let scenario = try CameraScenario.load(from: TestKit.repositoryRoot.appendingPathComponent(Self.file))
        let result = try await Self.simulate()
        let cameras = try #require(result.cameras)
        let stored = try Self.detections(result, scenario)
        let alerts = try PatrolStore(path: result.database.path).alerts()

        #expect(alerts.count == scenario.events.count, "one incident per scripted event")
        var alertOf: [String: String] = [:]
        for event in scenario.events {
            let ids = try #require(cameras.sightings[event.id], "\(event.id) was seen")
            let nvr = try #require(scenario.cameras.first { $0.id == event.camera }).nvr
            let crashes = scenario.faults.filter { $0.kind == .crash && $0.device == nvr }
            let expected = stride(from: event.start, to: event.start + event.duration, by: scenario.sightEvery)
                .filter { t in !crashes.contains { $0.active(at: t) } }.count
            #expect(ids.count == expected, "\(event.id): one sighting a minute while its NVR is up")
            let joined = Set(ids.compactMap { stored[$0]?.alertID })
            #expect(joined.count == 1, "\(event.id): every sighting fused into one incident, got \(joined)")
            #expect(ids.allSatisfy { stored[$0]?.alertID != nil }, "\(event.id): no sighting left out")
            let alert = try #require(alerts.first { $0.id == joined.first })
            #expect(alert.kind == event.kind)
            #expect(alert.observations == ids.count)
            #expect(
                alert.firstSeen == scenario.start.addingTimeInterval(event.start), "dated when seen, not when heard")
            alertOf[event.id] = alert.id
        }
        #expect(Set(alertOf.values).count == scenario.events.count, "no two events share an incident")

        #expect(!cameras.falsePositives.isEmpty, "the false-positive rate makes some")
        for id in cameras.falsePositives {
            let row = try #require(stored[id], "\(id) stored")
            #expect(row.detection.confidence < 0.5)
            #expect(row.alertID == nil, "\(id) opened or joined an incident")
        }
        let made = cameras.sightings.values.reduce(0) { $0 + $1.count } + cameras.falsePositives.count
        #expect(stored.count == made, "nothing accepted lost across the drop, the delay and the crash")
        #expect(result.lines.contains("detections \(made) false-positives \(cameras.falsePositives.count)"))
    }

    @Test(.timeLimit(.minutes(3)))
    func faultsAreSeenByTheCoordinator() async throws {
        let result = try await Self.simulate()
        let cameras = try #require(result.cameras)
        let lines = result.lines
        // The link drop: lost 3 s after the last heartbeat (at 589 s), back when the window ends, resent.
        let dropLost = EventLog.ms(
            try #require(ISO8601DateFormatter().date(from: "2026-11-25T08:09:52+08:00")))
        #expect(lines.contains("lost nvr-south \(dropLost)"))
        #expect(lines.contains("resumed nvr-south"))
        #expect(try #require(cameras.nvrs["nvr-south"]).resends > 0, "what was lost is sent again")
        // The delay: frames late, heartbeats on time, so never lost.
        #expect(!lines.contains { $0.hasPrefix("lost nvr-north") })
        #expect(try #require(cameras.nvrs["nvr-north"]).delayed > 0)
        // The crash: gone without a goodbye, lost, then registered again with a new session and resumed.
        #expect(lines.filter { $0 == "registered nvr-towers" }.count == 2)
        #expect(lines.contains { $0.hasPrefix("lost nvr-towers ") })
        #expect(lines.contains("resumed nvr-towers"))
        #expect(try #require(cameras.nvrs["nvr-towers"]).sessions == 2)
        #expect(!lines.contains { $0.hasPrefix("device-error") })
    }

    @Test(.timeLimit(.minutes(3)))
    func twoRunsGiveTheSameLogHash() async throws {
        let first = try await Self.simulate()
        let second = try await Self.simulate()
        #expect(first.lines == second.lines)
        #expect(first.hash == second.hash)
    }

    @Test func aBadFaultIsRefusedWithItsField() throws {
        let url = TestKit.temporaryDirectory("cameras-bad").appendingPathComponent("bad.yaml")
        try """
        id: bad
        start: 2026-11-25T08:00:00+08:00
        duration_min: 1
        cameras:
          - {id: c, nvr: n, lon: 114.1, lat: 22.5}
        faults:
          - {kind: meteor, device: n, at_s: 1, for_s: 1}
        """.write(to: url, atomically: true, encoding: .utf8)
        #expect {
            _ = try CameraScenario.load(from: url)
        } throws: { error in
            "\(error)".contains("bad.yaml:7") && "\(error)".contains("unknown fault `meteor`")
        }
    }
}
