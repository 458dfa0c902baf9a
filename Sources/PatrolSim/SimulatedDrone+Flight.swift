import Foundation
import PatrolGeo
import PatrolLink
import PatrolModel

extension SimulatedDrone {
    /// Seconds after which an unacknowledged detection is sent again.
    static let resendInterval: TimeInterval = 2

    /// Flies the route tick by tick on the virtual clock until it has landed.
    func fly() async throws(Failure) {
        guard var k = kinematics else { throw Failure(message: "no mission") }
        let dt = 1 / scenario.telemetryRate
        var surveyDone = false
        let lastSurvey = k.legs.lastIndex { $0.kind == .survey }
        while !k.isFinished {
            if let pace { try? await Task.sleep(for: .seconds(dt / pace)) }
            clock.advance(by: dt)
            let completed = k.step(dt)
            energyUsedWh += power(k) * dt / 3600
            kinematics = k
            checkFaults()
            k = kinematics ?? k
            if let lastSurvey, !surveyDone, completed.contains(lastSurvey) {
                surveyDone = true
                event(.missionComplete)
            }
            sendTelemetry(k)
            look(k)
            resendOverdue()
            // Coming down: the hive opens its door for the landing.
            if k.currentLeg?.kind == .land { dock?.openDoor() }
            dock?.step()
            try await linkTick()
            try await settleDock()
            if let afterStep {
                do { try await afterStep() } catch { throw Failure(message: "another device failed: \(error)") }
            }
            // Commands that arrived during the barrier may have changed the route.
            k = kinematics ?? k
            if battery <= 0 { throw Failure(message: "battery exhausted") }
        }
    }

    /// Electrical power for the current motion, watts: hover plus cruise share plus climb, plus headwind.
    func power(_ k: Kinematics) -> Double {
        let drone = scenario.drone
        let speed = k.velocity.length
        let cruiseShare = min(1, speed / 8)
        var watts = drone.hoverPowerW + (drone.cruisePowerW - drone.hoverPowerW) * cruiseShare
        if k.verticalSpeed > 0 { watts += 60 * k.verticalSpeed }
        if speed > 0.1 {
            // Wind blowing from `windFrom`: a headwind costs, a tailwind helps a little.
            let weather = scenario.weather.weather(at: clock.now().timeIntervalSince(scenario.start))
            let windTo = (weather.windFrom + 180) * .pi / 180
            let wind = XY(sin(windTo), cos(windTo)) * weather.windSpeed
            let headwind = -wind.dot(k.velocity * (1 / speed))
            watts *= 1 + 0.03 * headwind
        }
        if k.altitude <= 0.01 && k.isFinished { watts = 0 }
        return max(watts, 0)
    }

    func state(_ k: Kinematics) -> VehicleState {
        guard let leg = k.currentLeg else { return .landed }
        if k.paused { return .paused }
        switch leg.kind {
        case .takeoff: return .takingOff
        case .land: return .landing
        case .survey: return .surveying
        case .transit: return k.legs[k.legIndex...].contains { $0.kind == .survey } ? .transit : .returning
        }
    }

    /// The link's quality: 1 at the hive, falling linearly to 0 at 3 km, 0 while the link is
    /// cut; to two decimals. Drawn from no random numbers, so it leaves the rest of a seeded
    /// run unchanged.
    func linkQuality(_ k: Kinematics) -> Double {
        guard !isLinkCut, let home = try? frame.project(hive.position) else { return 0 }
        let distance =
            ((k.position.x - home.x) * (k.position.x - home.x) + (k.position.y - home.y)
                * (k.position.y - home.y))
            .squareRoot()
        return (max(0, min(1, 1 - distance / 3000)) * 100).rounded() / 100
    }

    func sendTelemetry(_ k: Kinematics) {
        let noise = scenario.drone.gpsNoise
        // Without a fix the last one is all it has.
        let reported =
            heldFix ?? k.position + XY(random.gaussian(deviation: noise), random.gaussian(deviation: noise))
        guard let position = try? frame.unproject(reported) else { return }
        let heading =
            k.velocity.length > 0.05
            ? (atan2(k.velocity.x, k.velocity.y) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360) : 0
        let telemetry = Telemetry(
            time: clock.now(), position: position, altitude: max(0, k.altitude), heading: heading,
            speed: k.velocity.length,
            battery: battery, state: state(k), waypointIndex: min(k.legIndex, k.legs.count - 1),
            linkQuality: linkQuality(k), verticalSpeed: (k.verticalSpeed * 100).rounded() / 100,
            attitude: Self.attitude(k, course: heading))
        send(.telemetry(TelemetryReport(flightID: flightID, telemetry: telemetry)))
        summary.telemetrySent += 1
    }

