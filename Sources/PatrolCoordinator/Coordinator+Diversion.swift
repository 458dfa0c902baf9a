import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel
public import PatrolPlanner
import PatrolStore

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
}

/// A routine sortie's drone sent to look at an urgent sortie's target.
struct Diversion {
    enum Phase: Equatable {
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

/// Urgent verification sorties flown by a drone already in the air: every ready docked drone
/// and every drone on a lower-priority routine sortie is a candidate; the one overhead soonest
/// goes. A diverted drone gets `go_to` the target, holds there for the look, then resumes its
/// route from where it left it when its battery allows, or is sent home with the rest of its
/// route queued from its last reached waypoint. See `docs/scheduling.md`, "The live layer".
extension Coordinator {
    /// Sets how urgent sorties use drones in the air (on by default).
    public func configureDiversion(_ policy: DiversionPolicy) {
        sortieBook.diversionPolicy = policy
    }

    /// Chooses the drone for the urgent sortie `id` by time overhead and sends it: launched from
    /// its hive, or diverted in the air. Returns `false` (and sends nothing) when no drone can go
    /// now, so the caller falls back on pre-emption.
    func dispatchUrgent(_ id: String, now: Date) -> Bool {
        guard sortieBook.diversionPolicy.enabled, let entry = sortieBook.entries[id], entry.preempted == nil,
            sortieBook.diversions[id] == nil, !sortieBook.undivertable.contains(id),
            let fleet = sortieBook.fleet, let target = urgentTarget(entry)
        else { return false }
        let policy = sortieBook.diversionPolicy
        let request = VerificationRequest(
            position: target, time: 0, altitude: lookAltitude(entry), hover: policy.look, speed: policy.speed)
        var estimates: [VerificationEstimate] = []
        var excluded: [String] = []
        let airborne = divertable(for: entry)
        for vehicle in urgentCandidates(for: entry) where !airborne.contains(where: { $0.vehicle == vehicle }) {
            guard let drone = fleet.fleet.drone(vehicle), let hive = fleet.fleet.hive(drone.hive),
                let hiveXY = fleet.hivePositions[hive.id]
            else { continue }
            if let busy = busyReason(vehicle) {
                excluded.append(busy)
                continue
            }
            if let problem = gate(entry, vehicle: vehicle, now: now) {
                excluded.append(problem)
                continue
            }
            let estimate = UrgentSortie.docked(
                request, drone: drone, hive: hive, hiveXY: hiveXY, chargeWh: estimatedCharge(of: drone, now: now),
                readyIn: 0, wind: latestHiveStatus(hive.id, now: now)?.windSpeed ?? 0)
            switch estimate {
            case .success(let e) where e.toCommand == 0: estimates.append(e)
            case .success(let e): excluded.append(String(format: "%@ must charge %.0f s first", vehicle, e.toCommand))
            case .failure(let reason): excluded.append(reason.message)
            }
        }
        var positions: [String: (XY, Double)] = [:]
        for candidate in airborne {
            guard let drone = fleet.fleet.drone(candidate.vehicle), let homeXY = fleet.hivePositions[drone.hive],
                let fix = sortieBook.fixes[candidate.vehicle],
                let xy = try? SiteFrame(crs: entry.request.site.crs).project(fix.position)
            else { continue }
            let charge = estimatedCharge(of: drone, now: now)
            positions[candidate.vehicle] = (xy, fix.altitude)
            let estimate = UrgentSortie.airborne(
                request, drone: drone, position: xy, altitude: fix.altitude, chargeWh: charge, homeXY: homeXY,
                sortie: candidate.sortie, wind: latestHiveStatus(drone.hive, now: now)?.windSpeed ?? 0)
            switch estimate {
            case .success(let e): estimates.append(e)
            case .failure(let reason): excluded.append(reason.message)
            }
        }
        guard let best = UrgentSortie.earliest(estimates) else { return false }
        // Drones of one hive share its reason: say it once.
        var seen: Set<String> = []
        excluded = excluded.filter { seen.insert($0).inserted }
        let others = estimates.filter { $0 != best }.sorted { ($0.toOverhead, $0.drone) < ($1.toOverhead, $1.drone) }
        let choice = UrgentChoice(chosen: best, alternatives: others, excluded: excluded)
        sortieBook.entries[id]?.status.choice = choice
        logger.notice(
            "urgent sortie dispatched",
            metadata: [
                "sortie.id": "\(id)", "device.id": "\(best.drone)", "dispatch.kind": "\(best.kind.rawValue)",
                "dispatch.overhead_s": "\(Self.seconds(best.toOverhead))",
                "dispatch.alternatives": "\(others.map(Self.describe).joined(separator: "; "))",
                "dispatch.excluded": "\(excluded.joined(separator: "; "))",
            ])
        switch best.kind {
        case .docked:
            launchSortie(id, vehicle: best.drone, now: now)
        case .airborne:
            guard let routine = best.sortie, let (xy, altitude) = positions[best.drone],
                divert(
                    id, routine: routine, vehicle: best.drone, from: xy, altitude: altitude, target: target,
                    expected: best.toOverhead, now: now)
            else {
                sortieBook.entries[id]?.status.choice = nil
                return false
            }
        }
        return true
    }

