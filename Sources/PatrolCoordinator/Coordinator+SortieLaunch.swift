import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore

/// Launching due sorties and following them: vehicle choice, pre-flight gating, hand-over to the
/// flight machinery (upload, start), and what happens when a drone lands or is lost.
extension Coordinator {
    func launchDueSorties(now: Date) {
        let rank = Dictionary(uniqueKeysWithValues: sortieBook.order.enumerated().map { ($1, $0) })
        let due = sortieBook.order.compactMap { sortieBook.entries[$0] }
            .filter {
                $0.status.state == .queued && $0.status.plannedLaunch <= now && $0.resumeAfter == nil
                    && !waitsForReplan($0)
            }
            .sorted {
                let a = ($0.request.origin == .urgent ? 1 : 0, $0.status.priority)
                let b = ($1.request.origin == .urgent ? 1 : 0, $1.status.priority)
                if a != b { return a > b }
                return ($0.status.plannedLaunch, rank[$0.status.id]!) < ($1.status.plannedLaunch, rank[$1.status.id]!)
            }
        for entry in due { tryLaunch(entry.status.id, now: now) }
        sortieBook.recomputeNextDue()
    }

    /// Launches a due sortie on the first drone that is free and passes gating, or keeps it
    /// queued (with why) until its hold runs out, or refuses it.
    func tryLaunch(_ id: String, now: Date) {
        guard var entry = sortieBook.entries[id] else { return }
        // An urgent sortie goes to the drone overhead soonest, docked or diverted in the air.
        if entry.request.origin == .urgent, !entry.isRound, dispatchUrgent(id, now: now) { return }
        var reasons: [String] = []
        var gated = false
        let urgent = entry.request.origin == .urgent
        var conflicts: [AirspaceConflict] = []
        var edgeConflicts: [NarrowEdgeConflict] = []
        let vehicles =
            entry.isRound
            ? roundCandidates(for: entry) : urgent ? urgentCandidates(for: entry) : candidates(for: entry, now: now)
        for vehicle in vehicles {
            if let busy = busyReason(vehicle) {
                reasons.append(busy)
                continue
            }
            if let problem = entry.isRound
                ? roundGate(entry, vehicle: vehicle, now: now) : gate(entry, vehicle: vehicle, now: now)
            {
                reasons.append(problem)
                gated = true
                continue
            }
            // An urgent sortie's way to its target keeps clear of other drones' airspace (`+DiversionSeparation`).
            if urgent, let conflict = urgentLaunchConflict(id, vehicle: vehicle, now: now) {
                reasons.append(conflict)
                continue
            }
            // A re-plan (continuation, late or moved launch) keeps clear of other drones' airspace;
            // one on time, of the diversions under way (`+DiversionReturn`).
            if let conflict = airspaceConflict(entry, vehicle: vehicle, now: now)
                ?? diversionConflict(entry, vehicle: vehicle, now: now)
            {
                conflicts.append(conflict)
                continue
            }
            // A round leaving late keeps off other rounds' narrow edges (`Coordinator+RobotReplan.swift`).
            if let conflict = narrowEdgeConflict(entry, vehicle: vehicle, now: now) {
                edgeConflicts.append(conflict)
                continue
            }
            if let problem = relocateRound(id, to: vehicle) {
                reasons.append(problem)
                continue
            }
            launchSortie(id, vehicle: vehicle, now: now)
            return
        }
        if shiftForSeparation(id, conflicts: conflicts, now: now) { return }
        if shiftForNarrowEdges(id, conflicts: edgeConflicts, now: now) { return }
        if urgent, entry.preempted == nil, preempt(for: id, now: now) {
            entry = sortieBook.entries[id]!
            // Why no drone could go at once (busy, gated, its way not separated), said once each.
            var seen: Set<String> = []
            let why = reasons.filter { seen.insert($0).inserted }.joined(separator: "; ")
            entry.status.reason =
                "waiting for \(entry.status.vehicle ?? "?"), pre-empted from \(entry.preempted ?? "?")"
                + (why.isEmpty ? "" : " (none could go at once: \(why))")
            sortieBook.entries[id] = entry
            sortieChanged(entry.status)
            return
        }
        if reasons.isEmpty { reasons.append(entry.isRound ? "no robot can drive it" : "no drone can fly it") }
        // Drones of one hive share its reason: say it once.
        var seen: Set<String> = []
        var reason = reasons.filter { seen.insert($0).inserted }.joined(separator: "; ")
        let hold =
            switch entry.request.origin {
            case .scheduled: entry.request.mission.schedule?.window ?? sortieBook.defaultHold
            case .operator: gated ? 0 : sortieBook.defaultHold
            // An urgent sortie waits for its pre-empted drone; without one, it is refused at once.
            case .urgent: entry.preempted != nil ? sortieBook.defaultHold : 0
            }
        // A scheduled sortie or round holds to its patrol's window (from its due time), even when
        // the scheduler, a shift or a re-plan put its launch at the window's end (`+RoundHolds`).
        if now >= holdEnd(entry, hold: hold) {
            // A scheduled round is moved to the earliest later time a robot can drive it.
            if entry.isRound, moveRound(id, why: &reason, now: now) { return }
            entry.status.state = .refused
            entry.status.reason = reason
            // The "sortie changed" line of the event says it (state refused, with the reason).
            logger.debug("sortie refused", metadata: ["sortie.id": "\(id)", "sortie.reason": "\(reason)"])
            sortieBook.entries[id] = entry
            resumePaused(after: id, now: now)
            sortieChanged(entry.status)
        } else if entry.status.reason != "waiting: " + reason {
            entry.status.reason = "waiting: " + reason
        }
        sortieBook.entries[id] = entry
    }

