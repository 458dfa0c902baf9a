public import Foundation
import Logging
public import PatrolGeo
public import PatrolLink
import PatrolModel
import PatrolPlanner
public import PatrolStore

/// What came of a sortie command sent to a device.
public enum CommandOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The device accepted it (`command_ack` with `accepted: true`).
    case accepted
    /// The device refused it, with its reason.
    case rejected(String)
    /// No answer within the timeout (on the coordinator's clock).
    case timedOut
    /// The sortie's device is not connected (never said hello, or is lost).
    case notConnected(String)
    /// No sortie in progress has this id.
    case unknownSortie(String)

    public var description: String {
        switch self {
        case .accepted: "accepted"
        case .rejected(let reason): "rejected by the device: \(reason)"
        case .timedOut: "no answer from the device in time"
        case .notConnected(let device): "vehicle not ready: \(device) is not connected"
        case .unknownSortie(let id): "no sortie in progress named \(id)"
        }
    }
}

/// A command waiting for its acknowledgement, and the task that gives up on it.
struct CommandWaiter {
    var continuation: CheckedContinuation<CommandAck?, Never>
    var timeout: Task<Void, Never>
}

/// A sortie in progress, as operators see it.
public struct SortieSnapshot: Sendable, Hashable, Codable {
    public var id: String
    public var mission: String
    public var vehicle: String
    public var status: String
    /// The sortie queue's state (`uploading`, `inFlight`, `paused`, …), for sorties launched through it.
    public var sortieState: String?
    /// The last control command the device accepted: `pause`, `resume`, `return_to_hive` or `abort`.
    public var control: String?
    public var waypoint: Int?
    public var waypoints: Int
    /// 0 to 1: the share of the route's waypoints reached.
    public var progress: Double
    public var vehicleState: String?
    public var battery: Double?
    public var position: LonLat?
    public var altitude: Double?
    public var lastTelemetry: Date?
    public var connected: Bool
}

extension Coordinator {
    /// Sends `action` (pause, resume, return_to_hive, abort) to the device flying `flightID` and
    /// waits for its `command_ack`, at most `timeout` seconds of the coordinator's clock.
    ///
    /// The command and its answer are recorded in the store's command log.
    public func command(_ action: Command.Action, flightID: String, timeout: Double) async -> CommandOutcome {
        guard let active = flights[flightID] else { return .unknownSortie(flightID) }
        let device = active.flight.deviceID
        guard sessions[device] != nil, !lostDevices.contains(device) else { return .notConnected(device) }
        let id = nextCommandID()
        do {
            try store.recordCommand(
                id: id, deviceID: device, flightID: flightID, action: action.rawValue, at: clock.now())
        } catch {
            logger.error("cannot record a command", metadata: ["flight.id": "\(flightID)", "store.error": "\(error)"])
        }
        logger.info(
            "command sent",
            metadata: [
                "device.id": "\(device)", "flight.id": "\(flightID)", "command.id": "\(id)",
                "command.action": "\(action.rawValue)",
            ])
        if action == .returnToHive || action == .abort { sortieBook.entries[flightID]?.sentHome = true }
        send(.command(Command(id: id, action: action, flightID: flightID)), to: device)
        let deadline = clock.now().addingTimeInterval(timeout)
        let ack = await withCheckedContinuation { (continuation: CheckedContinuation<CommandAck?, Never>) in
            let timer = Task { [clock] in
                try? await clock.sleep(until: deadline)
                if Task.isCancelled { return }
                self.expire(command: id)
            }
            commandWaiters[id] = CommandWaiter(continuation: continuation, timeout: timer)
        }
        guard let ack else {
            logger.warning(
                "command not answered",
                metadata: ["device.id": "\(device)", "flight.id": "\(flightID)", "command.id": "\(id)"])
            return .timedOut
        }
        guard ack.accepted else { return .rejected(ack.reason ?? "no reason given") }
        if action == .abort { abortedFlights.insert(flightID) }
        followCommand(action, flightID: flightID)
        return .accepted
    }

    /// Keeps the sortie queue's picture of a sortie in step with a command its vehicle accepted.
    private func followCommand(_ action: Command.Action, flightID: String) {
        guard var entry = sortieBook.entries[flightID], !entry.status.state.isFinal else { return }
        switch action {
        case .pause: entry.status.state = .paused
        case .resume: entry.status.state = .inFlight
        case .returnToHive: entry.status.state = .returning
        case .abort:
            entry.status.state = .aborted
            entry.status.reason = "aborted by an operator"
        default: return
        }
        sortieBook.entries[flightID] = entry
        sortieChanged(entry.status)
    }

    /// Hands a `command_ack` to the operator command waiting for it, if any.
    func answered(_ ack: CommandAck) {
        guard let waiter = commandWaiters.removeValue(forKey: ack.commandID) else { return }
        waiter.timeout.cancel()
        waiter.continuation.resume(returning: ack)
    }

    private func expire(command id: String) {
        commandWaiters.removeValue(forKey: id)?.continuation.resume(returning: nil)
    }

