import PatrolGeo
import PatrolModel

extension WireMessage {
    /// The first value that is well-typed but impossible (a latitude of 95°, a battery of 1.5, a
    /// checksum that does not match its route), as `path: problem`; `nil` if there is none.
    /// Non-finite numbers never get this far: the decoder rejects them.
    var validationProblem: String? {
        switch self {
        case .welcome(let welcome):
            return positive(welcome.heartbeatInterval, "body.heartbeat_interval")
                ?? positive(welcome.telemetryRate, "body.telemetry_rate")
        case .missionUpload(let upload):
            if let problem = check(upload.route, "body.route") { return problem }
            let computed = RouteChecksum.of(upload.route)
            return upload.checksum == computed
                ? nil : "body.checksum: \"\(upload.checksum)\" does not match the route (computed \"\(computed)\")"
        case .telemetry(let report):
            let t = report.telemetry
            return position(t.position, "body.telemetry.position")
                ?? unitInterval(t.battery, "body.telemetry.battery")
                ?? nonNegative(t.speed, "body.telemetry.speed")
                ?? (t.waypointIndex >= 0 ? nil : "body.telemetry.waypoint_index: expected 0 or more, found \(t.waypointIndex)")
        case .detection(let report):
            let d = report.detection
            return position(d.position, "body.detection.position")
                ?? unitInterval(d.confidence, "body.detection.confidence")
                ?? nonNegative(d.positionError, "body.detection.position_error")
        case .hello, .missionAck, .commandAck, .event, .command, .detectionAck, .eventAck, .heartbeat, .error:
            return nil
        }
    }

    private func check(_ route: Route, _ path: String) -> String? {
        for (i, waypoint) in route.waypoints.enumerated() {
            let at = "\(path).waypoints[\(i)]"
            if let problem = position(waypoint.position, "\(at).position") ?? nonNegative(waypoint.speed, "\(at).speed") {
                return problem
            }
        }
        return nonNegative(route.swathWidth, "\(path).swath_width")
            ?? nonNegative(route.lineSpacing, "\(path).line_spacing")
            ?? nonNegative(route.triggerSpacing, "\(path).trigger_spacing")
            ?? nonNegative(route.length, "\(path).length")
            ?? nonNegative(route.estimatedDuration, "\(path).estimated_duration")
    }

    private func position(_ p: LonLat, _ path: String) -> String? {
        if !(-180...180).contains(p.lon) { return "\(path).lon: expected a longitude from -180 to 180, found \(p.lon)" }
        if !(-90...90).contains(p.lat) { return "\(path).lat: expected a latitude from -90 to 90, found \(p.lat)" }
        return nil
    }

    private func unitInterval(_ value: Double, _ path: String) -> String? {
        (0...1).contains(value) ? nil : "\(path): expected a number from 0 to 1, found \(value)"
    }

    private func nonNegative(_ value: Double, _ path: String) -> String? {
        value >= 0 ? nil : "\(path): expected 0 or more, found \(value)"
    }

    private func positive(_ value: Double, _ path: String) -> String? {
        value > 0 ? nil : "\(path): expected more than 0, found \(value)"
    }
}
