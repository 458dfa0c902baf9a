import ArgumentParser
import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner

extension Patrol {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check mission files and their sites, and that a safe route can be planned.",
            discussion: """
                Prints one line per file; exits non-zero if any file has a problem, naming its file, line and \
                field, or if a route breaks a safety rule, one line per finding naming the waypoint or leg, the \
                rule and the margin.
                """)

        @Argument(help: "Mission files (default: missions/hill-fire-patrol.yaml).")
        var missions: [String] = []

        @Option(help: "Write every finding as GeoJSON (a point per waypoint, a line per leg) to this file.")
        var geojson: String?

        func run() async throws {
            let files = missions.isEmpty ? [ProjectFiles.defaultMission] : missions.map { URL(fileURLWithPath: $0) }
            var failed = false
            var features: [GeoFeature] = []
            for file in files {
                var loaded: LoadedMission?
                do {
                    loaded = try Mission.load(from: file)
                    guard let loaded else { continue }
                    let plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
                    print(Self.summary(file, loaded, plan))
                    for note in plan.notes { print("    note: \(note)") }
                } catch let error as PlanError where !error.findings.isEmpty {
                    failed = true
                    let lines = error.findings.map { "error: \(file.path): mission `\(error.mission)`: \($0)\n" }
                    FileHandle.standardError.write(Data(lines.joined().utf8))
                    if let site = loaded?.site { features += try Self.features(error, site: site) }
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                }
            }
            if let geojson {
                do { try GeoJSON.data(features).write(to: URL(fileURLWithPath: geojson)) } catch { throw fail(error) }
            }
            if failed { throw ExitCode.failure }
        }

        static func summary(_ file: URL, _ loaded: LoadedMission, _ plan: CoveragePlan) -> String {
            let passes: String
            switch loaded.mission.kind {
            case .areaCoverage: passes = "sweep lines"
            case .robotRound: passes = "legs"
            case .corridor, .facade: passes = "passes"
            }
            return "ok  \(file.path): mission `\(loaded.mission.id)` on site `\(loaded.site.id)` (\(loaded.site.crs)): "
                + "\(plan.route.waypoints.count) waypoints, \(plan.sweepLines.count) \(passes), "
                + String(format: "%.0f m, about %.1f min", plan.route.length, plan.route.estimatedDuration / 60)
        }

        /// The findings as GeoJSON features in lon/lat, with the rule, the margin and the message.
        static func features(_ error: PlanError, site: Site) throws -> [GeoFeature] {
            let frame = try SiteFrame(crs: site.crs)
            return try error.findings.filter { !$0.at.isEmpty }.map { finding in
                let at = try frame.unproject(finding.at)
                return GeoFeature(
                    geometry: at.count == 1 ? .point(at[0]) : .lineString(at),
                    properties: [
                        "role": "violation", "mission": .string(error.mission), "where": .string("\(finding.location)"),
                        "rule": .string(finding.rule.rawValue), "excess": .number((finding.excess * 10).rounded() / 10),
                        "message": .string(finding.message),
                    ])
            }
        }
    }
}
