import ArgumentParser
import Foundation
import PatrolGeo
import PatrolModel
import PatrolStore

extension Patrol.Bench {
    struct AlertsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alerts",
            abstract: "Measure how fast observations are made durable, beside raw C sqlite3 in the same run.",
            discussion: """
                Stores OBSERVATIONS observations the way the coordinator does before it acknowledges each one: \
                one transaction per observation (PatrolStore.recordObservation: resend check, the incident \
                read and saved, every tenth opening one with its transition and escalation deadline, the \
                detection linked), then the same work with raw sqlite3 prepared statements in C \
                (benchmarks/alerts/obsbench.c, compiled now with cc -O2) on a file with Patrol's schema. Both \
                at synchronous=FULL (Patrol's default) and NORMAL, alternating, RUNS times; prints the medians \
                and Patrol / C. Run a release build.
                """)

        @Option(help: "Observations per measurement.")
        var observations = 5000

        @Option(help: "Measurements of each.")
        var runs = 3

        @Option(help: "The C baseline's source.")
        var source = "benchmarks/alerts/obsbench.c"

        func validate() throws {
            guard observations >= 10 else { throw ValidationError("--observations: at least 10") }
            guard runs >= 1 else { throw ValidationError("--runs: at least 1") }
        }

        func run() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "patrol-bench-alerts-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let binary = directory.appendingPathComponent("obsbench").path
            let sourcePath = ProjectFiles.locate(source).path
            guard try Self.execute("/usr/bin/env", ["cc", "-O2", "-o", binary, sourcePath, "-lsqlite3"]) != nil else {
                throw fail(CommandFailure("cannot compile \(sourcePath) with cc"))
            }
            let inputs = Self.inputs(observations)
            print("alerts persistence, \(observations) observations, one transaction each, \(runs) runs")
            print("load \(Self.load())")
            for durability in [Durability.full, .normal] {
                var patrol: [Double] = []
                var c: [Double] = []
                for run in 0..<runs {
                    let path = directory.appendingPathComponent("p-\(durability)-\(run).sqlite").path
                    let cPath = directory.appendingPathComponent("c-\(durability)-\(run).sqlite").path
                    // The C program gets a file with Patrol's schema, then the store is closed.
                    do { _ = try PatrolStore(path: cPath, durability: durability) }
                    let cOut = try Self.execute(binary, [cPath, String(observations), durability.rawValue])
                    guard
                        let seconds = cOut?.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").last
                            .flatMap({ Double($0) })
                    else {
                        throw fail(CommandFailure("the C baseline failed"))
                    }
                    c.append(Double(observations) / seconds)
                    let store = try PatrolStore(path: path, durability: durability)
                    let began = ContinuousClock.now
                    for (detection, change) in inputs {
                        try store.recordObservation(detection, deviceID: "cam-bench", flightID: nil, incident: change)
                    }
                    patrol.append(Double(observations) / (ContinuousClock.now - began).seconds)
                    print(
                        String(
                            format: "  %@ run %d: C %8.0f obs/s   Patrol %8.0f obs/s", durability.rawValue, run + 1,
                            c.last!, patrol.last!))
                }
                let medianC = c.sorted()[c.count / 2]
                let medianPatrol = patrol.sorted()[patrol.count / 2]
                print(
                    String(
                        format: "synchronous=%@: C sqlite3 %.0f obs/s, Patrol %.0f obs/s, Patrol / C = %.2f",
                        durability.rawValue.uppercased(), medianC, medianPatrol, medianPatrol / medianC))
            }
        }

        /// The observations and what fusion made of them, built before the clock starts: ten
        /// sightings at each place, the first opening an incident with its first deadline.
        static func inputs(_ count: Int) -> [(Detection, IncidentChange)] {
            let when = Date(timeIntervalSince1970: 1_764_036_000)
            return (0..<count).map { i in
                let place = i / 10
                let position = LonLat(
                    lon: 114.125 + Double(place % 40) * 0.0007, lat: 22.565 + Double(place / 40 % 40) * 0.0007)
                let detection = Detection(
                    id: "obs-\(i)", time: when, kind: .garbage, confidence: 0.8, position: position, positionError: 3)
                let alert = Alert(
                    id: "alert-b-\(place)", kind: .garbage, state: .new, position: position, positionError: 3,
                    firstSeen: when, lastSeen: when, observations: i % 10 + 1, confidence: 0.8, source: "cam-bench",
                    flightID: nil, sources: ["cam-bench": 0.8])
                let deadline =
                    i % 10 == 0
                    ? EscalationDeadline(
                        alertID: alert.id, due: when, startedAt: when, levels: [0], reminder: false,
                        responsible: "sanitation") : nil
                return (
                    detection,
                    IncidentChange(
                        alert: alert, actor: "fusion", reason: "opened by cam-bench", at: when, deadline: deadline)
                )
            }
        }

        /// Runs a program and returns its standard output, or `nil` when it fails.
        static func execute(_ path: String, _ arguments: [String]) throws -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = readToEnd(out.fileHandleForReading)
            process.waitUntilExit()
            return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
        }

        static func load() -> String {
            let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
            return text.split(separator: " ").prefix(3).joined(separator: " ")
                + ", \(ProcessInfo.processInfo.activeProcessorCount) cores"
        }
    }
}
