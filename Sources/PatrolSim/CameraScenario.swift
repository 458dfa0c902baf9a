public import Foundation
public import PatrolGeo
public import PatrolModel

/// A fixed AI camera scenario: cameras behind a few NVR connections, scripted events they see,
/// a false-positive rate, and faults (link drops and delays, an NVR crash and restart).
///
/// Like a real site's NVR boxes, many cameras share one connection: the NVR is the device (kind
/// `camera` on the wire, its id the connection's identity) and each detection's id and evidence
/// reference name the camera that saw it (`CAMERA/d-N`, `CAMERA/clip-N.mp4`). Fusion treats one
/// NVR as one source, so two cameras on the same NVR never confirm each other.
public struct CameraScenario: Hashable, Sendable {
    /// One fixed camera: where it looks and what its model recognises.
    public struct Camera: Hashable, Sendable {
        public var id: String
        /// The NVR (connection) it streams through.
        public var nvr: String
        /// The centre of what it sees.
        public var position: LonLat
        public var building: String
        public var floor: Int
        /// Classes its model recognises; false positives are drawn from these.
        public var classes: [DetectionClass]

        public init(
            id: String, nvr: String, position: LonLat, building: String, floor: Int, classes: [DetectionClass]
        ) {
            self.id = id
            self.nvr = nvr
            self.position = position
            self.building = building
            self.floor = floor
            self.classes = classes
        }
    }

    /// A scripted event in one camera's view, seen every ``CameraScenario/sightEvery`` seconds
    /// from `start` for `duration`.
    public struct Event: Hashable, Sendable {
        public var id: String
        public var camera: String
        public var kind: DetectionClass
        /// Seconds after the scenario's start.
        public var start: TimeInterval
        public var duration: TimeInterval
        /// Where in the view, if not the view's centre.
        public var position: LonLat?

        public init(
            id: String, camera: String, kind: DetectionClass, start: TimeInterval, duration: TimeInterval,
            position: LonLat? = nil
        ) {
            self.id = id
            self.camera = camera
            self.kind = kind
            self.start = start
            self.duration = duration
            self.position = position
        }
    }

    public var id: String
    public var seed: UInt64
    public var start: Date
    /// Simulated length, seconds.
    public var duration: TimeInterval
    /// Seconds between two sightings of a present event.
    public var sightEvery: TimeInterval
    /// False positives per camera per hour (confidence 0.2–0.45, below fusion's 0.5).
    public var falsePositivesPerHour: Double
    public var cameras: [Camera]
    public var events: [Event]
    public var faults: [Fault]

    public init(
        id: String, seed: UInt64, start: Date, duration: TimeInterval, sightEvery: TimeInterval,
        falsePositivesPerHour: Double, cameras: [Camera], events: [Event], faults: [Fault] = []
    ) {
        self.id = id
        self.seed = seed
        self.start = start
        self.duration = duration
        self.sightEvery = sightEvery
        self.falsePositivesPerHour = falsePositivesPerHour
        self.cameras = cameras
        self.events = events
        self.faults = faults
    }

    /// The NVR ids, in order of first appearance.
    public var nvrs: [String] {
        var seen: Set<String> = []
        return cameras.map(\.nvr).filter { seen.insert($0).inserted }
    }

    /// The classes a fixed camera reports at the first site.
    public static let classes: [DetectionClass] = [
        .garbage, .corridorClutter, .illegalParking, .personFallen, .objectThrown, .smoke,
    ]
}

/// A fault injected into a simulated run at a scenario time.
public struct Fault: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Every frame the device sends in the window is lost (it keeps what was not acknowledged).
        case linkDrop = "link_drop"
        /// Every frame the device sends in the window arrives `delay` seconds late.
        case linkDelay = "link_delay"
        /// The device process vanishes without a goodbye and comes back after the window with a new session.
        case crash
        /// No position fix in the window (drones).
        case gpsLoss = "gps_loss"
        /// The battery's remaining capacity falls to `capacity` (0–1) of what it was (drones).
        case batteryFailure = "battery_failure"
    }

    public var kind: Kind
    /// The device it strikes.
    public var device: String
    /// Seconds after the scenario's start.
    public var at: TimeInterval
    /// How long it lasts, seconds (0 for a battery failure).
    public var duration: TimeInterval
    /// For `link_delay`: how late frames arrive, seconds.
    public var delay: TimeInterval
    /// For `battery_failure`: the fraction of the remaining energy left.
    public var capacity: Double

    public init(
        kind: Kind, device: String, at: TimeInterval, duration: TimeInterval = 0, delay: TimeInterval = 0,
        capacity: Double = 1
    ) {
        self.kind = kind
        self.device = device
        self.at = at
        self.duration = duration
        self.delay = delay
        self.capacity = capacity
    }

    /// Whether the fault is under way `elapsed` seconds after the start.
    public func active(at elapsed: TimeInterval) -> Bool { elapsed >= at && elapsed < at + duration }

    /// Reads a scenario's `faults:` list.
    /// - Throws: ``LoadError`` with the file, line and field of the first problem.
    public static func list(_ node: YAMLNode?) throws(LoadError) -> [Fault] {
        try (node?.list() ?? []).map { (item) throws(LoadError) in
            let f = try item.mapping(["kind", "device", "at_s", "for_s", "delay_s", "capacity"])
            let kindNode = try f.required("kind")
            let text = try kindNode.string()
            guard let kind = Kind(rawValue: text) else {
                throw kindNode.error(
                    "unknown fault `\(text)`; expected one of: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let fault = Fault(
                kind: kind, device: try f.required("device").string(), at: try f.required("at_s").double(in: 0...1e7),
                duration: try f.optional("for_s")?.double(in: 0...1e6) ?? 0,
                delay: try f.optional("delay_s")?.double(in: 0...3600) ?? 0,
                capacity: try f.optional("capacity")?.double(in: 0...1) ?? 1)
            if kind == .linkDelay, fault.delay <= 0 {
                throw item.error("a link delay needs delay_s > 0", field: "delay_s")
            }
            if kind != .batteryFailure, fault.duration <= 0 { throw item.error("expected for_s > 0", field: "for_s") }
            return fault
        }
    }
}
