public import Foundation
public import PatrolGeo
public import PatrolModel

/// A ground-robot scenario: the round to walk, the simulated robot, and the world it meets on the
/// way: edges blocked by clutter, gas leaks that its sensor samples, and objects its camera can see.
public struct RobotScenario: Hashable, Sendable {
    /// The simulated robot's body: battery, power draw, sensors and camera.
    public struct Robot: Hashable, Sendable {
        public var id: String
        /// Usable energy when full, watt-hours.
        public var batteryWh: Double
        /// Charge at the start, 0 to 1.
        public var batteryStart: Double
        /// Power while driving, and while standing (waiting at a door, dwelling, docked), watts.
        public var drivePowerW: Double
        public var idlePowerW: Double
        /// Charging power at the station below 80 % (tapering linearly to zero at 100 %), watts.
        public var chargePowerW: Double
        /// Below this charge it gives up the round and returns to its station.
        public var reserve: Double
        /// Standard deviation of the reported position, metres (indoor localisation).
        public var positionNoise: Double
        /// Seconds between gas samples (CO, CH4, H2S, one reading each).
        public var sampleEvery: TimeInterval
        /// How far its camera recognises objects, metres, within ±60° of its heading.
        public var cameraRange: Double
        /// Seconds it stands at each checkpoint, looking around.
        public var dwell: TimeInterval

        public init(
            id: String, batteryWh: Double = 1500, batteryStart: Double = 0.9, drivePowerW: Double = 180,
            idlePowerW: Double = 25, chargePowerW: Double = 400, reserve: Double = 0.15, positionNoise: Double = 0.2,
            sampleEvery: TimeInterval = 5, cameraRange: Double = 8, dwell: TimeInterval = 10
        ) {
            self.id = id
            self.batteryWh = batteryWh
            self.batteryStart = batteryStart
            self.drivePowerW = drivePowerW
            self.idlePowerW = idlePowerW
            self.chargePowerW = chargePowerW
            self.reserve = reserve
            self.positionNoise = positionNoise
            self.sampleEvery = sampleEvery
            self.cameraRange = cameraRange
            self.dwell = dwell
        }
    }

    /// A path edge (by id) the robot cannot pass from `from` seconds after the start.
    public struct Blocked: Hashable, Sendable {
        public var edge: String
        public var from: TimeInterval

        public init(edge: String, from: TimeInterval = 0) {
            self.edge = edge
            self.from = from
        }
    }

    /// A gas leak: the concentration at its source grows linearly from `start` over `rise` to
    /// `peak`, and falls off with distance as `exp(-d / decay)`; only on its own floor `level`.
    public struct Leak: Hashable, Sendable {
        public var id: String
        /// `co`, `ch4` or `h2s`.
        public var kind: String
        public var position: LonLat
        public var level: Int
        public var start: TimeInterval
        public var rise: TimeInterval
        /// ppm at the source at its peak.
        public var peak: Double
        /// Metres over which the concentration falls to 1/e.
        public var decay: Double

        public init(
            id: String, kind: String, position: LonLat, level: Int, start: TimeInterval, rise: TimeInterval,
            peak: Double, decay: Double
        ) {
            self.id = id
            self.kind = kind
            self.position = position
            self.level = level
            self.start = start
            self.rise = rise
            self.peak = peak
            self.decay = decay
        }
    }

    /// Something the camera can recognise: garbage, corridor clutter, a fallen person.
    public struct Object: Hashable, Sendable {
        public var id: String
        public var kind: DetectionClass
        public var position: LonLat
        public var level: Int
        /// Seconds after the start from which it is there.
        public var from: TimeInterval

        public init(id: String, kind: DetectionClass, position: LonLat, level: Int, from: TimeInterval = 0) {
            self.id = id
            self.kind = kind
            self.position = position
            self.level = level
            self.from = from
        }
    }

    public var id: String
    /// The robot round mission (`kind: robot_round`) to walk.
    public var missionFile: URL
    public var seed: UInt64
    public var start: Date
    public var telemetryRate: Double
    public var robot: Robot
    /// Minutes docked and charging after the round, simulated before the run ends.
    public var chargeAfter: TimeInterval
    public var blocked: [Blocked]
    public var leaks: [Leak]
    public var objects: [Object]
    /// Faults injected into the robot: `link_drop` (its radio drops for `for_s`), times after `start`.
    public var faults: [Fault] = []
    /// What the robot does when its link is lost (``LinkLossPolicy``).
    public var linkLoss = LinkLossPolicy()

    /// The robot's link-loss failsafe (`link_loss:` in the scenario).
    public struct LinkLossPolicy: Hashable, Sendable {
        public enum Action: String, Hashable, Sendable, CaseIterable {
            /// Stop, then walk the quickest way back to the station; the round is cut short.
            case `return`
            /// Stop where it is until the link is back, then go on with the round.
            case hold
        }
        /// Seconds without the coordinator's heartbeat echo before the failsafe acts.
        public var after: TimeInterval = 5
        public var action: Action = .return

        public init(after: TimeInterval = 5, action: Action = .return) {
            self.after = after
            self.action = action
        }
    }

    public init(
        id: String, missionFile: URL, seed: UInt64, start: Date, telemetryRate: Double = 2, robot: Robot,
        chargeAfter: TimeInterval = 0, blocked: [Blocked] = [], leaks: [Leak] = [], objects: [Object] = []
    ) {
        self.id = id
        self.missionFile = missionFile
        self.seed = seed
        self.start = start
        self.telemetryRate = telemetryRate
        self.robot = robot
        self.chargeAfter = chargeAfter
        self.blocked = blocked
        self.leaks = leaks
        self.objects = objects
    }

    /// The gas kinds a robot samples, in the order of its readings.
    public static let gasKinds = ["co", "ch4", "h2s"]
}
