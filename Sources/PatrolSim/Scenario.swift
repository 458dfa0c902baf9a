public import Foundation
public import PatrolGeo
public import PatrolModel

/// A simulation scenario: the mission to fly, the simulated drone, the weather and the fires.
public struct Scenario: Hashable, Sendable {
    public struct Drone: Hashable, Sendable {
        public var id: String
        public var batteryWh: Double
        public var cruisePowerW: Double
        public var hoverPowerW: Double
        public var climbRate: Double
        public var gpsNoise: Double
        /// Below this charge (0–1) the low-battery failsafe returns or lands.
        public var reserve: Double = 0.2
        /// Seconds the drone holds without a GPS fix before it flies home.
        public var gpsHold: TimeInterval = 20
        /// Whether the camera uses ``DroneModel/Detector`` (chance by size, slant distance and
        /// angle) instead of the original footprint-nearness model (`detection: physical`).
        public var physicalDetection = false
        /// False positives per hour of the physical detection model.
        public var falsePositivesPerHour: Double = 1
        /// The most horizontal acceleration, m/s²; `nil`: legs flown at their speed at once.
        public var maxAcceleration: Double?

        public init(
            id: String, batteryWh: Double = 130, cruisePowerW: Double = 350, hoverPowerW: Double = 300,
            climbRate: Double = 4, gpsNoise: Double = 1
        ) {
            self.id = id
            self.batteryWh = batteryWh
            self.cruisePowerW = cruisePowerW
            self.hoverPowerW = hoverPowerW
            self.climbRate = climbRate
            self.gpsNoise = gpsNoise
        }
    }

    public struct Fire: Hashable, Sendable {
        public var id: String
        public var position: LonLat
        /// Seconds after the scenario's start.
        public var ignition: TimeInterval
        /// Radius of the visible smoke at ground level, metres.
        public var smokeRadius: Double
        /// How fast the smoke's radius grows, metres per second (0: it keeps ``smokeRadius``).
        public var growth: Double = 0
        /// The largest the smoke's radius grows, metres.
        public var maxRadius: Double = 100
        /// The longest the plume blown downwind gets, metres (0: no drift, the smoke stays over the fire).
        public var plumeMax: Double = 0

        /// The smoke model: ``DroneModel/Plume``.
        public var plume: DroneModel.Plume {
            DroneModel.Plume(initialRadius: smokeRadius, growth: growth, maxRadius: maxRadius, maxPlume: plumeMax)
        }

        public init(id: String, position: LonLat, ignition: TimeInterval, smokeRadius: Double) {
            self.id = id
            self.position = position
            self.ignition = ignition
            self.smokeRadius = smokeRadius
        }
    }

    public var id: String
    public var missionFile: URL
    public var seed: UInt64
    public var start: Date
    public var telemetryRate: Double
    public var drone: Drone
    /// Wind speed, metres per second, and the direction it blows from, degrees clockwise from north.
    public var windSpeed: Double
    public var windFrom: Double
    public var fires: [Fire]
    /// Faults injected into the drone (`gps_loss`, `battery_failure`, `link_drop`), times after `start`.
    public var faults: [Fault] = []
    /// Whether the drone drifts with the wind (`wind.drift: true`): a leg's speed is then its airspeed.
    public var windDrift = false
    /// A mixed run's sensor scenario (`with_gateways:`), flown alongside the drone on one clock.
    public var withGateways: URL?
    /// A mixed run's camera scenario (`with_cameras:`).
    public var withCameras: URL?
    /// The drone's dock: its door, pad, charger, launch limits and faults.
    public var hive = HiveSpec()
    /// Weather over the day (the hive's weather station, the wind the drone flies in); empty for
    /// the constant ``windSpeed`` and ``windFrom``, no rain and 25 °C.
    public var weatherPoints: [WeatherTimeline.Point] = []

    /// The scenario's weather over the day.
    public var weather: WeatherTimeline {
        weatherPoints.isEmpty
            ? WeatherTimeline(
                constant: SensorScenario.Weather(windSpeed: windSpeed, windFrom: windFrom, rain: 0, temperature: 25))
            : WeatherTimeline(points: weatherPoints)
    }

    public init(
        id: String, missionFile: URL, seed: UInt64, start: Date, telemetryRate: Double, drone: Drone,
        windSpeed: Double = 0,
        windFrom: Double = 0, fires: [Fire]
    ) {
        self.id = id
        self.missionFile = missionFile
        self.seed = seed
        self.start = start
        self.telemetryRate = telemetryRate
        self.drone = drone
        self.windSpeed = windSpeed
        self.windFrom = windFrom
        self.fires = fires
    }
}

