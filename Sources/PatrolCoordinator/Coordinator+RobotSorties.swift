public import Foundation
import Logging
import PatrolGeo
import PatrolLink
public import PatrolModel
public import PatrolPlanner
import PatrolStore

/// Ground robots' rounds in the sortie queue: a day's ``RobotSchedule`` (or an operator) queues
/// them as sorties whose mission is a `robot_round`; at their time the round goes to its robot
/// through the same upload and start as ``Coordinator/launchRound(_:mission:site:siteFile:device:)``,
/// gated on the robot being connected, docked (no other round) and charged enough, and recorded
/// with its checkpoints (`robotRound`). A round that docks with checkpoints not reached (link
/// lost, battery low, a blocked edge) is cut short; the patrol's next queued round resumes from
/// the first checkpoint missed, driving past the earlier ones without stopping. See
/// `docs/scheduling.md`, "The live layer".
extension Coordinator {
    /// Queues every round of the robots' part of a day's schedule.
    ///
    /// - Parameters:
    ///   - midnight: local midnight of the scheduled day (round times are seconds after it).
    ///   - missions: the scheduled rounds' missions; a round whose mission is not given is refused.
    /// - Returns: each round's status, in the schedule's order.
    public func apply(
        _ robots: RobotSchedule, midnight: Date, missions: [Mission], site: Site, siteFile: URL? = nil
    ) -> [SortieStatus] {
        let byID = Dictionary(missions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return robots.sorties.map { round in
            let start = midnight.addingTimeInterval(round.start)
            guard let mission = byID[round.patrol] else {
                return SortieStatus(
                    id: Self.flightID(mission: round.patrol, device: round.robot, at: start),
                    missionID: round.patrol, vehicle: round.robot, state: .refused, plannedLaunch: start,
                    reason: "no mission `\(round.patrol)` given", origin: .scheduled, priority: round.priority)
            }
            return requestOccurrence(
                SortieRequest(
                    mission: mission, site: site, siteFile: siteFile, vehicle: round.robot, notBefore: start,
                    priority: round.priority, origin: .scheduled), due: midnight.addingTimeInterval(round.due))
        }
    }

    // MARK: - Requests

    /// The round as the scheduler sees it (its edges and length), planned once per mission and
    /// station: from the station of `robot` when it is one of the mission's `other_stations`.
    func roundTask(_ entry: SortieBook.Entry, robot: String? = nil) throws -> RobotRoundTask {
        let mission = robot.map { roundMission(entry, robot: $0) } ?? entry.request.mission
        let key = "\(mission.id)@\(mission.hive)"
        if let task = sortieBook.roundTasks[key] { return task }
        var scheduled = mission
        // `RobotRoundTask` reads a schedule; an operator's round may have none.
        if scheduled.schedule == nil { scheduled.schedule = PatrolSchedule(recurrence: .times([])) }
        guard let task = try RobotRoundTask(mission: scheduled, site: entry.request.site) else {
            throw Validate.Problem("mission `\(mission.id)` is not a robot round")
        }
        sortieBook.roundTasks[key] = task
        return task
    }

    /// Watt-hours `robot` needs for the round: its power over the whole round's time. A resumed
    /// round drives the same way (past the checkpoints already seen), so it needs as much.
    func roundEnergy(_ entry: SortieBook.Entry, robot: Robot) -> Double? {
        guard let task = try? roundTask(entry, robot: robot.id) else { return nil }
        return robot.power * task.timing(for: robot).duration / 3600
    }

    /// What makes a round impossible whatever the time: an unknown robot, one of another
    /// station or without the round's sensors, a round longer than its usable battery.
    func roundRequestProblem(_ entry: SortieBook.Entry) -> String? {
        guard case .robotRound(let spec) = entry.request.mission.kind else { return nil }
        guard let vehicle = entry.request.vehicle, let fleet = sortieBook.fleet?.fleet else { return nil }
        guard let robot = fleet.robots.first(where: { $0.id == vehicle }) else {
            return "the fleet has no robot `\(vehicle)`; it has: "
                + (fleet.robots.isEmpty ? "none" : fleet.robots.map(\.id).sorted().joined(separator: ", "))
        }
        if robot.station != spec.station, !spec.otherStations.contains(robot.station) {
            return "\(vehicle) docks at `\(robot.station)`, the round starts at `\(spec.station)`"
                + (spec.otherStations.isEmpty ? "" : " (or " + spec.otherStations.joined(separator: ", ") + ")")
        }
        let missing = spec.sensors.subtracting(robot.sensors)
        if !missing.isEmpty {
            return "\(vehicle) lacks \(missing.sorted().map(\.rawValue).joined(separator: ", "))"
        }
        guard let need = roundEnergy(entry, robot: robot) else { return "the round cannot be planned" }
        let usable = robot.batteryWh * (1 - robot.reserve)
        if need > usable {
            return String(
                format: "the round needs %.0f Wh; %@ holds %.0f Wh above its reserve", need, vehicle, usable)
        }
        return nil
    }

    // MARK: - Launch

    /// The robots that may drive `entry`: an operator's chosen robot only; otherwise the assigned
    /// robot, then the other robots of the round's station that carry its sensors (by id), then
    /// those of the mission's `other_stations` (see `Coordinator+RobotReplan.swift`).
    func roundCandidates(for entry: SortieBook.Entry) -> [String] {
        let request = entry.request
        if let vehicle = request.vehicle, request.origin == .operator { return [vehicle] }
        guard case .robotRound(let spec) = request.mission.kind else { return [] }
        let assigned = entry.status.vehicle ?? request.vehicle
        let others: [String]
        if let fleet = sortieBook.fleet?.fleet {
            others = fleet.robots.filter { $0.station == spec.station && spec.sensors.isSubset(of: $0.sensors) }
                .map(\.id)
        } else {
            others = sessions.filter { $0.value.hello.kind == .robot }.map(\.key)
        }
        let own = (assigned.map { [$0] } ?? []) + others.filter { $0 != assigned }.sorted()
        return own + otherStationRobots(entry).filter { !own.contains($0) }
    }

    func fleetRobot(_ id: String) -> Robot? { sortieBook.fleet?.fleet.robots.first { $0.id == id } }

    /// Gating of a round: why it may not leave on `vehicle` now, or `nil`. The robot must be
    /// connected, in service, at its station (not on another round, past its turnaround) and
    /// hold the round's energy plus its reserve.
    func roundGate(_ entry: SortieBook.Entry, vehicle: String, now: Date) -> String? {
        guard sessions[vehicle] != nil, !lostDevices.contains(vehicle) else { return "\(vehicle) is not connected" }
        // A robot whose last report says `emergency` is faulted (`Coordinator+RobotLoss.swift`).
        if sortieBook.fixes[vehicle]?.state == .emergency { return "\(vehicle) reports a fault (emergency)" }
        guard sortieBook.fleet != nil else { return nil }
        guard let robot = fleetRobot(vehicle) else { return "the fleet has no robot `\(vehicle)`" }
        if !robot.state.isSchedulable { return "\(vehicle) is \(robot.state.rawValue)" }
        guard let need = roundEnergy(entry, robot: robot) else { return "the round cannot be planned" }
        let charge = robotCharge(robot, now: now)
        let reserve = robot.batteryWh * robot.reserve
        if charge < need + reserve {
            return String(
                format: "%@ battery %.0f Wh is below the %.0f Wh the round needs plus %.0f Wh reserve", vehicle,
                charge, need, reserve)
        }
        return nil
    }

    /// A robot's charge now, watt-hours: its last reported battery, charged at its station's
    /// power since ``robotChargingFrom(_:last:)`` (one turnaround after it docked, or its later
    /// report); full when it has reported nothing (as the scheduler assumes at the start of the day).
    func robotCharge(_ robot: Robot, now: Date) -> Double {
        guard let last = sortieBook.battery[robot.id] else { return robot.batteryWh }
        let level = last.fraction * robot.batteryWh
        let driving = sortieBook.live.contains { sortieBook.entries[$0]?.status.vehicle == robot.id }
        guard !driving, let from = robotChargingFrom(robot, last: last.at) else { return level }
        let charging = now.timeIntervalSince(from)
        return min(robot.batteryWh, level + robot.chargePower * max(0, charging) / 3600)
    }

    /// A robot's turnaround after docking, seconds, when the fleet says it.
    func robotTurnaround(_ vehicle: String) -> Double? { fleetRobot(vehicle)?.turnaround }

    /// The plan a round drives from checkpoint waypoint `index`: the whole route, with the
    /// checkpoints before `index` driven past (transit) rather than stood at. The robot keeps to
    /// the path graph, and the route's waypoint indices (its checkpoints) stay those of the full round.
    static func resumedRound(_ plan: CoveragePlan, from index: Int) -> CoveragePlan {
        guard index > 0 else { return plan }
        var result = plan
        for i in result.route.waypoints.indices where i > 0 && i < index && result.route.waypoints[i].kind == .survey {
            result.route.waypoints[i].kind = .transit
        }
        return result
    }

    /// Records a round's checkpoints once its flight is recorded, so its telemetry marks them.
    func recordRound(_ id: String, plan: CoveragePlan, entry: SortieBook.Entry, vehicle: String) throws {
        guard case .robotRound(let spec) = entry.request.mission.kind else { return }
        let checkpoints = RoundCheckpoint.of(
            route: plan.route, site: entry.request.site, storeyHeight: RobotRoundPlanner.storeyHeight)
        try store.save(
            RobotRoundRecord(flightID: id, robotID: vehicle, station: spec.station, checkpoints: checkpoints))
        robotRounds[id] = ActiveRound(device: vehicle, checkpoints: checkpoints)
    }

    // MARK: - Ending

    /// A round's robot has docked: landed when every checkpoint was reached; otherwise cut short
    /// with what was missed and why, and the patrol's next queued round resumes from the first
    /// checkpoint missed (or, with none queued, the round stays partial and says so).
    func roundDocked(_ id: String, now: Date) {
        guard var entry = sortieBook.entries[id], entry.isRound, !entry.status.state.isFinal else { return }
        let record = try? store.robotRound(id)
        let checkpoints = record?.checkpoints ?? []
        let missed = checkpoints.filter { $0.reachedAt == nil }
        guard let first = missed.first else {
            entry.status.state = .landed
            entry.status.progress = 1
            sortieBook.entries[id] = entry
            return
        }
        var why = entry.notes
        if let events = try? store.events(flightID: id) {
            if let vehicle = entry.status.vehicle, events.contains(where: { $0.kind == "link_lost" }) {
                why.append("link to \(vehicle) lost")
            }
            why += events.filter { $0.kind == "failsafe" }.compactMap(\.detail)
        }
        if why.isEmpty { why.append("blocked or skipped on the way") }
        var seen: Set<String> = []
        let cause = why.filter { seen.insert($0).inserted }.joined(separator: "; ")
        entry.cut = true
        entry.status.state = .cutShort
        entry.status.lastWaypoint = first.waypointIndex
        let reached = checkpoints.count - missed.count
        entry.status.progress = checkpoints.isEmpty ? 0 : Double(reached) / Double(checkpoints.count)
        var reason =
            "partial: reached \(reached) of \(checkpoints.count) checkpoints, missed "
            + missed.map(\.name).joined(separator: ", ") + " (\(cause))"
        if let next = nextQueuedRound(after: entry),
            sortieBook.entries[next]?.request.mission.hive == entry.request.mission.hive
        {
            var resumed = sortieBook.entries[next]!
            resumed.request.resumeFrom = first.waypointIndex
            resumed.status.resumeFrom = first.waypointIndex
            sortieBook.entries[next] = resumed
            keep(next, request: resumed.request)
            entry.status.continuedBy = next
            reason += "; \(next) resumes from \(first.name)"
        } else {
            reason += "; no later round of \(entry.request.mission.id) is queued to resume it"
        }
        entry.status.reason = reason
        sortieBook.entries[id] = entry
        logger.notice(
            "robot round cut short",
            metadata: ["sortie.id": "\(id)", "sortie.reason": "\(reason)", "waypoint": "\(first.waypointIndex)"])
    }

    /// The patrol's next round still queued from the start (the one that resumes a partial round).
    func nextQueuedRound(after entry: SortieBook.Entry) -> String? {
        sortieBook.order.compactMap { sortieBook.entries[$0] }
            .filter {
                $0.isRound && $0.status.state == .queued && $0.request.mission.id == entry.request.mission.id
                    && $0.status.resumeFrom == 0 && $0.status.id != entry.status.id
            }
            .min { ($0.status.plannedLaunch, $0.status.id) < ($1.status.plannedLaunch, $1.status.id) }?.status.id
    }
}
