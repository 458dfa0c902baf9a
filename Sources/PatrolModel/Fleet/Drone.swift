/// A drone that lives in a hive.
public struct Drone: Hashable, Sendable, Codable {
    public var id: String
    /// The id of the hive it lives and charges in.
    public var hive: String
    /// Usable battery energy when full, watt-hours.
    public var batteryWh: Double
    /// Charge at the start of the day, watt-hours.
    public var initialChargeWh: Double
    /// Fraction of ``batteryWh`` that must remain on landing.
    public var reserve: Double
    /// Highest ground speed, metres per second.
    public var maxSpeed: Double
    public var consumption: ConsumptionModel
    public var payload: Set<Payload>
    public var state: OperatingState

    public init(
        id: String, hive: String, batteryWh: Double, initialChargeWh: Double? = nil, reserve: Double = 0.25,
        maxSpeed: Double = 15, consumption: ConsumptionModel = ConsumptionModel(), payload: Set<Payload> = [.visual],
        state: OperatingState = .ready
    ) {
        self.id = id
        self.hive = hive
        self.batteryWh = batteryWh
        self.initialChargeWh = initialChargeWh ?? batteryWh
        self.reserve = reserve
        self.maxSpeed = maxSpeed
        self.consumption = consumption
        self.payload = payload
        self.state = state
    }

    /// Watt-hours that may be spent on one sortie starting from a full battery.
    public var usableWh: Double { batteryWh * (1 - reserve) }
    /// Watt-hours that must remain on landing.
    public var reserveWh: Double { batteryWh * reserve }
}

/// How much power a multirotor draws in each phase of flight.
public struct ConsumptionModel: Hashable, Sendable, Codable {
    /// Level flight at cruise speed, watts.
    public var cruise: Double
    /// Hovering (and descending), watts.
    public var hover: Double
    /// Climbing, watts.
    public var climb: Double
    /// Extra watts per metre per second of headwind during level flight.
    public var headwindPerMPS: Double
    /// Vertical speed for climbs and descents, metres per second.
    public var verticalSpeed: Double

    public init(
        cruise: Double = 180, hover: Double = 200, climb: Double = 260, headwindPerMPS: Double = 8,
        verticalSpeed: Double = 3
    ) {
        self.cruise = cruise
        self.hover = hover
        self.climb = climb
        self.headwindPerMPS = headwindPerMPS
        self.verticalSpeed = verticalSpeed
    }

    /// Watt-hours for a flight with these phases, in wind of `wind` m/s taken as a headwind all
    /// the way (the conservative case).
    public func energyWh(level: Double, climbing: Double, hovering: Double, wind: Double = 0) -> Double {
        (level * (cruise + headwindPerMPS * max(0, wind)) + climbing * climb + hovering * hover) / 3600
    }
}

/// What a drone carries.
public enum Payload: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// A visual (RGB) camera with smoke recognition.
    case visual
    /// A thermal camera: fire and hot spots, also at night.
    case thermal
    /// A loudspeaker for announcements.
    case loudspeaker

    public static func < (a: Payload, b: Payload) -> Bool { a.rawValue < b.rawValue }
}
