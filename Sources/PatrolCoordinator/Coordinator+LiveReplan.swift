public import Foundation
import Logging
import PatrolGeo
public import PatrolModel
public import PatrolPlanner
import PatrolStore

/// Live re-planning of the applied day with the scheduler.
///
/// A day applied with ``Coordinator/applyDay(_:problem:midnight:missions:site:siteFile:)`` keeps
/// its ``ScheduleProblem`` and ``DaySchedule``. On events, the rest of the day is planned again
/// with ``Scheduler/replan(_:flown:unscheduled:at:keeping:)`` (the sorties flown and flying kept
/// as they fly, on the drone flying them; the queued ones kept where the applied day put them,
/// or else where the last re-plan did, while that still fits; everything else placed again from now, with pad intervals, airspace, charge and windows
/// over the rest of the day), and the sortie queue is reconciled with it:
///
/// - a drone lost on the link: an outage of the drone from now, lifted when it speaks again;
/// - a drone reporting `emergency` outside a flight (a fault found on the ground): an outage of
///   the drone from now, lifted when it reports another state (gating refuses it meanwhile);
/// - a hive lost on the link or reporting its door stuck: an outage of the hive from now, lifted
///   when it reports back; over its weather limits: an outage for ``LiveReplanPolicy/weatherHold``,
///   renewed while the weather holds, lifted when it reports itself within its limits;
/// - a sortie running long past its planned landing by ``LiveReplanPolicy/runningLong``, or cut
///   short by the drone's own failsafe (a fault: it turned back on its own, declared an
///   emergency): its drone is out from now until it lands (re-planned again then);
/// - a sortie cut short, and a launch outside the schedule (an operator's, an urgent one, the rest
///   of a cut-short sortie): kept in the way of the others; the rest of a cut-short sortie of the
///   day is placed by the re-plan (`Coordinator+ReplanRests.swift`), and one that finds no room,
///   or is refused at launch, makes the patrol's next occurrence resume where it stopped
///   (``ScheduleProblem/resume``).
///
/// Reconciling: queued (not launched) scheduled sorties of the day take the new plan's drone,
/// launch time and resume point; the ones it drops are refused with the scheduler's reason (those
/// only drones lost on the link could fly stay queued for their return); an occurrence it flies
/// that the queue does not hold is queued. Launched, urgent, operator sorties and robot rounds are
/// never touched. Events of the same clock second make one re-plan, solved off the actor
/// (`Coordinator+ReplanSolve.swift`), logged ("day re-planned") and sent as
/// ``CoordinatorEvent/dayReplanned(_:)``; the local fallbacks at launch (waiting, another drone, a
/// shift for separation) stay as the last line.
extension Coordinator {
    /// Sets how the applied day is re-planned on events (on by default).
    public func configureReplanning(_ policy: LiveReplanPolicy) { sortieBook.replanPolicy = policy }

    /// Queues every sortie of a day's schedule, as ``apply(_:midnight:missions:site:siteFile:)``
    /// does, and keeps the day (`problem` and `schedule`, also in the store) to re-plan it live.
    ///
    /// - Parameter problem: the problem `schedule` was made from.
    /// - Returns: each sortie's status, in the schedule's order.
    public func applyDay(
        _ schedule: DaySchedule, problem: ScheduleProblem, midnight: Date, missions: [Mission], site: Site,
        siteFile: URL? = nil
    ) -> [SortieStatus] {
        // Queued first, then kept: the queue's first run sees no day to re-plan yet.
        let statuses = apply(schedule, midnight: midnight, missions: missions, site: site, siteFile: siteFile)
        var day = LiveDay(
            midnight: midnight, problem: problem, schedule: schedule, missions: missions, site: site,
            siteFile: siteFile)
        day.applied = schedule.sorties
        for (sortie, status) in zip(schedule.sorties, statuses) where sortieBook.entries[status.id] != nil {
            day.occurrences[LiveDay.key(sortie.patrol, sortie.due)] = status.id
            sortieBook.entries[status.id]?.due = midnight.addingTimeInterval(sortie.due)
        }
        sortieBook.liveDay = day
        // A re-plan being solved for the day before is not applied to this one.
        sortieBook.solving.generation += 1
        keepLiveDay()
        return statuses
    }

