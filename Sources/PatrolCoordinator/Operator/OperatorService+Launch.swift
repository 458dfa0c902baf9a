import Foundation
import Logging
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore

extension OperatorService {
    /// `launch`: mission (required), vehicle, at, override_weather, confirm. Goes through the
    /// coordinator's sortie queue (`Coordinator.request`), which gates it (weather, door, battery)
    /// and launches it at its time; checks here give an operator launching now a clear refusal.
    func launch(_ args: [String: String], role: OperatorRole) async -> OperatorResponse {
        guard let missionID = args["mission"], !missionID.isEmpty else { return refuse("launch: which mission?") }
        guard let loaded = setup.missions[missionID] else {
            return refuse(
                "unknown mission `\(missionID)`; launchable: \(setup.missions.keys.sorted().joined(separator: ", "))")
        }
        let mission = loaded.mission
        if case .robotRound = mission.kind { return await launchRound(args, mission: mission, loaded: loaded) }
        let now = clock.now()
        let notBefore: Date?
        switch launchAt(args, now: now) {
        case .success(let time): notBefore = time
        case .failure(let refusal): return refuse(refusal.reason)
        }
        // Weather at the mission's hive, from its last status.
        let override = args["override_weather"] == "true"
        var overriding = false
        if let hive = setup.fleet.hives.first(where: { $0.id == mission.hive }),
            let weather = try? store.hiveStatuses(hive: hive.id, from: now, to: now).last,
            let problem = Self.weatherProblem(weather, limits: hive.weatherLimits)
        {
            guard override else {
                return refuse("weather at \(hive.id): \(problem); an admin may --override-weather --confirm")
            }
            guard role >= .admin else {
                return refuse("role not allowed: overriding weather limits needs the admin role")
            }
            guard args["confirm"] == "true" else {
                return refuse("confirmation needed: launching in weather outside limits (\(problem)); add --confirm")
            }
            guard notBefore == nil else { return refuse("--override-weather is for a launch now, not --at") }
            logger.warning(
                "weather limits overridden", metadata: ["mission.id": "\(mission.id)", "weather": "\(problem)"])
            overriding = true
        }
        let asked = args["vehicle"].flatMap { $0.isEmpty ? nil : $0 }
        if let asked, !setup.fleet.drones.contains(where: { $0.id == asked }) {
            return refuse("vehicle not ready: no drone `\(asked)` in the fleet")
        }
        var vehicle = asked
        if notBefore == nil {
            // Launching now: the vehicle must be ready now.
            switch await readyVehicle(for: mission, asked: asked) {
            case .success(let id): vehicle = id
            case .failure(let refusal): return refuse("vehicle not ready: \(refusal.reason)")
            }
        }
        let plan: CoveragePlan
        do {
            plan = try RoutePlanner.plan(mission, site: loaded.site)
        } catch {
            return refuse("geofence: \(mission.id) cannot be flown: \(error)")
        }
        if overriding, let vehicle {
            // The sortie queue gates on weather; an admin's confirmed override launches directly.
            do {
                let id = try await coordinator.launch(
                    plan, mission: mission, site: loaded.site, siteFile: loaded.siteFile, device: vehicle)
                return OperatorResponse(
                    id: "", ok: true, message: "launched \(id): \(mission.id) on \(vehicle), weather limits overridden",
                    sortie: id)
            } catch {
                return refuse("cannot record the sortie: \(error)")
            }
        }
        return await queueOperatorSortie(
            mission: mission, loaded: loaded, vehicle: vehicle, notBefore: notBefore, anyVehicle: "the first free drone"
        )
    }

    /// Queues an operator's sortie (a drone's or a robot's round) and answers with what the queue
    /// did: refused (with its kind), queued for later (when, and why it waits), or launched.
    func queueOperatorSortie(
        mission: Mission, loaded: LoadedMission, vehicle: String?, notBefore: Date?, anyVehicle: String
    ) async -> OperatorResponse {
        let status = await coordinator.request(
            SortieRequest(
                mission: mission, site: loaded.site, siteFile: loaded.siteFile, vehicle: vehicle, notBefore: notBefore,
                origin: .operator))
        switch status.state {
        case .refused:
            return refuse(Self.classify(status.reason ?? "refused by the sortie queue"), sortie: status.id)
        case .queued:
            let when = status.plannedLaunch.formatted(.iso8601)
            let waiting = status.reason.map { " (\($0))" } ?? ""
            return OperatorResponse(
                id: "", ok: true,
                message: "queued \(status.id): \(mission.id) on \(status.vehicle ?? anyVehicle) at \(when)" + waiting,
                sortie: status.id)
        default:
            return OperatorResponse(
                id: "", ok: true, message: "launched \(status.id): \(mission.id) on \(status.vehicle ?? "?")",
                sortie: status.id)
        }
    }

    /// The drone to launch on now: the one asked for, or the first free connected drone of the
    /// mission's hive; or why there is none.
    func readyVehicle(for mission: Mission, asked: String?) async -> Result<String, Refusal> {
        let candidates = setup.fleet.drones.filter { $0.hive == mission.hive }
        var reasons: [String]
        switch await firstFree(candidates.map { ($0.id, $0.state) }, asked: asked, busy: "flying") {
        case .success(let id): return .success(id)
        case .failure(let why): reasons = why.reasons
        }
        if let asked, !candidates.contains(where: { $0.id == asked }) {
            reasons.append("\(asked) lives in another hive than \(mission.hive)")
        }
        return .failure(Refusal(reasons.isEmpty ? "no drone in \(mission.hive)" : reasons.joined(separator: "; ")))
    }

