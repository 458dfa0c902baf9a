public import PatrolGeo
public import PatrolModel

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
        let wind = problem.forecast.worstWind(from: t, to: t + 1800)
        if let sortie = status.flying {
            return airborne(
                request, drone: drone, position: status.position, altitude: status.altitude,
                chargeWh: status.chargeWh, homeXY: hiveXY, sortie: sortie.patrol, wind: wind
            ).map { e in
                VerificationDispatch(
                    drone: drone.id, hive: hive.id, preempted: sortie, resumeFrom: status.nextWaypoint,
                    launchCommand: t + e.toCommand, overhead: t + e.toOverhead, requestToLaunch: e.toCommand,
                    requestToOverhead: e.toOverhead, energyWh: e.energyWh, chargeAfterWh: e.chargeAfterWh)
            }
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
        return docked(
            request, drone: drone, hive: hive, hiveXY: hiveXY, chargeWh: status.chargeWh,
            readyIn: max(0, status.readyAt - t), wind: wind
        ).map { e in
            VerificationDispatch(
                drone: drone.id, hive: hive.id, preempted: nil, resumeFrom: nil, launchCommand: t + e.toCommand,
                overhead: t + e.toOverhead, requestToLaunch: e.toCommand, requestToOverhead: e.toOverhead,
                energyWh: e.energyWh, chargeAfterWh: e.chargeAfterWh)
        }
    }
}

/// One drone's answer to a verification request: how soon it could be overhead, with what energy.
///
/// Times are seconds from the request; both kinds are judged by ``toOverhead`` (see
/// ``UrgentSortie/earliest(_:)``).
public struct VerificationEstimate: Hashable, Sendable, Codable {
    /// Whether the drone would launch from its hive or be diverted from the sortie it is flying.
    public enum Kind: String, Hashable, Sendable, Codable {
        case docked
        case airborne
    }

    public var drone: String
    public var kind: Kind
    /// For an airborne drone: the sortie it would leave.
    public var sortie: String?
    /// Seconds from the request to the launch (or divert) command.
    public var toCommand: Double
    /// Seconds from the request to the drone being overhead at the look altitude.
    public var toOverhead: Double
    /// Watt-hours for the flight to the target, the look, and home.
    public var energyWh: Double
    /// Charge when landing back at the hive after the look, watt-hours (at least the reserve).
    public var chargeAfterWh: Double

    public init(
        drone: String, kind: Kind, sortie: String? = nil, toCommand: Double, toOverhead: Double, energyWh: Double,
        chargeAfterWh: Double
    ) {
        self.drone = drone
        self.kind = kind
        self.sortie = sortie
        self.toCommand = toCommand
        self.toOverhead = toOverhead
        self.energyWh = energyWh
        self.chargeAfterWh = chargeAfterWh
    }
}

extension UrgentSortie {
    /// How soon a docked drone can be overhead: it launches once it is ready (`readyIn` seconds)
    /// and holds the energy to fly there, climb, look and come back with its reserve (waiting
    /// for its hive's charger if it must), then takes the hive's launch delay, the climb to the
    /// look altitude and the straight line at the request's speed (capped by the drone's).
    ///
    /// Fails with ``Unscheduled/Reason/battery(_:)`` when even a full battery cannot hold the flight.
    public static func docked(
        _ request: VerificationRequest, drone: Drone, hive: FleetHive, hiveXY: XY, chargeWh: Double, readyIn: Double,
        wind: Double
    ) -> Result<VerificationEstimate, Unscheduled.Reason> {
        let v = min(request.speed, drone.maxSpeed)
        let vz = drone.consumption.verticalSpeed
        let back = request.position.distance(to: hiveXY)
        let energy = drone.consumption.energyWh(
            level: 2 * back / v, climbing: request.altitude / vz, hovering: request.hover + request.altitude / vz,
            wind: wind)
        guard energy <= drone.usableWh else {
            return .failure(
                .battery(fmt("\(drone.id) needs %.0f Wh, holds %.0f Wh above reserve", energy, drone.usableWh)))
        }
        let need = energy + drone.reserveWh
        let wait = hive.charging.seconds(capacity: drone.batteryWh, from: chargeWh, to: need)
        let command = max(0, readyIn) + wait
        let overhead = command + hive.launchDelay + request.altitude / vz + back / v
        let charge = hive.charging.charge(capacity: drone.batteryWh, from: chargeWh, after: command)
        return .success(
            VerificationEstimate(
                drone: drone.id, kind: .docked, toCommand: command, toOverhead: overhead, energyWh: energy,
                chargeAfterWh: charge - energy))
    }

    /// How soon an airborne drone can be overhead when diverted at once from `position`
    /// (`altitude` above its hive): the climb to the look altitude, if it is higher, then the
    /// straight line. Its charge must cover that, the look (hovering), the flight from the target
    /// home to `homeXY`, the descent, and leave its reserve.
    ///
    /// Fails with ``Unscheduled/Reason/battery(_:)`` when it does not.
    public static func airborne(
        _ request: VerificationRequest, drone: Drone, position: XY, altitude: Double, chargeWh: Double, homeXY: XY,
        sortie: String?, wind: Double
    ) -> Result<VerificationEstimate, Unscheduled.Reason> {
        let v = min(request.speed, drone.maxSpeed)
        let vz = drone.consumption.verticalSpeed
        let out = position.distance(to: request.position)
        let back = request.position.distance(to: homeXY)
        let climb = max(0, request.altitude - altitude)
        let energy = drone.consumption.energyWh(
            level: (out + back) / v, climbing: climb / vz, hovering: request.hover + request.altitude / vz, wind: wind)
        guard chargeWh - energy >= drone.reserveWh else {
            return .failure(
                .battery(fmt("\(drone.id) (airborne) has %.0f Wh, needs %.0f Wh plus reserve", chargeWh, energy)))
        }
        let overhead = climb / vz + out / v
        return .success(
            VerificationEstimate(
                drone: drone.id, kind: .airborne, sortie: sortie, toCommand: 0, toOverhead: overhead, energyWh: energy,
                chargeAfterWh: chargeWh - energy))
    }

    /// The estimate that gets a drone overhead first; ties go to a docked drone (no routine
    /// sortie is interrupted), then to the drone id.
    public static func earliest(_ estimates: [VerificationEstimate]) -> VerificationEstimate? {
        estimates.min {
            ($0.toOverhead, $0.kind == .docked ? 0 : 1, $0.drone) < (
                $1.toOverhead, $1.kind == .docked ? 0 : 1, $1.drone
            )
        }
    }
}
