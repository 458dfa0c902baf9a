import Foundation
import PatrolModel
import PatrolPlanner

/// The day as a table for people.
enum ScheduleTable {
    static func print(_ schedule: DaySchedule, problem: ScheduleProblem, day: String, zone: TimeZone, elapsed: Duration)
    {
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        Swift.print(
            "day      \(day) (\(zone.identifier)), \(problem.patrols.count) patrol(s), "
                + "\(problem.fleet.drones.count) drone(s)")
        Swift.print(
            String(
                format: "result   %d sortie(s), %d unscheduled, scheduled in %.1f ms", schedule.sorties.count,
                schedule.unscheduled.count, ms))
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
        if !schedule.unscheduled.isEmpty {
            Swift.print("\nunscheduled")
            Swift.print("due    mission               priority  reason")
            for u in schedule.unscheduled {
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

    struct UnscheduledRow: Encodable {
        var mission, due: String
        var dueSeconds: Double
        var priority: Int
        var reason, message: String
    }

    static func data(_ schedule: DaySchedule, day: String, zone: TimeZone, midnight: Date) throws -> Data {
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
            unscheduled: schedule.unscheduled.map {
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
