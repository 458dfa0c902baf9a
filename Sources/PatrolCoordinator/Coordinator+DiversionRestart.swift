import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel
import PatrolPlanner
import PatrolStore

/// What the store keeps of a diversion under way: the diversion and the two sorties it joins.
struct KeptDiversion: Codable {
    var diversion: Diversion
    var urgent: SortieStatus
    var urgentRequestedAt: Date
    var routine: SortieStatus
    var routineRequestedAt: Date
}

/// Diversions across a coordinator restart (`v13-diversions`): every diversion under way is kept
/// in the store with its phase (commanded, on its way, looking since when) and both sorties'
/// statuses, from the `go_to` until the look is over or given up. A coordinator started again
/// on the same database takes each back once the routine sortie's flight has come back
/// (``resumeFlightsInProgress()``) and, when its drone has said hello and reported again, follows
/// it on: a drone on its way (or not yet answering) is sent its `go_to` again, as the shutdown
/// may have told it to hold where it was; a look goes on for what is left of it on the clock;
/// then the routine sortie resumes, or is cut short and its rest queued, as it would have been.
extension Coordinator {
    /// Seconds a diversion taken back after a restart waits for its drone to say hello and
    /// report before the urgent sortie is asked again.
    static let restoredContactTimeout: TimeInterval = 120

    /// Writes diversion `id` as it stands now.
    func keepDiversion(_ id: String) {
        guard let diversion = sortieBook.diversions[id], let urgent = sortieBook.entries[id],
            let routine = sortieBook.entries[diversion.routine]
        else { return }
        let kept = KeptDiversion(
            diversion: diversion, urgent: urgent.status, urgentRequestedAt: urgent.requestedAt,
            routine: routine.status, routineRequestedAt: routine.requestedAt)
        do {
            let record = try JSONEncoder().encode(kept)
            try store.saveDiversion(
                urgentID: id, routineID: diversion.routine, vehicle: diversion.vehicle, record: record, at: clock.now())
        } catch {
            logger.error("cannot keep a diversion", metadata: ["urgent.id": "\(id)", "store.error": "\(error)"])
        }
    }

    /// Forgets diversion `id` in the store: it has ended.
    func forgetDiversion(_ id: String) {
        do {
            try store.deleteDiversion(urgentID: id)
        } catch {
            logger.error("cannot forget a diversion", metadata: ["urgent.id": "\(id)", "store.error": "\(error)"])
        }
    }

    /// Takes back the diversions the store says were under way when the coordinator stopped
    /// (called by ``resumeFlightsInProgress()`` once the flights are back). A diversion whose
    /// routine flight has ended, or whose drone was since sent home, is over: its urgent sortie
    /// is asked again.
    /// - Returns: the urgent sorties whose diversions were taken back.
    /// - Throws: ``StoreError`` when the store cannot be read.
    @discardableResult
    func resumeDiversions() throws(StoreError) -> [String] {
        let now = clock.now()
        var resumed: [String] = []
        for row in try store.diversions() where sortieBook.diversions[row.urgentID] == nil {
            guard let kept = try? JSONDecoder().decode(KeptDiversion.self, from: row.record),
                let urgent = try restoredEntry(row.urgentID, status: kept.urgent, requestedAt: kept.urgentRequestedAt)
            else {
                logger.error("a kept diversion cannot be read; left out", metadata: ["urgent.id": "\(row.urgentID)"])
                try store.deleteDiversion(urgentID: row.urgentID)
                continue
            }
            if let over = try diversionOver(kept.diversion) {
                try store.deleteDiversion(urgentID: row.urgentID)
                add(restored: urgent)
                sortieBook.kept[row.urgentID] = urgent.status.state
                requeue(row.urgentID, reason: "the diverted \(row.vehicle) could not look: \(over)", now: now)
                continue
            }
            guard
                let routine = try restoredEntry(
                    row.routineID, status: kept.routine, requestedAt: kept.routineRequestedAt)
            else {
                logger.error("a diverted sortie's request is not kept", metadata: ["sortie.id": "\(row.routineID)"])
                try store.deleteDiversion(urgentID: row.urgentID)
                continue
            }
            add(restored: routine)
            sortieBook.live.insert(row.routineID)
            add(restored: urgent)
            var diversion = kept.diversion
            diversion.restoredAt = now
            sortieBook.diversions[row.urgentID] = diversion
            if let last = try store.lastTelemetry(flightID: row.routineID) {
                sortieBook.battery[row.vehicle] = (last.battery, last.time)
                sortieBook.fixes[row.vehicle] = AirborneFix(
                    position: last.position, altitude: last.altitude, state: last.state, time: last.time,
                    waypointIndex: last.waypointIndex)
            }
            logger.notice(
                "diversion resumed from the record",
                metadata: [
                    "urgent.id": "\(row.urgentID)", "sortie.id": "\(row.routineID)", "device.id": "\(row.vehicle)",
                    "diversion.phase": "\(Self.describe(diversion.phase))",
                ])
            resumed.append(row.urgentID)
        }
        return resumed
    }

