public import Foundation
import PatrolGeo
public import PatrolModel

extension SensorScenario {
    /// Whether a scenario file describes sensors (it has `gateways:`) rather than a drone flight.
    public static func describesSensors(_ url: URL) -> Bool {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix("gateways:") }
    }

    /// Loads a sensor scenario file.
    ///
    /// - Throws: ``LoadError`` with the file, line and field of the first problem.
    public static func load(from url: URL) throws(LoadError) -> SensorScenario {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw LoadError(file: url.path, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        let fields = try YAMLNode(text: text, file: url.path).mapping(
            [
                "id", "seed", "start", "duration_min", "report_every_s", "batch_size", "gateways", "events", "hive",
                "faults", "concurrent", "adversary",
            ])
        let startField = try fields.required("start")
        guard let start = ISO8601DateFormatter().date(from: try startField.string()) else {
            throw startField.error("expected an ISO 8601 date and time such as 2026-11-25T10:00:00+08:00")
        }
        var gateways: [Gateway] = []
        for node in try fields.required("gateways").list() {
            let g = try node.mapping([
                "id", "count", "sensors", "kinds", "zones", "building", "floor", "actuators", "lon", "lat",
                "clock_skew_s",
            ])
            let id = try g.required("id").string()
            let count = Int(try g.optional("count")?.double(in: 1...1000) ?? 1)
            let kinds = try g.required("kinds").list().map { (k) throws(LoadError) in try kind(k) }
            guard !kinds.isEmpty else { throw node.error("list at least one kind", field: "kinds") }
            let zones = try g.required("zones").list().map { (z) throws(LoadError) in try z.string() }
            guard !zones.isEmpty else { throw node.error("list at least one zone", field: "zones") }
            var gateway = Gateway(
                id: id, sensors: Int(try g.required("sensors").double(in: 1...1_000_000)), kinds: kinds, zones: zones,
                building: try g.optional("building")?.string() ?? "site",
                floor: Int(try g.optional("floor")?.double(in: -10...200) ?? 0),
                actuators: try (g.optional("actuators")?.list() ?? []).map { (a) throws(LoadError) in try a.string() })
            if let lon = g.optional("lon"), let lat = g.optional("lat") {
                gateway.position = LonLat(lon: try lon.double(in: -180...180), lat: try lat.double(in: -90...90))
            }
            gateway.clockSkew = try g.optional("clock_skew_s")?.double(in: -86_400...86_400) ?? 0
            // `count: N` repeats the gateway as `id-1` … `id-N` (stress runs).
            if count == 1 {
                gateways.append(gateway)
            } else {
                for i in 1...count {
                    var copy = gateway
                    copy.id = "\(id)-\(i)"
                    gateways.append(copy)
                }
            }
        }
        let events = try (fields.optional("events")?.list() ?? []).map { (node) throws(LoadError) in
            let e = try node.mapping(["kind", "zone", "start_min", "rise_min", "peak"])
            return Event(
                kind: try kind(e.required("kind")), zone: try e.required("zone").string(),
                start: try e.required("start_min").double(in: 0...100_000) * 60,
                rise: (try e.optional("rise_min")?.double(in: 0...100_000) ?? 0) * 60,
                peak: try e.required("peak").double(in: 0...1_000_000))
        }
        var hive: String?
        var weather = Weather(windSpeed: 0, windFrom: 0, rain: 0, temperature: 25)
        if let node = fields.optional("hive") {
            let h = try node.mapping(["id", "wind_speed_mps", "wind_from_deg", "rain_mm_h", "temperature_c"])
            hive = try h.required("id").string()
            weather = Weather(
                windSpeed: try h.optional("wind_speed_mps")?.double(in: 0...60) ?? 0,
                windFrom: try h.optional("wind_from_deg")?.double(in: 0...360) ?? 0,
                rain: try h.optional("rain_mm_h")?.double(in: 0...500) ?? 0,
                temperature: try h.optional("temperature_c")?.double(in: -60...80) ?? 25)
        }
        var scenario = SensorScenario(
            id: try fields.required("id").string(),
            seed: UInt64(try fields.optional("seed")?.double(in: 0...9e15) ?? 1),
            start: start, duration: try fields.required("duration_min").double(in: 0.1...(7 * 24 * 60)) * 60,
            reportEvery: try fields.optional("report_every_s")?.double(in: 1...3600) ?? 60,
            batchSize: Int(try fields.optional("batch_size")?.double(in: 1...4000) ?? 1000),
            gateways: gateways, events: events, hive: hive, weather: weather)
        scenario.faults = try Fault.list(fields.optional("faults"))
        if let fault = scenario.faults.first(where: { $0.kind != .crash }) {
            throw try fields.required("faults").error(
                "a sensor scenario takes crash faults, not \(fault.kind.rawValue)")
        }
        scenario.concurrent = try fields.optional("concurrent")?.bool() ?? false
        if let node = fields.optional("adversary") {
            scenario.adversary = try node.mapping(["id"]).required("id").string()
        }
        return scenario
    }

    private static func kind(_ node: YAMLNode) throws(LoadError) -> String {
        let text = try node.string()
        guard kinds.contains(text) else {
            throw node.error("unknown sensor kind `\(text)`; expected one of: \(kinds.joined(separator: ", "))")
        }
        return text
    }
}