    /// The day as last planned (applied, then re-planned live), or `nil` when no day was applied.
    public func liveSchedule() -> DaySchedule? { sortieBook.liveDay?.schedule }

    /// The re-plans made so far today, by the kind of their first trigger.
    public func replanCounts() -> [String: Int] { sortieBook.liveDay?.replans ?? [:] }

    // MARK: - Events

    /// Notes what changed since the last run and re-plans the day when something did (at most
    /// once a second of the clock: events of the same second make one re-plan). Called by
    /// ``runSorties()`` after following the flights and before launching what is due.
    func replanLive(now: Date) {
        guard sortieBook.replanPolicy.enabled, sortieBook.liveDay != nil else { return }
        settleIfClockMoved(now: now)
        guard var day = sortieBook.liveDay else { return }
        // Taken out while observed, so that the day's sets and lists are changed in place rather
        // than copied on every frame.
        sortieBook.liveDay = nil
        var triggers: [String] = []
        observeDrones(&day, now: now, triggers: &triggers)
        observeHives(&day, now: now, triggers: &triggers)
        observeSorties(&day, now: now, triggers: &triggers)
        sortieBook.liveDay = day
        noteReplanTriggers(triggers)
        startReplanIfDue(now: now)
    }

    private func seconds(_ date: Date, _ day: LiveDay) -> Double { date.timeIntervalSince(day.midnight) }

    private func open(_ subject: String, why: String, until: Double = .infinity, _ day: inout LiveDay, now: Date) {
        let t = seconds(now, day)
        day.outages.append(Outage(subject: subject, from: t, to: until, reason: why))
        day.down[subject] = why
    }

    private func close(_ subject: String, _ day: inout LiveDay, now: Date) {
        let t = seconds(now, day)
        for i in day.outages.indices where day.outages[i].subject == subject && day.outages[i].to > t {
            day.outages[i].to = max(day.outages[i].from, t)
        }
        day.down[subject] = nil
    }

    /// Drones lost on the link or reporting a fault on the ground (out from now) and back (in again).
    private func observeDrones(_ day: inout LiveDay, now: Date, triggers: inout [String]) {
        for drone in day.problem.fleet.drones.map(\.id).sorted() {
            let lost = lostDevices.contains(drone)
            if lost, day.down[drone] == nil {
                open(drone, why: "link lost", &day, now: now)
                triggers.append("drone-lost \(drone)")
            } else if !lost, day.down[drone] == "link lost", sessions[drone] != nil {
                close(drone, &day, now: now)
                triggers.append("drone-back \(drone)")
            }
            let faulted = sortieBook.dockedFaults[drone] != nil
            if faulted, day.down[drone] == nil {
                open(drone, why: Self.dockedFault, &day, now: now)
                triggers.append("drone-fault \(drone)")
            } else if !faulted, day.down[drone] == Self.dockedFault {
                close(drone, &day, now: now)
                triggers.append("drone-back \(drone)")
            }
        }
    }

    /// Hives lost on the link, with their door stuck or over their weather limits, and back.
    private func observeHives(_ day: inout LiveDay, now: Date, triggers: inout [String]) {
        let t = seconds(now, day)
        for hive in day.problem.fleet.hives.sorted(by: { $0.id < $1.id }) {
            // Until a hive has spoken since a restart, what was last known of it holds.
            guard sessions[hive.id] != nil || lostDevices.contains(hive.id) else { continue }
            var why: String?
            var kind = "hive-offline"
            if lostDevices.contains(hive.id) {
                why = "offline"
            } else if let status = sortieBook.hiveStatus[hive.id] {
                if status.door == "stuck" {
                    why = "door stuck"
                } else if let v = hive.weatherLimits.violation(
                    by: Weather(wind: status.windSpeed, rain: status.rain, temperature: status.temperature))
                {
                    why = "over its weather limits (\(v))"
                    kind = "hive-weather"
                }
            }
            let weather = kind == "hive-weather"
            let hold = sortieBook.replanPolicy.weatherHold
            switch (why, day.down[hive.id]) {
            case (let why?, nil):
                open(hive.id, why: why, until: weather ? t + hold : .infinity, &day, now: now)
                triggers.append("\(kind) \(hive.id)")
            case (let why?, let was?) where Self.outageKind(why) != Self.outageKind(was):
                close(hive.id, &day, now: now)
                open(hive.id, why: why, until: weather ? t + hold : .infinity, &day, now: now)
                triggers.append("\(kind) \(hive.id)")
            case (_?, _?) where weather:
                // The weather outlasts the hold assumed: assume it again from now.
                if let last = day.outages.last(where: { $0.subject == hive.id }), last.to <= t {
                    open(hive.id, why: why!, until: t + hold, &day, now: now)
                    triggers.append("\(kind) \(hive.id)")
                }
            case (nil, _?):
                close(hive.id, &day, now: now)
                triggers.append("hive-back \(hive.id)")
            default: break
            }
        }
    }

