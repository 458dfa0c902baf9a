import Foundation
import Logging
import PatrolGeo
import PatrolLink
import PatrolModel

extension SimulatedRobot {
    /// Seconds after which an unacknowledged reading, detection or event is sent again.
    static let resendInterval: TimeInterval = 2
    /// Seconds between telemetry samples while docked and charging.
    static let dockedTelemetryEvery = 30

    /// Walks the legs tick by tick on the virtual clock until it is back at its station (or stopped).
    func walk() async throws(Failure) {
        let dt = 1 / scenario.telemetryRate
        while legIndex < legs.count {
            clock.advance(by: dt)
            try step(dt)
            sendTelemetry(state: state())
            sample()
            look()
            resend(force: false)
            try await linkTick()
            if battery < scenario.robot.reserve, !returning, !aborted {
                logger.notice("battery low: returning to the station", metadata: ["device.id": "\(scenario.robot.id)"])
                event(.failsafe, detail: String(format: "battery %.0f%% below reserve: returning", battery * 100))
                if !goHome() { throw Failure(message: "battery low and no way back to the station") }
            }
            if battery <= 0 { throw Failure(message: "battery exhausted") }
        }
        speedNow = 0
        // Stopped by `abort` during the last barrier: say so before the round ends.
        if aborted { sendTelemetry(state: .idle) }
    }

