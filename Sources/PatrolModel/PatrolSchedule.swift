/// When and how a patrol is to be flown: the `schedule:` block of a mission file.
///
/// Times are seconds after local midnight on the site's day (see ``Fleet/timeZone``).
public struct PatrolSchedule: Hashable, Sendable, Codable {
    /// When occurrences of the patrol are due.
    public enum Recurrence: Hashable, Sendable, Codable {
        /// Every `interval` seconds from `from` to `to` (both local seconds of day, `to` included).
        case every(interval: Double, from: Double, to: Double)
        /// At each listed local second of day.
        case times([Double])

        /// The due times, in order.
        public var dueTimes: [Double] {
            switch self {
            case .every(let interval, let from, let to):
                guard interval > 0, to >= from else { return [] }
                return stride(from: from, through: to + 1e-6, by: interval).map { $0 }
            case .times(let times): return times.sorted()
            }
        }
    }

    public var recurrence: Recurrence
    /// How late after its due time an occurrence may still start, seconds.
    public var window: Double
    /// Higher is more important (1 to 10): higher-priority occurrences get vehicles first when
    /// capacity is short.
    public var priority: Int
    /// What the drone must carry.
    public var payload: Set<Payload>
    /// Longest acceptable time between two flown occurrences, seconds (`nil`: no limit). From a
    /// mission file, this is the mission's `max_staleness_min` (``Mission/maximumStaleness``).
    public var maxStaleness: Double?
    /// The weather the patrol itself may be flown in.
    public var weatherLimits: WeatherLimits

    public init(
        recurrence: Recurrence, window: Double = 1800, priority: Int = 5, payload: Set<Payload> = [.visual],
        maxStaleness: Double? = nil, weatherLimits: WeatherLimits = WeatherLimits()
    ) {
        self.recurrence = recurrence
        self.window = window
        self.priority = priority
        self.payload = payload
        self.maxStaleness = maxStaleness
        self.weatherLimits = weatherLimits
    }
}