    /// Tells every sortie in the air to hold (`pause`) or come back (`return_to_hive`), waits for
    /// the answers (each at most `timeout` seconds), then writes buffered telemetry: what a
    /// graceful shutdown does before the link closes.
    /// - Returns: each sortie told, with the outcome.
    public func shutDown(returning: Bool, timeout: Double) async -> [(flightID: String, outcome: CommandOutcome)] {
        // Sorties already sent home (return or abort) keep going home.
        let homeward: Set<String> = [Command.Action.returnToHive.rawValue, Command.Action.abort.rawValue]
        let airborne = flights.values.filter { $0.flight.status == .flying || $0.flight.status == .uploaded }
            .map(\.flight.id).sorted()
            .filter { id in
                let last = (try? store.commands(flightID: id))?.last {
                    $0.accepted == true && $0.action != Command.Action.start.rawValue
                }
                return last.map { !homeward.contains($0.action) } ?? true
            }
        let action: Command.Action = returning ? .returnToHive : .pause
        var outcomes: [(String, CommandOutcome)] = []
        await withTaskGroup(of: (String, CommandOutcome).self) { group in
            for id in airborne {
                group.addTask { (id, await self.command(action, flightID: id, timeout: timeout)) }
            }
            for await result in group { outcomes.append(result) }
        }
        flush()
        for (id, outcome) in outcomes.sorted(by: { $0.0 < $1.0 }) {
            logger.notice(
                "sortie told at shutdown",
                metadata: [
                    "flight.id": "\(id)", "command.action": "\(action.rawValue)", "command.outcome": "\(outcome)",
                ])
        }
        return outcomes.sorted { $0.0 < $1.0 }.map { (flightID: $0.0, outcome: $0.1) }
    }

    /// Takes back the flights the record says are still in progress (planned, uploaded or flying,
    /// not ended), after a restart: each is planned again from its stored mission and site (the
    /// stored route is kept), a planned one is uploaded when its device says hello, and the others
    /// go on when their devices reconnect. Open incidents were already reloaded by ``init``.
    /// Diversions under way are then taken back with their flights (`Coordinator+DiversionRestart.swift`).
    /// - Returns: the ids of the flights taken back.
    @discardableResult
    public func resumeFlightsInProgress() throws(StoreError) -> [String] {
        var resumed: [String] = []
        for flight in try store.flights() where flight.endedAt == nil && flights[flight.id] == nil {
            guard [.planned, .uploaded, .flying].contains(flight.status) else { continue }
            guard let record = try store.flightPlan(flight.id) else {
                logger.warning(
                    "a flight in progress has no plan record; not resumed", metadata: ["flight.id": "\(flight.id)"])
                continue
            }
            var plan: CoveragePlan
            do {
                plan = try RoutePlanner.plan(record.mission, site: record.site)
            } catch {
                logger.error(
                    "cannot plan a resumed flight again",
                    metadata: ["flight.id": "\(flight.id)", "plan.error": "\(error)"])
                continue
            }
            plan.route = flight.route
            flights[flight.id] = ActiveFlight(flight: flight, plan: plan, mission: record.mission, site: record.site)
            // A robot's round goes on marking its checkpoints (those reached before are kept).
            if let round = try store.robotRound(flight.id) {
                robotRounds[flight.id] = ActiveRound(device: round.robotID, checkpoints: round.checkpoints)
            }
            if flight.status == .planned { pendingLaunches[flight.deviceID] = flight.id }
            logger.notice(
                "flight resumed from the record",
                metadata: [
                    "flight.id": "\(flight.id)", "device.id": "\(flight.deviceID)",
                    "flight.status": "\(flight.status.rawValue)",
                ])
            resumed.append(flight.id)
        }
        // Diversions under way come back with their routine flights (`Coordinator+DiversionRestart.swift`).
        try resumeDiversions()
        return resumed
    }

    /// Devices that said hello and are not lost.
    public func connectedDevices() -> Set<String> { Set(sessions.keys).subtracting(lostDevices) }

    /// The sortie `device` is flying or about to fly, if any.
    public func sortie(of device: String) -> String? {
        flights.values.filter { $0.flight.deviceID == device }.map(\.flight.id).min()
    }

    /// The sorties in progress with their latest telemetry, writing buffered telemetry first.
    public func sortieSnapshots() -> [SortieSnapshot] {
        flush()
        let connected = connectedDevices()
        return flights.values.sorted { $0.flight.id < $1.flight.id }.map { active in
            let flight = active.flight
            let last = try? store.lastTelemetry(flightID: flight.id)
            let control = (try? store.commands(flightID: flight.id))?.last {
                $0.accepted == true && $0.action != Command.Action.start.rawValue
            }?.action
            let count = flight.route.waypoints.count
            let reached = last.map { min(count, $0.waypointIndex) } ?? 0
            return SortieSnapshot(
                id: flight.id, mission: flight.missionID, vehicle: flight.deviceID, status: flight.status.rawValue,
                sortieState: sortieBook.entries[flight.id]?.status.state.rawValue,
                control: control, waypoint: last?.waypointIndex, waypoints: count,
                progress: count > 0 ? Double(reached) / Double(count) : 0, vehicleState: last?.state.rawValue,
                battery: last?.battery, position: last?.position, altitude: last?.altitude, lastTelemetry: last?.time,
                connected: connected.contains(flight.deviceID))
        }
    }

    /// The last known position of the vehicle flying `flightID`.
    public func lastPosition(flightID: String) -> LonLat? {
        flush()
        return (try? store.lastTelemetry(flightID: flightID))?.position
    }
}
