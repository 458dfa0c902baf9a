public import Foundation
import GRDB
public import PatrolGeo
public import PatrolModel

/// What a flight was asked to do, as recorded when it was launched: the mission as flown (with
/// its camera), a snapshot of the site, and the area to cover in site metres.
///
/// Together with the flight, its telemetry, detections and alerts, this is everything a flight
/// report is made from, so a report can be rebuilt from the database alone, byte for byte.
public struct FlightPlanRecord: Hashable, Sendable {
    public var flightID: String
    /// The mission as flown, camera included.
    public var mission: Mission
    /// The site as it was when the flight was launched (sites change; the record must not).
    public var site: Site
    /// The site file the snapshot was loaded from, if known: follow-up missions refer to it.
    public var siteFile: String?
    /// The area the flight was meant to cover, site metres (the planner's target area).
    public var plannedArea: MultiPolygon
    /// Unseen patches smaller than this many square metres are not reported as gaps.
    public var minimumGapArea: Double

    /// A plan record from its parts.
    public init(
        flightID: String, mission: Mission, site: Site, siteFile: String? = nil, plannedArea: MultiPolygon,
        minimumGapArea: Double = 25
    ) {
        self.flightID = flightID
        self.mission = mission
        self.site = site
        self.siteFile = siteFile
        self.plannedArea = plannedArea
        self.minimumGapArea = minimumGapArea
    }
}

/// The `flightPlan` table's row. Values are JSON encoded here, not by GRDB, so that infinite
/// no-fly ceilings survive and numbers round-trip exactly.
struct FlightPlanRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "flightPlan"
    var flightID: String
    var mission: String
    var site: String
    var siteFile: String?
    var plannedArea: String
    var minimumGapArea: Double

    init(row: Row) {
        flightID = row["flightID"]
        mission = row["mission"]
        site = row["site"]
        siteFile = row["siteFile"]
        plannedArea = row["plannedArea"]
        minimumGapArea = row["minimumGapArea"]
    }

    init(_ record: FlightPlanRecord) throws {
        flightID = record.flightID
        mission = try Self.encode(record.mission)
        site = try Self.encode(record.site)
        siteFile = record.siteFile
        plannedArea = try Self.encode(record.plannedArea)
        minimumGapArea = record.minimumGapArea
    }

    func encode(to container: inout PersistenceContainer) {
        container["flightID"] = flightID
        container["mission"] = mission
        container["site"] = site
        container["siteFile"] = siteFile
        container["plannedArea"] = plannedArea
        container["minimumGapArea"] = minimumGapArea
    }

    func model() throws -> FlightPlanRecord {
        FlightPlanRecord(
            flightID: flightID, mission: try Self.decode(Mission.self, mission), site: try Self.decode(Site.self, site),
            siteFile: siteFile, plannedArea: try Self.decode(MultiPolygon.self, plannedArea),
            minimumGapArea: minimumGapArea)
    }

    private static let infinity = "Infinity"

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: infinity, negativeInfinity: "-" + infinity, nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: infinity, negativeInfinity: "-" + infinity, nan: "NaN")
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

extension PatrolStore {
    /// Records what a flight was asked to do; replaces an earlier record of the same flight.
    ///
    /// - Throws: ``StoreError`` when the database refuses the row (for instance when no flight
    ///   with ``FlightPlanRecord/flightID`` was saved first).
    public func save(_ record: FlightPlanRecord) throws(StoreError) {
        try write { db in try FlightPlanRow(record).save(db) }
    }

    /// The plan record of a flight, or `nil` for a flight recorded before plans were kept.
    ///
    /// - Throws: ``StoreError`` when the database cannot be read or the record does not decode.
    public func flightPlan(_ flightID: String) throws(StoreError) -> FlightPlanRecord? {
        try read { db in try FlightPlanRow.fetchOne(db, key: flightID)?.model() }
    }

    /// The flights that started in `interval` (or, never started, ended in it), oldest first.
    public func flights(in interval: DateInterval) throws(StoreError) -> [Flight] {
        try flights().filter { flight in
            guard let time = flight.startedAt ?? flight.endedAt else { return false }
            return time >= interval.start && time < interval.end
        }.sorted { ($0.startedAt ?? .distantPast, $0.id) < ($1.startedAt ?? .distantPast, $1.id) }
    }
}
