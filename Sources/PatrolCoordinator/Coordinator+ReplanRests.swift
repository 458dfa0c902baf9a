import Foundation
import Logging
import PatrolModel
import PatrolPlanner

/// The rest of a cut-short sortie placed by the day's re-plan.
///
/// When a sortie of a patrol of the live day is cut short (link loss, a turn back on the drone's
/// own failsafe, a weather recall, a pre-emption) with live re-planning on, its rest is not queued
/// at once by the local fallback: it goes into the re-plan as an occurrence of its own (a patrol
/// `PATROL+rest:SORTIE` with one occurrence due when it was cut, held for the patrol's window,
/// resumed from the waypoint it stopped at, ``ScheduleProblem/resume``), and the scheduler places
/// it on the drone and at the time that fit: charge, pads, airspace, outages, the window. The
/// sortie queued for it is the cut sortie's ``SortieStatus/continuedBy``, moved by later re-plans
/// as any queued sortie of the day. When no drone and time fit within its hold, the patrol's next
/// occurrence resumes where it stopped instead. With live re-planning off, or no day applied, or
/// an operator's sortie, the rest is queued at once as before.
extension Coordinator {
    /// Leaves the rest of `id`, cut short at waypoint `from`, to the day's re-plan; `false` when
    /// the local fallback queues it (live re-planning off, no day applied, not a patrol of the day).
    func leaveRestToReplan(_ id: String, from: Int, at time: Date) -> Bool {
        guard sortieBook.replanPolicy.enabled, var day = sortieBook.liveDay, let entry = sortieBook.entries[id],
            !entry.isRound, entry.request.origin == .scheduled,
            day.problem.patrols.contains(where: { $0.id == entry.request.mission.id }),
            day.missions.contains(where: { $0.id == entry.request.mission.id })
        else { return false }
        var rests = day.rests ?? [:]
        rests[id] = LiveRest(
            patrol: entry.request.mission.id, from: from, due: time.timeIntervalSince(day.midnight),
            priority: entry.status.priority)
        day.rests = rests
        sortieBook.liveDay = day
        logger.info(
            "rest left to the re-plan",
            metadata: ["sortie.id": "\(id)", "mission.id": "\(entry.request.mission.id)", "waypoint": "\(from)"])
        return true
    }

    /// A pre-empted sortie's rest waits for the urgent sortie `urgent` to end.
    func restWaits(_ id: String, for urgent: String) {
        guard sortieBook.liveDay?.rests?[id] != nil else { return }
        sortieBook.liveDay?.rests?[id]?.after = urgent
    }

    /// The rests still to place, as patrols of `problem`; the rests spent (their sortie launched or
    /// ended) or gone (their sortie not in the queue since a restart) are forgotten.
    func restPatrols(_ day: inout LiveDay, problem: inout ScheduleProblem) -> [ReplanInput.Rest] {
        guard var rests = day.rests, !rests.isEmpty else { return [] }
        var result: [ReplanInput.Rest] = []
        for (cut, rest) in rests.sorted(by: { $0.key < $1.key }) {
            if let queued = rest.queued {
                guard let entry = sortieBook.entries[queued], entry.status.launchedAt == nil,
                    entry.status.state == .queued
                else {
                    rests[cut] = nil
                    continue
                }
            }
            guard var task = problem.patrols.first(where: { $0.id == rest.patrol }) else {
                rests[cut] = nil
                continue
            }
            task.id = LiveRest.patrolID(cut: cut, patrol: rest.patrol)
            task.schedule.recurrence = .times([rest.due])
            task.schedule.priority = rest.priority
            task.schedule.maxStaleness = nil
            problem.patrols.append(task)
            problem.resume[task.id] = rest.from
            result.append(ReplanInput.Rest(id: task.id, patrol: rest.patrol, from: rest.from))
        }
        day.rests = rests
        return result
    }

