public import Foundation
public import PatrolGeo
import PatrolModel

/// A fixed-sensor scenario: gateways that report many sensors in batches, scripted gas or smoke
/// events that raise some of them, and a hive whose weather station follows the scenario's weather.
public struct SensorScenario: Hashable, Sendable {
    /// One gateway connection and the sensors behind it.
    public struct Gateway: Hashable, Sendable {
        public var id: String
        /// How many sensors report through it.
        public var sensors: Int
        /// Sensor kinds, assigned to sensors in turn (`co`, `ch4`, `h2s`, `smoke`, `temperature`).
        public var kinds: [String]
        /// Zones the sensors are in, assigned in turn; the building is `building`.
        public var zones: [String]
        public var building: String
        public var floor: Int
        /// Actuators the gateway owns (fans), all off at the start.
        public var actuators: [String]
        /// Where its sensors are on the ground, when they report a position (outdoor detectors).
        public var position: LonLat?
        /// The clock-skew fault: seconds the gateway's clock is ahead of the world's (behind if
        /// negative); every time it writes (envelopes, readings) is off by this much.
        public var clockSkew: TimeInterval = 0

        public init(
            id: String, sensors: Int, kinds: [String], zones: [String], building: String, floor: Int,
            actuators: [String]
        ) {
            self.id = id
            self.sensors = sensors
            self.kinds = kinds
            self.zones = zones
            self.building = building
            self.floor = floor
            self.actuators = actuators
        }
    }

    /// A scripted rise of one kind of reading in one zone: linear from `start` over `rise`, then held.
    public struct Event: Hashable, Sendable {
        public var kind: String
        public var zone: String
        /// Seconds after the scenario's start.
        public var start: TimeInterval
        public var rise: TimeInterval
        /// Added to the quiet value at the peak (ppm for gases, 1 for a smoke alarm).
        public var peak: Double

        public init(kind: String, zone: String, start: TimeInterval, rise: TimeInterval, peak: Double) {
            self.kind = kind
            self.zone = zone
            self.start = start
            self.rise = rise
            self.peak = peak
        }
    }

    /// Weather for the hive's station.
    public struct Weather: Hashable, Sendable {
        public var windSpeed: Double
        public var windFrom: Double
        public var rain: Double
        public var temperature: Double

        public init(windSpeed: Double, windFrom: Double, rain: Double, temperature: Double) {
            self.windSpeed = windSpeed
            self.windFrom = windFrom
            self.rain = rain
            self.temperature = temperature
        }
    }

    public var id: String
    public var seed: UInt64
    public var start: Date
    /// Simulated length of the run, seconds.
    public var duration: TimeInterval
    /// Every sensor reports once per this many seconds; the simulation steps by it.
    public var reportEvery: TimeInterval
    /// Most readings in one `sensor_readings` frame.
    public var batchSize: Int
    public var gateways: [Gateway]
    public var events: [Event]
    /// The hive that sends `hive_status`, if any, and its weather.
    public var hive: String?
    public var weather: Weather
    /// Faults (`crash` of a gateway), times after `start`.
    public var faults: [Fault] = []
    /// Whether the gateways step together (each step's frames of every gateway sent before any
    /// echo is awaited) rather than one after the other: for a thousand devices, where waiting on
    /// each in turn would take a round trip per device per second. They still say hello one after
    /// the other. Frames of different gateways reach the coordinator interleaved, so the event log
    /// stays the same run to run only while no two gateways raise alerts or commands.
    public var concurrent = false
    /// The id of an adversarial device (``SimulatedAdversary``) that joins the run, if any.
    public var adversary: String?

    public init(
        id: String, seed: UInt64, start: Date, duration: TimeInterval, reportEvery: TimeInterval, batchSize: Int,
        gateways: [Gateway], events: [Event], hive: String? = nil,
        weather: Weather = Weather(windSpeed: 0, windFrom: 0, rain: 0, temperature: 25)
    ) {
        self.id = id
        self.seed = seed
        self.start = start
        self.duration = duration
        self.reportEvery = reportEvery
        self.batchSize = batchSize
        self.gateways = gateways
        self.events = events
        self.hive = hive
        self.weather = weather
    }

    /// The sensor kinds a gateway may report.
    public static let kinds = ["co", "ch4", "h2s", "smoke", "temperature"]
}