    /// Why no vehicle of a list can go now, one reason per vehicle.
    struct NoneFree: Error {
        var reasons: [String]
    }

    /// The first of `vehicles` (the one `asked` for, if any) that is in service, connected and not
    /// on a sortie, or each one's reason (`busy` says what it is doing: "flying", "on").
    func firstFree(_ vehicles: [(id: String, state: OperatingState)], asked: String?, busy: String) async
        -> Result<String, NoneFree>
    {
        let connected = await coordinator.connectedDevices()
        var reasons: [String] = []
        for vehicle in vehicles where asked == nil || vehicle.id == asked {
            if !vehicle.state.isSchedulable {
                reasons.append("\(vehicle.id) is in \(vehicle.state.rawValue)")
            } else if !connected.contains(vehicle.id) {
                reasons.append("\(vehicle.id) is not connected")
            } else if let sortie = await coordinator.sortie(of: vehicle.id) {
                reasons.append("\(vehicle.id) is \(busy) \(sortie)")
            } else {
                return .success(vehicle.id)
            }
        }
        return .failure(NoneFree(reasons: reasons))
    }

    struct Refusal: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// A queue refusal, prefixed with its kind as `docs/operator-api.md` lists them.
    static func classify(_ reason: String) -> String {
        let lower = reason.lowercased()
        if ["wind", "rain", "temperature"].contains(where: lower.contains) { return "weather: \(reason)" }
        if lower.contains("cannot plan") { return "geofence: \(reason)" }
        return "vehicle not ready: \(reason)"
    }

    /// The launch time asked with `--at` (`nil` for now), or the refusal: not a time, or in the past.
    func launchAt(_ args: [String: String], now: Date) -> Result<Date?, Refusal> {
        guard let at = args["at"], !at.isEmpty else { return .success(nil) }
        guard let time = Self.launchTime(at, now: now, zone: TimeZone(identifier: setup.fleet.timeZone)) else {
            return .failure(Refusal("--at `\(at)`: expected an ISO 8601 time or HH:MM (local to the fleet)"))
        }
        guard time >= now.addingTimeInterval(-60) else {
            return .failure(Refusal("--at `\(at)` is in the past"))
        }
        return .success(time)
    }

    /// An ISO 8601 instant, or HH:MM today in `zone`.
    static func launchTime(_ text: String, now: Date, zone: TimeZone?) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone ?? TimeZone(identifier: "UTC")!
        return calendar.date(bySettingHour: h, minute: m, second: 0, of: now)
    }

    /// `schedule_show` (the sortie queue) and `schedule_apply` (schedule a day's patrols onto it).
    func schedule(_ command: String, _ args: [String: String], role: OperatorRole) async -> OperatorResponse {
        if command == "schedule_apply" {
            let zone = TimeZone(identifier: setup.fleet.timeZone) ?? TimeZone(identifier: "UTC")!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let day: Date
            if let text = args["day"], !text.isEmpty {
                guard let parsed = Self.day(text, calendar: calendar) else {
                    return refuse("schedule_apply: day `\(text)` is not YYYY-MM-DD")
                }
                day = parsed
            } else {
                day = calendar.startOfDay(for: clock.now())
            }
            let missions = setup.missions.values.filter { $0.mission.schedule != nil }
            guard !missions.isEmpty else { return refuse("schedule_apply: no launchable mission has a schedule") }
            let schedule: DaySchedule
            let problem: ScheduleProblem
            do {
                let positions = try ScheduleProblem.hivePositions(of: setup.fleet, site: setup.site)
                var tasks: [PatrolTask] = []
                for loaded in missions.sorted(by: { $0.mission.id < $1.mission.id }) {
                    // Robot rounds are scheduled by `RobotScheduler`, not flown as drone sorties.
                    if case .robotRound = loaded.mission.kind { continue }
                    let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
                    if let task = PatrolTask(mission: loaded.mission, plan: plan) { tasks.append(task) }
                }
                problem = ScheduleProblem(fleet: setup.fleet, hivePositions: positions, patrols: tasks, outages: [])
                schedule = Scheduler.schedule(problem)
            } catch {
                return refuse("schedule_apply: cannot plan the day: \(error)")
            }
            // Kept with its problem: the coordinator re-plans the rest of the day on live events.
            var statuses = await coordinator.applyDay(
                schedule, problem: problem, midnight: day, missions: missions.map(\.mission), site: setup.site,
                siteFile: setup.siteFile)
            var unscheduled = schedule.unscheduled.count
            do {
                let rounds = try await applyRounds(day: day)
                statuses += rounds.statuses
                unscheduled += rounds.unscheduled
            } catch {
                return refuse("schedule_apply: cannot plan the robots' rounds: \(error)")
            }
            let refused = statuses.filter { $0.state == .refused }.count
            return OperatorResponse(
                id: "", ok: true,
                message: "applied the schedule of \(day.formatted(.iso8601.year().month().day())): "
                    + "\(statuses.count - refused) sorties queued, \(refused) refused, \(unscheduled) "
                    + "occurrences that do not fit",
                schedule: statuses.map(Self.line))
        }
        return OperatorResponse(id: "", ok: true, schedule: await coordinator.sorties().map(Self.line))
    }

    static func line(_ s: SortieStatus) -> ScheduleLine {
        ScheduleLine(
            sortie: s.id, mission: s.missionID, vehicle: s.vehicle ?? "any", start: s.plannedLaunch, end: nil,
            state: s.state.rawValue + (s.reason.map { ": \($0)" } ?? ""))
    }

    static func day(_ text: String, calendar: Calendar) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        let components = DateComponents(year: y, month: m, day: d)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