    /// The drones that may fly `entry`, best first: an operator's chosen drone only; otherwise
    /// the assigned drone, then every other capable drone, those of the mission's hive first.
    func candidates(for entry: SortieBook.Entry, now: Date) -> [String] {
        let request = entry.request
        if let vehicle = request.vehicle, request.origin == .operator { return [vehicle] }
        let assigned = entry.status.vehicle ?? request.vehicle
        let payload = request.mission.schedule?.payload ?? []
        var others: [(String, Int, Double, String)] = []
        let fleetDrones: [String]
        if let fleet = sortieBook.fleet?.fleet {
            fleetDrones = fleet.drones.filter { payload.isSubset(of: $0.payload) }.map(\.id)
        } else {
            fleetDrones = sessions.filter { $0.value.hello.kind == .drone }.map(\.key)
        }
        let home = sortieBook.fleet?.hivePositions[request.mission.hive]
        for id in fleetDrones where id != assigned && sessions[id] != nil {
            let hive = droneHive(id)
            let distance =
                home.flatMap { h in hive.flatMap { sortieBook.fleet?.hivePositions[$0] }.map { $0.distance(to: h) } }
                ?? .infinity
            others.append((id, hive == request.mission.hive ? 0 : 1, distance, id))
        }
        others.sort { ($0.1, $0.2, $0.3) < ($1.1, $1.2, $1.3) }
        return (assigned.map { [$0] } ?? []) + others.map(\.0)
    }

    func droneHive(_ vehicle: String) -> String? {
        sortieBook.fleet?.fleet.drone(vehicle)?.hive ?? sessions[vehicle]?.hello.hive
    }

    /// Why `vehicle` cannot take a new sortie now, or `nil` when it is free.
    func busyReason(_ vehicle: String) -> String? {
        if lostDevices.contains(vehicle) { return "\(vehicle) is lost" }
        if let other = sortieBook.live.sorted().first(where: { sortieBook.entries[$0]?.status.vehicle == vehicle }) {
            return "\(vehicle) is flying \(other)"
        }
        if flights.values.contains(where: { $0.flight.deviceID == vehicle && $0.flight.status != .aborted }) {
            return "\(vehicle) has a flight"
        }
        if let landed = sortieBook.landedAt[vehicle], let hive = droneHive(vehicle),
            let turnaround = sortieBook.fleet?.fleet.hive(hive)?.turnaround,
            clock.now() < landed.addingTimeInterval(turnaround)
        {
            return "\(vehicle) is in its \(Int(turnaround)) s turnaround"
        }
        if let landed = sortieBook.landedAt[vehicle], let turnaround = robotTurnaround(vehicle),
            clock.now() < landed.addingTimeInterval(turnaround)
        {
            return "\(vehicle) is in its \(Int(turnaround)) s turnaround at its station"
        }
        return nil
    }

