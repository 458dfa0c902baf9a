public import PatrolGeo
import PatrolModel

/// A request to go and look at something now: a smoke alarm, a camera sighting.
public struct VerificationRequest: Hashable, Sendable, Codable {
    /// Where to look, site metres.
    public var position: XY
    /// Seconds after local midnight when the request arrived.
    public var time: Double
    /// Altitude to look from, metres above the hive's ground.
    public var altitude: Double
    /// Seconds to hover and look.
    public var hover: Double
    /// Ground speed asked for, metres per second (capped by each drone's maximum).
    public var speed: Double

    public init(position: XY, time: Double, altitude: Double = 60, hover: Double = 120, speed: Double = 12) {
        self.position = position
        self.time = time
        self.altitude = altitude
        self.hover = hover
        self.speed = speed
    }
}

/// The drone sent to look, and the times that matter.
public struct VerificationDispatch: Hashable, Sendable {
    public var drone: String
    public var hive: String
    /// The routine sortie it abandons, and the waypoint that sortie resumes from next time.
    public var preempted: Sortie?
    public var resumeFrom: Int?
    /// Seconds after local midnight: the launch (or divert) command, and arrival overhead.
    public var launchCommand: Double
    public var overhead: Double
    /// Seconds from the request to the launch command (0 for a diverted airborne drone), and
    /// from the request to the drone being overhead.
    public var requestToLaunch: Double
    public var requestToOverhead: Double
    public var energyWh: Double
    /// Charge on landing back at the hive, watt-hours (at least the drone's reserve).
    public var chargeAfterWh: Double
}

/// Picks the drone for an urgent verification sortie.
///
/// Every drone is considered: a docked one launches from its hive once its turnaround is over and
/// it holds the sortie's energy plus its reserve (waiting for the charger if it must), if its hive
/// is in service, not in an outage and within its weather limits; an airborne one can be diverted
/// from its routine sortie at once, if its charge covers the flight from where it is to the target,
/// the look, and home. A docked drone is preferred; a routine sortie is pre-empted only when no
/// docked drone can go, or when diverting gets a drone overhead more than
/// ``preemptionGain`` seconds sooner. The pre-empted patrol resumes, on its next sortie, from
/// the first waypoint it had not reached.
public enum UrgentSortie {
    /// Seconds sooner overhead that justify abandoning a routine sortie when a docked drone could go.
    public static let preemptionGain = 120.0

    /// The dispatch for `request`, or why no drone can go.
    public static func dispatch(
        _ request: VerificationRequest, fleet snapshot: FleetSnapshot, problem: ScheduleProblem
    ) -> Result<VerificationDispatch, Unscheduled.Reason> {
        var docked: [VerificationDispatch] = []
        var airborne: [VerificationDispatch] = []
        var reasons: [Unscheduled.Reason] = []
        for status in snapshot.drones {
            guard let drone = problem.fleet.drone(status.drone), let hive = problem.fleet.hive(status.hive),
                let hiveXY = problem.hivePositions[hive.id]
            else { continue }
            switch candidate(request, status: status, drone: drone, hive: hive, hiveXY: hiveXY, problem: problem) {
            case .success(let d): if d.preempted == nil { docked.append(d) } else { airborne.append(d) }
            case .failure(let reason): reasons.append(reason)
            }
        }
        let order = { (a: VerificationDispatch, b: VerificationDispatch) in
            (a.overhead, a.drone) < (b.overhead, b.drone)
        }
        let bestDocked = docked.min(by: order)
        let bestAirborne = airborne.min(by: order)
        switch (bestDocked, bestAirborne) {
        case (let d?, let a?): return .success(a.overhead + preemptionGain < d.overhead ? a : d)
        case (let d?, nil): return .success(d)
        case (nil, let a?): return .success(a)
        case (nil, nil):
            let text = reasons.map(\.message).joined(separator: "; ")
            return .failure(.offline(text.isEmpty ? "the fleet has no drones" : text))
        }
    }

    static func candidate(
        _ request: VerificationRequest, status: FleetSnapshot.DroneStatus, drone: Drone, hive: FleetHive, hiveXY: XY,
        problem: ScheduleProblem
    ) -> Result<VerificationDispatch, Unscheduled.Reason> {
        let t = request.time
        let v = min(request.speed, drone.maxSpeed)
        let vz = drone.consumption.verticalSpeed
        let wind = problem.forecast.worstWind(from: t, to: t + 1800)
        let back = request.position.distance(to: hiveXY)
        if let sortie = status.flying {
            let out = status.position.distance(to: request.position)
            let climb = max(0, request.altitude - status.altitude)
            let energy = drone.consumption.energyWh(
                level: (out + back) / v, climbing: climb / vz, hovering: request.hover + request.altitude / vz,
                wind: wind)
            guard status.chargeWh - energy >= drone.reserveWh else {
                return .failure(
                    .battery(
                        fmt("\(drone.id) (airborne) has %.0f Wh, needs %.0f Wh plus reserve", status.chargeWh, energy)))
            }
            let overhead = t + climb / vz + out / v
            return .success(
                VerificationDispatch(
                    drone: drone.id, hive: hive.id, preempted: sortie, resumeFrom: status.nextWaypoint,
                    launchCommand: t,
                    overhead: overhead, requestToLaunch: 0, requestToOverhead: overhead - t, energyWh: energy,
                    chargeAfterWh: status.chargeWh - energy))
        }
        guard drone.state.isSchedulable, hive.state.isSchedulable else {
            return .failure(.offline("\(drone.id) or \(hive.id) is out of service"))
        }
        if let outage = problem.outages.first(where: {
            ($0.subject == drone.id || $0.subject == hive.id) && $0.from <= t && $0.to > t
        }) {
            return .failure(.offline("\(outage.subject) \(outage.reason)"))
        }
        for period in problem.forecast.periods(from: t, to: t + 1) {
            if let v = hive.weatherLimits.violation(by: period.weather) {
                return .failure(.weather("\(hive.id): \(v)"))
            }
        }
        let energy = drone.consumption.energyWh(
            level: 2 * back / v, climbing: request.altitude / vz, hovering: request.hover + request.altitude / vz,
            wind: wind)
        guard energy <= drone.usableWh else {
            return .failure(
                .battery(fmt("\(drone.id) needs %.0f Wh, holds %.0f Wh above reserve", energy, drone.usableWh)))
        }
        let need = energy + drone.reserveWh
        let wait = hive.charging.seconds(capacity: drone.batteryWh, from: status.chargeWh, to: need)
        let command = max(t, status.readyAt) + wait
        let overhead = command + hive.launchDelay + request.altitude / vz + back / v
        let charge = hive.charging.charge(capacity: drone.batteryWh, from: status.chargeWh, after: command - t)
        return .success(
            VerificationDispatch(
                drone: drone.id, hive: hive.id, preempted: nil, resumeFrom: nil, launchCommand: command,
                overhead: overhead, requestToLaunch: command - t, requestToOverhead: overhead - t, energyWh: energy,
                chargeAfterWh: charge - energy))
    }
}