    /// Queues or moves the sortie of each rest the plan placed; a rest it could not place gives
    /// its resume point to the patrol's next occurrence, and a sortie queued for it is refused.
    /// Only the rests the plan was solved with (`solved`, their patrol ids) are judged.
    func placeRests(
        _ plan: DaySchedule, solved: Set<String>, day: inout LiveDay, because: String, moved: inout [String],
        added: inout [String], dropped: inout [String], now: Date
    ) {
        guard var rests = day.rests, !rests.isEmpty else { return }
        let placed = Dictionary(plan.sorties.map { ($0.patrol, $0) }, uniquingKeysWith: { a, _ in a })
        for (cut, rest) in rests.sorted(by: { $0.key < $1.key })
        where solved.contains(LiveRest.patrolID(cut: cut, patrol: rest.patrol)) {
            guard let sortie = placed[LiveRest.patrolID(cut: cut, patrol: rest.patrol)] else {
                // No room within its hold: the patrol's next sortie resumes where it stopped.
                rests[cut] = nil
                day.resume[rest.patrol] = rest.from
                day.restSeen.insert(cut)
                if let queued = rest.queued, var entry = sortieBook.entries[queued], entry.status.state == .queued,
                    entry.status.launchedAt == nil
                {
                    entry.status.state = .refused
                    entry.status.reason =
                        "re-planned (\(because)): no drone within its hold; the patrol's next sortie resumes from waypoint \(rest.from)"
                    sortieBook.entries[queued] = entry
                    sortieChanged(entry.status)
                    dropped.append(queued)
                }
                continue
            }
            let launch = day.midnight.addingTimeInterval(sortie.start)
            if let queued = rest.queued, var entry = sortieBook.entries[queued] {
                guard entry.status.state == .queued, entry.status.launchedAt == nil else { continue }
                if entry.status.vehicle == sortie.drone, entry.status.plannedLaunch == launch { continue }
                let was = "\(entry.status.vehicle ?? "any") at \(clockTime(entry.status.plannedLaunch))"
                entry.request.vehicle = sortie.drone
                entry.request.notBefore = launch
                entry.status.vehicle = sortie.drone
                entry.status.plannedLaunch = launch
                entry.shiftedFor = nil
                entry.status.reason = "re-planned (\(because)): \(sortie.drone) at \(clockTime(launch)), was \(was)"
                sortieBook.entries[queued] = entry
                keep(queued, request: entry.request)
                sortieChanged(entry.status)
                moved.append(queued)
                continue
            }
            guard let mission = day.missions.first(where: { $0.id == rest.patrol }) else { continue }
            let status = request(
                SortieRequest(
                    mission: mission, site: day.site, siteFile: day.siteFile, vehicle: sortie.drone,
                    notBefore: launch, priority: rest.priority, origin: .scheduled, resumeFrom: rest.from))
            guard sortieBook.entries[status.id] != nil, status.state == .queued else { continue }
            sortieBook.entries[status.id]?.status.reason =
                "the rest of \(cut) from waypoint \(rest.from), placed by a re-plan (\(because))"
            // Held for its patrol's window from when it was cut, as the fallback's rest is.
            sortieBook.entries[status.id]?.due = day.midnight.addingTimeInterval(rest.due)
            sortieBook.entries[cut]?.status.continuedBy = status.id
            if let urgent = rest.after, let other = sortieBook.entries[urgent], !other.landed,
                !other.status.state.isFinal
            {
                sortieBook.entries[status.id]?.resumeAfter = urgent
            }
            rests[cut]?.queued = status.id
            added.append(status.id)
        }
        day.rests = rests
        sortieBook.recomputeNextDue()
    }

    /// The capable drones (comma-separated) that only a link loss keeps from flying an occurrence the
    /// re-plan could not place for want of a drone (`offline`), or `nil`. Such an occurrence stays
    /// queued rather than refused: a link loss is often short, and when the drone speaks again the
    /// re-plan places the same sortie (moved, not queued anew). If it is still lost at the sortie's
    /// time, gating waits the patrol's window and refuses it then.
    func lostOnTheLink(_ missing: Unscheduled, day: LiveDay) -> String? {
        guard missing.reason.code == "offline",
            let patrol = day.problem.patrols.first(where: { $0.id == missing.patrol })
        else { return nil }
        let lost = day.problem.fleet.drones.filter {
            patrol.schedule.payload.isSubset(of: $0.payload)
                && (day.down[$0.id] == "link lost" || day.down[$0.hive] == "offline")
        }
        return lost.isEmpty ? nil : lost.map(\.id).sorted().joined(separator: ", ")
    }

    /// Whether `entry` is the sortie of a rest, launched on the drone and at the time (within
    /// ``lateLaunchSlack``) where the day as last planned has it: no re-plan is needed for it.
    func launchedAsPlaced(_ entry: SortieBook.Entry, vehicle: String, launched: Date, day: LiveDay) -> Bool {
        guard let (cut, rest) = day.rests?.first(where: { $0.value.queued == entry.status.id }) else { return false }
        let patrol = LiveRest.patrolID(cut: cut, patrol: rest.patrol)
        guard let planned = day.schedule.sorties.first(where: { $0.patrol == patrol }) else { return false }
        let start = launched.timeIntervalSince(day.midnight)
        return planned.drone == vehicle && abs(start - planned.start) <= Self.lateLaunchSlack
    }
}
