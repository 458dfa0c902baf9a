import ArgumentParser
import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner

extension Patrol {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan a mission's route and print it; optionally write it as GeoJSON.")

        @Argument(help: "The mission file (default: missions/hill-fire-patrol.yaml).")
        var mission: String?

        @Option(help: "Write the route, the area and the camera swaths to this GeoJSON file.")
        var geojson: String?

        func run() async throws {
            let file = mission.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.defaultMission
            let loaded: LoadedMission
            let plan: CoveragePlan
            do {
                loaded = try Mission.load(from: file)
                plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
            } catch { throw fail(error) }
            let route = plan.route
            print("mission  \(loaded.mission.id): \(loaded.mission.name)")
            print("site     \(loaded.site.id) in \(loaded.site.crs)")
            if case .robotRound = loaded.mission.kind {
            } else {
                print(
                    String(
                        format:
                            "area     %.0f m² drawn, %.0f m² to cover outside no-fly zones, %.0f m² where sweep lines may run",
                        plan.area.area, plan.targetArea.area, plan.flyableArea.area))
            }
            if case .robotRound = loaded.mission.kind {
            } else {
                print(
                    String(
                        format: "camera   swath %.1f m at %.0f m, line spacing %.1f m, frame every %.1f m",
                        route.swathWidth, loaded.mission.altitude, route.lineSpacing, route.triggerSpacing))
            }
            if case .areaCoverage = loaded.mission.kind {
                print(String(format: "sweep    %d lines at bearing %.0f°", plan.sweepLines.count, plan.sweepBearing))
            } else {
                let what =
                    if case .robotRound = loaded.mission.kind {
                        "legs     %d legs between stops, %.0f m"
                    } else {
                        "passes   %d camera passes, %.0f m"
                    }
                print(String(format: what, plan.sweepLines.count, plan.sweepLines.reduce(0) { $0 + $1.length }))
            }
            for note in plan.notes { print("note     \(note)") }
            print(
                String(
                    format: "route    %d waypoints, %.0f m, about %.1f min at %.1f m/s", route.waypoints.count,
                    route.length, route.estimatedDuration / 60, loaded.mission.speed))
            // alt: above the take-off point; agl: above the ground below (the site's terrain);
            // amsl: orthometric, above mean sea level (EGM96), not the ellipsoidal height GNSS reports.
            print("\n  #  kind      lon           lat          alt m  agl m  amsl m")
            for (i, w) in route.waypoints.enumerated() {
                let heights = [w.heightAGL, w.heightAMSL].map { $0.map { String(format: "%5.1f", $0) } ?? "    -" }
                print(
                    String(format: "%3d  ", i) + w.kind.rawValue.padded(9)
                        + String(format: "%.7f  %.7f  %5.1f  ", w.position.lon, w.position.lat, w.altitude)
                        + heights.joined(separator: "  "))
            }
            if let geojson {
                do {
                    try PlanGeoJSON.data(plan, site: loaded.site).write(to: URL(fileURLWithPath: geojson))
                } catch { throw fail(error) }
                print("\nwrote \(geojson)")
            }
        }
    }
}

/// The plan as GeoJSON: the route line, its waypoints, the planned and flyable areas and the swaths.
enum PlanGeoJSON {
    static func data(_ plan: CoveragePlan, site: Site) throws -> Data {
        let frame = try SiteFrame(crs: site.crs)
        var features: [GeoFeature] = []
        features.append(
            GeoFeature(geometry: .polygon(try frame.unproject(plan.area)), properties: ["role": "planned_area"]))
        for part in plan.flyableArea.polygons {
            features.append(
                GeoFeature(geometry: .polygon(try frame.unproject(part)), properties: ["role": "flyable_area"]))
        }
        let swaths = try MultiPolygon.union(
            plan.sweepLines.map { (line) throws(GeoError) in try line.swath(width: plan.footprint.width) })
        features.append(
            GeoFeature(
                geometry: .multiPolygon(try swaths.polygons.map { (p) throws(GeoError) in try frame.unproject(p) }),
                properties: ["role": "camera_swaths"]))
        features.append(
            GeoFeature(
                geometry: .lineString(plan.route.waypoints.map(\.position)),
                properties: [
                    "role": "route", "mission": .string(plan.route.missionID),
                    "length_m": .number(plan.route.length.rounded()),
                    "duration_s": .number(plan.route.estimatedDuration.rounded()),
                ]))
        for (i, w) in plan.route.waypoints.enumerated() {
            features.append(
                GeoFeature(
                    geometry: .point(w.position),
                    properties: [
                        "role": "waypoint", "index": .number(Double(i)), "kind": .string(w.kind.rawValue),
                        "altitude_m": .number(w.altitude),
                    ]))
        }
        return GeoJSON.data(features)
    }
}
