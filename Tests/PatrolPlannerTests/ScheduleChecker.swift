import PatrolGeo
import PatrolModel
import PatrolPlanner

/// Checks a schedule against its problem without using the scheduler's own search: every rule
/// the scheduler promises, written out again.
enum ScheduleChecker {
    static func violations(_ schedule: DaySchedule, _ problem: ScheduleProblem) -> [String] {
        var found: [String] = []
        let eps = 1e-6
        for s in schedule.sorties {
            let name = "\(s.patrol)@\(s.due) on \(s.drone)"
            guard let patrol = problem.patrols.first(where: { $0.id == s.patrol }),
                let drone = problem.fleet.drone(s.drone), let hive = problem.fleet.hive(drone.hive)
            else {
                found.append("\(name): unknown patrol, drone or hive")
                continue
            }
            if !patrol.schedule.payload.isSubset(of: drone.payload) { found.append("\(name): payload missing") }
            if s.hive != hive.id { found.append("\(name): flown from the wrong hive") }
            if s.start < s.due - eps || s.start > s.due + patrol.schedule.window + eps {
                found.append("\(name): starts at \(s.start), outside its window")
            }
            let calm = patrol.profile(from: problem.hivePositions[hive.id]!, resumeAt: s.resumeFrom, drone: drone)
            if s.energyWh < calm.energyWh - eps { found.append("\(name): energy below the calm-air figure") }
            if s.energyWh > drone.usableWh + eps { found.append("\(name): energy above battery minus reserve") }
            if s.chargeAfterWh < drone.reserveWh - eps { found.append("\(name): lands below reserve") }
            if abs(s.chargeBeforeWh - s.energyWh - s.chargeAfterWh) > eps {
                found.append("\(name): charge bookkeeping")
            }
            for o in problem.outages
            where (o.subject == drone.id || o.subject == hive.id) && o.from < s.end && o.to > s.start {
                found.append("\(name): flies during an outage of \(o.subject)")
            }
            for p in problem.forecast.periods where p.from < s.end && p.to > s.start {
                if hive.weatherLimits.violation(by: p.weather) != nil
                    || patrol.schedule.weatherLimits.violation(by: p.weather) != nil
                {
                    found.append("\(name): flies in weather outside its limits")
                }
            }
        }
        // Battery and turnaround, per drone, simulated again from the start of the day.
        for drone in problem.fleet.drones {
            let hive = problem.fleet.hive(drone.hive)!
            var level = drone.initialChargeWh
            var docked: Double?
            for s in schedule.sorties.filter({ $0.drone == drone.id }).sorted(by: { $0.start < $1.start }) {
                if let docked, s.start < docked - eps {
                    found.append("\(s.patrol) on \(drone.id): launches inside turnaround")
                }
                level = hive.charging.charge(capacity: drone.batteryWh, from: level, after: s.start - (docked ?? 0))
                if abs(level - s.chargeBeforeWh) > 1e-3 {
                    found.append("\(s.patrol) on \(drone.id): charge at launch differs")
                }
                level -= s.energyWh
                if level < drone.reserveWh - eps {
                    found.append("\(s.patrol) on \(drone.id): exceeds battery minus reserve")
                }
                docked = s.end + hive.turnaround
            }
        }
        // Airspace and pads, pairwise.
        let all = schedule.sorties
        for i in all.indices {
            for j in all.indices where j > i && all[i].drone != all[j].drone {
                let a = all[i]
                let b = all[j]
                let b1 = problem.horizontalBuffer
                if a.hive == b.hive
                    && (abs(a.start - b.start) < problem.padInterval - eps
                        || abs(a.end - b.end) < problem.padInterval - eps)
                {
                    found.append("\(a.drone) and \(b.drone): pad of \(a.hive) used within \(problem.padInterval) s")
                }
                guard a.start < b.end, b.start < a.end else { continue }
                let overlapX = a.bounds.min.x - b1 <= b.bounds.max.x + b1 && b.bounds.min.x - b1 <= a.bounds.max.x + b1
                let overlapY = a.bounds.min.y - b1 <= b.bounds.max.y + b1 && b.bounds.min.y - b1 <= a.bounds.max.y + b1
                let gap = max(a.lowest - b.highest, b.lowest - a.highest)
                if overlapX && overlapY && gap < problem.verticalSeparation {
                    found.append(
                        "\(a.drone) (\(a.patrol)) and \(b.drone) (\(b.patrol)): same airspace at the same time")
                }
            }
        }
        // Every occurrence is either flown once or unscheduled with a reason.
        for patrol in problem.patrols {
            for due in patrol.schedule.recurrence.dueTimes {
                let flown = schedule.sorties.filter { $0.patrol == patrol.id && $0.due == due }.count
                let missing = schedule.unscheduled.filter { $0.patrol == patrol.id && $0.due == due }
                if flown + missing.count != 1 {
                    found.append("\(patrol.id)@\(due): flown \(flown), unscheduled \(missing.count)")
                }
                for u in missing where u.reason.code.isEmpty || u.reason.message.isEmpty {
                    found.append("\(patrol.id)@\(due): unscheduled without a reason")
                }
            }
        }
        return found
    }
}
