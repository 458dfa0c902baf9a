import Foundation
public import Logging
import PatrolGeo
public import PatrolLink
public import PatrolModel
import PatrolPlanner
public import PatrolStore

/// Answers the operator channel: checks each request's role against the operator's key, runs it
/// on the coordinator, answers ok or refused with the reason, and writes every command that acts
/// (and every refusal) to the audit log.
///
/// Roles: a viewer reads (`status`, `schedule_show`); an operator also launches and controls
/// sorties; an admin also overrides weather limits and applies schedules.
public final class OperatorService: Sendable {
    let coordinator: Coordinator
    let server: OperatorServer
    let allowlist: OperatorAllowlist
    let store: PatrolStore
    let setup: ServeSetup
    let clock: any PatrolClock
    let logger: Logger
    /// Seconds a device has to acknowledge a sortie command.
    let commandTimeout: Double

    public init(
        coordinator: Coordinator, server: OperatorServer, allowlist: OperatorAllowlist, store: PatrolStore,
        setup: ServeSetup, clock: any PatrolClock, logger: Logger, commandTimeout: Double
    ) {
        self.coordinator = coordinator
        self.server = server
        self.allowlist = allowlist
        self.store = store
        self.setup = setup
        self.clock = clock
        self.logger = logger
        self.commandTimeout = commandTimeout
    }