    /// A multirotor's attitude from its motion: the nose into the air it flies through, pitched
    /// down to hold its airspeed against drag (about 20° at 15 m/s), wings level. To a tenth of a
    /// degree; drawn from no random numbers.
    static func attitude(_ k: Kinematics, course: Double) -> Attitude {
        let air = k.velocity - k.wind
        let airspeed = air.length
        let yaw =
            airspeed > 0.5 ? (atan2(air.x, air.y) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360) : course
        let pitch = -atan(0.0159 * airspeed * airspeed / 9.81) * 180 / .pi
        func tenth(_ x: Double) -> Double { (x * 10).rounded() / 10 }
        return Attitude(roll: 0, pitch: tenth(pitch), yaw: min(tenth(yaw), 360))
    }

    /// One camera frame: each burning fire inside the footprint may be recognised; rarely, a
    /// weak false positive.
    func look(_ k: Kinematics) {
        guard let leg = k.currentLeg, leg.kind == .survey, k.altitude > 10 else { return }
        let footprint = CameraFootprint(
            altitude: k.altitude, horizontalFOVDegrees: camera.horizontalFOV, verticalFOVDegrees: camera.verticalFOV)
        let heading = atan2(k.velocity.y, k.velocity.x)
        let now = clock.now()
        let wind = DroneModel.wind(speed: scenario.windSpeed, from: scenario.windFrom)
        let detector = DroneModel.Detector(
            fovDegrees: camera.horizontalFOV, falsePositivesPerHour: scenario.drone.falsePositivesPerHour)
        for fire in scenario.fires where now.timeIntervalSince(scenario.start) >= fire.ignition {
            guard let origin = try? frame.project(fire.position) else { continue }
            // The smoke grows and drifts downwind (both off unless the scenario asks for them).
            let age = now.timeIntervalSince(scenario.start) - fire.ignition
            let radius = fire.plume.radius(age: age)
            let centre = origin + fire.plume.centreOffset(age: age, wind: wind)
            let offset = (centre - k.position).rotated(by: -heading)
            let inside =
                abs(offset.x) <= footprint.length / 2 + radius
                && abs(offset.y) <= footprint.width / 2 + radius
            guard inside else { continue }
            let nearness = max(0, 1 - offset.length / footprint.width)
            var chance = 0.3 + 0.6 * nearness
            if scenario.drone.physicalDetection {
                let horizontal = offset.length
                chance = detector.probability(
                    radius: radius, distance: (horizontal * horizontal + k.altitude * k.altitude).squareRoot(),
                    offAxisDegrees: atan2(horizontal, k.altitude) * 180 / .pi)
            }
            guard random.unit() < chance else { continue }
            let error = 3 + scenario.drone.gpsNoise
            let estimate = centre + XY(random.gaussian(deviation: error), random.gaussian(deviation: error))
            let confidence =
                scenario.drone.physicalDetection
                ? min(0.99, max(0.5, detector.confidence(probability: chance) + random.gaussian(deviation: 0.03)))
                : min(0.99, 0.6 + 0.35 * nearness + random.gaussian(deviation: 0.03))
            report(kind: random.unit() < 0.2 ? .fire : .smoke, at: estimate, confidence: confidence, error: error)
        }
        let falsePositive =
            scenario.drone.physicalDetection ? detector.falsePositiveChance(dt: 1 / scenario.telemetryRate) : 0.002
        if random.unit() < falsePositive {
            // A sun glint or a barbecue: low confidence, below what opens an incident.
            let spot =
                k.position
                + XY(random.gaussian(deviation: footprint.width / 4), random.gaussian(deviation: footprint.length / 4))
            report(kind: .smoke, at: spot, confidence: 0.2 + 0.2 * random.unit(), error: 15)
        }
    }

    func report(kind: DetectionClass, at point: XY, confidence: Double, error: Double) {
        guard let position = try? frame.unproject(point) else { return }
        detectionCounter += 1
        let detection = Detection(
            id: "\(scenario.drone.id)-d\(detectionCounter)", time: clock.now(), kind: kind, confidence: confidence,
            position: position,
            positionError: error, evidence: "frame-\(summary.telemetrySent)")
        let report = DetectionReport(flightID: flightID, detection: detection)
        pendingDetections[detection.id] = (report, clock.now())
        send(.detection(report))
        summary.detectionsSent += 1
    }

    func resendOverdue() {
        let now = clock.now()
        for (id, pending) in pendingDetections.sorted(by: { $0.key < $1.key })
        where now.timeIntervalSince(pending.lastSent) >= Self.resendInterval {
            send(.detection(pending.report))
            pendingDetections[id] = (pending.report, now)
            summary.resends += 1
        }
    }
}
