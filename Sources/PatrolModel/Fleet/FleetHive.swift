import Foundation

/// A drone hive as the fleet knows it: the dock at one of the site's `hive` facilities, with its
/// pad, its bays, its charger and its limits.
public struct FleetHive: Hashable, Sendable, Codable {
    /// The id of the site's `hive` facility this dock stands on.
    public var id: String
    /// Landing pad diameter, metres.
    public var padDiameter: Double
    /// How many drones the hive can hold.
    public var capacity: Int
    /// The charger of each bay.
    public var charging: ChargingCurve
    /// Seconds after landing before charging starts and the drone can be relaunched (inspection,
    /// cooling, door cycle).
    public var turnaround: Double
    /// Seconds from a launch command to the drone leaving the pad (doors, arming).
    public var launchDelay: Double
    /// The weather in which the doors may open.
    public var weatherLimits: WeatherLimits
    public var state: OperatingState

    public init(
        id: String, padDiameter: Double = 2, capacity: Int = 1, charging: ChargingCurve = ChargingCurve(power: 400),
        turnaround: Double = 300, launchDelay: Double = 30, weatherLimits: WeatherLimits = WeatherLimits(),
        state: OperatingState = .ready
    ) {
        self.id = id
        self.padDiameter = padDiameter
        self.capacity = capacity
        self.charging = charging
        self.turnaround = turnaround
        self.launchDelay = launchDelay
        self.weatherLimits = weatherLimits
        self.state = state
    }
}

/// A simple lithium charging curve: constant power (constant current) up to ``taperFrom`` of
/// capacity, then power falling linearly to ``taperEndFraction`` of full power at 100 %.
public struct ChargingCurve: Hashable, Sendable, Codable {
    /// Power into the battery in the constant-current phase, watts.
    public var power: Double
    /// State of charge (0..1) where the taper starts.
    public var taperFrom: Double
    /// Fraction of ``power`` still flowing at 100 % charge.
    public var taperEndFraction: Double

    public init(power: Double, taperFrom: Double = 0.8, taperEndFraction: Double = 0.2) {
        self.power = power
        self.taperFrom = taperFrom
        self.taperEndFraction = taperEndFraction
    }

    /// Power at state of charge `soc` (0..1), watts.
    func power(at soc: Double) -> Double {
        guard soc > taperFrom, taperFrom < 1 else { return power }
        let t = min(1, (soc - taperFrom) / (1 - taperFrom))
        return power * (1 - (1 - taperEndFraction) * t)
    }

    /// Seconds to charge a battery of `capacity` watt-hours from `from` to `to` watt-hours
    /// (zero when `to` is not above `from`).
    public func seconds(capacity: Double, from: Double, to: Double) -> Double {
        guard to > from, capacity > 0 else { return 0 }
        let a = max(0, from / capacity)
        let b = min(1, to / capacity)
        guard b > a else { return 0 }
        let k = taperFrom
        var hours = 0.0
        if a < k { hours += (min(b, k) - a) * capacity / power }
        if b > k {
            // P(s) = P·(1 − m·(s − k)), m = (1 − f)/(1 − k): ∫ C ds / P(s) in closed form.
            let lo = max(a, k)
            let m = (1 - taperEndFraction) / (1 - k)
            let ratio: Double = (1 - m * (lo - k)) / (1 - m * (b - k))
            hours += capacity / (power * m) * Foundation.log(ratio)
        }
        return hours * 3600
    }

    /// Watt-hours in a battery of `capacity` that held `from` after charging for `seconds`.
    public func charge(capacity: Double, from: Double, after seconds: Double) -> Double {
        guard seconds > 0, from < capacity else { return min(from, capacity) }
        let k = taperFrom * capacity
        var level = from
        var left = seconds
        if level < k {
            let toKnee = (k - level) / power * 3600
            if left <= toKnee { return level + power * left / 3600 }
            level = k
            left -= toKnee
        }
        // Invert the taper integral: s(t) = k + (1 − (1 − m(s0 − k))·e^(−P m t / C)) / m.
        let m = (1 - taperEndFraction) / (1 - taperFrom)
        let s0 = level / capacity
        let decay = exp(-power * m * (left / 3600) / capacity)
        let s = taperFrom + (1 - (1 - m * (s0 - taperFrom)) * decay) / m
        return min(capacity, s * capacity)
    }
}