    /// Answers requests until the server closes; each request runs in its own task so a command
    /// waiting for a device's answer does not hold up a status read.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for await frame in server.inbound {
                group.addTask {
                    let response = await self.answer(frame)
                    let bytes = (try? JSONEncoder.operatorAPI.encode(response)) ?? Data()
                    self.server.reply(Array(bytes), to: frame.peer)
                }
            }
        }
    }

    /// The response to one frame from an authenticated operator.
    public func answer(_ frame: OperatorFrame) async -> OperatorResponse {
        let name = frame.operatorName
        guard let role = allowlist.role(of: name) else {
            // Revoked since the frame arrived: nothing to say to a stranger.
            return OperatorResponse(id: "", ok: false, reason: "not allowed")
        }
        let request: OperatorRequest
        do {
            request = try JSONDecoder.operatorAPI.decode(OperatorRequest.self, from: Data(frame.body))
        } catch {
            let response = OperatorResponse(
                id: "", ok: false, reason: "bad request: expected {\"id\", \"command\", \"args\"} as JSON",
                operatorName: name, role: role.rawValue)
            audit(name, role, command: "(unreadable)", args: [:], response)
            return response
        }
        var response = await run(request, name: name, role: role)
        response.id = request.id
        response.operatorName = name
        response.role = role.rawValue
        let isRead = Self.reads.contains(request.command)
        if !isRead || !response.ok { audit(name, role, command: request.command, args: request.args, response) }
        var metadata: Logger.Metadata = [
            "operator.name": "\(name)", "operator.role": "\(role.rawValue)", "operator.command": "\(request.command)",
            "operator.outcome": "\(response.ok ? "ok" : "refused")",
        ]
        if let sortie = response.sortie ?? request.args["sortie"] { metadata["flight.id"] = "\(sortie)" }
        if let reason = response.reason { metadata["operator.reason"] = "\(reason)" }
        logger.log(level: isRead && response.ok ? .debug : .notice, "operator command", metadata: metadata)
        return response
    }

    static let reads: Set<String> = ["status", "schedule_show"]
    static let commands: [String: OperatorRole] = [
        "status": .viewer, "schedule_show": .viewer, "launch": .operator, "pause": .operator, "resume": .operator,
        "return": .operator, "abort": .operator, "schedule_apply": .admin,
    ]

    func run(_ request: OperatorRequest, name: String, role: OperatorRole) async -> OperatorResponse {
        guard let needed = Self.commands[request.command] else {
            let known = Self.commands.keys.sorted().joined(separator: ", ")
            return refuse("unknown command `\(request.command)`; expected one of: \(known)")
        }
        guard role >= needed else {
            return refuse(
                "role not allowed: \(request.command) needs the \(needed.rawValue) role; "
                    + "\(name) has the \(role.rawValue) role")
        }
        let args = request.args
        switch request.command {
        case "status":
            return OperatorResponse(id: request.id, ok: true, status: await status())
        case "launch":
            return await launch(args, role: role)
        case "pause", "resume", "return", "abort":
            return await control(request.command, args)
        case "schedule_show", "schedule_apply":
            return await schedule(request.command, args, role: role)
        default:
            return refuse("unknown command `\(request.command)`")
        }
    }

    func refuse(_ reason: String, sortie: String? = nil) -> OperatorResponse {
        OperatorResponse(id: "", ok: false, reason: reason, sortie: sortie)
    }

    func audit(
        _ name: String, _ role: OperatorRole, command: String, args: [String: String], _ response: OperatorResponse
    ) {
        do {
            try store.audit(
                AuditEntry(
                    time: clock.now(), operatorName: name, role: role.rawValue, command: command, args: args,
                    outcome: response.ok ? "ok" : "refused", detail: response.ok ? response.message : response.reason))
        } catch {
            logger.error(
                "cannot write the audit log", metadata: ["operator.name": "\(name)", "store.error": "\(error)"])
        }
    }

    // MARK: Status

    func status() async -> StatusSnapshot {
        let now = clock.now()
        let sorties = await coordinator.sortieSnapshots()
        let connected = await coordinator.connectedDevices()
        var vehicles: [StatusSnapshot.Vehicle] = []
        for drone in setup.fleet.drones {
            vehicles.append(
                .init(
                    id: drone.id, kind: "drone", hive: drone.hive, state: drone.state.rawValue,
                    connected: connected.contains(drone.id), sortie: sorties.first { $0.vehicle == drone.id }?.id))
        }
        for robot in setup.fleet.robots {
            vehicles.append(
                .init(
                    id: robot.id, kind: "robot", hive: nil, state: robot.state.rawValue,
                    connected: connected.contains(robot.id), sortie: sorties.first { $0.vehicle == robot.id }?.id))
        }
        let hives = setup.fleet.hives.map { hive in
            let weather = try? store.hiveStatuses(hive: hive.id, from: now, to: now).last
            return StatusSnapshot.HiveWeather(
                id: hive.id, state: hive.state.rawValue, time: weather?.time, windSpeed: weather?.windSpeed,
                rain: weather?.rain, temperature: weather?.temperature,
                outsideLimits: weather.flatMap { Self.weatherProblem($0, limits: hive.weatherLimits) })
        }
        let open = (try? store.alerts(states: [.new, .dispatched, .acknowledged, .inProgress, .reopened])) ?? []
        let incidents = open.sorted { $0.id < $1.id }.map {
            StatusSnapshot.Incident(
                id: $0.id, kind: $0.kind.rawValue, state: $0.state.rawValue, position: $0.position,
                confidence: $0.confidence, confirmed: $0.confirmed, lastSeen: $0.lastSeen)
        }
        let flying = Set(sorties.map(\.id))
        let queue = await coordinator.sorties().filter { !$0.state.isFinal && !flying.contains($0.id) }
        return StatusSnapshot(
            time: now, site: setup.site.id, vehicles: vehicles, hives: hives, sorties: sorties, queue: queue,
            incidents: incidents,
            missions: setup.missions.keys.sorted())
    }

    /// Why `weather` is outside `limits`, or `nil`.
    static func weatherProblem(_ weather: StoredHiveStatus, limits: WeatherLimits) -> String? {
        if weather.windSpeed > limits.maxWind {
            return String(format: "wind %.1f m/s over the limit %.1f m/s", weather.windSpeed, limits.maxWind)
        }
        if weather.rain > limits.maxRain {
            return String(format: "rain %.1f mm/h over the limit %.1f mm/h", weather.rain, limits.maxRain)
        }
        if weather.temperature < limits.minTemperature || weather.temperature > limits.maxTemperature {
            return String(
                format: "temperature %.1f °C outside %.0f to %.0f °C", weather.temperature, limits.minTemperature,
                limits.maxTemperature)
        }
        return nil
    }

    // MARK: Sortie control

    func control(_ command: String, _ args: [String: String]) async -> OperatorResponse {
        guard let sortie = args["sortie"], !sortie.isEmpty else {
            return refuse("\(command): which sortie? (args.sortie)")
        }
        let action: Command.Action
        switch command {
        case "pause": action = .pause
        case "resume": action = .resume
        case "return": action = .returnToHive
        default: action = .abort
        }
        if action == .abort, args["confirm"] != "true" {
            // An abort ends the flight where it is: over people, someone must say they mean it.
            let position = await coordinator.lastPosition(flightID: sortie)
            if let place = position.map(populatedPlace) ?? "an unknown position (no telemetry yet)" {
                return refuse(
                    "confirmation needed: \(sortie) is over \(place), possibly a populated area; abort with --confirm",
                    sortie: sortie)
            }
        }
        let outcome = await coordinator.command(action, flightID: sortie, timeout: commandTimeout)
        guard outcome == .accepted else { return refuse("\(command) \(sortie): \(outcome)", sortie: sortie) }
        return OperatorResponse(
            id: "", ok: true, message: "\(command) \(sortie): accepted by the vehicle", sortie: sortie)
    }

    /// The populated place under `position`: a tower, or the site's boundary (the community), if any.
    func populatedPlace(_ position: LonLat) -> String? {
        if let tower = setup.site.towers.first(where: { Self.contains($0.footprint, position) }) {
            return "tower \(tower.id)"
        }
        return Self.contains(setup.site.boundary, position) ? "the site \(setup.site.id)" : nil
    }

    /// Whether `point` is inside `polygon` (even-odd rule on lon/lat: fine at a site's scale).
    static func contains(_ polygon: GeoPolygon, _ point: LonLat) -> Bool {
        func inRing(_ ring: [LonLat]) -> Bool {
            var inside = false
            var j = ring.count - 1
            for i in ring.indices {
                let a: LonLat = ring[i]
                let b: LonLat = ring[j]
                let straddles: Bool = (a.lat > point.lat) != (b.lat > point.lat)
                if straddles {
                    let t: Double = (point.lat - a.lat) / (b.lat - a.lat)
                    let crossing: Double = a.lon + t * (b.lon - a.lon)
                    if point.lon < crossing { inside.toggle() }
                }
                j = i
            }
            return inside
        }
        return inRing(polygon.exterior) && !polygon.holes.contains(where: inRing)
    }
}
