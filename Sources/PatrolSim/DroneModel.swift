public import Foundation
public import PatrolGeo

/// The physics a simulated multirotor is made of, as pure functions with known answers:
/// acceleration limits, wind drift, battery energy and voltage sag, a reserve and the
/// low-battery decision, a camera detection model and a growing, drifting smoke plume.
public enum DroneModel {
    // MARK: Motion

    /// The velocity after `dt` seconds of accelerating from `current` towards `desired` at no more
    /// than `limit` m/s² (the change is along the difference, so the path bends smoothly).
    public static func accelerate(from current: XY, towards desired: XY, limit: Double, dt: Double) -> XY {
        let change = desired - current
        let most = limit * dt
        let length = change.length
        return length <= most ? desired : current + change * (most / length)
    }

    /// A vertical speed limited to `climbLimit` up and `descentLimit` down, m/s.
    public static func climb(_ wanted: Double, climbLimit: Double, descentLimit: Double) -> Double {
        min(climbLimit, max(-descentLimit, wanted))
    }

    /// The wind as a velocity (east, north), m/s, from its speed and the direction it blows FROM
    /// (degrees clockwise from north).
    public static func wind(speed: Double, from degrees: Double) -> XY {
        let to = (degrees + 180) * .pi / 180
        return XY(sin(to) * speed, cos(to) * speed)
    }

    /// Ground speed along a track (unit vector) when flying at `airspeed` through `wind`: the
    /// drone crabs into the crosswind to hold the track, and the along-track wind adds or takes
    /// away. `nil` when the crosswind is stronger than the airspeed (the track cannot be held).
    public static func groundSpeed(airspeed: Double, track: XY, wind: XY) -> Double? {
        let along = wind.dot(track)
        let cross = wind.x * track.y - wind.y * track.x
        guard abs(cross) < airspeed else { return nil }
        return max(0, (airspeed * airspeed - cross * cross).squareRoot() + along)
    }

    /// Where a drone that does not correct for the wind ends up after `dt` seconds: its air
    /// velocity plus the wind.
    public static func drift(_ position: XY, airVelocity: XY, wind: XY, dt: Double) -> XY {
        position + (airVelocity + wind) * dt
    }

    // MARK: Battery

    /// A lithium battery pack: energy by flight phase, voltage sag under load, a reserve.
    public struct Battery: Hashable, Sendable {
        /// Usable energy when full, Wh.
        public var capacityWh: Double
        /// Cells in series (6 for a 22.2 V pack).
        public var cells: Int
        /// Pack internal resistance, ohms.
        public var resistance: Double
        /// The fraction of capacity kept for landing safely; below it the failsafe acts.
        public var reserve: Double
        public var usedWh = 0.0

        public init(capacityWh: Double, cells: Int = 6, resistance: Double = 0.05, reserve: Double = 0.2) {
            self.capacityWh = capacityWh
            self.cells = cells
            self.resistance = resistance
            self.reserve = reserve
        }

        /// Charge left, 0 to 1.
        public var charge: Double { max(0, 1 - usedWh / capacityWh) }
        public var remainingWh: Double { max(0, capacityWh - usedWh) }
        public var belowReserve: Bool { charge < reserve }

        /// Open-circuit voltage: 3.5 V a cell empty to 4.2 V full, linear in charge.
        public var openCircuitVoltage: Double { Double(cells) * (3.5 + 0.7 * charge) }

        /// Terminal voltage while delivering `watts`: V = V_oc − I·R with I = P / V, the larger
        /// root of V² − V_oc·V + R·P = 0; `nil` when the pack cannot deliver that power.
        public func voltage(under watts: Double) -> Double? {
            let voc = openCircuitVoltage
            let discriminant = voc * voc - 4 * resistance * watts
            guard discriminant >= 0 else { return nil }
            return (voc + discriminant.squareRoot()) / 2
        }

        /// Draws `watts` for `dt` seconds, counting the resistive loss too.
        public mutating func draw(_ watts: Double, for dt: Double) {
            let volts = voltage(under: watts) ?? openCircuitVoltage / 2
            let current = watts / volts
            usedWh += (watts + current * current * resistance) * dt / 3600
        }

        /// A cell failing: the remaining energy falls to `fraction` of what it was.
        public mutating func fail(keeping fraction: Double) {
            usedWh = capacityWh - remainingWh * fraction
        }
    }

    /// Electrical power, watts: hover plus the cruise share (reaching cruise power at 8 m/s),
    /// 60 W per m/s of climb, and 3 % per m/s of headwind (less with a tailwind).
    public static func power(
        hoverW: Double, cruiseW: Double, airspeed: Double, climbRate: Double, headwind: Double
    ) -> Double {
        var watts = hoverW + (cruiseW - hoverW) * min(1, airspeed / 8)
        if climbRate > 0 { watts += 60 * climbRate }
        if airspeed > 0.1 { watts *= 1 + 0.03 * headwind }
        return max(0, watts)
    }

