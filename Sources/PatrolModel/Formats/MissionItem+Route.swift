import PatrolGeo

/// A mission item with where it came from, for error messages.
struct LocatedItem {
    var item: MissionItem
    /// 1-based line in a text file.
    var line: Int?
    /// JSON path in a `.plan`, such as `mission.items[3]`.
    var field: String?
}

extension MissionItem {
    /// MAVLink numbers mission items with a `uint16`: no mission has more.
    static let maximumCount = 65_535
    /// Speed assumed until a file sets one, metres per second (QGroundControl's default hover speed).
    static let defaultSpeed = 5.0

    /// The route that `items` fly, and a note for each item Patrol skipped.
    ///
    /// Navigation items become waypoints (takeoff, transit, survey while the camera triggers by
    /// distance, land; return-to-launch lands at home; a takeoff or landing at latitude and
    /// longitude 0 is where the vehicle is: home, or the previous waypoint). `DO_CHANGE_SPEED` and
    /// `DO_SET_CAM_TRIGG_DIST` set the speed and the survey legs. Other commands that do not move
    /// the vehicle are skipped with a note; other navigation commands and `DO_JUMP` are refused.
    ///
    /// - Throws: ``LoadError`` at the item's line or path: an unsupported command or frame, a
    ///   position out of range or not finite, or no waypoint at all (unless `allowEmpty`: a plan
    ///   file that carries only geofences or rally points).
    static func route(
        from items: [LocatedItem], home: LonLat, homeAltitude: Double, speed initialSpeed: Double?,
        missionID: String, file: String, allowEmpty: Bool = false
    ) throws(LoadError) -> (route: Route, skipped: [String]) {
        var waypoints: [Waypoint] = []
        var skipped: [String] = []
        var speed = initialSpeed ?? defaultSpeed
        var triggering = false
        var triggerSpacing = 0.0
        for located in items {
            let item = located.item
            func fail(_ message: String) -> LoadError {
                LoadError(file: file, line: located.line, field: located.field, message: message)
            }
            switch item.command {
            case Command.takeoff, Command.waypoint, Command.land:
                let kind: Waypoint.Kind =
                    switch item.command {
                    case Command.takeoff: .takeoff
                    case Command.land: .land
                    default: triggering ? .survey : .transit
                    }
                var position = LonLat(lon: item.longitude, lat: item.latitude)
                // MAVLink: a takeoff or landing at latitude and longitude 0 happens where the vehicle is
                // (ArduPilot's missions write takeoffs so).
                if item.command != Command.waypoint, item.latitude == 0, item.longitude == 0 {
                    position = waypoints.last?.position ?? home
                }
                guard position.isValid else {
                    throw fail("latitude \(item.latitude), longitude \(item.longitude) is not a position on Earth")
                }
                waypoints.append(
                    Waypoint(
                        position: position, altitude: try relativeAltitude(item, homeAltitude, fail), kind: kind,
                        speed: speed))
            case Command.returnToLaunch:
                waypoints.append(Waypoint(position: home, altitude: 0, kind: .land, speed: speed))
            case Command.changeSpeed:
                guard item.params[1].isFinite else {
                    throw fail("DO_CHANGE_SPEED: speed \(item.params[1]) is not a number")
                }
                if item.params[1] > 0 { speed = item.params[1] }
            case Command.cameraTriggerDistance:
                guard item.params[0].isFinite, item.params[0] >= 0 else {
                    throw fail("DO_SET_CAM_TRIGG_DIST: distance \(item.params[0]) must be a number ≥ 0")
                }
                triggering = item.params[0] > 0
                if triggering { triggerSpacing = item.params[0] }
            case Command.doJump, ..<Command.firstNonNavigation:
                throw fail(
                    "\(Command.name(item.command)) is not supported: Patrol flies waypoints, takeoff, land and return")
            default:
                skipped.append(
                    LoadError(
                        file: file, line: located.line, field: located.field,
                        message: "skipped \(Command.name(item.command))"
                    ).description)
            }
        }
        guard !waypoints.isEmpty || allowEmpty else {
            throw LoadError(file: file, message: "the mission has no waypoints")
        }
        var length = 0.0
        var duration = 0.0
        for (a, b) in zip(waypoints, waypoints.dropFirst()) {
            let leg = a.position.greatCircleDistance(to: b.position)
            length += leg
            duration += (leg + abs(b.altitude - a.altitude)) / b.speed
        }
        let route = Route(
            missionID: missionID, waypoints: waypoints, swathWidth: 0, lineSpacing: 0, triggerSpacing: triggerSpacing,
            length: length, estimatedDuration: duration)
        return (route, skipped)
    }

    /// The item's altitude in metres above home, from a relative or an absolute frame.
    private static func relativeAltitude(
        _ item: MissionItem, _ homeAltitude: Double, _ fail: (String) -> LoadError
    ) throws(LoadError) -> Double {
        guard item.altitude.isFinite, abs(item.altitude) <= 20_000 else {
            throw fail("altitude \(item.altitude) is not a number of metres within ±20 km")
        }
        switch item.frame {
        case Frame.globalRelativeAltitude, Frame.globalRelativeAltitudeInt: return item.altitude
        case Frame.global, Frame.globalInt: return item.altitude - homeAltitude
        default:
            throw fail(
                "frame \(item.frame) is not supported; Patrol reads 3 (relative altitude) and 0 (above sea level)")
        }
    }
}
