import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore

/// Following diversions: the answer to `go_to`, the arrival overhead, the look, and what comes
/// after it (see `Coordinator+Diversion.swift`).
extension Coordinator {
    /// Follows every diversion: the drone's answer to `go_to`, its arrival overhead, the end of
    /// the look (then `resume` or `return_to_hive`), and a routine sortie that ended meanwhile.
    func followDiversions(now: Date) {
        for id in sortieBook.diversions.keys.sorted() {
            guard let diversion = sortieBook.diversions[id] else { continue }
            // Diverted, the routine sortie stays `paused`; anything else (cut short, recalled, an
            // operator's command) ends the diversion.
            guard let routine = sortieBook.entries[diversion.routine], !routine.cut, !routine.landed,
                routine.status.state == .paused
            else {
                let why = sortieBook.entries[diversion.routine]?.status.reason ?? "ended"
                endDiversion(id, looked: false, reason: "\(diversion.routine) \(why)", now: now)
                continue
            }
            // Taken back after a restart: nothing until its drone is heard again.
            if awaitingContact(id, now: now) { continue }
            switch diversion.phase {
            case .commanded:
                let answer = (try? store.commands(flightID: diversion.routine))?.first { $0.id == diversion.command }
                switch answer?.accepted {
                case true?:
                    sortieBook.diversions[id]?.phase = .outbound
                    keepDiversion(id)
                case false?:
                    giveUp(id, reason: "\(diversion.vehicle) refused go_to", now: now)
                case nil:
                    if now.timeIntervalSince(diversion.commandedAt) >= sortieBook.diversionPolicy.answerTimeout {
                        commandSortie(.resume, flightID: diversion.routine, vehicle: diversion.vehicle, now: now)
                        giveUp(id, reason: "\(diversion.vehicle) did not answer go_to", now: now)
                    }
                }
            case .outbound:
                // Not overhead long after the estimate (held up, or its telemetry stopped): give up.
                if now.timeIntervalSince(diversion.commandedAt) > max(120, 3 * diversion.expected) {
                    commandSortie(.resume, flightID: diversion.routine, vehicle: diversion.vehicle, now: now)
                    giveUp(id, reason: "\(diversion.vehicle) was not overhead in time", now: now)
                    continue
                }
                guard let fix = sortieBook.fixes[diversion.vehicle], fix.time >= diversion.commandedAt,
                    let entry = sortieBook.entries[id]
                else { continue }
                let there =
                    (try? SiteFrame(crs: entry.request.site.crs).project(fix.position)).map {
                        $0.distance(to: diversion.target) <= sortieBook.diversionPolicy.arrival
                    } ?? false
                guard fix.state == .paused || there else { continue }
                sortieBook.diversions[id]?.phase = .looking(now)
                var urgent = entry
                urgent.status.choice?.overheadAfter = now.timeIntervalSince(urgent.requestedAt)
                urgent.status.reason = "\(diversion.vehicle) overhead, looking"
                sortieBook.entries[id] = urgent
                keepDiversion(id)
                logger.notice(
                    "diverted drone overhead",
                    metadata: [
                        "urgent.id": "\(id)", "device.id": "\(diversion.vehicle)",
                        "dispatch.overhead_s": "\(Self.seconds(now.timeIntervalSince(urgent.requestedAt)))",
                    ])
                sortieChanged(urgent.status)
            case .looking(let since):
                guard now.timeIntervalSince(since) >= sortieBook.diversionPolicy.look else { continue }
                finishLook(id, now: now)
            }
        }
    }

    /// After the look: the routine sortie resumes from where it left its route when the drone's
    /// charge covers the way back to it, the rest of the route and the way home with its reserve;
    /// otherwise the drone is sent home and the rest queued from the last waypoint it reached.
    func finishLook(_ id: String, now: Date) {
        guard let diversion = sortieBook.diversions[id], var routine = sortieBook.entries[diversion.routine],
            let drone = sortieBook.fleet?.fleet.drone(diversion.vehicle),
            let home = sortieBook.fleet?.hivePositions[drone.hive]
        else { return }
        let charge = estimatedCharge(of: drone, now: now)
        let wind = latestHiveStatus(drone.hive, now: now)?.windSpeed ?? 0
        let v = min(routine.request.mission.speed, drone.maxSpeed)
        // Conservative: the way back to the route, then the rest as a sortie resumed from the
        // hive (its leg out from the hive and its climb are counted though not flown).
        let need =
            drone.consumption.energyWh(
                level: diversion.target.distance(to: diversion.rejoin) / v, climbing: 0,
                hovering: 0, wind: wind)
            + patrolTask(routine).profile(from: home, resumeAt: diversion.interruptedAt, drone: drone, wind: wind)
            .energyWh
        if charge - need >= drone.reserveWh {
            // Its way back clear of the drones launched meanwhile, or it holds over the target.
            if let conflict = returnConflict(id, now: now) {
                holdOverTarget(id, conflict: conflict, now: now)
                return
            }
            commandSortie(.resume, flightID: diversion.routine, vehicle: diversion.vehicle, now: now)
            routine.status.state = .inFlight
            routine.status.reason = nil
            sortieBook.entries[diversion.routine] = routine
            sortieChanged(routine.status)
            endDiversion(
                id, looked: true,
                reason: String(
                    format: "looked; %@ resumed %@ (%.0f Wh left, %.0f Wh needed plus reserve)", diversion.vehicle,
                    diversion.routine, charge, need),
                now: now)
        } else {
            routine.status.lastWaypoint = diversion.interruptedAt
            sortieBook.entries[diversion.routine] = routine
            recall(
                diversion.routine, vehicle: diversion.vehicle,
                reason: String(
                    format:
                        "diverted for urgent sortie %@; %.0f Wh left is below the %.0f Wh the rest needs plus reserve",
                    id, charge, need),
                now: now)
            let next = sortieBook.entries[diversion.routine]?.status.continuedBy ?? "-"
            endDiversion(
                id, looked: true,
                reason: "looked; \(diversion.vehicle) sent home, the rest of \(diversion.routine) queued as \(next)",
                now: now)
        }
    }