    /// What to do when the charge falls below the reserve.
    public enum LowBatteryAction: String, Hashable, Sendable {
        /// Enough energy to fly home and land with a 10 % margin.
        case returnToHive = "return"
        /// Not enough: land where it is.
        case land
    }

    /// Returns home if the energy to fly `distanceHome` metres at `groundSpeed` with `cruiseW`
    /// and descend `altitude` metres at `descentRate` with `hoverW`, plus 10 %, is still in the
    /// pack; otherwise lands where it is.
    public static func lowBattery(
        remainingWh: Double, distanceHome: Double, groundSpeed: Double, altitude: Double, cruiseW: Double,
        hoverW: Double, descentRate: Double
    ) -> LowBatteryAction {
        let homeWh = distanceHome / max(groundSpeed, 0.1) * cruiseW / 3600
        let descentWh = altitude / max(descentRate, 0.1) * hoverW / 3600
        return (homeWh + descentWh) * 1.1 <= remainingWh ? .returnToHive : .land
    }

    // MARK: Camera

    /// A camera's recognition model.
    public struct Detector: Hashable, Sendable {
        /// Field of view across the image, degrees.
        public var fovDegrees: Double
        /// Pixels across the image.
        public var imageWidth: Double
        /// Pixels across the target at which recognition is a coin toss.
        public var halfPixels: Double
        /// How quickly the chance rises with pixels (logistic scale).
        public var pixelScale: Double
        /// False positives per hour of looking.
        public var falsePositivesPerHour: Double

        public init(
            fovDegrees: Double = 80, imageWidth: Double = 4000, halfPixels: Double = 40, pixelScale: Double = 10,
            falsePositivesPerHour: Double = 1
        ) {
            self.fovDegrees = fovDegrees
            self.imageWidth = imageWidth
            self.halfPixels = halfPixels
            self.pixelScale = pixelScale
            self.falsePositivesPerHour = falsePositivesPerHour
        }

        /// Pixels across a target of `radius` metres at `distance` metres (slant range).
        public func pixels(radius: Double, distance: Double) -> Double {
            let angle = 2 * atan2(radius, max(distance, 0.01))
            return angle / (fovDegrees * .pi / 180) * imageWidth
        }

        /// The chance of recognising a target of `radius` metres at `distance` metres, seen
        /// `offAxisDegrees` from the camera's axis: a logistic in pixels across, times cos of the
        /// off-axis angle (foreshortening, haze), 0 outside the field of view.
        public func probability(radius: Double, distance: Double, offAxisDegrees: Double) -> Double {
            guard abs(offAxisDegrees) <= fovDegrees / 2 else { return 0 }
            let px = pixels(radius: radius, distance: distance)
            let logistic = 1 / (1 + exp(-(px - halfPixels) / pixelScale))
            return logistic * cos(offAxisDegrees * .pi / 180)
        }

        /// The confidence the model reports for a recognition made with chance `p`: 0.5 + 0.45 p,
        /// so a true sighting is never below fusion's 0.5.
        public func confidence(probability p: Double) -> Double { 0.5 + 0.45 * min(1, max(0, p)) }

        /// The chance of a false positive in one frame of `dt` seconds.
        public func falsePositiveChance(dt: Double) -> Double { min(1, falsePositivesPerHour * dt / 3600) }
    }

    // MARK: Fire

    /// A fire's smoke: a radius growing from `initialRadius` at `growth` m/s up to `maxRadius`,
    /// and a plume blown downwind, its visible centre half its length from the fire, its length
    /// the wind speed times the fire's age, at most `maxPlume` metres.
    public struct Plume: Hashable, Sendable {
        public var initialRadius: Double
        public var growth: Double
        public var maxRadius: Double
        public var maxPlume: Double

        public init(initialRadius: Double, growth: Double = 0, maxRadius: Double = 100, maxPlume: Double = 200) {
            self.initialRadius = initialRadius
            self.growth = growth
            self.maxRadius = max(maxRadius, initialRadius)
            self.maxPlume = maxPlume
        }

        /// The smoke's radius `age` seconds after ignition (0 before it).
        public func radius(age: TimeInterval) -> Double {
            guard age >= 0 else { return 0 }
            return min(maxRadius, initialRadius + growth * age)
        }

        /// Where the smoke's centre is, relative to the fire, `age` seconds after ignition in `wind`.
        public func centreOffset(age: TimeInterval, wind: XY) -> XY {
            let speed = wind.length
            guard age > 0, speed > 0 else { return XY(0, 0) }
            let length = min(maxPlume, speed * age)
            return wind * (length / 2 / speed)
        }
    }
}
