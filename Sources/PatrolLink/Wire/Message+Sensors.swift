public import Foundation
public import PatrolGeo

/// What a fixed sensor measures, and so the unit its value is in.
public enum SensorKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Carbon monoxide, in `ppm`.
    case co
    /// Methane, in `ppm` (or `%LEL` where the sensor reports that).
    case ch4
    /// Hydrogen sulphide, in `ppm`.
    case h2s
    /// A smoke detector: obscuration in `%/m`, or `1`/`0` for alarm/quiet.
    case smoke
    /// Air temperature, in `degC`.
    case temperature
}

/// Where a fixed sensor is: a position, or a place in a building, or both.
///
/// At least one of `position` and `building` must be present; `floor` and `zone` refine `building`.
public struct SensorLocation: Hashable, Sendable, Codable {
    /// WGS 84 position of the sensor, when known.
    public var position: LonLat?
    /// The building (tower or car park) the sensor is in, e.g. `car-park-b`.
    public var building: String?
    /// Floor number; negative below ground (`-2` is the second basement).
    public var floor: Int?
    /// A named zone of the floor, e.g. `b2-north`; rules and actuators are keyed by zone.
    public var zone: String?

    public init(position: LonLat? = nil, building: String? = nil, floor: Int? = nil, zone: String? = nil) {
        self.position = position
        self.building = building
        self.floor = floor
        self.zone = zone
    }

    enum CodingKeys: String, CodingKey { case position, building, floor, zone }

    /// Decodes a location, refusing one that names neither a position nor a building.
    /// - Throws: `DecodingError.dataCorrupted` at the location's path when both are missing.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        position = try c.decodeIfPresent(LonLat.self, forKey: .position)
        building = try c.decodeIfPresent(String.self, forKey: .building)
        floor = try c.decodeIfPresent(Int.self, forKey: .floor)
        zone = try c.decodeIfPresent(String.self, forKey: .zone)
        guard position != nil || building != nil else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "expected `position` or `building`, found neither"
                ))
        }
    }
}

/// One reading of one sensor; delivered at least once, de-duplicated by ``id``.
public struct SensorReading: Hashable, Sendable, Codable {
    /// Unique per gateway and the same on every resend, e.g. `gw-1/r-000042`.
    public var id: String
    /// The sensor's id, unique per site.
    public var sensor: String
    public var kind: SensorKind
    public var value: Double
    /// The unit of ``value`` as the sensor reports it: `ppm`, `%LEL`, `%/m`, `degC`.
    public var unit: String
    /// When the sensor measured it.
    public var time: Date
    public var location: SensorLocation

    public init(
        id: String, sensor: String, kind: SensorKind, value: Double, unit: String, time: Date,
        location: SensorLocation
    ) {
        self.id = id
        self.sensor = sensor
        self.kind = kind
        self.value = value
        self.unit = unit
        self.time = time
        self.location = location
    }
}

/// A batch of readings from a sensor gateway; answered by ``ReadingsAck``.
public struct SensorReadings: Hashable, Sendable, Codable {
    public var readings: [SensorReading]

    public init(readings: [SensorReading]) { self.readings = readings }
}

/// The coordinator has stored these readings (or had them already); the gateway may stop resending them.
public struct ReadingsAck: Hashable, Sendable, Codable {
    /// The ``SensorReading/id``s of the readings stored.
    public var readingIDs: [String]

    public init(readingIDs: [String]) { self.readingIDs = readingIDs }

    // Spelt out: the automatic key mapping would write `reading_i_ds`.
    enum CodingKeys: String, CodingKey { case readingIDs = "reading_ids" }
}

/// A hive's state and its weather station.
public struct HiveStatus: Hashable, Sendable, Codable {
    /// The dock's door.
    public enum Door: String, Hashable, Sendable, Codable, CaseIterable {
        case open, closed, moving, stuck
    }

    public var door: Door
    /// Whether a drone on the pad is charging.
    public var charging: Bool
    /// Wind speed, m/s.
    public var windSpeed: Double
    /// Direction the wind blows from, degrees clockwise from north.
    public var windFrom: Double
    /// Rain rate, mm/h.
    public var rain: Double
    /// Air temperature, °C.
    public var temperature: Double

    public init(door: Door, charging: Bool, windSpeed: Double, windFrom: Double, rain: Double, temperature: Double) {
        self.door = door
        self.charging = charging
        self.windSpeed = windSpeed
        self.windFrom = windFrom
        self.rain = rain
        self.temperature = temperature
    }
}
