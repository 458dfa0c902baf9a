public import Foundation
import Logging
import PatrolGeo
import PatrolLink
public import PatrolModel
public import PatrolPlanner
import PatrolStore

/// The sortie execution layer: sorties are requested (by the day's schedule, an operator or an
/// urgent verification), queued, and launched at their time on the coordinator's clock, after
/// pre-flight gating; their progress is followed from telemetry, and they are re-planned when a
/// drone is lost, the weather at a hive turns, or a sortie runs long. See `docs/scheduling.md`.
extension Coordinator {
    /// Gives the coordinator its fleet: drones' batteries and energy models, hives' weather
    /// limits and positions, robots' batteries, stations and sensors. Without it, any registered drone may fly and only the hive's door,
    /// liveness and default weather limits gate a launch.
    public func configureSorties(_ fleet: SortieFleet) {
        sortieBook.fleet = fleet
    }

    /// Queues a sortie, or refuses it with the reason (the mission cannot be planned, the drone
    /// is unknown or its battery cannot hold the route). A sortie due now is launched (or
    /// refused by pre-flight gating) before this returns.
    public func request(_ r: SortieRequest) -> SortieStatus {
        let now = clock.now()
        let planned = r.notBefore ?? now
        let id = Self.flightID(mission: r.mission.id, device: r.vehicle ?? "any", at: planned)
        var status = SortieStatus(
            id: id, missionID: r.mission.id, vehicle: r.vehicle, state: .queued, plannedLaunch: planned,
            origin: r.origin, priority: r.priority, resumeFrom: r.resumeFrom)
        let plan: CoveragePlan
        do {
            plan = try missionPlan(r.mission, site: r.site)
        } catch {
            status.state = .refused
            status.reason = "cannot plan mission `\(r.mission.id)`: \(error)"
            return record(refused: status, request: r, at: now)
        }
        let entry = SortieBook.Entry(request: r, status: status, plan: plan, requestedAt: now)
        if let problem = requestProblem(entry) {
            status.state = .refused
            status.reason = problem
            return record(refused: status, request: r, at: now, plan: plan)
        }
        let final = sortieBook.add(entry)
        keep(final, request: r)
        logger.info(
            "sortie queued",
            metadata: [
                "sortie.id": "\(final)", "mission.id": "\(r.mission.id)", "sortie.origin": "\(r.origin.rawValue)",
                "device.id": "\(r.vehicle ?? "any")",
            ])
        runSorties()
        return sortieBook.entries[final]?.status ?? status
    }

