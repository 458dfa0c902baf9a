import ArgumentParser
import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner

extension Patrol {
    struct Convert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Convert a flight plan between QGroundControl .plan, QGC WPL .waypoints and route GeoJSON, "
                + "or write it as a DJI WPML wayline (.kmz).",
            discussion: """
                Formats are chosen by extension: a mission .yaml (input only: planned, then exported with the \
                hive as home and rally point and the no-fly zones at survey altitude as exclusion fences), \
                .plan (QGroundControl JSON: mission, geofence, rally points), \
                .waypoints (QGC WPL 110: mission only), .geojson (Patrol's route GeoJSON, opens in QGIS) and \
                .kmz (DJI WPML wayline, output only: \
                wpmz/template.kml and wpmz/waylines.wpml, heights relative to the dock, a photo every trigger \
                spacing along survey legs, ellipsoidal heights in the template from the EGM96 geoid at home). \
                Altitudes are metres above home. Survey and CorridorScan items are read through their resolved \
                items; commands that do not move the vehicle (camera, gimbal, …) are skipped with a warning.
                """)

        @Argument(help: "The file to read (.plan, .waypoints, .geojson, or a mission .yaml).")
        var input: String

        @Argument(help: "The file to write (.plan, .waypoints, .geojson or .kmz); its extension chooses the format.")
        var output: String

        func run() async throws {
            let out = URL(fileURLWithPath: output)
            do {
                let format = try FlightPlanFormat(of: out)
                let source = URL(fileURLWithPath: input)
                var (plan, skipped) =
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
                if format == .kmz {
                    if extras > 0 {
                        FileHandle.standardError.write(
                            Data(
                                "warning: \(output): WPML has no geofences or rally points; \(extras) not written\n"
                                    .utf8))
                    }
                    plan.geoidUndulation = Self.geoidUndulation(at: plan.home)
                    if plan.geoidUndulation == nil || plan.homeAltitude == 0 {
                        FileHandle.standardError.write(
                            Data(
                                ("warning: \(output): home's height above sea level or the EGM96 geoid is unknown; "
                                    + "the template has no ellipsoidal heights\n").utf8))
                    }
                }
                try plan.write(to: out)
                print(
                    "\(input) -> \(output): \(plan.route.waypoints.count) waypoints, "
                        + "\(plan.geofences.count) geofences, "
                        + "\(plan.rallyPoints.count) rally points")
            } catch { throw fail(error) }
        }

        /// Metres the EGM96 geoid lies above the WGS 84 ellipsoid at `point`, through PROJ; `nil`
        /// when the geoid grid is not installed.
        static func geoidUndulation(at point: LonLat) -> Double? {
            guard let transformer = try? Transformer(from: "EPSG:4326+5773", to: "EPSG:4979"),
                let out = try? transformer.transform(XYZ(point.lon, point.lat, 0))
            else { return nil }
            return out.z
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
