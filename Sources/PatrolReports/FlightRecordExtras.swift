public import Foundation

/// One reading of a hive's weather station, from a stored `hive_status`.
public struct HiveWeather: Hashable, Sendable {
    public var time: Date
    /// Metres per second.
    public var windSpeed: Double
    /// Degrees clockwise from north.
    public var windFrom: Double
    /// Millimetres per hour.
    public var rain: Double
    /// Degrees Celsius.
    public var temperature: Double
    /// The hive's door (`open`, `closed`, `moving`, `stuck`), when known.
    public var door: String?
    /// Whether the hive was charging a drone on its pad, when known.
    public var charging: Bool?

    public init(
        time: Date, windSpeed: Double, windFrom: Double, rain: Double, temperature: Double, door: String? = nil,
        charging: Bool? = nil
    ) {
        self.time = time
        self.windSpeed = windSpeed
        self.windFrom = windFrom
        self.rain = rain
        self.temperature = temperature
        self.door = door
        self.charging = charging
    }
}

/// A loss or resumption of a device's link, as the coordinator recorded it.
public struct LinkEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// Dated at the last frame heard plus the liveness timeout.
        case lost = "link_lost"
        /// The first frame after a loss.
        case resumed = "link_resumed"
    }

    public var time: Date
    public var kind: Kind

    public init(time: Date, kind: Kind) {
        self.time = time
        self.kind = kind
    }
}

extension FlightSummary {
    /// The weather at the flight's hive: at take-off and its range during the flight.
    public struct Weather: Hashable, Sendable, Codable {
        /// A least-to-most range.
        public struct Range: Hashable, Sendable, Codable {
            public var min: Double
            public var max: Double

            public init(min: Double, max: Double) {
                self.min = min
                self.max = max
            }
        }

        /// How many hive statuses the figures come from.
        public var samples: Int
        /// When the status used for take-off was sent: the last before take-off, else the first after.
        public var takeOffTime: Date
        /// Metres per second.
        public var takeOffWindSpeed: Double
        /// Degrees clockwise from north.
        public var takeOffWindFrom: Double
        /// Millimetres per hour.
        public var takeOffRain: Double
        /// Degrees Celsius.
        public var takeOffTemperature: Double
        public var windSpeed: Range
        public var rain: Range
        public var temperature: Range
        /// The hive's door in the take-off status, when known.
        public var takeOffDoor: String?
        /// The door and charging in the flight's last status (after landing, when the hive
        /// reported the drone docked before `landed`), when known.
        public var lastDoor: String?
        public var lastCharging: Bool?
        /// Statuses during the flight that reported the door stuck.
        public var doorStuckStatuses: Int

        /// The figures of `samples` (in time order), with take-off at `start`; `nil` when empty.
        init?(_ samples: [HiveWeather], start: Date?) {
            guard let first = samples.first else { return nil }
            let takeOff = start.flatMap { s in samples.last { $0.time <= s } } ?? first
            func range(_ value: (HiveWeather) -> Double) -> Range {
                Range(min: samples.map(value).min() ?? 0, max: samples.map(value).max() ?? 0)
            }
            self.samples = samples.count
            takeOffTime = takeOff.time
            takeOffWindSpeed = takeOff.windSpeed
            takeOffWindFrom = takeOff.windFrom
            takeOffRain = takeOff.rain
            takeOffTemperature = takeOff.temperature
            windSpeed = range(\.windSpeed)
            rain = range(\.rain)
            temperature = range(\.temperature)
            takeOffDoor = takeOff.door
            lastDoor = samples.last?.door
            lastCharging = samples.last?.charging
            doorStuckStatuses = samples.filter { $0.door == "stuck" }.count
        }
    }

    /// The link between the coordinator and the device during the flight.
    public struct Link: Hashable, Sendable, Codable {
        /// How many times the link was lost.
        public var losses: Int
        /// Seconds lost in all, over the losses followed by a resumption.
        public var lostDuration: Double
        /// Losses with no resumption recorded before the flight ended.
        public var unresolved: Int
        /// The lowest link quality the device reported (0 to 1), `nil` when it reported none.
        public var minimumQuality: Double?
        /// The mean link quality the device reported (0 to 1), `nil` when it reported none.
        public var meanQuality: Double?
        /// How many telemetry samples carried a link quality.
        public var qualitySamples: Int

        /// The figures of `events` (in time order) and of the qualities reported.
        init(_ events: [LinkEvent], qualities: [Double]) {
            var losses = 0
            var lostDuration = 0.0
            var lostAt: Date?
            for event in events {
                switch event.kind {
                case .lost:
                    losses += 1
                    if lostAt == nil { lostAt = event.time }
                case .resumed:
                    if let since = lostAt { lostDuration += max(0, event.time.timeIntervalSince(since)) }
                    lostAt = nil
                }
            }
            self.losses = losses
            self.lostDuration = lostDuration
            self.unresolved = lostAt == nil ? 0 : 1
            minimumQuality = qualities.min()
            meanQuality = qualities.isEmpty ? nil : qualities.reduce(0, +) / Double(qualities.count)
            qualitySamples = qualities.count
        }
    }
}
