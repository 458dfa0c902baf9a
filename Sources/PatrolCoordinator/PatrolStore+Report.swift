import Foundation
import PatrolModel
public import PatrolReports
public import PatrolStore

/// A flight that cannot be reported from the record, and why.
public struct ReportRecordError: Error, CustomStringConvertible {
    /// What is missing, and what to do about it.
    public var message: String

    public var description: String { message }
}

extension PatrolStore {
    /// Everything a flight's report is made from, read from the record alone: the flight, its
    /// plan record (mission, site snapshot, planned area), telemetry, detections, alerts, the
    /// statuses of its hive (whose device id is the site's hive id) and its link losses.
    ///
    /// The coordinator renders the report after landing from this same input, so a report
    /// rebuilt later from the database is byte-identical to the one written then.
    ///
    /// - Throws: ``ReportRecordError`` when there is no such flight or it has no plan record (it
    ///   was recorded before plans were kept); ``StoreError`` when the database cannot be read.
    public func reportInput(flightID: String) throws -> FlightReportInput {
        guard let flight = try flight(flightID) else {
            let known = try flights().prefix(5).map(\.id).joined(separator: ", ")
            throw ReportRecordError(
                message: "no flight `\(flightID)` in \(path)" + (known.isEmpty ? "" : "; recent flights: \(known)"))
        }
        guard let plan = try flightPlan(flightID) else {
            throw ReportRecordError(
                message: "flight `\(flightID)` has no plan record (mission, site, area) in \(path); "
                    + "it was recorded before plans were kept and its report cannot be rebuilt")
        }
        let track = try telemetry(flightID: flightID)
        var input = FlightReportInput(
            site: plan.site, mission: plan.mission, flight: flight, telemetry: track,
            detections: try detections(flightID: flightID), alerts: try alerts(flightID: flightID),
            plannedArea: plan.plannedArea, minimumGapArea: plan.minimumGapArea)
        // Only what was recorded up to the flight's end, so a report rebuilt later says the same.
        let start = flight.startedAt ?? track.map(\.time).min()
        let end = flight.endedAt ?? track.map(\.time).max()
        if let start, let end {
            input.hiveWeather = try hiveStatuses(hive: plan.mission.hive, from: start, to: end).map {
                HiveWeather(
                    time: $0.time, windSpeed: $0.windSpeed, windFrom: $0.windFrom, rain: $0.rain,
                    temperature: $0.temperature, door: $0.door, charging: $0.charging)
            }
        }
        input.linkEvents = try events(flightID: flightID).compactMap { event in
            guard event.deviceID == flight.deviceID, end.map({ event.time <= $0 }) ?? true,
                let kind = LinkEvent.Kind(rawValue: event.kind)
            else { return nil }
            return LinkEvent(time: event.time, kind: kind)
        }
        return input
    }
}
