public import Foundation
public import PatrolGeo
public import PatrolModel

/// A day of scheduled patrols (a scenario with `fleet:`): the fleet's drones fly the day's
/// schedule against the coordinator's sortie layer, with weather at the hive, link cuts, fires
/// and smoke alarms that ask for urgent verification sorties. See `simulators/README.md`.
public struct DayScenario: Hashable, Sendable {
    /// A stretch of the day with other weather at the hives.
    public struct WeatherPeriod: Hashable, Sendable {
        /// Seconds after ``DayScenario/start``.
        public var from: Double
        public var to: Double
        public var wind: Double
        public var rain: Double
    }

    /// A radio drop on the first sortie of `drone` that takes off at or after `from`.
    public struct LinkCutPlan: Hashable, Sendable {
        public var drone: String
        public var from: Date
        /// Seconds after that sortie's take-off, and how long the link stays down.
        public var after: Double
        public var lasting: Double
    }

    /// A battery cell failing on the first sortie of `drone` that takes off at or after `from`:
    /// `after` seconds into it, the remaining energy falls to `capacity` (0–1) of what it was.
    public struct BatteryFailurePlan: Hashable, Sendable {
        public var drone: String
        public var from: Date
        public var after: Double
        public var capacity: Double
    }

    /// A smoke alarm: at `time`, an urgent verification sortie is asked for over `position`.
    public struct Alarm: Hashable, Sendable {
        public var id: String
        /// Seconds after ``DayScenario/start``.
        public var time: Double
        public var position: LonLat
    }

    public var id: String
    public var fleetFile: URL
    public var missionFiles: [URL]
    public var seed: UInt64
    /// Local midnight of the scheduled day (the virtual clock's start).
    public var start: Date
    /// Seconds after ``start`` when the simulation begins (scheduled sorties due earlier are not flown).
    public var begin: Double
    /// Simulated seconds, from ``begin``.
    public var duration: Double
    public var telemetryRate: Double
    /// The physics of every drone (its battery comes from the fleet).
    public var drone: Scenario.Drone
    /// Calm weather at the hives, and the periods that differ.
    public var windSpeed: Double
    public var windFrom: Double
    public var weather: [WeatherPeriod]
    /// When each drone connects, seconds after the start (absent: at the start).
    public var onlineFrom: [String: Double]
    public var linkCuts: [LinkCutPlan]
    public var batteryFailures: [BatteryFailurePlan] = []
    public var fires: [Scenario.Fire]
    public var alarms: [Alarm]
    /// Whether an alarm may divert a drone already in the air (`divert:`, default `true`); with
    /// `false` an urgent sortie launches from a hive or pre-empts a routine sortie by sending its
    /// drone home.
    public var divert = true
    /// Seconds a drone sent to an alarm holds over it to look (`look_s:`, default 120).
    public var look = 120.0
    /// Each robot's charge at the start of the day, a fraction (`robot_battery:`; absent: full,
    /// as the scheduler assumes).
    public var robotBattery: [String: Double] = [:]

    /// The wind and rain at `time` seconds after the start.
    public func weather(at time: Double) -> (wind: Double, rain: Double) {
        if let p = weather.first(where: { $0.from <= time && time < $0.to }) { return (p.wind, p.rain) }
        return (windSpeed, 0)
    }
}

