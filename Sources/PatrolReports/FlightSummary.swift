public import Foundation
public import PatrolGeo
public import PatrolModel

/// The figures of one flight's report, as written to `flight-<id>.json`.
///
/// Dates are ISO 8601 strings with fractional seconds; use ``encoded()`` and
/// ``decode(from:)`` to write and read the file with the same conventions.
public struct FlightSummary: Hashable, Sendable, Codable {
    /// Battery charge over the flight, fractions from 0 to 1.
    public struct Battery: Hashable, Sendable, Codable {
        public var start: Double
        public var end: Double
        /// ``start`` minus ``end``.
        public var used: Double

        public init(start: Double, end: Double) {
            self.start = start
            self.end = end
            self.used = start - end
        }
    }

    /// The headline numbers of a ``CoverageResult``.
    public struct CoverageFigures: Hashable, Sendable, Codable {
        /// Square metres.
        public var plannedArea: Double
        /// Square metres.
        public var seenArea: Double
        /// 0 to 100.
        public var percent: Double
        public var gapCount: Int
        /// Square metres.
        public var gapArea: Double
        /// The smallest unseen patch counted as a gap, square metres.
        public var minimumGapArea: Double

        public init(_ result: CoverageResult) {
            plannedArea = result.plannedArea
            seenArea = result.seenArea
            percent = result.percent
            gapCount = result.gapCount
            gapArea = result.gapArea
            minimumGapArea = result.minimumGapArea
        }
    }

    /// The headline numbers of a ``DetectabilityResult``.
    public struct DetectabilityFigures: Hashable, Sendable, Codable {
        /// The probability at or above which a cell counts as seen well enough.
        public var threshold: Double
        /// Metres.
        public var cellSize: Double
        /// Square metres with a probability of detecting smoke at or above ``threshold``.
        public var wellSeenArea: Double
        /// 0 to 100 of the planned area.
        public var wellSeenPercent: Double
        /// Square metres of the planned area inside some frame (on the grid).
        public var sweptArea: Double
        /// Square metres swept but hidden behind towers in every frame.
        public var shadowedArea: Double
        /// The mean probability of detection over the planned area, 0 to 1.
        public var meanProbability: Double

        public init(_ result: DetectabilityResult) {
            threshold = result.model.threshold
            cellSize = result.model.cellSize
            wellSeenArea = result.wellSeenArea
            wellSeenPercent = result.wellSeenPercent
            sweptArea = result.sweptArea
            shadowedArea = result.shadowedArea
            meanProbability = result.meanProbability
        }
    }

    /// One alert raised during the flight.
    public struct AlertEntry: Hashable, Sendable, Codable {
        public var id: String
        public var kind: DetectionClass
        public var state: AlertState
        public var position: LonLat
        /// 0 to 1.
        public var confidence: Double
        public var observations: Int
        public var firstSeen: Date

        public init(_ alert: Alert) {
            id = alert.id
            kind = alert.kind
            state = alert.state
            position = alert.position
            confidence = alert.confidence
            observations = alert.observations
            firstSeen = alert.firstSeen
        }
    }

    /// How far the surveying vehicle strayed from the planned route, metres.
    public struct Deviation: Hashable, Sendable, Codable {
        /// How many surveying samples were measured.
        public var samples: Int
        /// The largest cross-track distance (0 when no samples).
        public var max: Double
        /// The mean cross-track distance (0 when no samples).
        public var mean: Double

        public init(samples: Int, max: Double, mean: Double) {
            self.samples = samples
            self.max = max
            self.mean = mean
        }
    }

    /// Something that happened during the flight, derived from telemetry and detections.
    public struct Event: Hashable, Sendable, Codable {
        /// What happened.
        public enum Kind: String, Hashable, Sendable, Codable {
            case takeOff = "take_off"
            case surveyStarted = "survey_started"
            case firstDetection = "first_detection"
            case paused
            case emergency
            case missionComplete = "mission_complete"
            case surveyEnded = "survey_ended"
            case landed
            case linkLost = "link_lost"
            case linkResumed = "link_resumed"
        }

        public var time: Date
        public var kind: Kind
        /// A short human-readable description.
        public var detail: String

        public init(time: Date, kind: Kind, detail: String) {
            self.time = time
            self.kind = kind
            self.detail = detail
        }
    }

    public var flightID: String
    public var missionID: String
    public var missionName: String
    public var deviceID: String
    public var status: Flight.Status
    /// When the flight started: the flight record's, else the first telemetry sample's.
    public var start: Date?
    /// When the flight ended: the flight record's, else the last telemetry sample's.
    public var end: Date?
    /// ``end`` minus ``start``, seconds (0 when either is unknown).
    public var duration: Double
    /// Horizontal distance flown, metres, summed over the telemetry track while airborne.
    public var distanceFlown: Double
    /// `nil` when there is no telemetry.
    public var battery: Battery?
    public var coverage: CoverageFigures
    /// How much of the planned area was seen well enough to detect smoke; `nil` in summaries
    /// written before it was computed.
    public var detectability: DetectabilityFigures?
    /// How many detections the flight reported.
    public var detections: Int
    public var alerts: [AlertEntry]
    public var deviation: Deviation
    /// Take-off, first detection, link losses, mission complete, landing and the like, in time order.
    public var timeline: [Event]
    /// The weather at the hive; `nil` when the hive sent no status (or the summary predates it).
    public var weather: Weather?
    /// Link losses and quality; `nil` in summaries written before they were recorded.
    public var link: Link?

    /// Encodes the summary as pretty-printed JSON with sorted keys and ISO 8601 dates.
    ///
    /// - Throws: `EncodingError` if a value cannot be encoded (a non-finite number).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Self.dateStyle))
        }
        return try encoder.encode(self)
    }

    /// Decodes a summary written by ``encoded()``.
    ///
    /// - Throws: `DecodingError` when `data` is not such a summary.
    public static func decode(from data: Data) throws -> FlightSummary {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date(text, strategy: dateStyle) { return date }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO 8601 date, found \"\(text)\"")
        }
        return try decoder.decode(FlightSummary.self, from: data)
    }

    private static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
