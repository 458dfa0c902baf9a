import ArgumentParser
import Foundation
import PatrolModel
import PatrolPlanner

extension Patrol {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check mission files and their sites, and that a safe route can be planned.",
            discussion: "Prints one line per file; exits non-zero if any file has a problem, naming its file, line and field.")

        @Argument(help: "Mission files (default: missions/hill-fire-patrol.yaml).")
        var missions: [String] = []

        func run() async throws {
            let files = missions.isEmpty ? [ProjectFiles.defaultMission] : missions.map { URL(fileURLWithPath: $0) }
            var failed = false
            for file in files {
                do {
                    let loaded = try Mission.load(from: file)
                    let plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
                    let passes: String
                    switch loaded.mission.kind {
                    case .areaCoverage: passes = "sweep lines"
                    case .robotRound: passes = "legs"
                    case .corridor, .facade: passes = "passes"
                    }
                    print(
                        "ok  \(file.path): mission `\(loaded.mission.id)` on site `\(loaded.site.id)` (\(loaded.site.crs)): "
                            + "\(plan.route.waypoints.count) waypoints, \(plan.sweepLines.count) \(passes), "
                            + String(format: "%.0f m, about %.1f min", plan.route.length, plan.route.estimatedDuration / 60))
                    for note in plan.notes { print("    note: \(note)") }
                } catch let error as PlanError where !error.findings.isEmpty {
                    failed = true
                    let lines = error.findings.map { "error: \(file.path): mission `\(error.mission)`: \($0)\n" }
                    FileHandle.standardError.write(Data(lines.joined().utf8))
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}
