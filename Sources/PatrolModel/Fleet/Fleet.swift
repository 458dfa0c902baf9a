/// The vehicles of a site and the docks they live in: hives with their drones, and ground robots
/// with their charging stations.
///
/// Loaded from a fleet file (`geo/<site>/fleet.yaml`) by ``Fleet/load(from:site:)``. A value type
/// with no behaviour beyond look-ups: the scheduler in `PatrolPlanner` reasons over it.
public struct Fleet: Hashable, Sendable, Codable {
    /// The site the fleet serves (its `site.yaml` id).
    public var siteID: String
    /// The site's time zone (an IANA identifier such as `Asia/Shanghai`): schedule times are local.
    public var timeZone: String
    public var hives: [FleetHive]
    public var drones: [Drone]
    public var robots: [Robot]

    public init(siteID: String, timeZone: String, hives: [FleetHive], drones: [Drone], robots: [Robot] = []) {
        self.siteID = siteID
        self.timeZone = timeZone
        self.hives = hives
        self.drones = drones
        self.robots = robots
    }

    /// The hive with `id`, if the fleet has one.
    public func hive(_ id: String) -> FleetHive? { hives.first { $0.id == id } }
    /// The drone with `id`, if the fleet has one.
    public func drone(_ id: String) -> Drone? { drones.first { $0.id == id } }
    /// The drones that live in the hive `id`, in file order.
    public func drones(in hive: String) -> [Drone] { drones.filter { $0.hive == hive } }
}

/// The operating state of a hive or a vehicle.
public enum OperatingState: String, Hashable, Sendable, Codable, CaseIterable {
    /// Closed, charged or charging, able to launch on command.
    case ready
    /// Doors open, a drone about to leave.
    case launching
    /// Charging a drone; it can launch once charged enough for the sortie.
    case charging
    /// Taken out of service by the operator.
    case maintenance
    /// Not reachable or faulty.
    case offline

    /// Whether the scheduler may plan sorties from (or with) something in this state.
    public var isSchedulable: Bool { self == .ready || self == .launching || self == .charging }
}

/// The weather a hive's doors, or a patrol, tolerate.
public struct WeatherLimits: Hashable, Sendable, Codable {
    /// Highest mean wind speed, metres per second.
    public var maxWind: Double
    /// Highest rain rate, millimetres per hour.
    public var maxRain: Double
    /// Lowest air temperature, degrees Celsius.
    public var minTemperature: Double
    /// Highest air temperature, degrees Celsius.
    public var maxTemperature: Double

    public init(maxWind: Double = 12, maxRain: Double = 5, minTemperature: Double = -10, maxTemperature: Double = 45) {
        self.maxWind = maxWind
        self.maxRain = maxRain
        self.minTemperature = minTemperature
        self.maxTemperature = maxTemperature
    }

    /// Why `weather` is outside these limits, or `nil` when it is within them.
    public func violation(by weather: Weather) -> String? {
        func r(_ x: Double) -> String { "\((x * 10).rounded() / 10)" }
        if weather.wind > maxWind { return "wind \(r(weather.wind)) m/s above \(r(maxWind)) m/s" }
        if weather.rain > maxRain { return "rain \(r(weather.rain)) mm/h above \(r(maxRain)) mm/h" }
        if weather.temperature < minTemperature {
            return "temperature \(r(weather.temperature)) °C below \(r(minTemperature)) °C"
        }
        if weather.temperature > maxTemperature {
            return "temperature \(r(weather.temperature)) °C above \(r(maxTemperature)) °C"
        }
        return nil
    }
}

/// Weather at one place and time.
public struct Weather: Hashable, Sendable, Codable {
    /// Mean wind speed, metres per second.
    public var wind: Double
    /// Rain rate, millimetres per hour.
    public var rain: Double
    /// Air temperature, degrees Celsius.
    public var temperature: Double

    public init(wind: Double = 0, rain: Double = 0, temperature: Double = 20) {
        self.wind = wind
        self.rain = rain
        self.temperature = temperature
    }

    /// Calm, dry and mild: the default when no forecast is given.
    public static let calm = Weather()
}