    /// Ends a diversion: the urgent sortie is over when the drone looked, or asked for again.
    func endDiversion(_ id: String, looked: Bool, reason: String, now: Date) {
        guard let diversion = sortieBook.diversions.removeValue(forKey: id), var urgent = sortieBook.entries[id] else {
            return
        }
        forgetDiversion(id)
        if looked {
            urgent.status.state = .landed
            urgent.status.progress = 1
            urgent.status.reason = reason
            // It had no flight of its own: over, it holds no airspace (see `Coordinator+Separation`).
            urgent.landed = true
            sortieBook.entries[id] = urgent
            releaseShifted(after: id, now: now)
            logger.notice(
                "urgent look over", metadata: ["urgent.id": "\(id)", "device.id": "\(diversion.vehicle)"])
            sortieChanged(urgent.status)
        } else {
            // Cut short, lost or recalled on the way: ask again, without diverting the same drone.
            requeue(id, reason: "the diverted \(diversion.vehicle) could not look: \(reason)", now: now)
        }
    }

    /// Gives up a diversion whose `go_to` was refused or not answered: the routine sortie goes
    /// on, and the urgent sortie is tried again without diversions.
    func giveUp(_ id: String, reason: String, now: Date) {
        guard let diversion = sortieBook.diversions.removeValue(forKey: id) else { return }
        forgetDiversion(id)
        if var routine = sortieBook.entries[diversion.routine], routine.status.state == .paused {
            routine.status.state = .inFlight
            routine.status.reason = nil
            sortieBook.entries[diversion.routine] = routine
            sortieChanged(routine.status)
        }
        sortieBook.undivertable.insert(id)
        requeue(id, reason: reason, now: now)
    }

    func requeue(_ id: String, reason: String, now: Date) {
        guard var urgent = sortieBook.entries[id] else { return }
        logger.warning("urgent sortie asked again", metadata: ["urgent.id": "\(id)", "sortie.reason": "\(reason)"])
        urgent.status.state = .queued
        urgent.status.vehicle = urgent.request.vehicle
        urgent.status.launchedAt = nil
        urgent.status.requestToLaunch = nil
        urgent.status.reason = reason
        sortieBook.entries[id] = urgent
        sortieBook.recomputeNextDue()
        sortieBook.nextAttempt = nil
        sortieChanged(urgent.status)
    }

    /// Keeps what telemetry says about where an airborne drone is.
    func noteFix(_ report: TelemetryReportView) {
        guard let position = report.position else { return }
        sortieBook.fixes[report.device] = AirborneFix(
            position: position, altitude: report.altitude, state: report.state, time: report.time,
            waypointIndex: report.waypointIndex)
    }

    /// The full route's waypoint a drone flies towards when it reports `uploaded` of a route
    /// uploaded from `resumeFrom`: from 0 the route was uploaded as planned, index for index; from
    /// later it was the take-off, then the full route from `resumeFrom` (``resumed(_:from:)``).
    static func routeWaypoint(uploaded: Int, resumeFrom: Int) -> Int {
        resumeFrom == 0 ? uploaded : max(resumeFrom, resumeFrom + uploaded - 1)
    }

    /// The last waypoint of the full route reached, when the drone flies towards waypoint
    /// `uploaded` of a route uploaded from `resumeFrom`: from 0 that is the full route itself;
    /// from later, the take-off and then the full route from `resumeFrom`.
    static func lastReached(uploaded: Int, resumeFrom: Int) -> Int {
        max(resumeFrom, routeWaypoint(uploaded: uploaded, resumeFrom: resumeFrom) - 1)
    }

    static func seconds(_ value: Double) -> String { String(format: "%.1f", value) }

    static func describe(_ e: VerificationEstimate) -> String {
        String(format: "%@ %@ %.1f s", e.drone, e.kind.rawValue, e.toOverhead)
    }
}
