public import Foundation

/// What a simulated hive is and how it fails: its door, its pad, its charger, its launch limits
/// and the faults a scenario injects. The charger and the launch limits default to those of `hive-1`
/// in `geo/mumianling/fleet.yaml` (what scheduling plans with); the door and pad to a Matrice-class dock.
public struct HiveSpec: Hashable, Sendable {
    /// The hive's device id; the mission's `hive` when the scenario does not name one.
    public var id: String?
    /// Seconds the door takes to open, and to close.
    public var doorOpenTime: TimeInterval
    public var doorCloseTime: TimeInterval
    /// How far from the pad's centre a landing may end, metres; beyond it the drone lifts off and tries again.
    public var padTolerance: Double
    /// Standard deviation of the precision-landing error along each axis, metres.
    public var landingDeviation: Double
    /// Landing attempts before the drone settles where it is (off centre, not charging).
    public var landingAttempts: Int
    /// The charging curve of the pad's charger.
    public var charger: ChargingCurve
    /// Launch limits, checked against the weather station when a start is asked for.
    public var maxWind: Double
    public var maxRain: Double
    public var minTemperature: Double
    public var maxTemperature: Double
    /// Seconds between periodic `hive_status` messages (also sent whenever the door or charging changes).
    public var statusInterval: TimeInterval
    /// Faults: seconds after the scenario's start at which the hive goes silent (its link to the
    /// coordinator dies, the dock itself keeps working), and at which its door jams.
    public var offlineAt: TimeInterval?
    public var doorStuckAt: TimeInterval?

    public init(
        id: String? = nil, doorOpenTime: TimeInterval = 12, doorCloseTime: TimeInterval = 12,
        padTolerance: Double = 0.25, landingDeviation: Double = 0.08, landingAttempts: Int = 3,
        charger: ChargingCurve = ChargingCurve(), maxWind: Double = 12, maxRain: Double = 5,
        minTemperature: Double = -10, maxTemperature: Double = 45, statusInterval: TimeInterval = 60,
        offlineAt: TimeInterval? = nil, doorStuckAt: TimeInterval? = nil
    ) {
        self.id = id
        self.doorOpenTime = doorOpenTime
        self.doorCloseTime = doorCloseTime
        self.padTolerance = padTolerance
        self.landingDeviation = landingDeviation
        self.landingAttempts = landingAttempts
        self.charger = charger
        self.maxWind = maxWind
        self.maxRain = maxRain
        self.minTemperature = minTemperature
        self.maxTemperature = maxTemperature
        self.statusInterval = statusInterval
        self.offlineAt = offlineAt
        self.doorStuckAt = doorStuckAt
    }

    /// Why a launch must be refused in `weather`, or `nil` when it may go.
    public func launchRefusal(_ weather: SensorScenario.Weather) -> String? {
        if weather.windSpeed > maxWind {
            return String(
                format: "wind %.1f m/s is above the launch limit %.1f m/s", weather.windSpeed, maxWind)
        }
        if weather.rain > maxRain {
            return String(format: "rain %.1f mm/h is above the launch limit %.1f mm/h", weather.rain, maxRain)
        }
        if weather.temperature < minTemperature || weather.temperature > maxTemperature {
            return String(
                format: "temperature %.1f °C is outside the launch range %.0f to %.0f °C", weather.temperature,
                minTemperature, maxTemperature)
        }
        return nil
    }
}

/// A constant-current, constant-voltage charge, as `charging` of a hive in the fleet file: full
/// power up to `taper`, then power falling linearly to `taperEnd` of it at 100 %, so the last per
/// cents take longest. Stops at `full`.
public struct ChargingCurve: Hashable, Sendable {
    /// Power into the battery in the constant-current phase, watts.
    public var power: Double
    /// The battery's capacity, watt-hours.
    public var capacity: Double
    /// State of charge (0 to 1) where the constant-voltage taper begins.
    public var taper: Double
    /// Fraction of ``power`` still flowing at 100 %.
    public var taperEnd: Double
    /// State of charge at which charging stops.
    public var full: Double

    public init(
        power: Double = 400, capacity: Double = 262, taper: Double = 0.8, taperEnd: Double = 0.2, full: Double = 1
    ) {
        self.power = power
        self.capacity = capacity
        self.taper = taper
        self.taperEnd = taperEnd
        self.full = full
    }

    /// Charging power at state of charge `soc`, watts.
    public func power(at soc: Double) -> Double {
        if soc >= full { return 0 }
        if soc <= taper { return power }
        return power * (1 - (1 - taperEnd) * (soc - taper) / (1 - taper))
    }

    /// The state of charge after charging from `soc` for `seconds`, integrated in steps of at most 1 s.
    public func charge(from soc: Double, for seconds: TimeInterval) -> Double {
        var soc = soc
        var left = seconds
        while left > 0, soc < full {
            let dt = min(1, left)
            soc = min(full, soc + power(at: soc) * dt / 3600 / capacity)
            left -= dt
        }
        return soc
    }

    /// Seconds to charge from `soc` to `target` (at most ``full``), by the same integration.
    public func time(from soc: Double, to target: Double) -> TimeInterval {
        let target = min(target, full)
        var soc = soc
        var t: TimeInterval = 0
        while soc < target - 1e-9, t < 86_400 {
            soc = min(full, soc + power(at: soc) / 3600 / capacity)
            t += 1
        }
        return t
    }
}

/// Weather over a scenario's day: readings at times after the start, linear in between (wind
/// direction along the shorter way round), held before the first and after the last.
public struct WeatherTimeline: Hashable, Sendable {
    public struct Point: Hashable, Sendable {
        /// Seconds after the scenario's start.
        public var at: TimeInterval
        public var weather: SensorScenario.Weather

        public init(at: TimeInterval, weather: SensorScenario.Weather) {
            self.at = at
            self.weather = weather
        }
    }

    /// In time order.
    public var points: [Point]

    public init(points: [Point]) { self.points = points.sorted { $0.at < $1.at } }

    /// The same weather all day.
    public init(constant weather: SensorScenario.Weather) { self.init(points: [Point(at: 0, weather: weather)]) }

    /// The weather `t` seconds after the start.
    public func weather(at t: TimeInterval) -> SensorScenario.Weather {
        guard let first = points.first else {
            return SensorScenario.Weather(windSpeed: 0, windFrom: 0, rain: 0, temperature: 25)
        }
        guard t > first.at else { return first.weather }
        guard let i = points.firstIndex(where: { $0.at >= t }) else { return points[points.count - 1].weather }
        let a = points[i - 1]
        let b = points[i]
        let f = (t - a.at) / max(b.at - a.at, 1e-9)
        func mix(_ x: Double, _ y: Double) -> Double { x + (y - x) * f }
        var turn = (b.weather.windFrom - a.weather.windFrom).truncatingRemainder(dividingBy: 360)
        if turn > 180 { turn -= 360 }
        if turn < -180 { turn += 360 }
        var from = (a.weather.windFrom + turn * f).truncatingRemainder(dividingBy: 360)
        if from < 0 { from += 360 }
        return SensorScenario.Weather(
            windSpeed: mix(a.weather.windSpeed, b.weather.windSpeed), windFrom: from,
            rain: mix(a.weather.rain, b.weather.rain), temperature: mix(a.weather.temperature, b.weather.temperature))
    }
}