extension DayScenario {
    /// Whether a scenario file describes a day of scheduled patrols (it has `fleet:`).
    public static func describesDay(_ url: URL) -> Bool {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix("fleet:") }
    }

    /// Loads a day scenario; paths are relative to the file, times of day are `HH:MM` local to `start`.
    ///
    /// - Throws: ``LoadError`` with the file, line and field of the first problem.
    public static func load(from url: URL) throws(LoadError) -> DayScenario {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw LoadError(file: url.path, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        let fields = try YAMLNode(text: text, file: url.path).mapping(
            [
                "id", "fleet", "missions", "seed", "start", "begin", "duration_h", "telemetry_hz", "drone", "wind",
                "weather",
                "online_from", "link_cuts", "battery_failures", "fires", "alarms", "divert", "look_s",
                "robot_battery",
            ])
        let folder = url.deletingLastPathComponent()
        func path(_ node: YAMLNode) throws(LoadError) -> URL {
            URL(fileURLWithPath: try node.string(), relativeTo: folder).standardizedFileURL
        }
        func clock(_ node: YAMLNode) throws(LoadError) -> Double {
            let text = try node.string()
            let parts = text.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h),
                (0..<60).contains(m)
            else { throw node.error("expected a time of day as HH:MM") }
            return Double(h * 3600 + m * 60)
        }
        let startField = try fields.required("start")
        guard let start = ISO8601DateFormatter().date(from: try startField.string()) else {
            throw startField.error("expected an ISO 8601 date and time such as 2026-11-25T00:00:00+08:00")
        }
        let d = try fields.optional("drone")?.mapping([
            "cruise_power_w", "hover_power_w", "climb_rate_mps", "gps_noise_m",
        ])
        let drone = Scenario.Drone(
            id: "", batteryWh: 262, cruisePowerW: try d?.optional("cruise_power_w")?.double(in: 1...100_000) ?? 350,
            hoverPowerW: try d?.optional("hover_power_w")?.double(in: 1...100_000) ?? 300,
            climbRate: try d?.optional("climb_rate_mps")?.double(in: 0.1...20) ?? 4,
            gpsNoise: try d?.optional("gps_noise_m")?.double(in: 0...100) ?? 1)
        let wind = try fields.optional("wind")?.mapping(["speed_mps", "from_deg"])
        let weather = try (fields.optional("weather")?.list() ?? []).map { (node) throws(LoadError) in
            let w = try node.mapping(["from", "to", "wind_mps", "rain_mmph"])
            return WeatherPeriod(
                from: try clock(w.required("from")), to: try clock(w.required("to")),
                wind: try w.optional("wind_mps")?.double(in: 0...60) ?? 0,
                rain: try w.optional("rain_mmph")?.double(in: 0...500) ?? 0)
        }
        var online: [String: Double] = [:]
        for node in try fields.optional("online_from")?.list() ?? [] {
            let o = try node.mapping(["drone", "at"])
            online[try o.required("drone").string()] = try clock(o.required("at"))
        }
        let cuts = try (fields.optional("link_cuts")?.list() ?? []).map { (node) throws(LoadError) in
            let c = try node.mapping(["drone", "from", "after_s", "lasting_s"])
            return LinkCutPlan(
                drone: try c.required("drone").string(),
                from: start.addingTimeInterval(
                    try c.optional("from").map { (n) throws(LoadError) in try clock(n) } ?? 0),
                after: try c.required("after_s").double(in: 0...100_000),
                lasting: try c.required("lasting_s").double(in: 0...100_000))
        }
        let failures = try (fields.optional("battery_failures")?.list() ?? []).map { (node) throws(LoadError) in
            let f = try node.mapping(["drone", "from", "after_s", "capacity"])
            return BatteryFailurePlan(
                drone: try f.required("drone").string(),
                from: start.addingTimeInterval(
                    try f.optional("from").map { (n) throws(LoadError) in try clock(n) } ?? 0),
                after: try f.required("after_s").double(in: 0...100_000),
                capacity: try f.required("capacity").double(in: 0...1))
        }
        let fires = try (fields.optional("fires")?.list() ?? []).map { (node) throws(LoadError) in
            let f = try node.mapping(["id", "lon", "lat", "ignition", "smoke_radius_m"])
            return Scenario.Fire(
                id: try f.required("id").string(),
                position: LonLat(
                    lon: try f.required("lon").double(in: -180...180), lat: try f.required("lat").double(in: -90...90)),
                ignition: try clock(f.required("ignition")),
                smokeRadius: try f.optional("smoke_radius_m")?.double(in: 0.1...1000) ?? 10)
        }
        let alarms = try (fields.optional("alarms")?.list() ?? []).map { (node) throws(LoadError) in
            let a = try node.mapping(["id", "at", "lon", "lat"])
            return Alarm(
                id: try a.required("id").string(), time: try clock(a.required("at")),
                position: LonLat(
                    lon: try a.required("lon").double(in: -180...180), lat: try a.required("lat").double(in: -90...90)))
        }
        let missions = try fields.required("missions").list().map { (n) throws(LoadError) in try path(n) }
        guard !missions.isEmpty else { throw try fields.required("missions").error("list at least one mission file") }
        var scenario = DayScenario(
            id: try fields.required("id").string(), fleetFile: try path(fields.required("fleet")),
            missionFiles: missions, seed: UInt64(try fields.optional("seed")?.double(in: 0...9e15) ?? 1),
            start: start, begin: try fields.optional("begin").map { (n) throws(LoadError) in try clock(n) } ?? 0,
            duration: try (fields.optional("duration_h")?.double(in: 0.01...48) ?? 24) * 3600,
            telemetryRate: try fields.optional("telemetry_hz")?.double(in: 0.1...10) ?? 1, drone: drone,
            windSpeed: try wind?.optional("speed_mps")?.double(in: 0...60) ?? 0,
            windFrom: try wind?.optional("from_deg")?.double(in: 0...360) ?? 0, weather: weather, onlineFrom: online,
            linkCuts: cuts, batteryFailures: failures, fires: fires, alarms: alarms)
        scenario.divert = try fields.optional("divert")?.bool() ?? true
        scenario.look = try fields.optional("look_s")?.double(in: 1...3600) ?? 120
        for node in try fields.optional("robot_battery")?.list() ?? [] {
            let r = try node.mapping(["robot", "battery"])
            scenario.robotBattery[try r.required("robot").string()] = try r.required("battery").double(in: 0...1)
        }
        return scenario
    }
}
