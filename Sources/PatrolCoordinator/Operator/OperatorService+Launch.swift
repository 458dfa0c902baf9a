import Foundation
import Logging
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore

extension OperatorService {
    /// `launch`: mission (required), vehicle, at, override_weather, confirm.
    func launch(_ args: [String: String], role: OperatorRole) async -> OperatorResponse {
        guard let missionID = args["mission"], !missionID.isEmpty else { return refuse("launch: which mission?") }
        guard let loaded = setup.missions[missionID] else {
            return refuse(
                "unknown mission `\(missionID)`; launchable: \(setup.missions.keys.sorted().joined(separator: ", "))")
        }
        let mission = loaded.mission
        // Weather at the mission's hive, from its last status.
        let override = args["override_weather"] == "true"
        if let hive = setup.fleet.hives.first(where: { $0.id == mission.hive }),
            let weather = try? store.hiveStatuses(hive: hive.id, from: clock.now(), to: clock.now()).last,
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
            logger.warning(
                "weather limits overridden", metadata: ["mission.id": "\(mission.id)", "weather": "\(problem)"])
        }
        // The vehicle: the one asked for, or the first free connected drone of the mission's hive.
        let connected = await coordinator.connectedDevices()
        let candidates = setup.fleet.drones.filter { $0.hive == mission.hive }
        var reasons: [String] = []
        var chosen: Drone?
        let asked = args["vehicle"].flatMap { $0.isEmpty ? nil : $0 }
        if let asked, !setup.fleet.drones.contains(where: { $0.id == asked }) {
            return refuse("vehicle not ready: no drone `\(asked)` in the fleet")
        }
        for drone in candidates where asked == nil || drone.id == asked {
            if !drone.state.isSchedulable {
                reasons.append("\(drone.id) is in \(drone.state.rawValue)")
            } else if !connected.contains(drone.id) {
                reasons.append("\(drone.id) is not connected")
            } else if let sortie = await coordinator.sortie(of: drone.id) {
                reasons.append("\(drone.id) is flying \(sortie)")
            } else {
                chosen = drone
                break
            }
        }
        if let asked, chosen == nil, !candidates.contains(where: { $0.id == asked }) {
            reasons.append("\(asked) lives in another hive than \(mission.hive)")
        }
        guard let drone = chosen else {
            return refuse(
                "vehicle not ready: \(reasons.isEmpty ? "no drone in \(mission.hive)" : reasons.joined(separator: "; "))"
            )
        }
        let plan: CoveragePlan
        do {
            plan = try RoutePlanner.plan(mission, site: loaded.site)
        } catch {
            return refuse("geofence: \(mission.id) cannot be flown: \(error)")
        }
        do {
            let id = try await coordinator.launch(
                plan, mission: mission, site: loaded.site, siteFile: loaded.siteFile, device: drone.id)
            return OperatorResponse(
                id: "", ok: true, message: "launched \(id): \(mission.id) on \(drone.id)", sortie: id)
        } catch {
            return refuse("cannot record the sortie: \(error)")
        }
    }

    /// `schedule_show` and `schedule_apply`: the sortie queue is not part of this coordinator yet.
    func schedule(_ command: String, _ args: [String: String], role: OperatorRole) async -> OperatorResponse {
        refuse("\(command): this coordinator has no sortie queue yet")
    }
}
