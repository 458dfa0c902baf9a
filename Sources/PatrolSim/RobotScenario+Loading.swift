public import Foundation
import PatrolGeo
public import PatrolModel

extension RobotScenario {
    /// Whether a scenario file describes a ground robot (it has `robot:`) rather than a drone or sensors.
    public static func describesRobot(_ url: URL) -> Bool {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix("robot:") }
    }

    /// Loads a robot scenario file; `mission:` is relative to it.
    ///
    /// - Throws: ``LoadError`` with the file, line and field of the first problem.
    public static func load(from url: URL) throws(LoadError) -> RobotScenario {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw LoadError(file: url.path, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        let fields = try YAMLNode(text: text, file: url.path).mapping(
            [
                "id", "mission", "seed", "start", "telemetry_hz", "robot", "charge_after_min", "blocked", "gas",
                "objects", "faults", "link_loss",
            ])
        let startField = try fields.required("start")
        guard let start = ISO8601DateFormatter().date(from: try startField.string()) else {
            throw startField.error("expected an ISO 8601 date and time such as 2026-11-25T10:00:00+08:00")
        }
        let r = try fields.required("robot").mapping([
            "id", "battery_wh", "battery_start", "drive_power_w", "idle_power_w", "charge_power_w", "reserve",
            "position_noise_m", "sample_every_s", "camera_range_m", "dwell_s",
        ])
        let defaults = Robot(id: "")
        let robot = Robot(
            id: try r.required("id").string(),
            batteryWh: try r.optional("battery_wh")?.double(in: 1...100_000) ?? defaults.batteryWh,
            batteryStart: try r.optional("battery_start")?.double(in: 0...1) ?? defaults.batteryStart,
            drivePowerW: try r.optional("drive_power_w")?.double(in: 0...10_000) ?? defaults.drivePowerW,
            idlePowerW: try r.optional("idle_power_w")?.double(in: 0...10_000) ?? defaults.idlePowerW,
            chargePowerW: try r.optional("charge_power_w")?.double(in: 0...100_000) ?? defaults.chargePowerW,
            reserve: try r.optional("reserve")?.double(in: 0...0.9) ?? defaults.reserve,
            positionNoise: try r.optional("position_noise_m")?.double(in: 0...10) ?? defaults.positionNoise,
            sampleEvery: try r.optional("sample_every_s")?.double(in: 0.5...3600) ?? defaults.sampleEvery,
            cameraRange: try r.optional("camera_range_m")?.double(in: 0.5...100) ?? defaults.cameraRange,
            dwell: try r.optional("dwell_s")?.double(in: 0...3600) ?? defaults.dwell)
        let blocked = try (fields.optional("blocked")?.list() ?? []).map { (node) throws(LoadError) in
            let b = try node.mapping(["edge", "from_min"])
            return Blocked(
                edge: try b.required("edge").string(), from: (try b.optional("from_min")?.double(in: 0...1e6) ?? 0) * 60
            )
        }
        let leaks = try (fields.optional("gas")?.list() ?? []).map { (node) throws(LoadError) in
            let g = try node.mapping([
                "id", "kind", "lon", "lat", "level", "start_min", "rise_min", "peak_ppm", "decay_m",
            ])
            let kindNode = try g.required("kind")
            let kind = try kindNode.string()
            guard gasKinds.contains(kind) else {
                throw kindNode.error("unknown gas `\(kind)`; expected one of: \(gasKinds.joined(separator: ", "))")
            }
            return Leak(
                id: try g.required("id").string(), kind: kind, position: try position(g),
                level: try g.optional("level")?.int(in: -10...200) ?? 0,
                start: try g.required("start_min").double(in: 0...1e6) * 60,
                rise: (try g.optional("rise_min")?.double(in: 0...1e6) ?? 0) * 60,
                peak: try g.required("peak_ppm").double(in: 0...1_000_000),
                decay: try g.optional("decay_m")?.double(in: 0.1...10_000) ?? 10)
        }
        let objects = try (fields.optional("objects")?.list() ?? []).map { (node) throws(LoadError) in
            let o = try node.mapping(["id", "kind", "lon", "lat", "level", "from_min"])
            return Object(
                id: try o.required("id").string(), kind: try o.required("kind").choice(DetectionClass.self),
                position: try position(o), level: try o.optional("level")?.int(in: -10...200) ?? 0,
                from: (try o.optional("from_min")?.double(in: 0...1e6) ?? 0) * 60)
        }
        var scenario = RobotScenario(
            id: try fields.required("id").string(),
            missionFile: URL(
                fileURLWithPath: try fields.required("mission").string(), relativeTo: url.deletingLastPathComponent()
            ).standardizedFileURL,
            seed: UInt64(try fields.optional("seed")?.double(in: 0...9e15) ?? 1), start: start,
            telemetryRate: try fields.optional("telemetry_hz")?.double(in: 0.1...50) ?? 2, robot: robot,
            chargeAfter: (try fields.optional("charge_after_min")?.double(in: 0...(24 * 60)) ?? 0) * 60,
            blocked: blocked, leaks: leaks, objects: objects)
        scenario.faults = try Fault.list(fields.optional("faults"))
        if let fault = scenario.faults.first(where: { $0.kind != .linkDrop || $0.device != robot.id }) {
            throw try fields.required("faults").error(
                "a robot scenario takes link_drop faults of its robot `\(robot.id)`, not \(fault.kind.rawValue) of "
                    + "`\(fault.device)`")
        }
        if let policy = try fields.optional("link_loss")?.mapping(["failsafe_after_s", "action"]) {
            scenario.linkLoss.after =
                try policy.optional("failsafe_after_s")?.double(in: 0.5...3600) ?? scenario.linkLoss.after
            if let action = policy.optional("action") {
                scenario.linkLoss.action = try action.choice(LinkLossPolicy.Action.self)
            }
        }
        return scenario
    }

    private static func position(_ m: YAMLMapping) throws(LoadError) -> LonLat {
        LonLat(lon: try m.required("lon").double(in: -180...180), lat: try m.required("lat").double(in: -90...90))
    }
}
