import PatrolGeo

/// One MAVLink mission item (`MISSION_ITEM_INT`), as `.plan` and `.waypoints` files store it.
struct MissionItem: Hashable, Sendable {
    /// The MAVLink commands Patrol reads and writes.
    enum Command {
        static let waypoint = 16
        static let returnToLaunch = 20
        static let land = 21
        static let takeoff = 22
        static let doJump = 177
        static let changeSpeed = 178
        static let cameraTriggerDistance = 206
        /// Commands below this number move the vehicle (`MAV_CMD_NAV_…`).
        static let firstNonNavigation = 80

        static func name(_ command: Int) -> String {
            switch command {
            case waypoint: "NAV_WAYPOINT"
            case returnToLaunch: "NAV_RETURN_TO_LAUNCH"
            case land: "NAV_LAND"
            case takeoff: "NAV_TAKEOFF"
            case doJump: "DO_JUMP"
            case changeSpeed: "DO_CHANGE_SPEED"
            case cameraTriggerDistance: "DO_SET_CAM_TRIGG_DIST"
            default: "command \(command)"
            }
        }
    }

    /// The MAVLink frames Patrol reads (`MAV_FRAME`).
    enum Frame {
        static let global = 0
        static let mission = 2
        static let globalRelativeAltitude = 3
        static let globalInt = 5
        static let globalRelativeAltitudeInt = 6
    }

    var command: Int
    var frame: Int
    /// `param1`…`param4`, then latitude, longitude, altitude. NaN where a file says null.
    var params: [Double]
    var autoContinue: Bool = true

    var latitude: Double { params[4] }
    var longitude: Double { params[5] }
    var altitude: Double { params[6] }

    /// A navigation item at a waypoint; yaw NaN (keep the vehicle's heading logic).
    static func navigation(_ command: Int, _ waypoint: Waypoint) -> MissionItem {
        MissionItem(
            command: command, frame: Frame.globalRelativeAltitude,
            params: [0, 0, 0, .nan, waypoint.position.lat, waypoint.position.lon, waypoint.altitude])
    }

    /// A command without a position.
    static func command(_ command: Int, _ p1: Double, _ p2: Double = 0, _ p3: Double = 0) -> MissionItem {
        MissionItem(command: command, frame: Frame.mission, params: [p1, p2, p3, 0, 0, 0, 0])
    }

    /// The items that fly `route`.
    ///
    /// Survey legs are flown with the camera triggering every ``Route/triggerSpacing`` metres
    /// (`DO_SET_CAM_TRIGG_DIST` before the leg, 0 after it), so the waypoint kinds survive a round
    /// trip. Speeds become `DO_CHANGE_SPEED` (ground speed) wherever they change.
    static func items(for route: Route) -> [MissionItem] {
        var items: [MissionItem] = []
        var speed: Double?
        var triggering = false
        for waypoint in route.waypoints {
            if speed != waypoint.speed {
                items.append(.command(Command.changeSpeed, 1, waypoint.speed, -1))
                speed = waypoint.speed
            }
            if (waypoint.kind == .survey) != triggering {
                triggering.toggle()
                items.append(.command(Command.cameraTriggerDistance, triggering ? route.triggerSpacing : 0, 0, 1))
            }
            switch waypoint.kind {
            case .takeoff: items.append(.navigation(Command.takeoff, waypoint))
            case .transit, .survey: items.append(.navigation(Command.waypoint, waypoint))
            case .land: items.append(.navigation(Command.land, waypoint))
            }
        }
        if triggering { items.append(.command(Command.cameraTriggerDistance, 0, 0, 1)) }
        return items
    }
}
