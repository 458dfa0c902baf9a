public import Foundation
import PatrolModel
public import PatrolPlanner

/// How the coordinator re-plans the applied day when the world changes (see
/// `Coordinator+LiveReplan.swift` and `docs/scheduling.md`).
public struct LiveReplanPolicy: Sendable {
    /// Re-plan the day with ``Scheduler/replan(_:flown:unscheduled:at:keeping:)`` on events (solved
    /// off the coordinator's actor); off, only the local fallbacks at launch act (waiting, another
    /// drone, a shift for separation).
    public var enabled: Bool
    /// Seconds past its planned landing after which a sortie still in the air counts as running
    /// long: its drone is out of the day's plan until it lands.
    public var runningLong: Double
    /// Seconds a hive over its weather limits is assumed to stay so: the re-plan keeps its drones
    /// on the ground that long, and is made again if the weather still holds then, or as soon as
    /// the hive reports itself within its limits.
    public var weatherHold: Double
    /// When a re-plan solved off the actor is applied (see `Coordinator+ReplanSolve.swift`).
    public var applying: Applying
    /// Solves a re-plan instead of ``ReplanInput/solve()`` (tests: a solve that waits to be
    /// released). It runs on a thread of its own, off the coordinator's actor.
    public var solver: (@Sendable (ReplanInput) -> DaySchedule)?

    /// When a finished re-plan is applied.
    public enum Applying: Sendable {
        /// ``whenReady`` on the wall clock, ``whenSettled`` on a `VirtualClock`.
        case automatic
        /// As soon as it is solved (a real deployment).
        case whenReady
        /// Only in ``Coordinator/settled()`` (or once the clock has moved): the same result at
        /// the same point of a simulated run however fast the machine is.
        case whenSettled
        /// Solved and applied on the coordinator's actor at once, as the first version did (no
        /// frame is handled meanwhile): for comparison (`patrol bench replan --live`).
        case onActor
    }

    public init(
        enabled: Bool = true, runningLong: Double = 300, weatherHold: Double = 1800, applying: Applying = .automatic,
        solver: (@Sendable (ReplanInput) -> DaySchedule)? = nil
    ) {
        self.enabled = enabled
        self.runningLong = runningLong
        self.weatherHold = weatherHold
        self.applying = applying
        self.solver = solver
    }
}

/// One live re-plan of the day: what set it off and what it changed in the sortie queue.
public struct DayReplan: Sendable, Hashable, Codable {
    /// When it was made (the coordinator's clock).
    public var at: Date
    /// What set it off, in the order seen, e.g. `drone-lost drone-1`, `hive-offline hive-1`,
    /// `hive-weather hive-1`, `hive-back hive-1`, `running-long SORTIE`, `drone-fault drone-1`, `landed SORTIE`,
    /// `cut-short SORTIE`, `unplanned-launch SORTIE`, `rest-refused SORTIE`.
    public var triggers: [String]
    /// Queued scheduled sorties given another drone, launch time or resume point.
    public var moved: [String]
    /// Queued scheduled sorties refused because the new plan has no room for them.
    public var dropped: [String]
    /// Sorties queued for occurrences the new plan flies and the queue did not hold.
    public var added: [String]
    /// Wall-clock milliseconds the scheduler took, off the coordinator's actor (not part of any
    /// deterministic log).
    public var solveMilliseconds: Double
    /// Wall-clock milliseconds from the first trigger seen to the re-plan applied: the solve, and
    /// the wait for an earlier solve or for ``Coordinator/settled()`` (not part of any
    /// deterministic log).
    public var waitMilliseconds: Double = 0

    /// The kind of the first trigger (`drone-lost`, `hive-offline`, …): the metrics label.
    public var kind: String { triggers.first.map { String($0.prefix { $0 != " " }) } ?? "none" }
}

/// The day the coordinator runs live: the problem and schedule it was applied with, the day as
/// last re-planned, and what live events have changed since. Kept in the store as JSON (one
/// row per day, `v12-live-day`) after every apply and re-plan, so a coordinator started again
/// re-plans the same day.
struct LiveDay: Codable {
    /// Local midnight of the day: the schedule's seconds count from it.
    var midnight: Date
    /// The day's problem as applied (fleet, patrols, forecast, planned outages).
    var problem: ScheduleProblem
    /// The day as last planned; its sorties before the last re-plan are the ones flown (kept as
    /// they flew, on the drone that flew them), and `mission#sortie` sorties are launches outside
    /// the schedule (operators', urgent ones, the rest of a cut-short sortie) kept in the way.
    var schedule: DaySchedule
    /// The sorties of the day as applied: a re-plan keeps each occurrence there while it fits, so
    /// a day goes back to its announced plan once an event has passed (`nil` in a day kept before
    /// this was recorded).
    var applied: [Sortie]?
    var missions: [Mission]
    var site: Site
    var siteFile: URL?
    /// Outages from live events; an open one runs to infinity.
    var outages: [Outage] = []
    /// Drones and hives with an open live outage, and why.
    var down: [String: String] = [:]
    /// Where a patrol's next occurrence resumes, when the rest of a cut-short sortie was refused.
    var resume: [String: Int] = [:]
    /// The sortie (id in the book) flying each occurrence, by ``LiveDay/key(_:_:)``.
    var occurrences: [String: String] = [:]
    /// Sorties whose launch or cut has been re-planned for; rests refused already resumed.
    var launchSeen: Set<String> = []
    var cutSeen: Set<String> = []
    var restSeen: Set<String> = []
    /// Re-plans made so far, by ``DayReplan/kind``.
    var replans: [String: Int] = [:]
    /// The rests of cut-short sorties the re-plan places, by the cut sortie's id (`nil` in a day
    /// kept before rests were placed by the re-plan).
    var rests: [String: LiveRest]?

    static func key(_ patrol: String, _ due: Double) -> String { String(format: "%@@%.3f", patrol, due) }

    /// The day's name in the store: its midnight, ISO 8601.
    var name: String { midnight.formatted(.iso8601) }

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        e.outputFormatting = [.sortedKeys]
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}

/// The rest of a cut-short sortie of the live day, placed by the re-plan (see
/// `Coordinator+ReplanRests.swift`).
struct LiveRest: Codable, Hashable {
    /// The patrol (mission id).
    var patrol: String
    /// The waypoint it resumes from.
    var from: Int
    /// Seconds after midnight when it was cut: the rest is due then, held for its patrol's window.
    var due: Double
    var priority: Int
    /// The urgent sortie that pre-empted it: the rest waits for it to end.
    var after: String?
    /// The sortie queued for it once a re-plan placed it.
    var queued: String?

    /// Its patrol's id in the re-plan's problem.
    static func patrolID(cut: String, patrol: String) -> String { "\(patrol)+rest:\(cut)" }
}

/// The `schedule.replanned` document of the event stream.
struct ReplanDoc: Encodable {
    var triggers: [String]
    var moved: [String]
    var dropped: [String]
    var added: [String]
    var solveMilliseconds: Double
    var waitMilliseconds: Double

    init(_ r: DayReplan) {
        (triggers, moved, dropped, added, solveMilliseconds, waitMilliseconds) = (
            r.triggers, r.moved, r.dropped, r.added, r.solveMilliseconds, r.waitMilliseconds
        )
    }

    enum CodingKeys: String, CodingKey {
        case triggers, moved, dropped, added
        case solveMilliseconds = "solve_ms"
        case waitMilliseconds = "wait_ms"
    }
}
