import Foundation
import Logging
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore

/// Robot rounds for operators: `launch` of a `robot_round` mission, and the robots' part of
/// `schedule_apply`.
extension OperatorService {
    /// `launch` of a robot round: the robot asked for (it must dock at the round's station and
    /// carry its sensors) or the first free connected robot of the station; queued through the
    /// coordinator's sortie queue, which gates it (connected, docked, charge) and records it.
    func launchRound(_ args: [String: String], mission: Mission, loaded: LoadedMission) async -> OperatorResponse {
        guard case .robotRound(let spec) = mission.kind else { return refuse("launch: not a robot round") }
        let now = clock.now()
        let notBefore: Date?
        switch launchAt(args, now: now) {
        case .success(let time): notBefore = time
        case .failure(let refusal): return refuse(refusal.reason)
        }
        if args["override_weather"] == "true" { return refuse("--override-weather is for drones, not robot rounds") }
        let asked = args["vehicle"].flatMap { $0.isEmpty ? nil : $0 }
        let capable = setup.fleet.robots.filter { $0.station == spec.station && spec.sensors.isSubset(of: $0.sensors) }
        if let asked {
            guard setup.fleet.robots.contains(where: { $0.id == asked }) else {
                return refuse("vehicle not ready: no robot `\(asked)` in the fleet")
            }
            guard capable.contains(where: { $0.id == asked }) else {
                return refuse(
                    "vehicle not ready: \(asked) cannot drive \(mission.id) (it needs a robot of `\(spec.station)` with "
                        + spec.sensors.sorted().map(\.rawValue).joined(separator: ", ") + ")")
            }
        }
        var vehicle = asked
        if notBefore == nil {
            var reasons: [String] = []
            switch await firstFree(capable.map { ($0.id, $0.state) }, asked: asked, busy: "on") {
            case .success(let id): vehicle = id
            case .failure(let why):
                vehicle = nil
                reasons = why.reasons
            }
            guard vehicle != nil else {
                return refuse(
                    "vehicle not ready: "
                        + (reasons.isEmpty ? "no robot docks at \(spec.station)" : reasons.joined(separator: "; ")))
            }
        }
        return await queueOperatorSortie(
            mission: mission, loaded: loaded, vehicle: vehicle, notBefore: notBefore, anyVehicle: "the first free robot"
        )
    }

    /// The robots' rounds of the day for `schedule_apply`: `RobotScheduler` over the launchable
    /// robot rounds that have a `schedule:`, queued on the coordinator.
    func applyRounds(day: Date) async throws -> (statuses: [SortieStatus], unscheduled: Int) {
        let rounds = setup.missions.values.filter {
            if case .robotRound = $0.mission.kind { $0.mission.schedule != nil } else { false }
        }.sorted { $0.mission.id < $1.mission.id }
        guard !rounds.isEmpty else { return ([], 0) }
        var tasks: [RobotRoundTask] = []
        for loaded in rounds {
            if let task = try RobotRoundTask(mission: loaded.mission, site: loaded.site) { tasks.append(task) }
        }
        let schedule = RobotScheduler.schedule(tasks, robots: setup.fleet.robots)
        let statuses = await coordinator.apply(
            schedule, midnight: day, missions: rounds.map(\.mission), site: setup.site, siteFile: setup.siteFile)
        return (statuses, schedule.unscheduled.count)
    }
}
