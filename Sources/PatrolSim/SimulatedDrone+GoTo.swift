import PatrolGeo
import PatrolLink
import PatrolModel

extension SimulatedDrone {
    /// Why the drone refuses a `go_to`.
    struct GoToRefusal: Error {
        var message: String
    }

    /// The highest a `go_to` may send the drone, metres above its take-off point (the usual legal ceiling).
    static let goToCeiling = 120.0

    /// Turns a `go_to` into a detour of `k`: heights from the hive's pad (`takeoff`) or from sea
    /// level (`amsl`, less the hive's ground elevation); `agl` is refused, as this drone has no
    /// terrain sensor.
    func goTo(_ command: Command, _ k: inout Kinematics) -> Result<Void, GoToRefusal> {
        guard let position = command.position, let altitude = command.altitude,
            let reference = command.altitudeReference
        else { return .failure(GoToRefusal(message: "go_to needs position, altitude and altitude_reference")) }
        let height: Double
        switch reference {
        case .takeoff: height = altitude
        case .amsl: height = altitude - hive.groundElevation
        case .agl: return .failure(GoToRefusal(message: "no terrain sensor: give the altitude as takeoff or amsl"))
        }
        guard height.isFinite, (2...Self.goToCeiling).contains(height) else {
            return .failure(
                GoToRefusal(
                    message: "altitude \(altitude) m \(reference.rawValue) is \(height) m above the take-off point, "
                        + "outside 2 to \(Int(Self.goToCeiling)) m"))
        }
        let speed = command.speed ?? k.currentLeg?.speed ?? 8
        guard speed.isFinite, (0.5...20).contains(speed) else {
            return .failure(GoToRefusal(message: "speed \(speed) m/s is outside 0.5 to 20 m/s"))
        }
        guard position.isValid, let target = try? frame.project(position) else {
            return .failure(GoToRefusal(message: "position \(position) cannot be placed on the site"))
        }
        k.goTo(target, altitude: height, speed: speed)
        return .success(())
    }
}