    /// Moves for `dt` seconds: waits at a door or a lift, stands at a checkpoint, or walks.
    func step(_ dt: TimeInterval) throws(Failure) {
        var moved = 0.0
        defer {
            speedNow = moved / dt
            energyUsedWh += (moved > 0 ? scenario.robot.drivePowerW : scenario.robot.idlePowerW) * dt / 3600
        }
        if paused || legIndex >= legs.count { return }
        if dwellLeft > 0 {
            dwellLeft -= dt
            return
        }
        if !legStarted {
            legStarted = true
            try avoidBlocked()
            guard legIndex < legs.count else { return }
            if let edge = legs[legIndex].edge { waitLeft = map.edges[edge].cost }
        }
        if waitLeft > 0 {
            waitLeft -= dt
            return
        }
        let leg = legs[legIndex]
        let delta = leg.target - position
        let distance = delta.length
        let reach = map.speed * dt
        if distance > 1e-9 {
            heading = (atan2(delta.x, delta.y) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
        }
        if distance > reach {
            position = position + delta * (reach / distance)
            moved = reach
            return
        }
        position = leg.target
        level = leg.level
        moved = distance
        legIndex += 1
        legStarted = false
        if leg.kind == .survey {
            dwellLeft = scenario.robot.dwell
            summary.checkpoints.append((leg.routeIndex, clock.now()))
        }
    }

    /// Edges blocked now, by their index on the map.
    func blockedEdges() -> Set<Int> {
        let elapsed = clock.now().timeIntervalSince(scenario.start)
        let ids = Set(scenario.blocked.filter { elapsed >= $0.from }.map(\.edge))
        return Set(map.edges.indices.filter { ids.contains(map.edges[$0].id) })
    }

    /// Before walking a leg along a blocked edge: reports the clutter, and goes around it to
    /// the next checkpoint it can still reach, skipping those it cannot.
    func avoidBlocked() throws(Failure) {
        let blocked = blockedEdges()
        guard let edge = legs[legIndex].edge, blocked.contains(edge) else { return }
        if !reportedBlocks.contains(edge) {
            reportedBlocks.insert(edge)
            let line = map.edges[edge].line
            let middle = (line[0] + line[line.count - 1]) * 0.5
            report(.corridorClutter, at: middle, confidence: 0.9, error: 1, evidence: "blocked: \(map.edges[edge].id)")
        }
        guard let here = map.node(at: position, level: level) else {
            throw Failure(message: "blocked on `\(map.edges[edge].id)` away from any node")
        }
        let stops = legs.indices.filter { $0 >= legIndex && legs[$0].kind != .transit }
        for stop in stops {
            guard let target = map.node(at: legs[stop].target, level: legs[stop].level),
                let way = map.way(from: here, to: target, avoiding: blocked)
            else {
                if legs[stop].kind == .survey { summary.skipped.append(legs[stop].routeIndex) }
                continue
            }
            var detour = way.map {
                Leg(target: $0.point, level: $0.level, kind: .transit, routeIndex: legs[stop].routeIndex, edge: $0.edge)
            }
            if detour.isEmpty { detour = [legs[stop]] } else { detour[detour.count - 1].kind = legs[stop].kind }
            legs.replaceSubrange(legIndex...stop, with: detour)
            summary.detours.append(map.edges[edge].id)
            logger.info(
                "going around a blocked edge",
                metadata: ["device.id": "\(scenario.robot.id)", "path.edge": "\(map.edges[edge].id)"])
            return
        }
        throw Failure(message: "stranded: every way on from `\(map.nodes[here])` is blocked")
    }

    /// Replaces the rest of the round by the quickest way back to the station, after the current leg.
    /// - Returns: `false` when there is no way back.
    func goHome() -> Bool {
        guard legIndex < legs.count else { return true }
        let current = legs[legIndex]
        guard let from = map.node(at: current.target, level: current.level),
            let home = map.node(at: station, level: stationLevel, tolerance: 5),
            let way = map.way(from: from, to: home, avoiding: blockedEdges())
        else { return false }
        let last = routeCount - 1
        var rest = way.map { Leg(target: $0.point, level: $0.level, kind: .transit, routeIndex: last, edge: $0.edge) }
        var keep = current
        if rest.isEmpty {
            keep.kind = .land
        } else {
            if keep.kind == .survey { keep.kind = .transit }
            rest[rest.count - 1].kind = .land
        }
        legs.replaceSubrange(legIndex..., with: [keep] + rest)
        returning = true
        return true
    }

    func state() -> VehicleState {
        if legIndex >= legs.count { return aborted ? .idle : .landed }
        if paused { return .paused }
        if dwellLeft > 0 { return .surveying }
        if returning || !legs[legIndex...].contains(where: { $0.kind == .survey }) { return .returning }
        return .transit
    }

    func sendTelemetry(state: VehicleState, flight: Bool = true) {
        let noise = scenario.robot.positionNoise
        let reported = position + XY(random.gaussian(deviation: noise), random.gaussian(deviation: noise))
        guard let lonlat = try? frame.unproject(reported) else { return }
        let index = legIndex < legs.count ? legs[legIndex].routeIndex : max(0, routeCount - 1)
        let telemetry = Telemetry(
            time: clock.now(), position: lonlat, altitude: Double(level) * 4, heading: heading, speed: speedNow,
            battery: battery, state: state, waypointIndex: index, linkQuality: 1)
        send(.telemetry(TelemetryReport(flightID: flight ? flightID : nil, telemetry: telemetry)))
        summary.telemetrySent += 1
    }

    /// One gas sample (CO, CH4, H2S) when it is due, at the robot's position, sent as readings.
    func sample() {
        guard let due = nextSample, clock.now() >= due else { return }
        nextSample = due.addingTimeInterval(scenario.robot.sampleEvery)
        guard let lonlat = try? frame.unproject(position) else { return }
        let elapsed = clock.now().timeIntervalSince(scenario.start)
        var readings: [SensorReading] = []
        for kind in RobotScenario.gasKinds {
            var value = SensorModel.quiet(kind, noise: random.unit())
            for leak in scenario.leaks where leak.kind == kind && leak.level == level {
                guard let source = try? frame.project(leak.position) else { continue }
                value += GasField.concentration(leak, at: position.distance(to: source), elapsed: elapsed)
            }
            value *= 1 + random.gaussian(deviation: 0.02)
            readings.append(
                SensorReading(
                    id: nextID("r"), sensor: "\(scenario.robot.id)-\(kind)", kind: SensorKind(rawValue: kind) ?? .co,
                    value: (max(0, value) * 1000).rounded() / 1000, unit: "ppm", time: clock.now(),
                    location: SensorLocation(position: lonlat, floor: level)))
        }
        for r in readings { pendingReadings[r.id] = (r, clock.now()) }
        send(.sensorReadings(SensorReadings(readings: readings)))
        summary.readingsSent += readings.count
    }

    /// One camera frame: scripted objects on its floor within range, ahead (or all around while
    /// it stands at a checkpoint), may be recognised; each is reported once.
    func look() {
        let now = clock.now()
        for object in scenario.objects
        where !seenObjects.contains(object.id) && object.level == level
            && now.timeIntervalSince(scenario.start) >= object.from
        {
            guard let at = try? frame.project(object.position) else { continue }
            let offset = at - position
            let distance = offset.length
            guard distance <= scenario.robot.cameraRange else { continue }
            let bearing = (atan2(offset.x, offset.y) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
            let off = abs((bearing - heading + 540).truncatingRemainder(dividingBy: 360) - 180)
            guard dwellLeft > 0 || off <= 60 || distance < 1 else { continue }
            guard random.unit() < 0.6 else { continue }
            seenObjects.insert(object.id)
            let estimate = at + XY(random.gaussian(deviation: 0.5), random.gaussian(deviation: 0.5))
            report(
                object.kind, at: estimate, confidence: min(0.99, 0.75 + 0.2 * random.unit()), error: 1,
                evidence: "robot-frame-\(summary.telemetrySent)")
        }
    }

    func report(_ kind: DetectionClass, at point: XY, confidence: Double, error: Double, evidence: String) {
        guard let lonlat = try? frame.unproject(point) else { return }
        let detection = Detection(
            id: nextID("d"), time: clock.now(), kind: kind, confidence: confidence, position: lonlat,
            positionError: error, evidence: evidence)
        let report = DetectionReport(flightID: flightID, detection: detection)
        pendingDetections[detection.id] = (report, clock.now())
        send(.detection(report))
        summary.detectionsSent += 1
    }

    /// Sends again what has waited for its acknowledgement for ``resendInterval`` (or everything, when `force`).
    func resend(force: Bool) {
        let now = clock.now()
        let readings = pendingReadings.sorted { $0.key < $1.key }
            .filter { force || now.timeIntervalSince($0.value.lastSent) >= Self.resendInterval }
        if !readings.isEmpty {
            for (id, pending) in readings { pendingReadings[id] = (pending.reading, now) }
            send(.sensorReadings(SensorReadings(readings: readings.map(\.value.reading))))
            summary.resends += readings.count
        }
        for (id, pending) in pendingDetections.sorted(by: { $0.key < $1.key })
        where force || now.timeIntervalSince(pending.lastSent) >= Self.resendInterval {
            send(.detection(pending.report))
            pendingDetections[id] = (pending.report, now)
            summary.resends += 1
        }
        if force {
            for (_, e) in pendingEvents.sorted(by: { $0.key < $1.key }) { send(.event(e)) }
            summary.resends += pendingEvents.count
        }
    }

    /// Docked at the station: charges for the scenario's `charge_after_min`, one second a step,
    /// with a heartbeat each step and a telemetry sample (no flight) every ``dockedTelemetryEvery`` s.
    func charge() async throws(Failure) {
        let seconds = Int(scenario.chargeAfter.rounded())
        guard seconds > 0, !aborted else { return }
        for second in 1...seconds {
            clock.advance(by: 1)
            let r = scenario.robot
            let taper = battery < 0.8 ? 1 : max(0, (1 - battery) / 0.2)
            energyUsedWh = max(0, energyUsedWh - (r.chargePowerW * taper - r.idlePowerW) / 3600)
            if second % Self.dockedTelemetryEvery == 0 { sendTelemetry(state: .landed, flight: false) }
            try await linkTick()
        }
    }
}

/// The concentration a leak adds at a distance from its source.
enum GasField {
    /// ppm added by `leak` at `distance` metres from its source, `elapsed` seconds after the
    /// scenario's start: linear growth over its rise to its peak, held, and `exp(-d / decay)`.
    static func concentration(_ leak: RobotScenario.Leak, at distance: Double, elapsed: TimeInterval) -> Double {
        guard elapsed >= leak.start else { return 0 }
        let strength = leak.rise > 0 ? leak.peak * min(1, (elapsed - leak.start) / leak.rise) : leak.peak
        return strength * exp(-distance / leak.decay)
    }
}