    /// Why a drone reporting `emergency` on the ground is out of the day (until it reports another state).
    static let dockedFault = "fault reported on the ground (emergency)"

    /// How a sortie cut short by the drone's own failsafe says so (see `Coordinator+TurnBack.swift`).
    static let faultMarks = ["turned back on its own", "declared an emergency", "is landing short of its route"]

    /// What kind of hive outage a reason is: a change of wind within the same spell is not a new one.
    static func outageKind(_ why: String) -> String {
        why.hasPrefix("over its weather limits") ? "weather" : why
    }

    /// Sorties launched outside the schedule, cut short, running long and landed late; rests of
    /// cut-short sorties refused.
    private func observeSorties(_ day: inout LiveDay, now: Date, triggers: inout [String]) {
        for id in sortieBook.live.sorted() {
            guard let entry = sortieBook.entries[id], !entry.isRound, let vehicle = entry.status.vehicle,
                let launched = entry.status.launchedAt
            else { continue }
            if !day.launchSeen.contains(id), !day.occurrences.values.contains(id) {
                day.launchSeen.insert(id)
                // A rest launched where the re-plan placed it changes nothing the plan assumed.
                if !launchedAsPlaced(entry, vehicle: vehicle, launched: launched, day: day) {
                    triggers.append("unplanned-launch \(id)")
                }
            }
            if entry.cut {
                if !day.cutSeen.contains(id) {
                    day.cutSeen.insert(id)
                    triggers.append("cut-short \(id)")
                }
                // The drone's own failsafe took over (a failing battery, GPS loss): out until it lands.
                if day.down[vehicle] == nil, !lostDevices.contains(vehicle),
                    Self.faultMarks.contains(where: { entry.status.reason?.contains($0) == true })
                {
                    open(vehicle, why: "fault on \(id)", &day, now: now)
                    triggers.append("drone-fault \(vehicle)")
                }
                continue
            }
            guard day.down[vehicle] == nil, let landing = plannedLanding(entry, vehicle: vehicle, launched: launched),
                now.timeIntervalSince(landing) > sortieBook.replanPolicy.runningLong
            else { continue }
            open(vehicle, why: "running long on \(id)", &day, now: now)
            triggers.append("running-long \(id)")
        }
        for drone in day.down.keys.sorted() {
            guard let why = day.down[drone], let prefix = ["running long on ", "fault on "].first(where: why.hasPrefix)
            else { continue }
            let id = String(why.dropFirst(prefix.count))
            guard sortieBook.entries[id].map(\.landed) ?? true else { continue }
            close(drone, &day, now: now)
            triggers.append("landed \(id)")
        }
        for id in day.cutSeen.sorted() where !day.restSeen.contains(id) {
            guard let entry = sortieBook.entries[id],
                let rest = entry.status.continuedBy.flatMap({ sortieBook.entries[$0] }),
                rest.status.state == .refused, rest.status.launchedAt == nil
            else { continue }
            day.restSeen.insert(id)
            day.resume[entry.request.mission.id] = rest.status.resumeFrom
            triggers.append("rest-refused \(rest.status.id)")
        }
    }

    /// When a launched sortie is due to land, by the scheduler's model (kept per sortie).
    private func plannedLanding(_ entry: SortieBook.Entry, vehicle: String, launched: Date) -> Date? {
        if let known = sortieBook.plannedLanding[entry.status.id] { return known }
        guard let fleet = sortieBook.fleet, let drone = fleet.fleet.drone(vehicle),
            let home = fleet.hivePositions[droneHive(vehicle) ?? drone.hive] ?? entry.plan.waypointsXY.first
        else { return nil }
        let profile = patrolTask(entry).profile(from: home, resumeAt: entry.status.resumeFrom, drone: drone)
        let landing = launched.addingTimeInterval(profile.duration)
        sortieBook.plannedLanding[entry.status.id] = landing
        return landing
    }

