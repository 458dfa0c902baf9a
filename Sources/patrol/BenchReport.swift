import ArgumentParser
import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolReports

extension Patrol.Bench {
    struct ReportBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Render the report of a synthetic flight with many telemetry points and print the time.",
            discussion: """
                Flies the default mission's route once with N telemetry samples spread evenly along it, then renders \
                the report (coverage, detection probability, HTML, JSON, GeoJSON) several times and prints the \
                fastest and median wall time and the files' sizes. Build with -c release for representative figures.
                """)

        @Option(help: "Telemetry samples in the flight.")
        var points = 50_000

        @Option(help: "How many times to render.")
        var runs = 5

        func validate() throws {
            guard points >= 2 else { throw ValidationError("--points must be at least 2") }
            guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        }

        func run() async throws {
            let input: FlightReportInput
            do { input = try BenchFlight.input(points: points) } catch { throw fail(error) }
            var times: [Double] = []
            var last: RenderedReport?
            for _ in 0..<runs {
                let began = ContinuousClock.now
                last = try FlightReport.render(input)
                times.append((ContinuousClock.now - began).seconds)
            }
            times.sort()
            guard let r = last else { return }
            // The two heavy steps on their own, once each.
            let frame = try SiteFrame(crs: input.site.crs)
            let samples = try Coverage.samples(from: input.telemetry, frame: frame, groundOffset: input.groundOffset)
            var began = ContinuousClock.now
            _ = try Coverage.compute(planned: input.plannedArea, samples: samples, camera: input.mission.camera)
            let coverageTime = (ContinuousClock.now - began).seconds
            let obstacles = try input.site.towers.map { (t) throws(GeoError) in
                Detectability.Obstacle(footprint: try frame.project(t.footprint), height: t.height)
            }
            began = ContinuousClock.now
            _ = try Detectability.compute(
                planned: input.plannedArea, samples: samples, camera: input.mission.camera, obstacles: obstacles)
            let detectabilityTime = (ContinuousClock.now - began).seconds
            func mb(_ bytes: Int) -> String { String(format: "%.2f MB", Double(bytes) / 1_000_000) }
            print("points   \(points) telemetry samples, \(runs) runs")
            print(String(format: "render   fastest %.3f s, median %.3f s", times[0], times[times.count / 2]))
            print(
                String(
                    format: "of which coverage (GEOS union) %.3f s, detection probability %.3f s", coverageTime,
                    detectabilityTime))
            print("html     \(mb(r.html.utf8.count))   json \(mb(r.json.count))   geojson \(mb(r.geojson.count))")
            print(
                String(
                    format: "coverage %.1f %%, seen well enough %.1f %%", r.coverage.percent,
                    r.detectability.wellSeenPercent))
        }
    }
}

/// A synthetic flight for benchmarks: the default mission's planned route flown once, with
/// telemetry samples spread evenly in time along it (a high telemetry rate).
enum BenchFlight {
    static func input(points: Int) throws -> FlightReportInput {
        let loaded = try Mission.load(from: ProjectFiles.defaultMission)
        let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        let frame = try SiteFrame(crs: loaded.site.crs)
        let xy = plan.waypointsXY
        let legs = zip(xy, xy.dropFirst()).map { $0.distance(to: $1) }
        let total = legs.reduce(0, +)
        let start = Date(timeIntervalSince1970: 1_764_036_000)
        let duration = total / loaded.mission.speed
        var positions: [XY] = []
        var meta: [(heading: Double, state: VehicleState, waypoint: Int)] = []
        var leg = 0
        var legStart = 0.0
        for i in 0..<points {
            let along = total * Double(i) / Double(points - 1)
            while leg < legs.count - 1 && along > legStart + legs[leg] {
                legStart += legs[leg]
                leg += 1
            }
            let (a, b) = (xy[leg], xy[leg + 1])
            let f = legs[leg] > 0 ? min(1, (along - legStart) / legs[leg]) : 0
            positions.append(a + (b - a) * f)
            let heading = (atan2(b.x - a.x, b.y - a.y) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
            let kind = plan.route.waypoints[leg + 1].kind
            meta.append((heading, kind == .survey ? .surveying : kind == .land ? .landing : .transit, leg + 1))
        }
        let lonLat = try frame.unproject(positions)
        let telemetry = (0..<points).map { i in
            Telemetry(
                time: start + duration * Double(i) / Double(points - 1), position: lonLat[i],
                altitude: loaded.mission.altitude, heading: meta[i].heading, speed: loaded.mission.speed,
                battery: 1 - 0.4 * Double(i) / Double(points), state: meta[i].state, waypointIndex: meta[i].waypoint)
        }
        let flight = Flight(
            id: "bench-\(points)", missionID: loaded.mission.id, deviceID: "drone-bench", status: .completed,
            route: plan.route, startedAt: start, endedAt: start + duration)
        return FlightReportInput(
            site: loaded.site, mission: loaded.mission, flight: flight, telemetry: telemetry,
            plannedArea: plan.targetArea)
    }
}
