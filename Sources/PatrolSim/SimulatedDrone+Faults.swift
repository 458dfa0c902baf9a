import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel

/// Faults a scenario injects into a drone (``Fault``: `gps_loss`, `battery_failure`) and the
/// low-battery failsafe.
///
/// - **GPS loss**: no position fix from `at_s` for `for_s` seconds. The drone holds where it is
///   (telemetry: state `paused`, the last fix as its position, no noise) and reports a `failsafe`
///   event `gps lost: holding`. When the fix is back within ``gpsHoldLimit`` seconds it resumes
///   its route (`failsafe` `gps back: resuming`); after that long without one it flies home by dead
///   reckoning (`failsafe` `gps lost for N s: returning to hive`).
/// - **Battery failure**: at `at_s` the remaining energy falls to `capacity` of what it was.
/// - **Low battery**: below the reserve the drone returns to its hive if the energy to get there
///   and land (plus 10 %) is still in the pack, else lands where it is (``DroneModel/lowBattery``),
///   and reports a `failsafe` event saying which.
extension SimulatedDrone {
    /// Applies the faults due at the clock's time and the low-battery failsafe; changes ``kinematics``.
    func checkFaults() {
        guard var k = kinematics, !k.isFinished else { return }
        let elapsed = clock.now().timeIntervalSince(scenario.start)
        for (index, fault) in faults.enumerated() where fault.kind == .batteryFailure && !faultsApplied.contains(index)
        {
            guard elapsed >= fault.at else { continue }
            faultsApplied.insert(index)
            let remaining = max(0, scenario.drone.batteryWh - energyUsedWh) * fault.capacity
            energyUsedWh = scenario.drone.batteryWh - remaining
            logger.warning("battery failed", metadata: ["device.id": "\(scenario.drone.id)"])
        }
        let gpsLost = faults.contains { $0.kind == .gpsLoss && $0.active(at: elapsed) }
        if gpsLost, gpsLostSince == nil {
            gpsLostSince = clock.now()
            heldFix = k.position
            if !returningForFailsafe {
                k.paused = true
                event(.failsafe, detail: "gps lost: holding")
            }
        } else if gpsLost, let since = gpsLostSince, !returningForFailsafe,
            clock.now().timeIntervalSince(since) >= gpsHoldLimit, let home = try? frame.project(hive.position)
        {
            Self.returnHome(&k, to: home)
            returningForFailsafe = true
            summary.failsafeAt = summary.failsafeAt ?? clock.now()
            event(.failsafe, detail: String(format: "gps lost for %.0f s: returning to hive", gpsHoldLimit))
        } else if !gpsLost, gpsLostSince != nil {
            gpsLostSince = nil
            heldFix = nil
            if !returningForFailsafe {
                k.paused = false
                event(.failsafe, detail: "gps back: resuming")
            }
        }
        if battery < reserve, lowBatteryAction == nil, k.altitude > 1, let home = try? frame.project(hive.position) {
            let speed = k.currentLeg?.speed ?? 8
            let action = DroneModel.lowBattery(
                remainingWh: max(0, scenario.drone.batteryWh - energyUsedWh), distanceHome: (home - k.position).length,
                groundSpeed: speed, altitude: k.altitude, cruiseW: scenario.drone.cruisePowerW,
                hoverW: scenario.drone.hoverPowerW, descentRate: scenario.drone.climbRate)
            lowBatteryAction = action
            switch action {
            case .returnToHive:
                Self.returnHome(&k, to: home)
                returningForFailsafe = true
            case .land:
                k.legs =
                    Array(k.legs.prefix(k.legIndex)) + [
                        Kinematics.Leg(target: k.position, altitude: 0, kind: .land, speed: speed)
                    ]
                k.paused = false
                returningForFailsafe = true
            }
            summary.failsafeAt = summary.failsafeAt ?? clock.now()
            summary.lowBattery = action
            event(
                .failsafe,
                detail: String(
                    format: "battery %.0f%% below the %.0f%% reserve: %@", battery * 100, reserve * 100,
                    action == .returnToHive ? "returning to hive" : "landing here"))
        }
        kinematics = k
    }
}
