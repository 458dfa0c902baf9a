import Foundation
import PatrolGeo
import PatrolModel

extension RouteCheck {
    /// The checks that are about how the vehicle flies: altitude, climb and descent, turns, endurance.
    enum FlightRules {
        /// No waypoint higher than `limit` metres above ground.
        static func altitude(_ legs: [Leg], limit: Double) -> [Finding] {
            legs.filter { $0.endAGL > limit }.map { leg in
                Finding(
                    location: .waypoint(leg.to), rule: .maxAltitude, excess: leg.endAGL - limit, at: [leg.b],
                    message: "\(Figures.metres(leg.endAGL)) AGL is \(Figures.metres(leg.endAGL - limit)) above the "
                        + "\(Figures.metres(limit)) limit")
            }
        }

        /// No leg climbs or descends faster than the limits at the leg's speed. Vertical legs (take-off,
        /// landing, changing level on the spot) are flown at ``CoveragePlanner/verticalSpeed``.
        static func rates(_ legs: [Leg], limits: FlightLimits) -> [Finding] {
            var findings: [Finding] = []
            for leg in legs {
                let change = leg.endAGL - leg.startAGL
                guard abs(change) > 0.01 else { continue }
                let rate =
                    leg.horizontal < 0.5 ? CoveragePlanner.verticalSpeed : abs(change) * leg.speed / leg.horizontal
                let (rule, limit, verb) =
                    change > 0
                    ? (Rule.climb, limits.maxClimbRate, "climbs") : (.descent, limits.maxDescentRate, "descends")
                guard rate > limit + 1e-9 else { continue }
                findings.append(
                    Finding(
                        location: leg.location, rule: rule, excess: rate - limit, at: leg.ends,
                        message: "\(verb) \(Figures.metres(abs(change))) over \(Figures.metres(leg.horizontal)) "
                            + "at \(Figures.tenths(rate)) m/s, \(Figures.tenths(rate - limit)) m/s over the "
                            + "\(Figures.tenths(limit)) m/s limit"))
            }
            return findings
        }

        /// No change of heading sharper than `limit` degrees between two horizontal legs.
        static func turns(_ legs: [Leg], limit: Double) -> [Finding] {
            let moving = legs.filter { $0.horizontal >= 0.5 }
            var findings: [Finding] = []
            for (first, second) in zip(moving, moving.dropFirst()) where first.to == second.from {
                let u = first.b - first.a
                let v = second.b - second.a
                let cosine = max(-1, min(1, u.dot(v) / (u.length * v.length)))
                let turn = acos(cosine) * 180 / .pi
                guard turn > limit + 1e-6 else { continue }
                findings.append(
                    Finding(
                        location: .waypoint(first.to), rule: .turn, excess: turn - limit, at: [first.b],
                        message: "turns \(Figures.tenths(turn))°, \(Figures.tenths(turn - limit))° sharper than "
                            + "the \(Figures.tenths(limit))° limit"))
            }
            return findings
        }

        /// The route's duration fits the battery with its reserve.
        static func endurance(_ duration: Double, limits: FlightLimits) -> [Finding] {
            guard duration > limits.usableEndurance else { return [] }
            let minutes = { (s: Double) in Figures.tenths(s / 60) }
            return [
                Finding(
                    location: .route, rule: .endurance, excess: duration - limits.usableEndurance,
                    message: "needs \(minutes(duration)) min, \(minutes(duration - limits.usableEndurance)) min more "
                        + "than the \(minutes(limits.usableEndurance)) min a \(minutes(limits.endurance))-min battery "
                        + "gives with a \(Figures.tenths(limits.reserve * 100)) % reserve")
            ]
        }
    }
}
