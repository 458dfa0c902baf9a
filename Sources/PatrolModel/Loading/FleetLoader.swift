public import Foundation

extension Fleet {
    static let fields = ["site", "time_zone", "hives", "drones", "robots"]
    static let hiveFields = [
        "id", "pad_diameter_m", "capacity", "charging", "turnaround_s", "launch_delay_s", "weather", "state",
    ]
    static let droneFields = [
        "id", "hive", "battery_wh", "charge_wh", "reserve", "max_speed_mps", "consumption", "payload", "state",
    ]
    static let robotFields = [
        "id", "station", "battery_wh", "power_w", "speed_mps", "sensors", "voice", "state", "reserve", "charge_w",
        "turnaround_s",
    ]

    /// Loads a fleet file and checks it against the site its `site:` field names (relative to
    /// the fleet file).
    ///
    /// - Throws: ``LoadError`` with the file, line and field of the first problem: a YAML syntax
    ///   error, an unknown or missing field, a value out of range, a duplicate id, a hive that is
    ///   not a `hive` facility of the site, a drone in an unknown hive, a hive holding more drones
    ///   than its capacity, a robot at an unknown station, or a problem in the site's files.
    public static func load(from url: URL) throws(LoadError) -> Fleet {
        let reader = try YAMLNode(text: try readText(url), file: url.path)
        let fields = try reader.mapping(Self.fields)
        let siteURL = URL(
            fileURLWithPath: try fields.required("site").string(), relativeTo: url.deletingLastPathComponent()
        )
        .standardizedFileURL
        let site = try Site.load(from: siteURL)
        let zoneNode = try fields.required("time_zone")
        let zone = try zoneNode.string()
        guard TimeZone(identifier: zone) != nil else { throw zoneNode.error("unknown time zone `\(zone)`") }

        var hives: [FleetHive] = []
        for node in try fields.required("hives").list() {
            let hive = try loadHive(node)
            guard site.hive(hive.id) != nil else {
                throw node.error(
                    "the site has no hive `\(hive.id)`; it has: \(site.hives.map(\.id).joined(separator: ", "))")
            }
            guard !hives.contains(where: { $0.id == hive.id }) else {
                throw node.error("hive `\(hive.id)` is listed twice")
            }
            hives.append(hive)
        }
        var drones: [Drone] = []
        for node in try fields.required("drones").list() {
            let drone = try loadDrone(node)
            guard let hive = hives.first(where: { $0.id == drone.hive }) else {
                throw node.error("no hive `\(drone.hive)` in this fleet", field: "\(node.path).hive")
            }
            guard !drones.contains(where: { $0.id == drone.id }) else {
                throw node.error("drone `\(drone.id)` is listed twice")
            }
            guard drones.filter({ $0.hive == hive.id }).count < hive.capacity else {
                throw node.error("hive `\(hive.id)` holds only \(hive.capacity) drone(s)", field: "\(node.path).hive")
            }
            drones.append(drone)
        }
        var robots: [Robot] = []
        for node in try fields.optional("robots")?.list() ?? [] {
            let robot = try loadRobot(node)
            guard site.robotStations.contains(where: { $0.id == robot.station }) else {
                throw node.error("the site has no robot station `\(robot.station)`", field: "\(node.path).station")
            }
            guard !robots.contains(where: { $0.id == robot.id }) else {
                throw node.error("robot `\(robot.id)` is listed twice")
            }
            robots.append(robot)
        }
        return Fleet(siteID: site.id, timeZone: zone, hives: hives, drones: drones, robots: robots)
    }

    static func loadHive(_ node: YAMLNode) throws(LoadError) -> FleetHive {
        let fields = try node.mapping(hiveFields)
        let charging = try fields.required("charging").mapping(["power_w", "taper_from", "taper_end_fraction"])
        return FleetHive(
            id: try fields.required("id").string(),
            padDiameter: try fields.optional("pad_diameter_m")?.double(in: 0.3...20) ?? 2,
            capacity: try fields.optional("capacity")?.int(in: 1...64) ?? 1,
            charging: ChargingCurve(
                power: try charging.required("power_w").double(in: 1...20_000),
                taperFrom: try charging.optional("taper_from")?.double(in: 0.1...0.99) ?? 0.8,
                taperEndFraction: try charging.optional("taper_end_fraction")?.double(in: 0.01...1) ?? 0.2),
            turnaround: try fields.optional("turnaround_s")?.double(in: 0...7200) ?? 300,
            launchDelay: try fields.optional("launch_delay_s")?.double(in: 0...600) ?? 30,
            weatherLimits: try fields.optional("weather")?.weatherLimits() ?? WeatherLimits(),
            state: try fields.optional("state")?.choice(OperatingState.self) ?? .ready)
    }

    static func loadDrone(_ node: YAMLNode) throws(LoadError) -> Drone {
        let fields = try node.mapping(droneFields)
        let batteryNode = try fields.required("battery_wh")
        let battery = try batteryNode.double(in: 1...10_000)
        let chargeNode = fields.optional("charge_wh")
        let charge = try chargeNode?.double(in: 0...10_000) ?? battery
        if let chargeNode, charge > battery { throw chargeNode.error("charge_wh is above battery_wh (\(battery))") }
        let c = try fields.required("consumption").mapping([
            "cruise_w", "hover_w", "climb_w", "headwind_w_per_mps", "vertical_speed_mps",
        ])
        return Drone(
            id: try fields.required("id").string(),
            hive: try fields.required("hive").string(),
            batteryWh: battery,
            initialChargeWh: charge,
            reserve: try fields.optional("reserve")?.double(in: 0.05...0.9) ?? 0.25,
            maxSpeed: try fields.required("max_speed_mps").double(in: 0.5...40),
            consumption: ConsumptionModel(
                cruise: try c.required("cruise_w").double(in: 1...20_000),
                hover: try c.required("hover_w").double(in: 1...20_000),
                climb: try c.required("climb_w").double(in: 1...20_000),
                headwindPerMPS: try c.optional("headwind_w_per_mps")?.double(in: 0...1000) ?? 0,
                verticalSpeed: try c.optional("vertical_speed_mps")?.double(in: 0.5...10) ?? 3),
            payload: try fields.required("payload").choices(Payload.self),
            state: try fields.optional("state")?.choice(OperatingState.self) ?? .ready)
    }

    static func loadRobot(_ node: YAMLNode) throws(LoadError) -> Robot {
        let fields = try node.mapping(robotFields)
        return Robot(
            id: try fields.required("id").string(),
            station: try fields.required("station").string(),
            batteryWh: try fields.required("battery_wh").double(in: 1...100_000),
            power: try fields.required("power_w").double(in: 1...20_000),
            speed: try fields.required("speed_mps").double(in: 0.1...10),
            sensors: try fields.required("sensors").choices(RobotSensor.self),
            voice: try fields.optional("voice")?.bool() ?? false,
            state: try fields.optional("state")?.choice(OperatingState.self) ?? .ready,
            reserve: try fields.optional("reserve")?.double(in: 0...0.9) ?? 0.2,
            chargePower: try fields.optional("charge_w")?.double(in: 1...20_000) ?? 300,
            turnaround: try fields.optional("turnaround_s")?.double(in: 0...86_400) ?? 120)
    }
}
