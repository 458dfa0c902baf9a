import PatrolModel

/// Assigns a day's patrol occurrences to drones.
///
/// The algorithm is a greedy list scheduler with a local improvement step:
///
/// 1. **Expand** every patrol's recurrence into occurrences, each with a due time and a start
///    window (`due ... due + window`).
/// 2. **Order** them by priority (highest first), then due time, then patrol id, so that when
///    drones, batteries or airspace are short, the higher-priority occurrences get them.
/// 3. **Place** each occurrence on the drone that can launch it earliest (ties: the drone with
///    the least payload to spare, a drone of the patrol's home hive, less energy, drone id). For
///    one drone, the earliest launch is found by starting at the due time and moving forward past
///    whatever is in the way, each step strictly later: an outage of the drone or its hive,
///    weather outside the hive's or the patrol's limits, the drone's own sorties plus the hive's
///    turnaround, the time the charging curve needs to bring the battery to the sortie's energy
///    plus reserve (and keep every later sortie of the drone feasible), another drone's sortie in
///    the same airspace (overlapping extents without vertical separation), and a launch or
///    landing on the same pad too close to another. Past the end of the window, the occurrence is
///    unscheduled with the last obstacle as its reason.
/// 4. **Improve** (up to three passes, see ``SchedulerState/improve(_:unscheduled:fixed:)``):
///    each late occurrence is taken out and placed again, keeping a strictly earlier launch; each
///    unscheduled one is tried again; then each unscheduled or late occurrence tries to eject one
///    sortie in its way (on small days, a chain of two) and re-place it elsewhere (dropping it
///    only if not of higher priority),
///    kept when the day's cost falls (an hour per priority point unscheduled, a second per second
///    late); on days of up to 20,000 occurrences × drones, two-hour blocks are also emptied and
///    refilled in due-time order, kept when cheaper without dropping more of any priority.
/// 5. **Search** (see ``SchedulerState/search(unscheduled:work:)``): a large-neighbourhood
///    search takes a late or unscheduled occurrence and the sorties nearest it out and puts them
///    back by regret, priority or a seeded random order, kept when cheaper (or as cheap: it walks
///    on through days of equal cost); its budget is a count of placements scaled to the day's
///    size, never a clock, and it stops early when half a budget brings no gain. Then the
///    occurrences still unflown are tried once more, each by clearing a run of one capable
///    drone's day around it (``SchedulerState/repairUnflown(unscheduled:)``). Blocker trades
///    (``SchedulerState/tradeBlockers(passes:)``: the sortie a late occurrence waits for swaps
///    drones with a sortie of another drone launching near it) run after that, and before the
///    walk on days where the cap cuts its budget.
///
/// Energy per sortie is the drone's consumption model over the route's level flight, climbs,
/// descents and hover, with the strongest forecast wind taken as a headwind throughout. The
/// result is deterministic: no clock, no hashing order, and a generator with a fixed seed.
public enum Scheduler {
    /// Schedules `problem`'s day.
    ///
    /// - Parameters:
    ///   - fixed: sorties already flown or flying, kept as they are (a re-plan's past).
    ///   - notBefore: seconds after local midnight before which nothing new may launch.
    ///   - keeping: earlier plans of the day, most preferred first (a live re-plan's: the day as
    ///     applied, then as last re-planned). Each occurrence is kept first where the first of them
    ///     that still fits under `problem` put it (same drone, same launch); only what fits in none
    ///     is placed again, and the improvement and search then move a kept sortie only when that
    ///     makes the day cheaper. A re-plan thus changes as little of the announced day as the
    ///     event forces, and goes back to the applied day where the event has passed.
    public static func schedule(
        _ problem: ScheduleProblem, fixed: [Sortie] = [], notBefore: Double = 0, keeping: [[Sortie]] = []
    ) -> DaySchedule {
        let done = Set(fixed.map { OccurrenceKey(patrol: $0.patrol, due: $0.due) })
        var occurrences = Self.occurrences(problem).filter {
            !done.contains(OccurrenceKey(patrol: problem.patrols[$0.patrol].id, due: $0.due))
                && $0.due + problem.patrols[$0.patrol].schedule.window >= notBefore
        }
        // A sortie cut short resumes on the patrol's next occurrence still to fly.
        for (patrol, waypoint) in problem.resume.sorted(by: { $0.key < $1.key }) {
            let mine = occurrences.indices.filter { problem.patrols[occurrences[$0].patrol].id == patrol }
            if let next = mine.min(by: { occurrences[$0].due < occurrences[$1].due }) {
                occurrences[next].resumeFrom = waypoint
            }
        }
        for index in occurrences.indices { occurrences[index].id = index }
        var state = SchedulerState(problem: problem, occurrences: occurrences, fixed: fixed, notBefore: notBefore)
        var unscheduled: [Int: Unscheduled.Reason] = [:]
        let kept = state.keep(keeping)
        for occurrence in occurrences where !kept.contains(occurrence.id) {
            switch state.bestPlacement(occurrence) {
            case .success(let sortie): state.insert(sortie, occurrence: occurrence.id)
            case .failure(let failure): unscheduled[occurrence.id] = failure.reason
            }
        }
        state.improve(unscheduled: &unscheduled)
        state.search(unscheduled: &unscheduled, settle: !kept.isEmpty)
        let sorties = state.allSorties.sorted { ($0.start, $0.drone) < ($1.start, $1.drone) }
        let missing = unscheduled.map { id, reason in
            let occurrence = occurrences[id]
            return Unscheduled(
                patrol: problem.patrols[occurrence.patrol].id, due: occurrence.due, priority: occurrence.priority,
                reason: reason)
        }.sorted { ($0.due, $0.patrol) < ($1.due, $1.patrol) }
        return DaySchedule(sorties: sorties, unscheduled: missing, staleness: staleness(problem, sorties))
    }

