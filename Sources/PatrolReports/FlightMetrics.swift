import Foundation
import PatrolGeo
import PatrolModel

/// The measurements of a flight that come from its telemetry: distance, battery, deviation from
/// the route and the timeline of events.
enum FlightMetrics {
    /// States in which the vehicle is on the ground.
    static let grounded: Set<VehicleState> = [.idle, .armed, .landed]

    /// The horizontal distance along `track`, metres, leaving out steps between two grounded
    /// samples (GPS jitter on the pad is not distance flown).
    static func distanceFlown(_ telemetry: [Telemetry], track: [XY]) -> Double {
        var total = 0.0
        for i in track.indices.dropFirst() {
            if grounded.contains(telemetry[i - 1].state) && grounded.contains(telemetry[i].state) { continue }
            let step = track[i - 1].distance(to: track[i])
            if step.isFinite { total += step }
        }
        return total
    }

    /// Battery at the first and last sample; `nil` without telemetry.
    static func battery(_ telemetry: [Telemetry]) -> FlightSummary.Battery? {
        guard let first = telemetry.first, let last = telemetry.last else { return nil }
        return FlightSummary.Battery(start: first.battery, end: last.battery)
    }

    /// The cross-track distances of the surveying samples from the route polyline.
    static func deviation(_ telemetry: [Telemetry], track: [XY], route: [XY]) -> FlightSummary.Deviation {
        guard !route.isEmpty else { return FlightSummary.Deviation(samples: 0, max: 0, mean: 0) }
        var count = 0
        var maximum = 0.0
        var sum = 0.0
        for (sample, point) in zip(telemetry, track) where sample.state == .surveying {
            let d = distance(from: point, toPolyline: route)
            guard d.isFinite else { continue }
            count += 1
            maximum = max(maximum, d)
            sum += d
        }
        return FlightSummary.Deviation(samples: count, max: maximum, mean: count > 0 ? sum / Double(count) : 0)
    }

    /// The shortest distance from `point` to any segment of `line` (or its single point).
    static func distance(from point: XY, toPolyline line: [XY]) -> Double {
        guard let first = line.first else { return .infinity }
        var best = point.distance(to: first)
        for (a, b) in zip(line, line.dropFirst()) {
            let ab = b - a
            let lengthSquared = ab.dot(ab)
            let t = lengthSquared > 0 ? min(1, max(0, (point - a).dot(ab) / lengthSquared)) : 0
            best = min(best, point.distance(to: a + ab * t))
        }
        return best
    }

    /// Take-off, survey start, first detection, pauses, mission complete and landing, in time order.
    static func timeline(
        _ telemetry: [Telemetry], detections: [Detection], status: Flight.Status, linkEvents: [LinkEvent] = []
    ) -> [FlightSummary.Event] {
        typealias Event = FlightSummary.Event
        var events: [Event] = []
        let airborne = telemetry.firstIndex { !grounded.contains($0.state) }
        if let airborne {
            events.append(Event(time: telemetry[airborne].time, kind: .takeOff, detail: "Take-off"))
        }
        if let start = telemetry.first(where: { $0.state == .surveying }) {
            events.append(Event(time: start.time, kind: .surveyStarted, detail: "Survey started"))
        }
        if let first = detections.min(by: { $0.time < $1.time }) {
            let detail = "First detection: \(first.kind.rawValue) (confidence \(Format.number(first.confidence, 2)))"
            events.append(Event(time: first.time, kind: .firstDetection, detail: detail))
        }
        if let paused = telemetry.first(where: { $0.state == .paused }) {
            events.append(Event(time: paused.time, kind: .paused, detail: "Paused"))
        }
        if let emergency = telemetry.first(where: { $0.state == .emergency }) {
            events.append(Event(time: emergency.time, kind: .emergency, detail: "Emergency reported"))
        }
        if let last = telemetry.lastIndex(where: { $0.state == .surveying }) {
            let time = last + 1 < telemetry.count ? telemetry[last + 1].time : telemetry[last].time
            events.append(
                status == .completed
                    ? Event(time: time, kind: .missionComplete, detail: "Mission complete")
                    : Event(time: time, kind: .surveyEnded, detail: "Survey ended (flight \(status.rawValue))"))
        }
        if let airborne, let landed = telemetry[airborne...].first(where: { $0.state == .landed }) {
            events.append(Event(time: landed.time, kind: .landed, detail: "Landed"))
        }
        var lostAt: Date?
        for link in linkEvents {
            switch link.kind {
            case .lost:
                events.append(Event(time: link.time, kind: .linkLost, detail: "Link lost"))
                if lostAt == nil { lostAt = link.time }
            case .resumed:
                let after = lostAt.map { " after \(Format.duration(max(0, link.time.timeIntervalSince($0))))" } ?? ""
                events.append(Event(time: link.time, kind: .linkResumed, detail: "Link resumed" + after))
                lostAt = nil
            }
        }
        return events.enumerated()
            .sorted { $0.element.time != $1.element.time ? $0.element.time < $1.element.time : $0.offset < $1.offset }
            .map(\.element)
    }
}

extension FlightSummary {
    /// The summary of a projected flight and its coverage.
    init(
        _ input: FlightReportInput, projected: ProjectedFlight, coverage: CoverageResult,
        detectability: DetectabilityResult
    ) {
        let telemetry = projected.telemetry
        let start = input.flight.startedAt ?? telemetry.first?.time
        let end = input.flight.endedAt ?? telemetry.last?.time
        self.init(
            flightID: input.flight.id, missionID: input.mission.id, missionName: input.mission.name,
            deviceID: input.flight.deviceID, status: input.flight.status, start: start, end: end,
            duration: start.flatMap { s in end.map { max(0, $0.timeIntervalSince(s)) } } ?? 0,
            distanceFlown: FlightMetrics.distanceFlown(telemetry, track: projected.track),
            battery: FlightMetrics.battery(telemetry), coverage: CoverageFigures(coverage),
            detectability: DetectabilityFigures(detectability),
            detections: input.detections.count, alerts: input.alerts.map(AlertEntry.init),
            deviation: FlightMetrics.deviation(telemetry, track: projected.track, route: projected.route),
            timeline: FlightMetrics.timeline(
                telemetry, detections: input.detections, status: input.flight.status, linkEvents: input.linkEvents),
            weather: Weather(input.hiveWeather, start: start),
            link: Link(input.linkEvents, qualities: telemetry.compactMap(\.linkQuality)))
    }
}
