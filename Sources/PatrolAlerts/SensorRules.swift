public import PatrolGeo
public import PatrolModel

/// What fixed-sensor readings mean for alerts and automatic actions at a site
/// (`geo/<site>/thresholds.yaml`): a threshold per sensor kind, the places that sensors name by
/// zone, and the actuators a reading over threshold switches on by itself.
public struct SensorRules: Hashable, Sendable {
    /// The level above which a kind of reading is an observation of an incident.
    public struct Threshold: Hashable, Sendable {
        /// The value must be strictly above this.
        public var above: Double
        /// The unit ``above`` is in; readings in another unit are not compared.
        public var unit: String
        /// The alert class an over-threshold reading is folded into.
        public var detectionClass: DetectionClass

        public init(above: Double, unit: String, detectionClass: DetectionClass) {
            self.above = above
            self.unit = unit
            self.detectionClass = detectionClass
        }
    }

    /// A linked automatic action: a reading of one of ``kinds`` over threshold in ``zone``
    /// switches ``actuator`` of ``device`` on.
    public struct Actuation: Hashable, Sendable {
        public var zone: String
        public var kinds: Set<String>
        /// The device that owns the actuator (usually the zone's sensor gateway).
        public var device: String
        public var actuator: String

        public init(zone: String, kinds: Set<String>, device: String, actuator: String) {
            self.zone = zone
            self.kinds = kinds
            self.device = device
            self.actuator = actuator
        }
    }

    /// The sensor kinds the wire protocol knows.
    public static let kinds = ["co", "ch4", "h2s", "smoke", "temperature"]

    /// By sensor kind (`co`, `ch4`, …); a kind without a threshold never raises an observation.
    public var thresholds: [String: Threshold]
    /// Positions of zones that readings name instead of a position, by zone id.
    public var zones: [String: LonLat]
    public var actuations: [Actuation]

    public init(thresholds: [String: Threshold], zones: [String: LonLat] = [:], actuations: [Actuation] = []) {
        self.thresholds = thresholds
        self.zones = zones
        self.actuations = actuations
    }

    /// The threshold `value` of `kind` in `unit` is over, or `nil` when it is not over one.
    public func exceeded(kind: String, value: Double, unit: String) -> Threshold? {
        guard let threshold = thresholds[kind], threshold.unit == unit, value > threshold.above else { return nil }
        return threshold
    }

    /// The actuations a reading of `kind` over threshold in `zone` triggers, in file order.
    public func actuations(kind: String, zone: String?) -> [Actuation] {
        guard let zone else { return [] }
        return actuations.filter { $0.zone == zone && $0.kinds.contains(kind) }
    }
}
