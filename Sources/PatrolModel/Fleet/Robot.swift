/// A ground inspection robot that lives at a charging station.
///
/// The robot's path graph (the walkways and basement lanes it may drive) is not modelled yet; the
/// scheduler plans drone sorties only and reports robot patrols as not schedulable.
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

    public init(
        id: String, station: String, batteryWh: Double, power: Double, speed: Double, sensors: Set<RobotSensor>,
        voice: Bool, state: OperatingState = .ready
    ) {
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
