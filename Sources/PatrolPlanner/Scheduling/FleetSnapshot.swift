public import PatrolGeo
import PatrolModel

/// Where every drone is, and how charged, at one moment of a scheduled day.
public struct FleetSnapshot: Hashable, Sendable {
    /// One drone at the snapshot's time.
    public struct DroneStatus: Hashable, Sendable {
        public var drone: String
        public var hive: String
        /// Horizontal position, site metres, and altitude above the hive's ground.
        public var position: XY
        public var altitude: Double
        public var chargeWh: Double
        /// The routine sortie it is flying, if airborne.
        public var flying: Sortie?
        /// The first waypoint of that sortie's path not yet reached.
        public var nextWaypoint: Int
        /// When a docked drone can next launch (after its turnaround).
        public var readyAt: Double

        public init(
            drone: String, hive: String, position: XY, altitude: Double, chargeWh: Double, flying: Sortie? = nil,
            nextWaypoint: Int = 0, readyAt: Double
        ) {
            self.drone = drone
            self.hive = hive
            self.position = position
            self.altitude = altitude
            self.chargeWh = chargeWh
            self.flying = flying
            self.nextWaypoint = nextWaypoint
            self.readyAt = readyAt
        }
    }

    /// Seconds after local midnight.
    public var time: Double
    public var drones: [DroneStatus]

    public init(time: Double, drones: [DroneStatus]) {
        self.time = time
        self.drones = drones
    }

    /// The fleet at `time` if every sortie of `schedule` flies as planned: airborne drones are
    /// placed along their path at constant speed after the climb, with charge falling linearly
    /// over the sortie; docked drones charge by their hive's curve after each turnaround.
    public static func at(_ time: Double, schedule: DaySchedule, problem: ScheduleProblem) -> FleetSnapshot {
        var result: [DroneStatus] = []
        for drone in problem.fleet.drones {
            guard let hive = problem.fleet.hive(drone.hive), let hiveXY = problem.hivePositions[hive.id] else {
                continue
            }
            let mine = schedule.sorties.filter { $0.drone == drone.id }.sorted { $0.start < $1.start }
            if let sortie = mine.first(where: { $0.start <= time && time < $0.end }),
                let patrol = problem.patrols.first(where: { $0.id == sortie.patrol })
            {
                let fraction = (time - sortie.start) / (sortie.end - sortie.start)
                let (xy, altitude, next) = position(of: patrol, sortie: sortie, hiveXY: hiveXY, drone: drone, at: time)
                result.append(
                    DroneStatus(
                        drone: drone.id, hive: hive.id, position: xy, altitude: altitude,
                        chargeWh: sortie.chargeBeforeWh - sortie.energyWh * fraction, flying: sortie,
                        nextWaypoint: next, readyAt: sortie.end + hive.turnaround))
                continue
            }
            let last = mine.last { $0.end <= time }
            let docked = last.map { $0.end + hive.turnaround } ?? 0
            let level = last?.chargeAfterWh ?? drone.initialChargeWh
            let charge = hive.charging.charge(capacity: drone.batteryWh, from: level, after: max(0, time - docked))
            result.append(
                DroneStatus(
                    drone: drone.id, hive: hive.id, position: hiveXY, altitude: 0, chargeWh: charge,
                    readyAt: max(time, docked)))
        }
        return FleetSnapshot(time: time, drones: result)
    }

    /// Where a drone flying `sortie` is at `time`, and the next waypoint it has not reached.
    static func position(of patrol: PatrolTask, sortie: Sortie, hiveXY: XY, drone: Drone, at time: Double)
        -> (XY, Double, Int)
    {
        let first = min(sortie.resumeFrom, patrol.path.count - 1)
        let v = min(patrol.speed, drone.maxSpeed)
        let climb = patrol.path[first].altitude / drone.consumption.verticalSpeed
        var travelled = max(0, time - sortie.start - climb) * v
        var here = hiveXY
        for index in first..<patrol.path.count {
            let target = patrol.path[index]
            let leg = here.distance(to: target.xy)
            if travelled < leg {
                let along = leg > 0 ? travelled / leg : 0
                return (here + (target.xy - here) * along, target.altitude, index)
            }
            travelled -= leg
            here = target.xy
        }
        // On the way home: every waypoint flown.
        let leg = here.distance(to: hiveXY)
        let along = leg > 0 ? min(1, travelled / leg) : 1
        return (here + (hiveXY - here) * along, patrol.path[patrol.path.count - 1].altitude, patrol.path.count)
    }
}
