public import Foundation
public import PatrolGeo
public import PatrolModel
import PatrolPlanner

/// A request to fly one sortie of a mission: from the day's schedule, from an operator, or an
/// urgent verification (go and look at a position now). A `robot_round` mission is a ground
/// robot's round (see `Coordinator+RobotSorties.swift`).
public struct SortieRequest: Sendable, Codable {
    /// Who asked for the sortie.
    public enum Origin: String, Sendable, Codable {
        /// One occurrence of a patrol from the day's ``DaySchedule``.
        case scheduled
        /// An operator asked for it.
        case `operator`
        /// An urgent verification sortie (a smoke alarm, a camera sighting): it may pre-empt a routine one.
        case urgent
    }

    public var mission: Mission
    public var site: Site
    /// The site file the site came from, kept in the flight's record for follow-ups.
    public var siteFile: URL?
    /// The drone to fly it; `nil` lets the coordinator choose when it launches.
    public var vehicle: String?
    /// The earliest launch; `nil` is now.
    public var notBefore: Date?
    /// Higher is more important (1 to 10); decides which of two due sorties goes first.
    public var priority: Int
    public var origin: Origin
    /// The route waypoint the sortie starts from: 0, or where a cut-short sortie stopped.
    public var resumeFrom: Int
    /// For an urgent verification: where to look. The drone overhead soonest goes: a ready docked
    /// one, or one diverted from a lower-priority sortie it is flying (see ``DiversionPolicy``);
    /// when none can go now, a routine sortie is pre-empted (its drone sent home).
    public var target: LonLat?

    public init(
        mission: Mission, site: Site, siteFile: URL? = nil, vehicle: String? = nil, notBefore: Date? = nil,
        priority: Int = 5, origin: Origin = .operator, resumeFrom: Int = 0, target: LonLat? = nil
    ) {
        self.mission = mission
        self.site = site
        self.siteFile = siteFile
        self.vehicle = vehicle
        self.notBefore = notBefore
        self.priority = priority
        self.origin = origin
        self.resumeFrom = resumeFrom
        self.target = target
    }
}

/// Where a sortie is in its life.
public enum SortieState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its launch time (or for its drone).
    case queued
    /// Not flown: pre-flight gating or planning said no (see ``SortieStatus/reason``).
    case refused
    /// Its route is being uploaded to the drone, or the drone has not yet taken off.
    case uploading
    case inFlight
    /// Paused in the air: by an operator's `pause`, or diverted (`go_to`) to look at an urgent
    /// sortie's target (the sortie layer's other pre-emption sends a drone home, ``returning``).
    case paused
    /// Told to return to its hive before finishing (pre-empted, weather).
    case returning
    /// Flown to the end and landed; for an urgent sortie flown by a diverted drone, its look is over.
    case landed
    /// Ended without flying its route (refused by the drone, aborted).
    case aborted
    /// Ended before its last waypoint (link lost, pre-empted, weather); the rest is flown by
    /// another sortie, whose id is in ``SortieStatus/continuedBy``.
    case cutShort

    /// Whether the sortie is over.
    public var isFinal: Bool { [.refused, .landed, .aborted, .cutShort].contains(self) }
}

/// A sortie as the coordinator sees it now.
public struct SortieStatus: Sendable, Codable, Hashable {
    /// The flight id the sortie flies (or will fly) under.
    public var id: String
    public var missionID: String
    /// The drone (or the robot, for a round); `nil` while queued for the coordinator to choose.
    public var vehicle: String?
    public var state: SortieState
    /// The fraction of the route's waypoints reached, 0 to 1.
    public var progress: Double
    /// When it is (or was) due to launch.
    public var plannedLaunch: Date
    /// When the launch (mission upload) was commanded.
    public var launchedAt: Date?
    /// Why it was refused or cut short.
    public var reason: String?
    public var origin: SortieRequest.Origin
    public var priority: Int
    /// The route waypoint it starts from (more than 0 when it resumes a cut-short sortie).
    public var resumeFrom: Int
    /// The last route waypoint reached, as reported by the drone's telemetry.
    public var lastWaypoint: Int?
    /// The sortie that flies the rest of this one, when this one was cut short.
    public var continuedBy: String?
    /// Seconds from the request, or from the launch time it asked for when later, to the launch
    /// command (a launch shifted for airspace separation counts the shift):
    /// for an urgent sortie, the time from request to launch it is judged on.
    public var requestToLaunch: Double?
    /// For an urgent sortie: the drone chosen, with its estimate and the other candidates'.
    public var choice: UrgentChoice?

    public init(
        id: String, missionID: String, vehicle: String?, state: SortieState, progress: Double = 0,
        plannedLaunch: Date, launchedAt: Date? = nil, reason: String? = nil, origin: SortieRequest.Origin = .operator,
        priority: Int = 5, resumeFrom: Int = 0, lastWaypoint: Int? = nil, continuedBy: String? = nil,
        requestToLaunch: Double? = nil
    ) {
        self.id = id
        self.missionID = missionID
        self.vehicle = vehicle
        self.state = state
        self.progress = progress
        self.plannedLaunch = plannedLaunch
        self.launchedAt = launchedAt
        self.reason = reason
        self.origin = origin
        self.priority = priority
        self.resumeFrom = resumeFrom
        self.lastWaypoint = lastWaypoint
        self.continuedBy = continuedBy
        self.requestToLaunch = requestToLaunch
    }
}

/// What the coordinator knows about its fleet for sorties: the drones' batteries and energy
/// model and the hives' limits (the scheduler's fleet file), to choose drones and gate launches.
public struct SortieFleet: Sendable {
    public var fleet: Fleet
    /// Each hive's position, site metres (see ``ScheduleProblem/hivePositions(of:site:)``).
    public var hivePositions: [String: XY]

    public init(fleet: Fleet, hivePositions: [String: XY]) {
        self.fleet = fleet
        self.hivePositions = hivePositions
    }
}
