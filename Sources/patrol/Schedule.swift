import ArgumentParser
import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner

extension Patrol {
    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Schedule a day of patrols onto the fleet's drones and robots; print it as a table and optionally write JSON.",
            discussion: """
                Plans each mission's route, then assigns every occurrence of its `schedule:` to a drone: battery \
                and reserve, charging turnaround, windows, weather, priorities and airspace separation. \
                Robot rounds (`kind: robot_round` with a `schedule:`) go to the robots of their station: sensors, \
                battery, charging turnaround, and one robot at a time on a narrow path edge. \
                Occurrences that do not fit are listed with the reason. See docs/scheduling.md.
                """)

        @Option(help: "The day to schedule, YYYY-MM-DD, in the fleet's time zone.")
        var day: String

        @Option(help: "The fleet file (default: geo/mumianling/fleet.yaml).")
        var fleet: String?

        @Option(help: "Write the schedule as JSON to this file.")
        var json: String?

        @Option(
            name: .customLong("outage"),
            help: "A hive, drone, robot or robot station out of service from a local time on, as ID@HH:MM (repeatable)."
        )
        var outages: [String] = []

        @Argument(help: "Mission files (default: every mission in missions/ that has a schedule).")
        var missions: [String] = []

        func validate() throws {
            guard Self.parseDay(day) != nil else {
                throw ValidationError("--day `\(day)` is not a date as YYYY-MM-DD")
            }
            for outage in outages where Self.parseOutage(outage) == nil {
                throw ValidationError("--outage `\(outage)` is not ID@HH:MM")
            }
        }

        func run() async throws {
            let fleetFile = fleet.map { URL(fileURLWithPath: $0) } ?? ProjectFiles.locate("geo/mumianling/fleet.yaml")
            let problem: ScheduleProblem
            var rounds: [RobotRoundTask] = []
            let zone: TimeZone
            do {
                let loadedFleet = try Fleet.load(from: fleetFile)
                zone = TimeZone(identifier: loadedFleet.timeZone)!
                var tasks: [PatrolTask] = []
                var positions: [String: XY]?
                for file in try missionFiles() {
                    let loaded = try Mission.load(from: file)
                    guard loaded.mission.schedule != nil else {
                        print("note: \(file.path): mission `\(loaded.mission.id)` has no schedule; skipped")
                        continue
                    }
                    guard loaded.site.id == loadedFleet.siteID else {
                        throw ValidationError(
                            "\(file.path): mission `\(loaded.mission.id)` is on site `\(loaded.site.id)`, "
                                + "the fleet on `\(loadedFleet.siteID)`")
                    }
                    if positions == nil {
                        positions = try ScheduleProblem.hivePositions(of: loadedFleet, site: loaded.site)
                    }
                    if let round = try RobotRoundTask(mission: loaded.mission, site: loaded.site) {
                        rounds.append(round)
                        continue
                    }
                    let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
                    tasks.append(PatrolTask(mission: loaded.mission, plan: plan)!)
                }
                guard let positions else { throw ValidationError("no mission with a schedule to plan") }
                let known = Set(
                    loadedFleet.hives.map(\.id) + loadedFleet.drones.map(\.id) + loadedFleet.robots.map(\.id)
                        + loadedFleet.robots.map(\.station))
                for (subject, _) in outages.compactMap(Self.parseOutage) where !known.contains(subject) {
                    throw ValidationError(
                        "--outage: the fleet has no hive, drone, robot or station `\(subject)`; it has: "
                            + known.sorted().joined(separator: ", "))
                }
                problem = ScheduleProblem(
                    fleet: loadedFleet, hivePositions: positions, patrols: tasks,
                    outages: outages.compactMap(Self.parseOutage).map {
                        Outage(subject: $0.0, from: $0.1, reason: "out of service")
                    })
            } catch let error as ValidationError {
                throw error
            } catch { throw fail(error) }

            let clock = ContinuousClock()
            var schedule = DaySchedule()
            var robotSchedule = RobotSchedule()
            let elapsed = clock.measure {
                schedule = Scheduler.schedule(problem)
                robotSchedule = RobotScheduler.schedule(rounds, robots: problem.fleet.robots, outages: problem.outages)
            }
            let midnight = Self.midnight(of: Self.parseDay(day)!, in: zone)
            ScheduleTable.print(
                schedule, robots: robotSchedule, problem: problem, day: day, zone: zone, elapsed: elapsed)
            if let json {
                do {
                    let data = try ScheduleJSON.data(
                        schedule, robots: robotSchedule, day: day, zone: zone, midnight: midnight)
                    try data.write(to: URL(fileURLWithPath: json))
                } catch { throw fail(error) }
                print("\nwrote \(json)")
            }
        }

        func missionFiles() throws -> [URL] {
            if !missions.isEmpty { return missions.map { URL(fileURLWithPath: $0) } }
            let folder = ProjectFiles.locate("missions")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
                $0.hasSuffix(".yaml")
            }
            return names.sorted().map { folder.appendingPathComponent($0) }
        }

        static func parseDay(_ text: String) -> DateComponents? {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
            else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let components = DateComponents(year: y, month: m, day: d)
            guard components.isValidDate(in: calendar) else { return nil }
            return components
        }

        static func parseOutage(_ text: String) -> (String, Double)? {
            let parts = text.split(separator: "@")
            guard parts.count == 2 else { return nil }
            let time = parts[1].split(separator: ":")
            guard time.count == 2, let h = Int(time[0]), let m = Int(time[1]), (0...23).contains(h),
                (0...59).contains(m)
            else { return nil }
            return (String(parts[0]), Double(h * 3600 + m * 60))
        }

        static func midnight(of day: DateComponents, in zone: TimeZone) -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            return calendar.date(from: day)!
        }
    }
}