    // MARK: - Re-plan

    /// The day so far as flown: every launched sortie of the day on the drone that flies it,
    /// from its launch for the scheduler's duration (a sortie still flying past that holds its
    /// drone a minute past now), and, after a restart, the flown part of the day as last planned.
    private func flownSorties(_ day: LiveDay, now: Date) -> [Sortie] {
        let t = seconds(now, day)
        var result: [Sortie] = []
        var counted: Set<String> = []
        let planned = Dictionary(
            day.schedule.sorties.map { (LiveDay.key($0.patrol, $0.due), $0) }, uniquingKeysWith: { a, _ in a })
        for (key, id) in day.occurrences.sorted(by: { $0.key < $1.key }) {
            counted.insert(id)
            guard let entry = sortieBook.entries[id] else {
                // Not in the queue since a restart: as last planned, if it was due to have launched.
                if let sortie = planned[key], sortie.start < t { result.append(sortie) }
                continue
            }
            guard let launched = entry.status.launchedAt, let vehicle = entry.status.vehicle,
                let sortie = flown(entry, vehicle: vehicle, launched: launched, day: day, now: now)
            else { continue }
            var kept = sortie
            if let p = planned[key] { (kept.patrol, kept.due) = (p.patrol, p.due) }
            result.append(kept)
        }
        // Launches outside the schedule: in the way of the others.
        for id in sortieBook.order where !counted.contains(id) {
            guard let entry = sortieBook.entries[id], !entry.isRound, let launched = entry.status.launchedAt,
                launched >= day.midnight, let vehicle = entry.status.vehicle,
                let sortie = flown(entry, vehicle: vehicle, launched: launched, day: day, now: now)
            else { continue }
            counted.insert(id)
            result.append(sortie)
        }
        // Those of before a restart, as last planned.
        for sortie in day.schedule.sorties where sortie.patrol.contains("#") && sortie.start < t {
            let id = String(sortie.patrol.drop { $0 != "#" }.dropFirst())
            if !counted.contains(id) { result.append(sortie) }
        }
        return result
    }

    private func flown(_ entry: SortieBook.Entry, vehicle: String, launched: Date, day: LiveDay, now: Date) -> Sortie? {
        guard let drone = day.problem.fleet.drone(vehicle),
            let home = day.problem.hivePositions[drone.hive] ?? entry.plan.waypointsXY.first
        else { return nil }
        let profile = patrolTask(entry).profile(from: home, resumeAt: entry.status.resumeFrom, drone: drone)
        let start = seconds(launched, day)
        var end = start + profile.duration
        let t = seconds(now, day)
        if !entry.landed, end <= t { end = t + Self.lateLaunchSlack }
        return Sortie(
            patrol: "\(entry.request.mission.id)#\(entry.status.id)", due: start, drone: vehicle, hive: drone.hive,
            start: start, end: end, resumeFrom: entry.status.resumeFrom, profile: profile,
            priority: entry.status.priority)
    }

    /// Takes the snapshot of the day the re-plan needs and starts solving it off the actor
    /// (`Coordinator+ReplanSolve.swift`); ``applyReplan(_:fixed:rests:triggers:now:solveMilliseconds:waitMilliseconds:)``
    /// reconciles the queue with the result.
    func replanDay(now: Date, triggers: [String]) {
        guard var day = sortieBook.liveDay else { return }
        let t = seconds(now, day)
        // A resume point is spent once the occurrence carrying it has launched.
        for (patrol, waypoint) in day.resume.sorted(by: { $0.key < $1.key }) {
            let spent = day.occurrences.values.contains {
                guard let e = sortieBook.entries[$0] else { return false }
                return e.request.mission.id == patrol && e.status.resumeFrom == waypoint && e.status.launchedAt != nil
            }
            if spent { day.resume[patrol] = nil }
        }
        var problem = day.problem
        problem.outages += day.outages
        for (patrol, waypoint) in day.resume { problem.resume[patrol] = waypoint }
        // The rests of cut-short sorties, each an occurrence of its own (`Coordinator+ReplanRests.swift`).
        let rests = restPatrols(&day, problem: &problem)
        let flown = flownSorties(day, now: now)
        let fixed = Set(flown.map { LiveDay.key($0.patrol, $0.due) })
        sortieBook.liveDay = day
        let input = ReplanInput(
            problem: problem, flown: flown, unscheduled: day.schedule.unscheduled, at: t,
            keeping: [day.applied ?? [], day.schedule.sorties], rests: rests)
        startSolve(input, fixed: fixed, triggers: triggers, now: now)
    }