    /// Re-plans from `now`: keeps the sorties of `previous` that launched before `now` and
    /// schedules everything else again under `problem` (which may carry new outages or weather).
    public static func replan(_ problem: ScheduleProblem, previous: DaySchedule, at now: Double) -> DaySchedule {
        let kept = previous.sorties.filter { $0.start < now }
        var result = schedule(problem, fixed: kept, notBefore: now)
        let past = previous.unscheduled.filter { u in
            result.unscheduled.allSatisfy { $0.patrol != u.patrol || $0.due != u.due }
                && result.sorties.allSatisfy { $0.patrol != u.patrol || $0.due != u.due }
        }
        result.unscheduled = (past + result.unscheduled).sorted { ($0.due, $0.patrol) < ($1.due, $1.patrol) }
        return result
    }

    /// Re-plans from `now` around the day as it was flown: `flown` (the sorties launched, on the
    /// drone that flies them, each kept whatever its launch time, even `now`; a sortie of a patrol
    /// not in `problem` is kept in the way of the others) and the occurrences `unscheduled` before;
    /// everything else is scheduled again under `problem`, starting from the plans in `keeping`
    /// (what still fits stays where it was). The coordinator's live re-plans use it.
    public static func replan(
        _ problem: ScheduleProblem, flown: [Sortie], unscheduled: [Unscheduled], at now: Double,
        keeping: [[Sortie]] = []
    ) -> DaySchedule {
        var result = schedule(problem, fixed: flown, notBefore: now, keeping: keeping)
        let past = unscheduled.filter { u in
            result.unscheduled.allSatisfy { $0.patrol != u.patrol || $0.due != u.due }
                && result.sorties.allSatisfy { $0.patrol != u.patrol || $0.due != u.due }
        }
        result.unscheduled = (past + result.unscheduled).sorted { ($0.due, $0.patrol) < ($1.due, $1.patrol) }
        return result
    }

    /// Every occurrence of every patrol, in the order the greedy pass places them.
    static func occurrences(_ problem: ScheduleProblem) -> [Occurrence] {
        var result: [Occurrence] = []
        for (index, patrol) in problem.patrols.enumerated() {
            for due in patrol.schedule.recurrence.dueTimes {
                result.append(
                    Occurrence(
                        id: 0, patrol: index, due: due, priority: patrol.schedule.priority, resumeFrom: 0))
            }
        }
        return result.sorted {
            ($0.priority, -$0.due, problem.patrols[$1.patrol].id) > (
                $1.priority, -$1.due, problem.patrols[$0.patrol].id
            )
        }
    }

    /// Gaps longer than each patrol's maximum staleness between consecutive launches, counting
    /// from its first due time.
    static func staleness(_ problem: ScheduleProblem, _ sorties: [Sortie]) -> [StalenessGap] {
        var gaps: [StalenessGap] = []
        for patrol in problem.patrols {
            guard let limit = patrol.schedule.maxStaleness, let first = patrol.schedule.recurrence.dueTimes.first,
                let last = patrol.schedule.recurrence.dueTimes.last
            else { continue }
            let starts = [first] + sorties.filter { $0.patrol == patrol.id }.map(\.start).sorted() + [last]
            for (a, b) in zip(starts, starts.dropFirst()) where b - a > limit {
                gaps.append(StalenessGap(patrol: patrol.id, from: a, to: b, limit: limit))
            }
        }
        return gaps
    }
}

/// One due occurrence of a patrol.
struct Occurrence: Hashable {
    /// Its index in the scheduler's list of occurrences (``SchedulerState/occurrences``).
    var id: Int
    var patrol: Int
    var due: Double
    var priority: Int
    var resumeFrom: Int

    func key(_ problem: ScheduleProblem) -> OccurrenceKey {
        OccurrenceKey(patrol: problem.patrols[patrol].id, due: due)
    }
}

struct OccurrenceKey: Hashable {
    var patrol: String
    var due: Double
}

extension Sortie {
    var key: OccurrenceKey { OccurrenceKey(patrol: patrol, due: due) }
}
