public import Foundation
import PatrolModel
import PatrolPlanner

/// How the coordinator re-plans the applied day when the world changes (see
/// `Coordinator+LiveReplan.swift` and `docs/scheduling.md`).
public struct LiveReplanPolicy: Sendable {
    /// Re-plan the day with ``Scheduler/replan(_:previous:at:)`` on events; off, only the local
    /// fallbacks at launch act (waiting, another drone, a shift for separation).
    public var enabled: Bool
    /// Seconds past its planned landing after which a sortie still in the air counts as running
    /// long: its drone is out of the day's plan until it lands.
    public var runningLong: Double
    /// Seconds a hive over its weather limits is assumed to stay so: the re-plan keeps its drones
    /// on the ground that long, and is made again if the weather still holds then, or as soon as
    /// the hive reports itself within its limits.
    public var weatherHold: Double

    public init(enabled: Bool = true, runningLong: Double = 300, weatherHold: Double = 1800) {
        self.enabled = enabled
        self.runningLong = runningLong
        self.weatherHold = weatherHold
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
    /// Wall-clock milliseconds the scheduler took (not part of any deterministic log).
    public var solveMilliseconds: Double

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

/// The `schedule.replanned` document of the event stream.
struct ReplanDoc: Encodable {
    var triggers: [String]
    var moved: [String]
    var dropped: [String]
    var added: [String]
    var solveMilliseconds: Double

    init(_ r: DayReplan) {
        (triggers, moved, dropped, added, solveMilliseconds) = (
            r.triggers, r.moved, r.dropped, r.added, r.solveMilliseconds
        )
    }

    enum CodingKeys: String, CodingKey {
        case triggers, moved, dropped, added
        case solveMilliseconds = "solve_ms"
    }
}