    /// The routine sorties whose drones may be diverted to the urgent sortie `entry`: flying
    /// (not paused, returning or cut), of lower priority, their drone connected and reporting,
    /// carrying what the urgent sortie needs.
    func divertable(for entry: SortieBook.Entry) -> [(sortie: String, vehicle: String)] {
        let payload = entry.request.mission.schedule?.payload ?? []
        return sortieBook.order.compactMap { id -> (String, String)? in
            guard let other = sortieBook.entries[id], other.request.origin != .urgent, !other.cut, !other.landed,
                other.status.state == .inFlight, other.status.priority < entry.status.priority,
                let vehicle = other.status.vehicle, sessions[vehicle] != nil, !lostDevices.contains(vehicle),
                flights[id]?.flight.status == .flying, sortieBook.fixes[vehicle] != nil,
                !sortieBook.diversions.values.contains(where: { $0.vehicle == vehicle }),
                sortieBook.fleet?.fleet.drone(vehicle).map({ payload.isSubset(of: $0.payload) }) ?? false
            else { return nil }
            return (id, vehicle)
        }
    }

    /// The height to look from, above the take-off point: the highest waypoint of the urgent
    /// sortie's own route (which follows the terrain), at least its mission's altitude.
    func lookAltitude(_ entry: SortieBook.Entry) -> Double {
        let route = entry.plan.route.waypoints.filter { $0.kind == .survey }.map(\.altitude)
        return max(entry.request.mission.altitude, route.max() ?? 0)
    }

    /// Sends `vehicle` off `routine` to look at the urgent sortie's target. Returns whether the
    /// command went out.
    func divert(
        _ id: String, routine: String, vehicle: String, from xy: XY, altitude: Double, target: XY, expected: Double,
        now: Date
    ) -> Bool {
        guard var urgent = sortieBook.entries[id], var flying = sortieBook.entries[routine],
            let position = urgent.request.target ?? (try? SiteFrame(crs: urgent.request.site.crs).unproject(target))
        else { return false }
        let policy = sortieBook.diversionPolicy
        let speed = min(policy.speed, sortieBook.fleet?.fleet.drone(vehicle)?.maxSpeed ?? policy.speed)
        let height = max(lookAltitude(urgent), altitude)
        let command = nextCommandID()
        do {
            try store.recordCommand(
                id: command, deviceID: vehicle, flightID: routine, action: Command.Action.goTo.rawValue, at: now)
        } catch {
            logger.error("cannot record a command", metadata: ["device.id": "\(vehicle)", "store.error": "\(error)"])
        }
        send(
            .command(
                .goTo(
                    id: command, flightID: routine, position: position, altitude: (height * 10).rounded() / 10,
                    reference: .takeoff, speed: speed)), to: vehicle)
        let reached = Self.lastReached(
            uploaded: sortieBook.fixes[vehicle]?.waypointIndex ?? 0, resumeFrom: flying.status.resumeFrom)
        sortieBook.diversions[id] = Diversion(
            urgent: id, routine: routine, vehicle: vehicle, command: command, commandedAt: now, phase: .commanded,
            target: target, rejoin: xy, interruptedAt: reached, expected: expected)
        flying.status.state = .paused
        flying.status.reason = "diverted for urgent sortie \(id) after waypoint \(reached)"
        sortieBook.entries[routine] = flying
        urgent.status.vehicle = vehicle
        urgent.status.state = .inFlight
        urgent.status.launchedAt = now
        urgent.status.reason = "diverted \(vehicle) from \(routine)"
        urgent.status.requestToLaunch = now.timeIntervalSince(max(urgent.requestedAt, urgent.status.plannedLaunch))
        sortieBook.entries[id] = urgent
        logger.notice(
            "routine sortie diverted",
            metadata: [
                "sortie.id": "\(routine)", "urgent.id": "\(id)", "device.id": "\(vehicle)",
                "waypoint": "\(reached)", "command.id": "\(command)",
            ])
        sortieChanged(flying.status)
        sortieChanged(urgent.status)
        return true
    }

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
            switch diversion.phase {
            case .commanded:
                let answer = (try? store.commands(flightID: diversion.routine))?.first { $0.id == diversion.command }
                switch answer?.accepted {
                case true?:
                    sortieBook.diversions[id]?.phase = .outbound
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
        if looked {
            urgent.status.state = .landed
            urgent.status.progress = 1
            urgent.status.reason = reason
            sortieBook.entries[id] = urgent
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
        if var routine = sortieBook.entries[diversion.routine], routine.status.state == .paused {
            routine.status.state = .inFlight
            routine.status.reason = nil
            sortieBook.entries[diversion.routine] = routine
            sortieChanged(routine.status)
        }
        sortieBook.undivertable.insert(id)
        requeue(id, reason: reason, now: now)
    }

    private func requeue(_ id: String, reason: String, now: Date) {
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
        guard let position = report.position, let state = report.state else { return }
        sortieBook.fixes[report.device] = AirborneFix(
            position: position, altitude: report.altitude, state: state, time: report.time,
            waypointIndex: report.waypointIndex)
    }

    /// The last waypoint of the full route reached, when the drone flies towards waypoint
    /// `uploaded` of a route uploaded from `resumeFrom`: from 0 that is the full route itself;
    /// from later, the take-off and then the full route from `resumeFrom`.
    static func lastReached(uploaded: Int, resumeFrom: Int) -> Int {
        let towards = resumeFrom == 0 ? uploaded : resumeFrom + uploaded - 1
        return max(resumeFrom, towards - 1)
    }

    static func seconds(_ value: Double) -> String { String(format: "%.1f", value) }

    static func describe(_ e: VerificationEstimate) -> String {
        String(format: "%@ %@ %.1f s", e.drone, e.kind.rawValue, e.toOverhead)
    }
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

    init(_ c: UrgentChoice) {
        chosen = Estimate(c.chosen)
        alternatives = c.alternatives.map(Estimate.init)
        excluded = c.excluded
        overheadAfter = c.overheadAfter
    }

    enum CodingKeys: String, CodingKey {
        case chosen, alternatives, excluded
        case overheadAfter = "overhead_after_s"
    }
}
