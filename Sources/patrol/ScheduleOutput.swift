import Foundation
import PatrolModel
import PatrolPlanner

/// The day as a table for people.
enum ScheduleTable {
    static func print(
        _ schedule: DaySchedule, robots: RobotSchedule = RobotSchedule(), problem: ScheduleProblem, day: String,
        zone: TimeZone, elapsed: Duration
    ) {
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        Swift.print(
            "day      \(day) (\(zone.identifier)), \(problem.patrols.count) patrol(s), "
                + "\(problem.fleet.drones.count) drone(s)"
                + (robots.sorties.isEmpty && robots.unscheduled.isEmpty
                    ? "" : ", \(problem.fleet.robots.count) robot(s)"))
        Swift.print(
            String(
                format: "result   %d sortie(s), %d unscheduled, scheduled in %.1f ms",
                schedule.sorties.count + robots.sorties.count, schedule.unscheduled.count + robots.unscheduled.count,
                ms))
        Swift.print("\nvehicle     hive      start  end    mission               energy Wh  battery after")
        for s in schedule.sorties {
            let battery = problem.fleet.drone(s.drone)?.batteryWh ?? 1
            let row =
                s.drone.padded(12) + s.hive.padded(10) + hhmm(s.start).padded(7) + hhmm(s.end).padded(7)
                + (s.patrol + (s.resumeFrom > 0 ? " (from wp \(s.resumeFrom))" : "")).padded(22)
            Swift.print(
                row
                    + String(
                        format: "%9.1f  %6.1f Wh (%3.0f %%)", s.energyWh, s.chargeAfterWh,
                        100 * s.chargeAfterWh / battery))
        }
        if !robots.sorties.isEmpty {
            Swift.print(
                "\nrobot       station   start  end    mission               energy Wh  battery after  narrow edges")
            for s in robots.sorties {
                let battery = problem.fleet.robots.first { $0.id == s.robot }?.batteryWh ?? 1
                let row =
                    s.robot.padded(12) + s.station.padded(10) + hhmm(s.start).padded(7) + hhmm(s.end).padded(7)
                    + s.patrol.padded(22)
                let edges = s.narrowEdges.map { "\($0.edge) \(hhmm($0.from))-\(hhmm($0.to))" }
                Swift.print(
                    row
                        + String(
                            format: "%9.1f  %6.1f Wh (%3.0f %%)", s.energyWh, s.chargeAfterWh,
                            100 * s.chargeAfterWh / battery)
                        + (edges.isEmpty ? "" : "  " + edges.joined(separator: ", ")))
            }
        }
        let unscheduled = (schedule.unscheduled + robots.unscheduled).sorted {
            ($0.due, $0.patrol) < ($1.due, $1.patrol)
        }
        if !unscheduled.isEmpty {
            Swift.print("\nunscheduled")
            Swift.print("due    mission               priority  reason")
            for u in unscheduled {
                Swift.print(
                    hhmm(u.due).padded(7) + u.patrol.padded(22) + "\(u.priority)".padded(10) + u.reason.description)
            }
        }
        for gap in schedule.staleness {
            Swift.print(
                "stale  \(gap.patrol): unseen from \(hhmm(gap.from)) to \(hhmm(gap.to)) "
                    + "(limit \((gap.limit / 360).rounded() / 10) h)")
        }
    }

    static func hhmm(_ seconds: Double) -> String {
        let minutes = Int((seconds / 60).rounded())
        return String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}

/// The day as JSON for machines: every time both as local ISO 8601 and as seconds after midnight.
enum ScheduleJSON {
    struct Document: Encodable {
        var day: String
        var timeZone: String
        var sorties: [SortieRow]
        /// The robots' rounds (drones' sorties are in `sorties`).
        var robotSorties: [RobotRow]
        var unscheduled: [UnscheduledRow]
        var staleness: [StalenessGap]
    }

    struct SortieRow: Encodable {
        var vehicle, hive, mission: String
        var due, start, end: String
        var startSeconds, endSeconds: Double
        var resumeFromWaypoint: Int
        var lengthM, energyWh, batteryBeforeWh, batteryAfterWh: Double
        var priority: Int
    }

    struct RobotRow: Encodable {
        var robot, station, mission: String
        var due, start, end: String
        var startSeconds, endSeconds: Double
        var lengthM, energyWh, batteryBeforeWh, batteryAfterWh: Double
        var priority: Int
        var narrowEdges: [EdgeRow]
    }

    struct EdgeRow: Encodable {
        var edge, from, to: String
    }

    struct UnscheduledRow: Encodable {
        var mission, due: String
        var dueSeconds: Double
        var priority: Int
        var reason, message: String
    }

    static func data(
        _ schedule: DaySchedule, robots: RobotSchedule = RobotSchedule(), day: String, zone: TimeZone, midnight: Date
    ) throws -> Data {
        let iso = ISO8601DateFormatter()
        iso.timeZone = zone
        func at(_ seconds: Double) -> String { iso.string(from: midnight.addingTimeInterval(seconds.rounded())) }
        func r(_ x: Double) -> Double { (x * 10).rounded() / 10 }
        let document = Document(
            day: day, timeZone: zone.identifier,
            sorties: schedule.sorties.map {
                SortieRow(
                    vehicle: $0.drone, hive: $0.hive, mission: $0.patrol, due: at($0.due), start: at($0.start),
                    end: at($0.end),
                    startSeconds: r($0.start), endSeconds: r($0.end), resumeFromWaypoint: $0.resumeFrom,
                    lengthM: r($0.lengthMetres),
                    energyWh: r($0.energyWh), batteryBeforeWh: r($0.chargeBeforeWh),
                    batteryAfterWh: r($0.chargeAfterWh),
                    priority: $0.priority)
            },
            robotSorties: robots.sorties.map {
                RobotRow(
                    robot: $0.robot, station: $0.station, mission: $0.patrol, due: at($0.due), start: at($0.start),
                    end: at($0.end), startSeconds: r($0.start), endSeconds: r($0.end), lengthM: r($0.lengthMetres),
                    energyWh: r($0.energyWh), batteryBeforeWh: r($0.chargeBeforeWh),
                    batteryAfterWh: r($0.chargeAfterWh), priority: $0.priority,
                    narrowEdges: $0.narrowEdges.map { EdgeRow(edge: $0.edge, from: at($0.from), to: at($0.to)) })
            },
            unscheduled: (schedule.unscheduled + robots.unscheduled).sorted {
                ($0.due, $0.patrol) < ($1.due, $1.patrol)
            }
            .map {
                UnscheduledRow(
                    mission: $0.patrol, due: at($0.due), dueSeconds: $0.due, priority: $0.priority,
                    reason: $0.reason.code,
                    message: $0.reason.message)
            },
            staleness: schedule.staleness)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(document)
    }
}
