import Foundation
import PatrolLink
import PatrolModel

extension SimulatedDrone {
    /// Seconds a landing that missed the pad's tolerance costs: lift off, re-centre, come down again.
    static let landingRetryTime: TimeInterval = 10

    /// Waits, motors off, for the hive's door to open; nothing without a hive.
    func leaveDock() async throws(Failure) {
        guard let dock else { return }
        dock.openDoor()
        var waited: TimeInterval = 0
        while !dock.canPass {
            if dock.doorStuck { throw Failure(message: "hive \(dock.id): door stuck while opening") }
            try await idleTick(hovering: false)
            waited += 1 / scenario.telemetryRate
            if waited > 600 { throw Failure(message: "hive \(dock.id): door did not open in 600 s") }
        }
    }

    /// Lands on the hive's pad: hovers until its door is open, touches down (again, when it missed
    /// the tolerance), and lets the hive report the drone docked before `landed` is sent.
    /// - Returns: the landing's words for the `landed` event's detail; empty without a hive.
    func comeIntoDock() async throws(Failure) -> String {
        guard let dock else { return "" }
        var waited: TimeInterval = 0
        while dock.doorMoving, waited < 120 {
            try await idleTick(hovering: true)
            waited += 1 / scenario.telemetryRate
        }
        let landing = dock.land(battery: battery)
        var retry: TimeInterval = 0
        while retry < Double(landing.attempts - 1) * Self.landingRetryTime {
            try await idleTick(hovering: true)
            retry += 1 / scenario.telemetryRate
        }
        summary.landing = landing
        dock.step()
        try await settleDock()
        let tries = landing.attempts == 1 ? "1 touch-down" : "\(landing.attempts) touch-downs"
        if landing.docked {
            return String(format: ", on the pad of %@ %.2f m from its centre (%@)", dock.id, landing.offset, tries)
        }
        let why = dock.canPass ? "no touch-down within the pad's tolerance" : "its door is not open"
        return String(format: ", beside the pad of %@, not charging: %@ (%@)", dock.id, why, tries)
    }

    /// One tick on the pad or hovering over it: the clock advances, the hive steps, both sync.
    func idleTick(hovering: Bool) async throws(Failure) {
        let dt = 1 / scenario.telemetryRate
        clock.advance(by: dt)
        if hovering { energyUsedWh += scenario.drone.hoverPowerW * dt / 3600 }
        dock?.step()
        if takeoffAt == nil {
            try await barrier()
        } else {
            try await linkTick()
        }
        try await settleDock()
    }

    /// Waits until the coordinator has handled everything the hive sent.
    func settleDock() async throws(Failure) {
        guard let dock else { return }
        do { try await dock.settle() } catch { throw Failure(message: error.message) }
    }
}
