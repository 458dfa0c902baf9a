import Foundation
import PatrolModel

extension SchedulerState {
    /// The first sortie of `drone` (in time order) that would land below its reserve, with the
    /// charge it would launch with; `nil` when every sortie fits.
    ///
    /// The drone starts the day at ``Drone/initialChargeWh`` and charges by its hive's curve
    /// whenever it is docked, from one turnaround after each landing.
    static func batteryShortfall(_ sorties: [Sortie], drone: Drone, hive: FleetHive) -> (sortie: Sortie, level: Double)?
    {
        var level = drone.initialChargeWh
        var docked = -Double.infinity
        for sortie in sorties.sorted(by: { $0.start < $1.start }) {
            let charging = docked == -.infinity ? max(0, sortie.start) : sortie.start - docked
            level = hive.charging.charge(capacity: drone.batteryWh, from: level, after: charging)
            if level - sortie.energyWh < drone.reserveWh - 1e-9 { return (sortie, level) }
            level -= sortie.energyWh
            docked = sortie.end + hive.turnaround
        }
        return nil
    }

    /// The placed sorties with ``Sortie/chargeBeforeWh`` and ``Sortie/chargeAfterWh`` filled in.
    func withCharges() -> [Sortie] {
        var result: [Sortie] = []
        for drone in problem.fleet.drones {
            guard let hive = problem.fleet.hive(drone.hive) else { continue }
            var level = drone.initialChargeWh
            var docked = -Double.infinity
            for var sortie in sorties.filter({ $0.drone == drone.id }).sorted(by: { $0.start < $1.start }) {
                let charging = docked == -.infinity ? max(0, sortie.start) : sortie.start - docked
                level = hive.charging.charge(capacity: drone.batteryWh, from: level, after: charging)
                sortie.chargeBeforeWh = level
                level -= sortie.energyWh
                sortie.chargeAfterWh = level
                docked = sortie.end + hive.turnaround
                result.append(sortie)
            }
        }
        return result
    }
}

/// `String(format:)` with the C locale, for reasons and tables.
func fmt(_ format: String, _ values: any CVarArg...) -> String {
    String(format: format, locale: posixLocale, arguments: values)
}

private let posixLocale = Locale(identifier: "en_US_POSIX")

/// Seconds after local midnight as `HH:MM`.
func clock(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "end of day" }
    let minutes = Int((seconds / 60).rounded(.down))
    // As `%02d:%02d`, without `String(format:)` (ICU number formatting, slow in the search loop).
    func two(_ n: Int) -> String { (0..<10).contains(n) ? "0\(n)" : "\(n)" }
    return two(minutes / 60) + ":" + two(minutes % 60)
}
