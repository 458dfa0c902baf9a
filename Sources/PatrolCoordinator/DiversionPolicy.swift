import Foundation
import PatrolGeo
import PatrolModel
public import PatrolPlanner

/// How the coordinator answers an urgent verification request with a drone already in the air.
public struct DiversionPolicy: Sendable, Hashable {
    /// Whether airborne drones on routine sorties are considered at all; without, an urgent
    /// sortie goes to a docked drone or pre-empts a routine one by sending its drone home.
    public var enabled: Bool
    /// Seconds the diverted drone holds over the target to look.
    public var look: Double
    /// Ground speed asked for on the way to the target, metres per second (capped by the drone's).
    public var speed: Double
    /// Metres from the target within which a diverted drone counts as overhead (it is also
    /// overhead once its telemetry says it holds, state `paused`).
    public var arrival: Double
    /// Seconds of the coordinator's clock to wait for the drone's answer to `go_to`; without
    /// one the diversion is given up (the drone is told to `resume`) and another drone is asked.
    public var answerTimeout: Double

    public init(
        enabled: Bool = true, look: Double = 120, speed: Double = 12, arrival: Double = 10, answerTimeout: Double = 30
    ) {
        self.enabled = enabled
        self.look = look
        self.speed = speed
        self.arrival = arrival
        self.answerTimeout = answerTimeout
    }
}

/// Why the drone of an urgent sortie was chosen: its estimate, and every other candidate's.
public struct UrgentChoice: Sendable, Codable, Hashable {
    /// The drone sent, docked (launched from its hive) or airborne (diverted from its sortie).
    public var chosen: VerificationEstimate
    /// The other drones that could have gone, soonest overhead first.
    public var alternatives: [VerificationEstimate]
    /// Why the other drones could not go (busy, gated, battery), one line each.
    public var excluded: [String]
    /// For a diversion: seconds from the request until the drone was overhead, from its telemetry.
    public var overheadAfter: Double?
    /// For a docked drone: metres its look (the urgent sortie's route) was raised to keep its
    /// transit clear of another drone's airspace by the vertical separation.
    public var raised: Double? = nil
}

/// A routine sortie's drone sent to look at an urgent sortie's target. Kept in the store while
/// it lasts (see `Coordinator+DiversionRestart.swift`).
struct Diversion: Codable {
    enum Phase: Equatable, Codable {
        /// `go_to` sent, not yet answered.
        case commanded
        /// The drone accepted and is on its way.
        case outbound
        /// Overhead since the date, looking.
        case looking(Date)
    }

    var urgent: String
    var routine: String
    var vehicle: String
    var command: String
    var commandedAt: Date
    var phase: Phase
    var target: XY
    /// Where the drone left its route (site metres): `resume` flies back there.
    var rejoin: XY
    /// The last route waypoint the routine sortie had reached: it resumes from there.
    var interruptedAt: Int
    /// Seconds after the command the drone is expected overhead (the estimate).
    var expected: Double
    /// Its way to the target, the look and the way back, as judged for separation (see
    /// `Coordinator+DiversionSeparation.swift`).
    var transit: Transit?
    /// Taken back from the store after a restart: nothing is done until the drone has said hello
    /// again and reported since (see `Coordinator+DiversionRestart.swift`).
    var restoredAt: Date?
}

/// What the last telemetry of an airborne drone said.
struct AirborneFix {
    var position: LonLat
    var altitude: Double
    var state: VehicleState
    var time: Date
    /// The waypoint of the uploaded route the drone flies towards.
    var waypointIndex: Int
}

/// An ``UrgentChoice`` in the event stream's `sortie.state` documents (`docs/events.md`).
struct UrgentChoiceDoc: Encodable {
    struct Estimate: Encodable {
        var drone: String
        var kind: String
        var sortie: String?
        var toCommand: Double
        var toOverhead: Double
        var energyWh: Double

        init(_ e: VerificationEstimate) {
            (drone, kind, sortie) = (e.drone, e.kind.rawValue, e.sortie)
            (toCommand, toOverhead, energyWh) = (e.toCommand, e.toOverhead, e.energyWh)
        }

        enum CodingKeys: String, CodingKey {
            case drone, kind, sortie
            case toCommand = "to_command_s"
            case toOverhead = "to_overhead_s"
            case energyWh = "energy_wh"
        }
    }

    var chosen: Estimate
    var alternatives: [Estimate]
    var excluded: [String]
    var overheadAfter: Double?
    var raised: Double?

    init(_ c: UrgentChoice) {
        chosen = Estimate(c.chosen)
        alternatives = c.alternatives.map(Estimate.init)
        excluded = c.excluded
        overheadAfter = c.overheadAfter
        raised = c.raised
    }

    enum CodingKeys: String, CodingKey {
        case chosen, alternatives, excluded
        case overheadAfter = "overhead_after_s"
        case raised = "raised_m"
    }
}