    /// Reconciles the queue with a solved re-plan of the day (on the actor).
    func applyReplan(
        _ plan: DaySchedule, fixed: Set<String>, rests solved: Set<String>, triggers: [String], now: Date,
        solveMilliseconds: Double, waitMilliseconds: Double
    ) {
        guard var day = sortieBook.liveDay else { return }
        let missions = Dictionary(day.missions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let because = triggers.joined(separator: ", ")
        var moved: [String] = []
        var added: [String] = []
        var dropped: [String] = []
        let rests = solved
        for sortie in plan.sorties
        where !fixed.contains(LiveDay.key(sortie.patrol, sortie.due)) && !rests.contains(sortie.patrol) {
            let key = LiveDay.key(sortie.patrol, sortie.due)
            let launch = day.midnight.addingTimeInterval(sortie.start)
            if let id = day.occurrences[key], var entry = sortieBook.entries[id] {
                if entry.status.launchedAt != nil || !entry.status.state.isFinal && entry.status.state != .queued {
                    continue
                }
                if entry.status.state == .queued {
                    guard entry.request.origin == .scheduled, !entry.cut else { continue }
                    let same =
                        entry.status.vehicle == sortie.drone && entry.status.plannedLaunch == launch
                        && entry.status.resumeFrom == sortie.resumeFrom
                    if same { continue }
                    let was = "\(entry.status.vehicle ?? "any") at \(clockTime(entry.status.plannedLaunch))"
                    entry.request.vehicle = sortie.drone
                    entry.request.notBefore = launch
                    entry.request.resumeFrom = sortie.resumeFrom
                    entry.status.vehicle = sortie.drone
                    entry.status.plannedLaunch = launch
                    entry.status.resumeFrom = sortie.resumeFrom
                    entry.shiftedFor = nil
                    entry.due = day.midnight.addingTimeInterval(sortie.due)
                    entry.status.reason =
                        "re-planned (\(because)): \(sortie.drone) at \(clockTime(launch)), was \(was)"
                        + (sortie.resumeFrom > 0 ? ", from waypoint \(sortie.resumeFrom)" : "")
                    sortieBook.entries[id] = entry
                    keep(id, request: entry.request)
                    sortieChanged(entry.status)
                    moved.append(id)
                    continue
                }
            }
            // Dropped by an earlier re-plan (or never queued): the new plan has room for it again.
            // One refused otherwise (gating, its hold, its request) is not asked for again.
            if let id = day.occurrences[key], let entry = sortieBook.entries[id],
                entry.status.reason?.hasPrefix("re-planned") != true
            {
                continue
            }
            guard let mission = missions[sortie.patrol] else { continue }
            let status = request(
                SortieRequest(
                    mission: mission, site: day.site, siteFile: day.siteFile, vehicle: sortie.drone,
                    notBefore: launch, priority: sortie.priority, origin: .scheduled, resumeFrom: sortie.resumeFrom))
            guard sortieBook.entries[status.id] != nil, status.state == .queued else { continue }
            sortieBook.entries[status.id]?.status.reason = "queued by a re-plan (\(because))"
            sortieBook.entries[status.id]?.due = day.midnight.addingTimeInterval(sortie.due)
            day.occurrences[key] = status.id
            added.append(status.id)
        }
        placeRests(
            plan, solved: solved, day: &day, because: because, moved: &moved, added: &added, dropped: &dropped, now: now
        )
        for missing in plan.unscheduled {
            guard let id = day.occurrences[LiveDay.key(missing.patrol, missing.due)],
                var entry = sortieBook.entries[id],
                entry.status.state == .queued, entry.status.launchedAt == nil, entry.request.origin == .scheduled
            else { continue }
            // Only a drone lost on the link could fly it: kept for its return (`Coordinator+ReplanRests.swift`).
            if let lost = lostOnTheLink(missing, day: day) {
                let reason = "re-planned (\(because)): \(missing.reason); kept for \(lost), lost on the link"
                if entry.status.reason != reason {
                    entry.status.reason = reason
                    sortieBook.entries[id] = entry
                    sortieChanged(entry.status)
                }
                continue
            }
            entry.status.state = .refused
            entry.status.reason = "re-planned (\(because)): \(missing.reason)"
            sortieBook.entries[id] = entry
            resumePaused(after: id, now: now)
            sortieChanged(entry.status)
            dropped.append(id)
        }
        day.schedule = plan
        let replan = DayReplan(
            at: now, triggers: triggers, moved: moved, dropped: dropped, added: added,
            solveMilliseconds: solveMilliseconds, waitMilliseconds: waitMilliseconds)
        day.replans[replan.kind, default: 0] += 1
        sortieBook.liveDay = day
        sortieBook.recomputeNextDue()
        sortieBook.nextAttempt = nil
        keepLiveDay()
        logger.notice(
            "day re-planned",
            metadata: [
                "replan.trigger": "\(because)", "replan.moved": "\(moved.count)", "replan.dropped": "\(dropped.count)",
                "replan.added": "\(added.count)", "replan.solve_ms": "\(String(format: "%.1f", solveMilliseconds))",
                "replan.wait_ms": "\(String(format: "%.1f", waitMilliseconds))",
                "sortie.moved": "\(moved.joined(separator: ","))",
                "sortie.dropped": "\(dropped.joined(separator: ","))",
            ])
        emit(.dayReplanned(replan))
    }

    func clockTime(_ date: Date) -> String {
        guard let day = sortieBook.liveDay else { return date.formatted(.iso8601) }
        let t = Int(seconds(date, day).rounded())
        return String(format: "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
    }

    // MARK: - Keeping the day

    /// Writes the live day to the store (one row per day, replaced).
    func keepLiveDay() {
        guard let day = sortieBook.liveDay else { return }
        do {
            let document = try LiveDay.encoder().encode(day)
            try store.saveLiveDay(day: day.name, document: document, at: clock.now())
        } catch {
            logger.error("cannot keep the live day", metadata: ["store.error": "\(error)"])
        }
    }

    /// Takes up the day last kept in the store, after ``resumeQueuedSorties()`` queued its
    /// waiting sorties again: each queued scheduled sortie is matched to its occurrence by
    /// mission, drone and launch time in the day as last planned.
    func resumeLiveDay() {
        guard sortieBook.liveDay == nil else { return }
        let kept: (day: String, document: Data)?
        do { kept = try store.latestLiveDay() } catch {
            logger.error("cannot read the live day", metadata: ["store.error": "\(error)"])
            return
        }
        guard let kept else { return }
        guard var day = try? LiveDay.decoder().decode(LiveDay.self, from: kept.document) else {
            logger.error("the live day kept cannot be read; not re-planned", metadata: ["replan.day": "\(kept.day)"])
            return
        }
        // A day that is over is not taken up again.
        guard clock.now() < day.midnight.addingTimeInterval(86_400) else { return }
        for id in sortieBook.order {
            guard let entry = sortieBook.entries[id], entry.status.state == .queued, entry.request.origin == .scheduled,
                !entry.isRound,
                let sortie = day.schedule.sorties.first(where: {
                    $0.patrol == entry.request.mission.id && $0.drone == entry.status.vehicle
                        && abs(day.midnight.addingTimeInterval($0.start).timeIntervalSince(entry.status.plannedLaunch))
                            < 1e-3
                })
            else { continue }
            day.occurrences[LiveDay.key(sortie.patrol, sortie.due)] = id
            sortieBook.entries[id]?.due = day.midnight.addingTimeInterval(sortie.due)
        }
        sortieBook.liveDay = day
        logger.notice(
            "live day resumed", metadata: ["replan.day": "\(kept.day)", "replan.outages": "\(day.down.count)"])
        keepLiveDay()
    }
}
