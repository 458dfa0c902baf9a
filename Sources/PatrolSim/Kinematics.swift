import Foundation
import PatrolGeo
import PatrolModel

/// A multirotor's motion along a route in site metres: horizontal legs at cruise speed with
/// the climb rate limiting height changes, vertical legs (take-off, landing) at the climb rate.
struct Kinematics {
    struct Leg {
        var target: XY
        var altitude: Double
        var kind: Waypoint.Kind
        var speed: Double
    }

    var position: XY
    var altitude: Double = 0
    /// Index of the leg being flown (the waypoint it ends at).
    var legIndex = 0
    var legs: [Leg]
    let climbRate: Double
    /// Horizontal velocity of the last step, metres per second.
    var velocity = XY(0, 0)
    var verticalSpeed = 0.0
    var paused = false
    /// The most horizontal acceleration, m/s²; `nil` flies each leg at its speed at once.
    var maxAcceleration: Double?
    /// The wind the drone flies through (east, north), m/s, when it drifts with it: a leg's speed
    /// is then its airspeed, and the ground speed along the leg is ``DroneModel/groundSpeed``.
    var wind = XY(0, 0)
    /// The airspeed along the current leg (with ``maxAcceleration`` or ``wind``).
    var airspeed = 0.0
    /// Legs flown before the route's current leg without moving ``legIndex``: a `go_to` target and
    /// the way back to where the route was left.
    var detour: [Leg] = []
    /// The vehicle holds (pauses) when ``detour`` is down to this many legs: at a `go_to` target.
    var holdAtDetourCount: Int?

    init(start: XY, legs: [Leg], climbRate: Double) {
        position = start
        self.legs = legs
        self.climbRate = climbRate
    }

    var isFinished: Bool { legIndex >= legs.count }
    var currentLeg: Leg? { isFinished ? nil : legs[legIndex] }

    /// Replaces the rest of the route with a return to `home` at `altitude` and a landing.
    mutating func returnHome(_ home: XY, altitude: Double, speed: Double) {
        let remaining = [
            Leg(target: position, altitude: altitude, kind: .transit, speed: speed),
            Leg(target: home, altitude: altitude, kind: .transit, speed: speed),
            Leg(target: home, altitude: 0, kind: .land, speed: speed),
        ]
        legs = Array(legs.prefix(legIndex)) + remaining
        detour = []
        holdAtDetourCount = nil
    }

    /// Leaves the route for `target` at `altitude` and holds there; on `resume` the vehicle flies
    /// back to where it left the route, at the height it had, and goes on with the route. A second
    /// `go_to` replaces the first one's target, keeping the way back to the route.
    mutating func goTo(_ target: XY, altitude: Double, speed: Double) {
        let back = detour.last ?? Leg(target: position, altitude: self.altitude, kind: .transit, speed: speed)
        detour = [Leg(target: target, altitude: altitude, kind: .transit, speed: speed), back]
        holdAtDetourCount = 1
        paused = false
    }

    /// Advances `dt` seconds; returns the legs completed during the step.
    mutating func step(_ dt: Double) -> [Int] {
        if maxAcceleration != nil || wind != XY(0, 0) { return stepWithInertia(dt) }
        var completed: [Int] = []
        var time = dt
        let start = position
        let startAltitude = altitude
        while time > 1e-9, !paused, let leg = detour.first ?? currentLeg {
            let toGo = leg.target - position
            let distance = toGo.length
            let climb = leg.altitude - altitude
            let horizontalTime = distance / leg.speed
            let verticalTime = abs(climb) / climbRate
            let needed = max(horizontalTime, verticalTime)
            if needed <= time {
                position = leg.target
                altitude = leg.altitude
                time -= needed
                if !detour.isEmpty {
                    detour.removeFirst()
                    if detour.count == holdAtDetourCount {
                        paused = true
                        holdAtDetourCount = nil
                    }
                } else {
                    completed.append(legIndex)
                    legIndex += 1
                }
            } else {
                let fraction = time / needed
                position = position + toGo * fraction
                altitude += climb * fraction
                time = 0
            }
        }
        velocity = (position - start) * (1 / dt)
        verticalSpeed = (altitude - startAltitude) / dt
        return completed
    }

    /// One step with an acceleration limit and wind drift: the airspeed moves towards the leg's
    /// speed by at most `maxAcceleration × dt`, the ground speed along the leg is the airspeed
    /// crabbing into the crosswind plus the along-track wind, and height changes at the climb
    /// rate on its own. At a waypoint only the airspeed along the next leg is kept (a turn bleeds
    /// speed); a step ends at a waypoint.
    mutating func stepWithInertia(_ dt: Double) -> [Int] {
        var completed: [Int] = []
        let start = position
        let startAltitude = altitude
        if !paused, let leg = currentLeg {
            let toGo = leg.target - position
            let distance = toGo.length
            let climb = leg.altitude - altitude
            if distance > 1e-9 {
                let most = (maxAcceleration ?? .infinity) * dt
                airspeed = leg.speed > airspeed ? min(leg.speed, airspeed + most) : max(leg.speed, airspeed - most)
                let track = toGo * (1 / distance)
                let ground = DroneModel.groundSpeed(airspeed: airspeed, track: track, wind: wind) ?? 0
                position = ground * dt >= distance ? leg.target : position + track * (ground * dt)
            } else {
                airspeed = 0
            }
            let vertical = min(abs(climb), climbRate * dt)
            altitude = vertical >= abs(climb) ? leg.altitude : altitude + (climb > 0 ? vertical : -vertical)
            if position == leg.target, altitude == leg.altitude {
                completed.append(legIndex)
                legIndex += 1
                if let next = currentLeg {
                    let after = next.target - position
                    airspeed *=
                        after.length > 1e-9 && distance > 1e-9 ? max(0, after.dot(toGo) / (after.length * distance)) : 0
                }
            }
        }
        velocity = (position - start) * (1 / dt)
        verticalSpeed = (altitude - startAltitude) / dt
        return completed
    }
}
