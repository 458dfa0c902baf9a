/// A ground inspection robot that lives at a charging station.
///
/// It drives the site's path graph (`paths.geojson`: walkways, basement lanes, doors, lifts; see
/// `RobotRoundPlanner`). The day's scheduler assigns `robot_round` patrols to robots by station,
/// sensors, battery and charging, and keeps two robots off the same narrow edge at once
/// (`RobotScheduler`, docs/scheduling.md).
public struct Robot: Hashable, Sendable, Codable {
    public var id: String
    /// The id of the site's `robot_station` facility it docks at.
    public var station: String
    /// Usable battery energy when full, watt-hours.
    public var batteryWh: Double
    /// Mean power while driving, watts.
    public var power: Double
    /// Cruise speed, metres per second.
    public var speed: Double
    public var sensors: Set<RobotSensor>
    /// Whether it can talk to people (speaker and microphone).
    public var voice: Bool
    public var state: OperatingState
    /// Fraction of the battery that must remain when a round ends.
    public var reserve: Double
    /// Power into the battery while docked at its station, watts.
    public var chargePower: Double
    /// Seconds from the end of a round until it can charge and leave again (docking, checks).
    public var turnaround: Double

    public init(
        id: String, station: String, batteryWh: Double, power: Double, speed: Double, sensors: Set<RobotSensor>,
        voice: Bool, state: OperatingState = .ready, reserve: Double = 0.2, chargePower: Double = 300,
        turnaround: Double = 120
    ) {
        self.reserve = reserve
        self.chargePower = chargePower
        self.turnaround = turnaround
        self.id = id
        self.station = station
        self.batteryWh = batteryWh
        self.power = power
        self.speed = speed
        self.sensors = sensors
        self.voice = voice
        self.state = state
    }
}

/// What a ground robot can sense.
public enum RobotSensor: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case camera
    case gasCH4 = "gas_ch4"
    case gasH2S = "gas_h2s"
    case gasCO = "gas_co"

    public static func < (a: RobotSensor, b: RobotSensor) -> Bool { a.rawValue < b.rawValue }
}