    /// Queues every sortie of a day's schedule.
    ///
    /// - Parameters:
    ///   - midnight: local midnight of the scheduled day (sortie times are seconds after it).
    ///   - missions: the scheduled patrols' missions; a sortie whose mission is not given is refused.
    /// - Returns: each sortie's status, in the schedule's order.
    public func apply(
        _ schedule: DaySchedule, midnight: Date, missions: [Mission], site: Site, siteFile: URL? = nil
    ) -> [SortieStatus] {
        let byID = Dictionary(missions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return schedule.sorties.map { sortie in
            guard let mission = byID[sortie.patrol] else {
                let status = SortieStatus(
                    id: Self.flightID(
                        mission: sortie.patrol, device: sortie.drone, at: midnight.addingTimeInterval(sortie.start)),
                    missionID: sortie.patrol, vehicle: sortie.drone, state: .refused,
                    plannedLaunch: midnight.addingTimeInterval(sortie.start),
                    reason: "no mission `\(sortie.patrol)` given", origin: .scheduled, priority: sortie.priority)
                return status
            }
            return requestOccurrence(
                SortieRequest(
                    mission: mission, site: site, siteFile: siteFile, vehicle: sortie.drone,
                    notBefore: midnight.addingTimeInterval(sortie.start), priority: sortie.priority,
                    origin: .scheduled, resumeFrom: sortie.resumeFrom), due: midnight.addingTimeInterval(sortie.due))
        }
    }

    /// Every sortie requested, in request order, as it stands now.
    public func sorties() -> [SortieStatus] {
        sortieBook.order.compactMap { sortieBook.entries[$0]?.status }
    }

    /// One sortie by id.
    public func sortie(_ id: String) -> SortieStatus? { sortieBook.entries[id]?.status }

    /// Brings every sortie up to date on the coordinator's clock: follows flights, handles lost
    /// drones and weather, and launches queued sorties that are due. Called after every frame
    /// and every liveness check; call it after moving a virtual clock when no frame follows.
    ///
    /// Returns whether any sortie changed (was launched, refused, cut short or ended).
    @discardableResult
    public func runSorties() -> Bool {
        guard !sortieBook.entries.isEmpty, !sortieBook.running else { return false }
        sortieBook.running = true
        defer { sortieBook.running = false }
        let now = clock.now()
        let revision = sortieBook.revision
        // Time moves in steps in simulations: silences are judged here too, not only between frames.
        if now > sortieBook.livenessCheckedAt ?? .distantPast {
            sortieBook.livenessCheckedAt = now
            checkLiveness()
        }
        followSorties(now: now)
        followDiversions(now: now)
        replanLive(now: now)
        replanRobotRounds(now: now)
        if let due = sortieBook.nextDue, due <= now, sortieBook.nextAttempt.map({ $0 <= now }) ?? true {
            launchDueSorties(now: now)
            sortieBook.nextAttempt = now.addingTimeInterval(1)
        }
        return sortieBook.revision != revision
    }

    /// Tells observers a sortie changed.
    func sortieChanged(_ status: SortieStatus) {
        sortieBook.revision += 1
        keepState(status)
        emit(.sortieChanged(status))
    }

    // MARK: - Requests

    func missionPlan(_ mission: Mission, site: Site) throws -> CoveragePlan {
        if let plan = sortieBook.plans[mission.id], plan.route.missionID == mission.id { return plan }
        let plan: CoveragePlan
        if case .robotRound = mission.kind {
            plan = try RobotRoundPlanner.plan(mission, site: site)
        } else {
            plan = try CoveragePlanner.plan(mission, site: site)
        }
        sortieBook.plans[mission.id] = plan
        return plan
    }

    /// What makes a request impossible whatever the time: a bad resume point, an unknown drone,
    /// a route longer than the drone's usable battery.
    func requestProblem(_ entry: SortieBook.Entry) -> String? {
        let count = entry.plan.route.waypoints.count
        guard entry.request.resumeFrom >= 0, entry.request.resumeFrom < count - 1 else {
            return "resume point \(entry.request.resumeFrom) is outside the route (0 to \(count - 2))"
        }
        if entry.isRound { return roundRequestProblem(entry) }
        guard let vehicle = entry.request.vehicle, let fleet = sortieBook.fleet?.fleet else { return nil }
        guard let drone = fleet.drone(vehicle) else {
            return
                "the fleet has no drone `\(vehicle)`; it has: \(fleet.drones.map(\.id).sorted().joined(separator: ", "))"
        }
        let need = energyNeed(entry, drone: drone, wind: 0)
        if need > drone.usableWh {
            return String(
                format: "the route needs %.0f Wh; %@ holds %.0f Wh above its reserve", need, vehicle, drone.usableWh)
        }
        return nil
    }

    private func record(refused status: SortieStatus, request: SortieRequest, at now: Date, plan: CoveragePlan? = nil)
        -> SortieStatus
    {
        logger.warning(
            "sortie refused",
            metadata: ["sortie.id": "\(status.id)", "sortie.reason": "\(status.reason ?? "")"])
        guard let plan else { return status }
        let id = sortieBook.add(SortieBook.Entry(request: request, status: status, plan: plan, requestedAt: now))
        return sortieBook.entries[id]?.status ?? status
    }

    // MARK: - Energy

    /// The scheduler's energy model: watt-hours for flying the sortie's route from its resume point.
    func energyNeed(_ entry: SortieBook.Entry, drone: Drone, wind: Double) -> Double {
        let task = patrolTask(entry)
        let home = entry.plan.waypointsXY.first ?? XY(0, 0)
        return task.profile(from: home, resumeAt: entry.status.resumeFrom, drone: drone, wind: wind).energyWh
    }

    func patrolTask(_ entry: SortieBook.Entry) -> PatrolTask {
        let mission = entry.request.mission
        let points = zip(entry.plan.waypointsXY, entry.plan.route.waypoints).map {
            PathPoint($0, altitude: $1.altitude)
        }
        return PatrolTask(
            id: mission.id, name: mission.name,
            schedule: mission.schedule ?? PatrolSchedule(recurrence: .times([])), homeHive: mission.hive,
            path: Array(points.dropLast()), speed: mission.speed)
    }

    /// A drone's charge now, watt-hours: its last reported battery, charged on its hive's curve
    /// since it landed and turned around; its initial charge when it has reported nothing.
    func estimatedCharge(of drone: Drone, now: Date) -> Double {
        guard let last = sortieBook.battery[drone.id] else { return drone.initialChargeWh }
        let level = last.fraction * drone.batteryWh
        let airborne = sortieBook.live.contains { sortieBook.entries[$0]?.status.vehicle == drone.id }
        guard !airborne, let landed = sortieBook.landedAt[drone.id], let hive = sortieBook.fleet?.fleet.hive(drone.hive)
        else { return level }
        // The last report and the landing come at the same step; times that crossed the wire may
        // differ from the clock's by rounding, so charging counts from the later of the two.
        let charging = now.timeIntervalSince(max(landed, last.at)) - hive.turnaround
        return hive.charging.charge(capacity: drone.batteryWh, from: level, after: max(0, charging))
    }

    /// Keeps a hive's last status for gating, and recalls the sorties flying from it when the
    /// weather there goes over its limits.
    func sortieHiveStatus(_ status: HiveStatus, at time: Date, from hive: String) {
        let stored = StoredHiveStatus(
            deviceID: hive, time: time, door: status.door.rawValue, charging: status.charging,
            windSpeed: status.windSpeed, windFrom: status.windFrom, rain: status.rain, temperature: status.temperature)
        sortieBook.hiveStatus[hive] = stored
        recallForWeather(hive: hive, status: stored, now: clock.now())
    }

    /// Notes what telemetry says about a sortie: the waypoint flown towards, and the battery.
    func sortieTelemetry(_ report: TelemetryReportView) {
        sortieBook.battery[report.device] = (report.battery, report.time)
        noteFix(report)
        if report.flightID == nil, sortieBook.fleet?.fleet.drone(report.device) != nil {
            // A fault reported on the ground (a battery or motor check at the hive) holds until cleared.
            if report.state == .emergency {
                if sortieBook.dockedFaults[report.device] == nil {
                    sortieBook.dockedFaults[report.device] = report.time
                }
            } else {
                sortieBook.dockedFaults[report.device] = nil
            }
        }
        // After a cut the drone flies home: its waypoints are no longer the route's.
        guard let id = report.flightID, var entry = sortieBook.entries[id], !entry.cut else { return }
        let full = entry.plan.route.waypoints.count
        // A robot's resumed round keeps the full route's indices (see `resumedRound`).
        let index =
            entry.isRound
            ? report.waypointIndex
            : Self.routeWaypoint(uploaded: report.waypointIndex, resumeFrom: entry.status.resumeFrom)
        let towards = min(max(index, entry.status.resumeFrom), full - 1)
        if turnedBack(entry, report, towards: towards) { return }
        entry.status.lastWaypoint = towards
        entry.status.progress = full > 1 ? min(1, Double(towards) / Double(full - 1)) : 1
        sortieBook.entries[id] = entry
    }
}

/// The parts of a telemetry message the sortie layer follows.
struct TelemetryReportView {
    var device: String
    var flightID: String?
    var waypointIndex: Int
    var battery: Double
    var state: VehicleState
    var time: Date
    var position: LonLat? = nil
    var altitude: Double = 0
}
