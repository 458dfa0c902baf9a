public import Foundation
import PatrolGeo
public import PatrolModel

extension CameraScenario {
    /// Whether a scenario file describes fixed cameras (it has `cameras:`).
    public static func describesCameras(_ url: URL) -> Bool {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix("cameras:") }
    }

    /// Loads a camera scenario file.
    ///
    /// - Throws: ``LoadError`` with the file, line and field of the first problem.
    public static func load(from url: URL) throws(LoadError) -> CameraScenario {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw LoadError(file: url.path, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        let fields = try YAMLNode(text: text, file: url.path).mapping(
            [
                "id", "seed", "start", "duration_min", "sight_every_s", "false_positives_per_hour", "cameras", "events",
                "faults",
            ])
        let startField = try fields.required("start")
        guard let start = ISO8601DateFormatter().date(from: try startField.string()) else {
            throw startField.error("expected an ISO 8601 date and time such as 2026-11-25T10:00:00+08:00")
        }
        var cameras: [Camera] = []
        var ids: Set<String> = []
        for node in try fields.required("cameras").list() {
            let c = try node.mapping(["id", "nvr", "lon", "lat", "building", "floor", "classes", "count", "step_m"])
            let id = try c.required("id").string()
            let classes =
                try (c.optional("classes")?.list()).map { (list) throws(LoadError) in
                    try list.map { (k) throws(LoadError) in try detectionClass(k) }
                } ?? CameraScenario.classes
            let count = Int(try c.optional("count")?.double(in: 1...1000) ?? 1)
            // `count: N` repeats the camera as `id-1` … `id-N`, `step_m` apart eastwards.
            let step = try c.optional("step_m")?.double(in: 0...1000) ?? 10
            let lon = try c.required("lon").double(in: -180...180)
            let lat = try c.required("lat").double(in: -90...90)
            for i in 0..<count {
                let cameraID = count == 1 ? id : "\(id)-\(i + 1)"
                guard ids.insert(cameraID).inserted else { throw node.error("camera `\(cameraID)` twice", field: "id") }
                cameras.append(
                    Camera(
                        id: cameraID, nvr: try c.required("nvr").string(),
                        position: Offset.move(LonLat(lon: lon, lat: lat), east: Double(i) * step, north: 0),
                        building: try c.optional("building")?.string() ?? "site",
                        floor: Int(try c.optional("floor")?.double(in: -10...200) ?? 0), classes: classes))
            }
        }
        let events = try (fields.optional("events")?.list() ?? []).map { (node) throws(LoadError) in
            let e = try node.mapping(["id", "camera", "kind", "at_min", "for_min", "lon", "lat"])
            let camera = try e.required("camera").string()
            guard ids.contains(camera) else { throw node.error("no camera `\(camera)`", field: "camera") }
            var position: LonLat?
            if let lon = e.optional("lon"), let lat = e.optional("lat") {
                position = LonLat(lon: try lon.double(in: -180...180), lat: try lat.double(in: -90...90))
            }
            return Event(
                id: try e.required("id").string(), camera: camera, kind: try detectionClass(e.required("kind")),
                start: try e.required("at_min").double(in: 0...100_000) * 60,
                duration: (try e.optional("for_min")?.double(in: 0...100_000) ?? 1) * 60, position: position)
        }
        return CameraScenario(
            id: try fields.required("id").string(),
            seed: UInt64(try fields.optional("seed")?.double(in: 0...9e15) ?? 1),
            start: start, duration: try fields.required("duration_min").double(in: 0.1...(7 * 24 * 60)) * 60,
            sightEvery: try fields.optional("sight_every_s")?.double(in: 1...3600) ?? 60,
            falsePositivesPerHour: try fields.optional("false_positives_per_hour")?.double(in: 0...3600) ?? 0,
            cameras: cameras, events: events, faults: try Fault.list(fields.optional("faults")))
    }

    static func detectionClass(_ node: YAMLNode) throws(LoadError) -> DetectionClass {
        let text = try node.string()
        guard let kind = DetectionClass(rawValue: text) else {
            throw node.error(
                "unknown class `\(text)`; expected one of: "
                    + DetectionClass.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return kind
    }
}

/// Small offsets on the ground, metres east and north, on a local sphere (good to centimetres over a site).
enum Offset {
    static func move(_ p: LonLat, east: Double, north: Double) -> LonLat {
        let metresPerDegree = 111_320.0
        return LonLat(
            lon: p.lon + east / (metresPerDegree * cos(p.lat * .pi / 180)), lat: p.lat + north / metresPerDegree)
    }
}