extension Scenario {
    /// Loads a scenario file; `mission:` is relative to it.
    ///
    /// - Throws: ``LoadError`` with the file, line and field of the first problem.
    public static func load(from url: URL) throws(LoadError) -> Scenario {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw LoadError(file: url.path, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        let root = try YAMLNode(text: text, file: url.path)
        let fields = try root.mapping([
            "id", "mission", "seed", "start", "telemetry_hz", "drone", "wind", "fires", "faults", "with_gateways",
            "with_cameras", "hive", "weather",
        ])
        let missionPath = try fields.required("mission").string()
        let startField = try fields.required("start")
        let startText = try startField.string()
        guard let start = ISO8601DateFormatter().date(from: startText) else {
            throw startField.error("expected an ISO 8601 date and time such as 2026-11-25T10:00:00+08:00")
        }
        let droneFields = try fields.required("drone").mapping(
            [
                "id", "battery_wh", "cruise_power_w", "hover_power_w", "climb_rate_mps", "gps_noise_m", "reserve",
                "gps_hold_s", "detection", "false_positives_per_hour", "max_accel_mps2",
            ])
        var drone = Drone(
            id: try droneFields.required("id").string(),
            batteryWh: try droneFields.optional("battery_wh")?.double(in: 1...10_000) ?? 130,
            cruisePowerW: try droneFields.optional("cruise_power_w")?.double(in: 1...100_000) ?? 350,
            hoverPowerW: try droneFields.optional("hover_power_w")?.double(in: 1...100_000) ?? 300,
            climbRate: try droneFields.optional("climb_rate_mps")?.double(in: 0.1...20) ?? 4,
            gpsNoise: try droneFields.optional("gps_noise_m")?.double(in: 0...100) ?? 1)
        drone.reserve = try droneFields.optional("reserve")?.double(in: 0...0.9) ?? 0.2
        drone.gpsHold = try droneFields.optional("gps_hold_s")?.double(in: 0...3600) ?? 20
        if let node = droneFields.optional("detection") {
            let text = try node.string()
            guard text == "physical" || text == "footprint" else {
                throw node.error("expected `physical` or `footprint`, not `\(text)`")
            }
            drone.physicalDetection = text == "physical"
        }
        drone.maxAcceleration = try droneFields.optional("max_accel_mps2")?.double(in: 0.1...50)
        drone.falsePositivesPerHour = try droneFields.optional("false_positives_per_hour")?.double(in: 0...3600) ?? 1
        let wind = try fields.optional("wind")?.mapping(["speed_mps", "from_deg", "drift"])
        let fires = try (fields.optional("fires")?.list() ?? []).map { (item) throws(LoadError) in
            let f = try item.mapping(
                ["id", "lon", "lat", "ignition_s", "smoke_radius_m", "growth_mps", "max_radius_m", "plume_max_m"])
            var fire = Fire(
                id: try f.required("id").string(),
                position: LonLat(
                    lon: try f.required("lon").double(in: -180...180), lat: try f.required("lat").double(in: -90...90)),
                ignition: try f.optional("ignition_s")?.double(in: 0...1e7) ?? 0,
                smokeRadius: try f.optional("smoke_radius_m")?.double(in: 0.1...1000) ?? 10)
            fire.growth = try f.optional("growth_mps")?.double(in: 0...10) ?? 0
            fire.maxRadius = try f.optional("max_radius_m")?.double(in: 0.1...2000) ?? max(100, fire.smokeRadius)
            fire.plumeMax = try f.optional("plume_max_m")?.double(in: 0...5000) ?? 0
            return fire
        }
        var scenario = Scenario(
            id: try fields.required("id").string(),
            missionFile: URL(fileURLWithPath: missionPath, relativeTo: url.deletingLastPathComponent())
                .standardizedFileURL,
            seed: UInt64(try fields.optional("seed")?.double(in: 0...9e15) ?? 1),
            start: start,
            telemetryRate: try fields.optional("telemetry_hz")?.double(in: 0.1...50) ?? 2,
            drone: drone,
            windSpeed: try wind?.optional("speed_mps")?.double(in: 0...60) ?? 0,
            windFrom: try wind?.optional("from_deg")?.double(in: 0...360) ?? 0,
            fires: fires)
        scenario.faults = try Fault.list(fields.optional("faults"))
        scenario.windDrift = try wind?.optional("drift")?.bool() ?? false
        let folder = url.deletingLastPathComponent()
        if let path = try fields.optional("with_gateways")?.string() {
            scenario.withGateways = URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL
        }
        if let path = try fields.optional("with_cameras")?.string() {
            scenario.withCameras = URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL
        }
        if let fault = scenario.faults.first(where: { ![.gpsLoss, .batteryFailure, .linkDrop].contains($0.kind) }) {
            throw try fields.required("faults").error(
                "a drone scenario takes gps_loss, battery_failure and link_drop, not \(fault.kind.rawValue)")
        }
        if let hive = fields.optional("hive") { scenario.hive = try loadHive(hive) }
        scenario.hive.charger.capacity = scenario.drone.batteryWh
        scenario.weatherPoints = try (fields.optional("weather")?.list() ?? []).map { (item) throws(LoadError) in
            let w = try item.mapping(["at_min", "wind_speed_mps", "wind_from_deg", "rain_mm_h", "temperature_c"])
            return WeatherTimeline.Point(
                at: try w.required("at_min").double(in: 0...100_000) * 60,
                weather: SensorScenario.Weather(
                    windSpeed: try w.optional("wind_speed_mps")?.double(in: 0...60) ?? 0,
                    windFrom: try w.optional("wind_from_deg")?.double(in: 0...360) ?? 0,
                    rain: try w.optional("rain_mm_h")?.double(in: 0...500) ?? 0,
                    temperature: try w.optional("temperature_c")?.double(in: -60...80) ?? 25))
        }
        return scenario
    }

    /// The drone's radio drop from the scenario's first `link_drop` fault, if any (the drone
    /// takes off at `start`, so its times are the fault's).
    public var linkCut: SimulatedDrone.LinkCut? {
        faults.first { $0.kind == .linkDrop }.map { SimulatedDrone.LinkCut(after: $0.at, lasting: $0.duration) }
    }

    static func loadHive(_ node: YAMLNode) throws(LoadError) -> HiveSpec {
        let h = try node.mapping([
            "id", "door_open_s", "door_close_s", "pad_tolerance_m", "landing_deviation_m", "landing_attempts",
            "charge_power_w", "status_every_s", "limits", "faults",
        ])
        var spec = HiveSpec()
        spec.id = try h.optional("id")?.string()
        spec.doorOpenTime = try h.optional("door_open_s")?.double(in: 0...600) ?? spec.doorOpenTime
        spec.doorCloseTime = try h.optional("door_close_s")?.double(in: 0...600) ?? spec.doorCloseTime
        spec.padTolerance = try h.optional("pad_tolerance_m")?.double(in: 0.01...10) ?? spec.padTolerance
        spec.landingDeviation = try h.optional("landing_deviation_m")?.double(in: 0...10) ?? spec.landingDeviation
        spec.landingAttempts = try h.optional("landing_attempts")?.int(in: 1...10) ?? spec.landingAttempts
        spec.charger.power = try h.optional("charge_power_w")?.double(in: 1...10_000) ?? spec.charger.power
        spec.statusInterval = try h.optional("status_every_s")?.double(in: 1...3600) ?? spec.statusInterval
        if let limits = try h.optional("limits")?.mapping([
            "max_wind_mps", "max_rain_mm_h", "min_temperature_c", "max_temperature_c",
        ]) {
            spec.maxWind = try limits.optional("max_wind_mps")?.double(in: 0...100) ?? spec.maxWind
            spec.maxRain = try limits.optional("max_rain_mm_h")?.double(in: 0...500) ?? spec.maxRain
            spec.minTemperature = try limits.optional("min_temperature_c")?.double(in: -60...80) ?? spec.minTemperature
            spec.maxTemperature = try limits.optional("max_temperature_c")?.double(in: -60...80) ?? spec.maxTemperature
        }
        if let faults = try h.optional("faults")?.mapping(["offline_at_min", "door_stuck_at_min"]) {
            spec.offlineAt = (try faults.optional("offline_at_min")?.double(in: 0...100_000)).map { $0 * 60 }
            spec.doorStuckAt = (try faults.optional("door_stuck_at_min")?.double(in: 0...100_000)).map { $0 * 60 }
        }
        return spec
    }
}