    /// Why a kept diversion cannot go on: its routine flight ended while the coordinator was
    /// down, or its drone was sent home since the `go_to`; `nil` when it can.
    private func diversionOver(_ diversion: Diversion) throws(StoreError) -> String? {
        guard let active = flights[diversion.routine], [.flying, .uploaded].contains(active.flight.status) else {
            return "\(diversion.routine) ended while the coordinator was down"
        }
        let commands = try store.commands(flightID: diversion.routine)
        guard let goTo = commands.lastIndex(where: { $0.id == diversion.command }) else { return nil }
        let homeward = [Command.Action.returnToHive.rawValue, Command.Action.abort.rawValue]
        if let home = commands[(goTo + 1)...].first(where: { $0.accepted != false && homeward.contains($0.action) }) {
            return "\(diversion.vehicle) was told \(home.action) at the shutdown"
        }
        return nil
    }

    /// A sortie of a kept diversion as a book entry: its kept request, planned again, with its status.
    private func restoredEntry(_ id: String, status: SortieStatus, requestedAt: Date) throws(StoreError)
        -> SortieBook.Entry?
    {
        guard let row = try store.sortieRequest(id: id),
            let request = try? JSONDecoder().decode(SortieRequest.self, from: row.request),
            let plan = try? missionPlan(request.mission, site: request.site)
        else { return nil }
        return SortieBook.Entry(request: request, status: status, plan: plan, requestedAt: requestedAt)
    }

    private func add(restored entry: SortieBook.Entry) {
        let id = entry.status.id
        if sortieBook.entries[id] == nil { sortieBook.order.append(id) }
        sortieBook.entries[id] = entry
        sortieBook.kept[id] = entry.status.state
    }

    /// Holds a diversion taken back after a restart until its drone is heard again, then sends
    /// its `go_to` again when it was not yet overhead. Returns `true` when nothing more is to be
    /// done for it this time.
    func awaitingContact(_ id: String, now: Date) -> Bool {
        guard let diversion = sortieBook.diversions[id], let restored = diversion.restoredAt else { return false }
        guard sessions[diversion.vehicle] != nil, !lostDevices.contains(diversion.vehicle),
            let fix = sortieBook.fixes[diversion.vehicle], fix.time >= restored
        else {
            if now.timeIntervalSince(restored) >= Self.restoredContactTimeout {
                sortieBook.diversions[id]?.restoredAt = nil
                let why = "\(diversion.vehicle) not heard since the coordinator restarted"
                endDiversion(id, looked: false, reason: why, now: now)
                releaseUnheard(diversion, reason: why, now: now)
            }
            return true
        }
        sortieBook.diversions[id]?.restoredAt = nil
        switch diversion.phase {
        case .commanded, .outbound:
            // Told to hold at the shutdown, or never told: `go_to` again, from here; its answer is followed next.
            sendGoTo(id, now: now)
            keepDiversion(id)
            return true
        case .looking:
            keepDiversion(id)
            return false
        }
    }

    /// The routine sortie of `diversion`, given up because its drone was not heard after a
    /// restart, is released rather than left `paused`: cut short at the last waypoint it had
    /// reached before the diversion, its rest queued from there for any ready drone (held out of
    /// the silent drone's airspace until its planned landing, as a lost drone's rest is). Its flight
    /// stays open: a drone that reports later is followed home and its landing recorded.
    func releaseUnheard(_ diversion: Diversion, reason: String, now: Date) {
        guard var routine = sortieBook.entries[diversion.routine], routine.status.state == .paused, !routine.cut
        else { return }
        routine.status.lastWaypoint = diversion.interruptedAt
        sortieBook.entries[diversion.routine] = routine
        cutShort(diversion.routine, reason: "diverted for urgent sortie \(diversion.urgent); \(reason)", now: now)
        if let cut = sortieBook.entries[diversion.routine]?.status { sortieChanged(cut) }
    }

    /// Sends diversion `id`'s drone its `go_to` again (after a restart) and waits for the answer.
    func sendGoTo(_ id: String, now: Date) {
        guard let diversion = sortieBook.diversions[id], let urgent = sortieBook.entries[id],
            let position = urgent.request.target
                ?? (try? SiteFrame(crs: urgent.request.site.crs).unproject(diversion.target))
        else { return }
        let policy = sortieBook.diversionPolicy
        let speed = min(policy.speed, sortieBook.fleet?.fleet.drone(diversion.vehicle)?.maxSpeed ?? policy.speed)
        let height = diversion.transit?.highest ?? lookAltitude(urgent)
        let command = nextCommandID()
        do {
            try store.recordCommand(
                id: command, deviceID: diversion.vehicle, flightID: diversion.routine,
                action: Command.Action.goTo.rawValue, at: now)
        } catch {
            logger.error(
                "cannot record a command", metadata: ["device.id": "\(diversion.vehicle)", "store.error": "\(error)"])
        }
        send(
            .command(
                .goTo(
                    id: command, flightID: diversion.routine, position: position,
                    altitude: (height * 10).rounded() / 10, reference: .takeoff, speed: speed)), to: diversion.vehicle)
        sortieBook.diversions[id]?.command = command
        sortieBook.diversions[id]?.commandedAt = now
        sortieBook.diversions[id]?.phase = .commanded
        logger.notice(
            "diversion go_to sent again",
            metadata: ["urgent.id": "\(id)", "device.id": "\(diversion.vehicle)", "command.id": "\(command)"])
    }

    static func describe(_ phase: Diversion.Phase) -> String {
        switch phase {
        case .commanded: "commanded"
        case .outbound: "outbound"
        case .looking(let since): "looking since \(since.formatted(.iso8601))"
        }
    }
}