    /// Pre-flight gating: why the sortie may not launch on `vehicle` now, or `nil`; without
    /// `charge`, the drone's charge is not judged (an urgent sortie may wait for its charger).
    func gate(_ entry: SortieBook.Entry, vehicle: String, now: Date, charge judged: Bool = true) -> String? {
        let fleet = sortieBook.fleet?.fleet
        let drone = fleet?.drone(vehicle)
        if fleet != nil, drone == nil { return "the fleet has no drone `\(vehicle)`" }
        if let drone, !drone.state.isSchedulable { return "\(vehicle) is \(drone.state.rawValue)" }
        if sortieBook.dockedFaults[vehicle] != nil { return "\(vehicle) reports a fault (emergency)" }
        var wind = 0.0
        if let hiveID = droneHive(vehicle) {
            if let hive = fleet?.hive(hiveID), !hive.state.isSchedulable {
                return "hive \(hiveID) is \(hive.state.rawValue)"
            }
            if lostDevices.contains(hiveID) { return "hive \(hiveID) is offline" }
            if let status = latestHiveStatus(hiveID, now: now) {
                wind = status.windSpeed
                if status.door == "stuck" { return "hive \(hiveID) door fault (stuck)" }
                if let problem = weatherProblem(status, hive: hiveID, mission: entry.request.mission) {
                    return problem
                }
            }
        }
        if judged, let drone {
            let need = energyNeed(entry, drone: drone, wind: wind)
            let charge = estimatedCharge(of: drone, now: now)
            if charge < need + drone.reserveWh {
                return String(
                    format: "%@ battery %.0f Wh is below the %.0f Wh the route needs plus %.0f Wh reserve", vehicle,
                    charge, need, drone.reserveWh)
            }
        }
        return nil
    }

    func weatherProblem(_ status: StoredHiveStatus, hive: String, mission: Mission) -> String? {
        let weather = Weather(wind: status.windSpeed, rain: status.rain, temperature: status.temperature)
        let limits = sortieBook.fleet?.fleet.hive(hive)?.weatherLimits ?? WeatherLimits()
        if let v = limits.violation(by: weather) { return "hive \(hive): \(v)" }
        if let v = mission.schedule?.weatherLimits.violation(by: weather) { return "mission \(mission.id): \(v)" }
        return nil
    }

    /// The hive's last reported status: kept from the link, or read from the record after a restart.
    func latestHiveStatus(_ hive: String, now: Date) -> StoredHiveStatus? {
        if let status = sortieBook.hiveStatus[hive] { return status }
        return (try? store.hiveStatuses(hive: hive, from: now, to: now))?.last
    }

    /// Records the flight and hands it to the upload machinery.
    func launchSortie(_ id: String, vehicle: String, now: Date) {
        guard var entry = sortieBook.entries[id] else { return }
        let plan =
            entry.isRound
            ? Self.resumedRound(entry.plan, from: entry.status.resumeFrom)
            : Self.resumed(entry.plan, from: entry.status.resumeFrom)
        let flight = Flight(
            id: id, missionID: entry.request.mission.id, deviceID: vehicle, status: .planned, route: plan.route)
        do {
            try store.save(flight)
            try store.save(
                FlightPlanRecord(
                    flightID: id, mission: entry.request.mission, site: entry.request.site,
                    siteFile: entry.request.siteFile?.path, plannedArea: plan.targetArea))
            try recordRound(id, plan: plan, entry: entry, vehicle: vehicle)
        } catch {
            entry.status.state = .refused
            entry.status.reason = "cannot record the flight: \(error)"
            sortieBook.entries[id] = entry
            logger.error(
                "cannot record a sortie's flight", metadata: ["sortie.id": "\(id)", "store.error": "\(error)"])
            sortieChanged(entry.status)
            return
        }
        flights[id] = ActiveFlight(flight: flight, plan: plan, mission: entry.request.mission, site: entry.request.site)
        pendingLaunches[vehicle] = id
        entry.status.vehicle = vehicle
        entry.status.state = .uploading
        entry.status.launchedAt = now
        sortieBook.live.insert(id)
        entry.status.reason = nil
        // From the time asked for: a launch shifted for separation counts its wait.
        entry.status.requestToLaunch = now.timeIntervalSince(
            max(entry.requestedAt, entry.request.notBefore ?? entry.requestedAt))
        sortieBook.entries[id] = entry
        // Details for the "sortie changed" line of the event that follows.
        logger.debug(
            "sortie launched",
            metadata: [
                "sortie.id": "\(id)", "device.id": "\(vehicle)", "sortie.resume_from": "\(entry.status.resumeFrom)",
            ])
        sortieChanged(entry.status)
        if sessions[vehicle] != nil { upload(flightID: id) }
    }

