public import Foundation
import PatrolGeo
import PatrolModel

/// Every figure of a robot round's report, for machines (`round-<id>.json`).
public struct RoundSummary: Hashable, Sendable, Codable {
    /// One checkpoint: reached (with when) or missed.
    public struct Checkpoint: Hashable, Sendable, Codable {
        public var name: String
        public var waypointIndex: Int
        public var level: Int
        public var reachedAt: Date?
    }

    /// The highest reading of one gas, and how many were over threshold.
    public struct Gas: Hashable, Sendable, Codable {
        public var kind: String
        public var unit: String
        public var readings: Int
        public var maximum: Double
        public var maximumAt: Date
        public var overThreshold: Int
        public var alerts: [String]
    }

    /// A camera detection, with the incident it joined.
    public struct Finding: Hashable, Sendable, Codable {
        public var id: String
        public var kind: String
        public var time: Date
        public var confidence: Double
        public var lon: Double
        public var lat: Double
        public var alert: String?
    }

    public var id: String
    public var robot: String
    public var mission: String
    public var station: String
    public var status: String
    public var start: Date?
    public var end: Date?
    /// Seconds.
    public var duration: Double?
    /// Metres walked (the reported ground speed over time), and planned.
    public var distance: Double
    public var plannedDistance: Double
    public var checkpoints: [Checkpoint]
    public var checkpointsReached: Int
    public var checkpointsMissed: [String]
    public var gases: [Gas]
    public var findings: [Finding]
    /// Every incident the round's readings or detections raised or joined.
    public var alerts: [String]
    public var commands: [RoundReport.SentCommand]
    /// What the robot was told to say, in order.
    public var spoken: [String]
    public var batteryStart: Double?
    public var batteryEnd: Double?
    public var telemetrySamples: Int

    init(_ input: RoundReport.Input) {
        let flight = input.flight
        let track = input.telemetry
        id = flight.id
        robot = flight.deviceID
        mission = flight.missionID
        station = input.station
        status = flight.status.rawValue
        let began = flight.startedAt ?? track.first?.time
        let ended = flight.endedAt ?? track.last?.time
        start = began
        end = ended
        duration = began.flatMap { s in ended.map { $0.timeIntervalSince(s) } }
        // From the reported ground speed, not the positions, whose noise would add metres never walked.
        var walked = 0.0
        for (a, b) in zip(track, track.dropFirst()) { walked += b.speed * b.time.timeIntervalSince(a.time) }
        distance = walked
        plannedDistance = flight.route.length
        checkpoints = input.checkpoints.map {
            Checkpoint(name: $0.name, waypointIndex: $0.waypointIndex, level: $0.level, reachedAt: $0.reachedAt)
        }
        checkpointsReached = input.checkpoints.filter { $0.reachedAt != nil }.count
        checkpointsMissed = input.checkpoints.filter { $0.reachedAt == nil }.map(\.name)
        gases = Dictionary(grouping: input.readings, by: \.kind).sorted { $0.key < $1.key }.compactMap { kind, list in
            guard let top = list.max(by: { ($0.value, $1.time) < ($1.value, $0.time) }) else { return nil }
            let over = list.filter { $0.alertID != nil }
            return Gas(
                kind: kind, unit: top.unit, readings: list.count, maximum: top.value, maximumAt: top.time,
                overThreshold: over.count, alerts: Array(Set(over.compactMap(\.alertID))).sorted())
        }
        findings = input.detections.map {
            Finding(
                id: $0.detection.id, kind: $0.detection.kind.rawValue, time: $0.detection.time,
                confidence: $0.detection.confidence, lon: $0.detection.position.lon, lat: $0.detection.position.lat,
                alert: $0.alertID)
        }
        alerts = input.alerts.map(\.id).sorted()
        commands = input.commands
        spoken = input.commands.compactMap(\.text)
        batteryStart = track.first?.battery
        batteryEnd = track.last?.battery
        telemetrySamples = track.count
    }

    /// Pretty-printed JSON with sorted keys and ISO 8601 dates.
    /// - Throws: `EncodingError` when a value cannot be encoded.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}

/// A round's GeoJSON: the planned `route`, the walked `track`, each `checkpoint` (with
/// `reached` and `reached_at`), each `reading` over threshold, each `detection` and each `alert`.
enum RoundGeoJSON {
    static func collection(_ input: RoundReport.Input) -> Data {
        let base: [String: JSONValue] = ["round": .string(input.flight.id), "robot": .string(input.flight.deviceID)]
        func feature(_ geometry: GeoGeometry, _ layer: String, _ extra: [String: JSONValue]) -> GeoFeature {
            GeoFeature(
                geometry: geometry, properties: base.merging(extra) { $1 }.merging(["layer": .string(layer)]) { $1 })
        }
        var features: [GeoFeature] = []
        let route = input.flight.route.waypoints.map(\.position)
        if route.count >= 2 { features.append(feature(.lineString(route), "route", [:])) }
        let track = input.telemetry.map(\.position)
        if track.count >= 2 {
            features.append(feature(.lineString(track), "track", ["samples": .number(Double(track.count))]))
        }
        for c in input.checkpoints {
            var properties: [String: JSONValue] = [
                "name": .string(c.name), "level": .number(Double(c.level)), "reached": .bool(c.reachedAt != nil),
            ]
            if let at = c.reachedAt { properties["reached_at"] = .string(at.formatted(.iso8601)) }
            features.append(feature(.point(c.position), "checkpoint", properties))
        }
        for r in input.readings where r.alertID != nil {
            guard let p = r.position else { continue }
            features.append(
                feature(
                    .point(p), "reading",
                    [
                        "id": .string(r.id), "kind": .string(r.kind), "value": .number(r.value),
                        "unit": .string(r.unit),
                        "time": .string(r.time.formatted(.iso8601)), "alert": .string(r.alertID ?? ""),
                    ]))
        }
        for (d, alert) in input.detections {
            var properties: [String: JSONValue] = [
                "id": .string(d.id), "class": .string(d.kind.rawValue), "confidence": .number(d.confidence),
                "time": .string(d.time.formatted(.iso8601)),
            ]
            if let alert { properties["alert"] = .string(alert) }
            features.append(feature(.point(d.position), "detection", properties))
        }
        for a in input.alerts {
            features.append(
                feature(
                    .point(a.position), "alert",
                    ["id": .string(a.id), "class": .string(a.kind.rawValue), "state": .string(a.state.rawValue)]))
        }
        return GeoJSON.data(features)
    }
}
