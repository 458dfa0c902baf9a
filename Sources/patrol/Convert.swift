import ArgumentParser
import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner

extension Patrol {
    struct Convert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a flight plan between QGroundControl .plan, QGC WPL .waypoints and route GeoJSON.",
            discussion: """
                Formats are chosen by extension: a mission .yaml (input only: planned, then exported with the \
                hive as home and rally point and the no-fly zones at survey altitude as exclusion fences), \
                .plan (QGroundControl JSON: mission, geofence, rally points), \
                .waypoints (QGC WPL 110: mission only) and .geojson (Patrol's route GeoJSON, opens in QGIS). \
                Altitudes are metres above home. Survey and CorridorScan items are read through their resolved \
                items; commands that do not move the vehicle (camera, gimbal, …) are skipped with a warning.
                """)

        @Argument(help: "The file to read (.plan, .waypoints, .geojson, or a mission .yaml).")
        var input: String

        @Argument(help: "The file to write; its extension chooses the format.")
        var output: String

        func run() async throws {
            let out = URL(fileURLWithPath: output)
            do {
                let format = try FlightPlanFormat(of: out)
                let source = URL(fileURLWithPath: input)
                let (plan, skipped) =
                    ["yaml", "yml"].contains(source.pathExtension.lowercased())
                    ? (try Self.planned(source), []) : try FlightPlan.read(from: source)
                for note in skipped { FileHandle.standardError.write(Data("warning: \(note)\n".utf8)) }
                let extras = plan.geofences.count + plan.rallyPoints.count
                if format == .waypoints && extras > 0 {
                    FileHandle.standardError.write(
                        Data(
                            "warning: \(output): QGC WPL has no geofences or rally points; \(extras) not written\n".utf8
                        ))
                }
                try plan.write(to: out)
                print(
                    "\(input) -> \(output): \(plan.route.waypoints.count) waypoints, "
                        + "\(plan.geofences.count) geofences, "
                        + "\(plan.rallyPoints.count) rally points")
            } catch { throw fail(error) }
        }

        /// Plans a mission file and wraps its route with the hive as home and rally point, and the
        /// no-fly zones whose band holds the survey altitude as exclusion fences.
        static func planned(_ url: URL) throws -> FlightPlan {
            let loaded = try Mission.load(from: url)
            let route = try RoutePlanner.plan(loaded.mission, site: loaded.site).route
            guard let hive = loaded.site.hive(loaded.mission.hive) else { return FlightPlan(route: route) }
            let fences = loaded.site.noFlyZones.filter { ($0.floor...$0.ceiling).contains(loaded.mission.altitude) }
                .map { Geofence.polygon($0.polygon.exterior, inclusion: false) }
            return FlightPlan(
                route: route, home: hive.position, homeAltitude: loaded.site.groundElevation + hive.groundElevation,
                geofences: fences,
                rallyPoints: [RallyPoint(position: hive.position, altitude: loaded.mission.transitAltitude)])
        }
    }
}