    /// The plan flown from waypoint `index` of the full route: the take-off, then the rest.
    static func resumed(_ plan: CoveragePlan, from index: Int) -> CoveragePlan {
        guard index > 0, index < plan.route.waypoints.count else { return plan }
        var result = plan
        let waypoints = [plan.route.waypoints[0]] + plan.route.waypoints[index...]
        let xy = [plan.waypointsXY[0]] + plan.waypointsXY[index...]
        var length = 0.0
        var duration = 0.0
        for (i, (a, b)) in zip(xy, xy.dropFirst()).enumerated() {
            let leg = a.distance(to: b)
            length += leg
            duration += leg / max(0.1, waypoints[i + 1].speed)
        }
        result.route.waypoints = waypoints
        result.route.length = length
        result.route.estimatedDuration = duration
        result.waypointsXY = xy
        return result
    }

    // MARK: - Following

    /// Updates launched sorties from their flights: started, refused, landed, lost.
    func followSorties(now: Date) {
        for id in sortieBook.live.sorted() {
            guard var entry = sortieBook.entries[id], entry.status.launchedAt != nil, !entry.landed,
                let vehicle = entry.status.vehicle
            else { continue }
            let before = entry.status
            if let active = flights[id] {
                switch active.flight.status {
                case .aborted where !entry.status.state.isFinal:
                    entry.status.state = .aborted
                    entry.status.reason = entry.status.reason ?? "the drone refused the mission or the start"
                    entry.landed = true
                    sortieBook.live.remove(id)
                    sortieBook.entries[id] = entry
                    resumePaused(after: id, now: now)
                case .flying where entry.status.state == .uploading:
                    entry.status.state = .inFlight
                default: break
                }
                if entry.isRound, lostDevices.contains(vehicle), !entry.notes.contains("link to \(vehicle) lost") {
                    // A robot's failsafe walks it home or holds it: what it missed is known when it docks.
                    entry.notes.append("link to \(vehicle) lost")
                } else if !entry.isRound, !entry.cut, lostDevices.contains(vehicle), !entry.status.state.isFinal {
                    sortieBook.entries[id] = entry
                    cutShort(id, reason: "link to \(vehicle) lost", now: now)
                    entry = sortieBook.entries[id]!
                }
            } else {
                // The flight ended: the drone landed.
                entry.landed = true
                sortieBook.live.remove(id)
                sortieBook.nextAttempt = nil
                sortieBook.landedAt[vehicle] = now
                if entry.isRound {
                    sortieBook.entries[id] = entry
                    roundDocked(id, now: now)
                    entry = sortieBook.entries[id]!
                } else if !entry.status.state.isFinal {
                    if entry.cut {
                        entry.status.state = .cutShort
                    } else {
                        entry.status.state = .landed
                        entry.status.progress = 1
                    }
                }
                sortieBook.entries[id] = entry
                resumePaused(after: id, now: now)
                entry = sortieBook.entries[id]!
            }
            sortieBook.entries[id] = entry
            if entry.status != before { sortieChanged(entry.status) }
        }
    }

    /// Ends a sortie short at the waypoint it was flying towards and queues the rest as a new
    /// sortie for any ready drone (the request's own drone excepted while it is away).
    func cutShort(_ id: String, reason: String, now: Date, notBefore: Date? = nil) {
        guard var entry = sortieBook.entries[id], !entry.cut else { return }
        entry.cut = true
        let from = entry.status.lastWaypoint ?? entry.status.resumeFrom
        entry.status.state = .cutShort
        entry.status.reason = reason + " at waypoint \(from)"
        var rest = entry.request
        rest.resumeFrom = from
        rest.notBefore = notBefore ?? now
        rest.vehicle = nil
        rest.target = nil
        sortieBook.entries[id] = entry
        logger.notice(
            "sortie cut short", metadata: ["sortie.id": "\(id)", "sortie.reason": "\(reason)", "waypoint": "\(from)"])
        guard from < entry.plan.route.waypoints.count - 1 else { return }
        // A sortie of the live day: its re-plan places the rest (`Coordinator+ReplanRests.swift`).
        if leaveRestToReplan(id, from: from, at: notBefore ?? now) { return }
        let next = request(rest)
        sortieBook.entries[id]?.status.continuedBy = next.id
    }

    /// Resumes the sorties paused for `id` (an urgent one) now that it has ended.
    func resumePaused(after id: String, now: Date) {
        for other in sortieBook.order {
            guard var entry = sortieBook.entries[other], entry.resumeAfter == id else { continue }
            entry.resumeAfter = nil
            sortieBook.entries[other] = entry
        }
        releaseShifted(after: id, now: now)
        sortieBook.recomputeNextDue()
        sortieBook.nextAttempt = nil
    }
}
