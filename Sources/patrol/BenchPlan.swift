import ArgumentParser
import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner

extension Patrol {
    struct PlanBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Plan a mission many times and print the planning time and the coverage path's figures.",
            discussion: """
                Prints one line of `key=value` pairs: the median and fastest planning time (loading excluded), \
                the sweep line count, the coverage path (first sweep line start to last sweep line end) length \
                and turn count, the whole route length, the route checks' share (check_ms) and the cost of making \
                the site's PROJ frame (frame_ms, not in the planning time). benchmarks/coverage/compare.py compares \
                the figures with an independent planner.
                """)

        @Argument(help: "The mission file (default: missions/hill-fire-patrol.yaml).")
        var mission: String?

        @Option(help: "How many times to plan.")
        var runs = 21

        func validate() throws {
            guard runs > 0 else { throw ValidationError("--runs must be positive") }
        }

        func run() async throws {
            let file = mission.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.defaultMission
            let loaded: LoadedMission
            var plan: CoveragePlan
            var times: [Double] = []
            var checkTime = Duration.zero
            var coldTimes: [Double] = []
            do {
                loaded = try Mission.load(from: file)
                plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
                let clock = ContinuousClock()
                // Planning with the site's frame made once, as a long-running coordinator keeps it …
                let frame = try SiteFrame(crs: loaded.site.crs)
                for _ in 0..<runs {
                    let elapsed = try clock.measure {
                        plan = try RoutePlanner.plan(loaded.mission, site: loaded.site, frame: frame)
                    }
                    times.append(milliseconds(elapsed))
                }
                // … and with a new PROJ transformer each time, as `patrol plan` does.
                for _ in 0..<runs {
                    coldTimes.append(milliseconds(try clock.measure { _ = try SiteFrame(crs: loaded.site.crs) }))
                }
                // The safety checks alone, to see their share of the planning time.
                let route = plan.route
                let xy = plan.waypointsXY
                checkTime = try clock.measure {
                    _ = try RouteCheck.check(
                        route: route, xy: xy, mission: loaded.mission, site: loaded.site, frame: frame)
                }
            } catch { throw fail(error) }
            times.sort()
            let (length, turns) = Self.coveragePath(plan)
            print(
                String(
                    format:
                        "mission=%@ runs=%d median_ms=%.2f min_ms=%.2f lines=%d spacing_m=%.2f path_m=%.1f "
                        + "turns=%d route_m=%.1f check_ms=%.2f frame_ms=%.2f",
                    loaded.mission.id, runs, times[times.count / 2], times[0], plan.sweepLines.count,
                    plan.route.lineSpacing,
                    length, turns, plan.route.length,
                    milliseconds(checkTime), coldTimes.sorted()[coldTimes.count / 2]))
        }

        func milliseconds(_ duration: Duration) -> Double {
            Double(duration.components.attoseconds) * 1e-15 + Double(duration.components.seconds) * 1e3
        }

        /// Length and turn count of the route from the start of the first sweep line to the end of
        /// the last: sweep lines and the turns between them, no transit to or from the hive.
        static func coveragePath(_ plan: CoveragePlan) -> (Double, Int) {
            let kinds = plan.route.waypoints.map(\.kind)
            guard let first = kinds.firstIndex(of: .survey), let last = kinds.lastIndex(of: .survey), first > 0 else {
                return (0, 0)
            }
            var points: [XY] = []
            for p in plan.waypointsXY[(first - 1)...last] where points.last.map({ $0.distance(to: p) > 0.01 }) ?? true {
                points.append(p)
            }
            let length = zip(points, points.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
            var turns = 0
            for i in points.indices.dropFirst().dropLast() {
                let u = points[i] - points[i - 1]
                let v = points[i + 1] - points[i]
                let cosine = u.dot(v) / (u.length * v.length)
                if cosine < cos(1 * Double.pi / 180) { turns += 1 }
            }
            return (length, turns)
        }
    }
}
